"""The links between content: which issues and stories evidence each measure, mention each
tool or cite each principle. Computed once per build, newest first everywhere."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Issue, Site, Story
from .visibility import Visibility


@dataclass
class Relations:
    """Indexes over the shown issues and stories."""

    issues: list[Issue]
    stories: list[Story]
    stories_by_issue: dict[int, list[Story]] = field(default_factory=lambda: defaultdict(list))
    issues_by_tool: dict[str, list[Issue]] = field(default_factory=lambda: defaultdict(list))
    stories_by_tool: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    issues_by_measure: dict[int, list[Issue]] = field(default_factory=lambda: defaultdict(list))
    stories_by_measure: dict[int, list[Story]] = field(default_factory=lambda: defaultdict(list))
    issues_by_principle: dict[str, list[Issue]] = field(default_factory=lambda: defaultdict(list))


def relate(site: Site, visibility: Visibility) -> Relations:
    """Index what is shown under `visibility`; tool mentions come from the text and from
    the `tools` front matter alike."""
    relations = Relations(visibility.issues(site), visibility.stories(site))
    matcher = site.tool_matcher
    for issue in relations.issues:
        mentioned = {m.slug for m in matcher.mentions(issue.body)} | set(issue.tools)
        for slug in sorted(mentioned):
            relations.issues_by_tool[slug].append(issue)
        for number in issue.measures:
            relations.issues_by_measure[number].append(issue)
        for slug in issue.principles:
            relations.issues_by_principle[slug].append(issue)
    for story in relations.stories:
        relations.stories_by_issue[story.issue].append(story)
        mentioned = {m.slug for m in matcher.mentions(story.body)} | set(story.tools)
        for slug in sorted(mentioned):
            relations.stories_by_tool[slug].append(story)
        for number in story.measures:
            relations.stories_by_measure[number].append(story)
    return relations
