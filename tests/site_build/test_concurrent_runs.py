"""One run at a time per project: real `sofs` and `mkdocs` processes started together.

A second run waits for the project's lock and says so; start-up clean-up removes only the
staging folders of processes that have ended.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from conftest import FIXED_TODAY, PROJECT, fixture_project, run_sofs

from benchmarks.gen_corpus import TODAY, generate
from generator.site_build.staging import leftovers, prepare, staging_folders


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes under `folder`."""
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            total.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return total.hexdigest()


def start(
    root: Path, *command: str, today: str = FIXED_TODAY, output: list[TextIO] | None = None
) -> subprocess.Popen[str]:
    """Start a run; its stdout and stderr go to pipes, or to the two files of `output`."""
    env = {**os.environ, "SOFS_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOFS_DEBUG", None)
    out, err = output if output is not None else (subprocess.PIPE, subprocess.PIPE)
    return subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=root,
        env=env,
        stdout=out,
        stderr=err,
        text=True,
    )


def test_two_builds_at_once_leave_the_site_one_build_makes(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 150)
    single = run_sofs(root, "build", env={"SOFS_TODAY": TODAY})
    assert single.returncode == 0, single.stderr
    expected = tree_digest(root / "site")

    # Each run prints the corpus's hundreds of warnings: into files, since a run blocked on a
    # full pipe nobody reads while holding the lock would stop the other run too.
    logs = [tmp_path / f"build-{n}.{stream}" for n in range(2) for stream in ("out", "err")]
    sinks = [log.open("w", encoding="utf-8") for log in logs]
    builds = [
        start(root, "generator.cli", "build", today=TODAY, output=sinks[2 * n : 2 * n + 2]) for n in range(2)
    ]
    for build in builds:
        build.wait(timeout=600)
    for sink in sinks:
        sink.close()
    texts = [log.read_text(encoding="utf-8") for log in logs]
    outcomes = [(texts[0], texts[1]), (texts[2], texts[3])]
    assert [build.returncode for build in builds] == [0, 0], outcomes
    assert tree_digest(root / "site") == expected
    assert staging_folders(root / "site") == []
    assert not (root / ".sofs.lock").exists()  # deleted by the last run to hold it
    waited = [err for _, err in outcomes if "Waiting: sofs run" in err]
    assert len(waited) == 1, outcomes
    assert "(sofs build" in waited[0] and "is working on this project" in waited[0]
    assert "Traceback" not in "".join(err for _, err in outcomes)


HOLDER = """
import sys
from pathlib import Path
from generator.site_build.project_lock import project_lock
with project_lock(Path(sys.argv[1]), "sofs publish 10"):
    print("holding", flush=True)
    sys.stdin.read()
"""


def hold_lock(root: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root)],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "holding\n"
    return holder


def wait_for_message(process: subprocess.Popen[str]) -> str:
    """The run's "Waiting" line (MkDocs may print a banner first)."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("Waiting"):
            assert process.poll() is None, "the second run did not wait for the lock"
            return line
    raise AssertionError("the second run ended without waiting for the lock")


def test_a_build_waits_while_another_run_holds_the_project(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    holder = hold_lock(root)
    build = start(root, "generator.cli", "build")
    line = wait_for_message(build)
    assert line.startswith(f"Waiting: sofs run {holder.pid} (sofs publish 10, started ")
    assert "This run (sofs build) starts as soon as it ends" in line
    assert not (root / "site").exists()
    holder.communicate("")
    out, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert "Built " in out and (root / "site/index.html").is_file()


def test_plain_mkdocs_build_takes_the_same_lock(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    holder = hold_lock(root)
    build = start(root, "mkdocs", "build", "-q")
    line = wait_for_message(build)
    assert line.startswith(f"Waiting: sofs run {holder.pid} (sofs publish 10")
    assert "This run (mkdocs build)" in line
    assert not (root / "site").exists()
    holder.communicate("")
    _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert (root / "site/index.html").is_file() and (root / "site/.sofs-site").is_file()


STAGER = """
import sys
from pathlib import Path
from generator.site_build.staging import staging_dir
print(staging_dir(Path(sys.argv[1])), flush=True)
if sys.argv[2] == "stay":
    sys.stdin.read()
"""


def test_clean_up_removes_staging_of_ended_processes_and_keeps_live_ones(tmp_path: Path) -> None:
    target = tmp_path / "site"

    def stage(mode: str) -> tuple[subprocess.Popen[str], Path]:
        process = subprocess.Popen(
            [sys.executable, "-c", STAGER, str(target), mode],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        return process, Path(process.stdout.readline().strip())

    live, live_folder = stage("stay")
    ended, ended_folder = stage("exit")
    ended.wait()
    older_version = tmp_path / ".sofs-build-site-k2j4h1x0"  # named before owners were recorded
    older_version.mkdir()
    other_target = tmp_path / ".sofs-build-site-preview-p1.1-abcdefgh"
    other_target.mkdir()
    for folder in (live_folder, ended_folder):
        (folder / "index.html").write_text("half a site\n", "utf-8")

    assert leftovers(target) == sorted([ended_folder, older_version])
    prepare(target)
    assert staging_folders(target) == [live_folder]
    assert (live_folder / "index.html").is_file() and other_target.is_dir()

    live.communicate("")
    prepare(target)
    assert staging_folders(target) == [] and other_target.is_dir()


def test_a_lock_file_that_is_a_link_or_a_pipe_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    """A `.sofs.lock` placed as a link (a cloned repository could carry one) must not lead
    the run to truncate the file it points to; a named pipe must not hang it."""
    root = fixture_project(tmp_path / "project")
    home_page = root / "content/pages/home.md"
    before = home_page.read_bytes()
    (root / ".sofs.lock").symlink_to(home_page)
    result = run_sofs(root, "build")
    assert result.returncode == 1
    assert ".sofs.lock (it is a link, which sofs does not follow)" in result.stderr
    assert home_page.read_bytes() == before and (root / ".sofs.lock").is_symlink()
    assert not (root / "site").exists()
    (root / ".sofs.lock").unlink()
    os.mkfifo(root / ".sofs.lock")
    result = run_sofs(root, "build", timeout=120)
    assert result.returncode == 1 and ".sofs.lock is not a plain file" in result.stderr
    (root / ".sofs.lock").unlink()
    assert run_sofs(root, "build").returncode == 0
    assert not (root / ".sofs.lock").exists()


def test_a_lock_file_another_user_left_behind_does_not_stop_the_next_run(tmp_path: Path) -> None:
    """A run killed before it removed `.sofs.lock` leaves it with its owner's mode (0644): a
    colleague sharing the project can still lock it, read-only, rather than be refused."""
    shared = Path(tempfile.mkdtemp(prefix="sofs-shared-", dir="/tmp"))
    try:
        shutil.copytree(PROJECT / "generator", shared / "generator")
        project = shared / "project"
        project.mkdir()
        (project / ".sofs.lock").write_text("sofs run 1 (sofs build, started 10:00:00)\n", encoding="utf-8")
        os.chmod(project / ".sofs.lock", 0o644)
        for folder in (shared, project):
            os.chmod(folder, 0o777)
        script = (
            "import sys\nfrom pathlib import Path\nfrom generator.site_build.project_lock import project_lock\n"
            "with project_lock(Path(sys.argv[1]), 'sofs build'):\n    print('held')\n"
        )
        colleague = subprocess.run(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-c",
                script,
                str(project),
            ],
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(shared)},
            timeout=60,
        )
        assert colleague.returncode == 0, colleague.stderr
        assert colleague.stdout == "held\n"
    finally:
        shutil.rmtree(shared)
