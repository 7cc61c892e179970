"""`write_atomically`: one step, the mode each caller asks for, nothing left behind on failure."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import PROJECT

from generator.basics.files import KEEP_MODE, UMASK_MODE, umask_modes, write_atomically


@contextmanager
def umask(mask: int) -> Iterator[None]:
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_a_new_file_gets_the_mode_the_umask_gives(
    tmp_path: Path, mask: int, folder_mode: int, file_mode: int
) -> None:
    with umask(mask):
        assert umask_modes() == (folder_mode, file_mode)
        write_atomically(tmp_path / "page.html", b"<p>hello</p>\n")
        (tmp_path / "old.html").write_bytes(b"old")
        os.chmod(tmp_path / "old.html", 0o600)
        write_atomically(tmp_path / "old.html", b"new", mode=UMASK_MODE)
    assert mode(tmp_path / "page.html") == file_mode
    assert mode(tmp_path / "old.html") == file_mode  # the umask's mode, not the replaced file's
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html", "page.html"]


def test_an_exact_mode_is_given_whatever_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "publish-001.json"
    target.write_bytes(b"{}")
    os.chmod(target, 0o644)
    with umask(0o000):
        write_atomically(target, b'{"issue": 1}\n', mode=0o600, durable=True)
    assert mode(target) == 0o600 and target.read_bytes() == b'{"issue": 1}\n'


def test_keeping_the_mode_of_the_file_replaced(tmp_path: Path) -> None:
    target = tmp_path / "010-issue.md"
    target.write_bytes(b"status: ready\n")
    os.chmod(target, 0o664)
    with umask(0o077):
        write_atomically(target, b"status: published\n", mode=KEEP_MODE, durable=True)
    assert mode(target) == 0o664 and target.read_bytes() == b"status: published\n"
    with pytest.raises(FileNotFoundError):  # nothing to keep the mode of
        write_atomically(tmp_path / "missing.md", b"x", mode=KEEP_MODE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["010-issue.md"]


def test_the_file_is_renamed_into_place_not_written_through(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"old")
    kept_open = target.open("rb")  # a reader that opened the old file keeps reading it whole
    before = target.stat().st_ino
    write_atomically(target, b"new")
    assert target.stat().st_ino != before
    assert kept_open.read() == b"old"
    kept_open.close()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"not ours")
    link = tmp_path / "link.html"
    link.symlink_to(elsewhere)
    write_atomically(link, b"ours")
    assert not link.is_symlink() and link.read_bytes() == b"ours"
    assert elsewhere.read_bytes() == b"not ours"


def test_readers_never_see_half_a_file(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    versions = [bytes([65 + n]) * (1 << 20) for n in range(4)]  # 1 MiB each, written in many blocks
    write_atomically(target, versions[0])
    seen: list[bytes] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(target.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(40):
            write_atomically(target, versions[round_ % len(versions)])
    finally:
        done.set()
        reader.join()
    assert seen and all(data in versions for data in seen)
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_a_failed_rename_removes_the_temporary_file(tmp_path: Path) -> None:
    """A folder stands where the file goes: the bytes are written, the rename fails."""
    (tmp_path / "email").mkdir()
    (tmp_path / "email/001.html").write_bytes(b"someone's file")
    with pytest.raises(OSError):
        write_atomically(tmp_path / "email", b"x" * 100_000)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "email",
        "email/001.html",
    ]


def test_a_write_cut_short_removes_the_temporary_file(tmp_path: Path) -> None:
    """The file system refuses the bytes part way (here a file size limit, as a full disk
    would): the old file stays whole and no temporary file is left."""
    target = tmp_path / "site.html"
    target.write_bytes(b"old page")
    script = (
        "import resource, signal, sys\nfrom pathlib import Path\n"
        "from generator.basics.files import write_atomically\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "try:\n    write_atomically(Path(sys.argv[1]), b'y' * 1_000_000, durable=True)\n"
        "except OSError as exc:\n    print(type(exc).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OSError"
    assert [p.name for p in tmp_path.iterdir()] == ["site.html"]
    assert target.read_bytes() == b"old page"


def test_a_read_only_folder_is_refused_and_left_as_it_was() -> None:
    """Run as another user (root may write anywhere): the folder cannot take a new file."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("as root, needs setpriv to run as another user")
    shared = Path(tempfile.mkdtemp(prefix="sofs-readonly-", dir="/tmp"))
    try:
        shutil.copytree(PROJECT / "generator", shared / "generator")
        folder = shared / "site"
        folder.mkdir()
        (folder / "index.html").write_bytes(b"old")
        os.chmod(shared, 0o755)
        os.chmod(folder, 0o555)
        os.chmod(folder / "index.html", 0o666)  # the file is writable; its folder is not
        script = (
            "import sys\nfrom pathlib import Path\nfrom generator.basics.files import write_atomically\n"
            "try:\n    write_atomically(Path(sys.argv[1]), b'new')\n"
            "except PermissionError:\n    print('refused')\n"
        )
        other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*other, sys.executable, "-c", script, str(folder / "index.html")],
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(shared)},
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == "refused\n"
        assert [p.name for p in folder.iterdir()] == ["index.html"]
        assert (folder / "index.html").read_bytes() == b"old"
    finally:
        os.chmod(shared / "site", 0o755)
        shutil.rmtree(shared)
