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
import logging
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..checks.project import check_project
from ..content.visibility import TODAY_VARIABLE, fixed_day
from ..generate.context import BuildContext
from ..generate.extra_files import ProducerFailed, extra_outputs
from ..generate.pages import GeneratedDocs, generate_docs
from ..generate.templates import TemplateProblem
from ..settings.schema import PLUGIN_SETTINGS
from ..site_build.destinations import site_refusal
from ..site_build.owned_folder import SITE_EXPLANATION, SITE_MARKER, entries, write_marker
from ..site_build.project_lock import ProjectLockError, project_lock
from .material_markup import valid_toggles

log = logging.getLogger("mkdocs.plugins.sofs")


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
        try:
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
        if config.nav is None:
            config.nav = self.docs.nav
        config.watch.append(str(context.settings.templates_root))
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
        generated = [
            File.generated(config, path, content=text) for path, text in sorted(self.docs.pages.items())
        ]
        generated += [
            File.generated(config, path, content=data) for path, data in sorted(self.extras.items())
        ]
        return Files([*kept, *generated])

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """Each page as Material wrote it, with its markup made valid (`material_markup`)."""
        return valid_toggles(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The same for pages made from a template alone (`404.html`)."""
        return valid_toggles(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "build" and self.run is None:
            site = Path(config.site_dir)
            write_marker(site, SITE_MARKER, SITE_EXPLANATION, entries(site))
        self.lock.close()

    def on_build_error(self, *, error: Exception) -> None:
        self.lock.close()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.root is not None:
            server.watch(str(self.root / "templates"))
        return server
