"""`sofs audit`: the publication log, readably; `--verify` checks the site still matches it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..loader import load_site
from ..settings import load_settings
from . import fingerprints as fp
from .audit_log import LogContents, log_path, read_log

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _log(root: Path) -> tuple[LogContents, str]:
    settings, _ = load_settings(root)
    path = log_path(settings.subscribers_path)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    contents = read_log(path, shown)
    for problem in contents.problems:
        print(problem, file=sys.stderr)
    return contents, shown


def show_audit(root: Path, number: int | None) -> int:
    """Print every record of the log, or those of issue `number`."""
    contents, shown = _log(root)
    records = [r for r in contents.records if number is None or r.get("issue") == number]
    if not records:
        which = f"issue {number}" if number is not None else "any issue"
        print(f"There is no publication record of {which} in {shown}.")
        return EXIT_PROBLEMS if number is not None else EXIT_OK
    print("\n\n".join(describe(record) for record in records))
    return EXIT_PROBLEMS if contents.problems else EXIT_OK


def describe(record: dict[str, Any]) -> str:
    """One record as a few lines for people."""
    if record.get("event") == "resend":
        asked = record.get("send_again_to")
        flag = f" (--send-again-to {asked})" if asked is not None else ""
        ledger, sent = record.get("ledger"), record.get("sent", 0)
        why = f", because {ledger}" if ledger and ledger != "intact" else ""
        return (
            f"Issue {record.get('issue')}: sent again by email to {sent} {'person' if sent == 1 else 'people'}"
            f"{flag} on {record.get('finished', '?')}{why}"
        )
    lines = [f'Issue {record.get("issue")}: "{record.get("title", "")}" ({record.get("file", "")})']
    by = ", then ".join(str(name) for name in record.get("by", [])) or "unknown"
    lines.append(f"  published {record.get('finished', '?')} by {by} (started {record.get('started', '?')})")
    approvals = record.get("approvals", {})
    required = ", ".join(approvals.get("required", [])) or "none"
    lines.append(f"  approvals required: {required}")
    signed = approvals.get("issue") or {}
    if signed.get("by"):
        lines.append(f"  signed off by {signed['by']} on {signed.get('on')}")
    for story in approvals.get("stories", []):
        reviewed = (
            f"anonymisation reviewed by {story['by']} on {story.get('on')}"
            if story.get("by")
            else "not reviewed"
        )
        lines.append(f'  story "{story.get("title")}" ({story.get("file")}): {reviewed}')
    for name in fp.NAMES:
        entry = record.get("sha256", {}).get(name) or {}
        lines.append(f"  {fp.LABELS[name]:<24} {entry.get('sha256') or '(none)'}  {entry.get('path', '')}")
    email = record.get("email", {})
    if email.get("sent"):
        outcomes = email.get("outcomes", {})
        lines.append(
            f"  email to {email.get('recipients')} subscribers: {outcomes.get('sent', 0)} sent, "
            f"{outcomes.get('failed', 0)} failed, {outcomes.get('uncertain', 0)} uncertain"
        )
    else:
        lines.append("  email: not sent (published on the web only)")
    lines.append(f"  publication {record.get('publication')}")
    return "\n".join(lines)


def verify(root: Path, number: int) -> int:
    """Compare the latest record of issue `number` with the site as it is now."""
    contents, shown = _log(root)
    records = [r for r in contents.records if r.get("issue") == number and r.get("event") is None]
    if not records:
        print(f"error: there is no publication record of issue {number} in {shown}", file=sys.stderr)
        return EXIT_PROBLEMS
    record = records[-1]
    settings, _ = load_settings(root)
    site, _ = load_site(settings)
    issue = next((i for i in site.issues if i.number == number), None)
    if issue is None:
        print(f"error: issue {number} is no longer in {settings.docs_dir}/, so nothing can be compared")
        return EXIT_PROBLEMS
    now = fp.fingerprints(root, settings, issue)
    print(f"Issue {number}, as published {record.get('finished')} (publication {record.get('publication')}):")
    changed: list[str] = []
    for name in fp.NAMES:
        approved = (record.get("sha256", {}).get(name) or {}).get("sha256")
        current = now[name].sha256
        if approved is None:
            continue
        if current == approved:
            verdict = "matches"
        else:
            verdict = "MISSING" if current is None else "CHANGED"
            changed.append(name)
        print(f"  {fp.LABELS[name]:<24} {verdict:<8} {now[name].path}")
    if not changed:
        print("Everything online matches what was approved and sent.")
        return EXIT_OK
    if changed == ["page"]:
        print(
            "The issue's text on its page is as approved, but the page around it differs. That is "
            "expected after a rebuild that added pages or newer issues; otherwise someone changed the "
            "page: compare it with the content and rebuild with `sofs build`."
        )
    else:
        print(
            "What is online no longer matches what was approved. If the issue was corrected on "
            "purpose, it needs a new sign-off; otherwise rebuild the site with `sofs build` and "
            "find out who changed it."
        )
    return EXIT_PROBLEMS
