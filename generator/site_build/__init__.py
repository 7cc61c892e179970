"""Site build: a checked site rendered into a staging folder and swapped in whole,
the generated docs tree, the folders a run may write to and the lock that keeps runs apart."""
