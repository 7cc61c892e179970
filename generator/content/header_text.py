"""Content checks for what becomes an email header: issue titles and the site's name.

An issue's title is the email's subject and the site's name is the sender's display name.
Any line break `str.splitlines` knows (CR, LF, U+2028 ...) or a NUL could end the header
early or smuggle in extra headers (CVE-2024-6923), and `=?` would be read as an encoded
word, so each is refused with the line to fix. `unsafe_part` is also what the email path
asks before it makes a message, so a value that slipped past the check never reaches a
recipient's ledger entry.
"""

from __future__ import annotations

from ..basics.diagnostics import Diagnostic, error
from ..basics.fields import line_break_in
from ..settings.reader import CONFIG_FILE
from .model import Site

_FORBIDDEN = {"\x00": "a NUL character", "=?": '"=?"'}


def unsafe_part(text: str) -> str | None:
    """What makes `text` unsafe in an email header, in words, or None when it is safe."""
    found = line_break_in(text)
    if found:
        return found
    for needle, name in _FORBIDDEN.items():
        if needle in text:
            return name
    return None


def header_problems(site: Site) -> list[Diagnostic]:
    """Issue titles and the site name that cannot be used in an email header."""
    problems: list[Diagnostic] = []
    for issue in site.issues:
        found = unsafe_part(issue.title)
        if found:
            problems.append(
                error(
                    issue.origin.path,
                    issue.origin.line_of("title"),
                    "email.header",
                    f"the title contains {found}, which cannot be used in an email subject; remove it",
                )
            )
    found = unsafe_part(site.settings.site_name)
    if found:
        line = site.settings.config_lines.get(("site_name",), 1)
        problems.append(
            error(
                CONFIG_FILE,
                line,
                "email.header",
                f'"site_name" contains {found}, which cannot be used as the email sender\'s name; remove it',
            )
        )
    return problems
