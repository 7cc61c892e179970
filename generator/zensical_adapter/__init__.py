"""Zensical as the renderer of `sofs build --renderer zensical` (an optional extra)."""
