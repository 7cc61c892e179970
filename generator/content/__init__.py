"""Content: the files of `content/` found, read once, parsed into the typed
model, and the rules for what is shown (visibility) and how pieces relate."""
