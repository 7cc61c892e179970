"""Turning the email's HTML body into plain text that reads well on its own.

A small converter on `html.parser`: headings are underlined, lists keep their bullets
and numbers, and every link is written out in full after its text.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser

WIDTH = 76
_SPACE = re.compile(r"\s+")
_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "hr",
    "section",
    "header",
    "footer",
}
_SKIP = {"script", "style", "head", "title"}
_UNDERLINE = {"h1": "=", "h2": "-"}


@dataclass
class _Block:
    text: str
    tight: bool = False


@dataclass
class _List:
    ordered: bool
    number: int = 0


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.inline: list[str] = []
        self.lists: list[_List] = []
        self.links: list[str | None] = []
        self.link_text_start: list[int] = []
        self.heading: str | None = None
        self.quote_depth = 0
        self.pre_depth = 0
        self.skip_depth = 0
        self.bullet: str | None = None
        self.row: list[str] = []

    # -- collecting ------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = tag
        elif tag in ("ul", "ol"):
            self.lists.append(_List(ordered=tag == "ol"))
        elif tag == "li" and self.lists:
            current = self.lists[-1]
            current.number += 1
            self.bullet = f"{current.number}. " if current.ordered else "- "
        elif tag == "blockquote":
            self.quote_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "hr":
            self.blocks.append(_Block("-" * 20))
        elif tag == "br":
            self.inline.append("\n")
        elif tag == "a":
            self.links.append(values.get("href"))
            self.link_text_start.append(len(self.inline))
        elif tag == "img":
            alt = (values.get("alt") or "").strip()
            if alt:
                self.inline.append(f"[{alt}]")
        elif tag in ("td", "th") and self.inline:
            self.row.append(self._take_inline())

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            start = self.link_text_start.pop()
            text = _SPACE.sub(" ", "".join(self.inline[start:])).strip()
            written = _written_link(text, href)
            if written:
                self.inline.append(written)
            return
        if tag in ("td", "th"):
            self.row.append(self._take_inline())
            return
        if tag == "tr":
            cells = [c for c in self.row if c]
            self.row = []
            if cells:
                self.blocks.append(_Block(" | ".join(cells), tight=True))
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.inline.append(data)

    # -- writing ---------------------------------------------------------------------------
    def _take_inline(self) -> str:
        text = _SPACE.sub(" ", "".join(self.inline)).strip()
        self.inline = []
        return text

    def flush(self) -> None:
        """Write the text gathered so far as one block (paragraph, heading or list item)."""
        if self.pre_depth:
            raw = "".join(self.inline).strip("\n")
            self.inline = []
            if raw.strip():
                self.blocks.append(_Block("\n".join("    " + line for line in raw.split("\n"))))
            return
        lines = [_SPACE.sub(" ", part).strip() for part in "".join(self.inline).split("\n")]
        self.inline = []
        lines = [line for line in lines if line]
        if not lines:
            return
        indent = "  " * max(0, len(self.lists) - 1)
        quote = "> " * self.quote_depth
        if self.heading:
            title = textwrap.wrap(
                " ".join(lines), width=WIDTH, break_long_words=False, break_on_hyphens=False
            )
            mark = _UNDERLINE.get(self.heading)
            underline = ["".ljust(max(len(line) for line in title), mark)] if mark else []
            self.blocks.append(_Block("\n".join(title + underline)))
            self.heading = None
            return
        in_list = bool(self.lists)
        first = indent + (self.bullet or ("  " if in_list else ""))
        rest = indent + ("  " + " " * max(0, len(self.bullet or "") - 2) if in_list else "")
        wrapped: list[str] = []
        for number, line in enumerate(lines):
            wrapped += textwrap.wrap(
                line,
                width=WIDTH - len(quote),
                initial_indent=first if number == 0 else rest,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
        self.blocks.append(
            _Block("\n".join(quote + w for w in wrapped), tight=in_list and self.bullet is not None)
        )
        self.bullet = None

    def result(self) -> str:
        self.flush()
        out: list[str] = []
        for position, block in enumerate(self.blocks):
            if position:
                previous = self.blocks[position - 1]
                out.append("\n" if block.tight and previous.tight else "\n\n")
            out.append(block.text)
        return "".join(out).strip("\n") + "\n"


def _written_link(text: str, href: str | None) -> str:
    """What follows a link's text in plain text: its full address, unless the text is it."""
    if not href or href.startswith("#"):
        return ""
    if href.startswith("mailto:"):
        address = href[len("mailto:") :]
        if text in (address, href):
            return ""
        return f" ({address})" if "?" not in address else f" <{href}>"
    if text in (href, href.rstrip("/")):
        return ""
    return f" ({href})"


def html_to_text(html: str) -> str:
    """Plain text from an HTML fragment: headings underlined, links written out in full."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.result()
