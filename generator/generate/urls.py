"""Where generated pages are published, and links made to work away from the site.

MkDocs publishes `docs/x.md` at `x/` (or `x.html` without directory URLs) and resolves a
relative link from the folder of the file it is written in. Pages, feeds, email and the
publication record all need the same answers, so they all come from here.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit, urlunsplit


def page_url(page_path: str, directory_urls: bool = True) -> str:
    """The URL path (relative to the site root) at which the page from `page_path` is published."""
    stem = page_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if directory_urls else f"{stem}.html"


def page_file(page_path: str, directory_urls: bool = True) -> str:
    """The built HTML file of the page from `page_path`, relative to `site/`."""
    url = page_url(page_path, directory_urls)
    return url + "index.html" if not url or url.endswith("/") else url


def page_address(site_url: str, page_path: str, directory_urls: bool = True) -> str:
    """The full web address of the page from `page_path`."""
    return urljoin(site_url, page_url(page_path, directory_urls))


def relative_path(target: str, folder: str) -> str:
    """`posixpath.relpath(target, folder)` for two paths inside the site, worked out from
    the names alone: pages make thousands of links, and `relpath` asks the operating
    system for the working folder each time."""
    if (
        ".." in target.split("/")
        or ".." in folder.split("/")
        or target.startswith("/")
        or folder.startswith("/")
    ):
        return posixpath.relpath(target, folder)
    to = [part for part in target.split("/") if part not in ("", ".")]
    start = [part for part in folder.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def relative_url(target: str, page_path: str, directory_urls: bool = True) -> str:
    """The URL of page `target` relative to the page at `page_path`, for raw HTML links
    (MkDocs only rewrites `.md` links written in Markdown)."""
    target_url = page_url(target, directory_urls)
    here = page_url(page_path, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    relative = relative_path(target_url or ".", base.rstrip("/") or ".")
    folder = target_url.endswith("/") or not target_url
    if folder and not directory_urls:
        # Without directory URLs the site may be opened from a folder, where a link to a
        # folder shows its file listing: link to its index page itself.
        return "index.html" if relative == "." else relative + "/index.html"
    if relative == ".":
        return "./"
    return relative + "/" if folder else relative


def absolute_url(link: str, site_url: str, page_path: str, directory_urls: bool = True) -> str:
    """`link`, as written in the source of `page_path`, as a full web address.

    - a relative link is resolved from the source file's folder, as MkDocs does, so
      `../images/plan.svg` written in `issues/010-y.md` means `images/plan.svg`;
    - a link to a Markdown file becomes the address of the page built from it;
    - a fragment alone (`#contact`) points into the page's own address;
    - `/path` and `//host/path` are taken from the site's address;
    - links with a scheme (`https:`, `mailto:`, `tel:`) are kept as written.
    """
    parts = urlsplit(link)
    if parts.scheme:
        return link
    if parts.netloc or parts.path.startswith("/"):
        return urljoin(site_url, link)
    own_page = page_address(site_url, page_path, directory_urls)
    if not parts.path:
        return urljoin(own_page, link) if link else own_page
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), parts.path))
    while target == ".." or target.startswith("../"):
        # Above the docs tree: read it as the same path from the site's root, as a browser would.
        target = target[3:] or "."
    if target.endswith(".md"):
        url = page_address(site_url, target, directory_urls)
    else:
        url = site_url + ("" if target == "." else target)
        if parts.path.endswith("/") and not url.endswith("/"):
            url += "/"
    scheme, netloc, path, _, _ = urlsplit(url)
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))
