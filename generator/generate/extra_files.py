"""Files a build writes beside the MkDocs pages (feeds, email copies), from the core.

Each producer takes the loaded site, the visibility rule and the build cache, and returns
a mapping of path (relative to `site/`) to bytes. They are pure (the cache only saves
work): `site_build` writes the files into the staging folder before it is swapped in, so
they appear atomically with the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..cache.store import BuildCache
from ..content.model import Site
from ..content.visibility import Visibility
from .feeds import build_feeds

Producer = Callable[[Site, Visibility, BuildCache], Mapping[str, bytes]]


class ProducerFailed(Exception):
    """A producer could not make its files; the message says why and what to do."""


def producers() -> list[Producer]:
    """The producers that run on every build, in order."""
    from .email_copies import email_copies  # imported here: the email package imports this module

    return [_feeds, email_copies]


def _feeds(site: Site, visibility: Visibility, cache: BuildCache) -> Mapping[str, bytes]:
    return build_feeds(site, visibility)  # twenty entries at most: quicker made than looked up


def extra_outputs(site: Site, visibility: Visibility, cache: BuildCache | None = None) -> dict[str, bytes]:
    """Every extra file of a build, by relative path."""
    outputs: dict[str, bytes] = {}
    for produce in producers():
        outputs.update(produce(site, visibility, cache or BuildCache.off()))
    return outputs
