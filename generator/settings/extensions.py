"""The `markdown_extensions` of `mkdocs.yml`: each must exist, and none may read files
from outside the project.

MkDocs loads each extension only when it builds, and then stops with a traceback-like
message and no line. Here an extension that cannot be loaded is a located error with a
"did you mean" when its name is close to an installed one.

Some extensions copy other files into a page. `pymdownx.snippets` does it within its
`base_path` folders; an include extension such as `markdown_include` reads any path the
page names, `/etc/passwd` or the subscriber list included. Pages are published, so:

- `markdown_include` and `mdx_include` are refused (they have no folder limit);
- `pymdownx.snippets` needs `base_path` folders inside the project that hold neither the
  subscriber data nor `.git`, `restrict_base_path` left on, no `url_download`, relative
  `auto_append` files, and `check_paths: true` (so a refused snippet stops the build
  rather than vanishing from the page without a word).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from markdown.extensions import Extension

from ..basics.diagnostics import Diagnostic, error
from ..basics.yamlread import Path as KeyPath
from ..basics.yamlread import YamlDocument
from .model import CONFIG_FILE

SNIPPETS = ("pymdownx.snippets", "pymdownx.snippets:SnippetExtension")
_INCLUDERS = {
    "markdown_include": "markdown_include",
    "markdown_include.include": "markdown_include",
    "mdx_include": "mdx_include",
    "mdx_include.mdx_include": "mdx_include",
}


def extension_problems(
    root: Path, document: YamlDocument, docs_dir: str = "content", private: tuple[Path, ...] = ()
) -> list[Diagnostic]:
    """Located errors for extensions that cannot be loaded or that read files from outside."""
    data = document.data if isinstance(document.data, dict) else {}
    problems: list[Diagnostic] = []
    value = data.get("markdown_extensions")
    if value is not None and not isinstance(value, list | dict):
        problems.append(
            error(
                CONFIG_FILE,
                document.line_of(("markdown_extensions",)),
                "config.extension",
                '"markdown_extensions" should be a list, one extension a line, like '
                f"`markdown_extensions:` then `  - abbr`; found {str(value)[:40]!r}",
            )
        )
    installed = _Installed()
    for name, options, path in _entries(value):
        line = document.line_of(path)
        if name in _INCLUDERS:
            problems.append(
                error(
                    CONFIG_FILE,
                    line,
                    "config.extension-files",
                    f'the Markdown extension "{name}" lets a page copy in any file on this computer, '
                    "inside the project or not, and pages are published; remove it (pymdownx.snippets "
                    "with a `base_path` folder of snippets inside the project does the same safely)",
                )
            )
            continue
        found = installed.lookup(name)
        known = _option_names(found) if found.factory is not None and isinstance(options, dict) else None
        unknown = [str(key) for key in options if str(key) not in known] if known is not None else []
        if not found.loadable:
            problems.append(error(CONFIG_FILE, line, "config.extension", installed.unknown_message(name)))
        elif unknown:
            for key in unknown:
                close = difflib.get_close_matches(key, known or (), n=1)
                hint = (
                    f'did you mean "{close[0]}"? ' if close else f"known options: {', '.join(known or ())}; "
                )
                problems.append(
                    error(
                        CONFIG_FILE,
                        document.line_of((*path, key)),
                        "config.extension",
                        f'the Markdown extension "{name}" has no option "{key}", so the site cannot be '
                        f"built; {hint}check the spelling or remove the line",
                    )
                )
        elif name in SNIPPETS:
            reader = _Snippets(root, document, path, docs_dir, private)
            problems += reader.problems(options if isinstance(options, dict) else {})
    return problems


def configured_extensions(document: YamlDocument) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    """Each extension `markdown_extensions` names, with its options (empty when it has none
    or they are not a mapping), in order; the include extensions refused above are left out."""
    data = document.data if isinstance(document.data, dict) else {}
    return tuple(
        (name, MappingProxyType(dict(options)) if isinstance(options, dict) else MappingProxyType({}))
        for name, options, _ in _entries(data.get("markdown_extensions"))
        if name not in _INCLUDERS
    )


def _entries(value: Any) -> Iterator[tuple[str, Any, KeyPath]]:
    """Each extension's name, options and key path, from a list or a mapping."""
    if isinstance(value, dict):
        for name, options in value.items():
            yield str(name), options, ("markdown_extensions", str(name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield item, {}, ("markdown_extensions", index)
            elif isinstance(item, dict):
                for name, options in item.items():
                    yield str(name), options, ("markdown_extensions", index, str(name))
            else:
                yield str(item), {}, ("markdown_extensions", index)


@dataclass(frozen=True)
class _Lookup:
    """What Python-Markdown would find for an extension's name: whether it can be built,
    and the callable that builds it (None when it cannot be built or its entry point fails)."""

    loadable: bool
    factory: Any = None


class _Installed:
    """The Markdown extensions this Python has, looked up for one read of the settings."""

    def __init__(self) -> None:
        self.registered = {e.name: e for e in entry_points(group="markdown.extensions")}

    def lookup(self, name: str) -> _Lookup:
        """Find extension `name` as MkDocs asks Python-Markdown to: a registered name, or
        `module` (its `makeExtension`) or `module:Class` (an `Extension` subclass)."""
        if name in self.registered:
            try:
                return _Lookup(True, self.registered[name].load())
            except Exception:  # registered but broken: it is there, its options are not checked
                return _Lookup(True)
        module_name, _, attribute = name.partition(":")
        if not module_name or not all(part.isidentifier() for part in module_name.split(".")):
            return _Lookup(False)
        try:
            target: Any = importlib.import_module(module_name)
        except Exception:  # any failure to import is "cannot be loaded"
            return _Lookup(False)
        for part in (attribute or "makeExtension").split("."):
            target = getattr(target, part, None)
        # Python-Markdown builds `module:Class` by calling the class: it must be an extension.
        found = isinstance(target, type) and issubclass(target, Extension) if attribute else callable(target)
        return _Lookup(found, target if found else None)

    def known_names(self) -> tuple[str, ...]:
        """Every extension name a "did you mean" may suggest."""
        names = set(self.registered)
        for package in ("markdown.extensions", "pymdownx"):
            try:
                found = importlib.import_module(package)
            except ImportError:
                continue
            names |= {
                f"{package}.{m.name}"
                for m in pkgutil.iter_modules(found.__path__)
                if not m.name.startswith("_")
            }
        return tuple(sorted(names))

    def unknown_message(self, name: str) -> str:
        close = difflib.get_close_matches(name, self.known_names(), n=1, cutoff=0.75)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        return (
            f'the Markdown extension "{name}" is not installed or is not a Markdown extension, so the '
            f"site cannot be built; {hint}check the spelling, install it, or remove the line"
        )


def _option_names(found: _Lookup) -> tuple[str, ...] | None:
    """The options an extension takes, from an instance built with none; None if unknown."""
    try:
        extension = found.factory()
    except Exception:  # an extension that needs options to be built: its options are not checked
        return None
    return tuple(sorted(extension.getConfigs())) if isinstance(extension, Extension) else None


class _Snippets:
    """The rules for `pymdownx.snippets`' options."""

    def __init__(
        self, root: Path, document: YamlDocument, path: KeyPath, docs_dir: str, private: tuple[Path, ...]
    ) -> None:
        self.root = root.resolve()
        self.document = document
        self.path = path
        self.docs_dir = docs_dir
        self.private = private
        self.found: list[Diagnostic] = []

    def fail(self, key: str | int | tuple[str | int, ...], message: str) -> None:
        keys = key if isinstance(key, tuple) else (key,)
        self.found.append(
            error(CONFIG_FILE, self.document.line_of(self.path + keys), "config.extension-files", message)
        )

    def problems(self, options: dict[str, Any]) -> list[Diagnostic]:
        self._base_paths(options.get("base_path", ["."]), default="base_path" not in options)
        if options.get("restrict_base_path", True) is not True:
            self.fail(
                "restrict_base_path",
                "pymdownx.snippets with `restrict_base_path: false` lets a page copy in files from "
                "anywhere on this computer; remove that line",
            )
        if options.get("url_download", False) is not False:
            self.fail(
                "url_download",
                "pymdownx.snippets with `url_download: true` copies web pages into the site at every "
                "build, from outside the project; remove that line and keep snippets in the project",
            )
        if options.get("check_paths", False) is not True:
            self.fail(
                "check_paths" if "check_paths" in options else (),
                "pymdownx.snippets needs `check_paths: true`: without it a snippet that is missing, or "
                "refused because it is outside base_path, is left out of the page without a word",
            )
        appended = options.get("auto_append", [])
        for index, item in enumerate(appended if isinstance(appended, list) else [appended]):
            pure = PurePosixPath(str(item))
            if pure.is_absolute() or ".." in pure.parts or str(item).startswith("~"):
                self.fail(
                    ("auto_append", index) if isinstance(appended, list) else "auto_append",
                    f"the snippet {str(item)!r} under auto_append is not inside base_path; name a file "
                    "in the snippets folder, like `abbreviations.md`",
                )
        return self.found

    def _base_paths(self, value: Any, *, default: bool) -> None:
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            key: tuple[str | int, ...] = ("base_path", index) if isinstance(value, list) else ("base_path",)
            folder = self._resolve(item, self.path + key)
            shown = str(item) if str(item) else "!relative"
            shown = f"{shown!r} (the default when base_path is not set)" if default else repr(shown)
            if folder is None or not folder.is_relative_to(self.root):
                self.fail(
                    key,
                    f"pymdownx.snippets' base_path {shown} is outside the project, so a page could copy "
                    "in any file there; use a folder of snippets inside the project, like "
                    "`base_path: [snippets]`",
                )
                continue
            for secret in self.private:
                if secret.resolve().is_relative_to(folder):
                    self.fail(
                        key,
                        f"pymdownx.snippets' base_path {shown} holds {secret.resolve().relative_to(self.root)}/, so "
                        "a page could copy in files that must never be published (the subscriber list, "
                        "the send records, the project's history); use a folder of snippets only, like "
                        "`base_path: [snippets]`",
                    )
                    break

    def _resolve(self, item: Any, path: KeyPath) -> Path | None:
        if not isinstance(item, str):
            return None
        tag = self.document.tags.get(path, ("", 0))[0]
        text = item
        if tag == "!relative":
            if not text:
                text = self.docs_dir  # the folder of the page being built: inside the docs
            elif text.startswith("$config_dir"):
                text = "." + text.removeprefix("$config_dir")
            elif text.startswith("$docs_dir"):
                text = self.docs_dir + text.removeprefix("$docs_dir")
            else:
                return None
        try:
            return (self.root / text).resolve()
        except (OSError, RuntimeError, ValueError):
            return None
