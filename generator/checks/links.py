"""Link and image addresses that leave the content folder.

A content file may link to another content file (`../measures/1-keeping-children-safe.md`)
or to a web address. An address that climbs out of the content folder
(`../../secret.md`), names a file on this computer (`/etc/passwd`, `C:\\Users\\...`,
`file:///...`) or a network share (`\\\\server\\share`) cannot work on the published site and
may point at something private, so each one is a located error.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from ..basics.diagnostics import Diagnostic, error
from ..content.markdown_scan import autolinks, link_addresses, link_definition
from ..content.source_lines import SourceLines

# Anchored on an attribute name, so scanning a line takes time in proportion to its length.
_ATTRIBUTE = re.compile(
    r"\b(?:href|src|srcset|poster|data)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+)", re.IGNORECASE
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_FIX = (
    "put the file in the content folder (pictures in content/images/) and link to it with an address "
    "relative to this page, like ../images/plan.png"
)


def targets(line: str) -> Iterator[str]:
    """The link and image addresses written on one line of Markdown or HTML."""
    definition = link_definition(line)
    found = [
        *link_addresses(line),
        *([definition[1]] if definition is not None else []),
        *autolinks(line),
        *(match.group(1) for match in _ATTRIBUTE.finditer(line)),
    ]
    return (address.strip("<>\"'") for address in found)


def outside_reason(address: str, folder: str) -> str | None:
    """Why `address`, written in a file in `folder` (relative to the content folder), leaves
    the content folder, or None when it stays inside or is a web address."""
    raw = html.unescape(address).strip()
    if raw.startswith("\\\\"):
        return "points at a network share"
    plain = unquote(raw).replace("\\", "/")
    scheme = _SCHEME.match(plain)
    if scheme:
        name = scheme.group(1).lower()
        if name == "file":
            return "is a file: address on this computer, which readers cannot open"
        if len(name) == 1:
            return "is a file path on this computer"
        return None
    if plain.startswith("//") or plain.startswith("#") or not plain:
        return None
    if plain.startswith("/"):
        return "is an absolute path, which points at a file on this computer or breaks on the published site"
    path = re.split(r"[?#]", plain, maxsplit=1)[0]
    joined = posixpath.normpath(posixpath.join(folder or ".", path))
    if joined == ".." or joined.startswith("../"):
        return "points outside the content folder"
    return None


def scan_source(source: SourceLines, folder: str) -> list[Diagnostic]:
    """Addresses in one file's body that leave the content folder."""
    problems: list[Diagnostic] = []
    for number, line in source.body_lines():
        for address in targets(line):
            reason = outside_reason(address, folder)
            if reason:
                shown = address if len(address) <= 60 else address[:57] + "..."
                problems.append(
                    error(source.path, number, "path.outside", f'the address "{shown}" {reason}; {_FIX}')
                )
    return problems
