"""`sofs approve N`: sign an issue off as an act, recorded with exactly what was approved.

It checks the issue and its team stories as strictly as a ready issue (an edit made after
approving voids the approval, so what is approved must be finished), then:

1. records the approval in the publication log (`"event": "approval"`, hash-chained with
   the publications, see `audit_log`): who approved (their git identity where the project
   is a git checkout with `user.name` set, else their login), when, the approval's
   SHA-256 and each approved file's (see `checks.approval_digest`);
2. writes `approved_by` (the approver's name, and their role when given), `approved_on`
   (today) and `approved_sha256` into the issue's front matter, changing only those lines.

`sofs check` then reports any later edit of the issue or its stories, and `sofs publish`
refuses when the approver is the only author of the text (see `approval_authors`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..basics.diagnostics import Report, shown_path
from ..basics.fields import one_line_problem
from ..basics.wording import long_date
from ..checks.approval_digest import ApprovalDigest, approval_digest, left_out_lines, text_sha256
from ..checks.approval_records import APPROVAL_EVENT
from ..checks.approvals import issue_approval_problems
from ..checks.project import check_site
from ..content.loader import load_site
from ..content.model import Issue, Site
from ..content.source_file import decode
from ..content.visibility import Visibility, today_in
from ..generate.context import BuildContext
from ..settings.reader import CONFIG_FILE, load_settings
from .approval_authors import authorship, sole_author
from .approval_lines import SignOffLinesError, apply_sign_off, plan_sign_off
from .audit_log import append_record, log_path
from .identity import describe_identity, who_ran

EXIT_OK, EXIT_PROBLEMS = 0, 1
_DELIMITER = re.compile(r"-{3,}\s*")


class _Refused(Exception):
    """The approval is not recorded; the message says why and what to do."""


def approve(root: Path, number: int, *, role: str | None = None, today: dt.date | None = None) -> int:
    """Approve issue `number` of the project in `root` as the person running sofs; returns
    the exit status. `today` fixes the day (otherwise the clock's, in the site's time zone);
    the caller holds the project's lock."""
    try:
        return _approve(root, number, role, today)
    except _Refused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return EXIT_PROBLEMS


def approver_text(identity: dict[str, str], role: str | None) -> str:
    """What `approved_by` says: the approver's name, and their role after a comma when given."""
    return f"{identity['name']}, {role.strip()}" if role and role.strip() else identity["name"]


def _approve(root: Path, number: int, role: str | None, fixed_today: dt.date | None) -> int:
    if role is not None and (not role.strip() or one_line_problem(role)):
        raise _Refused('--role should be your role on one line, like --role "Head of Service"')
    settings, setting_problems = load_settings(root)
    site, load_problems = load_site(settings)
    issue = next((i for i in site.issues if i.number == number), None)
    if issue is None:
        errors = Report.of(d for d in (*setting_problems, *load_problems) if d.severity == "error")
        if errors.diagnostics:
            sys.stdout.write(errors.as_text())
            raise _Refused(f"issue {number} could not be read; fix the problems above and try again")
        known = ", ".join(str(i.number) for i in site.issues) or "none yet"
        raise _Refused(f"there is no issue {number} (issues: {known})")
    today = today_in(settings.zone, fixed_today)
    identity = who_ran(root)
    approved_by = approver_text(identity, role)
    problem = one_line_problem(approved_by)
    if problem:
        raise _Refused(f"the approver's name {problem}; set `git config user.name` to your name")
    digest = approval_digest(site, issue, approved_by=approved_by, approved_on=today)
    if digest is None:
        raise _Refused(f"issue {number} or one of its stories could not be read; run `sofs check`")
    if (issue.approved_by, issue.approved_on, issue.approved_sha256) == (approved_by, today, digest.sha256):
        print(
            f"Issue {number} is already approved by {approved_by} today, and nothing has changed since; "
            "nothing was written."
        )
        return EXIT_OK
    _check_first(site, issue, [*setting_problems, *load_problems], approved_by, today, digest)
    path = root / issue.origin.path
    values = {"approved_by": approved_by, "approved_on": today.isoformat(), "approved_sha256": digest.sha256}
    try:
        change = plan_sign_off(path, issue.origin.path, values)
    except SignOffLinesError as exc:
        raise _Refused(f"{exc}; nothing was written") from None
    _same_text(path, issue.origin.path, change.data)
    log = log_path(settings.subscribers_path)
    record: dict[str, Any] = {
        "event": APPROVAL_EVENT,
        "issue": number,
        "title": issue.title,
        "file": issue.origin.path,
        "approved_by": approved_by,
        "approved_on": today.isoformat(),
        "approved_sha256": digest.sha256,
        "files": [{"path": p, "sha256": value} for p, value in digest.files],
        "approver": identity,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    try:
        head = append_record(log, record)
        apply_sign_off(change)
    except OSError as exc:
        raise _Refused(
            f"the approval could not be written ({exc.strerror}: {exc.filename}); run `sofs approve {number}` again"
        ) from None
    _report(root, issue, identity, approved_by, today, digest, change.lines, shown_path(log, root), head)
    return EXIT_OK


def _check_first(
    site: Site,
    issue: Issue,
    load_problems: list[Any],
    approved_by: str,
    today: dt.date,
    digest: ApprovalDigest,
) -> None:
    """Refuse when the issue or its stories are not ready to approve: any problem in them
    (checked as a ready issue, with this approval in place) or an error in the settings."""
    status = "ready" if issue.status == "draft" else issue.status
    approved = replace(
        issue, status=status, approved_by=approved_by, approved_on=today, approved_sha256=digest.sha256
    )
    future = replace(site, issues=tuple(approved if i is issue else i for i in site.issues))
    own = {path for path, _ in digest.files}
    found = Report.of([*load_problems, *check_site(BuildContext(future, Visibility(today)))])
    blocking = [
        d
        for d in found.diagnostics
        if (d.path in own and not d.code.startswith("approval."))
        or (d.path == CONFIG_FILE and d.severity == "error")
    ]
    blocking += issue_approval_problems(future, approved, today, required=True, state="being approved")
    if blocking:
        sys.stdout.write(Report.of(blocking).as_text())
        raise _Refused(
            f"issue {issue.number} cannot be approved yet: fix the problems above first (they are checked as "
            "for a ready issue, and any edit after approving voids the approval), then run "
            f"`sofs approve {issue.number}` again; nothing was written"
        )


def _same_text(path: Path, shown: str, new: bytes) -> None:
    """Make sure the new bytes leave the approved text as it was (only approval lines differ)."""
    try:
        old_text, _ = decode(path.read_bytes(), shown)
    except OSError as exc:
        raise _Refused(f"{shown} cannot be read ({exc.strerror})") from None
    new_text, _ = decode(new, shown)
    if old_text is None or new_text is None or _covered(old_text) != _covered(new_text):
        raise _Refused(
            f"{shown}: the approval lines could not be written without changing other lines; nothing was written"
        )


def _covered(text: str) -> str:
    """The SHA-256 of the text an approval covers (the approval and status lines left out)."""
    lines = text.split("\n")
    closing = next((i for i in range(1, len(lines)) if _DELIMITER.fullmatch(lines[i])), 0)
    return text_sha256(lines, left_out_lines(lines, closing + 2))


def _report(
    root: Path,
    issue: Issue,
    identity: dict[str, str],
    approved_by: str,
    today: dt.date,
    digest: ApprovalDigest,
    lines: tuple[tuple[str, str | None, str], ...],
    shown_log: str,
    head: str,
) -> None:
    print(f"Issue {issue.number} approved by {describe_identity(identity)} on {long_date(today)}.")
    for _, before, after in lines:
        if before is None:
            print(f"  {issue.origin.path}: added `{after}`")
        elif before != after:
            print(f"  {issue.origin.path}: `{before}` is now `{after}`")
    print("What was approved (SHA-256 of each file, without its approval and status lines):")
    for path, value in digest.files:
        print(f"  {value}  {path}")
    print(f"Recorded in {shown_log} (chain head {head}).")
    print(
        f"Any edit of these files now voids the approval: `sofs check` says so, and it is approved again "
        f"with `sofs approve {issue.number}` after reviewing the change."
    )
    found = authorship(root, [path for path, _ in digest.files])
    if sole_author(identity, found):
        print(
            f"Note: git shows you as the only author of this text, so `sofs publish {issue.number}` will ask "
            "for a second person's approval (or for --allow-self-approval, which the publication log records).",
            file=sys.stderr,
        )
