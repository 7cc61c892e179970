"""Stage 5, mail: the subscriber list, the per-issue send ledger, the one sending loop and SMTP."""
