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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

from ..generate.context import BuildContext
from ..site_build.builder import RenderFailed
from .plugin import SofsPlugin, SofsRun

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


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


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
    `mkdocs.yml` checks the project again and rebuilds, showing what could be read even
    when the content has errors. Each rebuild holds the project's lock while it runs."""
    _quiet_mkdocs()
    logging.getLogger("mkdocs.commands.serve").setLevel(logging.INFO)
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    run = SofsRun(include_drafts=include_drafts, preview=True, today=today)
    preview_dir = tempfile.mkdtemp(prefix="sofs-preview-")
    try:
        with _told(root, run, site_dir=preview_dir, dev_addr=dev_addr) as config:
            _serve(root, run, config, preview_dir)
    except MkDocsException as exc:
        raise RenderFailed(exc.format_message()) from None
    finally:
        shutil.rmtree(preview_dir, ignore_errors=True)


def _serve(root: Path, run: SofsRun, config: MkDocsConfig, preview_dir: str) -> None:
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    address = f"http://{host}:{port}{mount_path}"

    def rebuild(loaded: MkDocsConfig | None = None) -> None:
        if loaded is not None:
            _build_preview(loaded, address)
            return
        with _told(root, run, site_dir=preview_dir, dev_addr=f"{host}:{port}") as fresh:
            _build_preview(fresh, address)

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=preview_dir, mount_path=mount_path)
    server.error_handler = lambda code: _error_page(Path(preview_dir), code)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        rebuild(config)
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


def _build_preview(config: MkDocsConfig, address: str) -> None:
    logging.getLogger("mkdocs.commands.serve").info("Building documentation...")
    config.site_url = address
    mkdocs_build(config, serve_url=address)


def _error_page(folder: Path, code: int) -> bytes | None:
    """The site's own 404 (or 500) page, for addresses the preview does not have."""
    page = folder / f"{code}.html"
    if code in (404, 500) and page.is_file():
        return page.read_bytes()
    return None
