"""Example values and blanks to fill in, which a service must replace with its own.

Sample content marks what it made up, in one of two ways:

- in the text (body or a front-matter value, and `mkdocs.yml`), a marker in square
  brackets: `[EXAMPLE: ...]` around example text, `[FILL: ...]` for a blank, its text
  saying what to write there. Markers render as they are, so readers see them;
- in the front matter, `examples: [date, approved_by]` names the fields whose values are
  only examples (a value must still be valid, so it cannot carry a marker itself).

Each one is a warning. A marker in an issue that is `ready` or `published`, or in a team
story of such an issue, is an error: the issue's text goes out to readers as it is. An
example field value stays a warning even there, because it is not shown as text (the
issue's page and email say "example date" by a date listed in `examples`), and the sample
issue 10 is published with an example date and sign-off."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.markdown_scan import without_code_spans
from ..content.model import Issue, Measure, Origin, Page, Principle, Site, Story, Tool
from ..content.source_lines import SourceLines
from ..settings.reader import CONFIG_FILE

#: `[EXAMPLE: text]` or `[FILL: what to write]`; the keyword in any case, text on one line.
MARKER = re.compile(r"\[\s*(EXAMPLE|FILL)\s*:\s*([^\[\]\n]*?)\s*\]", re.IGNORECASE)
#: A marker's opening alone, `[EXAMPLE:` or `[FILL:` (its keyword is not an acronym).
MARKER_OPENING = re.compile(r"\[\s*(?:EXAMPLE|FILL)\s*:", re.IGNORECASE)
_SHOWN = 60


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1].rstrip() + "…"


def _marker_message(keyword: str, text: str, going_out: str | None) -> str:
    marker = f"[{keyword.upper()}: {_shown(text)}]"
    if keyword.upper() == "FILL":
        found, fix = f'a blank to fill in, "{marker}"', "write what it asks for in place of the whole marker"
    else:
        found, fix = f'example text, "{marker}"', "replace the whole marker with your own text, or delete it"
    if going_out:
        return f"{going_out} still has {found}: readers would see it as it is; {fix}"
    return f"{found}; {fix}"


def find_markers(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """Each marker in the numbered `lines`: its line, keyword and text."""
    for number, line in lines:
        if "[" not in line:
            continue
        for match in MARKER.finditer(line):
            yield number, match.group(1), match.group(2)


def _visible_lines(source: SourceLines) -> Iterator[tuple[int, str]]:
    """The file's lines outside fenced code, code spans and HTML comments (which readers
    never see); front matter without its `#` comment lines."""
    for number, line in source.numbered():
        if number in source.code:
            continue
        if source.is_front_matter(number):
            if not line.lstrip().startswith("#"):
                yield number, line
            continue
        columns = source.scan.comment_columns(number - 1)
        for start, end in reversed(columns):
            line = line[:start] + " " * (end - start) + line[end:]
        yield number, without_code_spans(line)


def _field_value(source: SourceLines, line: int) -> str:
    text = source.lines[line - 1] if 0 < line <= len(source.lines) else ""
    return text.split(":", 1)[1].strip() if ":" in text else ""


def _example_fields(origin: Origin, source: SourceLines | None) -> list[Diagnostic]:
    problems = []
    line_of_list = origin.line_of("examples")
    for name in origin.examples:
        line = origin.field_lines.get(name)
        if name == "examples":
            continue
        if line is None or source is None:
            problems.append(
                warning(
                    origin.path,
                    line_of_list,
                    "example.unknown-field",
                    f'`examples` names "{name}", but this file has no field "{name}"; '
                    "take it out of `examples`, or check its spelling",
                )
            )
            continue
        value = _shown(_field_value(source, line))
        problems.append(
            warning(
                origin.path,
                line,
                "example.value",
                f"`{name}: {value}` is an example value (it is listed in `examples`); "
                f'put in the real value, then take "{name}" out of `examples`',
            )
        )
    return problems


def _going_out(site: Site) -> dict[str, str]:
    """The files whose text goes out to readers as it is: each ready or published issue and
    its team stories, with how a message names them."""
    out: dict[str, str] = {}
    for issue in site.issues:
        if issue.status in ("ready", "published"):
            out[issue.origin.path] = f"issue {issue.number} is {issue.status} but"
            for story in site.stories_of(issue):
                out[story.origin.path] = (
                    f"this story is in issue {issue.number}, which is {issue.status}, but"
                )
    return out


def _origins(site: Site) -> Iterator[Origin]:
    items: tuple[Issue | Story | Measure | Principle | Tool | Page, ...] = (
        *site.issues,
        *site.stories,
        *site.measures,
        *site.principles,
        *site.processes,
        *site.variants,
        *site.tools,
        *site.pages,
    )
    return (item.origin for item in items)


def content_example_problems(site: Site) -> list[Diagnostic]:
    """Every example marker and example field value left in the content files."""
    sources = {source.path: source for source in site.sources}
    going_out = _going_out(site)
    problems: list[Diagnostic] = []
    for source in site.sources:
        where = going_out.get(source.path)
        report = error if where else warning
        for number, keyword, text in find_markers(_visible_lines(source)):
            problems.append(
                report(source.path, number, "example.marker", _marker_message(keyword, text, where))
            )
    for origin in _origins(site):
        if origin.examples:
            problems += _example_fields(origin, sources.get(origin.path))
    return problems


def settings_example_problems(root: Path) -> list[Diagnostic]:
    """Every example marker in `mkdocs.yml`, comments included (settings a service must
    replace, such as the sample's staff names)."""
    try:
        text = (root / CONFIG_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []  # the settings reader has reported it
    return [
        warning(CONFIG_FILE, number, "example.marker", _marker_message(keyword, body, None))
        for number, keyword, body in find_markers(enumerate(text.splitlines(), start=1))
    ]


def example_problems(site: Site) -> list[Diagnostic]:
    """The example markers and values of the content files and of `mkdocs.yml`."""
    return [*content_example_problems(site), *settings_example_problems(site.settings.root)]
