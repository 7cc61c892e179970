"""The build's email copies: `email/NNN.html` and `email/NNN.txt` for each shown issue.

These are the exact bodies subscribers get, published for reference beside the site. The
`.eml` file is not published: it carries a Message-ID that changes every render, and
builds must be byte-for-byte reproducible. No subscriber data is ever involved.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..extras import ProducerFailed
from ..model import Site
from ..visibility import Visibility
from .render import EmailRenderError, render_issue


def email_copies(site: Site, visibility: Visibility) -> Mapping[str, bytes]:
    """Every shown issue's email HTML and text, by path under `site/`."""
    outputs: dict[str, bytes] = {}
    if not site.settings.site_url or not site.settings.mailbox:
        return outputs
    for issue in visibility.issues(site):
        try:
            rendered = render_issue(site, issue, visibility)
        except EmailRenderError as exc:
            raise ProducerFailed(f"{issue.origin.path}: {exc}") from None
        outputs[f"email/{issue.number:03d}.html"] = rendered.html.encode("utf-8")
        outputs[f"email/{issue.number:03d}.txt"] = rendered.text.encode("utf-8")
    return outputs
