"""Files a build writes beside the pages: the feeds and the email copies.

Both come from the run's `BuildContext`, as a mapping of path (relative to `site/`) to
bytes. They are pure (the cache only saves work); the renderer writes them into the
staging folder with the pages, so they appear in `site/` atomically with them.
"""

from __future__ import annotations

from .context import BuildContext
from .email_copies import email_copies
from .email_render import EmailRenderError
from .feeds import build_feeds
from .html_gate import UnsafeOutput


class ProducerFailed(Exception):
    """An extra file could not be made; the message says where, why and what to do."""


def extra_outputs(context: BuildContext) -> dict[str, bytes]:
    """Every extra file of a build, by relative path; raises `ProducerFailed`."""
    try:
        outputs = dict(build_feeds(context))  # twenty entries at most: quicker made than looked up
        outputs.update(email_copies(context))
    except (EmailRenderError, UnsafeOutput) as exc:
        raise ProducerFailed(str(exc)) from None
    return outputs
