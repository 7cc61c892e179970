"""What an approval covers: the SHA-256 that `sofs approve` writes as `approved_sha256`.

The approved text is the issue file and the file of each of its team stories (every story
with `issue: N`). Each file is taken as sofs reads it (UTF-8 without a byte-order mark,
every line ending as one line feed), so a checkout that only changes line endings does
not void an approval. In the issue file, these front-matter lines are left out, each
with the indented lines that continue it:

- `approved_by`, `approved_on` and `approved_sha256`: writing the approval must not void it;
- `status`: marking the issue ready, or `sofs publish` marking it published, is not an
  edit of what was approved.

Then:

    file_sha256  = SHA-256 of the file's remaining lines joined with "\\n", in UTF-8
    manifest     = one line "<file_sha256>  <path>\\n" per file, in path order (the paths as
                   sofs shows them, like content/feedback/first-contact-story.md), then
                   "approved_by: <its value>\\n" and "approved_on: <YYYY-MM-DD>\\n"
    approved_sha256 = SHA-256 of the manifest, in UTF-8

So any change to the issue, to a story, a story added to or taken from the issue, a
file renamed, or a hand edit of `approved_by` or `approved_on` gives another value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ..content.model import Issue, Site
from ..content.source_lines import SourceLines

#: The issue's front-matter fields that an approval does not cover (see the module's notes).
NOT_COVERED = ("approved_by", "approved_on", "approved_sha256", "status")
_KEY_LINE = re.compile(r"""^(["']?)([A-Za-z_][\w-]*)\1[ \t]*:(?:[ \t]|$)""")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def is_digest(text: str) -> bool:
    """Whether `text` has the shape of an `approved_sha256` value (64 lowercase hex digits)."""
    return _HEX64.fullmatch(text) is not None


def left_out_lines(lines: Sequence[str], body_start: int, keys: Sequence[str] = NOT_COVERED) -> set[int]:
    """The 1-based front-matter lines of `keys` (at the left margin) and the indented lines
    that continue them. `body_start` is the body's first line; the front matter ends before it."""
    closing = body_start - 1  # the closing `---`
    found: set[int] = set()
    inside = False
    for number in range(2, min(closing, len(lines) + 1)):
        line = lines[number - 1]
        if line[:1] in (" ", "\t"):
            if inside:
                found.add(number)
            continue
        match = _KEY_LINE.match(line)
        inside = match is not None and match.group(2) in keys
        if inside:
            found.add(number)
    return found


def text_sha256(lines: Sequence[str], leave_out: Collection[int] = ()) -> str:
    """The SHA-256 of `lines` without the 1-based lines in `leave_out`, joined with line feeds."""
    kept = (line for number, line in enumerate(lines, start=1) if number not in leave_out)
    return hashlib.sha256("\n".join(kept).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ApprovalDigest:
    """What an approval of one issue covers: each file's SHA-256, and the approval's own."""

    files: tuple[tuple[str, str], ...]  # (path, file_sha256), in path order
    sha256: str

    def changes_from(self, approved: Mapping[str, str]) -> tuple[list[str], list[str], list[str]]:
        """The files changed, added and removed since the files in `approved` (path to SHA-256)."""
        now = dict(self.files)
        changed = [path for path, value in self.files if path in approved and approved[path] != value]
        added = [path for path in now if path not in approved]
        removed = [path for path in approved if path not in now]
        return changed, added, removed


def manifest_sha256(
    files: Sequence[tuple[str, str]], approved_by: str | None, approved_on: dt.date | None
) -> str:
    """The approval's SHA-256 from each file's, as the module's notes define it."""
    parts = [f"{value}  {path}\n" for path, value in sorted(files)]
    parts.append(f"approved_by: {approved_by or ''}\n")
    parts.append(f"approved_on: {approved_on.isoformat() if approved_on else ''}\n")
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def sources_by_path(site: Site) -> dict[str, SourceLines]:
    """The lines of every loaded file, by path (to look up many issues' files at once)."""
    return {source.path: source for source in site.sources}


def approval_digest(
    site: Site,
    issue: Issue,
    *,
    approved_by: str | None,
    approved_on: dt.date | None,
    sources: Mapping[str, SourceLines] | None = None,
) -> ApprovalDigest | None:
    """What approving `issue` now, by `approved_by` on `approved_on`, covers; None when one of
    its files was not read (it could not be loaded, so it cannot be approved either)."""
    sources = sources if sources is not None else sources_by_path(site)
    files: list[tuple[str, str]] = []
    for path in sorted({issue.origin.path, *(story.origin.path for story in site.stories_of(issue))}):
        source = sources.get(path)
        if source is None:
            return None
        leave_out = left_out_lines(source.lines, source.body_start) if path == issue.origin.path else ()
        files.append((path, text_sha256(source.lines, leave_out)))
    return ApprovalDigest(tuple(files), manifest_sha256(files, approved_by, approved_on))
