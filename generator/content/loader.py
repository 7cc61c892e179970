"""Loading `content/` into a `Site`: every file read, every problem collected, none raised."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..basics.diagnostics import Diagnostic, error, warning
from ..basics.fields import (
    Choice,
    Date,
    Field,
    Number,
    NumberList,
    SlugList,
    Text,
    TextList,
    convert_fields,
    one_line_problem,
)
from ..basics.wording import slug as slug_of
from ..settings.reader import Settings
from .front_matter_quotes import curly_quote_problems
from .markdown_text import split_sections
from .model import GuideUpkeep, Issue, Measure, Origin, Page, Principle, Section, Site, Story, Tool
from .source_file import SourceText, read_source
from .source_lines import SourceLines
from .tool_mentions import LONGEST_TERM, ToolMatcher
from .walk import walk_content

TOOL_CATEGORIES = (
    "assessment",
    "planning",
    "working with children",
    "working with networks",
    "supervision and learning",
)

ISSUE_FIELDS: tuple[Field, ...] = (
    Number("issue", example="12"),
    Text("title", example='"Our title"'),
    Date("date"),
    Text("summary", example='"One or two sentences about this issue."'),
    Choice("status", example="draft", choices=("draft", "ready", "published")),
    Text("type", required=False, example="newsletter"),
    NumberList("measures", example="1, 2"),
    SlugList("principles", example="working-relationships"),
    SlugList("tools", example="harm-matrix"),
    TextList("tags", example="meaningful measures"),
    Text("approved_by", required=False, example='"Head of Service"'),
    Date("approved_on", required=False),
    Text("approved_sha256", required=False, example='"(written by sofs approve)"'),
    Text("anonymisation_reviewed_by", required=False, example='"Team manager, First Contact"'),
    Date("anonymisation_reviewed_on", required=False),
    Text("image", required=False, example="images/issue-12-cover.jpg"),
    Text(
        "image_alt", required=False, example='"Two social workers talking with a family at a kitchen table"'
    ),
)
STORY_FIELDS: tuple[Field, ...] = (
    Text("title", example='"A short headline"'),
    Text("team", example="first-contact"),
    Number("issue", example="10"),
    Date("date"),
    NumberList("measures", example="1, 2"),
    SlugList("tools", example="plan-rules"),
    Text("anonymisation_reviewed_by", required=False, example='"Team manager, First Contact"'),
    Date("anonymisation_reviewed_on", required=False),
)
#: On every guide page: who keeps it accurate, its sources, and when it is reviewed. They are
#: optional to load (a page without them still builds); `sofs check` warns when one is missing.
UPKEEP_FIELDS: tuple[Field, ...] = (
    Text("owner", required=False, example='"Practice lead"', max_chars=120),
    TextList(
        "sources",
        example="Turnell, A. & Edwards, S. (1999) Signs of Safety. New York: W. W. Norton.",
        max_chars=600,
    ),
    Date("last_reviewed", required=False),
    Date("review_by", required=False, example="2026-09-01"),
    TextList("examples", example="owner", max_chars=60),
)
MEASURE_FIELDS: tuple[Field, ...] = (
    Number("measure", example="1"),
    Text("title", example='"Keeping children safe"'),
    Text("summary", example='"One sentence about this measure."'),
    TextList("indicators", required=True, example="Rapid safety plans"),
    SlugList("tools", example="harm-matrix"),
    *UPKEEP_FIELDS,
)
PRINCIPLE_FIELDS: tuple[Field, ...] = (
    Text("title", example='"Stance of critical inquiry"'),
    Text("summary", required=False, example='"One sentence."'),
    *UPKEEP_FIELDS,
)
TOOL_FIELDS: tuple[Field, ...] = (
    # Tool names are matched in every page by a pattern one level deep per character.
    Text("name", example='"Harm matrix"', max_chars=LONGEST_TERM),
    TextList("aliases", example="harm matrices", max_chars=LONGEST_TERM),
    Text("summary", example='"One sentence about the tool."'),
    Choice("category", example="planning", choices=TOOL_CATEGORIES),
    *UPKEEP_FIELDS,
)
PAGE_FIELDS: tuple[Field, ...] = (Text("title", example='"About the newsletter"'),)
#: Optional in every content file: the names of its fields whose values are only examples
#: (see `checks.examples`).
EXAMPLES_FIELD = TextList("examples", required=False, example="date")

ACRONYMS_FILE = "acronyms.md"
_SLUG_FILE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class _Kind:
    folder: str
    noun: str
    fields: tuple[Field, ...]
    build: Callable[[dict[str, Any], SourceText, Origin, str, Settings], Any]
    #: The field holding the item's number, whose stand-in is read from the file name (`010-...`).
    number_field: str | None = None
    #: The field holding the item's name, whose stand-in is made from the file name.
    name_field: str = "title"


def _issue(
    values: dict[str, Any], source: SourceText, origin: Origin, slug: str, settings: Settings
) -> Issue:
    sections = tuple(
        Section(heading.text, source.body_first_line + heading.index, text)
        for heading, text in split_sections(source.body, level=2)
    )
    return Issue(
        number=values["issue"],
        title=values["title"],
        date=values["date"],
        summary=values["summary"],
        status=values["status"],
        type=values["type"] or settings.default_issue_type,
        measures=values["measures"],
        principles=values["principles"],
        tools=values["tools"],
        tags=values["tags"],
        body=source.body,
        sections=sections,
        slug=slug,
        origin=origin,
        approved_by=values["approved_by"],
        approved_on=values["approved_on"],
        approved_sha256=values["approved_sha256"],
        anonymisation_reviewed_by=values["anonymisation_reviewed_by"],
        anonymisation_reviewed_on=values["anonymisation_reviewed_on"],
        image=values["image"],
        image_alt=values["image_alt"],
    )


def _upkeep(values: dict[str, Any]) -> GuideUpkeep:
    return GuideUpkeep(
        owner=values["owner"],
        sources=values["sources"],
        last_reviewed=values["last_reviewed"],
        review_by=values["review_by"],
        examples=values["examples"],
    )


def _story(values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings) -> Story:
    return Story(
        slug=slug,
        title=values["title"],
        team=values["team"],
        issue=values["issue"],
        date=values["date"],
        measures=values["measures"],
        tools=values["tools"],
        body=source.body,
        origin=origin,
        anonymisation_reviewed_by=values["anonymisation_reviewed_by"],
        anonymisation_reviewed_on=values["anonymisation_reviewed_on"],
    )


def _measure(values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings) -> Measure:
    return Measure(
        number=values["measure"],
        slug=slug,
        title=values["title"],
        summary=values["summary"],
        indicators=values["indicators"],
        tools=values["tools"],
        body=source.body,
        origin=origin,
        upkeep=_upkeep(values),
    )


def _principle(
    values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings
) -> Principle:
    return Principle(
        slug, values["title"], values["summary"] or "", source.body, origin, upkeep=_upkeep(values)
    )


def _process(values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings) -> Principle:
    return Principle(
        slug, values["title"], values["summary"] or "", source.body, origin, "processes", _upkeep(values)
    )


def _variant(values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings) -> Principle:
    return Principle(
        slug, values["title"], values["summary"] or "", source.body, origin, "variants", _upkeep(values)
    )


def _tool(values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings) -> Tool:
    return Tool(
        slug=slug,
        name=values["name"],
        aliases=values["aliases"],
        summary=values["summary"],
        category=values["category"],
        body=source.body,
        origin=origin,
        upkeep=_upkeep(values),
    )


def _page(values: dict[str, Any], source: SourceText, origin: Origin, slug: str, _: Settings) -> Page:
    return Page(slug, values["title"], source.body, origin)


KINDS = (
    _Kind("issues", "an issue", ISSUE_FIELDS, _issue, number_field="issue"),
    _Kind("feedback", "a team story", STORY_FIELDS, _story),
    _Kind("measures", "a measure", MEASURE_FIELDS, _measure, number_field="measure"),
    _Kind("principles", "a principle", PRINCIPLE_FIELDS, _principle),
    _Kind("processes", "an ongoing process", PRINCIPLE_FIELDS, _process),
    _Kind("variants", "a Signs of Something variant", PRINCIPLE_FIELDS, _variant),
    _Kind("tools", "a tool", TOOL_FIELDS, _tool, name_field="name"),
    _Kind("pages", "a page", PAGE_FIELDS, _page),
)


@dataclass
class LoadMemo:
    """Files a long-lived process (`sofs serve`) loaded before, by path: a file whose size,
    time of change and inode are unchanged, under the same settings, is not read again."""

    settings: Settings | None = None
    files: dict[str, tuple[tuple[int, int, int], tuple[Any, SourceLines] | None, list[Diagnostic]]] = field(
        default_factory=dict
    )
    #: The previous load's tool matcher, reused while the tools' names are unchanged.
    tool_matcher: ToolMatcher | None = None


def _stamp(file: Path) -> tuple[int, int, int] | None:
    try:
        status = file.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def load_site(settings: Settings, memo: LoadMemo | None = None) -> tuple[Site, list[Diagnostic]]:
    """Read every content file under the settings' content folder into a `Site`; with
    `memo`, files unchanged since the memo's run are taken from it."""
    if memo is not None and memo.settings != settings:
        memo.settings, memo.files = settings, {}
    root = settings.content_root
    display_root = settings.docs_dir.rstrip("/")
    if not root.is_dir():
        return Site(settings), [
            error(
                display_root,
                0,
                "content.missing",
                f'the content folder "{display_root}" does not exist; create it with the '
                f"folders {', '.join(k.folder for k in KINDS)} (or set docs_dir in mkdocs.yml)",
            )
        ]
    problems: list[Diagnostic] = []
    loaded: dict[str, list[Any]] = {kind.folder: [] for kind in KINDS}
    sources: list[SourceLines] = []
    unloaded: set[str] = set()
    by_folder = {kind.folder: kind for kind in KINDS}
    acronyms = _load_acronyms(root, display_root, problems)
    tree = walk_content(root, display_root)
    problems.extend(tree.problems)
    for file in tree.markdown:
        relative = file.relative_to(root)
        path = f"{display_root}/{relative.as_posix()}"
        if relative.as_posix() == ACRONYMS_FILE:
            continue
        kind = by_folder.get(relative.parts[0]) if len(relative.parts) == 2 else None
        if kind is None:
            problems.append(
                warning(
                    path,
                    0,
                    "content.unknown-file",
                    "this file is not in a content folder and is ignored; move it into one of "
                    + ", ".join(f"{k.folder}/" for k in KINDS),
                )
            )
            continue
        stamp = _stamp(file) if memo is not None else None
        known = memo.files.get(path) if memo is not None else None
        if known is not None and stamp is not None and known[0] == stamp:
            made, file_problems = known[1], known[2]
        else:
            file_problems = []
            loaded_one = _load_one(file, path, kind, settings, file_problems)
            made = None
            if loaded_one is not None:
                item, text = loaded_one
                made = (item, SourceLines.from_text(path, text, item.origin.body_first_line))
            if memo is not None and stamp is not None:
                memo.files[path] = (stamp, made, file_problems)
        problems.extend(file_problems)
        if made is None:
            unloaded.add(path)
        else:
            loaded[kind.folder].append(made[0])
            sources.append(made[1])
    site = Site(
        settings=settings,
        issues=tuple(sorted(loaded["issues"], key=lambda i: (i.number, i.origin.path))),
        stories=tuple(sorted(loaded["feedback"], key=lambda s: (s.date, s.slug))),
        measures=tuple(sorted(loaded["measures"], key=lambda m: (m.number, m.slug))),
        principles=tuple(loaded["principles"]),
        tools=tuple(sorted(loaded["tools"], key=lambda t: t.name.casefold())),
        pages=tuple(loaded["pages"]),
        processes=tuple(loaded["processes"]),
        variants=tuple(loaded["variants"]),
        acronyms=acronyms,
        unloaded=frozenset(unloaded),
        sources=tuple(sorted(sources, key=lambda source: source.path)),
    )
    if memo is not None:
        if memo.tool_matcher is not None and memo.tool_matcher.finds_as(site.tool_matcher):
            object.__setattr__(site, "tool_matcher", memo.tool_matcher)  # keeps what it has found
        memo.tool_matcher = site.tool_matcher
    return site, problems


def _load_one(
    file: Path, path: str, kind: _Kind, settings: Settings, problems: list[Diagnostic]
) -> tuple[Any, str] | None:
    """The item in `file` and the file's text, or None when it cannot be loaded."""
    slug = file.stem
    if not _SLUG_FILE.match(slug):
        problems.append(
            error(
                path,
                0,
                "file.name",
                "the file name should use only lowercase letters, digits and hyphens, "
                f'like "{slug_of(slug, fallback="my-file")}.md"; rename the file',
            )
        )
        return None
    source, read_problems = read_source(file, path)
    problems.extend(read_problems)
    if source is None:
        return None
    meta = source.meta
    for key, line in meta.duplicate_keys:
        problems.append(error(path, line, "field.duplicate", f'field "{key}" appears twice; keep one'))
    problems.extend(curly_quote_problems(path, meta))
    if not isinstance(meta.data, dict):
        problems.append(
            error(
                path,
                1,
                "front-matter.shape",
                "the front matter should be `name: value` lines, like `title: My title`",
            )
        )
        return None
    lines = {str(key[0]): line for key, line in meta.lines.items() if len(key) == 1}
    origin = Origin(path, source.body_first_line, MappingProxyType(lines))
    values, field_problems = convert_fields(
        meta.data, (*kind.fields, EXAMPLES_FIELD), kind.noun, source.unreadable
    )
    unread = set(source.unreadable)
    for problem in field_problems:
        severity = warning if problem.code == "field.unknown" else error
        if severity is error:
            unread.add(problem.field)
        problems.append(severity(path, origin.line_of(problem.field), problem.code, problem.message))
    # A field in error gets a stand-in, so the file's body, sections and links are still checked.
    if kind.number_field in unread:
        values[kind.number_field] = _number_from_file_name(slug)
    if kind.name_field in unread:
        values[kind.name_field] = slug.replace("-", " ").capitalize()
    examples = () if "examples" in unread else values.get("examples") or ()
    origin = dataclasses.replace(origin, examples=examples, unread=frozenset(unread))
    return kind.build(values, source, origin, slug, settings), source.text


def _number_from_file_name(slug: str) -> int:
    """The number a file name like `010-slug` starts with (0 when it starts with none)."""
    digits = slug.split("-", 1)[0]
    return int(digits) if digits.isdigit() and 0 < int(digits) <= 100_000 else 0


def _short_form_problem(short: object) -> str | None:
    """Why an acronym's short form cannot be one (it becomes `*[SHORT]: meaning` on every page)."""
    if not isinstance(short, str) or not short.strip():
        return (
            f"the acronym {short!r} should be a short form in letters, like `SGO: Special Guardianship Order`"
        )
    problem = one_line_problem(short)
    if problem:
        return f"an acronym's short form {problem}"
    if "[" in short or "]" in short:
        return f'the acronym "{short}" cannot contain square brackets; write the short form alone, like `SGO`'
    return None


def _load_acronyms(root: Path, display_root: str, problems: list[Diagnostic]) -> Mapping[str, str]:
    """Read `acronyms.md`: an `acronyms:` mapping of short form to its meaning."""
    file = root / ACRONYMS_FILE
    if not file.is_file() or file.is_symlink():
        return MappingProxyType({})
    path = f"{display_root}/{ACRONYMS_FILE}"
    source, read_problems = read_source(file, path)
    problems.extend(read_problems)
    if source is None:
        return MappingProxyType({})
    data = source.meta.data if isinstance(source.meta.data, dict) else {}
    entries = data.get("acronyms")
    line = source.meta.line_of(("acronyms",))
    if not isinstance(entries, dict):
        problems.append(
            error(
                path,
                line,
                "field.type",
                'field "acronyms" should be lines like `SGO: Special Guardianship Order`',
            )
        )
        return MappingProxyType({})
    result: dict[str, str] = {}
    for short, meaning in entries.items():
        short_problem = _short_form_problem(short)
        if short_problem:
            problems.append(
                error(path, source.meta.line_of(("acronyms", str(short))), "field.type", short_problem)
            )
            continue
        if (
            not isinstance(short, str)
            or not isinstance(meaning, str)
            or not meaning.strip()
            or one_line_problem(meaning) is not None
        ):
            problems.append(
                error(
                    path,
                    source.meta.line_of(("acronyms", short)),
                    "field.type",
                    f'acronym "{short}" needs its meaning on the same line, like `{short}: What it stands for`',
                )
            )
            continue
        result[short.strip()] = meaning.strip()
    for key in data:
        if key not in ("title", "acronyms"):
            problems.append(
                warning(
                    path, source.meta.line_of((key,)), "field.unknown", f'unknown field "{key}" is ignored'
                )
            )
    return MappingProxyType(dict(sorted(result.items(), key=lambda item: item[0].casefold())))
