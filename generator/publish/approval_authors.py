"""Four eyes: who wrote an issue, from git, compared with who approved it.

Where the project is a git checkout, the authors of an issue's text are the authors of
every commit that changed the issue's file or one of its team stories' files, and, when
any of those files has changes not yet committed (or was never committed), the person
whose working copy it is (`git config user.name`/`user.email`, as `identity` reads it).
`sofs publish` refuses when the approver is the only one of them, unless it is told to
allow a self-approval. Two people are the same when their email addresses match, or
their names (ignoring case and spacing), or a login name matches a name or the part of
an email address before the @.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .identity import who_ran

_TIMEOUT = 60


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
    """The authors of `paths` (relative to `root`, the project's folder) in git's history."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None:
        return Authorship((), (), "git is not installed on this computer")
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        return Authorship((), (), "the project is not a git checkout")
    log = _git(root, "log", "--format=%aN%x1f%aE", "--", *paths)
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    if log is None or status is None or status.returncode != 0:
        return Authorship((), (), "git could not read the project's history")
    authors: list[Person] = []
    if log.returncode == 0:  # a repository without commits has no history yet
        for line in log.stdout.decode("utf-8", "replace").splitlines():
            name, _, email = line.partition("\x1f")
            person = Person(name.strip(), email.strip())
            if person.name and person not in authors:
                authors.append(person)
    uncommitted = _changed_paths(status.stdout.decode("utf-8", "replace"))
    if uncommitted:
        me = who_ran(root)
        person = Person(me["name"], me.get("email", ""))
        if person not in authors:
            authors.append(person)
    if not authors:
        return Authorship((), (), "git has no record of these files (are they ignored?)")
    return Authorship(tuple(authors), uncommitted)


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
