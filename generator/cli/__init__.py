"""Command line: the `sofs` command parses arguments, reads the environment, wires the
stages together (and hands the build the MkDocs renderer), and prints results."""
