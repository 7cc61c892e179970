"""Benchmark `sofs build` with each renderer: MkDocs (the default) and Zensical.

On the sample project and on generated archives (`gen_corpus.py`, 400 issues by default)
it times, interleaved and each in a fresh process:

- a build from cold: `.cache/` removed first (the build cache, and the tree Zensical
  keeps there with its own cache), as on a fresh checkout or in CI;
- a build after one issue was edited (and signed off again), with what the previous
  build left.

It prints median processor and wall times, peak memory, the Zensical ÷ MkDocs ratios,
and writes everything to `benchmarks/renderers.json`. Needs the zensical extra
(`pip install -e '.[zensical]'`).

    python benchmarks/renderers.py                  # the sample and 400 issues, 3 runs
    python benchmarks/renderers.py --sizes 400 1600 --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import gen_corpus as corpus
from measure import CommandFailed, Sample, run_measured, write_results
from measure import median as median_of
from run import _cold, _commit, _edit_one_issue, _environment

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RENDERERS = ("mkdocs", "zensical")


#: Before each timed build (untimed): no cache, or one issue edited and signed off again.
STEPS = {"cold": _cold, "after_edit": _edit_one_issue}


def _sample_project(out: Path) -> Path:
    """A copy of the repository's sample project (settings, templates, content)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(REPO / "templates", out / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "content", out / "content")
    return out


def _summary(samples: list[Sample]) -> dict[str, Any]:
    return {
        "cpu_s": round(median_of([s.cpu_s for s in samples]), 3),
        "wall_s": round(median_of([s.wall_s for s in samples]), 3),
        "peak_mb": round(max(s.peak_mb for s in samples), 1),
        "cpu_runs": [round(s.cpu_s, 3) for s in samples],
    }


def bench_project(name: str, renderers: dict[str, Path], runs: int) -> dict[str, Any]:
    """Every measurement of one project, built by each renderer in a folder of its own."""
    env = _environment()
    samples: dict[str, dict[str, list[Sample]]] = {r: {step: [] for step in STEPS} for r in RENDERERS}
    for run in range(1, runs + 1):
        for step, prepare in STEPS.items():
            for renderer, project in renderers.items():
                prepare(project, run)
                command = [sys.executable, "-m", "generator.cli", "build", "--renderer", renderer]
                sample = run_measured(command, project, env, f"{renderer}-{step}")
                samples[renderer][step].append(sample)
                print(
                    f"  {name:<8} run {run}/{runs} {renderer:<9} {step:<10} {sample.cpu_s:7.2f} s processor "
                    f"{sample.wall_s:7.2f} s wall {sample.peak_mb:6.0f} MB",
                    flush=True,
                )
    result: dict[str, Any] = {r: {step: _summary(samples[r][step]) for step in STEPS} for r in RENDERERS}
    result["ratio_zensical_to_mkdocs"] = {
        step: round(result["zensical"][step]["cpu_s"] / result["mkdocs"][step]["cpu_s"], 2) for step in STEPS
    }
    return result


def _projects(name: str, size: int | None, seed: int, work: Path) -> dict[str, Path]:
    """The same project twice, one folder per renderer, so neither reuses the other's cache."""
    folders: dict[str, Path] = {}
    for renderer in RENDERERS:
        out = work / name / renderer
        folders[renderer] = _sample_project(out) if size is None else corpus.generate(out, size, seed)
    return folders


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default: 3)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[400], help="archive sizes (default: 400)")
    parser.add_argument("--no-sample", action="store_true", help="leave out the sample project")
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed (default: 1)")
    parser.add_argument("--work", type=Path, default=BENCH / "work" / "renderers", help="where projects go")
    parser.add_argument("--json", type=Path, default=BENCH / "renderers.json", help="where results go")
    args = parser.parse_args(argv)
    if args.runs < 1 or any(size < 1 for size in args.sizes):
        parser.error("--runs and --sizes must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    versions = {"python": sys.version.split()[0]}
    for package in ("mkdocs", "mkdocs-material", "zensical"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    if versions["zensical"] == "not installed":
        print("error: Zensical is not installed: pip install -e '.[zensical]'", file=sys.stderr)
        return 1
    results: dict[str, Any] = {
        "about": {
            "command": "python benchmarks/renderers.py " + " ".join(argv or sys.argv[1:]),
            "runs": args.runs,
            "cpus": os.cpu_count(),
            "commit": _commit(),
            "versions": versions,
            "note": "medians of interleaved runs; cpu_s is the processor time of sofs and of the renderer "
            "process it starts, wall_s the elapsed time; peak_mb the largest resident size of one process",
        },
        "projects": {},
    }
    targets: list[tuple[str, int | None]] = [] if args.no_sample else [("sample", None)]
    targets += [(f"n{size}", size) for size in args.sizes]
    try:
        for name, size in targets:
            print(f"\n{name}: writing the projects in {args.work / name}", flush=True)
            results["projects"][name] = bench_project(
                name, _projects(name, size, args.seed, args.work), args.runs
            )
    except CommandFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"\n{'project':<8} {'step':<10} {'MkDocs':>9} {'Zensical':>9} {'ratio':>6}  (processor s)")
    for name, result in results["projects"].items():
        for step in STEPS:
            print(
                f"{name:<8} {step:<10} {result['mkdocs'][step]['cpu_s']:9.2f} "
                f"{result['zensical'][step]['cpu_s']:9.2f} {result['ratio_zensical_to_mkdocs'][step]:6.2f}"
            )
    write_results(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
