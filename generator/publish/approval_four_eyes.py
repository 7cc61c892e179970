"""The four-eyes rule of `sofs publish`: the approver must not be the only author of the text.

The approver is who ran `sofs approve` for the approval the issue carries (its record in
the publication log, matched by `approved_sha256`); when that record is not on this
computer, the name in `approved_by` (before any comma and role). The authors come from
git (see `approval_authors`). Without git history the rule cannot be checked, and the
publication record says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..checks.approval_records import approval_with, publication_log
from ..content.model import Issue, Site
from .approval_authors import authorship, sole_author
from .identity import describe_identity


@dataclass(frozen=True)
class FourEyes:
    """What the rule found: the publication record's `four_eyes` field, a refusal (None:
    go ahead) and a few words for the approvals step."""

    record: dict[str, Any]
    refusal: str | None
    summary: str


def approver_of(site: Site, issue: Issue) -> dict[str, str]:
    """Who approved `issue`: their identity as `sofs approve` recorded it, else as written."""
    if issue.approved_sha256:
        record = approval_with(publication_log(site.settings), issue.number, issue.approved_sha256)
        approver = record.get("approver") if record else None
        if isinstance(approver, dict) and isinstance(approver.get("name"), str):
            return {str(k): str(v) for k, v in approver.items()}
    name = (issue.approved_by or "").partition(",")[0].strip()
    return {"name": name, "from": "front matter"}


def four_eyes_check(site: Site, issue: Issue, *, allow_self_approval: bool) -> FourEyes:
    """Apply the rule to `issue` (which carries an approval) and its stories."""
    paths = sorted({issue.origin.path, *(s.origin.path for s in site.stories_of(issue))})
    approver = approver_of(site, issue)
    found = authorship(site.settings.root, paths)
    record: dict[str, Any] = {
        "approver": approver,
        "authors": [author.as_dict() for author in found.authors],
        "uncommitted": list(found.uncommitted),
        "history": found.history or "git",
        "sole_author": False,
    }
    if not found.known:
        return FourEyes(record, None, f"four eyes not checked: {found.history}")
    who = describe_identity(approver) if approver.get("from") != "front matter" else approver["name"]
    if not sole_author(approver, found):
        names = _and_list([author.name for author in found.authors])
        return FourEyes(record, None, f"four eyes: written by {names}, approved by {who}")
    record["sole_author"] = True
    if allow_self_approval:
        return FourEyes(
            record,
            None,
            f"approved by {who}, its only author (--allow-self-approval: the publication log records it)",
        )
    changes = " and the changes not committed yet" if found.uncommitted else ""
    number = issue.number
    refusal = (
        f"issue {number} was approved by {who}, who is also the only author of its text in git (every "
        f"commit to {_and_list(paths)}{changes}): a second person must review what one person wrote. Ask "
        f"a colleague to review it and run `sofs approve {number}`, then publish again; only when no one "
        f"else can, run `sofs publish {number} --allow-self-approval`, and the publication log will record "
        "that the author approved their own work"
    )
    return FourEyes(record, refusal, "")


def _and_list(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
