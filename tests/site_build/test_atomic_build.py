"""Atomic output: a build killed at any moment leaves the previous `site/` or the new one,
never a mix, and the next build cleans up after it.

The builds here are real `sofs build` processes, stopped with real signals.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, PROJECT, approve_again, copy_project, run_sofs
from serving import hear_interrupts

from generator.site_build.staging import exchange, leftovers, prepare, staging_folders

# When to kill, as fractions of the time an uninterrupted build spends after its staging
# folder appears (None: straight after it starts, while it is still checking the content).
# They are denser towards the end, where the new site is swapped in.
KILL_MOMENTS: tuple[float | None, ...] = (None, 0.0, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98, 1.0, 1.05)


def digest(folder: Path) -> str | None:
    """One hash of every file's path and bytes, or None when the folder is missing."""
    if not folder.is_dir():
        return None
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            total.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return total.hexdigest()


def start_build(root: Path, *options: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOFS_TODAY": FIXED_TODAY}
    env.pop("SOFS_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", *options],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=hear_interrupts,
    )


def wait_for_staging(process: subprocess.Popen[bytes], target: Path) -> bool:
    """Poll until the build's staging folder exists; False if the build ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if staging_folders(target):
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("the build neither started staging nor ended within two minutes")


def restore(target: Path, saved: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    for stale in leftovers(target):
        shutil.rmtree(stale)
    shutil.copytree(saved, target)


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    target = root / "site"
    assert run_sofs(root, "build").returncode == 0
    saved = tmp_path / "old-site"
    shutil.copytree(target, saved)
    old = digest(target)
    issue = root / "content/issues/010-meaningful-measures.md"
    text = issue.read_text("utf-8")
    issue.write_text(
        text.replace("There are 5 Meaningful Measures.", "There are five Meaningful Measures."), "utf-8"
    )
    approve_again(root, 10)

    restore(target, saved)
    process = start_build(root)
    assert wait_for_staging(process, target)
    started = time.monotonic()
    assert process.wait() == 0
    span = time.monotonic() - started  # not asserted on: it only spreads the kills below

    seen: list[str | None] = []
    killed_while_staging = 0
    for moment in KILL_MOMENTS:
        restore(target, saved)
        process = start_build(root)
        if moment is not None and wait_for_staging(process, target):
            time.sleep(moment * span)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_while_staging += bool(leftovers(target))
        seen.append(digest(target))

    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stderr
    assert leftovers(target) == []
    assert not (root / ".site.previous").exists()
    new = digest(target)
    assert new != old
    assert [state for state in seen if state not in (old, new)] == []
    assert old in seen
    assert killed_while_staging > 0, "no kill landed while the build was writing"


def test_an_interrupted_build_stops_cleanly_and_keeps_the_old_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    target = root / "site"
    assert run_sofs(root, "build").returncode == 0
    old = digest(target)
    issue = root / "content/issues/010-meaningful-measures.md"
    issue.write_text(issue.read_text("utf-8").replace("Hello, and welcome", "Hello and welcome"), "utf-8")
    approve_again(root, 10)
    # Without the cache every page is rendered, so the build is still writing when the
    # interrupt comes (with it, an edit to one issue is rendered in a blink).
    process = start_build(root, "--no-cache")
    assert wait_for_staging(process, target)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.fail("the build finished before the interrupt reached it")  # pragma: no cover
    assert process.returncode == 1
    assert b"Stopped." in stderr and b"Traceback" not in stderr
    assert digest(target) == old
    assert leftovers(target) == []


SWAPPER = """
import shutil, sys
from pathlib import Path
from generator.site_build.staging import staging_dir, swap_in
target, trees = Path(sys.argv[1]), [Path(sys.argv[2]), Path(sys.argv[3])]
turn = 0
while True:
    staging = staging_dir(target)
    shutil.copytree(trees[turn % 2], staging, dirs_exist_ok=True)
    swap_in(staging, target)
    turn += 1
"""


def test_the_swap_itself_is_never_seen_half_done(tmp_path: Path) -> None:
    trees = []
    for name in ("a", "b"):
        tree = tmp_path / name
        for number in range(40):
            page = tree / f"page-{number}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"tree {name}, page {number}\n" * 50, "utf-8")
        trees.append(tree)
    expected = {digest(tree) for tree in trees}
    target = tmp_path / "out" / "site"
    shutil.copytree(trees[0], target)
    probe = [tmp_path / "out" / "probe-1", tmp_path / "out" / "probe-2"]
    for folder in probe:
        folder.mkdir()
    one_step = exchange(*probe)  # can this file system swap two folders in one step?
    for attempt in range(12):
        process = subprocess.Popen(
            [sys.executable, "-c", SWAPPER, str(target), *map(str, trees)],
            cwd=PROJECT,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.3 + 0.037 * attempt)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if one_step:
            assert digest(target) in expected  # whole, with nothing to recover
        prepare(target)
        assert digest(target) in expected
        assert leftovers(target) == []
