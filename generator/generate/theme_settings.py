"""What the theme's own templates (masthead, footer, colours) need to know about the site.

The theme cannot read the `sofs` settings: a renderer that runs no plugins never sees
them. So these values travel as `extra: sofs:` in the MkDocs configuration, put there by
the plugin for a build and written into `mkdocs.yml` by `sofs build --docs-out`.
"""

from __future__ import annotations

from typing import Any

from ..content.model import Site
from .feeds import ATOM_FILE, RSS_FILE
from .urls import page_file, page_url

#: The key under MkDocs' `extra` that holds `theme_settings`.
THEME_KEY = "sofs"


def _shade(colour: str, factor: float) -> str:
    """`colour` (`#rrggbb`) darkened towards black by `factor` (0 keeps it, 1 is black)."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - factor)):02x}" for c in channels)


def _initials(name: str) -> str:
    """A short text mark for a site without a logo: `Signs of Safety newsletter` -> `SoS`."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    small = {"of", "and", "the", "for", "in", "on", "a", "an", "to"}
    letters = [w[0] if w.lower() in small else w[0].upper() for w in words if w.lower() != "newsletter"]
    return "".join(letters)[:4] or name[:1].upper()


def theme_settings(site: Site, *, offline: bool = False) -> dict[str, Any]:
    """The values `templates/theme/` reads as `config.extra.sofs`: plain text, colours and
    URLs relative to the site root (the theme's `url` filter makes them relative to each page).
    With `offline` (a site opened from a folder) the URLs are `name.html` files."""
    settings = site.settings
    directory_urls = settings.use_directory_urls and not offline
    # Without directory URLs a folder's page is linked as its `index.html` file: opened
    # from a folder, a link to the folder itself would show a file listing.
    url = page_url if directory_urls else page_file
    pages = {page.slug for page in site.pages}

    def page(slug: str) -> str | None:
        return url(f"{slug}.md", directory_urls) if slug in pages else None

    return {
        "organisation": settings.organisation,
        "site_name": settings.site_name,
        "mark": _initials(settings.site_name),
        "logo": settings.logo.strip().removeprefix("./") if settings.logo else None,
        "mailbox": settings.mailbox,
        "brand_colour": settings.brand_colour,
        "brand_dark": _shade(settings.brand_colour, 0.35),
        "accent_colour": settings.accent_colour,
        "feeds": {"rss": RSS_FILE, "atom": ATOM_FILE} if settings.site_url else None,
        "archive": url("issues/index.md", directory_urls),
        "guide": url("guide/index.md", directory_urls),
        "about": page("about"),
        "subscribe": page("subscribe"),
        "accessibility": page("accessibility"),
    }
