"""The build's email copies: `email/NNN.html` and `email/NNN.txt` for each shown issue.

These are the exact bodies subscribers get, published for reference beside the site. The
`.eml` file is not published: it carries a Message-ID that changes every render, and
builds must be byte-for-byte reproducible. No subscriber data is ever involved.

Rendering an email is a good part of a build's work, so each is kept in the build cache
under a key of everything it is made from (`cache_keys.EmailKeys`, and the sizes of the
site's pictures, which the email's `<img width>` come from): a rebuild renders again only
the emails whose issue, stories or shared inputs changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from ..cache.keys import EmailKeys
from ..cache.store import fingerprint
from ..content.model import Issue
from ..content.visibility import Visibility
from .context import BuildContext
from .email_render import EmailRenderError, picture_size, render_issue

SHELF = "emails"
#: Where `sofs check` keeps the preview emails of drafts and future issues, which no
#: ordinary build publishes.
PREVIEW_SHELF = "email-previews"
#: Where a build that shows drafts (`sofs serve`, `sofs build --drafts`) keeps its copies:
#: a shelf of its own, because `sofs check` keeps only the published copies on `SHELF`
#: and would otherwise delete these on every check.
DRAFTS_SHELF = "email-drafts"
#: The folder of the site that holds the email copies.
EMAIL_FOLDER = "email"
#: Files whose size an email's pictures take (`email_render.fit_for_email`).
PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp"})


def email_file_name(number: int, suffix: str) -> str:
    """The name of issue `number`'s email file of one kind (`.html`, `.txt`, `.eml`)."""
    return f"{number:03d}{suffix}"


def email_copy_paths(number: int) -> tuple[str, str]:
    """Where issue `number`'s email copies (HTML, plain text) are, relative to the site folder."""
    return (
        f"{EMAIL_FOLDER}/{email_file_name(number, '.html')}",
        f"{EMAIL_FOLDER}/{email_file_name(number, '.txt')}",
    )


def email_copies(context: BuildContext) -> Mapping[str, bytes]:
    """Every shown issue's email HTML and text, by path under `site/`; raises
    `EmailRenderError`, located at the issue's file, when one cannot be made."""
    outputs: dict[str, bytes] = {}
    if not context.settings.site_url or not context.settings.mailbox:
        return outputs
    shelf = DRAFTS_SHELF if context.visibility.include_drafts else SHELF
    emails = EmailCopies(context, shelf)
    for issue in context.relations.issues:
        try:
            html, text = emails.of(issue)
        except EmailRenderError as exc:
            raise EmailRenderError(f"{issue.origin.path}:{issue.origin.body_first_line}: {exc}") from None
        html_path, text_path = email_copy_paths(issue.number)
        outputs[html_path], outputs[text_path] = html, text
    context.cache.prune([shelf])
    return outputs


class EmailCopies:
    """Issues' email HTML and text under the context's visibility, from the build cache
    when kept.

    `sofs check` asks for every issue's copy to measure it, so the build that follows
    finds the emails it publishes already made."""

    def __init__(self, context: BuildContext, shelf: str = SHELF) -> None:
        self.context = context
        self.shelf = shelf
        self._keys: EmailKeys | None = None
        self._pictures: str | None = None

    @property
    def visibility(self) -> Visibility:
        """The rule deciding which stories the emails show."""
        return self.context.visibility

    def _key(self, issue: Issue) -> str:
        if self._keys is None:  # worked out only when the cache is on and asks for a key
            self._keys = EmailKeys(self.context.site, self.context.visibility, self.context.cache.code)
            self._pictures = pictures_fingerprint(self.context)
        return fingerprint(self._keys.of(issue), self._pictures or "")

    def _render(self, issue: Issue) -> tuple[bytes, bytes]:
        rendered = render_issue(self.context, issue)
        return rendered.html.encode("utf-8"), rendered.text.encode("utf-8")

    def of(self, issue: Issue) -> tuple[bytes, bytes]:
        """The email's HTML and text; raises `EmailRenderError` when it cannot be made."""
        return self.context.cache.remember(
            self.shelf, partial(self._key, issue), partial(self._render, issue), _pack, _unpack
        )


def pictures_fingerprint(context: BuildContext) -> str:
    """A hash of the name and size of every picture in the content folder."""
    root = context.settings.content_root
    parts: list[str] = []
    if root.is_dir():
        for path in sorted(
            p for p in root.rglob("*") if p.suffix.lower() in PICTURE_SUFFIXES and p.is_file()
        ):
            parts += [path.relative_to(root).as_posix(), repr(picture_size(path))]
    return fingerprint(*parts)


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
