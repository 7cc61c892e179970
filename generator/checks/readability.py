"""Text analysis for plain language: prose from Markdown, sentences, syllables, Flesch.

Pure functions with no dependencies. Syllables are counted with a small English
heuristic (vowel groups, less a silent final e), which is what the Flesch formula was
designed around; it is close enough to rank texts and to spot long, hard sentences.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from ..content.markdown_scan import LineKind, find_links, scan_markdown

_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
# No class below may cross the character its pattern starts with (`<`, `{`): a line of
# thousands of unclosed `<` would otherwise be read to its end once per `<`.
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>]+>")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ATTR_LIST = re.compile(r"\{[:#.][^{}]*\}")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|^\s*>\s?")
_SKIP_LINE = re.compile(r"^\s*(?:\||!!!|\?\?\?|\*\[[^\]]+\]:|\[[^\]]+\]:\s|[-*_]{3,}\s*$)")
_MARKUP = re.compile(r"[*_`~]+|\\(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-.]*")
_VOWELS = re.compile(r"[aeiouy]+")
# A silent "magic e" before a suffix: safe-ty, late-ly, state-ment, safe-guarding.
_SILENT_E = re.compile(
    r"(?<=[aeiouy][^aeiouy])e(?=(?:ty|ly|ful|fully|ment|ments|less|ness|guard\w*|line|lines)$)"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose: its text, the 0-based body line it starts on, its words."""

    text: str
    line: int
    words: int


@dataclass(frozen=True)
class TextStats:
    """Counts and the Flesch reading ease of a piece of prose."""

    sentences: tuple[Sentence, ...]
    words: int
    syllables: int

    @property
    def reading_ease(self) -> float:
        """Flesch reading ease: 60 to 70 is plain English; below 30 is very hard."""
        if not self.words or not self.sentences:
            return 100.0
        return 206.835 - 1.015 * (self.words / len(self.sentences)) - 84.6 * (self.syllables / self.words)

    @property
    def words_per_sentence(self) -> float:
        return self.words / len(self.sentences) if self.sentences else 0.0

    def longest(self, count: int = 3) -> list[Sentence]:
        """The `count` longest sentences, longest first (earlier first on a tie)."""
        return sorted(self.sentences, key=lambda s: (-s.words, s.line))[:count]


class SyllableCounts:
    """Syllable counts remembered for one run: an archive repeats the same few thousand
    words, and a check reads every issue, so each word is worked out once."""

    def __init__(self) -> None:
        self._known: dict[str, int] = {}

    def of(self, word: str) -> int:
        """`syllables(word)`, worked out the first time this run meets the word."""
        count = self._known.get(word)
        if count is None:
            count = self._known[word] = syllables(word)
        return count


def syllables(word: str) -> int:
    """An estimate of the syllables in an English word (at least 1)."""
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 1 if any(ch.isdigit() for ch in word) else 0
    if len(letters) <= 3:
        return 1
    letters = _SILENT_E.sub("", letters)
    stem = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], letters)
    return max(len(_VOWELS.findall(stem)), 1)


def words(text: str) -> list[str]:
    """The words of a text (numbers count as words)."""
    return [w.rstrip(".-") for w in _WORD.findall(text)]


@dataclass(frozen=True)
class Block:
    """A block of prose (paragraph, list item, quote) and the 0-based line of each piece."""

    pieces: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.pieces)

    @functools.cached_property
    def _ends(self) -> tuple[int, ...]:
        """Where each piece ends in `text`, the joining space included (ascending)."""
        return tuple(itertools.accumulate(len(text) + 1 for _, text in self.pieces))

    def line_at(self, offset: int) -> int:
        """The line on which character `offset` of `text` stands (a binary search: a
        block of thousands of lines is looked up once per sentence)."""
        index = bisect.bisect_right(self._ends, offset)
        return self.pieces[min(index, len(self.pieces) - 1)][0]


def prose_blocks(markdown: str) -> list[Block]:
    """The reader-visible prose of Markdown as blocks; headings, code, tables and markup
    are left out."""
    scan = scan_markdown(markdown)
    openers = frozenset(scan.fence_openers)
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []

    def close() -> None:
        if any(piece.strip() for _, piece in current):
            blocks.append(Block(tuple(current)))
        current.clear()

    visible = scan.visible_text(keep_line_breaks=True).split("\n")
    for index, (line, kind) in enumerate(zip(visible, scan.kinds, strict=True)):
        if kind is LineKind.CODE:
            if index in openers:
                close()
            continue
        if not line.strip() or _HEADING.match(line) or _SKIP_LINE.match(line):
            close()
            continue
        if _BLOCK_START.match(line):
            close()
            line = _BLOCK_START.sub("", line)
        current.append((index, _plain(line)))
    close()
    return blocks


def _without_links(line: str) -> str:
    """The line with each image left out and each link replaced by its text."""
    pieces: list[str] = []
    position = 0
    for link in sorted(find_links(line), key=lambda link: link.start):
        if link.start < position:
            continue  # inside a link already replaced
        pieces += [line[position : link.start], " " if link.image else _without_links(link.text)]
        position = link.end
    return "".join([*pieces, line[position:]])


def _plain(line: str) -> str:
    line = _without_links(line)
    line = _AUTOLINK.sub(" ", line)
    line = _TAG.sub(" ", line)
    line = _ATTR_LIST.sub(" ", line)
    line = _MARKUP.sub("", line)
    return " ".join(line.split())


def split_sentences(block: str) -> list[tuple[int, str]]:
    """A block of prose split into sentences at `.`, `!` or `?` before a capital or digit,
    each with its offset in `block`."""
    found = []
    start = 0
    for match in [*_SENTENCE_END.finditer(block), None]:
        end = match.start() if match else len(block)
        piece = block[start:end]
        if piece.strip():
            found.append((start + len(piece) - len(piece.lstrip()), piece.strip()))
        if match:
            start = match.end()
    return found


def analyse(markdown: str, counts: SyllableCounts | None = None) -> TextStats:
    """Sentence, word and syllable counts of the prose in `markdown` (`counts` remembers
    words across the texts of one run)."""
    counts = counts or SyllableCounts()
    sentences: list[Sentence] = []
    total_words = total_syllables = 0
    for block in prose_blocks(markdown):
        for offset, text in split_sentences(block.text):
            found = words(text)
            if not found:
                continue
            sentences.append(Sentence(text, block.line_at(offset), len(found)))
            total_words += len(found)
            total_syllables += sum(counts.of(w) for w in found)
    return TextStats(tuple(sentences), total_words, total_syllables)


def ease_band(score: float) -> str:
    """Flesch's own description of a reading ease score."""
    bands = (
        (90, "very easy"),
        (80, "easy"),
        (70, "fairly easy"),
        (60, "plain English"),
        (50, "fairly difficult"),
        (30, "difficult"),
    )
    return next((name for floor, name in bands if score >= floor), "very difficult")
