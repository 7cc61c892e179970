"""The settings reader on its own: each setting's default, a wrong value of each one as a
located message, unknown names, and the MkDocs adapter declaring exactly the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT

from generator.basics.diagnostics import Diagnostic
from generator.settings.model import DEFAULT_ISSUE_TYPES, DEFAULT_SECTIONS, Settings
from generator.settings.reader import load_settings
from generator.settings.schema import PLUGIN_KEYS, PLUGIN_SETTINGS, SITE_SETTINGS

HEAD = "site_name: Test newsletter\nsite_url: https://news.example.org/\nplugins:\n  - sofs:\n"
#: The line of the first setting under `sofs:` in a file that starts with HEAD.
FIRST_LINE = 5


def read(
    tmp_path: Path, options: dict[str, Any] | None = None, head: str = HEAD
) -> tuple[Settings, list[str]]:
    """Settings read from a `mkdocs.yml` holding `options` under the plugin, and each problem as text."""
    body = yaml.safe_dump(options, sort_keys=False, allow_unicode=True) if options else ""
    text = head + "".join(f"      {line}\n" for line in body.splitlines())
    if not options:
        text = text.replace("  - sofs:\n", "  - sofs\n")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    settings, problems = load_settings(tmp_path)
    assert all(isinstance(p, Diagnostic) for p in problems)
    return settings, [str(p) for p in problems]


def test_every_setting_not_written_keeps_its_default(tmp_path: Path) -> None:
    settings, problems = read(tmp_path)
    assert problems == []
    for setting in PLUGIN_SETTINGS:
        assert getattr(settings, setting.name) == setting.default, setting.name
    assert settings.templates_dir == "templates" and settings.timezone == "Europe/London"
    assert settings.mailbox is None and settings.subscribers_db == "data/subscribers.sqlite"
    assert settings.feed_limit == 20 and settings.default_issue_type == "newsletter"
    assert dict(settings.teams) == {} and settings.issue_types == DEFAULT_ISSUE_TYPES
    assert settings.privacy_allow == () and settings.reading_ease_min == 50.0
    assert settings.required_approvals == () and settings.extra_file_types == ()


def test_each_default_is_the_settings_field_default(tmp_path: Path) -> None:
    plain = Settings(tmp_path)
    for setting in PLUGIN_SETTINGS + SITE_SETTINGS:
        assert setting.default == getattr(plain, setting.name), setting.name
        assert setting.help and setting.help == setting.help.strip()


WRONG: dict[str, tuple[Any, str]] = {
    "templates_dir": (["templates"], "\"templates_dir\" should be text; found ['templates']"),
    "timezone": ("Mars/Olympus", "\"timezone\" 'Mars/Olympus' is not a known time zone, like Europe/London"),
    "mailbox": (
        "news",
        '"mailbox" should be one plain email address, like `mailbox: newsletter@example.org`; '
        "found 'news' (An email address must have an @-sign.)",
    ),
    "subscribers_db": (3, '"subscribers_db" should be text; found 3'),
    "organisation": (
        ["Children's Services"],
        '"organisation" should be text; found ["Children\'s Services"]',
    ),
    "logo": (True, '"logo" should be text; found True'),
    "brand_colour": (
        "#ffcc00",
        '"brand_colour" #ffcc00 is too light: white text on it (and it as text on white) has a contrast '
        'of 1.51:1, and readers need at least 4.5:1; choose a darker shade, like `brand_colour: "#1d4f91"`',
    ),
    "accent_colour": (
        "red",
        '"accent_colour" should be a colour written as "#" and six hex digits, like '
        "`accent_colour: \"#a3195b\"`; found 'red'",
    ),
    "feed_limit": (0, '"feed_limit" should be a whole number from 1; found 0'),
    "default_issue_type": (True, '"default_issue_type" should be text; found True'),
    "teams": (
        ["first-contact"],
        '"teams" should be `slug: Team name` lines, like `first-contact: First Contact`',
    ),
    "issue_types": (
        "newsletter",
        '"issue_types" should list at least one issue type as `name:` with its `required_sections:` '
        "under it, like `newsletter:`; found 'newsletter'",
    ),
    "privacy_allow": (
        {"a": 1},
        '"privacy_allow" should be a list of texts, like '
        '`privacy_allow: ["0808 800 5000", "@northumberland.gov.uk"]`',
    ),
    "staff_names": (
        {"Mel": 1},
        '"staff_names" should be a list of texts, like `staff_names: ["Mel", "Paul"]`',
    ),
    "reading_ease_min": (101, '"reading_ease_min" should be a number from 0 to 100; found 101'),
    "required_approvals": (
        "issue_sign_off",
        '"required_approvals" should be a list, like `required_approvals: [issue_sign_off, '
        "story_anonymisation]`; found 'issue_sign_off'",
    ),
    "extra_file_types": (
        ".docx",
        '"extra_file_types" should be a list of texts, like `extra_file_types: [".docx", ".pptx"]`',
    ),
}


def test_every_setting_has_a_wrong_value_case() -> None:
    assert set(WRONG) == set(PLUGIN_KEYS)


@pytest.mark.parametrize("key", PLUGIN_KEYS)
def test_a_wrong_value_is_a_located_error_and_the_default_is_kept(tmp_path: Path, key: str) -> None:
    value, message = WRONG[key]
    settings, problems = read(
        tmp_path, {"feed_limit": 5, key: value} if key != "feed_limit" else {key: value}
    )
    line = FIRST_LINE + (1 if key != "feed_limit" else 0)
    assert problems == [f"mkdocs.yml:{line}: error: {message} [config.invalid]"]
    setting = next(s for s in PLUGIN_SETTINGS if s.name == key)
    assert getattr(settings, key) == setting.default


def test_parts_of_a_setting_are_located_at_their_own_line(tmp_path: Path) -> None:
    options = {
        "teams": {"first-contact": "First Contact", "Early Help": "Early Help"},
        "required_approvals": ["issue_sign_off", "issue_signoff"],
    }
    settings, problems = read(tmp_path, options)
    assert problems == [
        f"mkdocs.yml:{FIRST_LINE + 2}: error: team 'Early Help' should be a short name in lowercase "
        "with hyphens [config.invalid]",
        f'mkdocs.yml:{FIRST_LINE + 5}: error: "required_approvals" has an unknown approval '
        "'issue_signoff'; did you mean \"issue_sign_off\"? [config.invalid]",
    ]
    assert dict(settings.teams) == {"first-contact": "First Contact"}
    assert settings.required_approvals == ("issue_sign_off",)


def test_an_unknown_setting_suggests_the_closest_known_one(tmp_path: Path) -> None:
    _, problems = read(tmp_path, {"feed_limt": 10, "palette": "blue"})
    assert problems == [
        f'mkdocs.yml:{FIRST_LINE}: error: unknown setting "feed_limt" under sofs; '
        'did you mean "feed_limit"? [config.invalid]',
        f'mkdocs.yml:{FIRST_LINE + 1}: error: unknown setting "palette" under sofs; known settings: '
        + ", ".join(PLUGIN_KEYS)
        + " [config.invalid]",
    ]


def test_a_missing_site_address_is_reported_at_the_first_line(tmp_path: Path) -> None:
    head = "site_name: Test newsletter\nsite_url:\nplugins:\n  - sofs:\n"
    settings, problems = read(tmp_path, head=head)
    assert problems == [
        'mkdocs.yml:1: error: "site_url" is missing; add the address where the site is published, like '
        "`site_url: https://newsletter.example.gov.uk/` (feeds and emails need it) [config.site-url]"
    ]
    assert settings.site_url is None


def test_good_values_are_converted(tmp_path: Path) -> None:
    options = {
        "timezone": " Europe/Paris ",
        "mailbox": "news@example.org",
        "reading_ease_min": 40,
        "privacy_allow": [" 0808 800 5000 "],
        "required_approvals": ["story_anonymisation", "story_anonymisation"],
    }
    settings, problems = read(tmp_path, options)
    assert problems == []
    assert settings.timezone == "Europe/Paris" and settings.mailbox == "news@example.org"
    assert settings.reading_ease_min == 40.0 and isinstance(settings.reading_ease_min, float)
    assert settings.privacy_allow == ("0808 800 5000",)
    assert settings.required_approvals == ("story_anonymisation",)
    assert settings.site_url == "https://news.example.org/"


def test_issue_types_are_added_to_the_built_in_newsletter(tmp_path: Path) -> None:
    bulletin = {
        "bulletin": {"required_sections": ["Welcome", {"title": "Contact us", "aliases": ["Contact"]}]}
    }
    settings, problems = read(tmp_path, {"issue_types": bulletin})
    assert problems == []
    assert list(settings.issue_types) == ["newsletter", "bulletin"]
    assert settings.issue_types["newsletter"].sections == DEFAULT_SECTIONS
    assert [s.headings for s in settings.issue_types["bulletin"].sections] == [
        ("Welcome",),
        ("Contact us", "Contact"),
    ]


def test_an_issue_type_named_newsletter_replaces_the_built_in_one(tmp_path: Path) -> None:
    settings, problems = read(tmp_path, {"issue_types": {"newsletter": {"required_sections": ["Hello"]}}})
    assert problems == []
    assert [s.title for s in settings.issue_types["newsletter"].sections] == ["Hello"]


def test_the_sample_lists_only_the_issue_types_that_differ_from_the_built_in_one() -> None:
    settings, problems = load_settings(PROJECT)
    assert problems == []
    assert settings.issue_types["newsletter"] == DEFAULT_ISSUE_TYPES["newsletter"]
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text("utf-8"))
    options = next(p["sofs"] for p in config["plugins"] if isinstance(p, dict) and "sofs" in p)
    assert "newsletter" not in options["issue_types"]


def test_the_readme_names_every_built_in_section() -> None:
    readme = (PROJECT / "README.md").read_text("utf-8")
    section = " ".join(readme.split("### Required sections", 1)[1].split("\n## ", 1)[0].split())
    for required in DEFAULT_SECTIONS:
        assert f'"{required.title}"' in section, required.title


def test_the_adapter_declares_exactly_the_schema_settings() -> None:
    from generator.mkdocs_adapter.plugin import SofsPluginConfig

    assert [name for name, _ in SofsPluginConfig._schema] == list(PLUGIN_KEYS)
    config = SofsPluginConfig()
    config.load_dict(dict.fromkeys(PLUGIN_KEYS, "anything"))
    assert config.validate() == ([], [])
