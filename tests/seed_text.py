"""Issue 10 as printed (the seed), phrase by phrase, to compare a rendered issue 10 with.

Each non-empty line of the seed is a phrase, with what extraction added taken off: list
dashes and numbers, `**` around bold words. Left out: the printed title ("Signs of Safety
Newsletter", the site's name) and the page footers ("Adults and Children's Services", the
`organisation` setting). Headings printed in capitals may be shown in sentence case; the
README's "Sample content notes" list the headings the sample adds ("Measure 1" to
"Measure 5"), the only text allowed between two phrases."""

from __future__ import annotations

import html as entities
import re
from pathlib import Path

#: The seed text, kept with the tests.
SEED_COPY = Path(__file__).resolve().parent / "fixtures/seed/issue-010-as-printed.txt"
LEFT_OUT = {"Signs of Safety Newsletter", "Adults and Children's Services"}
#: Headings the sample adds to the seed (listed in the README's sample content notes).
ADDITIONS = ("Measure 1", "Measure 2", "Measure 3", "Measure 4", "Measure 5")
#: What may stand between two phrases besides whitespace: heading permalinks.
_FILLER = re.compile(r"[\s¶]*")


def visible_text(html: str) -> str:
    """The text a reader sees in `html`, its whitespace collapsed (links and marks kept as text)."""
    text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = re.sub(r"</?(?:a|abbr|em|strong|span|code)\b[^>]*>", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(entities.unescape(text).split())


def seed_phrases() -> list[tuple[str, bool]]:
    """Each phrase of the seed in order, with whether it was printed in capitals (a heading
    that may be shown in any case)."""
    phrases = []
    for raw in SEED_COPY.read_text(encoding="utf-8").splitlines():
        line = " ".join(raw.split())
        if not line or line in LEFT_OUT:
            continue
        line = re.sub(r"^- (?:\d\. )?", "", line).replace("**", "")
        phrases.append((line, line.upper() == line))
    return phrases


def differences(rendered: str) -> list[str]:
    """Where `rendered` (an issue's visible text, whitespace collapsed) leaves the seed: each
    phrase missing or out of order, and any text between two phrases that is not a listed
    addition. Empty when the rendered issue follows the seed."""
    problems: list[str] = []
    folded = rendered.casefold()
    cursor: int | None = None
    for phrase, capitals in seed_phrases():
        haystack, needle = (folded, phrase.casefold()) if capitals else (rendered, phrase)
        found = haystack.find(needle, cursor or 0)
        if found < 0:
            problems.append(f"missing or out of order: {phrase!r}")
            continue
        if cursor is not None:
            gap = rendered[cursor:found]
            for addition in ADDITIONS:
                gap = gap.replace(addition, " ", 1) if gap.strip(" ¶") == addition else gap
            if not _FILLER.fullmatch(gap):
                problems.append(f"text not in the seed before {phrase!r}: {gap.strip()!r}")
        cursor = found + len(needle)
    return problems
