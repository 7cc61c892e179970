"""Rendering one issue as an email: HTML for Outlook and Gmail, and a plain-text twin.

The HTML comes from `templates/email/issue.html.j2`, its CSS is inlined with css-inline
(keeping `@media` rules, never loading remote stylesheets) and it must stay under
`MAX_HTML_BYTES`, past which Gmail clips a message. Both parts are made from the same
Markdown the web page uses, team stories included.

Before the body goes into the template it is fitted to a phone (`fit_for_email`): every
table is put in a box that scrolls sideways and every picture is given a `width` (its
own, when the picture is one of the site's files, at most the content's width), so that
the email reflows at 320 px and Outlook, which ignores `max-width`, never widens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import css_inline
import imagesize
import jinja2
import lxml.html
from markupsafe import Markup

from ..content.header_text import unsafe_part
from ..content.model import Issue, Site
from ..settings.model import Settings
from .context import BuildContext
from .email_text import html_to_text
from .html_gate import UnsafeOutput, ensure_safe
from .issue_html import issue_html
from .templates import EMAIL_TEMPLATES
from .urls import page_address

MAX_HTML_BYTES = 100 * 1024
#: The width of the email's text column on a wide screen (600px less its padding): no
#: picture is wider.
CONTENT_WIDTH = 552
TEMPLATE_FOLDER = EMAIL_TEMPLATES
HTML_TEMPLATE = "issue.html.j2"
TEXT_TEMPLATE = "issue.txt.j2"
#: The template's <style> block that is inlined (the kept one carries `data-css-inline`).
_INLINED_BLOCK = re.compile(r"<style>.*?</style>\n?", re.DOTALL)


class EmailRenderError(Exception):
    """The issue cannot be made into an email; the message says why and what to do."""


class UnsafeEmail(EmailRenderError):
    """The email's text holds HTML the allowlist does not (`html_gate`): it is never sent."""


class EmailTooLarge(EmailRenderError):
    """The email's HTML is over `MAX_HTML_BYTES`; `size` is how many bytes it would be."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


@dataclass(frozen=True)
class RenderedIssue:
    """An issue as an email: its subject, both bodies and the addresses it links to."""

    issue: Issue
    subject: str
    html: str
    text: str
    web_url: str
    feed_url: str
    unsubscribe: str

    @property
    def html_bytes(self) -> int:
        return len(self.html.encode("utf-8"))


def subject_of(issue: Issue) -> str:
    """The email's subject line, the same as the web page's title."""
    return issue.heading


def unsubscribe_mailto(mailbox: str) -> str:
    """The `mailto:` that unsubscribes: a message to the mailbox with the subject unsubscribe."""
    return f"mailto:{mailbox}?subject=unsubscribe"


def render_issue(context: BuildContext, issue: Issue) -> RenderedIssue:
    """The issue as an email; raises `EmailRenderError` when it cannot or should not be sent.

    The context's visibility decides which team stories appear, as on the web page.
    """
    site, settings = context.site, context.settings
    if not settings.site_url:
        raise EmailRenderError("mkdocs.yml has no site_url; add it so the email can link to the website")
    if not settings.mailbox:
        raise EmailRenderError(
            "the sofs plugin in mkdocs.yml has no `mailbox:`; add the newsletter's "
            "address so readers can reply and unsubscribe"
        )
    if not settings.mailbox.isascii():
        raise EmailRenderError(
            f"the mailbox {settings.mailbox!r} has letters outside ASCII; "
            "use a plain address so the unsubscribe header stays readable"
        )
    refuse_unsafe_headers(site, issue)
    site_url, directory_urls = settings.site_url, settings.use_directory_urls

    def url_of(docs_path: str) -> str:
        return page_address(site_url, docs_path, directory_urls)

    body_html = issue_html(context, issue)
    try:
        ensure_safe(body_html, f"the email of issue {issue.number} ({issue.origin.path})")
    except UnsafeOutput as exc:
        raise UnsafeEmail(str(exc)) from None
    email_body = fit_for_email(body_html, site_url, settings.content_root)
    measures = {m.number: m for m in site.measures}
    values: dict[str, Any] = {
        "settings": settings,
        "issue": issue,
        "subject": subject_of(issue),
        "web_url": url_of(issue.page_path),
        "feed_url": settings.site_url + "feed.xml",
        "unsubscribe": unsubscribe_mailto(settings.mailbox),
        "measures": [(measures[n], url_of(measures[n].page_path)) for n in issue.measures if n in measures],
        "preview": issue.is_draft or issue.date > context.visibility.today,
        "organisation": organisation_of(settings),
    }
    env = context.email_templates
    html = _inline(_render(env, HTML_TEMPLATE, values, body=Markup(email_body)))
    text = _render(env, TEXT_TEMPLATE, values, body=html_to_text(body_html).rstrip("\n"))
    rendered = RenderedIssue(
        issue, values["subject"], html, text, values["web_url"], values["feed_url"], values["unsubscribe"]
    )
    if rendered.html_bytes > MAX_HTML_BYTES:
        raise EmailTooLarge(
            f"issue {issue.number}'s email would be {rendered.html_bytes / 1024:.0f} KB of HTML, over the "
            f"{MAX_HTML_BYTES // 1024} KB limit (Gmail cuts off longer messages); shorten the issue or move "
            "some of it to pages the email links to",
            rendered.html_bytes,
        )
    return rendered


def organisation_of(settings: Settings) -> str:
    """The organisation the newsletter is from, for the email's masthead and footer, or ""
    while the settings have no `organisation`."""
    return (settings.organisation or "").strip()


def fit_for_email(body_html: str, site_url: str, content_root: Path) -> str:
    """The issue's HTML made to reflow on a phone: each table in a `div.table-scroll` box
    (it scrolls sideways where a client can, and its cells wrap where it cannot) with the
    class `data`, and each picture with a `width` (and `height` when known) no wider
    than `CONTENT_WIDTH`. The template's CSS styles both."""
    if not body_html.strip():
        return body_html
    wrapper = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for table in list(wrapper.iter("table")):
        table.set("class", " ".join([*(table.get("class") or "").split(), "data"]))
        box = lxml.html.Element("div", {"class": "table-scroll"})
        table.addprevious(box)
        box.append(table)  # moves the table, and its tail with it
        box.tail, table.tail = table.tail, None
    for image in wrapper.iter("img"):
        _set_image_size(image, site_url, content_root)
    serialised: str = lxml.html.tostring(wrapper, encoding="unicode")
    return serialised.removeprefix("<div>").removesuffix("</div>")


def _set_image_size(image: lxml.html.HtmlElement, site_url: str, content_root: Path) -> None:
    given = _pixels(image.get("width"))
    own = _local_image_size(image.get("src") or "", site_url, content_root)
    width = given or (own[0] if own else CONTENT_WIDTH)
    height = _pixels(image.get("height"))
    if not given and own:
        height = own[1]
    if width > CONTENT_WIDTH:
        height = round(height * CONTENT_WIDTH / width) if height else None
        width = CONTENT_WIDTH
    image.set("width", str(width))
    if height:
        image.set("height", str(height))
    elif "height" in image.attrib:
        del image.attrib["height"]


def _pixels(value: str | None) -> int | None:
    text = (value or "").strip().removesuffix("px")
    return int(text) if text.isdigit() and int(text) > 0 else None


def _local_image_size(src: str, site_url: str, content_root: Path) -> tuple[int, int] | None:
    """The width and height of a picture that is one of the site's own files, or None."""
    if not src.startswith(site_url):
        return None
    relative = unquote(urlsplit(src[len(site_url) :]).path)
    path = (content_root / relative).resolve()
    root = content_root.resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return picture_size(path)


def picture_size(path: Path) -> tuple[int, int] | None:
    """The width and height in pixels of the picture file at `path`, read from its header
    (PNG, JPEG, GIF, WebP, SVG and others), or None when they cannot be read."""
    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    if not isinstance(width, int | float) or not isinstance(height, int | float) or min(width, height) <= 0:
        return None
    return round(width), round(height)


def refuse_unsafe_headers(site: Site, issue: Issue) -> None:
    """Raise `EmailRenderError` when the subject, sender name or mailbox could not be an
    email header as they are (a line break, NUL or `=?` in them).

    `sofs check` reports these with their lines; this is the email path's own guard, so
    that such a value never gets as far as a recipient's entry in a send ledger."""
    settings = site.settings
    values = {
        f"the title of issue {issue.number} ({issue.origin.path})": issue.title,
        '"site_name" in mkdocs.yml': settings.site_name,
        '"mailbox" in mkdocs.yml': settings.mailbox or "",
        '"site_url" in mkdocs.yml': settings.site_url or "",
    }
    for where, value in values.items():
        found = unsafe_part(value)
        if found:
            raise EmailRenderError(
                f"{where} contains {found}, which cannot go into an email header; "
                "remove it and run `sofs check`"
            )


def _render(env: jinja2.Environment, name: str, context: dict[str, Any], **values: Any) -> str:
    try:
        return env.get_template(name).render(**context, **values)
    except jinja2.TemplateNotFound as exc:
        raise EmailRenderError(
            f"the email template {TEMPLATE_FOLDER}/{exc.name} is missing in the "
            "templates folder; restore it from the project's templates"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise EmailRenderError(
            f"{TEMPLATE_FOLDER}/{name}:{exc.lineno}: the email template cannot be read: {exc.message}"
        ) from None
    except Exception as exc:
        raise EmailRenderError(f"{TEMPLATE_FOLDER}/{name}: the email template failed: {exc}") from None


def _inline(html: str) -> str:
    # The template's head block (`data-css-inline="ignore"`) stays as it is; every rule of
    # the other block that matches an element is inlined and dropped from its block.
    inliner = css_inline.CSSInliner(
        keep_style_tags=True,
        remove_inlined_selectors=True,
        keep_link_tags=False,
        load_remote_stylesheets=False,
    )
    try:
        inlined = str(inliner.inline(html))
    except ValueError as exc:
        raise EmailRenderError(f"the email's CSS could not be inlined: {exc}") from None
    # What is left of the inlined block are rules no element matched.
    return _INLINED_BLOCK.sub("", inlined).rstrip("\n") + "\n"
