"""`sofs build`: check, render into a staging folder, then swap it in as `site/`.

The renderer is handed in by the caller (the command line passes MkDocs'), so this
stage never knows which one draws the pages: it gives the renderer the run's context and
an empty staging folder, and swaps the folder in only when everything in it is made.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..basics.diagnostics import Report
from ..checks.project import check_project
from ..generate.context import BuildContext
from ..generate.extra_files import ProducerFailed
from .destinations import site_refusal
from .owned_folder import SITE_EXPLANATION, SITE_MARKER, entries, write_marker
from .staging import discard, discard_own, prepare, staging_dir, swap_in


class RenderFailed(Exception):
    """The renderer could not build the site; the message says why in plain words."""


class Renderer(Protocol):
    """Renders the checked site of `context` into the empty folder `into`, pages and
    extra files alike; returns the renderer's warnings, raises `RenderFailed`."""

    def __call__(self, context: BuildContext, into: Path, *, source_date_epoch: int) -> list[str]: ...


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its report, where the site went, and how long it took."""

    report: Report
    built: bool
    site_dir: Path
    seconds: float
    failure: str | None = None
    pages: int = 0
    renderer_warnings: tuple[str, ...] = ()


def source_date_epoch(context: BuildContext) -> int:
    """A fixed timestamp for dates the renderer writes (the sitemap): the newest shown issue's day."""
    dates = [i.date for i in context.relations.issues]
    newest = max(dates) if dates else None
    return calendar.timegm(newest.timetuple()) if newest else 0


def page_count(site: Path) -> int:
    """How many pages the built `site` has: those MkDocs lists in its sitemap, which names
    each page once whether it is `name/index.html` or (built for a folder) `name.html`."""
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        return sitemap.read_text(encoding="utf-8").count("<loc>")
    return sum(1 for _ in site.rglob("index.html"))


def build_project(
    root: Path,
    render: Renderer,
    *,
    include_drafts: bool = False,
    strict: bool = False,
    use_cache: bool = True,
    today: dt.date | None = None,
) -> BuildResult:
    """Build the site with `render`; on any error the previous `site/` is left exactly as it was.

    With `use_cache`, check results and emails of unchanged content come from `.cache/sofs/`.
    The caller holds the project's lock (`project_lock`) throughout."""
    started = time.perf_counter()
    result = check_project(root, use_cache=use_cache, include_drafts=include_drafts, today=today)
    context = result.context

    def ended(failure: str | None = None) -> BuildResult:
        return BuildResult(result.report, False, target, time.perf_counter() - started, failure)

    target = root / context.settings.site_dir
    prepare(target)  # an earlier build may have been killed mid-swap
    if result.report.fails(strict):
        return ended()
    refused = site_refusal(root, target)
    if refused:
        return ended(refused)
    try:
        staging = staging_dir(target)
        renderer_warnings = render(context, staging, source_date_epoch=source_date_epoch(context))
        pages = page_count(staging)
        write_marker(staging, SITE_MARKER, SITE_EXPLANATION, entries(staging))
        refused = site_refusal(root, target)  # again: someone may have added a file meanwhile
        if refused:
            discard(staging)
            return ended(refused)
        swap_in(staging, target)
    except (RenderFailed, ProducerFailed) as exc:
        discard(staging)
        return ended(str(exc))
    except BaseException:
        discard_own(target)  # also a folder made just before the interrupt came
        raise
    return BuildResult(
        result.report,
        True,
        target,
        time.perf_counter() - started,
        pages=pages,
        renderer_warnings=tuple(renderer_warnings),
    )
