"""The privacy check: personal identifiers in content are located, masked diagnostics.

Stories about children and families must never carry a phone number, an NHS number, a
date of birth or a school. What readers get from every loaded file is searched
(`content.reader_text`): its paragraphs joined and normalised, front matter, comments,
code, link and image addresses, tags and the file's own name. A finding is reported on
the source line where it starts (the file's name: on the whole file). A reviewed false
positive is suppressed by a marker on that line or the line above (`<!-- sofs: allow
phone -->` in the body, `# sofs: allow phone` in the front matter) or by listing the text
under `privacy_allow` in mkdocs.yml; the mailbox is always allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.reader_text import ADDRESS_KINDS, Passage, normalised, reader_passages
from ..content.source_lines import SourceLines
from ..settings.reader import CONFIG_FILE
from .privacy_patterns import Finding, find_identifiers

KINDS = ("phone", "nhs-number", "ni-number", "postcode", "email", "date-of-birth", "school", "address")
WARNING_KINDS = frozenset({"school", "address"})
_MARKER = re.compile(r"sofs:\s*allow\s+([a-z][a-z\-]*(?:\s*,\s*[a-z][a-z\-]*)*)", re.IGNORECASE)
_ADVICE = {
    "school": 'a school can identify a child; write "their school" or "a local primary school" instead',
    "address": "an address can identify a family; leave it out or name only the area",
}


def allow_key(text: str) -> str:
    """A form of `text` for allow-list comparison: no case, spaces, dashes or brackets,
    and UK phone numbers in their national form (+44 20 ... as 020 ...)."""
    key = re.sub(r"[\s\-–()]", "", text.casefold())
    for prefix in ("+440", "+44", "00440", "0044"):
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            return "0" + key[len(prefix) :]
    return key


@dataclass(frozen=True)
class AllowList:
    """Texts that are safe to publish: exact entries, and whole email domains (`@domain`)."""

    entries: frozenset[str]
    domains: frozenset[str]

    @classmethod
    def of(cls, mailbox: str | None, entries: Iterable[str]) -> AllowList:
        texts = [*entries, *([mailbox] if mailbox else [])]
        return cls(
            frozenset(allow_key(t) for t in texts if not t.strip().startswith("@")),
            frozenset(t.strip().casefold() for t in texts if t.strip().startswith("@")),
        )

    def allows(self, finding: Finding) -> bool:
        if allow_key(finding.text) in self.entries:
            return True
        return finding.kind == "email" and "@" + finding.text.rpartition("@")[2].casefold() in self.domains


def markers(line: str) -> set[str]:
    """The kinds a `sofs: allow KIND, KIND` marker on `line` suppresses."""
    kinds: set[str] = set()
    for match in _MARKER.finditer(line):
        kinds.update(k.strip().lower() for k in match.group(1).split(","))
    return kinds


def _message(finding: Finding, in_front_matter: bool) -> str:
    marker = f"# sofs: allow {finding.kind}" if in_front_matter else f"<!-- sofs: allow {finding.kind} -->"
    what = f"likely {finding.masked}" if finding.kind in WARNING_KINDS else finding.masked
    advice = _ADVICE.get(finding.kind, "remove it before publishing")
    return (
        f"{what}: {advice}; if it is safe to publish, put `{marker}` on this line or the line "
        f"above, or add it to privacy_allow in {CONFIG_FILE}"
    )


def _file_name_message(
    finding: Finding, published: str = "the page's address, the sitemap and the feeds"
) -> str:
    return (
        f"{finding.masked} in the file's name, which is published in {published}: rename the "
        f"file without it; if it is safe to publish, add it to privacy_allow in {CONFIG_FILE}"
    )


_WORD_BREAKS = re.compile(r"[/\\._\-+=&?#,;:~|()\[\]{}'\"*!$]")


def passage_findings(passage: Passage) -> list[Finding]:
    """The identifiers in a passage of what readers get. In an address, a tag or a file
    name, `/`, `.`, `-`, `_` and other punctuation also separate words, so numbers and
    codes glued into them (`files/943-476-5919.pdf`) are found too."""
    if passage.kind == "address":  # only emails need the address as written
        found = (
            [f for f in find_identifiers(passage.text) if f.kind == "email"] if "@" in passage.text else []
        )
    else:
        found = find_identifiers(passage.text)
    if passage.kind not in ADDRESS_KINDS:
        return found
    loose = _WORD_BREAKS.sub(" ", passage.text)
    for finding in find_identifiers(loose, numbers_only=True):
        if not any(finding.start < f.end and f.start < finding.end for f in found):
            found.append(finding)
    return found


def file_name_problems(paths: Iterable[str], allow: AllowList) -> list[Diagnostic]:
    """The identifiers in the names of files the site copies as they are (pictures,
    PDFs): their names are published in addresses as the Markdown files' are."""
    problems: list[Diagnostic] = []
    for path in paths:
        name = normalised(path, "file-name")
        for finding in passage_findings(name) if name is not None else []:
            if not allow.allows(finding):
                report = warning if finding.kind in WARNING_KINDS else error
                message = _file_name_message(finding, "its web address and every page that links to it")
                problems.append(report(path, 0, f"privacy.{finding.kind}", message))
    return problems


def scan_source(source: SourceLines, allow: AllowList) -> list[Diagnostic]:
    """The privacy findings of one file, as diagnostics: its reader text, addresses and
    name are searched (`reader_passages`), and each finding is reported on the source line
    where it starts."""
    problems: list[Diagnostic] = []
    reported: set[tuple[str, int, int]] = set()
    located: list[tuple[int, int, Finding]] = []  # (line, source offset, finding)
    for passage in reader_passages(source):
        for finding in passage_findings(passage):
            if allow.allows(finding):
                continue
            line = passage.line_of(finding.start)
            offset = passage.source_offset(finding.start) if line else finding.start
            key = (finding.kind, line, offset)
            if key in reported:
                continue  # the same identifier read from two passages (text and address)
            reported.add(key)
            located.append((line, offset, finding))
    seen: Counter[tuple[int, str]] = Counter()
    for line, _, finding in sorted(located, key=lambda found: (found[0], found[1])):
        report = warning if finding.kind in WARNING_KINDS else error
        if line == 0:
            problems.append(report(source.path, 0, f"privacy.{finding.kind}", _file_name_message(finding)))
            continue
        here = markers(source.lines[line - 1])
        above = markers(source.lines[line - 2]) if line > 1 else set()
        if finding.kind in here | above:
            continue
        message = _message(finding, source.is_front_matter(line))
        seen[line, message] += 1
        if seen[line, message] > 1:  # the same mask twice on a line: keep both findings
            message += f" (finding {seen[line, message]} of this kind on the line)"
        problems.append(report(source.path, line, f"privacy.{finding.kind}", message))
    return problems
