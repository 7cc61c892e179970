"""Making an issue's links absolute, so they work from an inbox."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit, urlunsplit

from .. import pages


def page_url(site_url: str, docs_path: str, directory_urls: bool = True) -> str:
    """The full web address of a generated page, from its path in the docs tree."""
    return urljoin(site_url, pages.page_url(docs_path, directory_urls))


def absolute_link(site_url: str, from_page: str, href: str, directory_urls: bool = True) -> str:
    """`href` as written on the page `from_page` (a docs path), made a full web address.

    Links to `.md` files are resolved in the docs tree, as MkDocs does; other relative
    links against the page's own address. Links with a scheme (https:, mailto:) are kept.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    if parts.path.endswith(".md") and not parts.path.startswith("/"):
        docs_path = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), parts.path))
        target = urlsplit(page_url(site_url, docs_path.lstrip("./"), directory_urls))
        return urlunsplit(target._replace(query=parts.query, fragment=parts.fragment))
    return urljoin(page_url(site_url, from_page, directory_urls), href)
