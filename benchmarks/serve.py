"""How long a saved edit takes to show in `sofs serve`, measured the way a person sees it.

It writes a synthetic archive (`gen_corpus.py`, 400 issues by default) and the same issues
as a plain mkdocs-material project (`mkdocs_trees.py`), times the plain project's full
build, then starts `sofs serve` on the archive and, five times, saves an edit to one
issue's text and asks for that issue's page over HTTP every 20 ms until the new sentence
is on it. The time from the save to the page showing it is what a practice lead waits
for; the browser reloads by itself when the rebuild is done. It prints the median of the
edits beside the plain build's time and writes the figures to `benchmarks/serve.json`.

    python benchmarks/serve.py                  # 400 issues, five edits
    python benchmarks/serve.py --issues 1600 --edits 7
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gen_corpus as corpus
import mkdocs_trees
from measure import median, run_measured, write_results
from run import _environment

BENCH = Path(__file__).resolve().parent
POLL_S = 0.02


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, limit_s: float) -> float:
    """Seconds until `needle` is on the page at `url` (polling); raises after `limit_s`."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        page = _get(url)
        if page is not None and needle in page:
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise RuntimeError(f"{needle!r} did not appear at {url} within {limit_s:.0f} s")


def _edited_issues(project: Path, count: int) -> list[Path]:
    """`count` issues spread over the archive, newest first."""
    issues = sorted((project / "content" / "issues").glob("*.md"), reverse=True)
    step = max(len(issues) // count, 1)
    return [issues[(i * step) % len(issues)] for i in range(count)]


def _save_edit(issue: Path, sentence: str) -> None:
    text = issue.read_text(encoding="utf-8")
    marker = "\n## "
    cut = text.index(marker, text.index("\n---", 3)) + 1 if marker in text else len(text)
    heading_end = text.index("\n", cut) + 1
    issue.write_text(text[:heading_end] + f"\n{sentence}\n" + text[heading_end:], encoding="utf-8")


def measure_preview(project: Path, edits: int, env: dict[str, str]) -> list[float]:
    """Seconds from saving each edit to the page showing it, under a running `sofs serve`."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (project / ".bench-serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # heard even when run with `&`
    )
    try:
        _wait_for(base, "</html>", 600)
        times = []
        for number, issue in enumerate(_edited_issues(project, edits), start=1):
            url = f"{base}issues/{issue.stem}/"
            _wait_for(url, "</html>", 60)
            time.sleep(1.0)  # let the server settle, as between two saves
            sentence = f"Preview check {number} at {time.time():.0f}: the team met again on Tuesday."
            _save_edit(issue, sentence)
            seconds = _wait_for(url, sentence, 120)
            times.append(seconds)
            print(f"  edit {number}: {issue.name} shown after {seconds:.2f} s", flush=True)
        return times
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--issues", type=int, default=400, help="archive size (default: 400)")
    parser.add_argument("--edits", type=int, default=5, help="edits to time (default: 5)")
    parser.add_argument(
        "--runs", type=int, default=3, help="plain mkdocs-material builds to time (default: 3)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work", type=Path, default=BENCH / "work", help="where the projects go (ignored by git)"
    )
    parser.add_argument("--json", type=Path, default=BENCH / "serve.json", help="where to write the figures")
    args = parser.parse_args(argv)
    base = args.work / f"serve-n{args.issues}"
    print(f"{args.issues:,} issues: writing the archive and the plain project in {base}", flush=True)
    project = corpus.generate(base / "sofs", args.issues, args.seed)
    plain = mkdocs_trees.write_plain(project, base / "plain")
    env = _environment()
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", "mkdocs.yml"]
    samples = []
    for run in range(1, args.runs + 1):
        sample = run_measured(mkdocs, plain, env, "plain")
        samples.append(sample)
        print(f"  plain mkdocs-material build {run}/{args.runs}: {sample.wall_s:.2f} s wall", flush=True)
    times = measure_preview(project, args.edits, env)
    plain_wall = median([s.wall_s for s in samples])
    results: dict[str, Any] = {
        "about": {
            "command": "python benchmarks/serve.py " + " ".join(argv or sys.argv[1:]),
            "issues": args.issues,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "seconds of wall time: from saving an edit to the page over HTTP showing it (polled every "
            f"{POLL_S * 1000:.0f} ms), and the plain project's full build",
        },
        "preview_s": {"median": round(median(times), 3), "edits": [round(t, 3) for t in times]},
        "plain_build_s": {
            "median": round(plain_wall, 3),
            "runs": [round(s.wall_s, 3) for s in samples],
            "cpu_median": round(median([s.cpu_s for s in samples]), 3),
        },
    }
    print(
        f"\n| {args.issues:,} issues | wall time |\n| --- | ---: |\n"
        f"| `sofs serve`: a saved edit shown (median of {len(times)}) | {median(times):.2f} s |\n"
        f"| plain mkdocs-material, full build (median of {len(samples)}) | {plain_wall:.2f} s |"
    )
    write_results(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
