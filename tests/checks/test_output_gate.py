"""The output gate: every route by which active content once reached readers is a located
`sofs check` error and never reaches `site/`, the feeds or the email; text values are
escaped for where they land; and content that passes the check builds into pages, feeds
and emails that the sanitiser leaves as they are."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest
from conftest import (
    FIXED_TODAY,
    PROJECT,
    approve_again,
    assert_golden,
    copy_project,
    fixture_project,
    run_sofs,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.checks.project import check_project
from generator.generate.email_render import UnsafeEmail, render_issue
from generator.generate.extra_files import ProducerFailed, extra_outputs
from generator.generate.feeds import build_feeds
from generator.generate.html_gate import UnsafeOutput, removals

ISSUE = "content/issues/010-meaningful-measures.md"
STORY = "content/feedback/first-contact-family-led-plans.md"
#: The start of issue 10's opening paragraph, its first line of text; tests put text before it.
OPENING = "Hello, and welcome"
#: The first line of text put before the opening paragraph of issue 10.
FIRST = next(
    number
    for number, line in enumerate((PROJECT / ISSUE).read_text(encoding="utf-8").split("\n"), start=1)
    if line.startswith(OPENING)
)

#: Each route: the Markdown put at the top of issue 10's body, and the errors
#: it must give as (line, code).
ROUTES = {
    "a guidance note that splits a tag until the feeds drop it": (
        "<scr<!-- a note -->ipt>alert(1)</script>",
        {(FIRST, "unsafe-html.element")},
    ),
    "attribute list with an event handler": (
        '[the plan](https://example.org/){: onfocus="alert(1)" autofocus }',
        {(FIRST, "unsafe-html.event-handler"), (FIRST, "unsafe-html.attribute")},
    ),
    "attribute list on a heading": (
        '### Hello {: onclick="alert(1)" }',
        {(FIRST, "unsafe-html.event-handler")},
    ),
    "a longer closing fence does not close": (
        "```\ncode\n`````\n\n<script>alert(1)</script>",
        {(FIRST + 4, "unsafe-html.element")},
    ),
    "a shorter tilde fence does not close": (
        "~~~~\nnot closed\n~~~\n<script>alert(1)</script>",
        {(FIRST + 3, "unsafe-html.element")},
    ),
    "an indented line after a paragraph is not code": (
        "Some text\n    <script>alert(1)</script>",
        {(FIRST + 1, "unsafe-html.element")},
    ),
    "a tag split over two lines": (
        '<img src="team.png" alt="The team"\n  onerror="alert(1)">',
        {(FIRST + 1, "unsafe-html.event-handler")},
    ),
    "a quoted > inside an attribute": (
        '<a title="x > y" href="https://example.org/" onmouseover="alert(1)">z</a>',
        {(FIRST, "unsafe-html.event-handler")},
    ),
    "svg onload": ('<svg onload="alert(1)"></svg>', {(FIRST, "unsafe-html.element")}),
    "img onerror": ("<img src=x onerror=alert(1)>", {(FIRST, "unsafe-html.event-handler")}),
    "a tab inside javascript:": (
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        {(FIRST, "unsafe-html.url")},
    ),
    "a Markdown link to javascript:": ("[x](javascript:alert(1))", {(FIRST, "unsafe-html.url")}),
    "a data: page": ('<a href="data:text/html,&lt;script&gt;">x</a>', {(FIRST, "unsafe-html.url")}),
    "iframe": ('<iframe src="https://example.org/"></iframe>', {(FIRST, "unsafe-html.element")}),
    "style element": ("<style>p { display: none }</style>", {(FIRST, "unsafe-html.element")}),
    "inline style hiding text": (
        'We met <span style="display:none">Jo Bloggs</span> today.',
        {(FIRST, "unsafe-html.style")},
    ),
    "text moved off screen": (
        '<p style="position:absolute; left:-9999px">hidden</p>',
        {(FIRST, "unsafe-html.style")},
    ),
    "a class that hides text": (
        "Hidden words\n{: .sofs-visually-hidden }",
        {(FIRST + 1, "unsafe-html.class")},
    ),
}

#: Fences that do hide their HTML: shown as code, never an error.
HIDDEN = (
    "~~~\n<script>alert('tilde')</script>\n~~~",
    "````\n<script>alert('long')</script>\n````",
    "    <script>alert('indented')</script>",
    "`<script>alert('span')</script>`",
)


def _with_welcome(root: Path, text: str) -> None:
    issue = root / ISSUE
    issue.write_text(issue.read_text(encoding="utf-8").replace(OPENING, text + "\n\n" + OPENING, 1), "utf-8")


def _set_field(file: Path, field: str, value: str) -> int:
    """Write `value` as front-matter `field` (single-quoted YAML); returns its line."""
    lines = file.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{field}:"))
    lines[number - 1] = f"{field}: '{value.replace(chr(39), chr(39) * 2)}'"
    file.write_text("\n".join(lines), encoding="utf-8")
    return number


def _errors(root: Path) -> tuple[int, list[str]]:
    result = run_sofs(root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, [line for line in result.stdout.splitlines() if "[unsafe-html." in line]


def _located(lines: list[str], path: str = ISSUE) -> set[tuple[int, str]]:
    return {
        (int(line.split(":")[1]), line.rsplit("[", 1)[1].rstrip("]"))
        for line in lines
        if line.startswith(path)
    }


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_route_is_a_located_error(tmp_path: Path, name: str) -> None:
    text, expected = ROUTES[name]
    root = copy_project(tmp_path / "project")
    _with_welcome(root, text)
    status, lines = _errors(root)
    assert status == 1
    assert _located(lines) == expected
    assert all(": error: " in line and "remove" in line for line in lines)


def test_no_route_reaches_the_site_the_feeds_or_the_email(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    assert run_sofs(root, "build").returncode == 0
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    _with_welcome(root, "\n\n".join(text for text, _ in ROUTES.values()))
    result = run_sofs(root, "build")
    assert result.returncode == 1
    assert "[unsafe-html." in result.stdout + result.stderr
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before  # the last good site stays, untouched
    assert not any(b"alert(1)" in data for data in after.values())


def test_fences_that_hide_html_show_it_as_text(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _with_welcome(root, "\n\n".join(HIDDEN))
    approve_again(root, 10)
    assert _errors(root) == (0, [])
    assert run_sofs(root, "build").returncode == 0
    page = lxml.html.parse(str(root / "site/issues/010-meaningful-measures/index.html")).getroot()
    article = page.xpath("//article")[0]
    assert not article.xpath(".//script")
    assert article.text_content().count("<script>") == len(HIDDEN)
    feed = (root / "site/feed.xml").read_text(encoding="utf-8")
    email = (root / "site/email/010.html").read_text(encoding="utf-8")
    assert "<script>alert" not in feed
    assert "<script>alert" not in email and "&lt;script&gt;alert('tilde')" in email


def test_planted_unsafe_html_gives_golden_errors(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "unsafe", "unsafe-html")
    status, lines = _errors(root)
    assert status == 1
    assert all(": error: " in line for line in lines)
    assert_golden("check/output-gate.txt", "\n".join(lines) + "\n")


def test_every_planted_line_is_reported_and_no_safe_line_is(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "unsafe", "unsafe-html")
    _, lines = _errors(root)
    issue = "content/issues/002-unsafe.md"
    flagged = {line for line, _ in _located(lines, issue)}
    text = (root / issue).read_text(encoding="utf-8").split("\n")
    welcome = text.index("## Welcome") + 1
    feedback = text.index("## Feedback from teams across the service") + 1
    planted = {n for n in range(welcome + 1, feedback) if text[n - 1].strip()}
    assert len(planted) == 11
    assert flagged == planted
    assert any(line.startswith('content/pages/embed.md:2: error: in "title"') for line in lines)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("summary", 'He said "stop" <script>alert(1)</script>', "unsafe-html.element"),
        ("title", 'A title <img src=x onerror="alert(1)">', "unsafe-html.event-handler"),
    ],
)
def test_markup_in_a_title_or_summary_is_a_located_error(
    tmp_path: Path, field: str, value: str, code: str
) -> None:
    root = copy_project(tmp_path / "project")
    number = _set_field(root / ISSUE, field, value)
    status, found = _errors(root)
    assert status == 1
    assert _located(found) == {(number, code)}
    assert f'in "{field}"' in found[0]
    assert run_sofs(root, "build").returncode == 1
    assert not (root / "site").exists()


def test_quotes_and_brackets_in_titles_and_summaries_keep_every_head_well_formed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    title = 'Families "first" & {: onclick="alert(1)" } <3'
    summary = 'He said "we\'re safe" & the plan\'s <3 > 2 in "quotes".'
    story_title = 'Jo\'s "plan" {: onmouseover="alert(1)" }'
    _set_field(root / ISSUE, "title", title)
    _set_field(root / ISSUE, "summary", summary)
    _set_field(root / STORY, "title", story_title)
    approve_again(root, 10)
    assert _errors(root) == (0, [])
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr

    page = lxml.html.parse(str(root / "site/issues/010-meaningful-measures/index.html")).getroot()
    head = page.find("head")
    assert head is not None
    assert head.xpath("string(meta[@name='description']/@content)") == summary
    assert head.findtext("title") == f"Issue 10: {title} - Signs of Safety newsletter"
    assert {child.tag for child in head} <= {"meta", "link", "title", "script", "style", "noscript"}
    article = page.xpath("//article")[0]
    assert not article.xpath(".//*[@onclick or @onmouseover]")
    assert article.findtext(".//h1").startswith(title)
    assert article.xpath("string(.//*[@class='sofs-cover__number'])") == "Issue 10"
    assert any(h.text_content().startswith(f"First Contact: {story_title}") for h in article.iter("h3"))

    for name in ("feed.xml", "atom.xml"):
        entry = feedparser.parse((root / "site" / name).read_bytes()).entries[0]
        assert entry.title == f"Issue 10: {title}"
        shown = entry.summary_detail
        assert (
            lxml.html.fragment_fromstring(shown.value, create_parent="div").text_content()
            if shown.type == "text/html"
            else shown.value
        ) == summary
        content = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
        assert not content.xpath(".//*[@onclick or @onmouseover]")
        assert f"First Contact: {story_title}" in content.text_content()
    email = lxml.html.parse(str(root / "site/email/010.html")).getroot()
    assert email.xpath("string(//div[contains(@class, 'preheader')])") == summary
    assert email.findtext(".//h1") == f"Issue 10: {title}"
    assert not email.xpath("//*[@onclick or @onmouseover]")


def test_the_feeds_and_the_email_refuse_unsafe_html_of_their_own(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _with_welcome(root, '<img src="x.png" alt="x" onerror="alert(1)">')
    context = check_project(root, use_cache=False).context
    issue = next(i for i in context.site.issues if i.number == 10)
    with pytest.raises(UnsafeOutput, match="feed entry of issue 10"):
        build_feeds(context)
    with pytest.raises(UnsafeEmail, match="onerror"):
        render_issue(context, issue)
    with pytest.raises(ProducerFailed, match="not safe to publish"):
        extra_outputs(context)


def test_the_sample_is_clean(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "sample")
    assert _errors(root) == (0, [])


# --- Anything `sofs check` passes builds into output the sanitiser leaves as it is. ---

_SAFE_URLS = ("https://example.org/a?b=1&c=2", "mailto:team@example.org", "#welcome", "../tools/mapping.md")
_UNSAFE_URLS = ("javascript:alert(1)", "JaVa&#x0A;script:alert(1)", "data:text/html,x", "vbscript:x")
_SAFE_TAGS = ("p", "span", "em", "div", "abbr", "code", "details", "blockquote")
_UNSAFE_TAGS = ("script", "iframe", "svg", "style", "form", "object")
_SAFE_ATTRIBUTES = ('title="a &quot; b"', 'class="note"', "id=x", 'style="text-align: right"', "lang=en")
_UNSAFE_ATTRIBUTES = (
    'style="display:none"',
    'style="font-size:0"',
    'onclick="alert(1)"',
    "autofocus",
    'class="md-toggle"',
)
_WORDS = st.sampled_from(("care", "plan", "Jo", "safety", "<", ">", "&", '"', "'", "&amp;", "*", "_"))


def _mostly_safe(safe: tuple[str, ...], unsafe: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One of `safe` nine times in ten, else one of `unsafe`."""
    return st.one_of(*[st.sampled_from(safe)] * 9, st.sampled_from(unsafe))


@st.composite
def _pieces(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("text", "tag", "link", "attr-list", "fence", "split")))
    words = " ".join(draw(st.lists(_WORDS, min_size=1, max_size=4)))
    url = draw(_mostly_safe(_SAFE_URLS, _UNSAFE_URLS))
    attribute = draw(_mostly_safe(_SAFE_ATTRIBUTES, _UNSAFE_ATTRIBUTES))
    tag = draw(_mostly_safe(_SAFE_TAGS, _UNSAFE_TAGS))
    if kind == "text":
        return words
    if kind == "tag":
        return f"<{tag} {attribute}>{words}</{tag}>"
    if kind == "link":
        return f'[{words}]({url}) and <a href="{url}">{words}</a>'
    if kind == "attr-list":
        return f"{words}\n{{: {attribute} }}\n\n## {words} {{: {attribute} }}"
    if kind == "fence":
        fence = draw(_mostly_safe(("```|```", "~~~|~~~", "````|````"), ("````|```", "~~~~|~~~")))
        opener, closer = fence.split("|")
        return f"{opener}\n<{draw(st.sampled_from(_UNSAFE_TAGS))} {attribute}>{words}</x>\n{closer}"
    return f"<{tag}\n  {attribute}>{words}</{tag}>"


def _content_parts(root: Path) -> dict[str, str]:
    """The parts of the built output that come from content: each page's article (but
    the pages sofs makes whole from its own templates), each feed entry's content and
    summary, and the body of each email."""
    parts: dict[str, str] = {}
    for page in (root / "site").rglob("*.html"):
        if "email" in page.parts or page.parent.name in ("counting", "glossary"):
            continue
        for article in lxml.html.parse(str(page)).getroot().xpath("//article"):
            parts[str(page)] = "".join(lxml.html.tostring(child, encoding="unicode") for child in article)
    for name in ("feed.xml", "atom.xml"):
        for entry in feedparser.parse((root / "site" / name).read_bytes(), sanitize_html=False).entries:
            parts[f"{name} {entry.id} content"] = entry.content[0].value
            parts[f"{name} {entry.id} summary"] = entry.summary
    for email in (root / "site/email").glob("*.html"):
        body = lxml.html.parse(str(email)).getroot().xpath("//td[contains(@class, 'main')]")[0]
        for element in body.iter():
            element.attrib.pop("style", None)  # the email's own CSS, inlined by the renderer
        parts[str(email)] = "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    return parts


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(_pieces(), min_size=1, max_size=6))
def test_content_that_passes_the_check_builds_into_output_the_sanitiser_keeps(
    tmp_path: Path, pieces: list[str]
) -> None:
    root = tmp_path / "generated"
    shutil.rmtree(root, ignore_errors=True)
    copy_project(root)
    _with_welcome(root, "\n\n".join(pieces))
    checked = check_project(root, use_cache=False, today=dt.date.fromisoformat(FIXED_TODAY))
    built = run_sofs(root, "build")
    event("the check passed" if not checked.report.errors else "the check failed")
    if checked.report.errors:
        assert built.returncode == 1
        assert not (root / "site").exists()
        return
    assert built.returncode == 0, built.stdout + built.stderr
    for where, html in _content_parts(root).items():
        assert removals(html) == [], where


def test_a_site_name_that_would_break_every_page_is_a_located_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: Signs of Safety newsletter", 'site_name: Signs of Safety "news" <b>'
        ),
        encoding="utf-8",
    )
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert 'mkdocs.yml:6: error: "site_name" contains " and < and >' in result.stdout


def test_two_of_a_kind_on_one_line_are_both_put_there(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _with_welcome(
        root,
        '<img src="a.png" alt="a" onerror="x()"> <img src="b.png" alt="b" onerror="y()">\n\nPlain text.\n\n<p onerror="z()">c</p>',
    )
    _, lines = _errors(root)
    found = {(int(line.split(":")[1]), "<img>" if "<img>" in line else "<p>") for line in lines}
    assert found == {(FIRST, "<img>"), (FIRST + 4, "<p>")}
