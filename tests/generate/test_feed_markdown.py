"""The site, the feeds and the emails render Markdown with one set of extensions: a pasted
Word list, a bare web address and a bare email address look the same in all three."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import approve_again, copy_project

from generator.checks.project import check_project
from generator.generate.email_render import render_issue
from generator.generate.feeds import feed_entries
from generator.generate.pages import generate_docs
from generator.generate.site_markdown import SiteMarkdown

PASTED = (
    "\n\nWhat helped:\n•\tWeekly visits\no\tWith the grandparents\n•\tA shared calendar\n\n"
    "The report is at https://www.example.org/reports/2025 and questions go to signsofsafety@northumberland.gov.uk.\n"
)


def test_site_and_feed_converters_share_every_extension_but_the_page_only_ones(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    settings = check_project(root, use_cache=False).site.settings
    site, feed = SiteMarkdown(settings), SiteMarkdown(settings, for_feeds=True)
    assert set(site.extensions) - set(feed.extensions) == {"toc"}
    assert {"pymdownx.magiclink", "generator.content.pasted_lists"} <= set(feed.extensions)


def test_a_pasted_list_and_bare_addresses_render_alike_on_the_page_in_the_feed_and_in_the_email(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "p")
    issue_file = root / "content/issues/010-meaningful-measures.md"
    text = issue_file.read_text(encoding="utf-8")
    first_section_end = text.index("\n## ", text.index("## ") + 3)
    issue_file.write_text(text[:first_section_end] + PASTED + text[first_section_end:], encoding="utf-8")
    approve_again(root, 10)
    result = check_project(root, use_cache=False, today=dt.date(2026, 1, 15))
    assert not result.report.errors, result.report.as_text()
    context = result.context
    issue = next(i for i in context.site.issues if i.number == 10)
    page_markdown = generate_docs(context).pages[issue.page_path]
    page = SiteMarkdown(context.settings).html(page_markdown)
    entry = next(e for e in feed_entries(context) if e.title == issue.heading).content
    email = render_issue(context, issue).html
    for html in (page, entry, email):
        nested = (
            r"<li[^>]*>\s*Weekly visits\s*<ul[^>]*>\s*<li[^>]*>\s*With the grandparents\s*"
            r"</li>\s*</ul>\s*</li>\s*<li[^>]*>\s*A shared calendar\s*</li>"
        )
        assert re.search(nested, html), html
        assert re.search(r'<a [^>]*href="https://www.example.org/reports/2025"', html)
        assert "mailto:" in html.replace("&#109;&#97;&#105;&#108;&#116;&#111;&#58;", "mailto:")
