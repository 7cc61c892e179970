"""Checks: every rule content must meet before it is built, per file and
across files, with located, plain-English diagnostics. `checks.project` runs them all."""
