"""Mail: the subscriber list, the per-issue send ledger, the one sending loop and SMTP."""
