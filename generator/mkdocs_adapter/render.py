"""Running MkDocs for `sofs build` and `sofs serve`, with our plugin told about the run.

`render_site` is the `Renderer` the command line hands `site_build.build_project`;
`serve_site` is the preview server. Both load `mkdocs.yml`, give the `sofs` plugin its
`SofsRun` and run MkDocs' own build; nothing reaches the plugin through the environment.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

from ..basics.diagnostics import Diagnostic, Report
from ..checks.project import check_project
from ..content.loader import LoadMemo
from ..generate.context import BuildContext
from ..generate.page_memo import PageMemo
from ..generate.pages import NavItem
from ..settings.reader import CONFIG_FILE, Settings
from ..site_build.builder import RenderFailed
from ..site_build.docs_tree import DOCS_FOLDER, write_docs_tree
from ..site_build.project_lock import ProjectLockError, project_lock
from .page_rerender import can_rerender, rerender_pages
from .plugin import BuiltSite, PreviewTree, SearchEntries, SofsPlugin, SofsRun
from .saves import saves_observer

PLUGIN = "sofs"


class _Collector(logging.Handler):
    """Keeps what MkDocs logs at warning level or above, to report it our way."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip())


@contextmanager
def _collect_mkdocs_messages() -> Iterator[_Collector]:
    logger = logging.getLogger("mkdocs")
    collector = _Collector()
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous


@contextmanager
def _source_date_epoch(value: int) -> Iterator[None]:
    """MkDocs dates the sitemap from `SOURCE_DATE_EPOCH` (its own interface, read from the
    environment): set it for the build unless the person running it has."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(value)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _not_about_dirty_builds(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale; the preview rebuilds the
    whole site whenever the navigation, settings or templates change, so it need not."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build_log = logging.getLogger("mkdocs.commands.build")
    if _not_about_dirty_builds not in build_log.filters:
        build_log.addFilter(_not_about_dirty_builds)


@contextmanager
def _told(root: Path, run: SofsRun, **overrides: str) -> Iterator[MkDocsConfig]:
    """`mkdocs.yml` of the project at `root`, with the `sofs` plugin told about `run` for
    as long as the block lasts (MkDocs keeps one plugin object across loads)."""
    config = load_config(config_file=str(root / "mkdocs.yml"), **overrides)
    plugin = config.plugins.get(PLUGIN)
    if not isinstance(plugin, SofsPlugin):
        raise RenderFailed("mkdocs.yml does not list the sofs plugin; add `- sofs` under `plugins:`")
    plugin.run = run
    try:
        yield config
    finally:
        plugin.run = None


def render_site(
    context: BuildContext, into: Path, *, source_date_epoch: int, offline: bool = False
) -> list[str]:
    """Build the checked site of `context` into `into` with MkDocs and Material.

    With `offline` the site works opened from a folder (`file://`): pages are `name.html`
    files and search runs without a server (Material's offline plugin).

    The caller holds the project's lock. Returns the warnings MkDocs gave; raises
    `RenderFailed` with its errors when it fails."""
    _quiet_mkdocs()
    run = SofsRun(checked=context.for_folder() if offline else context, lock_held=True)
    with _source_date_epoch(source_date_epoch), _collect_mkdocs_messages() as collector:
        try:
            with _told(context.root, run, site_dir=str(into)) as config:
                if offline:
                    _for_folder(config)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(config)
                finally:
                    config.plugins.on_shutdown()
        except MkDocsException as exc:
            details = [*collector.messages, exc.format_message()]
            raise RenderFailed("\n  ".join(m for m in details if m)) from None
    return collector.messages


@dataclass
class PreviewSession:
    """What `sofs serve` keeps between its rebuilds: the pages made so far (so an edit
    regenerates only the pages made from the changed files), the docs tree on disk (written
    only where bytes changed, so MkDocs renders only those pages), and each page's search
    entries (so the search index stays whole)."""

    root: Path
    folder: Path
    include_drafts: bool
    today: dt.date | None
    memo: PageMemo = field(default_factory=PageMemo)
    loaded: LoadMemo = field(default_factory=LoadMemo)
    templates: tuple[Settings, jinja2.Environment] | None = None
    search: SearchEntries = field(default_factory=SearchEntries)
    built_once: bool = False
    pages: frozenset[str] = frozenset()
    nav: list[NavItem] = field(default_factory=list)
    extras: tuple[str, ...] = ()
    #: MkDocs' objects from the latest build, to render single pages again with.
    built: BuiltSite | None = None
    #: The problems the latest check found, to report only new ones after a save.
    reported: frozenset[Diagnostic] = frozenset()
    #: The project's `mkdocs.yml` as MkDocs read it for `built`.
    built_settings: bytes | None = None
    #: How the latest rebuild rendered: "full", "dirty" (a dirty MkDocs build) or "pages"
    #: (the changed pages alone, `page_rerender`).
    last_render: str = ""

    @property
    def site(self) -> Path:
        """Where the preview's site is built."""
        return self.folder / "site"

    @property
    def tree(self) -> Path:
        """Where the preview's docs tree is written."""
        return self.folder / "tree"

    def rebuild(self, address: str, overrides: dict[str, str]) -> None:
        """Check the project, write what changed into the docs tree, and render it: only
        the changed pages when nothing else changed, the whole site otherwise."""
        log = logging.getLogger("mkdocs.commands.serve")
        started = time.perf_counter()
        try:
            with project_lock(self.root, "sofs serve"):
                self._rebuild(address, overrides, log)
        except ProjectLockError as exc:
            log.error("sofs: %s", exc)
            return
        log.info("Rebuilt in %.2f s", time.perf_counter() - started)

    def _rebuild(self, address: str, overrides: dict[str, str], log: logging.Logger) -> None:
        result = check_project(
            self.root, include_drafts=self.include_drafts, today=self.today, load_memo=self.loaded
        )
        self._report(result.report, log)
        self._reuse_templates(result.context)
        written = write_docs_tree(result.context, self.tree, self.memo)
        pages = frozenset(written.docs.pages)
        dirty = (
            self.built_once
            and pages == self.pages
            and written.docs.nav == self.nav
            and all(name.startswith(f"{DOCS_FOLDER}/") for name in written.changed)
        )
        in_docs = [name.removeprefix(f"{DOCS_FOLDER}/") for name in written.changed]
        settings_file = _bytes_of(self.root / CONFIG_FILE)
        if (
            dirty
            and settings_file == self.built_settings
            and written.extras == self.extras
            and can_rerender(self.built, in_docs)
        ):
            assert self.built is not None
            tree = PreviewTree(self.tree / DOCS_FOLDER, written.docs, written.extras, True, self.search)
            run = SofsRun(checked=result.context, preview=True, lock_held=True, tree=tree)
            if _rerender(self.built, run, in_docs):
                self.last_render = "pages"
                self.built_once, self.pages, self.nav = True, pages, written.docs.nav
                return
            dirty = False  # MkDocs' kept objects did not fit the edit: build the whole site
        tree = PreviewTree(self.tree / DOCS_FOLDER, written.docs, written.extras, dirty, self.search)
        run = SofsRun(checked=result.context, preview=True, lock_held=True, tree=tree)
        with _told(self.root, run, site_dir=str(self.site), **overrides) as config:
            _build_preview(config, address, dirty=dirty)
            plugin = config.plugins.get(PLUGIN)
            self.built = plugin.built if isinstance(plugin, SofsPlugin) else None
        self.built_settings = settings_file
        self.last_render = "dirty" if dirty else "full"
        self.built_once, self.pages, self.nav, self.extras = True, pages, written.docs.nav, written.extras

    def _report(self, report: Report, log: logging.Logger) -> None:
        """The first build lists every problem when there are errors; later ones list only
        the problems a save brought, so the one just made is not lost among the others."""
        if not self.built_once:
            if report.errors:
                log.warning(
                    "The content has errors; the preview shows what could be read:\n%s", report.as_text()
                )
        else:
            new = [str(d) for d in report.diagnostics if d not in self.reported]
            fixed = len(self.reported - set(report.diagnostics))
            still = f"In all: {report.summary()} `sofs check` lists them all."
            if new:
                log.warning("New since the last save:\n%s\n%s", "\n".join(new), still)
            elif fixed:
                log.info("%d fixed since the last save. %s", fixed, still)
        self.reported = frozenset(report.diagnostics)

    def _reuse_templates(self, context: BuildContext) -> None:
        """Hand this run the page templates the previous run compiled, under the same
        settings: Jinja reloads any template whose file changed (`auto_reload`), so only
        unchanged ones are reused, and compiling them all again is most of a small rebuild."""
        if (
            self.templates is not None
            and self.templates[0] == context.settings
            and self.templates[1].auto_reload
        ):
            context.__dict__["page_templates"] = self.templates[1]  # the context's cached value
        self.templates = (context.settings, context.page_templates)


#: Lets Material's search worker run from `file://`; vendored in the theme, so an offline
#: site never fetches it from the network (the offline plugin's default is a CDN).
WORKER_SHIM = "assets/javascripts/iframe-worker-shim.js"


def _for_folder(config: MkDocsConfig) -> None:
    """Turn on Material's offline plugin for this build: `name.html` pages, and a search
    index inlined into a script that `file://` pages can load."""
    from material.plugins.offline.plugin import OfflinePlugin  # type: ignore[import-untyped]

    config.extra["polyfills"] = [*config.extra.get("polyfills", []), WORKER_SHIM]
    if "material/offline" not in config.plugins and "offline" not in config.plugins:
        plugin = OfflinePlugin()
        errors, _warnings = plugin.load_config({})
        if errors:
            raise RenderFailed(f"Material's offline plugin could not start: {errors}")
        config.plugins["material/offline"] = plugin
    config.use_directory_urls = False


def serve_site(
    root: Path, dev_addr: str, *, include_drafts: bool = True, today: dt.date | None = None
) -> None:
    """Preview the site with live reload: each edit to the content, the templates or
    `mkdocs.yml` checks the project again, regenerates the pages made from what changed and
    renders only those (the whole site after a change to the settings, the templates or
    the navigation), showing what could be read even when the content has errors. Each
    rebuild holds the project's lock while it runs."""
    _quiet_mkdocs()
    logging.getLogger("mkdocs.commands.serve").setLevel(logging.INFO)
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    folder = Path(tempfile.mkdtemp(prefix="sofs-preview-"))
    session = PreviewSession(root, folder, include_drafts, today)
    session.site.mkdir()
    run = SofsRun(include_drafts=include_drafts, preview=True, today=today)
    try:
        with _told(root, run, site_dir=str(session.site), dev_addr=dev_addr) as config:
            _serve(session, config)
    except MkDocsException as exc:
        raise RenderFailed(exc.format_message()) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve(session: PreviewSession, config: MkDocsConfig) -> None:
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    address = f"http://{host}:{port}{mount_path}"
    preview_dir = str(session.site)

    def rebuild() -> None:
        session.rebuild(address, {"dev_addr": f"{host}:{port}"})

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=preview_dir, mount_path=mount_path)
    server.observer = saves_observer(session.root)  # type: ignore[assignment]  # MkDocs types it narrowly
    server.error_handler = lambda code: _error_page(session.site, code)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        rebuild()
        for watched in (config.docs_dir, config.config_file_path, *config.watch):
            if watched:
                server.watch(watched)
        server = config.plugins.on_serve(server, config=config, builder=rebuild)
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            logging.getLogger("mkdocs.commands.serve").info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()


def _build_preview(config: MkDocsConfig, address: str, *, dirty: bool = False) -> None:
    logging.getLogger("mkdocs.commands.serve").info("Building documentation...")
    config.site_url = address
    mkdocs_build(config, serve_url=address, dirty=dirty)


def _bytes_of(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None


def _rerender(built: BuiltSite, run: SofsRun, changed: list[str]) -> bool:
    """Render the `changed` pages of the kept build again, with our plugin told about `run`;
    False when that failed (the caller then has MkDocs build the site)."""
    log = logging.getLogger("mkdocs.commands.serve")
    log.info("Rendering %d changed files...", len(changed))
    plugin = built.config.plugins.get(PLUGIN)
    if not isinstance(plugin, SofsPlugin):
        return False
    plugin.run = run
    try:
        rerender_pages(built, changed)
    except Exception as exc:  # any failure here is retried by a whole build
        log.info("Rendering the changed pages alone failed (%s); building the whole site", exc)
        return False
    finally:
        plugin.run = None
    return True


def _error_page(folder: Path, code: int) -> bytes | None:
    """The site's own 404 (or 500) page, for addresses the preview does not have."""
    page = folder / f"{code}.html"
    if code in (404, 500) and page.is_file():
        return page.read_bytes()
    return None
