"""Reading the settings from `mkdocs.yml` into a `Settings` value, on the schema.

`mkdocs.yml` is the site's one settings file. We read it as plain YAML (never through
MkDocs) so that every mistake, under our plugin's key or at the top, is reported with
its line. Each setting is checked by its rule in `settings.schema`; what no single
setting can say (folders that overlap, a default issue type that is not listed) is
checked here after all of them are read.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..basics.diagnostics import Diagnostic, error
from ..basics.fields import FieldProblem
from ..basics.yamlread import Path as KeyPath
from ..basics.yamlread import YamlDocument, YamlProblem, read_yaml
from .extensions import configured_extensions, extension_problems
from .model import CONFIG_FILE, DEFAULT_ISSUE_TYPES, PLUGIN_NAME, Settings
from .paths import confine_paths
from .rules import Found, SettingProblem
from .schema import PLUGIN_KEYS, PLUGIN_SETTINGS, SITE_SETTINGS, Setting
from .sources import source_problems

__all__ = ["CONFIG_FILE", "PLUGIN_NAME", "Settings", "load_settings"]


def load_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """Read and validate `mkdocs.yml` in `root`; problems are located diagnostics."""
    try:
        text = (root / CONFIG_FILE).read_text(encoding="utf-8-sig")
        document = read_yaml(text, tolerant=True)
    except FileNotFoundError:
        problem = error(
            CONFIG_FILE,
            0,
            "config.missing",
            f"there is no {CONFIG_FILE} in {root}; run the command from the site's folder",
        )
    except (OSError, UnicodeDecodeError) as exc:
        problem = error(CONFIG_FILE, 0, "config.unreadable", f"{CONFIG_FILE} cannot be read ({exc})")
    except YamlProblem as exc:
        message = exc.message.replace("the front matter", CONFIG_FILE)
        problem = error(CONFIG_FILE, exc.line, "config.yaml", message)
    else:
        return _SettingsReader(root, document).read()
    return Settings(root), [problem]


class _SettingsReader:
    def __init__(self, root: Path, document: YamlDocument) -> None:
        self.root = root
        self.document = document
        self.problems: list[Diagnostic] = []

    def fail(self, path: KeyPath, message: str, code: str = "config.invalid") -> None:
        self.problems.append(error(CONFIG_FILE, self.document.line_of(path), code, message))

    def read(self) -> tuple[Settings, list[Diagnostic]]:
        data = self.document.data
        if not isinstance(data, dict):
            self.fail((), f"{CONFIG_FILE} should be a list of `name: value` settings")
            return Settings(self.root), self.problems
        options, plugin_path = self._plugin_options(data)
        values: dict[str, Any] = {
            "root": self.root,
            "config_lines": MappingProxyType(self.document.lines),
            "plugin_path": plugin_path,
        }
        values.update(self._settings(SITE_SETTINGS, data, ()))
        self._unknown_keys(options, plugin_path)
        values.update(self._settings(PLUGIN_SETTINGS, options, plugin_path))
        self._default_issue_type(values, plugin_path)
        self.problems += confine_paths(self.root, data, values, self.document.line_of, plugin_path)
        sources = source_problems(self.root, self.document, plugin_path)
        from_env = {d.line for d in sources if d.code == "config.env"}  # their value is a stand-in
        self.problems = [d for d in self.problems if d.line not in from_env] + sources
        private = (
            (self.root / values.get("subscribers_db", Settings.subscribers_db)).parent,
            self.root / ".git",
        )
        self.problems += extension_problems(
            self.root, self.document, values.get("docs_dir", Settings.docs_dir), private
        )
        values["markdown_extensions"] = configured_extensions(self.document)
        self._private_path(values, plugin_path + ("subscribers_db",))
        return Settings(**values), self.problems

    def _settings(
        self, schema: tuple[Setting, ...], written: Mapping[Any, Any], base: KeyPath
    ) -> dict[str, Any]:
        """The value of each setting of `schema` that is written well; the others keep their default."""
        values: dict[str, Any] = {}
        for setting in schema:
            path = base + (setting.name,)
            value = written.get(setting.name)
            try:
                if setting.name not in written or (value is None and setting.null_is_unset):
                    setting.rule.absent(setting.name)
                    continue
            except FieldProblem as problem:  # a required setting has no line of its own
                self.problems.append(error(CONFIG_FILE, 1, _code(problem), f'"{setting.name}" {problem}'))
                continue
            try:
                values[setting.name] = setting.rule.convert(setting.name, value, self._below(path))
            except FieldProblem as problem:
                self.fail(path, f'"{setting.name}" {problem}', _code(problem))
        return values

    def _below(self, path: KeyPath) -> Found:
        """Reports a problem at a key below `path`."""

        def found(key: KeyPath, message: str) -> None:
            self.fail(path + key, message)

        return found

    def _unknown_keys(self, options: Mapping[Any, Any], base: KeyPath) -> None:
        for key in options:
            if key not in PLUGIN_KEYS:
                close = difflib.get_close_matches(str(key), PLUGIN_KEYS, n=1)
                hint = f'did you mean "{close[0]}"?' if close else "known settings: " + ", ".join(PLUGIN_KEYS)
                self.fail(base + (str(key),), f'unknown setting "{key}" under {PLUGIN_NAME}; {hint}')

    def _default_issue_type(self, values: dict[str, Any], base: KeyPath) -> None:
        default_type = values.get("default_issue_type", Settings.default_issue_type)
        types = values.get("issue_types", DEFAULT_ISSUE_TYPES)
        if types and default_type not in types:
            self.fail(
                base + ("default_issue_type",),
                f'"default_issue_type" is {default_type!r}, which is not one of the issue types: '
                f"{', '.join(sorted(types))}",
            )

    def _private_path(self, values: dict[str, Any], path: KeyPath) -> None:
        """Subscriber data must never be published: refuse a file inside site/ or content/."""
        named = values.get("subscribers_db", Settings.subscribers_db)
        target = (self.root / named).resolve()
        for key in ("site_dir", "docs_dir"):
            folder = values.get(key, "site" if key == "site_dir" else "content")
            if target.is_relative_to((self.root / folder).resolve()):
                if "subscribers_db" not in values:  # the default: the folder setting is the mistake
                    key_path = ("site_dir",) if key == "site_dir" else ("docs_dir",)
                    self.fail(
                        key_path,
                        f'"{key}" {folder!r} holds the subscriber list ({named}); it would be published '
                        f"or replaced, so use another folder, like `{'site' if key == 'site_dir' else 'content'}`",
                        "config.path",
                    )
                    values.pop(key, None)
                    return
                self.fail(
                    path,
                    f'"subscribers_db" {values.pop("subscribers_db")!r} is inside {folder}/, '
                    "which is published or shared; keep subscriber data elsewhere, like data/subscribers.sqlite",
                )
                return

    def _plugin_options(self, data: dict[str, Any]) -> tuple[dict[str, Any], KeyPath]:
        plugins = data.get("plugins")
        entries = plugins if isinstance(plugins, list) else []
        for index, entry in enumerate(entries):
            if entry == PLUGIN_NAME:
                return {}, ("plugins", index, PLUGIN_NAME)
            if isinstance(entry, dict) and PLUGIN_NAME in entry:
                options = entry[PLUGIN_NAME]
                path: KeyPath = ("plugins", index, PLUGIN_NAME)
                if options is None:
                    return {}, path
                if not isinstance(options, dict):
                    self.fail(path, f'the "{PLUGIN_NAME}" plugin settings should be `name: value` lines')
                    return {}, path
                return options, path
        self.problems.append(
            error(
                CONFIG_FILE,
                self.document.line_of(("plugins",)),
                "config.plugin-missing",
                f'the "{PLUGIN_NAME}" plugin is not listed under `plugins:`; add `- {PLUGIN_NAME}` '
                "so the newsletter pages are built",
            )
        )
        return {}, ()


def _code(problem: FieldProblem) -> str:
    return problem.code if isinstance(problem, SettingProblem) else "config.invalid"
