"""Stage 3, cache: results remembered between runs, under keys of everything they are made from."""
