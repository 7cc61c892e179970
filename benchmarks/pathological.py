"""Pathological content: `sofs check` and `sofs build` time per MB of each shape, against
ordinary text of the same size, measured in the same run.

Each shape is written at `--size` bytes (default just under the 2 MB limit for a content
file) into a copy of the sample project, twice: as the body of a new issue, which
`sofs check` reads (the plain-language check reads only issues), and as a free page, which
`sofs build` renders (an issue that large is refused for its email size before any
rendering). Each command runs in a fresh process, from cold (no build cache). A shape is
either refused by `sofs check` with a located error, quickly, or built; either way its time
should stay within a small multiple of ordinary text's.

    python benchmarks/pathological.py                    # every shape at 1.95 MB
    python benchmarks/pathological.py --shapes short-lines brackets --size 200000
    python benchmarks/pathological.py --code /path/to/older/checkout --timeout 300
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SAMPLE = "010-meaningful-measures.md"
TODAY = "2026-01-15"
DEFAULT_SIZE = 1_950_000
MB = 1_000_000

_SENTENCE = "The team met the family and wrote a clear plan with them, with help from the network. "


def _paragraph(unit: str, size: int, width: int = 80) -> str:
    """`unit` repeated to `size` characters, in lines of about `width`, with no blank line."""
    per_line = max(1, width // len(unit))
    lines = size // (len(unit) * per_line + 1)
    return "\n".join([unit * per_line] * max(lines, 1))


def _lines(line: str, size: int) -> str:
    return "\n".join([line] * (size // (len(line) + 1)))


def _ordinary(size: int) -> str:
    block = (_SENTENCE * 8).strip()
    return "\n\n".join([block] * (size // (len(block) + 2)))


def _nested_lists(size: int) -> str:
    item = "".join("    " * level + "- item\n" for level in range(25))
    return "\n".join([item] * (size // (len(item) + 1)))


def _headings(size: int) -> str:
    return "".join(f"### Heading {n}\n\nText.\n\n" for n in range(size // 27))


def _table(size: int) -> str:
    return "| a | b | c |\n| --- | --- | --- |\n" + _lines("| one | two | three |", size)


def _link_references(size: int) -> str:
    count = size // 38
    return "See [the first][r1].\n\n" + "".join(f"[r{n}]: https://example.org/{n}\n" for n in range(count))


#: Shape -> (what it is, how to write `size` bytes of it).
SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "ordinary": ("paragraphs of ordinary sentences (the yardstick)", _ordinary),
    "short-lines": ("~100,000 short lines in one paragraph", lambda n: _lines("A short line of text.", n)),
    "brackets": ("`[` filling a paragraph", lambda n: _paragraph("[", n)),
    "image-brackets": ("`![` filling a paragraph", lambda n: _paragraph("![", n)),
    "link-parens": ("`[](` filling a paragraph", lambda n: _paragraph("[](", n)),
    "nested-stars": (
        "4,000 `*`, a word, 4,000 `*`, repeated",
        lambda n: _lines("*" * 4000 + "a" + "*" * 4000, n),
    ),
    "stars": ("`*a ` filling a paragraph", lambda n: _paragraph("*a ", n)),
    "underscores": ("`_a ` filling a paragraph", lambda n: _paragraph("_a ", n)),
    "less-than": ("`< ` filling a paragraph", lambda n: _paragraph("< ", n)),
    "open-tags": ("`<a ` filling a paragraph (tags never closed)", lambda n: _paragraph("<a ", n)),
    "backticks": ("lone backticks filling a paragraph", lambda n: _paragraph("` ", n)),
    "code-spans": ("`` `a` `` filling a paragraph", lambda n: _paragraph("`a` ", n)),
    "links": ("`[a](b)` filling a paragraph", lambda n: _paragraph("[a](b) ", n)),
    "nested-lists": ("lists nested 25 deep", _nested_lists),
    "nested-quotes": ("`>` 25 deep", lambda n: _lines("> " * 25 + "quoted", n)),
    "headings": ("thousands of `###` headings", _headings),
    "short-paragraphs": ("`Hi.` paragraphs, blank lines between", lambda n: "Hi.\n\n" * (n // 5)),
    "headings-in-a-row": ("`# heading` lines with no blank line", lambda n: _lines("# heading", n)),
    "table": ("one table of ~88,000 rows", _table),
    "link-references": ("~51,000 link reference definitions", _link_references),
    "backslashes": ("backslash escapes (`\\\\`) filling a paragraph", lambda n: _paragraph("\\\\", n)),
    "code-blocks": (
        "fenced code blocks of one line, one after another",
        lambda n: "```\nx\n```\n" * (n // 10),
    ),
    "one-line": ("the whole size on one line", lambda n: "word " * (n // 5)),
}


@dataclass(frozen=True)
class Result:
    """One command on one shape."""

    seconds: float | None  # processor time; None when it ran past the timeout
    exit_code: int | None
    codes: tuple[str, ...]  # diagnostic codes of the errors it printed


def _issue(body: str) -> str:
    sample = (REPO / "content" / "issues" / SAMPLE).read_text(encoding="utf-8")
    sample = sample.replace("issue: 10\n", "issue: 12\n", 1).replace(
        "date: 2025-09-01", "date: 2025-12-15", 1
    )
    return sample.rstrip("\n") + "\n\n## More\n\n" + body + "\n"


def _project(folder: Path, body: str, as_page: bool) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copytree(REPO / "content", folder / "content")
    if as_page:
        (folder / "content" / "pages" / "shape.md").write_text(f"---\ntitle: Shape\n---\n\n{body}\n", "utf-8")
    else:
        (folder / "content" / "issues" / "012-shape.md").write_text(_issue(body), "utf-8")
    return folder


def _run(command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[Result, str]:
    log_path = cwd / ".bench.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started = time.monotonic()
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                os.wait4(process.pid, 0)
                return Result(None, None, ()), ""
            time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    codes = tuple(sorted(set(re.findall(r": error: .*\[([a-z0-9.\-]+)\]$", output, re.MULTILINE))))
    return Result(usage.ru_utime + usage.ru_stime, process.returncode, codes), output


def measure(
    shape: str, size: int, code: Path, work: Path, timeout: float, build_issue: bool
) -> dict[str, Any]:
    """`sofs check` (shape in an issue) and `sofs build` (shape in a page, or in the issue) on one shape."""
    body = SHAPES[shape][1](size)
    env = {**os.environ, "SOFS_TODAY": TODAY, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SOFS_DEBUG", None)
    sofs = [sys.executable, "-m", "generator.cli"]
    figures: dict[str, Any] = {"bytes": len(body.encode("utf-8"))}
    for command, as_page in (("check", False), ("build", not build_issue)):
        project = _project(work / f"{shape}-{command}", body, as_page)
        result, output = _run([*sofs, command], project, env, timeout)
        if result.exit_code not in (None, 0) and not result.codes:
            print(
                f"  {shape}: sofs {command} failed with no located error:\n{output[-600:]}", file=sys.stderr
            )
        figures[command] = {"seconds": result.seconds, "exit": result.exit_code, "errors": list(result.codes)}
        shutil.rmtree(project, ignore_errors=True)
    return figures


def _cell(seconds: float | None, ordinary: float | None, timeout: float) -> tuple[str, str]:
    if seconds is None:
        return f"> {timeout:.0f} s", "—"
    ratio = f"{seconds / ordinary:.1f}" if ordinary else "—"
    return f"{seconds:.2f} s", ratio


def table(results: dict[str, Any], timeout: float) -> str:
    """A Markdown table: per shape, check and build seconds and their ratio to ordinary text."""
    shapes = results["shapes"]
    ordinary = shapes.get("ordinary", {})
    rows = [
        "| shape | MB | `sofs check` | × ordinary | `sofs build` | × ordinary | outcome |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for shape, figures in shapes.items():
        cells: list[str] = []
        for command in ("check", "build"):
            base = ordinary.get(command, {}).get("seconds")
            cells += _cell(figures[command]["seconds"], base, timeout)
        errors = sorted(set(figures["check"]["errors"]) | set(figures["build"]["errors"]))
        failed = [figures[c]["exit"] for c in ("check", "build") if figures[c]["exit"] not in (0, None)]
        if figures["build"]["seconds"] is None or figures["check"]["seconds"] is None:
            outcome = "ran past the timeout"
        elif errors:
            outcome = "refused: " + ", ".join(f"`{code}`" for code in errors)
        elif failed:
            outcome = f"failed with no location (exit {failed[0]})"
        else:
            outcome = "built"
        rows.append(f"| {shape} | {figures['bytes'] / MB:.2f} | {' | '.join(cells)} | {outcome} |")
    return "\n".join(rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shapes", nargs="+", choices=sorted(SHAPES), help="shapes to measure (default: all)"
    )
    parser.add_argument(
        "--size", type=int, default=DEFAULT_SIZE, help=f"bytes of each shape (default {DEFAULT_SIZE:,})"
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds before a command is stopped (default 600)"
    )
    parser.add_argument(
        "--build-issue",
        action="store_true",
        help="build the shape as the issue (feeds and email copies too; keep --size under about 60,000 "
        "bytes, the email size limit) instead of as a page",
    )
    parser.add_argument(
        "--code", type=Path, default=REPO, help="the checkout whose generator runs (default: this one)"
    )
    parser.add_argument("--work", type=Path, default=BENCH / "work" / "pathological", help="scratch folder")
    parser.add_argument(
        "--json",
        type=Path,
        help="where to write the figures (default: benchmarks/pathological.json for a full run of this "
        "checkout, else benchmarks/work/pathological.json)",
    )
    args = parser.parse_args(argv)
    shapes = args.shapes or list(SHAPES)
    args.shapes = ["ordinary", *[s for s in shapes if s != "ordinary"]]
    full = args.code.resolve() == REPO and args.size == DEFAULT_SIZE and len(args.shapes) == len(SHAPES)
    full = full and not args.build_issue
    args.json = args.json or (BENCH / "pathological.json" if full else args.work / "pathological.json")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[str, Any] = {
        "about": {
            "command": "python benchmarks/pathological.py " + " ".join(argv or sys.argv[1:]),
            "size": args.size,
            "cpus": os.cpu_count(),
            "note": "processor time (user + system) of one cold run of each command; check reads the shape "
            "as an issue, build renders it as a page",
        },
        "shapes": {},
    }
    for shape in args.shapes:
        figures = measure(shape, args.size, args.code.resolve(), args.work, args.timeout, args.build_issue)
        results["shapes"][shape] = figures
        check, build = figures["check"]["seconds"], figures["build"]["seconds"]
        print(f"  {shape:<18} check {check if check is None else round(check, 2)} s, "
              f"build {build if build is None else round(build, 2)} s", flush=True)  # fmt: skip
    print("\n" + table(results, args.timeout))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
