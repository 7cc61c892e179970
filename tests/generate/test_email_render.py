"""`sofs email render`: the HTML meets the email checklist, the text reads on its own,
the .eml is a complete multipart/alternative message, and issue 10 is pinned."""

from __future__ import annotations

import dataclasses
import email
import re
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from conftest import approve_again, assert_golden, fixture_project, run_sofs
from email_samples import WIDE_PICTURE, wide_issue_project

from generator.generate.email_text import html_to_text
from generator.generate.urls import absolute_url, page_address

SITE = "https://signs-of-safety.example.org/"
WEB = SITE + "issues/010-meaningful-measures/"
UNSUBSCRIBE = "mailto:signsofsafety@northumberland.gov.uk?subject=unsubscribe"


@pytest.fixture
def rendered(project: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "out"
    result = run_sofs(project, "email", "render", "10", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"Wrote 010.html, 010.txt, 010.eml to {out}/")
    return {name: (out / name).read_bytes() for name in ("010.html", "010.txt", "010.eml")}


class Page(HTMLParser):
    """What the checks need from the HTML: tags with attributes, in order, and the text
    colour on its background for every element with text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, str, str]] = []  # tag, colour, background
        self.pairs: set[tuple[str, str]] = set()
        self.links: list[tuple[str, str]] = []
        self.link: list[str] | None = None
        self.style_blocks: list[str] = []
        self.in_style = False
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        style = values.get("style", "")
        colour = _css(style, "color") or (self.stack[-1][1] if self.stack else "#000000")
        background = (
            _css(style, "background-color")
            or values.get("bgcolor")
            or (self.stack[-1][2] if self.stack else "#ffffff")
        )
        if tag not in ("meta", "br", "img", "hr", "link", "col"):
            self.stack.append((tag, colour, background))
        if tag == "a":
            self.link = [values.get("href", ""), ""]
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if tag == "a" and self.link is not None:
            self.links.append((self.link[0], self.link[1].strip()))
            self.link = None
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.style_blocks.append(data)
        elif data.strip() and self.stack and not any(_hidden(t) for t in self.tags[-1:]):
            self.pairs.add((self.stack[-1][1], self.stack[-1][2]))
        if self.link is not None:
            self.link[1] += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _hidden(tag: tuple[str, dict[str, str]]) -> bool:
    return "display: none" in tag[1].get("style", "")


def _css(style: str, name: str) -> str | None:
    match = re.search(rf"(?:^|;)\s*{name}\s*:\s*(#[0-9a-fA-F]{{6}})", style)
    return match.group(1).lower() if match else None


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_issue_10_html_and_text_are_golden(rendered: dict[str, bytes]) -> None:
    assert_golden("email/010.html", rendered["010.html"])
    assert_golden("email/010.txt", rendered["010.txt"])


def test_html_is_under_100_kb_with_every_style_inlined(rendered: dict[str, bytes]) -> None:
    html = rendered["010.html"].decode("utf-8")
    assert len(rendered["010.html"]) < 100 * 1024
    page = parse(html)
    head = html.split("</head>", 1)[0]
    assert head.index('<meta charset="utf-8">') < 200, "the charset comes first"
    kept = page.style_blocks[0]
    assert "@media only screen" in kept and "prefers-color-scheme: dark" in kept
    assert ".data th, .data td {" in kept, "a data table's cells are styled from the <head>"
    assert len(page.style_blocks) == 1, "the inlined rules are not repeated in a <style>"
    for tag, attrs in page.tags:
        if tag in ("p", "h1", "h2", "h3", "li", "a", "body") or (tag == "td" and "class" in attrs):
            assert "style" in attrs, f"<{tag}> has no inline style"


def test_layout_is_tables_for_outlook(rendered: dict[str, bytes]) -> None:
    html = rendered["010.html"].decode("utf-8")
    page = parse(html)
    tables = [attrs for tag, attrs in page.tags if tag == "table"]
    assert len(tables) == 2
    for attrs in tables:
        assert attrs["role"] == "presentation"
        assert (attrs["border"], attrs["cellpadding"], attrs["cellspacing"]) == ("0", "0", "0")
    for word in ("flex", "grid", "float", "background-image", "url(", "@font-face", "@import", "<link"):
        assert word not in html, word
    mso = [c for c in page.comments if c.startswith("[if mso]")]
    assert len(mso) == 2
    assert all(c.rstrip().endswith("<![endif]") for c in mso)
    assert 'role="presentation" width="600"' in mso[0]
    assert "</table>" in mso[1]
    assert "font-family: Helvetica, Arial, sans-serif" in html
    assert "font-size: 19px" in html


def test_html_is_accessible(rendered: dict[str, bytes]) -> None:
    html = rendered["010.html"].decode("utf-8")
    page = parse(html)
    assert html.startswith('<!DOCTYPE html><html lang="en"')
    assert "<title>Issue 10: Meaningful measures- counting what counts</title>" in html
    names = [tag for tag, _ in page.tags]
    assert names.count("h1") == 1
    assert names.count("h2") == 6
    body = names.index("body")
    first_tag, first_attrs = page.tags[body + 1]
    assert first_tag == "div" and "display: none" in first_attrs["style"]
    assert first_attrs["class"] == "preheader"
    after_body = html.split("<body", 1)[1].split(">", 1)[1].lstrip()
    assert after_body.startswith("<!--[if !mso]><!--><div"), "Outlook desktop never shows the preheader"
    assert after_body.split(">", 3)[3].startswith("Our five meaningful measures")
    assert all("alt" in attrs for tag, attrs in page.tags if tag == "img")
    for _, text in page.links:
        assert text and "click here" not in text.lower()
    assert page.pairs, "colours were found"
    for colour, background in page.pairs:
        assert contrast(colour, background) >= 4.5, (colour, background)


def test_html_links_to_the_web_version_the_feed_and_unsubscribe(rendered: dict[str, bytes]) -> None:
    links = dict(parse(rendered["010.html"].decode("utf-8")).links)
    hrefs = set(links)
    assert {WEB, SITE + "feed.xml", UNSUBSCRIBE} <= hrefs
    assert SITE + "tools/fire-drills/" in hrefs, "tools named in the team story link to the guide"
    assert all(h.startswith(("https://", "mailto:")) for h in hrefs), hrefs


def test_the_header_names_the_measures_once_as_linked_chips(rendered: dict[str, bytes]) -> None:
    html = rendered["010.html"].decode("utf-8")
    header = html.split("<h1", 1)[1].split('<p class="lead"', 1)[1].split("</p>", 2)[1]
    chips = re.findall(r'<a class="chip" title="([^"]+)" href="([^"]+)"[^>]*>([^<]+)</a>', header)
    assert [text for _, _, text in chips] == [f"Measure&nbsp;{n}" for n in range(1, 6)]
    assert all(
        title.startswith("Measure ") and href.startswith(SITE + "measures/") for title, href, _ in chips
    )
    assert "<ul" not in header, "no list of full measure titles before the news"
    text = rendered["010.txt"].decode("utf-8")
    news = text.split("Hello, and welcome", 1)[0]
    assert "\nMeasures in this issue: 1, 2, 3, 4, 5.\n" in news
    assert "Measure 1:" not in news


def test_text_part_reads_on_its_own_with_links_in_full(rendered: dict[str, bytes]) -> None:
    text = rendered["010.txt"].decode("utf-8")
    assert "<" not in text.replace("<mailto", "")
    assert f"Read this issue on the website:\n{WEB}" in text
    assert SITE + "feed.xml" in text and UNSUBSCRIBE in text
    assert "Meaningful measures- counting what counts\n-----------------------------------------\n" in text
    assert "\nFirst Contact team\n" in text, "the team story is included under its printed heading"
    assert "(https://signs-of-safety.example.org/tools/fire-drills/)" in text
    assert "1. Keeping children safe, supported and improving their lives." in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_eml_is_a_complete_multipart_alternative_message(rendered: dict[str, bytes]) -> None:
    raw = rendered["010.eml"]
    message = email.message_from_bytes(raw, _class=EmailMessage, policy=default)
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content().replace("\r\n", "\n") == rendered["010.txt"].decode("utf-8")
    assert parts[1].get_content().replace("\r\n", "\n") == rendered["010.html"].decode("utf-8")
    assert message["Subject"] == "Issue 10: Meaningful measures- counting what counts"
    assert message["From"] == "Signs of Safety newsletter <signsofsafety@northumberland.gov.uk>"
    assert message["Reply-To"] == message["From"]
    assert message["Date"] == "Mon, 01 Sep 2025 00:00:00 +0100"
    assert re.fullmatch(r"<[^@\s]+@signs-of-safety\.example\.org>", message["Message-ID"].strip())
    assert message["List-Id"] == "Signs of Safety newsletter <newsletter.signs-of-safety.example.org>"
    assert message["List-Unsubscribe"].strip() == f"<{UNSUBSCRIBE}>"
    assert raw_header(raw, b"List-Unsubscribe") == b"<" + UNSUBSCRIBE.encode() + b">"
    assert not raw.replace(b"\r\n", b"").count(b"\n"), "every line ends in CRLF"
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 76, max(lines, key=len)
    transfer = [p["Content-Transfer-Encoding"] for p in parts]
    assert transfer == ["quoted-printable", "quoted-printable"], (
        "long lines are encoded, not sent as they are"
    )


def raw_header(raw: bytes, name: bytes) -> bytes:
    """The value of header `name` as written in `raw`, unfolded; never encoded (`=?`)."""
    block = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").replace(b"\r\n\t", b"\t")
    (line,) = [line for line in block.split(b"\r\n") if line.startswith(name + b":")]
    assert b"=?" not in line, line
    return line.split(b":", 1)[1].strip()


def test_a_long_unsubscribe_address_is_folded_but_never_encoded(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    mailbox = "signsofsafety@northumberland.gov.uk"
    long_mailbox = "signs-of-safety-practice-newsletter-unsubscribe-requests@northumberland.gov.uk"
    config.write_text(
        config.read_text("utf-8").replace(
            f"mailbox: {mailbox}", f"mailbox: {long_mailbox}\n      privacy_allow: [{mailbox}]"
        ),
        "utf-8",
    )
    result = run_sofs(project, "email", "render", "10", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    raw = (tmp_path / "010.eml").read_bytes()
    value = f"<mailto:{long_mailbox}?subject=unsubscribe>".encode()
    assert raw_header(raw, b"List-Unsubscribe") == value
    assert b"\r\n " + value + b"\r\n" in raw, "the address is whole on its own line"
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 76 for line in lines if long_mailbox.encode() not in line), (
        "only an address is longer"
    )


def test_long_unicode_site_name_never_encodes_list_unsubscribe(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "site_name: Signs of Safety newsletter",
            "site_name: Signs of Safety – the newsletter of Northumberland children’s services " + "x" * 80,
        ),
        "utf-8",
    )
    result = run_sofs(project, "email", "render", "10", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    raw = (tmp_path / "010.eml").read_bytes()
    assert raw_header(raw, b"List-Unsubscribe").endswith(b"subject=unsubscribe>")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 76
    message = email.message_from_bytes(raw, _class=EmailMessage, policy=default)
    assert message["From"].addresses[0].display_name.startswith("Signs of Safety – the newsletter")


def test_drafts_render_only_as_a_marked_preview(project: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    refused = run_sofs(project, "email", "render", "11", "--out", str(tmp_path))
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: issue 11 is a draft")
    assert not tmp_path.exists()
    preview = run_sofs(project, "email", "render", "11", "--preview", "--out", str(tmp_path))
    assert preview.returncode == 0, preview.stderr
    assert "Preview only: this issue is a draft" in (tmp_path / "011.html").read_text("utf-8")
    assert "PREVIEW ONLY" in (tmp_path / "011.txt").read_text("utf-8")


def test_default_folder_is_site_email(project: Path) -> None:
    result = run_sofs(project, "email", "render", "10")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "site/email").iterdir()) == ["010.eml", "010.html", "010.txt"]


def test_an_issue_too_big_for_gmail_fails_clearly(project: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    issue = project / "content/issues/010-meaningful-measures.md"
    filler = "\n\n".join(f"Paragraph {n} of a very long welcome that goes on and on." for n in range(2500))
    issue.write_text(
        issue.read_text("utf-8").replace("Hello, and welcome", filler + "\n\nHello, and welcome"), "utf-8"
    )
    approve_again(project, 10)
    result = run_sofs(project, "email", "render", "10", "--out", str(tmp_path))
    assert result.returncode == 1
    assert re.search(
        r"^content/issues/010-meaningful-measures\.md:\d+: error: the email of issue 10 would be \d+ KB "
        r"of HTML, over the 100 KB limit \(Gmail cuts off longer messages",
        result.stdout,
        re.MULTILINE,
    ), result.stdout
    assert result.stderr == "error: fix the problems above first; no email was made\n"
    assert not tmp_path.exists()


def test_unknown_issue_and_bad_number_are_usage_problems(project: Path) -> None:
    missing = run_sofs(project, "email", "render", "99")
    assert (missing.returncode, missing.stderr) == (1, "error: there is no issue 99 (issues: 10, 11)\n")
    bad = run_sofs(project, "email", "render", "ten")
    assert bad.returncode == 2 and "is not an issue number, like 10" in bad.stderr


def test_the_build_publishes_email_copies_of_shown_issues_only(project: Path) -> None:
    result = run_sofs(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    folder = project / "site/email"
    assert sorted(p.name for p in folder.iterdir()) == ["010.html", "010.txt"]
    rendered = run_sofs(project, "email", "render", "10", "--out", str(project / "copy"))
    assert rendered.returncode == 0
    assert (folder / "010.html").read_bytes() == (project / "copy/010.html").read_bytes()


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("../measures/1-keeping-children-safe.md", SITE + "measures/1-keeping-children-safe/"),
        ("../feedback/a-story.md#part", SITE + "feedback/a-story/#part"),
        ("../index.md", SITE),
        ("#welcome", WEB + "#welcome"),
        ("/feed.xml", SITE + "feed.xml"),
        ("../images/plan.svg", SITE + "images/plan.svg"),
        ("plan.svg", SITE + "issues/plan.svg"),
        ("https://example.org/x", "https://example.org/x"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
    ],
)
def test_links_become_full_web_addresses(href: str, expected: str) -> None:
    assert absolute_url(href, SITE, "issues/010-meaningful-measures.md") == expected
    assert page_address(SITE, "issues/010-meaningful-measures.md") == WEB


def test_plain_text_converter_writes_lists_quotes_and_links() -> None:
    html = (
        '<h2>Title</h2><p>See <a href="https://e.org/a">the page</a> and '
        '<a href="https://e.org/b">https://e.org/b</a>.</p>'
        "<ol><li>One</li><li>Two<ul><li>Inner</li></ul></li></ol>"
        "<blockquote><p>Quoted words</p></blockquote><pre>  code\n  more</pre>"
        '<p><img src="x.png" alt="A chart"> &amp; more</p>'
    )
    assert html_to_text(html) == (
        "Title\n-----\n\n"
        "See the page (https://e.org/a) and https://e.org/b.\n\n"
        "1. One\n2. Two\n  - Inner\n\n"
        "> Quoted words\n\n"
        "      code\n      more\n\n"
        "[A chart] & more\n"
    )


def test_links_follow_use_directory_urls(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "use_directory_urls: false\n", "utf-8")
    result = run_sofs(project, "email", "render", "10", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    hrefs = dict(parse((tmp_path / "out/010.html").read_text("utf-8")).links)
    assert SITE + "issues/010-meaningful-measures.html" in hrefs
    assert SITE + "tools/fire-drills.html" in hrefs


def test_every_address_in_an_email_names_a_file_the_build_wrote(tmp_path: Path) -> None:
    """Links and pictures written relative to the issue's file (`../images/plan.svg`) must
    lead where MkDocs published them."""
    root = fixture_project(tmp_path / "pictures", "feeds-issues")
    assert run_sofs(root, "build").returncode == 0
    html = (root / "site/email/002.html").read_text("utf-8")
    fixture_site = "https://fixture.example.org/"
    tags = parse(html).tags
    addresses = [values.get("href") or values.get("src", "") for tag, values in tags if tag in ("a", "img")]
    assert all(a.startswith(("https://", "mailto:")) for a in addresses), addresses
    local = {a.split("#")[0] for a in addresses if a.startswith(fixture_site)}
    assert fixture_site + "images/plan.svg" in local
    for address in local:
        path = address.removeprefix(fixture_site)
        built = root / "site" / path
        assert (built / "index.html").is_file() if path.endswith("/") or not path else built.is_file(), (
            address
        )


def test_the_organisation_heads_the_masthead_and_is_named_in_the_footer(project: Path) -> None:
    """The `organisation` setting, when the settings have one, is shown in both parts."""
    from generator.checks.project import check_project
    from generator.content.visibility import Visibility
    from generator.generate.context import BuildContext
    from generator.generate.email_render import organisation_of, render_issue

    site = check_project(project, use_cache=False).site
    assert site.settings.organisation == "Adults and Children's Services"
    issue = next(i for i in site.issues if i.number == 10)
    rendered = render_issue(BuildContext(site, Visibility(issue.date)), issue)
    masthead = rendered.html.split('class="masthead"', 1)[1].split("</td>", 1)[0]
    assert "Adults and Children's Services</span>Signs of Safety newsletter" in masthead
    assert (
        "subscribed to the Signs of Safety newsletter from Adults and Children's Services." in rendered.html
    )
    assert rendered.text.startswith("Adults and Children's Services\nSigns of Safety newsletter\n\n")
    unnamed = dataclasses.replace(site, settings=dataclasses.replace(site.settings, organisation=None))
    assert organisation_of(unnamed.settings) == "", "without the setting, nothing is shown"
    plain = render_issue(BuildContext(unnamed, Visibility(issue.date)), issue)
    assert "organisation" not in plain.html and plain.text.startswith("Signs of Safety newsletter\n")


def test_a_picture_gets_its_own_width_and_a_resized_picture_renders_again(tmp_path: Path) -> None:
    root = wide_issue_project(tmp_path / "wide")
    assert run_sofs(root, "build").returncode == 0
    (picture,) = [
        attrs for tag, attrs in parse((root / "site/email/010.html").read_text("utf-8")).tags if tag == "img"
    ]
    assert (picture["width"], picture["height"]) == ("552", "276"), "an 800 by 400 picture, made 552 wide"
    small = WIDE_PICTURE.replace('width="800" height="400"', 'width="300" height="120"')
    (root / "content/images/wide-chart.svg").write_text(small, "utf-8")
    assert run_sofs(root, "build").returncode == 0
    (picture,) = [
        attrs for tag, attrs in parse((root / "site/email/010.html").read_text("utf-8")).tags if tag == "img"
    ]
    assert (picture["width"], picture["height"]) == ("300", "120"), "the build cache saw the new size"


def test_a_long_tables_cells_take_their_style_from_the_head(tmp_path: Path) -> None:
    """A data table's cells carry no style of their own (it would be repeated on every cell):
    the table keeps its width and border inline, the cells are styled from the <head>."""
    root = fixture_project(tmp_path / "p")
    issue = root / "content/issues/001-first-issue.md"
    rows = "".join(f"| Team {n} | {n % 7} visits |\n" for n in range(450))
    text = issue.read_text(encoding="utf-8")
    issue.write_text(
        text.replace("## Welcome\n", f"## Welcome\n\n| Team | Visits |\n| ---- | ------ |\n{rows}\n"), "utf-8"
    )
    out = tmp_path / "out"
    result = run_sofs(root, "email", "render", "1", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "001.html").read_text(encoding="utf-8")
    (table,) = lxml.html.fromstring(html).find_class("data")
    cells = table.xpath(".//th | .//td")
    assert len(cells) == 2 * 451
    assert all("style" not in cell.attrib for cell in cells)
    assert "width: 100%" in table.get("style") and "border-collapse: collapse" in table.get("style")
    assert len(html.encode("utf-8")) < 40 * 1024, "about 60 bytes a row, not 400"
