"""The text readers get from one content file, as passages that checks can search.

A check that reads the Markdown source line by line misses what a browser, a feed reader
or a mail client shows: a number split over two lines of a paragraph, written with an
entity (`&#48;`), a non-breaking space pasted from Word, a zero-width character or
fullwidth digits. `reader_passages` reads a loaded file (`SourceLines`) once and returns
what a reader gets, each piece as a `Passage`:

- `text`, `heading`, `list-item`, `table-row`: a block of the body, its lines joined with a
  space, Markdown syntax (emphasis, code-span backticks, link and image brackets, HTML
  tags, list and quote markers, table pipes, backslash escapes) reduced to its text;
- `code`: one line of fenced code, as written; `comment`: the inside of an HTML comment
  (readers do not see it, but it is published in the page's source);
- `front-matter`: one front-matter entry (a key's line and its indented continuation
  lines, or one list item), YAML escapes such as `\\u00a0` decoded;
- `address`: a link or image address, a reference definition's address, an autolink, or
  a word of the text that holds a `/` or a `:`, percent-escapes decoded; `link-title`: a
  link's title; `markup`: one HTML tag with its attributes;
- `file-name`: the file's path, which reaches page addresses, the sitemap and the feeds.

Every passage is normalised the same way: HTML entities decoded, Unicode NFKC (fullwidth
digits become ASCII ones; so do other decimal digits), every kind of space (tab, line
break, non-breaking, narrow, figure, ideographic...) a plain space and runs of spaces
one, zero-width and other invisible format characters and soft hyphens removed. Each
character keeps where it came from: `Passage.line_of(offset)` is its 1-based source line
(0 for the file name). Reading takes time in proportion to the file's size.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from .markdown_scan import LineKind, code_spans, find_links, link_definition
from .source_lines import SourceLines

#: Passage kinds that are prose a reader reads (the rest are addresses, markup, names).
READING_KINDS = frozenset({"text", "heading", "list-item", "table-row", "code", "comment", "front-matter"})
#: Passage kinds that are addresses or names, where `/`, `.`, `-` and `_` separate words.
ADDRESS_KINDS = frozenset({"address", "markup", "file-name"})


@dataclass(frozen=True)
class Passage:
    """One passage of what readers get: its `kind`, its normalised `text`, and where each
    character of the text came from in the source file.

    The text is cut into pieces; piece `i` starts at `text` offset `starts[i]` and came
    from source offset `sources[i]`, character for character when `exact[i]`, or all of it
    from that one place (a decoded entity, a replaced space) when not.
    """

    kind: str
    text: str
    starts: tuple[int, ...] = field(repr=False)
    sources: tuple[int, ...] = field(repr=False)
    exact: tuple[bool, ...] = field(repr=False)
    #: Source offset of each line's first character (shared by a file's passages); empty
    #: for a passage that has no line, such as the file's name.
    line_starts: tuple[int, ...] = field(repr=False, compare=False)

    def source_offset(self, offset: int) -> int:
        """The offset in the file's text that the character at `offset` came from."""
        if not self.starts:
            return 0
        piece = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        start = self.sources[piece]
        return start + (offset - self.starts[piece] if self.exact[piece] else 0)

    def line_of(self, offset: int) -> int:
        """The 1-based source line of the character at `offset` (0: the passage has no line)."""
        if not self.line_starts:
            return 0
        return bisect.bisect_right(self.line_starts, self.source_offset(offset))

    @property
    def lines(self) -> tuple[int, ...]:
        """The source lines the passage runs over, first to last (empty for no line)."""
        if not self.line_starts or not self.text:
            return ()
        return tuple(range(self.line_of(0), self.line_of(len(self.text) - 1) + 1))


# -- Normalising text, with each character's origin -------------------------------------

_ENTITY = r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});?"
# Entities, anything outside printable ASCII (line breaks, tabs, other scripts), runs of spaces.
_SPECIAL = re.compile(rf"{_ENTITY}|[^\x20-\x7e]+|  +")
_SPECIAL_ADDRESS = re.compile(rf"{_ENTITY}|(?:%[0-9A-Fa-f]{{2}})+|[^\x20-\x7e]+|  +")
_YAML_ESCAPE = r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[_NLP0abtnvfre ])"
_SPECIAL_YAML = re.compile(rf"{_YAML_ESCAPE}|{_ENTITY}|[^\x20-\x7e]+|  +")
_YAML_NAMED = {
    "_": "\u00a0",
    "N": "\u0085",
    "L": "\u2028",
    "P": "\u2029",
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
}


def normal_character(character: str) -> str:
    """What one character reads as: NFKC, a plain space for any space, nothing for an
    invisible format or control character (zero-width, soft hyphen, direction marks), and
    an ASCII digit for any decimal digit."""
    if character.isspace() or unicodedata.category(character) in ("Zs", "Zl", "Zp"):
        return " "
    if unicodedata.category(character) in ("Cf", "Cc"):
        return ""
    folded = unicodedata.normalize("NFKC", character)
    if len(folded) == 1 and folded == character and folded.isascii():
        return folded
    out = []
    for part in folded:
        if part.isspace():
            out.append(" ")
        elif unicodedata.category(part) in ("Cf", "Cc"):
            continue
        elif not part.isascii() and (digit := unicodedata.decimal(part, None)) is not None:
            out.append(str(digit))
        else:
            out.append(part)
    return "".join(out)


class _Builder:
    """A passage's text and origins, built piece by piece, with spaces collapsed."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.sources: list[int] = []
        self.exact: list[bool] = []
        self.length = 0
        self.ends_in_space = True  # no leading space

    def add(self, text: str, source: int, exact: bool) -> None:
        if not text:
            return
        if self.ends_in_space and text[0] == " ":
            text, source = text[1:], source + 1 if exact else source
            if not text:
                return
        if (
            exact
            and self.exact
            and self.exact[-1]
            and self.sources[-1] + (self.length - self.starts[-1]) == source
        ):
            self.texts.append(text)  # continues the last exact piece
        else:
            self.texts.append(text)
            self.starts.append(self.length)
            self.sources.append(source)
            self.exact.append(exact)
        self.length += len(text)
        self.ends_in_space = text[-1] == " "

    def add_normalised(self, raw: str, source: int, special: re.Pattern[str] = _SPECIAL) -> None:
        """Add `raw` (which starts at `source` in the file), normalised."""
        position = 0
        for match in special.finditer(raw):
            start, end = match.span()
            if start > position:
                self.add(raw[position:start], source + position, True)
            self._add_special(match.group(0), source + start)
            position = end
        if position < len(raw):
            self.add(raw[position:], source + position, True)

    def _add_special(self, found: str, source: int) -> None:
        first = found[0]
        if first == " ":
            self.add(" ", source, True)
        elif first == "&":
            decoded = html.unescape(found)
            if decoded == found:
                self.add(found, source, True)
            else:
                self.add("".join(normal_character(c) for c in decoded), source, False)
        elif first == "%":
            decoded = urllib.parse.unquote(found, errors="replace")
            self.add("".join(normal_character(c) for c in decoded), source, False)
        elif first == "\\":
            self.add("".join(normal_character(c) for c in _yaml_unescape(found)), source, False)
        else:
            for index, character in enumerate(found):
                normal = normal_character(character)
                self.add(normal, source + index, len(normal) == 1)

    def passage(self, kind: str, line_starts: tuple[int, ...]) -> Passage | None:
        text = "".join(self.texts)
        if text.endswith(" "):
            text = text[:-1]
        if not text.strip():
            return None
        return Passage(kind, text, tuple(self.starts), tuple(self.sources), tuple(self.exact), line_starts)


def _yaml_unescape(escape: str) -> str:
    if escape[1] in "xuU":
        try:
            return chr(int(escape[2:], 16))
        except (ValueError, OverflowError):
            return escape
    return _YAML_NAMED.get(escape[1], escape)


def normalised(raw: str, kind: str = "text", source: int = 0) -> Passage | None:
    """`raw` normalised as a passage of `kind` with no source lines (None if blank)."""
    builder = _Builder()
    builder.add_normalised(raw, source, _SPECIAL_ADDRESS if kind in ADDRESS_KINDS else _SPECIAL)
    return builder.passage(kind, ())


# -- Reading the body as blocks ---------------------------------------------------------

_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?[ \t]*)*")
_HEADING = re.compile(r"#{1,6}(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_LIST_MARKER = re.compile(r"(?P<marker>[-*+]|(?P<number>\d{1,9})[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)")
_RULE = re.compile(r"[ \t]*(?:>[ \t]*)*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9\-]*(?:[\s/][^<>]*)?>")
_BREAKING_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|td|th|tr|table|thead|tbody|h[1-6]|hr|blockquote|section|article|"
    r"header|footer|details|summary|figure|figcaption|dd|dt|dl|pre)\b",
    re.IGNORECASE,
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_EMPHASIS = re.compile(r"\*+|_+|~~+")
_PIPE = re.compile(r"(?<!\\)\|")
_WORD = r"[^\s<>()\[\]\"'`|]"
# A word holding a `/`, or a `:` with more of the word after it (`tel:...`, `https://...`).
_WORD_WITH_SEPARATOR = re.compile(rf"(?<!{_WORD})[^\s<>()\[\]\"'`|/:]*(?:/|:(?={_WORD})){_WORD}*")
_BRACKET_ADDRESS = "]("
_MARKUP = "[`*_<\\~|"
_INLINE_MARKUP = re.compile(r"[\[\]`*_<>\\~]")
#: Markup characters in one block beyond which its Markdown is not read, only normalised:
#: far more than any page that builds holds (the Markdown limits check refuses a block
#: with more than a few hundred pieces of markup), and it keeps reading such a block cheap.
MARKUP_BUDGET = 20_000


@dataclass
class _Block:
    kind: str
    first: int  # 0-based line indexes
    last: int


def _blocks(source: SourceLines) -> list[_Block]:
    """The body's blocks of text: paragraphs, headings, list items, table rows."""
    scan = source.scan
    blocks: list[_Block] = []
    current: _Block | None = None
    in_table = False
    for index, (line, kind) in enumerate(zip(scan.lines, scan.kinds, strict=True)):
        if kind is not LineKind.TEXT or not line.strip():
            current, in_table = None, False
            continue
        inner = line[_QUOTE.match(line).end() :]  # type: ignore[union-attr]
        header = current if current is not None and current.first == current.last else None
        if "|" in line and header is not None and _TABLE_DELIMITER.fullmatch(inner):
            header.kind, in_table = "table-row", True
            current = None
            continue
        if in_table:
            blocks.append(_Block("table-row", index, index))
            continue
        if _RULE.fullmatch(line):
            current = None
            continue
        if _HEADING.match(inner):
            blocks.append(_Block("heading", index, index))
            current = None
            continue
        marker = _LIST_MARKER.match(inner)
        # In a paragraph, only a bullet or "1." with text after it starts a list.
        starts_item = marker is not None and (
            current is None
            or current.kind == "list-item"
            or (marker.group("number") in (None, "1") and marker.end() < len(inner))
        )
        if current is None or starts_item:
            current = _Block("list-item" if starts_item else "text", index, index)
            blocks.append(current)
        else:
            current.last = index
    return blocks


class _Reader:
    """One file read into passages."""

    def __init__(self, source: SourceLines) -> None:
        self.source = source
        self.scan = source.scan
        self.text = self.scan.text
        self.line_starts = tuple(
            itertools.accumulate((len(line) + 1 for line in self.scan.lines[:-1]), initial=0)
        )
        self.comment_starts = [start for start, _ in self.scan.comments]
        self.passages: list[Passage] = []

    def build(self, kind: str, raw: str, source: int, special: re.Pattern[str] = _SPECIAL) -> None:
        builder = _Builder()
        builder.add_normalised(raw, source, special)
        passage = builder.passage(kind, self.line_starts)
        if passage is not None:
            self.passages.append(passage)

    def address(self, start: int, end: int, kind: str = "address") -> None:
        """A passage for the address at file offsets start..end."""
        self.build(kind, self.text[start:end], start, _SPECIAL_ADDRESS)

    def read(self) -> list[Passage]:
        self.read_file_name()
        self.read_front_matter()
        self.read_code_and_comments()
        for block in _blocks(self.source):
            self.read_block(block)
        return self.passages

    def read_file_name(self) -> None:
        builder = _Builder()
        builder.add_normalised(self.source.path, 0, _SPECIAL_ADDRESS)
        passage = builder.passage("file-name", ())
        if passage is not None:
            self.passages.append(passage)

    def read_front_matter(self) -> None:
        entry: list[int] = []
        for index, kind in enumerate(self.scan.kinds):
            if kind is not LineKind.FRONT_MATTER:
                break
            line = self.scan.lines[index]
            if line.strip() in ("---", "...", ""):
                self.front_matter_entry(entry)
                entry = []
                continue
            continues = line.startswith((" ", "\t")) and not line.lstrip().startswith("- ")
            if entry and not continues:
                self.front_matter_entry(entry)
                entry = []
            entry.append(index)
        self.front_matter_entry(entry)

    def front_matter_entry(self, entry: list[int]) -> None:
        if not entry:
            return
        start = self.line_starts[entry[0]]
        end = self.line_starts[entry[-1]] + len(self.scan.lines[entry[-1]])
        self.build("front-matter", self.text[start:end], start, _SPECIAL_YAML)
        self.words_with_separators(start, end)

    def read_code_and_comments(self) -> None:
        for index, kind in enumerate(self.scan.kinds):
            if kind is LineKind.CODE:
                start = self.line_starts[index]
                self.build("code", self.scan.lines[index], start)
                self.words_with_separators(start, start + len(self.scan.lines[index]))
        for start, end in self.scan.comments:
            inner_end = end - 3 if self.text.startswith("-->", end - 3) else end
            self.build("comment", self.text[start + 4 : inner_end], start + 4)
            self.bracket_addresses(start + 4, inner_end)
            self.words_with_separators(start + 4, inner_end)

    def words_with_separators(self, start: int, end: int) -> None:
        """Address passages for the words of text[start:end] that hold a `/` or a `:`."""
        chunk = self.text[start:end]
        if "/" not in chunk and ":" not in chunk:
            return
        for match in _WORD_WITH_SEPARATOR.finditer(chunk):
            self.address(start + match.start(), start + match.end())

    def bracket_addresses(self, start: int, end: int, hidden: bytearray | None = None) -> None:
        """Address passages for what follows each `](` up to the next `)`, however it is
        written (a lenient renderer accepts spaces in it)."""
        chunk = self.text[start:end]
        closing = -1
        position = chunk.find(_BRACKET_ADDRESS)
        while position >= 0:
            opened = position + 2
            if hidden is None or not hidden[position]:
                if closing < opened:
                    closing = chunk.find(")", opened)
                if closing < 0:
                    return
                self.address(start + opened, start + closing)
            position = chunk.find(_BRACKET_ADDRESS, opened)

    def comments_in(self, base: int, end: int) -> list[tuple[int, int, str]]:
        """The parts of file offsets base..end inside HTML comments, relative to base, as
        edits that remove them."""
        found: list[tuple[int, int, str]] = []
        index = max(bisect.bisect_right(self.comment_starts, base) - 1, 0)
        comments = self.scan.comments
        while index < len(comments) and comments[index][0] < end:
            comment_start, comment_end = comments[index]
            if comment_end > base:
                found.append((max(comment_start, base) - base, min(comment_end, end) - base, ""))
            index += 1
        return found

    def prefix_edits(self, block: _Block, base: int) -> list[tuple[int, int, str]]:
        """Edits that remove each line's quote and list markers and a heading's hashes."""
        edits: list[tuple[int, int, str]] = []
        lines = self.scan.lines
        for index in range(block.first, block.last + 1):
            at = self.line_starts[index] - base
            line = lines[index]
            quote = _QUOTE.match(line).end()  # type: ignore[union-attr]
            prefix = quote
            if block.kind == "heading" and (heading := _HEADING.match(line, quote)) is not None:
                prefix = heading.end()
                closing = _CLOSING_HASHES.search(line)
                if closing is not None and closing.start() >= prefix:
                    edits.append((at + closing.start(), at + len(line), ""))
            elif index == block.first and block.kind == "list-item":
                marker = _LIST_MARKER.match(line, quote)
                prefix = marker.end() if marker is not None else quote
            if prefix:
                edits.append((at, at + prefix, ""))
        return edits

    def emit(self, kind: str, raw: str, base: int, edits: list[tuple[int, int, str]]) -> None:
        """The passage of `raw` (at file offset `base`) with `edits` made, normalised."""
        builder = _Builder()
        position = 0
        for start, stop, replacement in _merged(edits):
            if start > position:
                builder.add_normalised(raw[position:start], base + position)
            builder.add(replacement, base + start, False)
            position = max(position, stop)
        if position < len(raw):
            builder.add_normalised(raw[position:], base + position)
        passage = builder.passage(kind, self.line_starts)
        if passage is not None:
            self.passages.append(passage)

    def read_block(self, block: _Block) -> None:
        lines = self.scan.lines
        base = self.line_starts[block.first]
        end = self.line_starts[block.last] + len(lines[block.last])
        raw = self.text[base:end]
        # Comments: gone from the text (read as passages of their own).
        edits = self.comments_in(base, end)
        self.words_with_separators(base, end)
        if not edits and _INLINE_MARKUP.search(raw) is None:  # plain text: the common case
            edits = self.prefix_edits(block, base)
            # A table's cells are read apart: each pipe is a space (the length is kept).
            self.emit(block.kind, raw.replace("|", " ") if block.kind == "table-row" else raw, base, edits)
            return
        if sum(raw.count(character) for character in _MARKUP) > MARKUP_BUDGET:
            # More markup than any page can build (the Markdown limits check refuses
            # it): normalised without reading its Markdown, so reading stays cheap.
            self.emit(block.kind, raw, base, edits)
            return
        hidden = bytearray(len(raw))
        for start, stop, _ in edits:
            hidden[start:stop] = b"\x01" * (stop - start)
        visible = raw
        if edits:
            pieces, position = [], 0
            for start, stop, _ in edits:
                pieces += [raw[position:start], " " * (stop - start)]
                position = stop
            visible = "".join([*pieces, raw[position:]])
        edits += self.prefix_edits(block, base)
        protected: list[tuple[int, int]] = []
        if "`" in visible:
            for start, stop in code_spans(visible):
                ticks = len(visible[start:stop]) - len(visible[start:stop].lstrip("`"))
                edits += [(start, start + ticks, ""), (stop - ticks, stop, "")]
                protected.append((start, stop))
        protected_starts = [start for start, _ in protected]

        def is_protected(position: int) -> bool:
            found = bisect.bisect_right(protected_starts, position) - 1
            return found >= 0 and position < protected[found][1]

        if block.kind == "table-row":
            edits += [
                (m.start(), m.end(), " ") for m in _PIPE.finditer(visible) if not is_protected(m.start())
            ]
        # Links and images: the text stays; brackets and addresses go, the addresses
        # become passages of their own.
        for link in find_links(visible):
            opened = link.start + 1 if link.image else link.start
            closed = opened + 1 + len(link.text)
            edits += [(link.start, opened + 1, ""), (closed, link.end, "")]
            if link.title:
                title_at = visible.find(link.title, closed)
                if title_at >= 0:
                    self.build("link-title", link.title, base + title_at)
        if "](" in visible:
            self.bracket_addresses(base, end, hidden)
        definition_lines = [
            index
            for index in range(block.first, block.last + 1)
            if "]:" in lines[index] and link_definition(lines[index]) is not None
        ]
        for index in definition_lines:
            at = self.line_starts[index] - base
            edits.append((at, at + len(lines[index]), " "))
            label_end = lines[index].find("]:") + 2
            self.address(base + at + label_end, base + at + len(lines[index]))
        if "<" in visible:
            for match in _AUTOLINK.finditer(visible):
                if not is_protected(match.start()):
                    edits += [(match.start(), match.start() + 1, ""), (match.end() - 1, match.end(), "")]
                    self.address(base + match.start(1), base + match.end(1))
            for match in _TAG.finditer(visible):
                if not is_protected(match.start()):
                    breaking = _BREAKING_TAG.match(match.group(0)) is not None
                    edits.append((match.start(), match.end(), " " if breaking else ""))
                    self.address(base + match.start(), base + match.end(), "markup")
        if "\\" in visible:
            edits += [
                (m.start(), m.start() + 1, "")
                for m in _ESCAPE.finditer(visible)
                if not is_protected(m.start())
            ]
        escaped = {m.start() + 1 for m in _ESCAPE.finditer(visible)} if "\\" in visible else set()
        for match in _EMPHASIS.finditer(visible):
            start, stop = match.span()
            if start in escaped or is_protected(start):
                continue
            before = visible[start - 1] if start else " "
            after = visible[stop] if stop < len(visible) else " "
            if match.group(0)[0] == "_":
                delimits = not (before.isalnum() and after.isalnum())
            else:
                delimits = not (before.isspace() and after.isspace())
            if delimits:
                edits.append((start, stop, ""))
        self.emit(block.kind, raw, base, edits)


def _merged(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The edits sorted, overlapping ones merged into the first (outermost) of them."""
    merged: list[tuple[int, int, str]] = []
    for start, stop, replacement in sorted(edits, key=lambda e: (e[0], -e[1])):
        if merged and start < merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop, merged[-1][2])
            continue
        merged.append((start, stop, replacement))
    return merged


def reader_passages(source: SourceLines) -> list[Passage]:
    """What readers get from `source`, as passages in the order they start in the file
    (the file's name first; see the module's docstring for the kinds). Each passage's `line_of` gives the source line of any
    character of its text."""
    passages = _Reader(source).read()
    return sorted(passages, key=lambda passage: -1 if not passage.line_starts else passage.sources[0])
