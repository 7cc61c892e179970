"""The email newsletter: rendering an issue as an email, the subscriber list and sending.

Rendering (`render`, `plaintext`, `message`) is part of the pure core: it takes a `Site`
and returns values. Subscribers, the send ledger and SMTP live here too but are only used
by the command line; they keep their data outside `site/` and `content/`.
"""
