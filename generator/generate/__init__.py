"""Generate: from the loaded content to what readers receive — the pages as
Markdown, the issue body shared by page, feed and email, the feeds and the email edition."""
