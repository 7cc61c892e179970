"""`sofs build`: check, render into a staging folder, then swap it in as `site/`."""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from pathlib import Path

from ..basics.diagnostics import Report
from ..checks.project import check_project
from ..content.model import Site
from ..content.visibility import Visibility, today_in
from ..generate.extra_files import ProducerFailed
from .destinations import site_refusal
from .owned_folder import SITE_EXPLANATION, SITE_MARKER, entries, write_marker
from .project_lock import project_lock
from .staging import discard, discard_own, prepare, staging_dir, swap_in


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


def source_date_epoch(site: Site, visibility: Visibility) -> int:
    """A fixed timestamp for dates MkDocs writes (the sitemap): the newest shown issue's day."""
    dates = [i.date for i in visibility.issues(site)]
    newest = max(dates) if dates else None
    return calendar.timegm(newest.timetuple()) if newest else 0


def build_project(
    root: Path, *, include_drafts: bool = False, strict: bool = False, use_cache: bool = True
) -> BuildResult:
    """Build the site; on any error the previous `site/` is left exactly as it was.

    With `use_cache`, check results and emails of unchanged content come from `.cache/sofs/`.
    The project's lock is held throughout: a second build waits for this one."""
    with project_lock(root, "sofs build"):
        return _build(root, include_drafts=include_drafts, strict=strict, use_cache=use_cache)


def _build(root: Path, *, include_drafts: bool, strict: bool, use_cache: bool) -> BuildResult:
    from ..mkdocs_adapter.render import RenderFailed, render_site

    started = time.perf_counter()
    result = check_project(root, use_cache=use_cache)
    target = root / result.site.settings.site_dir
    prepare(target)  # an earlier build may have been killed mid-swap
    if result.report.fails(strict):
        return BuildResult(result.report, False, target, time.perf_counter() - started)
    refused = site_refusal(root, target)
    if refused:
        return BuildResult(result.report, False, target, time.perf_counter() - started, refused)
    visibility = Visibility(today_in(result.site), include_drafts=include_drafts)
    try:
        staging = staging_dir(target)
        renderer_warnings = render_site(
            root,
            staging,
            include_drafts=include_drafts,
            source_date_epoch=source_date_epoch(result.site, visibility),
            checked=result,
        )
        # The plugin hands MkDocs the feeds and email copies (`extra_outputs`) with the pages,
        # so they are already in `staging`, made once from this same check.
        pages = sum(1 for _ in staging.rglob("index.html"))
        write_marker(staging, SITE_MARKER, SITE_EXPLANATION, entries(staging))
        refused = site_refusal(root, target)  # again: someone may have added a file meanwhile
        if refused:
            discard(staging)
            return BuildResult(result.report, False, target, time.perf_counter() - started, refused)
        swap_in(staging, target)
    except (RenderFailed, ProducerFailed) as exc:
        discard(staging)
        return BuildResult(result.report, False, target, time.perf_counter() - started, str(exc))
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
