"""Hostile content never crashes the tool: property-based tests with hypothesis.

Random and mutated front matter, bodies, bytes and settings are written into a copy of the
minimal fixture site, and the real checker (`check_project`) runs on it in this process.
Whatever the input, the outcome must be a report of well-formed diagnostics; an exception
fails the test. YAML tags that would run code write a marker file if they ever ran.

The examples are derived from a fixed seed and no example database is kept, so every CI
run tries the same inputs. SOFS_HYPOTHESIS_EXAMPLES=N runs N examples per test instead
(try a few thousand locally after changing the loader or the checks).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, fixture_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.basics.diagnostics import Diagnostic, Severity
from generator.basics.yamlread import YamlProblem, read_yaml
from generator.checks.project import CheckResult, check_project
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.extra_files import extra_outputs
from generator.generate.pages import generate_docs
from generator.settings.reader import load_settings

EXAMPLES = int(os.environ.get("SOFS_HYPOTHESIS_EXAMPLES", "0")) or None


def profile(examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


FOLDERS = ("issues", "feedback", "measures", "principles", "processes", "variants", "tools", "pages")
FIELDS = (
    "issue", "title", "date", "summary", "status", "type", "measures", "principles", "tools", "tags",
    "team", "name", "aliases", "category", "measure", "indicators", "acronyms",
)  # fmt: skip
CODE = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_project(tmp_path_factory.mktemp("hostile") / "site")


@pytest.fixture(scope="module")
def marker(project: Path) -> Path:
    """A file that only a YAML tag running code would create."""
    return project.parent / "TAG-WAS-EXECUTED"


def tag_snippets(marker: Path) -> list[str]:
    return [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        f"!!python/object/new:os.system [touch {marker}]",
        f'!!python/object/apply:builtins.exec ["open(\\"{marker}\\", \\"w\\")"]',
        "!!python/name:os.system",
        "!!python/module:os",
        "!ENV [HOME]",
        "!!binary aGVsbG8=",
        "!!timestamp 2025-99-99",
        "!!int 0x",
        "!!float nope",
        "!!set {a, b}",
        "!!omap [a: 1, b: 2]",
        "!<tag:example.org,2025:thing> value",
    ]


LAUGHS = "\n".join(
    [
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        *(f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]" for n in range(8)),
        "title: *i",
        "tags: [*i]",
    ]
)
HOSTILE_TEXT = [
    LAUGHS,
    "self: &s [*s]",
    "title: " + "[" * 2000 + "]" * 2000,
    "title: " + "{a: " * 500 + "1" + "}" * 500,
    "tags:\n" + "".join("  " * n + "- \n" for n in range(300)),
    "issue: " + "9" * 5000,
    "issue: 1e400",
    "issue: -0",
    "issue: 0x10",
    "date: 2025-02-30",
    "date: 10000-01-01",
    "date: 2025-01-01 25:61:00",
    "measures: [1, [2, [3]]]",
    "? [complex, key]\n: value",
    "<<: {title: merged}",
    "<<: *undefined",
    "title: \x00",
    "title: \ufeff\u202e\u200b",
    "title: " + "x" * 200_000,
    "\t- tab",
    "%YAML 1.1\n---",
    "--- !!map\n---",
    "title: 'unclosed",
    'title: "bad \\q escape"',
    "&anchor",
    "*alias",
    "title: |\n  block\n text",
]
HOSTILE_BODY = [
    "![x](../../etc/passwd)",
    "[a](../../../secret.md)",
    "[b](/etc/shadow)",
    "[c](file:///etc/passwd)",
    "<img src='..\\..\\..\\windows\\win.ini' alt='x'>",
    '<a href="\\\\server\\share\\notes.docx">notes</a>',
    "[d]: ../../../private/key.pem",
    "<file:///home/me/.ssh/id_rsa>",
    "## " + "Heading " * 1000,
    "#" * 7 + " too deep",
    "```\n" * 3,
    "> " * 2000 + "quote",
    "- " * 2000 + "list",
    "<!-- unclosed comment",
    "<script>alert(1)</script>",
    "a" * 100_000,
    "\r\n\r\r\n",
    "\x00",
    "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    "[link](<../../spaces in name.md>)",
    "![](../" * 50,
]


def assert_well_formed(result: CheckResult) -> None:
    assert isinstance(result, CheckResult)
    for problem in result.report.diagnostics:
        assert isinstance(problem, Diagnostic)
        assert problem.severity in (Severity.ERROR, Severity.WARNING)
        assert isinstance(problem.line, int) and problem.line >= 0
        assert problem.message.strip() and "Traceback" not in problem.message
        assert CODE.match(problem.code), problem.code
        assert not problem.path.startswith("/") and ".." not in problem.path.split("/"), problem.path
        assert str(problem).startswith(problem.path)


@pytest.fixture
def scratch(marker: Path) -> Iterator[None]:
    """Fails the test if any example's YAML tag ran code (and so wrote the marker)."""
    yield
    assert not marker.exists(), "a YAML tag was executed"


def run_with(project: Path, files: dict[str, bytes]) -> CheckResult:
    """Check the project with `files` added or replaced, then put everything back."""
    saved: dict[Path, bytes | None] = {}
    for relative, data in files.items():
        path = project / relative
        saved[path] = path.read_bytes() if path.is_file() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    try:
        return check_project(project)
    finally:
        for path, before in saved.items():
            if before is None:
                path.unlink()
            else:
                path.write_bytes(before)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**60),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["draft", "published", "newsletter", "first-contact", "harm-matrix", "2025-01-06", ""]),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.binary(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=16,
)
front_matter = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12), values, max_size=9)
file_names = st.sampled_from(
    ["001-first-issue", "002-next", "x", "a-b-c", "Bad Name", ".hidden", "ümlaut", "1"]
)
body_chunks = st.lists(
    st.one_of(
        st.text(max_size=60), st.sampled_from(HOSTILE_BODY), st.text(max_size=30).map(lambda t: f"## {t}")
    ),
    max_size=6,
)


@profile(150)
@given(folder=st.sampled_from(FOLDERS), name=file_names, meta=front_matter, body=body_chunks)
def test_random_front_matter_and_bodies_give_diagnostics(
    project: Path, scratch: None, folder: str, name: str, meta: dict[str, Any], body: list[str]
) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + "\n\n".join(body)
    result = run_with(project, {f"content/{folder}/{name}.md": text.encode("utf-8", "surrogatepass")})
    assert_well_formed(result)


YAML_TOKENS = [*":-[]{},&*!|>'\"%@`#?\\\t\n ", "a", "1", "title", "issue", "  ", "\n- ", "\n  "]
yaml_soup = st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join)


@st.composite
def raw_front_matter(draw: st.DrawFn, marker: Path) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(HOSTILE_TEXT),
                st.sampled_from(tag_snippets(marker)).map(
                    lambda tag: f"{draw(st.sampled_from(FIELDS))}: {tag}"
                ),
                yaml_soup,
                st.text(max_size=20),
            ),
            min_size=1,
            max_size=5,
        )
    )
    return "\n".join(parts)


@profile(200)
@given(data=st.data(), folder=st.sampled_from(FOLDERS))
def test_malformed_yaml_gives_diagnostics(
    project: Path, marker: Path, scratch: None, data: st.DataObject, folder: str
) -> None:
    meta = data.draw(raw_front_matter(marker))
    text = f"---\n{meta}\n---\n\n## Welcome\n\nHello.\n"
    result = run_with(
        project, {f"content/{folder}/001-first-issue.md": text.encode("utf-8", "surrogatepass")}
    )
    assert_well_formed(result)


def fixture_files() -> list[tuple[str, bytes]]:
    base = FIXTURES / "minimal" / "content"
    return [(f"content/{p.relative_to(base).as_posix()}", p.read_bytes()) for p in sorted(base.rglob("*.md"))]


@st.composite
def mutated(draw: st.DrawFn, original: bytes, marker: Path) -> bytes:
    data = bytearray(original)
    insertions = [
        s.encode("utf-8", "surrogatepass") for s in (*HOSTILE_TEXT, *HOSTILE_BODY, *tag_snippets(marker))
    ]
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "bytes", "truncate", "duplicate"]))
        if action == "insert":
            data[where:where] = b"\n" + draw(st.sampled_from(insertions)) + b"\n"
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 40))]
        elif action == "replace":
            data[where : where + 1] = draw(st.binary(min_size=1, max_size=4))
        elif action == "bytes":
            data[where:where] = draw(st.binary(max_size=32))
        elif action == "truncate":
            del data[where:]
        else:
            data[where:where] = data[max(0, where - 60) : where]
    return bytes(data)


@profile(250)
@given(data=st.data(), target=st.sampled_from(fixture_files()))
def test_mutated_valid_files_give_diagnostics(
    project: Path, marker: Path, scratch: None, data: st.DataObject, target: tuple[str, bytes]
) -> None:
    relative, original = target
    result = run_with(project, {relative: data.draw(mutated(original, marker))})
    assert_well_formed(result)


@profile(60)
@given(raw=st.binary(max_size=400), front=st.booleans())
def test_binary_files_give_diagnostics(project: Path, scratch: None, raw: bytes, front: bool) -> None:
    data = (b"---\ntitle: x\n---\n" + raw) if front else raw
    assert_well_formed(run_with(project, {"content/pages/binary.md": data}))


@profile(400)
@given(text=st.one_of(st.text(max_size=200), yaml_soup), tolerant=st.booleans())
def test_yaml_reader_raises_only_its_own_problem(text: str, tolerant: bool) -> None:
    try:
        read_yaml(text, tolerant=tolerant)
    except YamlProblem as problem:
        assert problem.line >= 1 and problem.message


@pytest.mark.parametrize(
    "snippet",
    [*HOSTILE_TEXT, "title: !!python/object/apply:os.system [true]"],
    ids=lambda snippet: re.sub(r"\W+", "-", snippet[:24]).strip("-") or "blank",
)
def test_each_hostile_front_matter_gives_a_located_error(project: Path, scratch: None, snippet: str) -> None:
    text = f"---\nissue: 1\n{snippet}\n---\n\n## Welcome\n\nHello.\n"
    result = run_with(project, {"content/issues/001-first-issue.md": text.encode("utf-8", "surrogatepass")})
    assert_well_formed(result)
    mine = [d for d in result.report.diagnostics if d.path == "content/issues/001-first-issue.md"]
    assert any(d.severity is Severity.ERROR for d in mine), snippet


def test_ten_megabyte_file_is_refused_without_reading_it_all(project: Path, scratch: None) -> None:
    big = b"---\ntitle: big\n---\n" + b"All work and no play. " * 500_000
    result = run_with(project, {"content/pages/big.md": big})
    assert [d.code for d in result.report.diagnostics if d.path == "content/pages/big.md"] == [
        "file.too-large"
    ]


RENDER_BODY = [
    "## " + "Heading " * 200,
    "####### seven hashes",
    "```\n" * 3,
    "~~~\nan unclosed fence",
    "<!-- an unclosed comment",
    "a" * 9_000,
    "*" * 500,
    "[" * 500,
    "`" * 200,
    "\\" * 100,
    "<span>" * 100,
    "|a|b|\n|-|-|\n" + "|x|y|\n" * 50,
    "&#0; &#xD800; &#1114112; &amp &#x1F; &#65535;",
    "<div markdown='1'>\n\n*inside*",
    "[^1] and [^1]: a footnote",
    "!!! note\n" + "    indented\n" * 50,
    "Text\n===\n---\n***",
    "[link](<a file with spaces.md>) and [empty]() and [x](#)",
    "\u202e\u200b\ufeff\u00a0\u2028\u2029 invisible and bidi characters",
]
render_chunks = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80),
        st.sampled_from(RENDER_BODY),
    ),
    max_size=6,
)


@profile(60)
@given(body=render_chunks, nested=st.integers(0, 3))
def test_content_the_checker_accepts_renders_without_crashing(
    project: Path, scratch: None, body: list[str], nested: int
) -> None:
    """The core's own rendering (generated pages, feeds, email copies) of any issue the
    checker lets through; MkDocs renders the same Markdown."""
    issue = project / "content/issues/001-first-issue.md"
    extra = "\n\n".join([*body, "> " * (nested * 6) + "quoted"])
    text = issue.read_bytes() + b"\n" + extra.encode("utf-8", "surrogatepass") + b"\n"
    result = run_with(project, {"content/issues/001-first-issue.md": text})
    assert_well_formed(result)
    if not result.report.errors:
        context = BuildContext(result.site, Visibility(dt.date(2026, 1, 15), include_drafts=True))
        assert generate_docs(context).pages
        assert "feed.xml" in extra_outputs(context)


def test_markdown_nested_too_deeply_is_refused_before_the_build(project: Path, scratch: None) -> None:
    issue = project / "content/issues/001-first-issue.md"
    lines = issue.read_text("utf-8").count("\n")
    deep = "\n" + "> " * 900 + "deep\n\n" + "- " * 21 + "list\n\n" + "> " * 20 + "fine\n"
    result = run_with(project, {"content/issues/001-first-issue.md": issue.read_bytes() + deep.encode()})
    found = [(d.line, d.code) for d in result.report.diagnostics if d.code == "markdown.too-deep"]
    assert found == [(lines + 2, "markdown.too-deep"), (lines + 4, "markdown.too-deep")]


def test_a_very_long_line_is_refused_with_its_line(project: Path, scratch: None) -> None:
    body = "Hello " * 300_000  # one 1.8 MB line, just under the size limit
    result = run_with(project, {"content/pages/long.md": f"---\ntitle: Long\n---\n\n{body}\n".encode()})
    found = [(d.line, d.code) for d in result.report.diagnostics if d.path == "content/pages/long.md"]
    assert found == [(5, "file.line-too-long")]


@pytest.mark.parametrize("unit", ["a", "@", "a@", "[", "![", "[](", "<", "<a ", "`", "{:", "<!--", "http://"])
def test_long_lines_of_markup_just_under_the_limit_are_checked(
    project: Path, scratch: None, unit: str
) -> None:
    line = unit * (9_999 // len(unit))
    issue = project / "content/issues/001-first-issue.md"
    result = run_with(
        project, {"content/issues/001-first-issue.md": issue.read_bytes() + f"\n{line}\n".encode()}
    )
    assert_well_formed(result)


SETTING_KEYS = (
    "templates_dir", "timezone", "mailbox", "subscribers_db", "feed_limit", "default_issue_type", "teams",
    "issue_types", "privacy_allow", "reading_ease_min", "colour",
)  # fmt: skip
TOP_KEYS = ("site_name", "site_url", "docs_dir", "site_dir", "theme", "plugins", "hooks")


@profile(150)
@given(
    options=st.dictionaries(st.sampled_from(SETTING_KEYS), values, max_size=6),
    top=st.dictionaries(st.sampled_from(TOP_KEYS), values, max_size=3),
)
def test_random_settings_give_diagnostics(
    project: Path, scratch: None, options: dict[str, Any], top: dict[str, Any]
) -> None:
    config = yaml.safe_load((FIXTURES / "minimal" / "mkdocs.yml").read_text("utf-8"))
    config["plugins"] = ["search", {"sofs": {**config["plugins"][1]["sofs"], **options}}]
    config.update(top)
    text = yaml.safe_dump(config, allow_unicode=True).encode("utf-8", "surrogatepass")
    assert_well_formed(run_with(project, {"mkdocs.yml": text}))


@profile(150)
@given(data=st.data())
def test_mutated_settings_give_diagnostics(
    project: Path, marker: Path, scratch: None, data: st.DataObject
) -> None:
    original = (FIXTURES / "minimal" / "mkdocs.yml").read_bytes()
    mutant = data.draw(mutated(original, marker))
    settings_only, problems = load_settings(_written(project, mutant))
    assert all(isinstance(p, Diagnostic) and p.path == "mkdocs.yml" for p in problems)
    assert isinstance(settings_only.site_dir, str)
    assert_well_formed(run_with(project, {"mkdocs.yml": mutant}))


def _written(project: Path, config: bytes) -> Path:
    """A separate folder holding only `mkdocs.yml`, for reading settings alone."""
    folder = project.parent / "settings-only"
    folder.mkdir(exist_ok=True)
    (folder / "mkdocs.yml").write_bytes(config)
    return folder


OUTSIDE = ["../../", "../../../", "../../../../etc/", "/", "/home/me/", "file:///etc/", "file:", "C:\\Users\\me\\",
           "c:/temp/", "..\\..\\", "%2e%2e/%2e%2e/", "..%2F..%2F", "../%2e%2e/", "\\\\server\\share\\",
           "./../../", "../measures/../../"]  # fmt: skip
INSIDE = ["", "./", "../", "../measures/", "../tools/./", "sub/../", "https://example.org/../../",
          "mailto:", "#", "//cdn.example.org/"]  # fmt: skip


@profile(150)
@given(
    prefix=st.sampled_from(OUTSIDE + INSIDE),
    name=st.sampled_from(["passwd", "secret.md", "photo.jpg", "x y.png", "1-keeping-children-safe.md"]),
    form=st.sampled_from(
        [
            "[text]({})",
            "![A photo]({})",
            "[text](<{}>)",
            '<img alt="p" src="{}">',
            "<a href='{}'>text</a>",
            "[ref]: {}",
            "`[code]({})`",
        ]
    ),
)
def test_paths_leaving_content_are_errors_on_their_line(
    project: Path, scratch: None, prefix: str, name: str, form: str
) -> None:
    issue = project / "content/issues/001-first-issue.md"
    text = issue.read_text("utf-8")
    address = prefix + name
    line = text.count("\n") + 2
    result = run_with(
        project, {"content/issues/001-first-issue.md": f"{text}\n{form.format(address)}\n".encode()}
    )
    assert_well_formed(result)
    found = [d for d in result.report.diagnostics if d.code == "path.outside"]
    if prefix in OUTSIDE and not form.startswith("`"):  # code spans are shown as text, not followed
        assert [(d.path, d.line) for d in found] == [("content/issues/001-first-issue.md", line)], address
    else:
        assert found == [], address
