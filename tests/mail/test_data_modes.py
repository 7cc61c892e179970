"""Private data stays private: 0600 files in a 0700 data/ folder, under the usual umask 022."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import fixture_project, run_sofs
from email_helpers import Recorder, addresses, smtp_env, smtp_server, write_csv

from generator.basics.private_data import private_file
from generator.mail.subscribers import SubscriberList


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The umask most systems have, which makes new files readable by everyone (0644)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): mode(p) for p in sorted([folder, *folder.rglob("*")])}


def test_subscribers_ledgers_state_and_log_are_0600_in_a_0700_folder(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project", "publish")
    imported = run_sofs(
        project, "subscribers", "import", str(write_csv(project / "people.csv", addresses(3)))
    )
    assert imported.returncode == 0, imported.stderr
    with smtp_server(Recorder()) as server:
        result = run_sofs(project, "publish", "2", "--rate", "0", env=smtp_env(server))
    assert result.returncode == 0, result.stdout + result.stderr
    found = modes(project / "data")
    assert {
        "subscribers.sqlite",
        "send-ledger-002.sqlite",
        "publish-002.json",
        "publications.jsonl",
    } <= set(found)
    assert found == {name: 0o700 if name == "." else 0o600 for name in found}
    assert "note:" not in result.stderr + imported.stderr


def test_loose_modes_left_by_an_older_version_are_narrowed_once_with_a_note(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project", "publish")
    data = project / "data"
    data.mkdir()
    with sqlite3.connect(data / "subscribers.sqlite") as db:  # as sofs made it before: mode 0644
        db.execute("CREATE TABLE subscribers (key TEXT PRIMARY KEY, address TEXT NOT NULL)")
        db.execute("INSERT INTO subscribers VALUES ('a@example.org', 'a@example.org')")
    db.close()
    (data / "subscribers.sqlite-journal").write_bytes(b"")
    (data / "publications.jsonl").write_text('{"format": 1, "issue": 1}\n', "utf-8")
    assert set(modes(data).values()) == {0o755, 0o644}

    listed = run_sofs(project, "subscribers", "list")
    assert listed.returncode == 0 and "a@example.org" in listed.stdout
    notes = [line for line in listed.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: data could be read by other people using this computer (mode 0755); "
        "this private folder is now mode 0700, for you only",
        "note: data/subscribers.sqlite could be read by other people using this computer (mode 0644); "
        "this private file is now mode 0600, for you only",
        "note: data/subscribers.sqlite-journal could be read by other people using this computer "
        "(mode 0644); this private file is now mode 0600, for you only",
    ]
    audit = run_sofs(project, "audit")
    assert "note: data/publications.jsonl could be read by other people" in audit.stderr
    assert modes(data) == {
        ".": 0o700,
        "publications.jsonl": 0o600,
        "subscribers.sqlite": 0o600,
        "subscribers.sqlite-journal": 0o600,
    }
    again = run_sofs(project, "subscribers", "list")
    assert again.returncode == 0 and "note:" not in again.stderr


@pytest.mark.parametrize("journal_mode", ["DELETE", "WAL"])
def test_sqlite_side_files_get_the_private_mode_of_their_database(tmp_path: Path, journal_mode: str) -> None:
    path = tmp_path / "project" / "data" / "subscribers.sqlite"
    SubscriberList(path).add("someone@example.org")
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(f"PRAGMA journal_mode = {journal_mode}")
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO subscribers VALUES ('b@example.org', 'b@example.org')")
        side = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
        assert side, "SQLite has a side file open during a write"
        assert {name: mode(path.parent / name) for name in side} == dict.fromkeys(side, 0o600)
        db.execute("COMMIT")
    finally:
        db.close()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_folders_sofs_makes_are_0700_but_the_project_folder_is_never_narrowed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    private_file(project / "data" / "private" / "subscribers.sqlite")
    assert mode(project / "data") == 0o700 and mode(project / "data" / "private") == 0o700
    assert mode(project / "data" / "private" / "subscribers.sqlite") == 0o600
    private_file(project / "subscribers.sqlite")  # subscribers_db set to the project folder itself
    assert mode(project) == 0o755 and mode(project / "subscribers.sqlite") == 0o600
