"""sofs-newsletter: a static newsletter and practice-guide generator for Signs of Safety services."""

__version__ = "0.1.0"
