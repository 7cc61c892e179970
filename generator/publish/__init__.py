"""`sofs publish` and `sofs audit`: from a signed-off issue to site, feed and inbox, on the record."""
