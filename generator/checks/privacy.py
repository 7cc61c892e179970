"""The privacy check: personal identifiers in content are located, masked diagnostics.

Stories about children and families must never carry a phone number, an NHS number, a
date of birth or a school. Every line of every loaded file is scanned, front matter and
comments included. A reviewed false positive is suppressed by a marker on its line or
the line above (`<!-- sofs: allow phone -->` in the body, `# sofs: allow phone` in the
front matter) or by listing the text under `privacy_allow` in mkdocs.yml; the mailbox is
always allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, error, warning
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


def scan_source(source: SourceLines, allow: AllowList) -> list[Diagnostic]:
    """The privacy findings of one file, as diagnostics."""
    problems: list[Diagnostic] = []
    previous: set[str] = set()
    for number, line in source.numbered():
        here = markers(line)
        suppressed = here | previous
        previous = here
        seen: Counter[str] = Counter()
        for finding in find_identifiers(line):
            if finding.kind in suppressed or allow.allows(finding):
                continue
            report = warning if finding.kind in WARNING_KINDS else error
            message = _message(finding, source.is_front_matter(number))
            seen[message] += 1
            if seen[message] > 1:  # the same mask twice on a line: keep both findings
                message += f" (finding {seen[message]} of this kind on the line)"
            problems.append(report(source.path, number, f"privacy.{finding.kind}", message))
    return problems
