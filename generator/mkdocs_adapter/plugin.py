"""The `sofs` MkDocs plugin: loads and checks `content/`, then serves MkDocs the
generated pages in memory (no files are written into the content folder).

When `sofs` runs MkDocs (`mkdocs_adapter.render`), it hands the plugin a `SofsRun`: the
check it has made, or how to make one on each rebuild, and whether it holds the project's
lock. When MkDocs runs on its own (`mkdocs build`, `mkdocs serve`), the plugin starts the
run itself: it takes the lock, reads `SOFS_TODAY`, checks the project and refuses to build
over files it did not write.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..checks.project import check_project
from ..content.visibility import TODAY_VARIABLE, fixed_day
from ..generate.context import BuildContext
from ..generate.extra_files import ProducerFailed, extra_outputs
from ..generate.pages import GeneratedDocs, generate_docs
from ..generate.templates import TemplateProblem
from ..generate.theme_settings import THEME_KEY, theme_settings
from ..settings.model import SOFS_MARKDOWN_EXTENSIONS
from ..settings.schema import PLUGIN_SETTINGS
from ..site_build.destinations import site_refusal
from ..site_build.owned_folder import SITE_EXPLANATION, SITE_MARKER, entries, write_marker
from ..site_build.project_lock import ProjectLockError, project_lock
from ..site_build.rendered_markup import valid_toggles
from .page_cache import KeptPages, with_stub_template

log = logging.getLogger("mkdocs.plugins.sofs")
#: Where Material's search plugin writes its index, in the site folder.
SEARCH_INDEX = "search/search_index.json"


@dataclass
class SearchEntries:
    """The search index's entries of every page, by page address, kept by the preview
    between its builds: a build that renders only the changed pages replaces their entries
    and keeps the others, so search still finds every page."""

    by_page: dict[str, list[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class PreviewTree:
    """A preview build from the docs tree `sofs serve` keeps on disk (`folder`), holding the
    generated `docs` and extra files `extras`. With `dirty`, MkDocs renders only the pages
    whose file in the tree changed since the last build."""

    folder: Path
    docs: GeneratedDocs
    extras: tuple[str, ...]
    dirty: bool
    search: SearchEntries


@dataclass(frozen=True)
class BuiltSite:
    """What a finished MkDocs build knew of the site: its settings, files (each page with
    its `Page`), navigation and the theme's template environment."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment


@dataclass(frozen=True)
class SofsRun:
    """What `sofs` tells its plugin about the MkDocs run it starts.

    `checked` is the context of the check `sofs build` has just made, with no errors (the
    plugin then uses it rather than checking every file again); without it the plugin
    checks the project on each build, showing drafts with `include_drafts` and fixing the
    day with `today`. `preview` builds even when the content has errors, showing what
    could be read. `lock_held` says the caller holds the project's lock already."""

    checked: BuildContext | None = None
    include_drafts: bool = False
    preview: bool = False
    today: dt.date | None = None
    lock_held: bool = False
    tree: PreviewTree | None = None


class SofsPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """Declares the plugin's settings to MkDocs, one per entry of `settings.schema`. They are
    typed loosely on purpose: `generator.settings.reader` validates them against that schema,
    so a mistake gets one located, plain message."""

    _schema = tuple((setting.name, c.Optional(c.Type(object))) for setting in PLUGIN_SETTINGS)


class SofsPlugin(BasePlugin[SofsPluginConfig]):  # type: ignore[no-untyped-call]
    """Replaces the Markdown sources of `docs_dir` by the generated newsletter pages."""

    def __init__(self) -> None:
        super().__init__()
        #: Set by `sofs` before each MkDocs build it starts; None when MkDocs runs on its own.
        self.run: SofsRun | None = None
        self.docs: GeneratedDocs | None = None
        self.extras: dict[str, bytes] = {}
        self.assets: tuple[str, ...] = ()
        self.root: Path | None = None
        self.command = "build"
        self.lock = ExitStack()
        self.rendered: list[str] = []
        self.page_order: list[str] = []
        #: The files, navigation and template environment of the latest build, for a
        #: preview that renders single pages again without a whole MkDocs build.
        self.built: BuiltSite | None = None
        self._nav: Navigation | None = None
        #: This build's pages kept from earlier builds (`sofs build` only), and each
        #: rendered page's address, by its path.
        self.kept_pages: KeptPages | None = None
        self.page_urls: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        run = self.run or SofsRun(today=fixed_day(os.environ.get(TODAY_VARIABLE, "")))
        if not run.lock_held:  # held until this build ends; each rebuild of `serve` takes it anew
            try:
                self.lock.enter_context(project_lock(self.root, f"mkdocs {self.command}"))
            except ProjectLockError as exc:
                raise PluginError(f"sofs: {exc}") from None
        if self.command == "build" and self.run is None:
            refused = site_refusal(self.root, Path(config.site_dir))
            if refused:
                raise PluginError(f"sofs: {refused}")
        context = run.checked or self._check(run)
        self.rendered = []
        try:
            if run.tree is not None:
                self.docs, self.extras = run.tree.docs, {}
                self.assets = context.content_files.copied
                if config.nav is None:
                    config.nav = self.docs.nav
                _watch(config, context.settings.templates_root)
                return config
            self.docs = generate_docs(context)
            # Feeds and other extra files, so that pages can link to them and `serve` has them.
            self.extras = extra_outputs(context)
            self.assets = context.content_files.copied
        except TemplateProblem as problem:
            raise PluginError(str(problem.diagnostic)) from None
        except ProducerFailed as failed:
            if self.run is not None:
                raise  # `sofs build` reports it in its own words
            raise PluginError(f"sofs: {failed}") from None
        for name in SOFS_MARKDOWN_EXTENSIONS:  # the feeds and emails are made with them too
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if config.nav is None:
            config.nav = self.docs.nav
        config.extra[THEME_KEY] = theme_settings(context.site, offline=context.offline)
        _watch(config, context.settings.templates_root)
        return config

    def _check(self, run: SofsRun) -> BuildContext:
        """Check the project for this build; its errors stop it, except in a preview."""
        assert self.root is not None
        result = check_project(self.root, include_drafts=run.include_drafts, today=run.today)
        if result.report.errors:
            if not run.preview:
                raise PluginError("sofs: the content has errors:\n" + result.report.as_text())
            log.warning(
                "The content has errors; the preview shows what could be read:\n%s", result.report.as_text()
            )
        return result.context

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The theme's files, the content files the asset rule copies (`content.assets`), and
        the generated pages and extra files; nothing else of the content folder."""
        assert self.docs is not None
        docs_dir = os.path.normpath(config.docs_dir)
        kept = [f for f in files if f.src_dir is None or os.path.normpath(f.src_dir) != docs_dir]
        ours = self.docs.pages.keys() | self.extras.keys()
        kept += [
            File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
            for path in self.assets
            if path not in ours
        ]
        tree = self.run.tree if self.run is not None else None
        if tree is not None:
            ours_files = self._tree_files(tree, config)
            # A page's address as its search entries give it (the home page's is "", not "./").
            self.page_order = [
                "" if f.url in (".", "./") else f.url for f in ours_files if f.is_documentation_page()
            ]
            return Files([*kept, *ours_files])
        self.kept_pages = pages = self._kept_pages(config)
        generated = [
            File.generated(config, path, content=pages.stub(path) if pages and path in pages.kept else text)
            for path, text in sorted(self.docs.pages.items())
        ]
        generated += [
            File.generated(config, path, content=data) for path, data in sorted(self.extras.items())
        ]
        return Files([*kept, *generated])

    def _kept_pages(self, config: MkDocsConfig) -> KeptPages | None:
        """The pages `sofs build` rendered before and need not render again (`page_cache`)."""
        checked = self.run.checked if self.run is not None else None
        if checked is None or self.run is None or self.run.preview or self.docs is None:
            return None
        files = [*self.docs.pages, *self.extras, *self.assets]
        theme = checked.settings.templates_root / "theme"
        return KeptPages.start(checked.cache, config, self.docs.pages, files, theme)

    def _tree_files(self, tree: PreviewTree, config: MkDocsConfig) -> list[File]:
        """The generated pages and extra files as files of the preview's docs tree, in the
        order a full build gives them. In a dirty build, navigation pages without a title
        of their own in the navigation are rendered again too, so the navigation and the
        links to the next and previous page name them as a full build does."""
        source = str(tree.folder)
        files = [
            File(path, source, config.site_dir, config.use_directory_urls)
            for path in [*sorted(tree.docs.pages), *sorted(tree.extras)]
        ]
        if tree.dirty:
            untitled = set(untitled_nav_pages(tree.docs.nav))
            for file in files:
                if file.src_uri in untitled and os.path.isfile(file.abs_dest_path):
                    os.remove(file.abs_dest_path)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.built = None
        self._nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.kept_pages is not None:
            env = with_stub_template(env)
        self.built = BuiltSite(config, files, self._nav, env) if self._nav is not None else None
        return env

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.rendered.append(page.url)
        return context

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """Each page as Material wrote it, with its markup made valid
        (`site_build.rendered_markup`); a page kept from an earlier build as it was then
        (`page_cache`)."""
        output = valid_toggles(output)
        if self.kept_pages is None:
            return output
        self.page_urls[page.file.src_uri] = "" if page.url in (".", "./") else page.url
        written_to = Path(page.file.abs_dest_path)
        return self.kept_pages.finished(page.file.src_uri, output, page.title, written_to)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The same for pages made from a template alone (`404.html`)."""
        return valid_toggles(output_content) if template_name.endswith(".html") else output_content

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.kept_pages is not None:
            self.kept_pages.end(Path(config.site_dir) / SEARCH_INDEX, self.page_urls)
            self.kept_pages = None
        tree = self.run.tree if self.run is not None else None
        if tree is not None:
            _merge_search_index(Path(config.site_dir), tree.search, self.rendered, self.page_order)
        if self.command == "build" and self.run is None:
            site = Path(config.site_dir)
            write_marker(site, SITE_MARKER, SITE_EXPLANATION, entries(site))
        self.lock.close()

    def on_build_error(self, *, error: Exception) -> None:
        if self.kept_pages is not None:
            self.kept_pages.close()
            self.kept_pages = None
        self.lock.close()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.root is not None:
            server.watch(str(self.root / "templates"))
        return server


def _watch(config: MkDocsConfig, folder: Path) -> None:
    """Have `serve` watch `folder` too (once, however often the settings are loaded)."""
    if str(folder) not in config.watch:
        config.watch.append(str(folder))


def untitled_nav_pages(nav: Any) -> list[str]:
    """The pages the navigation lists without a title (MkDocs reads it from the page)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in untitled_nav_pages(item)]
    if isinstance(nav, dict):
        return [
            page for value in nav.values() if not isinstance(value, str) for page in untitled_nav_pages(value)
        ]
    return []


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def _merge_search_index(site: Path, search: SearchEntries, rendered: list[str], order: list[str]) -> None:
    """Make the search index hold every page's entries after a build that rendered only
    `rendered` (page addresses): theirs from this build, the others' from earlier builds,
    in the order of the site's pages (`order`), as one full build writes them."""
    index = site / SEARCH_INDEX
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    fresh: dict[str, list[Any]] = {url: [] for url in rendered}
    for entry in data.get("docs", []):
        fresh.setdefault(_page_of(str(entry.get("location", ""))), []).append(entry)
    kept = search.by_page
    kept.update(fresh)
    for gone in kept.keys() - set(order):
        del kept[gone]
    data["docs"] = [entry for url in order for entry in kept.get(url, [])]
    index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
