"""Which issues and stories may be shown: published and not dated in the future."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .model import Issue, Site, Story

#: The environment variable that fixes "today" (YYYY-MM-DD), for previews and tests. Only
#: the command line and the MkDocs plugin read it, and pass the day down (`fixed_day`).
TODAY_VARIABLE = "SOFS_TODAY"


def fixed_day(text: str) -> dt.date | None:
    """The day `SOFS_TODAY` names (YYYY-MM-DD), or None when it is empty or not a date."""
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def today_in(zone: ZoneInfo, fixed: dt.date | None = None) -> dt.date:
    """`fixed` when given, else today's date in the site's time zone."""
    return fixed if fixed is not None else dt.datetime.now(zone).date()


@dataclass(frozen=True)
class Visibility:
    """The rule for what is shown: drafts and future issues only in preview."""

    today: dt.date
    include_drafts: bool = False

    def shows(self, issue: Issue) -> bool:
        if self.include_drafts:
            return True
        return not issue.is_draft and issue.date <= self.today

    def issues(self, site: Site) -> list[Issue]:
        """Shown issues, newest first."""
        return sorted(
            (i for i in site.issues if self.shows(i)), key=lambda i: (i.date, i.number), reverse=True
        )

    def stories(self, site: Site) -> list[Story]:
        """Stories whose issue is shown, newest first."""
        shown = {i.number for i in self.issues(site)}
        return sorted(
            (s for s in site.stories if s.issue in shown and (self.include_drafts or s.date <= self.today)),
            key=lambda s: (s.date, s.slug),
            reverse=True,
        )
