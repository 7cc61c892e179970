"""Cache: results remembered between runs, under keys of everything they are made from."""
