"""Markdown nested too deeply to render.

The Markdown library reads each level of quoting (`>`) and of list items by calling
itself once more, so a line such as `> > > > ...` hundreds of levels deep exhausts
Python's stack in the middle of a build. No newsletter needs more than a few levels; a
line deeper than `MAX_LEVELS` is a located error, found before anything is rendered.
"""

from __future__ import annotations

import re

from ..basics.diagnostics import Diagnostic, error
from ..content.source_lines import SourceLines

MAX_LEVELS = 20
_MARKER = re.compile(r">|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")


def depth(line: str) -> int:
    """How many quote or list levels open at the start of `line`, counting every four
    columns of indentation as one more."""
    levels = 0
    rest = line.expandtabs(4)
    while True:
        stripped = rest.lstrip(" ")
        indent = len(rest) - len(stripped)
        marker = _MARKER.match(stripped)
        if marker is None:
            return levels + indent // 4
        levels += 1 + indent // 4
        rest = stripped[marker.end() :]
        rest = rest[1:] if rest.startswith(" ") else rest  # the one space after a marker


def scan_source(source: SourceLines) -> list[Diagnostic]:
    """Lines of one file that are nested too deeply."""
    problems: list[Diagnostic] = []
    for number, line in source.body_lines():
        levels = depth(line)
        if levels > MAX_LEVELS:
            problems.append(
                error(
                    source.path,
                    number,
                    "markdown.too-deep",
                    f"this line is nested {levels} levels deep (quotes `>`, list items or indents); "
                    f"at most {MAX_LEVELS} can be shown: remove the extra levels",
                )
            )
    return problems
