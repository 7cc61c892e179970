"""The content of a publication's audit record (one line of the publication log)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content.model import Issue, Site
from . import fingerprints as fp
from .mailing import MailingResult
from .state import PublishState


def record_of(
    site: Site,
    issue: Issue,
    state: PublishState,
    result: MailingResult | None,
    *,
    four_eyes: dict[str, Any] | None = None,
    allow_self_approval: bool = False,
) -> dict[str, Any]:
    """The publication's audit record (see `audit_log`). `four_eyes` is what the four-eyes
    step found (see `approval_four_eyes`); `allow_self_approval`, whether it was run with
    --allow-self-approval (`four_eyes["sole_author"]` says whether that was needed)."""
    settings = site.settings
    stories = site.stories_of(issue)
    paths = {name: f.path for name, f in fp.fingerprints(settings.root, settings, issue).items()}
    built = state.built or {}
    email: dict[str, Any] = {"sent": False}
    if result is not None:
        email = {
            "sent": True,
            "recipients": result.recipients,
            "outcomes": {k: result.counts[k] for k in ("sent", "failed", "uncertain")},
        }
    return {
        "event": "publication",
        "publication": state.publication,
        "issue": issue.number,
        "title": issue.title,
        "file": issue.origin.path,
        "started": state.started,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "by": state.by,
        "approvals": {
            "required": list(settings.required_approvals),
            "issue": {
                "by": issue.approved_by,
                "on": _iso(issue.approved_on),
                "sha256": issue.approved_sha256,
            },
            "feedback_section": {
                "by": issue.anonymisation_reviewed_by,
                "on": _iso(issue.anonymisation_reviewed_on),
            },
            "stories": [
                {
                    "file": s.origin.path,
                    "title": s.title,
                    "by": s.anonymisation_reviewed_by,
                    "on": _iso(s.anonymisation_reviewed_on),
                }
                for s in stories
            ],
        },
        "four_eyes": four_eyes,
        "allow_self_approval": allow_self_approval,
        "sha256": {name: {"path": paths[name], "sha256": built.get(name)} for name in fp.NAMES},
        "email": email,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
