"""The safeguarding and accessibility checks of content, gathered for `check_site`."""

from __future__ import annotations

from .content_lint import check_content_a11y
from .diagnostics import Diagnostic
from .model import Site
from .plain_language import check_reading_ease
from .privacy import check_privacy
from .unsafe_html import check_unsafe_html


def safeguarding_problems(site: Site) -> list[Diagnostic]:
    """Personal identifiers, unsafe HTML, image/link/heading problems and hard reading."""
    return [
        *check_privacy(site),
        *check_unsafe_html(site),
        *check_content_a11y(site),
        *check_reading_ease(site),
    ]
