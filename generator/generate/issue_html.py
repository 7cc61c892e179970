"""An issue as standalone HTML, for reading away from the site (feed readers).

Feed readers show an entry's HTML without the page it came from, so a relative link
there points nowhere. Here every `href` and `src` (and every other URL attribute) is made
absolute against `site_url`, the way MkDocs resolves links when it builds the page (the
rules are `generator.generate.urls.absolute_url`'s).
"""

from __future__ import annotations

import lxml.html

from ..content.markdown_text import visible_text
from ..content.model import Issue
from .context import BuildContext
from .site_markdown import SiteMarkdown
from .urls import absolute_url


class NoSiteUrl(ValueError):
    """Absolute links need the site's address, and the settings have none."""


def absolute_links(html: str, site_url: str, page_path: str, directory_urls: bool = True) -> str:
    """`html` with every link attribute absolute (`generator.generate.urls.absolute_url`)."""
    if not html.strip():
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.rewrite_links(
        lambda link: absolute_url(link, site_url, page_path, directory_urls), resolve_base_href=False
    )
    serialised: str = lxml.html.tostring(wrapper, encoding="unicode")
    return serialised.removeprefix("<div>").removesuffix("</div>")


def markdown_to_html(text: str, converter: SiteMarkdown) -> str:
    """Markdown to HTML with `converter`, the site's extensions as feeds and emails use them
    (`BuildContext.feed_markdown`); HTML comments (guidance notes) dropped."""
    return converter.html(visible_text(text))


def issue_html(context: BuildContext, issue: Issue) -> str:
    """The issue's full content as its page shows it (team stories included), with
    absolute links. Raises `NoSiteUrl` when the settings have no `site_url`."""
    settings = context.settings
    if not settings.site_url:
        raise NoSiteUrl("absolute links need `site_url` in mkdocs.yml")
    html = markdown_to_html(context.issue_bodies.of(issue), context.feed_markdown)
    return absolute_links(html, settings.site_url, issue.page_path, settings.use_directory_urls)
