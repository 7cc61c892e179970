"""The `sofs` MkDocs plugin: loads and checks `content/`, then serves MkDocs the
generated pages in memory (no files are written into the content folder)."""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..checks.project import CheckResult, check_project
from ..content.visibility import Visibility, today_in
from ..generate.extra_files import extra_outputs
from ..generate.pages import GeneratedDocs, TemplateProblem, generate_docs
from ..settings.schema import PLUGIN_SETTINGS
from ..site_build.destinations import site_refusal
from ..site_build.owned_folder import SITE_EXPLANATION, SITE_MARKER, entries, write_marker
from ..site_build.project_lock import ProjectLockError, project_lock

DRAFTS_VARIABLE = "SOFS_INCLUDE_DRAFTS"
PREVIEW_VARIABLE = "SOFS_PREVIEW"

log = logging.getLogger("mkdocs.plugins.sofs")

#: Checks already made by `sofs build`, by project folder, for the next `on_config` to take.
_HANDED_OVER: dict[Path, CheckResult] = {}


def hand_over(root: Path, result: CheckResult | None) -> None:
    """Give (or, with None, withdraw) the check `sofs build` made of the project at `root`,
    so that the plugin uses it instead of loading and checking every file a second time."""
    if result is None:
        _HANDED_OVER.pop(root.resolve(), None)
    else:
        _HANDED_OVER[root.resolve()] = result


class SofsPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """Declares the plugin's settings to MkDocs, one per entry of `settings.schema`. They are
    typed loosely on purpose: `generator.settings.reader` validates them against that schema,
    so a mistake gets one located, plain message."""

    _schema = tuple((setting.name, c.Optional(c.Type(object))) for setting in PLUGIN_SETTINGS)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


class SofsPlugin(BasePlugin[SofsPluginConfig]):  # type: ignore[no-untyped-call]
    """Replaces the Markdown sources of `docs_dir` by the generated newsletter pages."""

    def __init__(self) -> None:
        super().__init__()
        self.docs: GeneratedDocs | None = None
        self.extras: dict[str, bytes] = {}
        self.root: Path | None = None
        self.command = "build"
        self.by_sofs_build = False
        self.lock = ExitStack()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        # Held until this build ends (each rebuild of `serve` takes it anew); in `sofs build`
        # this process holds it already.
        try:
            self.lock.enter_context(project_lock(self.root, f"mkdocs {self.command}"))
        except ProjectLockError as exc:
            raise PluginError(f"sofs: {exc}") from None
        handed = _HANDED_OVER.pop(self.root, None)
        self.by_sofs_build = handed is not None
        result = handed or check_project(self.root)
        if self.command == "build" and not self.by_sofs_build:
            refused = site_refusal(self.root, Path(config.site_dir))
            if refused:
                raise PluginError(f"sofs: {refused}")
        preview = _flag(PREVIEW_VARIABLE)
        if result.report.errors:
            if not preview:
                raise PluginError("sofs: the content has errors:\n" + result.report.as_text())
            log.warning(
                "The content has errors; the preview shows what could be read:\n%s", result.report.as_text()
            )
        visibility = Visibility(today_in(result.site), include_drafts=_flag(DRAFTS_VARIABLE))
        try:
            self.docs = generate_docs(result.site, visibility)
            # Feeds and other extra files, so that pages can link to them and `serve` has them.
            self.extras = extra_outputs(result.site, visibility, result.cache)
        except TemplateProblem as problem:
            raise PluginError(str(problem.diagnostic)) from None
        if config.nav is None:
            config.nav = self.docs.nav
        config.watch.append(str(result.site.settings.templates_root))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.docs is not None
        kept = [f for f in files if not f.src_uri.endswith(".md")]
        generated = [
            File.generated(config, path, content=text) for path, text in sorted(self.docs.pages.items())
        ]
        generated += [
            File.generated(config, path, content=data) for path, data in sorted(self.extras.items())
        ]
        return Files([*kept, *generated])

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "build" and not self.by_sofs_build:
            site = Path(config.site_dir)
            write_marker(site, SITE_MARKER, SITE_EXPLANATION, entries(site))
        self.lock.close()

    def on_build_error(self, *, error: Exception) -> None:
        self.lock.close()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.root is not None:
            server.watch(str(self.root / "templates"))
        return server
