"""Benchmark `sofs check` and `sofs build` against plain mkdocs-material and its blog plugin.

For each archive size (100, 400 and 1,600 issues by default) it writes a corpus
(`corpus.py`) and the two MkDocs projects it is compared with (`mkdocs_trees.py`), then
runs the commands side by side, interleaved, several times, each in a fresh process:

- `sofs check` and `sofs build` from cold: the build cache (`.cache/sofs/`) is removed
  first, as on a fresh checkout or in CI;
- `sofs check` and `sofs build` again after one issue was edited, with the cache the
  previous build left: a practice lead's edit-and-preview loop;
- plain mkdocs-material and its blog plugin, which have no cache of their own.

It prints median times, ratios to the plain baseline, peak memory and output sizes, says
whether each target of issue 7 is met, and writes everything to `benchmarks/results.json`.

    python benchmarks/run.py            # 100, 400 and 1,600 issues, 3 runs each
    python benchmarks/run.py --quick    # 100 and 400 issues, 1 run: a smoke test
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import gen_corpus as corpus
import mkdocs_trees
import report
from measure import CommandFailed, Sample, run_measured, write_results
from measure import median as median_of

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SIZES = (100, 400, 1600)
QUICK_SIZES = (100, 400)
SAMPLE_PAGE = f"issues/{Path(corpus.SAMPLE_ISSUE).stem}/index.html"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["SOFS_TODAY"] = corpus.TODAY
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("SOFS_DEBUG", None)
    return env


def _cold(project: Path, run: int) -> None:
    """Start without the build cache, as a fresh checkout does."""
    shutil.rmtree(project / ".cache", ignore_errors=True)


def _edit_one_issue(project: Path, run: int) -> None:
    """Change the newest issue's text, as a practice lead does between two previews, and
    approve it again (as `sofs approve` would), so that the build publishes the edit."""
    newest = max((project / "content" / "issues").glob("*.md"))
    with newest.open("a", encoding="utf-8") as stream:
        stream.write(f"\nEdit {run}: the team used the harm matrix again this week.\n")
    corpus.seal_approvals(project)


def _nothing(project: Path, run: int) -> None:
    return None


Prepare = Callable[[Path, int], None]


def _commands() -> dict[str, tuple[str, list[str], Prepare]]:
    """Tool -> (project folder name, command, what to do first, untimed)."""
    python = sys.executable
    sofs = [python, "-m", "generator.cli"]
    mkdocs = [python, "-m", "mkdocs", "build", "--quiet", "--config-file", "mkdocs.yml"]
    return {
        "check": ("sofs", [*sofs, "check"], _cold),
        "build": ("sofs", [*sofs, "build"], _cold),
        "recheck": ("sofs", [*sofs, "check"], _edit_one_issue),
        "rebuild": ("sofs", [*sofs, "build"], _edit_one_issue),
        "plain": ("plain", mkdocs, _nothing),
        "blog": ("blog", mkdocs, _nothing),
    }


def _size(path: Path | None) -> int | None:
    return path.stat().st_size if path is not None and path.is_file() else None


def _first(folder: Path, pattern: str) -> Path | None:
    return next(iter(sorted(folder.glob(pattern))), None)


def _output_sizes(projects: dict[str, Path]) -> dict[str, dict[str, int | None]]:
    sites = {name: folder / "site" for name, folder in projects.items()}
    slug = Path(corpus.SAMPLE_ISSUE).stem
    return {
        "issue_page": {
            "sofs": _size(sites["sofs"] / SAMPLE_PAGE),
            "plain": _size(sites["plain"] / SAMPLE_PAGE),
            "blog": _size(_first(sites["blog"], f"blog/**/{slug}/index.html")),
        },
        "search_index": {name: _size(site / "search" / "search_index.json") for name, site in sites.items()},
        "email_html": {"sofs": _size(sites["sofs"] / "email" / f"{corpus.SAMPLE_NUMBER:03d}.html")},
    }


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def _summary(values: list[float]) -> dict[str, Any]:
    return {"median": round(median_of(values), 3), "runs": [round(v, 3) for v in values]}


def bench_size(size: int, runs: int, seed: int, work: Path) -> dict[str, Any]:
    """Every measurement for one archive size."""
    base = work / f"n{size}"
    print(f"\n{size:,} issues: writing the corpus and the MkDocs projects in {base}", flush=True)
    projects = {"sofs": corpus.generate(base / "sofs", size, seed)}
    projects["plain"] = mkdocs_trees.write_plain(projects["sofs"], base / "plain")
    projects["blog"] = mkdocs_trees.write_blog(projects["sofs"], base / "blog")
    env = _environment()
    samples: dict[str, list[Sample]] = {tool: [] for tool in report.TOOLS}
    for run in range(1, runs + 1):
        for tool, (project, command, prepare) in _commands().items():
            prepare(projects[project], run)
            sample = run_measured(command, projects[project], env, tool)
            samples[tool].append(sample)
            print(
                f"  run {run}/{runs}  {report.TOOL_LABELS[tool]:<42} {sample.cpu_s:7.2f} s processor "
                f"{sample.wall_s:7.2f} s wall {sample.peak_mb:6.0f} MB",
                flush=True,
            )
    tools: dict[str, Any] = {}
    for tool, values in samples.items():
        site = projects[_commands()[tool][0]] / "site"
        tools[tool] = {
            "cpu_s": _summary([s.cpu_s for s in values]),
            "wall_s": _summary([s.wall_s for s in values]),
            "peak_mb": round(max(s.peak_mb for s in values), 1),
            "pages": None if tool in ("check", "recheck") else _pages(site),
        }
    return {"tools": tools, "bytes": _output_sizes(projects)}


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("mkdocs", "mkdocs-material", "markdown", "jinja2"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "generator", "templates"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+uncommitted" if dirty else "")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs",
        type=int,
        help="runs per measurement; the median is reported (default: 3, or 1 with --quick)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only 100 and 400 issues, 1 run, results not saved over results.json",
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="archive sizes (default: 100 400 1600)")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="time the table and targets use: "
        "processor time of the build process (default; steady on a busy machine) or wall time",
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed (default: 1)")
    parser.add_argument(
        "--work",
        type=Path,
        default=BENCH / "work",
        help="where corpora and sites go (default: benchmarks/work, ignored by git)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="where to write the results (default: benchmarks/results.json, "
        "or benchmarks/work/results-quick.json with --quick)",
    )
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 3)
    args.sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    args.json = args.json or (args.work / "results-quick.json" if args.quick else BENCH / "results.json")
    if args.runs < 1 or any(size < 1 for size in args.sizes):
        parser.error("--runs and --sizes must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[str, Any] = {
        "about": {
            "command": "python benchmarks/run.py" + (" --quick" if args.quick else ""),
            "runs": args.runs,
            "seed": args.seed,
            "cpus": os.cpu_count(),
            "commit": _commit(),
            "versions": _versions(),
            "clock": args.clock,
            "note": "times are medians of `runs` interleaved runs, in seconds of processor time (cpu_s, what the "
            "targets use unless --clock wall) and of wall time (wall_s); peak memory is the largest of the runs",
        },
        "sizes": {},
    }
    try:
        for size in args.sizes:
            results["sizes"][str(size)] = bench_size(size, args.runs, args.seed, args.work)
    except CommandFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    results["targets"] = report.evaluate(results)
    print("\n" + report.table(results))
    write_results(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
