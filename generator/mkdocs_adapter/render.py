"""Running MkDocs for `sofs build` and `sofs serve`, with our plugin active."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..checks.project import CheckResult
from .plugin import DRAFTS_VARIABLE, PREVIEW_VARIABLE, hand_over


class RenderFailed(Exception):
    """MkDocs could not build the site; the message says why in plain words."""


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
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


def render_site(
    root: Path,
    site_dir: Path,
    *,
    include_drafts: bool,
    source_date_epoch: int,
    checked: CheckResult | None = None,
) -> list[str]:
    """Build the site of the project at `root` into `site_dir` with MkDocs and Material.

    `checked` is the check the caller has just made of the same project; the plugin then
    uses it rather than checking again. Returns the warnings MkDocs gave; raises
    `RenderFailed` with its errors when it fails.
    """
    _quiet_mkdocs()
    env = {
        DRAFTS_VARIABLE: "1" if include_drafts else "0",
        PREVIEW_VARIABLE: "0",
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(source_date_epoch)),
    }
    with _environment(**env), _collect_mkdocs_messages() as collector:
        try:
            hand_over(root, checked)
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:
            details = [*collector.messages, exc.format_message()]
            raise RenderFailed("\n  ".join(m for m in details if m)) from None
        finally:
            hand_over(root, None)
    return collector.messages


def serve_site(root: Path, dev_addr: str, *, include_drafts: bool = True) -> None:
    """Preview the site with live reload; edits to content or templates rebuild it."""
    _quiet_mkdocs()
    logging.getLogger("mkdocs.commands.serve").setLevel(logging.INFO)
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    env = {DRAFTS_VARIABLE: "1" if include_drafts else "0", PREVIEW_VARIABLE: "1"}
    with _environment(**env):
        try:
            mkdocs_serve(
                config_file=str(root / "mkdocs.yml"),
                livereload=True,
                dev_addr=dev_addr,
                watch=[str(root / "templates")],
            )
        except MkDocsException as exc:
            raise RenderFailed(exc.format_message()) from None
