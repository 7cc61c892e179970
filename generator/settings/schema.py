"""Every setting sofs reads from `mkdocs.yml`, declared once.

Each entry names a setting, the rule its value must follow (`settings.rules`) and says in
plain English what it is for; its default is the `Settings` field of the same name. The
reader checks `mkdocs.yml` against these tables, the list of known plugin settings is
`PLUGIN_KEYS`, and the MkDocs adapter declares `PLUGIN_SETTINGS` to MkDocs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .model import APPROVALS, DEFAULT_ISSUE_TYPES, Settings
from .rules import (
    Between,
    Colour,
    Count,
    Flag,
    IssueTypes,
    Kinds,
    Mailbox,
    Rule,
    Teams,
    Text,
    Texts,
    TimeZone,
    WebAddress,
)


@dataclass(frozen=True)
class Setting:
    """One setting: its name, the rule for its value and what it is for.

    `null_is_unset`: a `name:` line with no value counts as not written (MkDocs' own
    settings); otherwise the empty value is checked like any other."""

    name: str
    rule: Rule
    help: str
    null_is_unset: bool = False

    @property
    def default(self) -> Any:
        """The value used when the setting is not written (the `Settings` field's default)."""
        found = next(f for f in dataclasses.fields(Settings) if f.name == self.name)
        if found.default_factory is not dataclasses.MISSING:
            return found.default_factory()
        return found.default


#: The settings under `plugins: - sofs:`, in the order "known settings" lists them.
PLUGIN_SETTINGS: tuple[Setting, ...] = (
    Setting("templates_dir", Text(), "folder of page templates"),
    Setting("timezone", TimeZone(), "time zone of issue dates"),
    Setting("mailbox", Mailbox(), "the newsletter's contact address"),
    Setting(
        "organisation", Text(), "the organisation whose newsletter it is, shown in the masthead and footer"
    ),
    Setting("logo", Text(), "a picture in content/ shown in the masthead, like `images/logo.png`"),
    Setting(
        "brand_colour",
        Colour(example="#1d4f91"),
        "the masthead's colour, `#rrggbb`, dark enough for white text",
    ),
    Setting("accent_colour", Colour(example="#a3195b"), "the colour of links and highlights, `#rrggbb`"),
    Setting("subscribers_db", Text(), "subscriber list file, outside site/ and content/"),
    Setting("feed_limit", Count(), "how many issues the feeds hold"),
    Setting("default_issue_type", Text(), "issue type used when an issue has no `type`"),
    Setting("teams", Teams(), "the teams that write stories, as `slug: Name` lines"),
    Setting(
        "issue_types",
        IssueTypes(adds_to=DEFAULT_ISSUE_TYPES),
        "required sections per issue type, added to the built-in `newsletter` type or replacing it",
    ),
    Setting(
        "privacy_allow",
        Texts(example='"0808 800 5000", "@northumberland.gov.uk"'),
        "addresses, numbers or `@domain`s safe to publish (the mailbox always is)",
    ),
    Setting(
        "staff_names",
        Texts(example='"Mel", "Paul"'),
        "staff the newsletter names, who may appear next to a family role or an age",
    ),
    Setting(
        "reading_ease_min",
        Between(0, 100),
        "lowest Flesch reading ease an issue may score without a warning",
    ),
    Setting(
        "required_approvals",
        Kinds(tuple(APPROVALS), noun="approval"),
        "sign-offs an issue needs before it is ready: " + ", ".join(APPROVALS),
    ),
    Setting(
        "extra_file_types",
        Texts(example='".docx", ".pptx"'),
        "types of file in content/ to publish as they are, besides images and PDFs",
    ),
)

#: The names of the plugin's settings; any other name under `sofs:` is a mistake.
PLUGIN_KEYS: tuple[str, ...] = tuple(setting.name for setting in PLUGIN_SETTINGS)

#: The MkDocs settings at the top of `mkdocs.yml` that sofs reads too.
SITE_SETTINGS: tuple[Setting, ...] = (
    Setting("use_directory_urls", Flag(), "pages at `name/` rather than `name.html`"),
    # The site's name is checked as an email header, with its own message.
    Setting("site_name", Text(one_line=False), "the site's name", null_is_unset=True),
    Setting("site_description", Text(), "one line about the site", null_is_unset=True),
    Setting("docs_dir", Text(), "the content folder", null_is_unset=True),
    Setting("site_dir", Text(), "the folder the site is built into", null_is_unset=True),
    Setting(
        "site_url",
        WebAddress(
            missing="is missing; add the address where the site is published, "
            "like `site_url: https://newsletter.example.gov.uk/` (feeds and emails need it)"
        ),
        "the address where the site is published",
        null_is_unset=True,
    ),
)
