"""`sofs audit`: the publication log, readably; `--verify` checks its hash chain and that the site matches it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..basics.diagnostics import Diagnostic, error, shown_path
from ..content.loader import load_site
from ..settings.reader import load_settings
from . import fingerprints as fp
from .audit_log import check_log, event_of, log_path, read_log
from .chain import ChainCheck, head_problems
from .identity import describe_identity
from .state import StateError, read_state

EXIT_OK, EXIT_PROBLEMS = 0, 1
_CHAIN_FIELDS = {"format", "seq", "prev_sha256", "prefix_sha256", "run_by", "event", "issue"}


def _log_file(root: Path) -> tuple[Path, str]:
    settings, _ = load_settings(root)
    path = log_path(settings.subscribers_path)
    shown = shown_path(path, root)
    return path, shown


def _print_head(check: ChainCheck, shown: str) -> None:
    if not check.lines:
        return
    print(
        f"\nChain head (the SHA-256 of line {check.lines}, the latest record of {shown}):\n  {check.head}\n"
        "Keep it somewhere else (a commit message, an email): later, "
        f"`sofs audit --verify --expect-head {check.head}` shows whether any record up to it was changed, "
        "removed or moved since."
    )


def show_audit(root: Path, number: int | None) -> int:
    """Print every record of the log, or those of issue `number`, and the chain head."""
    path, shown = _log_file(root)
    check = check_log(path, shown)
    for problem in check.problems:
        print(problem, file=sys.stderr)
    records = [r for r in read_log(path, shown).records if number is None or r.get("issue") == number]
    if not records:
        which = f"issue {number}" if number is not None else "any issue"
        print(f"There is no publication record of {which} in {shown}.")
        return EXIT_PROBLEMS if number is not None or not check.intact else EXIT_OK
    print("\n\n".join(describe(record) for record in records))
    _print_head(check, shown)
    if not check.intact:
        print(
            f"\nThe hash chain of {shown} is broken (see above): run `sofs audit --verify` for the whole story.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def verify_log(root: Path, expect_head: str | None) -> int:
    """Check every link of the log's hash chain, and that it reaches `expect_head` when given."""
    path, shown = _log_file(root)
    return EXIT_OK if _verify_chain(path, shown, expect_head) else EXIT_PROBLEMS


def _verify_chain(path: Path, shown: str, expect_head: str | None) -> bool:
    check = check_log(path, shown)
    problems = list(check.problems) + _missing_publications(path, shown, check.lines)
    sentence = ""
    if expect_head is not None:
        found, sentence = head_problems(check, expect_head, shown)
        problems += found
    for problem in problems:
        print(problem, file=sys.stderr)
    broken = any(p.severity == "error" for p in problems)
    if broken:
        print(
            f"The publication log {shown} was changed after it was written (see above). Records are "
            "only ever added at its end: find out who changed it, and compare it with a backup copy."
        )
    elif any(p.code == "audit.unchained" for p in problems):
        print(
            f"No broken link in the publication log {shown}, but its records from before the hash chain "
            "cannot be verified yet (see above)."
        )
    elif check.lines:
        count = f"{check.lines} records, each linked to the one before" if check.lines > 1 else "1 record"
        print(f"The publication log {shown} is intact: {count}.")
    else:
        print(f"The publication log {shown} has no records yet.")
    if sentence:
        print(sentence)
    if check.lines:
        print(f"Chain head: {check.head}")
    return not broken


def _missing_publications(path: Path, shown: str, lines: int) -> list[Diagnostic]:
    """Publications whose state file (`publish-NNN.json`) says they were logged, but are not in the log.

    The chain alone cannot show records cut from the end of the log, or a log emptied or
    replaced; the state each `sofs publish` leaves beside it can.
    """
    if not path.parent.is_dir():
        return []
    logged = {record.get("publication") for record in read_log(path, shown).records}
    problems = []
    for state_file in sorted(path.parent.glob("publish-[0-9]*.json")):
        try:
            state = read_state(state_file)
        except StateError:
            continue
        if state is None or not state.recorded or state.publication in logged:
            continue
        problems.append(
            error(
                shown,
                lines,
                "audit.missing",
                f"the publication of issue {state.issue} started {state.started} (publication "
                f"{state.publication}) is not in the log, though {state_file.name} says it was written "
                "there: records were removed from the log, or it was emptied or replaced",
            )
        )
    return problems


def describe(record: dict[str, Any]) -> str:
    """One record as a few lines for people."""
    if event_of(record) != "publication":
        return _describe_other(record)
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
    if "run_by" in record:
        lines.append(f"  run by {describe_identity(record.get('run_by'))}")
    return "\n".join(lines)


def _describe_other(record: dict[str, Any]) -> str:
    """A record of another event: a re-send in a sentence, anything else with its own fields."""
    if event_of(record) == "resend":
        return _describe_resend(record)
    event = event_of(record)
    lines = [f"Issue {record.get('issue')}: {event}"]
    for key in sorted(set(record) - _CHAIN_FIELDS):
        lines.append(f"  {key}: {json.dumps(record[key], ensure_ascii=False)}")
    lines.append(f"  run by {describe_identity(record.get('run_by'))}")
    return "\n".join(lines)


def _describe_resend(record: dict[str, Any]) -> str:
    asked = record.get("send_again_to")
    flag = f" (--send-again-to {asked})" if asked is not None else ""
    ledger, sent = record.get("ledger"), record.get("sent", 0)
    why = f", because {ledger}" if ledger and ledger != "intact" else ""
    return (
        f"Issue {record.get('issue')}: sent again by email to {sent} {'person' if sent == 1 else 'people'}"
        f"{flag} on {record.get('finished', '?')}{why}\n"
        f"  run by {describe_identity(record.get('run_by'))}"
    )


def verify(root: Path, number: int, expect_head: str | None = None) -> int:
    """Check the log's chain, then compare the latest publication record of issue `number` with the site."""
    path, shown = _log_file(root)
    chain_ok = _verify_chain(path, shown, expect_head)
    print()
    site_ok = _verify_issue(root, path, shown, number)
    return EXIT_OK if chain_ok and site_ok else EXIT_PROBLEMS


def _verify_issue(root: Path, path: Path, shown: str, number: int) -> bool:
    records = [
        r for r in read_log(path, shown).records if r.get("issue") == number and event_of(r) == "publication"
    ]
    if not records:
        print(f"error: there is no publication record of issue {number} in {shown}", file=sys.stderr)
        return False
    record = records[-1]
    settings, _ = load_settings(root)
    site, _ = load_site(settings)
    issue = next((i for i in site.issues if i.number == number), None)
    if issue is None:
        print(f"error: issue {number} is no longer in {settings.docs_dir}/, so nothing can be compared")
        return False
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
        return True
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
    return False
