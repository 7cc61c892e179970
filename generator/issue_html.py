"""An issue as standalone HTML, for reading away from the site (feed readers).

Feed readers show an entry's HTML without the page it came from, so a relative link
there points nowhere. Here every `href` and `src` (and every other URL attribute) is made
absolute against `site_url`, the way MkDocs resolves links when it builds the page:

- a relative link is resolved from the source file's folder inside the docs tree, so
  `../measures/1-x.md` written in `issues/010-y.md` means `measures/1-x.md`;
- a link to a Markdown file becomes the URL of the page MkDocs builds from it
  (`measures/1-x.md` -> `https://host/measures/1-x/`, `x/index.md` -> `https://host/x/`);
- a fragment alone (`#contact`) points into the issue's own page;
- links with a scheme (`https:`, `mailto:`, `tel:`) are kept as written.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
import markdown

from .markdown_text import visible_text
from .model import Issue, Site
from .pages import issue_markdown
from .visibility import Visibility

#: The Markdown extensions of the site's `mkdocs.yml` that make sense outside a page
#: (`toc` is left out: its permalink anchors mean nothing in a feed reader).
MARKDOWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "tables")


class NoSiteUrl(ValueError):
    """Absolute links need the site's address, and the settings have none."""


def page_url(site_url: str, page_path: str) -> str:
    """The published URL of the page built from `page_path` (directory URLs, as MkDocs)."""
    stem = page_path.removesuffix(".md")
    if stem == "index":
        return site_url
    if stem.endswith("/index"):
        return site_url + stem.removesuffix("index")
    return f"{site_url}{stem}/"


def absolute_url(link: str, site_url: str, page_path: str) -> str:
    """`link`, written in the source of `page_path`, as an absolute URL."""
    parts = urlsplit(link)
    if parts.scheme:
        return link
    if parts.netloc or parts.path.startswith("/"):
        return urljoin(site_url, link)
    own_page = page_url(site_url, page_path)
    if not parts.path:
        return urljoin(own_page, link) if link else own_page
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), parts.path))
    while target == ".." or target.startswith("../"):
        # Above the docs tree: read it as the same path from the site's root, as a browser would.
        target = target[3:] or "."
    if target.endswith(".md"):
        url = page_url(site_url, target)
    else:
        url = site_url + ("" if target == "." else target)
        if parts.path.endswith("/") and not url.endswith("/"):
            url += "/"
    scheme, netloc, path, _, _ = urlsplit(url)
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


def absolute_links(html: str, site_url: str, page_path: str) -> str:
    """`html` with every link attribute absolute; see the module's rules."""
    if not html.strip():
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.rewrite_links(lambda link: absolute_url(link, site_url, page_path), resolve_base_href=False)
    serialised: str = lxml.html.tostring(wrapper, encoding="unicode")
    return serialised.removeprefix("<div>").removesuffix("</div>")


def markdown_to_html(text: str) -> str:
    """Markdown to HTML with the site's extensions; HTML comments (guidance notes) dropped."""
    return markdown.markdown(visible_text(text), extensions=list(MARKDOWN_EXTENSIONS), output_format="html")


def issue_html(site: Site, visibility: Visibility, issue: Issue) -> str:
    """The issue's full content as its page shows it (team stories included), with
    absolute links. Raises `NoSiteUrl` when the settings have no `site_url`."""
    site_url = site.settings.site_url
    if not site_url:
        raise NoSiteUrl("absolute links need `site_url` in mkdocs.yml")
    html = markdown_to_html(issue_markdown(site, visibility, issue))
    return absolute_links(html, site_url, issue.page_path)
