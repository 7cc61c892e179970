"""Four eyes: who wrote an issue, from git, compared with who approved it.

Where the project is a git checkout, the authors of an issue's text are the authors of
every commit that changed the text of the issue's file or of one of its team stories'
files, and, when any of that text has changes not yet committed (or was never committed),
the person whose working copy it is (`git config user.name`/`user.email`, as `identity`
reads it). Changes to the lines an approval does not cover (the approval's own lines and
`status`) are not authorship.
`sofs publish` refuses when the approver is the only one of them, unless it is told to
allow a self-approval. Two people are the same when their email addresses match, or
their names (ignoring case and spacing), or a login name matches a name or the part of
an email address before the @.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..checks.approval_digest import NOT_COVERED
from .identity import who_ran

_TIMEOUT = 60
_NOT_COVERED = re.compile(rf"""^(["']?)({"|".join(NOT_COVERED)})\1[ \t]*:(?:[ \t]|$)""")


@dataclass(frozen=True)
class Person:
    """Someone as git knows them."""

    name: str
    email: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email}

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


@dataclass(frozen=True)
class Authorship:
    """Who wrote the files, as far as git can tell; `history` says why not when it cannot."""

    authors: tuple[Person, ...]
    uncommitted: tuple[str, ...]  # files with changes not committed yet
    history: str | None = None  # None: read from git; else why there is none to read

    @property
    def known(self) -> bool:
        return self.history is None and bool(self.authors)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env=environment,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def authorship(root: Path, paths: Sequence[str]) -> Authorship:
    """The authors of `paths` (relative to `root`, the project's folder) in git's history.

    A commit, or an uncommitted change, that touches only lines an approval does not cover
    (`approved_by`, `approved_on`, `approved_sha256`, `status`) is not authorship: writing
    the approval, or `sofs publish` marking the issue published, is not writing the text.
    """
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None:
        return Authorship((), (), "git is not installed on this computer")
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        return Authorship((), (), "the project is not a git checkout")
    diff_options = ("-p", "--no-color", "--no-ext-diff", "--no-textconv", "-U0")
    log = _git(root, "log", "--format=%x1e%aN%x1f%aE", *diff_options, "--", *paths)
    has_head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if log is None or has_head is None:
        return Authorship((), (), "git could not read the project's history")
    authors: list[Person] = []
    if has_head.returncode == 0 and log.returncode == 0:
        for entry in log.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
            who, _, diff = entry.partition("\n")
            name, _, email = who.partition("\x1f")
            person = Person(name.strip(), email.strip())
            if person.name and person not in authors and changes_text(diff):
                authors.append(person)
    uncommitted = _uncommitted(root, paths, committed=has_head.returncode == 0)
    if uncommitted is None:
        return Authorship((), (), "git could not read the project's changes")
    if uncommitted:
        me = who_ran(root)
        person = Person(me["name"], me.get("email", ""))
        if person not in authors:
            authors.append(person)
    if not authors:
        return Authorship((), (), "git has no record of who wrote these files (are they ignored?)")
    return Authorship(tuple(authors), uncommitted)


def changes_text(diff: str) -> bool:
    """Whether a `git diff -U0` changes a line an approval covers."""
    in_hunk = False
    for line in diff.split("\n"):
        if line.startswith("diff --git "):
            in_hunk = False
        elif line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line[:1] in ("+", "-") and not _NOT_COVERED.match(line[1:]):
            return True
    return False


def _uncommitted(root: Path, paths: Sequence[str], *, committed: bool) -> tuple[str, ...] | None:
    """The files among `paths` with text changed since the last commit, or never committed."""
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    if status is None or status.returncode != 0:
        return None
    listed = _changed_paths(status.stdout.decode("utf-8", "replace"))
    if not listed or not committed:
        return listed
    diff = _git(
        root, "diff", "HEAD", "-p", "--no-color", "--no-ext-diff", "--no-textconv", "-U0", "--", *paths
    )
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", *paths)
    if diff is None or untracked is None or diff.returncode != 0 or untracked.returncode != 0:
        return None
    if untracked.stdout.strip() or changes_text(diff.stdout.decode("utf-8", "replace")):
        return listed
    return ()


def _changed_paths(porcelain: str) -> tuple[str, ...]:
    """The paths `git status --porcelain=v1 -z` lists (a rename's old path is skipped)."""
    entries = porcelain.split("\0")
    paths: list[str] = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) > 3:
            paths.append(entry[3:])
            if entry[0] in "RC":
                index += 1
    return tuple(sorted(set(paths)))


def same_person(approver: Mapping[str, str], author: Person) -> bool:
    """Whether the approver (an identity as `identity.who_ran` gives it) is `author`."""
    name = _folded(approver.get("name", ""))
    email = approver.get("email", "").strip().casefold()
    if email and author.email and email == author.email.strip().casefold():
        return True
    if name and name == _folded(author.name):
        return True
    local = author.email.strip().casefold().partition("@")[0]
    return approver.get("from") == "login" and bool(name) and name == local


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def sole_author(approver: Mapping[str, str], found: Authorship) -> bool:
    """Whether everything git knows of was written by the approver alone."""
    return found.known and all(same_person(approver, author) for author in found.authors)
