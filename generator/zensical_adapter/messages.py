"""Zensical's output, told in sofs's words: its warnings (each with the generated page and
line it points at) and the reason a failed build gives, with the template it names.

Zensical writes coloured, boxed reports for people at a terminal and, when a build
fails, a Python traceback; none of that is shown as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

_COLOUR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(r"^\s*Warning:\s*(.+?)\s*$")
_BOX_LOCATION = re.compile(r"\[\s*([^\]\s][^\]]*?):(\d+)(?::\d+)?\s*\]")
_FAILURE = re.compile(r"^(?:[\w.]+\.)?(\w*(?:Error|Exception)):\s*(.*)$")
_TEMPLATE_AT = re.compile(r"\(in ([^()]+?):(\d+)\)")
_TEMPLATE_ERROR = re.compile(r'error in "([^"]+)"')


def plain(text: str) -> str:
    """`text` without terminal colour codes."""
    return _COLOUR.sub("", text)


def warnings_of(output: str) -> list[str]:
    """Zensical's warnings in `output`, each as `generated page NAME, line N: what`."""
    lines = plain(output).splitlines()
    found: list[str] = []
    for number, line in enumerate(lines):
        match = _WARNING.match(line)
        if not match:
            continue
        what = match.group(1)
        place = next(
            (m for later in lines[number + 1 : number + 3] if (m := _BOX_LOCATION.search(later))),
            None,
        )
        if place:
            found.append(f"Zensical: generated page {place.group(1)}, line {place.group(2)}: {what}")
        else:
            found.append(f"Zensical: {what}")
    return found


def failure_of(output: str, theme: Path, root: Path) -> str:
    """Why Zensical stopped, from its `output`, in plain words: the template it names (one
    of ours in `theme`, the project's theme folder inside `root`, or one of Zensical's own)
    and line, what went wrong, and what to do."""
    lines = [line.strip() for line in plain(output).splitlines() if line.strip()]
    reason = next(
        (m.group(2) or m.group(1) for line in reversed(lines) if (m := _FAILURE.match(line))),
        lines[-1] if lines else "it stopped without saying why",
    )
    located = _TEMPLATE_AT.findall(reason)
    if located or _TEMPLATE_ERROR.search(reason):
        name, line = located[-1] if located else (_TEMPLATE_ERROR.findall(reason)[-1], "")
        unlocated = _TEMPLATE_AT.sub("", reason)
        inner = _TEMPLATE_ERROR.split(unlocated)[-1].strip(" :") or unlocated.strip()
        ours = theme / name
        shown = ours.relative_to(root).as_posix() if ours.is_relative_to(root) else str(ours)
        where = shown if ours.is_file() else f"Zensical's own {name}"
        at = f", line {line}" if line else ""
        return (
            f"{where}{at}: Zensical could not use this template ({inner}). Zensical reads templates "
            "with its own engine, which lacks some of Python's string methods; write the template "
            "with Jinja filters both renderers know, or build with MkDocs (`sofs build`)"
        )
    return (
        f"Zensical could not build the site: {reason}. Build with MkDocs (`sofs build`) "
        "to publish meanwhile, and report this to the newsletter's maintainers"
    )
