"""Safe YAML reading that keeps the line of every key, and explains errors in plain English.

PyYAML nodes carry their position; we compose the node tree, record the line of each
mapping key and sequence item by its path, then construct plain Python values with the
safe constructor (so tags such as ``!!python/object`` are never executed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Parsed YAML data plus the 1-based file line of each key or item, by path."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)
    #: Local tags (`!ENV`, `!relative`) and Python tags (`!!python/name:...`) by the path of the
    #: value they mark, with its line.
    tags: dict[Path, tuple[str, int]] = field(default_factory=dict)
    #: Plain values wrapped in Word's curly quotes (“...”), by path, with their line.
    curly_quoted: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path, default: int = 1) -> int:
        """The line of `path`, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class YamlProblem(Exception):
    """YAML that cannot be read: carries the 1-based line and a plain-English message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _timestamp_or_text(loader: yaml.SafeLoader, node: Node) -> Any:
    """A date or time as YAML reads it, or the text as written when it names no real day
    (`2025-13-01`), so the field's own rule explains it and the other fields are still read."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # type: ignore[arg-type]


class _SafeLoader(yaml.SafeLoader):
    """The safe loader, with a cap on how many aliases one document may use."""


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

_FastLoader: type[Any] | None = None
if hasattr(yaml, "CSafeLoader"):

    class _FastSafeLoader(yaml.CSafeLoader):
        """LibYAML's safe loader, reading impossible dates as text too."""

    _FastSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    _FastLoader = _FastSafeLoader
_FAST_MAX_CHARS = 20_000
_FAST_MAX_BRACKETS = 20
_FAST_MAX_INDENT = 40


class _TolerantLoader(_SafeLoader):
    """Safe loader that reads unknown tags (``!!python/name:...``, ``!ENV``) as plain values.

    MkDocs settings files use such tags for themes and extensions; we only need the
    values under our own key, never the objects the tags name.
    """


def _construct_untagged(loader: yaml.SafeLoader, _suffix: str, node: Node) -> Any:
    if isinstance(node, ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None


_TolerantLoader.add_multi_constructor("", _construct_untagged)

MAX_ALIASES = 100
_YAML_TAG = "tag:yaml.org,2002:"
_PYTHON_TAG = _YAML_TAG + "python/"
MAX_VALUES = 100_000
MAX_DEPTH = 40

_TOO_DEEP = (
    f"the values are nested too deeply (more than {MAX_DEPTH} levels of lists or `name: value` "
    "groups); write them flatter"
)

_SELF_REFERENCE = "an `&anchor` is used inside its own value (`*alias`); write the values out"

#: What to do about a value written in Word's curly quotes.
CURLY_QUOTES = (
    "the value is wrapped in curly quotes “ ” (from Word); replace them with straight "
    'double quotes " ", like title: "Meaningful measures"'
)
_CURLY_OPENING = "“‘„‚"
_CURLY_CLOSING = "”’“‘"
_CURLY_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[^\s:#][^:#]*:\s+)?[“‘„‚]")


def _curly_quoted_line(text: str, error_index: int) -> int | None:
    """The 0-based line of a value that starts with a curly quote, on the line YAML
    stumbled on or the one before it (a value continued on the next line), or None."""
    lines = text.split("\n")
    for index in (error_index, error_index - 1):
        if 0 <= index < len(lines) and _CURLY_VALUE.match(lines[index]):
            return index
    return None


def is_curly_quoted(value: str) -> bool:
    """Whether a plain value starts and ends with curly quotes, as Word writes them."""
    stripped = value.strip()
    return len(stripped) >= 2 and stripped[0] in _CURLY_OPENING and stripped[-1] in _CURLY_CLOSING


_PLAIN_PROBLEMS = {
    "mapping values are not allowed here": (
        "a colon (:) appears inside a value; put the whole value in double quotes"
    ),
    "could not find expected ':'": (
        "a line is missing the colon between its name and its value, like `title: My title`"
    ),
    "found character '\\t' that cannot start any token": (
        "a tab character is used for indenting; use spaces instead"
    ),
    "found undefined alias": "a `*name` refers to an anchor that is not defined",
    "found unknown escape character": (
        "a backslash (\\) inside double quotes starts an unknown escape; use single quotes"
    ),
    "found unexpected end of stream": "a quote is opened but never closed",
    "expected <block end>, but found '<scalar>'": (
        "a value continues on the next line at the wrong indent, or a quote is not closed"
    ),
}


def read_yaml(text: str, first_line: int = 1, *, tolerant: bool = False) -> YamlDocument:
    """Parse one YAML document whose first line is file line `first_line`.

    Raises `YamlProblem` (with the file line) when the text is not valid YAML, uses a tag
    the safe loader does not know, or uses too many aliases.
    """
    if not tolerant and _FastLoader is not None and _plainly_shallow(text):
        try:
            return _read(_FastLoader, text, first_line)
        except Exception:  # the pure-Python reader below gives the located message
            pass
    return _read(_TolerantLoader if tolerant else _SafeLoader, text, first_line)


def _plainly_shallow(text: str) -> bool:
    """Whether front matter is small and flat enough for the C parser: no anchors, few
    brackets, shallow indentation. Anything else, and every error, goes to the pure-Python
    reader, whose limits and messages are the ones users see."""
    if len(text) > _FAST_MAX_CHARS or "&" in text or text.count("[") + text.count("{") > _FAST_MAX_BRACKETS:
        return False
    return all(len(line) - len(line.lstrip(" ")) <= _FAST_MAX_INDENT for line in text.split("\n"))


def _read(loader_class: type[yaml.SafeLoader] | type[Any], text: str, first_line: int) -> YamlDocument:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise YamlProblem(
            line,
            f"the front matter contains the control character U+{exc.character:04X}, which YAML "
            "does not allow; delete it (it may have been pasted in invisibly)",
        ) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _problem_from(exc, first_line, text) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(first_line, f"the YAML cannot be read ({exc})") from None
        except RecursionError:
            raise YamlProblem(loader.line + first_line, _TOO_DEEP) from None
        if node is None:
            return YamlDocument(None)
        document = YamlDocument(None)
        _record_lines(node, (), first_line, document, aliases=[0], seen=set())
        _check_expansion(node, first_line)
        try:
            document.data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            raise _problem_from(exc, first_line, text) from None
        except (ValueError, TypeError, OverflowError) as exc:
            line, key = _unreadable_value(loader_class, node, first_line)
            what = f'the value of "{key}"' if key else "a value"
            raise YamlProblem(
                line, f"{what} cannot be read ({exc}); dates are written YYYY-MM-DD, like 2025-09-01"
            ) from None
        return document
    finally:
        loader.dispose()


def _record_lines(
    node: Node,
    path: Path,
    first_line: int,
    document: YamlDocument,
    aliases: list[int],
    seen: set[int],
) -> None:
    if id(node) in seen:
        aliases[0] += 1
        if aliases[0] > MAX_ALIASES:
            raise YamlProblem(
                node.start_mark.line + first_line,
                f"more than {MAX_ALIASES} repeated `*alias` references; write the values out",
            )
        return
    seen.add(id(node))
    if node.tag.startswith("!") and not node.tag.startswith("!!"):
        document.tags[path] = (node.tag, node.start_mark.line + first_line)
    elif node.tag.startswith(_PYTHON_TAG):
        document.tags[path] = ("!!" + node.tag.removeprefix(_YAML_TAG), node.start_mark.line + first_line)
    if len(path) > MAX_DEPTH:
        raise YamlProblem(node.start_mark.line + first_line, _TOO_DEEP)
    if isinstance(node, ScalarNode) and not node.style and is_curly_quoted(node.value):
        document.curly_quoted[path] = node.start_mark.line + first_line
    if isinstance(node, MappingNode):
        keys_seen: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, ScalarNode) or key_node.tag.startswith(("!", _PYTHON_TAG)):
                _record_lines(key_node, path + ("?", index), first_line, document, aliases, seen)
            if not isinstance(key_node, ScalarNode):
                continue
            key = key_node.value
            line = key_node.start_mark.line + first_line
            if key in keys_seen and not path:
                document.duplicate_keys.append((key, line))
            keys_seen.add(key)
            document.lines.setdefault(path + (key,), line)
            _record_lines(value_node, path + (key,), first_line, document, aliases, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[path + (index,)] = item.start_mark.line + first_line
            _record_lines(item, path + (index,), first_line, document, aliases, seen)


def _check_expansion(root: Node, first_line: int) -> None:
    """Refuse documents whose aliases refer to themselves or expand too far.

    A few anchors that refer to each other ("billion laughs") stay small as text and as
    a node graph, but grow exponentially once every alias is written out, which is what
    any code that walks or prints the values does. Sizes and depths are counted once per
    node, without recursion, so that hostile input cannot exhaust the stack either.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if not children_done:
            if key in size:
                continue
            if key in open_nodes:
                raise YamlProblem(node.start_mark.line + first_line, _SELF_REFERENCE)
            open_nodes.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    raise YamlProblem(child.start_mark.line + first_line, _SELF_REFERENCE)
                if id(child) not in size:
                    stack.append((child, False))
            continue
        open_nodes.discard(key)
        size[key] = 1 + sum(size[id(child)] for child in children)
        depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
        if size[key] > MAX_VALUES:
            raise YamlProblem(
                node.start_mark.line + first_line,
                f"the `*alias` references here expand to more than {MAX_VALUES} values; write the values out",
            )
        if depth[key] > MAX_DEPTH + 1:
            raise YamlProblem(node.start_mark.line + first_line, _TOO_DEEP)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _unreadable_value(loader_class: type[yaml.SafeLoader], node: Node, first_line: int) -> tuple[int, str]:
    """Find which top-level value fails to construct, to point at its line."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            probe = loader_class("")
            try:
                probe.construct_document(value_node)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return int(key_node.start_mark.line) + first_line, str(key_node.value)
            finally:
                probe.dispose()
    return int(node.start_mark.line) + first_line, ""


def _problem_from(exc: yaml.MarkedYAMLError, first_line: int, text: str = "") -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line if mark else 0) + first_line
    curly = _curly_quoted_line(text, mark.line if mark else 0)
    if curly is not None:
        return YamlProblem(curly + first_line, "the front matter is not valid YAML: " + CURLY_QUOTES)
    problem = (exc.problem or exc.context or "it is not valid YAML").strip()
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return YamlProblem(line, f"the tag {tag} is not allowed; remove it and write a plain value")
    plain = _PLAIN_PROBLEMS.get(problem)
    if plain is None:
        for known, text in _PLAIN_PROBLEMS.items():
            if problem.startswith(known.split(",")[0]):
                plain = text
                break
    if plain:
        return YamlProblem(line, f"the front matter is not valid YAML: {plain}")
    return YamlProblem(line, f"the front matter is not valid YAML ({problem}); check quotes and indentation")


# A key at the left margin, or after a tab (YAML never indents with tabs: Word and editors do).
_TOP_LEVEL_KEY = re.compile(r"""^(?: *\t[ \t]*)?(?:"([^"]+)"|'([^']+)'|([^\s#'"\-?:][^:#]*?))\s*:(?:\s|$)""")


@dataclass
class FieldsRead:
    """Front matter read one top-level field at a time, after it failed to read whole."""

    document: YamlDocument
    problems: list[YamlProblem]
    #: The names of the fields whose lines could not be read (each has a problem).
    unreadable: frozenset[str]


def read_yaml_by_field(text: str, first_line: int = 1) -> FieldsRead:
    """Read `name: value` front matter field by field: each top-level key with the indented
    lines under it is read on its own, so a mistake in one field (a colon in a title, an
    unclosed quote) is reported at its line and every other field is still read.

    For front matter that `read_yaml` refused: it gives the same problems for a field
    that is wrong, and the values of all the others."""
    document = YamlDocument({})
    problems: list[YamlProblem] = []
    unreadable: set[str] = set()
    for start, key, block in _field_blocks(text):
        try:
            part = read_yaml(block, first_line + start)
        except YamlProblem as problem:
            problems.append(problem)
            if key is not None:
                unreadable.add(key)
            continue
        if not isinstance(part.data, dict):
            continue
        for name, value in part.data.items():
            if name in document.data:
                document.duplicate_keys.append((str(name), part.lines.get((name,), first_line + start)))
                continue
            document.data[name] = value
        document.duplicate_keys += part.duplicate_keys
        for path, line in part.lines.items():
            document.lines.setdefault(path, line)
        document.tags.update(part.tags)
    return FieldsRead(document, problems, frozenset(unreadable))


def _field_blocks(text: str) -> list[tuple[int, str | None, str]]:
    """Each top-level field of `text` as (its first line's index, its key, its lines); lines
    before the first key make a block without a key."""
    blocks: list[tuple[int, str | None, list[str]]] = []
    for index, line in enumerate(text.split("\n")):
        found = _TOP_LEVEL_KEY.match(line)
        if found or not blocks:
            key = next((group for group in found.groups() if group), None) if found else None
            blocks.append((index, key.strip() if key else None, [line]))
        else:
            blocks[-1][2].append(line)
    return [(start, key, "\n".join(lines)) for start, key, lines in blocks]
