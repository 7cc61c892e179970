"""The run's build context: one issue body shared by page, feed entry and email, and
values derived once per context."""

from __future__ import annotations

import datetime as dt

from conftest import PROJECT

from generator.checks.project import check_project
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.email_render import render_issue
from generator.generate.feeds import feed_entries
from generator.generate.issue_html import markdown_to_html
from generator.generate.pages import generate_docs

TODAY = dt.date(2026, 1, 15)


def sample_context(include_drafts: bool = False) -> BuildContext:
    return check_project(PROJECT, use_cache=False, include_drafts=include_drafts, today=TODAY).context


def test_check_project_makes_the_context_of_the_run() -> None:
    context = sample_context()
    assert context.visibility == Visibility(TODAY)
    assert context.settings is context.site.settings
    assert context.root == PROJECT
    assert [i.number for i in context.relations.issues] == [10]


def test_page_feed_and_email_carry_the_one_issue_body() -> None:
    context = sample_context()
    issue = next(i for i in context.site.issues if i.number == 10)
    body = context.issue_bodies.of(issue)
    assert body is context.issue_bodies.of(issue), "made once, then kept"
    page = generate_docs(context).pages[issue.page_path]
    assert body in page
    entry = next(e for e in feed_entries(context) if e.title == issue.heading)
    story_heading = context.site.stories_of(issue)[0].title
    assert story_heading in body and story_heading in entry.content
    email = render_issue(context, issue)
    assert story_heading in email.html and story_heading in email.text
    assert markdown_to_html(body, context.feed_markdown).count("<h2") == entry.content.count("<h2")


def test_derived_values_are_made_once_per_context() -> None:
    context = sample_context()
    assert context.relations is context.relations
    assert context.page_templates is context.page_templates
    assert context.email_templates is context.email_templates
    assert context.issue_bodies is context.issue_bodies


def test_seen_as_keeps_the_site_and_cache_and_shows_what_the_rule_shows() -> None:
    context = sample_context()
    assert context.seen_as(Visibility(TODAY)) is context
    previews = context.seen_as(Visibility(TODAY, include_drafts=True))
    assert previews.site is context.site and previews.cache is context.cache
    assert previews.relations is not context.relations
    assert len(previews.relations.issues) > len(context.relations.issues)
    draft = next(i for i in previews.relations.issues if i.is_draft)
    assert draft.page_path in generate_docs(previews).pages
    assert draft.page_path not in generate_docs(context).pages


def test_two_contexts_of_one_project_share_nothing() -> None:
    """No module keeps a run's values: a second check sees the project as it is now."""
    first = sample_context()
    second = sample_context()
    assert first.site is not second.site
    assert first.issue_bodies is not second.issue_bodies
    issue = first.site.issues[0]
    assert first.issue_bodies.of(issue) == second.issue_bodies.of(second.site.issues[0])
