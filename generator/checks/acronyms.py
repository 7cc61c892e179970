"""Acronyms used in issues and stories must be in `content/acronyms.md`, so every reader
can find out what they mean."""

from __future__ import annotations

import re

from ..basics.diagnostics import Diagnostic, warning
from ..content.model import Issue, Story
from ..content.tool_mentions import prose_segments
from .examples import MARKER_OPENING
from .heading_ids import heading_lines

_ACRONYM = re.compile(r"(?<![\w.])(?=[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z])[A-Z0-9]{2,}(?![\w])")


def item_acronyms(item: Issue | Story, known: frozenset[str]) -> list[Diagnostic]:
    """A warning for the first use in one issue or story of each acronym not in `known`."""
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    headings = heading_lines(item.body)  # "## WELCOME" is a heading in capitals, not an acronym
    for index, text in prose_segments(item.body):
        if index in headings:
            continue
        # Example markers are reported by `checks.examples`; their keyword is no acronym.
        for match in _ACRONYM.finditer(MARKER_OPENING.sub(" ", text)):
            acronym = match.group(0)
            if acronym in known or acronym in seen:
                continue
            seen.add(acronym)
            problems.append(
                warning(
                    item.origin.path,
                    item.origin.body_first_line + index,
                    "acronym.undefined",
                    f'"{acronym}" is not in content/acronyms.md; add a line like '
                    f"`{acronym}: what it stands for` under `acronyms:` so readers can see its meaning",
                )
            )
    return problems
