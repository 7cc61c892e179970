"""The build's email copies: `email/NNN.html` and `email/NNN.txt` for each shown issue.

These are the exact bodies subscribers get, published for reference beside the site. The
`.eml` file is not published: it carries a Message-ID that changes every render, and
builds must be byte-for-byte reproducible. No subscriber data is ever involved.

Rendering an email is a good part of a build's work, so each is kept in the build cache
under a key of everything it is made from (`cache_keys.EmailKeys`): a rebuild renders
again only the emails whose issue, stories or shared inputs changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from ..build_cache import BuildCache
from ..cache_keys import EmailKeys
from ..extras import ProducerFailed
from ..model import Issue, Site
from ..visibility import Visibility
from .render import EmailRenderError, render_issue

SHELF = "emails"


def email_copies(site: Site, visibility: Visibility, cache: BuildCache) -> Mapping[str, bytes]:
    """Every shown issue's email HTML and text, by path under `site/`."""
    outputs: dict[str, bytes] = {}
    if not site.settings.site_url or not site.settings.mailbox:
        return outputs
    keys = EmailKeys(site, visibility) if cache.enabled else None

    def key(issue: Issue) -> str:
        assert keys is not None  # the cache asks for keys only when it is on
        return keys.of(issue)

    def render(issue: Issue) -> tuple[bytes, bytes]:
        try:
            rendered = render_issue(site, issue, visibility)
        except EmailRenderError as exc:
            raise ProducerFailed(f"{issue.origin.path}: {exc}") from None
        return rendered.html.encode("utf-8"), rendered.text.encode("utf-8")

    for issue in visibility.issues(site):
        html, text = cache.remember(SHELF, partial(key, issue), partial(render, issue), _pack, _unpack)
        outputs[f"email/{issue.number:03d}.html"], outputs[f"email/{issue.number:03d}.txt"] = html, text
    cache.prune([SHELF])
    return outputs


def _pack(pair: tuple[bytes, bytes]) -> bytes:
    html, text = pair
    return len(html).to_bytes(8, "big") + html + text


def _unpack(data: bytes) -> tuple[bytes, bytes] | None:
    """The HTML and text kept in `data`, or None when damaged."""
    if len(data) < 8:
        return None
    size = int.from_bytes(data[:8], "big")
    if size > len(data) - 8:
        return None
    return data[8 : 8 + size], data[8 + size :]
