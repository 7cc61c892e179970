"""Settings: the `sofs` entry of `mkdocs.yml` read into one typed value,
with the files and extensions it names checked before anything else runs."""
