"""The generator's settings, read from the `sofs` plugin entry of `mkdocs.yml`.

`mkdocs.yml` is the site's one settings file. We read it as plain YAML (never through
MkDocs) so that every mistake under our key can be reported with its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email

from ..basics.diagnostics import Diagnostic, error, warning
from ..basics.fields import SLUG, one_line_problem
from ..basics.yamlread import Path as KeyPath
from ..basics.yamlread import YamlDocument, YamlProblem, read_yaml
from .extensions import extension_problems
from .paths import confine_paths
from .sources import source_problems

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "sofs"


@dataclass(frozen=True)
class RequiredSection:
    """A section every issue of a type must have: its title and accepted other headings."""

    title: str
    aliases: tuple[str, ...] = ()
    filled_by: str | None = None

    @property
    def headings(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


@dataclass(frozen=True)
class IssueType:
    """A kind of issue and the sections it requires."""

    name: str
    sections: tuple[RequiredSection, ...]


DEFAULT_SECTIONS = (
    RequiredSection("Welcome", ("Introduction", "Hello")),
    RequiredSection(
        "Meaningful measures: counting what counts",
        ("Meaningful measures", "Counting what counts"),
    ),
    RequiredSection(
        "What does meaningful measures mean?",
        ("What meaningful measures mean", "What you will see or hear"),
    ),
    RequiredSection(
        "Feedback from teams across the service",
        ("Feedback from teams", "Team feedback", "Team stories"),
        filled_by="feedback",
    ),
    RequiredSection("Signs of Something", ("Signs of something",)),
    RequiredSection("Principles", ("Our principles",)),
    RequiredSection(
        "Message from your Practice Leads",
        ("Message from the Practice Leads", "From your Practice Leads"),
    ),
    RequiredSection("Ongoing processes", ("The ongoing processes",)),
    RequiredSection("Contact us", ("Contact", "Get in touch")),
)

DEFAULT_READING_EASE_MIN = 50.0
#: The sign-offs `required_approvals` can ask for, and what each one means.
APPROVALS = MappingProxyType(
    {
        "issue_sign_off": "an issue needs `approved_by` and `approved_on` before it is ready or published",
        "story_anonymisation": "each team story in such an issue needs `anonymisation_reviewed_by` "
        "and `anonymisation_reviewed_on`",
    }
)
DEFAULT_ISSUE_TYPES = MappingProxyType({"newsletter": IssueType("newsletter", DEFAULT_SECTIONS)})


@dataclass(frozen=True)
class Settings:
    """Everything the generator needs to know about the site, validated."""

    root: Path
    site_name: str = "Signs of Safety newsletter"
    site_description: str | None = None
    site_url: str | None = None
    docs_dir: str = "content"
    site_dir: str = "site"
    use_directory_urls: bool = True
    templates_dir: str = "templates"
    timezone: str = "Europe/London"
    mailbox: str | None = None
    subscribers_db: str = "data/subscribers.sqlite"
    feed_limit: int = 20
    default_issue_type: str = "newsletter"
    teams: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    issue_types: Mapping[str, IssueType] = field(default_factory=lambda: DEFAULT_ISSUE_TYPES)
    privacy_allow: tuple[str, ...] = ()
    reading_ease_min: float = DEFAULT_READING_EASE_MIN
    required_approvals: tuple[str, ...] = ()
    config_lines: Mapping[KeyPath, int] = field(default_factory=lambda: MappingProxyType({}))
    plugin_path: KeyPath = ()

    @property
    def content_root(self) -> Path:
        return self.root / self.docs_dir

    @property
    def templates_root(self) -> Path:
        return self.root / self.templates_dir

    @property
    def subscribers_path(self) -> Path:
        """The subscriber list's SQLite file; send ledgers are kept beside it."""
        return self.root / self.subscribers_db

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def domain(self) -> str:
        """The site's host name, used for stable feed ids and message ids."""
        return urlsplit(self.site_url or "").hostname or "localhost"

    def config_line(self, *keys: str | int) -> int:
        """The line in mkdocs.yml of a key under the plugin's settings."""
        path: KeyPath = self.plugin_path + keys
        while path:
            if path in self.config_lines:
                return self.config_lines[path]
            path = path[:-1]
        return 1


_KNOWN_KEYS = {
    "templates_dir": "folder of page templates, default `templates`",
    "timezone": "time zone of issue dates, default `Europe/London`",
    "mailbox": "the newsletter's contact address",
    "subscribers_db": "subscriber list file, outside site/ and content/, default `data/subscribers.sqlite`",
    "feed_limit": "how many issues the feeds hold, default 20",
    "default_issue_type": "issue type used when an issue has no `type`",
    "teams": "the teams that write stories, as `slug: Name` lines",
    "issue_types": "required sections per issue type",
    "privacy_allow": "addresses, numbers or `@domain`s safe to publish (the mailbox always is)",
    "reading_ease_min": "lowest Flesch reading ease an issue may score without a warning, default 50",
    "required_approvals": "sign-offs an issue needs before it is ready: issue_sign_off, story_anonymisation",
}


def load_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """Read and validate `mkdocs.yml` in `root`; problems are located diagnostics."""
    config_file = root / CONFIG_FILE
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Settings(root), [
            error(
                CONFIG_FILE,
                0,
                "config.missing",
                f"there is no {CONFIG_FILE} in {root}; run the command from the site's folder",
            )
        ]
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(root), [
            error(CONFIG_FILE, 0, "config.unreadable", f"{CONFIG_FILE} cannot be read ({exc})")
        ]
    try:
        document = read_yaml(text, tolerant=True)
    except YamlProblem as problem:
        message = problem.message.replace("the front matter", CONFIG_FILE)
        return Settings(root), [error(CONFIG_FILE, problem.line, "config.yaml", message)]
    return _SettingsReader(root, document).read()


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
        values.update(self._top_level(data))
        values.update(self._options(options, plugin_path))
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
        self._private_path(values, plugin_path + ("subscribers_db",))
        return Settings(**values), self.problems

    def _one_line(self, path: KeyPath, value: str) -> bool:
        """Whether a setting's text is one line; if not, a located error says why."""
        problem = one_line_problem(value)
        if problem:
            self.fail(path, f'"{path[-1]}" {problem}')
        return problem is None

    def _mailbox(self, path: KeyPath, value: str) -> str | None:
        """The mailbox if it is one plain address (it goes into the From, Reply-To and
        List-Unsubscribe headers), else None after a located error."""
        try:
            checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError as exc:
            self.fail(
                path,
                f'"mailbox" should be one plain email address, like `mailbox: newsletter@example.org`; '
                f"found {value!r} ({exc})",
            )
            return None
        if not value.isascii():
            self.fail(
                path,
                f'"mailbox" {value!r} has letters outside ASCII, which the unsubscribe header cannot carry '
                f"readably; write the address as `mailbox: {checked.ascii_email}` (the same address)",
            )
            return None
        return value

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

    def _top_level(self, data: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        directory_urls = data.get("use_directory_urls", True)
        if isinstance(directory_urls, bool):
            values["use_directory_urls"] = directory_urls
        else:
            self.fail(
                ("use_directory_urls",),
                f'"use_directory_urls" should be true or false; found {directory_urls!r}',
            )
        for key in ("site_name", "site_description", "docs_dir", "site_dir"):
            value = data.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or not value.strip():
                self.fail((key,), f'"{key}" should be text; found {value!r}')
                continue
            if key == "site_name" or self._one_line((key,), value.strip()):
                values[key] = value.strip()  # the site's name is checked as an email header
        site_url = data.get("site_url")
        if site_url is None:
            self.problems.append(
                error(
                    CONFIG_FILE,
                    1,
                    "config.site-url",
                    '"site_url" is missing; add the address where the site is published, '
                    "like `site_url: https://newsletter.example.gov.uk/` (feeds and emails need it)",
                )
            )
        elif self._one_line(("site_url",), str(site_url).strip()):
            parts = urlsplit(str(site_url))
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.fail(
                    ("site_url",),
                    f'"site_url" should be a full web address starting with https://; found {site_url!r}',
                    "config.site-url",
                )
            else:
                values["site_url"] = str(site_url).rstrip("/") + "/"
        return values

    def _options(self, options: dict[str, Any], base: KeyPath) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in options:
            if key not in _KNOWN_KEYS:
                close = difflib.get_close_matches(str(key), list(_KNOWN_KEYS), n=1)
                hint = f'did you mean "{close[0]}"?' if close else "known settings: " + ", ".join(_KNOWN_KEYS)
                self.fail(base + (str(key),), f'unknown setting "{key}" under {PLUGIN_NAME}; {hint}')
        for key in ("templates_dir", "mailbox", "default_issue_type", "timezone", "subscribers_db"):
            if key in options:
                value = options[key]
                if not isinstance(value, str) or not value.strip():
                    self.fail(base + (key,), f'"{key}" should be text; found {value!r}')
                elif self._one_line(base + (key,), value.strip()):
                    values[key] = value.strip()
        if "timezone" in values:
            try:
                ZoneInfo(values["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                self.fail(
                    base + ("timezone",),
                    f'"timezone" {values.pop("timezone")!r} is not a known time zone, like Europe/London',
                )
        if "mailbox" in values and self._mailbox(base + ("mailbox",), values["mailbox"]) is None:
            values.pop("mailbox")
        if "feed_limit" in options:
            limit = options["feed_limit"]
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                self.fail(
                    base + ("feed_limit",), f'"feed_limit" should be a whole number from 1; found {limit!r}'
                )
            else:
                values["feed_limit"] = limit
        values.update(self._content_checks(options, base))
        if "required_approvals" in options:
            values["required_approvals"] = self._approvals(options["required_approvals"], base)
        if "teams" in options:
            values["teams"] = self._teams(options["teams"], base + ("teams",))
        if "issue_types" in options:
            values["issue_types"] = self._issue_types(options["issue_types"], base + ("issue_types",))
        default_type = values.get("default_issue_type", "newsletter")
        types = values.get("issue_types", DEFAULT_ISSUE_TYPES)
        if types and default_type not in types:
            self.fail(
                base + ("default_issue_type",),
                f'"default_issue_type" is {default_type!r}, which is not one of the issue types: '
                f"{', '.join(sorted(types))}",
            )
        return values

    def _teams(self, teams: Any, path: KeyPath) -> Mapping[str, str]:
        if not isinstance(teams, dict):
            self.fail(path, '"teams" should be `slug: Team name` lines, like `first-contact: First Contact`')
            return MappingProxyType({})
        result: dict[str, str] = {}
        for slug, name in teams.items():
            if not isinstance(slug, str) or not SLUG.match(slug):
                self.fail(
                    path + (str(slug),), f"team {slug!r} should be a short name in lowercase with hyphens"
                )
            elif not isinstance(name, str) or not name.strip():
                self.fail(path + (slug,), f'team "{slug}" needs a display name, like `{slug}: Team name`')
            elif self._one_line(path + (slug,), name.strip()):
                result[slug] = name.strip()
        return MappingProxyType(result)

    def _issue_types(self, types: Any, path: KeyPath) -> Mapping[str, IssueType]:
        if not isinstance(types, dict) or not types:
            found = "a list" if isinstance(types, list) else "nothing" if not types else f"{types!r:.40}"
            self.fail(
                path,
                '"issue_types" should list at least one issue type as `name:` with its '
                f"`required_sections:` under it, like `newsletter:`; found {found}",
            )
            return DEFAULT_ISSUE_TYPES
        result: dict[str, IssueType] = {}
        for name, spec in types.items():
            type_path = path + (str(name),)
            sections_value = spec.get("required_sections") if isinstance(spec, dict) else None
            if isinstance(spec, dict):
                for key in spec:
                    if key != "required_sections":
                        self.fail(
                            type_path + (str(key),),
                            f'unknown setting "{key}" for issue type "{name}"; only `required_sections` is known',
                        )
            if not isinstance(sections_value, list) or not sections_value:
                self.fail(
                    type_path,
                    f'issue type "{name}" needs a non-empty `required_sections:` list, each item '
                    "like `- title: Welcome` with optional `aliases: [Introduction]`",
                )
                result[str(name)] = IssueType(str(name), ())
                continue
            sections = [
                section
                for index, item in enumerate(sections_value)
                if (section := self._section(item, type_path + ("required_sections", index)))
            ]
            result[str(name)] = IssueType(str(name), tuple(sections))
        return MappingProxyType(result)

    def _section(self, item: Any, path: KeyPath) -> RequiredSection | None:
        if isinstance(item, str) and item.strip():
            return RequiredSection(item.strip()) if self._one_line(path, item.strip()) else None
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            self.fail(path, "each required section needs a `title:`, like `- title: Welcome`")
            return None
        for key in item:
            if key not in ("title", "aliases", "filled_by"):
                self.fail(
                    path + (str(key),),
                    f'unknown setting "{key}" in a required section; known: title, aliases, filled_by',
                )
        if not self._one_line(path + ("title",), item["title"].strip()):
            return None
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            self.fail(
                path + ("aliases",),
                '"aliases" should be a list of headings, like `aliases: [Introduction, Hello]`',
            )
            aliases = []
        for index, alias in enumerate(aliases):
            if problem := one_line_problem(alias.strip()):
                self.fail(path + ("aliases", index), f'each of the "aliases" {problem}')
        aliases = [a for a in aliases if one_line_problem(a.strip()) is None]
        filled_by = item.get("filled_by")
        if filled_by is not None and filled_by != "feedback":
            self.fail(
                path + ("filled_by",),
                f'"filled_by" can only be `feedback` (the team stories); found {filled_by!r}',
            )
            filled_by = None
        return RequiredSection(item["title"].strip(), tuple(a.strip() for a in aliases), filled_by)

    def _approvals(self, value: Any, base: KeyPath) -> tuple[str, ...]:
        """The sign-offs required before an issue is ready, each one a known kind."""
        path = base + ("required_approvals",)
        example = f"`required_approvals: [{', '.join(APPROVALS)}]`"
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path, f'"required_approvals" should be a list, like {example}; found {value!r}')
            return ()
        kinds: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip() in APPROVALS:
                kinds.append(item.strip())
                continue
            close = difflib.get_close_matches(str(item), list(APPROVALS), n=1)
            hint = f'did you mean "{close[0]}"?' if close else f"use any of: {', '.join(APPROVALS)}"
            self.fail(path + (index,), f'"required_approvals" has an unknown approval {item!r}; {hint}')
        return tuple(dict.fromkeys(kinds))

    def _content_checks(self, options: dict[str, Any], base: KeyPath) -> dict[str, Any]:
        """The privacy allow-list and the plain-language threshold."""
        values: dict[str, Any] = {}
        if "privacy_allow" in options:
            allow = options["privacy_allow"] or []
            if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
                self.fail(
                    base + ("privacy_allow",),
                    '"privacy_allow" should be a list of texts, like '
                    '`privacy_allow: ["0808 800 5000", "@northumberland.gov.uk"]`',
                )
            else:
                values["privacy_allow"] = tuple(a.strip() for a in allow)
        if "reading_ease_min" in options:
            minimum = options["reading_ease_min"]
            if isinstance(minimum, bool) or not isinstance(minimum, int | float) or not 0 <= minimum <= 100:
                self.fail(
                    base + ("reading_ease_min",),
                    f'"reading_ease_min" should be a number from 0 to 100; found {minimum!r}',
                )
            else:
                values["reading_ease_min"] = float(minimum)
        return values


def plugin_warning(settings: Settings, key: str, message: str, code: str) -> Diagnostic:
    """A warning located at a key of the plugin's settings."""
    return warning(CONFIG_FILE, settings.config_line(key), code, message)
