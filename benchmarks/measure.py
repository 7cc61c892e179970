"""Running one command in a fresh process and measuring it: time and peak memory.

Each measurement is its own child process, waited for with `os.wait4`, whose resource
usage gives the child's own peak resident set size (`ru_maxrss`, KiB on Linux) and the
processor time it used (user + system). Nothing else runs in that process, so the
figures are the command's and no other's. Processor time is what the targets use: on a
shared machine wall time also counts the time other programs held the processor.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class CommandFailed(RuntimeError):
    """A measured command exited with an error; the benchmark's figures would be wrong."""


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall_s: float
    cpu_s: float
    peak_mb: float


def run_measured(command: Sequence[str], cwd: Path, env: Mapping[str, str], name: str) -> Sample:
    """Run `command` in `cwd`; its output goes to `cwd/.bench-<name>.log`."""
    log_path = cwd / f".bench-{name}.log"
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise CommandFailed(f"{' '.join(command)} (in {cwd}) exited with {process.returncode}:\n{tail}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(values: Sequence[float]) -> float:
    """The middle value (mean of the two middle ones for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def write_results(path: Path, results: Mapping[str, Any]) -> None:
    """Write a benchmark's figures as JSON to `path` and say where they went."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nResults written to {path}")
