"""Pages `sofs build` rendered before, kept in the build cache and not rendered again.

Rendering the pages (Markdown to HTML, the theme's templates, the search entries) is most
of a build. A page's finished HTML depends on its own Markdown and on what the whole site
shares: the code and the versions of MkDocs and Material, `mkdocs.yml` and the settings
MkDocs ends up with (navigation, extras, Markdown extensions, the site's address), the
theme overrides, which files the site has and every page's title. `KeptPages` keys each
page by all of that; a page whose key is in the cache is handed to MkDocs as a stub (its
title only), written out as the kept HTML, and given its kept search entries, so the
site is byte for byte what rendering it would give. A page's HTML is kept apart from its
title and search entries and read only when MkDocs writes the page, and a page rendered
this time is kept from the file MkDocs wrote: a build holds no site's worth of HTML.

Nothing is kept when the build logs a warning (a later build would then skip it), when
`mkdocs.yml` lists a plugin other than `search` and `sofs` or a Markdown extension that
is not known to read only the page (another plugin may make pages depend on anything,
and `pymdownx.snippets` puts other files into them), or in strict mode.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from ..cache.store import BuildCache, fingerprint, tree_fingerprint

SHELF = "rendered-pages"
#: The template a kept page is "rendered" with: its output is replaced by the kept HTML.
STUB_TEMPLATE = "sofs-kept-page.html"
#: Plugins whose work on a page is all in the kept HTML and search entries.
_KNOWN_PLUGINS = frozenset({"search", "material/search", "sofs"})
#: Every line that may give a page its title (MkDocs takes the `title` field, else the first
#: level-1 heading however written: `# A`, `A` over `===`, `<h1>`). Other pages' navigation
#: shows that title, so a change here renders every page again.
_TITLE_LINE = re.compile(r"^(?:#(?!#).*|title:.*|.*\n=+[ \t]*)$|<h1\b.*", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class KeptPage:
    """A kept page's title and search entries; its HTML waits on the shelf (`html_key`)."""

    title: str | None
    search: list[Any]
    html_key: str


class KeptPageMissing(PluginError):
    """A kept page's HTML went from the cache while the build ran."""


class _WarningCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class KeptPages:
    """The kept pages of one build, and the keys of those it renders (to keep them)."""

    cache: BuildCache
    kept: dict[str, KeptPage] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    made: dict[str, tuple[Path, str | None]] = field(default_factory=dict)
    warnings: _WarningCount = field(default_factory=_WarningCount)

    @classmethod
    def start(
        cls, cache: BuildCache, config: MkDocsConfig, pages: Mapping[str, str], files: list[str], theme: Path
    ) -> KeptPages | None:
        """Look up every page (path -> Markdown) of this build; None when pages may not be
        kept for this build. `files` are every file of the site, `theme` the overrides."""
        if not cache.enabled or config.strict or set(config.plugins) - _KNOWN_PLUGINS:
            return None
        if not all(_reads_only_the_page(name) for name in config.markdown_extensions):
            return None
        shared = _site_key(cache, config, pages, files, theme)
        kept_pages = cls(cache)
        for path, text in pages.items():
            key = fingerprint(shared, path, text)
            data = cache.get(SHELF, key)
            html_key = _html_key(key)
            kept = _decode(data, html_key) if data is not None and cache.has(SHELF, html_key) else None
            if kept is None:
                kept_pages.keys[path] = key
            else:
                kept_pages.kept[path] = kept
        logging.getLogger("mkdocs").addHandler(kept_pages.warnings)
        return kept_pages

    def stub(self, path: str) -> str:
        """What MkDocs is given for a kept page: its title, and the stub template."""
        title = self.kept[path].title
        lines = [f"template: {STUB_TEMPLATE}"] + ([f"title: {json.dumps(title)}"] if title else [])
        return "---\n" + "\n".join(lines) + "\n---\n"

    def finished(self, path: str, html: str, title: str | None, written_to: Path) -> str:
        """The page's HTML as written: the kept one, or `html` (noted, to keep it from the
        file MkDocs writes it to, `written_to`)."""
        kept = self.kept.get(path)
        if kept is None:
            self.made[path] = (written_to, title)
            return html
        data = self.cache.get(SHELF, kept.html_key)
        if data is None:
            raise KeptPageMissing(
                f"the page {path}, kept from the last build, went missing from the build cache "
                "during this build (was the .cache folder cleared?); build again"
            )
        return data.decode("utf-8")

    def end(self, search_index: Path, urls: Mapping[str, str]) -> None:
        """Give the kept pages their search entries in the index MkDocs wrote, and keep the
        pages rendered this time (unless the build warned). `urls`: page path -> address."""
        self.close()
        data = json.loads(search_index.read_text(encoding="utf-8")) if search_index.is_file() else None
        entries: dict[str, list[Any]] = {}
        for entry in data.get("docs", []) if data else []:
            entries.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
        if data is not None and self.kept:
            # Every page in the order MkDocs built them (`urls` was filled in that order).
            order = [*urls.items(), *((None, url) for url in entries if url not in urls.values())]
            data["docs"] = [
                entry
                for path, url in order
                for entry in (self.kept[path].search if path in self.kept else entries.get(url, []))
            ]
            search_index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
        if self.warnings.count == 0:
            for path, (written_to, title) in self.made.items():
                try:
                    html = written_to.read_bytes()
                except OSError:  # MkDocs skips writing an empty page: nothing to keep
                    continue
                key = self.keys[path]
                self.cache.put(SHELF, _html_key(key), html)
                search = entries.get(urls.get(path, ""), []) if data else []
                self.cache.put(SHELF, key, _encode(KeptPage(title, search, _html_key(key))))
        self.cache.prune([SHELF])

    def close(self) -> None:
        """Stop counting the build's warnings (the build ended, or failed)."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)


def _reads_only_the_page(extension: object) -> bool:
    """Whether a Markdown extension makes its HTML from the page's own text alone (one that
    includes other files, like `pymdownx.snippets`, makes kept pages unsafe)."""
    if not isinstance(extension, str):
        return False
    name = extension.removeprefix("markdown.extensions.")
    if name in _INCLUDES_FILES:
        return False
    return name in _PYTHON_MARKDOWN or name.startswith(("pymdownx.", "material.extensions.", "generator."))


#: Python-Markdown's own extensions, which read nothing but the page.
_PYTHON_MARKDOWN = frozenset(
    {
        "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
        "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
        "smarty", "tables", "toc", "wikilinks",
    }
)  # fmt: skip
#: Extensions that put other files' text into a page.
_INCLUDES_FILES = frozenset({"pymdownx.snippets"})


def with_stub_template(env: jinja2.Environment) -> jinja2.Environment:
    """The theme's environment, able to load the stub template kept pages are given."""
    stub = jinja2.DictLoader({STUB_TEMPLATE: "{{ page.url }}"})
    env.loader = jinja2.ChoiceLoader([stub, env.loader]) if env.loader else stub
    return env


def _site_key(
    cache: BuildCache, config: MkDocsConfig, pages: Mapping[str, str], files: list[str], theme: Path
) -> str:
    settings = {
        name: config.get(name)
        for name in (
            "site_name",
            "site_url",
            "site_description",
            "site_author",
            "copyright",
            "repo_url",
            "repo_name",
            "edit_uri",
            "use_directory_urls",
            "nav",
            "extra",
            "extra_css",
            "extra_javascript",
            "markdown_extensions",
            "mdx_configs",
            "validation",
        )
    }
    config_file = Path(config.config_file_path or "mkdocs.yml")
    titles = [path + "\n" + "\n".join(_TITLE_LINE.findall(text)) for path, text in sorted(pages.items())]
    return fingerprint(
        SHELF,
        cache.code,
        version("mkdocs"),
        version("mkdocs-material"),
        config_file.read_bytes() if config_file.is_file() else b"",
        json.dumps(settings, sort_keys=True, default=repr),
        tree_fingerprint(theme),
        *sorted(files),
        "titles",
        *titles,
    )


def _html_key(key: str) -> str:
    """Where a kept page's HTML is, beside its title and search entries (under `key`)."""
    return fingerprint(key, "html")


def _encode(page: KeptPage) -> bytes:
    return json.dumps([page.title, page.search], ensure_ascii=False, default=str).encode("utf-8")


def _decode(data: bytes, html_key: str) -> KeptPage | None:
    try:
        title, search = json.loads(data.decode("utf-8"))
    except (ValueError, TypeError):
        return None
    if not isinstance(search, list) or not (title is None or isinstance(title, str)):
        return None
    return KeptPage(title, search, html_key)
