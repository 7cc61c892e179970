"""Bad input found by `sofs check` or refused at the door, never a crash later: line breaks
in one-line values, header values on the email path, settings that read from elsewhere,
spreadsheets as Excel saves them, empty titles, and output read by `head`."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, fixture_project, run_sofs
from email_helpers import addresses, write_csv

from generator.basics.fields import LINE_BREAKS, FieldProblem, Text, TextList
from generator.checks.project import check_project
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.email_render import EmailRenderError, render_issue
from generator.mail.message import build_message, new_message_id

#: Every character Python's `str.splitlines` breaks at, worked out rather than listed.
SPLITLINES_BREAKS = [chr(c) for c in range(sys.maxunicode + 1) if len(f"a{chr(c)}b".splitlines()) > 1]


def test_every_line_break_python_knows_is_named() -> None:
    assert sorted(LINE_BREAKS) == sorted(SPLITLINES_BREAKS)


@pytest.mark.parametrize("brk", SPLITLINES_BREAKS, ids=lambda c: f"U+{ord(c):04X}")
def test_one_line_fields_refuse_every_line_break(brk: str) -> None:
    with pytest.raises(FieldProblem, match="must be on one line"):
        Text("title").convert(f"Signs of Safety{brk}in early help")
    with pytest.raises(FieldProblem, match="must be on one line"):
        TextList("tags").convert(["fine", f"not{brk}fine"])


@pytest.mark.parametrize("brk", ["\u2028", "\x85", "\x1e", "\v"], ids=lambda c: f"U+{ord(c):04X}")
def test_a_title_with_a_line_break_stops_email_send_before_the_ledger(tmp_path: Path, brk: str) -> None:
    root = fixture_project(tmp_path / "p")
    issue = root / "content/issues/001-first-issue.md"
    escaped = {"\u2028": "\\L", "\x85": "\\N", "\x1e": "\\x1e", "\v": "\\v"}[brk]
    text = issue.read_text(encoding="utf-8").replace(
        'title: "Our first issue"', f'title: "Our first{escaped}issue"'
    )
    issue.write_text(text, encoding="utf-8")
    run_sofs(root, "subscribers", "add", "jo@example.org")
    check = run_sofs(root, "check")
    assert check.returncode == 1
    assert 'content/issues/001-first-issue.md:3: error: field "title" must be on one line' in check.stdout
    for command in (("email", "render", "1"), ("email", "send", "1")):
        result = run_sofs(root, *command, env={"SOFS_SMTP_HOST": "127.0.0.1", "SOFS_SMTP_PORT": "9"})
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
    assert sorted(p.name for p in (root / "data").iterdir()) == ["subscribers.sqlite"]


def test_the_email_path_itself_refuses_a_header_with_a_line_break(tmp_path: Path) -> None:
    """Defence in depth: a title that slipped past the check never becomes a message."""
    root = fixture_project(tmp_path / "p")
    site = check_project(root, use_cache=False).site
    issue = dataclasses.replace(site.issues[0], title="Our first\u2028issue")
    context = BuildContext(site, Visibility(site.issues[0].date))
    with pytest.raises(EmailRenderError, match=r"line separator \(U\+2028\)"):
        render_issue(context, issue)
    rendered = render_issue(context, site.issues[0])
    bad = dataclasses.replace(rendered, subject="Issue 1: a\x85b")
    with pytest.raises(EmailRenderError, match="next-line character"):
        build_message(
            site.settings,
            bad,
            to=None,
            message_id=new_message_id(site.settings, 1),
            date=dt.datetime.now(dt.UTC),
        )
    named = dataclasses.replace(site.settings, site_name="Fixture\u2029newsletter")
    with pytest.raises(EmailRenderError, match="paragraph separator"):
        render_issue(
            BuildContext(dataclasses.replace(site, settings=named), context.visibility), site.issues[0]
        )


def test_an_email_over_the_limit_stops_the_build_at_check(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p", "invalid/email-too-large")
    (root / "site").mkdir()
    (root / "site/index.html").write_text("the last good site", encoding="utf-8")
    result = run_sofs(root, "build")
    assert result.returncode == 1
    assert result.stdout.startswith(
        "content/issues/002-every-visit.md:10: error: the email of issue 2 would be"
    )
    assert "[email.size]" in result.stdout
    assert (root / "site/index.html").read_text(encoding="utf-8") == "the last good site"


def test_an_oversized_draft_is_a_warning_until_it_is_ready(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p", "invalid/email-too-large")
    issue = root / "content/issues/002-every-visit.md"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8"
    )
    result = run_sofs(root, "check")
    assert result.returncode == 0, result.stdout
    assert ":10: warning: the email of issue 2 would be" in result.stdout


def test_env_is_allowed_where_nothing_is_published(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - search\n", "  - search\n  - git-committers:\n      token: !ENV [GITHUB_TOKEN, '']\n"
    )
    config.write_text(text + 'dev_addr: !ENV [DEV_ADDR, "127.0.0.1:8000"]\nstrict: !ENV [STRICT, false]\n')
    result = run_sofs(root, "check", "--strict")
    assert (result.returncode, result.stdout) == (0, "No problems found.\n")


def test_snippets_inside_the_project_are_fine(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    (root / "snippets").mkdir()
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "markdown_extensions:\n  - abbr\n  - pymdownx.snippets:\n      base_path: [snippets]\n"
        "      check_paths: true\n      auto_append: [abbreviations.md]\n"
        "  - pymdownx.details\n  - markdown.extensions.toc:TocExtension\n",
        encoding="utf-8",
    )
    result = run_sofs(root, "check", "--strict")
    assert (result.returncode, result.stdout) == (0, "No problems found.\n")


@pytest.mark.parametrize(
    "line",
    [
        "INHERIT: base.yml",
        "site_author: !ENV AUTHOR",
        "extra:\n  footer: !ENV [FOOTER, none]",
        "markdown_extensions:\n  - mdx_include",
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative $config_dir\n      check_paths: true",
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ../\n      check_paths: true",
        "markdown_extensions:\n  - tabels",
        "repo_url: !relative $config_dir",
        "extra:\n  home: !relative",
        "markdown_extensions: abbr",
        "markdown_extensions:\n  - os:system",
        "markdown_extensions:\n  - toc:\n      permalinkk: true",
    ],
)
def test_settings_that_read_elsewhere_are_located(tmp_path: Path, line: str) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    config.write_text(before + line + "\n", encoding="utf-8")
    result = run_sofs(root, "check")
    assert result.returncode == 1
    first = before.count("\n") + 1
    located = [d for d in result.stdout.splitlines() if d.startswith("mkdocs.yml:")]
    assert located, result.stdout
    assert all(int(d.split(":")[1]) >= first for d in located), located
    assert "Traceback" not in result.stdout + result.stderr


def test_a_misspelt_extension_gets_a_suggestion(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - tabels\n")
    result = run_sofs(root, "check")
    assert 'the Markdown extension "tabels" is not installed' in result.stdout
    assert 'did you mean "tables"?' in result.stdout


# -- subscribers CSV as spreadsheets save it -----------------------------------------------------
def _import(root: Path, name: str, data: bytes) -> subprocess.CompletedProcess[str]:
    path = root / name
    path.write_bytes(data)
    return run_sofs(root, "subscribers", "import", name)


def test_excel_csv_utf8_with_semicolons_and_bom(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    data = (
        codecs.BOM_UTF8 + b"Name;Email;Team\r\nJo Bloggs;jo@example.org;First\r\nSam;sam@example.org;EH\r\n"
    )
    result = _import(root, "staff.csv", data)
    assert result.returncode == 0, result.stdout
    assert "2 added" in result.stdout
    assert run_sofs(root, "subscribers", "list").stdout == "jo@example.org\nsam@example.org\n"


def test_excel_csv_in_windows_1252_without_a_header(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    data = "renee@example.org;Renée Dupré\r\njose@example.org;José\r\n".encode("cp1252")
    result = _import(root, "staff.csv", data)
    assert result.returncode == 0, result.stdout
    assert run_sofs(root, "subscribers", "list").stdout == "jose@example.org\nrenee@example.org\n"


def test_excel_tabs_and_a_sep_line(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    assert _import(root, "a.csv", b"Email\tName\r\nu@example.org\tU\r\n").returncode == 0
    assert _import(root, "b.csv", b"sep=;\r\nname;email\r\nS;s@example.org\r\n").returncode == 0
    assert run_sofs(root, "subscribers", "list").stdout == "s@example.org\nu@example.org\n"


def test_an_unclosed_quote_is_reported_where_it_opens_and_later_rows_are_kept(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    rows = ["a@example.org,Ann", '"b@example.org,Bob', "c@example.org,Cat", "d@example.org,Dan"]
    csv = write_csv(root / "staff.csv", rows, header="email,name")
    result = run_sofs(root, "subscribers", "import", str(csv))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f'{csv}:3: error: a quote (") opens on this line and is never closed, so the lines after it '
        "would be read as one address; close the quote on this line or delete it; this line was skipped "
        "[subscriber.csv]"
    )
    listed = run_sofs(root, "subscribers", "list").stdout
    assert listed == "a@example.org\nc@example.org\nd@example.org\n"


def test_a_quote_closed_lines_later_is_reported_at_its_opening(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    rows = ['"a@example.org', "b@example.org", 'c@example.org"', "d@example.org"]
    csv = write_csv(root / "staff.csv", rows)
    result = run_sofs(root, "subscribers", "import", str(csv))
    assert result.stdout.splitlines()[0].startswith(
        f'{csv}:2: error: a quote (") opens on this line and is closed only on line 4'
    )
    assert "b@example.org" in run_sofs(root, "subscribers", "list").stdout


def test_a_note_over_two_lines_in_another_column_is_fine(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    result = _import(root, "staff.csv", b'email,notes\r\na@example.org,"two\r\nlines"\r\nb@example.org,x\r\n')
    assert result.returncode == 0, result.stdout
    assert "2 added" in result.stdout


def test_a_lone_email_header_over_semicolon_rows(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    result = _import(root, "staff.csv", b"Email\na@example.org;Jo\nb@example.org;Sam\n")
    assert result.returncode == 0, result.stdout
    assert run_sofs(root, "subscribers", "list").stdout == "a@example.org\nb@example.org\n"


def test_a_workbook_instead_of_a_csv_is_refused_plainly(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    result = _import(root, "staff.xlsx", b"PK\x03\x04\x14\x00\x06\x00")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: staff.xlsx is not UTF-8 text: it is a spreadsheet or other binary"
    )
    assert (
        not (root / "data/subscribers.sqlite").exists() or run_sofs(root, "subscribers", "list").stdout == ""
    )


# -- sofs new issue --title ------------------------------------------------------------------
@pytest.mark.parametrize("title", ["", "   ", "Two\nlines", "Two\u2028lines", "Tab\x0bbed", "=?utf-8?q?x?="])
def test_new_issue_refuses_a_title_that_cannot_be_one(project: Path, title: str) -> None:
    before = sorted((project / "content/issues").iterdir())
    result = run_sofs(project, "new", "issue", "--title", title)
    assert result.returncode == 2
    assert result.stderr.startswith("sofs new issue: error: argument --title: the title ")
    assert "nothing was written" in result.stderr
    assert sorted((project / "content/issues").iterdir()) == before


# -- output read by `head` -------------------------------------------------------------------
@pytest.mark.parametrize("command", [("subscribers", "list"), ("--help",), ("check",)])
def test_a_reader_that_stops_early_gets_no_broken_pipe_error(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    root = fixture_project(tmp_path / "p")
    write_csv(root / "many.csv", addresses(3000))
    assert run_sofs(root, "subscribers", "import", "many.csv").returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *command],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SOFS_TODAY": FIXED_TODAY},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does once it has its line
    errors = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "BrokenPipe" not in errors and "Traceback" not in errors and "Exception ignored" not in errors


# -- tags that make MkDocs run code as it reads mkdocs.yml ------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        'extra:\n  x: !!python/object/apply:os.system ["touch PWNED"]',
        'extra:\n  - !!python/object/new:os.system ["touch PWNED"]',
        'extra:\n  ? !!python/object/apply:os.system "touch PWNED"\n  : 1',
        'extra:\n  x: !!python/module:os ""',
    ],
)
def test_python_tags_are_refused_before_mkdocs_reads_them(tmp_path: Path, line: str) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    config.write_text(before + line + "\n", encoding="utf-8")
    first = before.count("\n") + 1
    for command in (("check",), ("build",), ("serve", "--dev-addr", "127.0.0.1:9")):
        result = run_sofs(root, *command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert f"mkdocs.yml:{first + 1}: error: the tag !!python/" in result.stdout
        assert "[config.tag]" in result.stdout
    assert not (root / "PWNED").exists()


def test_python_name_as_material_emoji_uses_it_is_fine(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    result = run_sofs(root, "check", "--strict")
    assert (result.returncode, result.stdout) == (0, "No problems found.\n")


@pytest.mark.parametrize("brk", ["\\L", "\\N", "\\v", "\\x1e"])
def test_required_section_titles_and_aliases_are_one_line(tmp_path: Path, brk: str) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("- title: Principles", f'- title: "Princi{brk}ples"')
    text = text.replace("aliases: [Contact]", f'aliases: ["Con{brk}tact"]')
    config.write_text(text, encoding="utf-8")
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert 'mkdocs.yml:21: error: "title" must be on one line' in result.stdout
    assert 'mkdocs.yml:23: error: each of the "aliases" must be on one line' in result.stdout
    assert all(line.startswith(("mkdocs.yml:", "2 errors")) for line in result.stdout.splitlines())


def test_an_acronym_short_form_is_one_line_without_brackets(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    (root / "content/acronyms.md").write_text(
        '---\ntitle: Acronyms\nacronyms:\n  SGO: Special Guardianship Order\n  "S\\LGO": x\n'
        '  "[x]": y\n  "": z\n---\n',
        encoding="utf-8",
    )
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert "content/acronyms.md:5: error: an acronym's short form must be on one line" in result.stdout
    assert 'content/acronyms.md:6: error: the acronym "[x]" cannot contain square brackets' in result.stdout
    assert "content/acronyms.md:7: error: the acronym '' should be a short form" in result.stdout
    assert "\u2028" not in result.stdout


def test_a_mailbox_with_an_international_domain_is_located_with_its_ascii_form(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("practice@example.org", "practice@exämple.org")
    config.write_text(text, encoding="utf-8")
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert (
        "mkdocs.yml:10: error: \"mailbox\" 'practice@exämple.org' has letters outside ASCII" in result.stdout
    )
    assert "`mailbox: practice@xn--exmple-cua.org`" in result.stdout
    assert "templates/email" not in result.stdout


def test_a_tool_alias_thousands_of_characters_long_is_located(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    tool = next((root / "content/tools").glob("*.md"))
    text = tool.read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("name:"))
    lines.insert(at + 1, 'aliases: ["' + "x" * 1200 + '"]')
    tool.write_text(
        "\n".join(line for i, line in enumerate(lines) if not (line.startswith("aliases:") and i != at + 1)),
        encoding="utf-8",
    )
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert (
        f'content/tools/{tool.name}:{at + 2}: error: field "aliases" has an item that is 1,200 characters'
        in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr and "RecursionError" not in result.stderr
