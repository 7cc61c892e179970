"""The one place that meets MkDocs: a plugin that hands it our pages, and the runners
that build or serve a site with it. Nothing else in `generator` imports MkDocs."""
