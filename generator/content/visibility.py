"""Which issues and stories may be shown: published and not dated in the future."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .model import Issue, Site, Story

TODAY_VARIABLE = "SOFS_TODAY"


def today_in(site: Site) -> dt.date:
    """Today's date in the site's time zone, or `SOFS_TODAY` (YYYY-MM-DD) when set."""
    fixed = os.environ.get(TODAY_VARIABLE, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    return dt.datetime.now(site.settings.zone).date()


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
