"""Results remembered between runs, so a rebuild redoes only what its inputs changed.

Each result is stored under a key that is a hash of everything it was made from: the
generator's own code and library versions, the settings, and the content it read. A
changed input gives a new key, so a stale result is never found; there is nothing to
invalidate by hand. Entries a run did not use are removed at the end of it, so the folder
holds one build's worth of results.

The cache lives in `.cache/sofs/` beside `mkdocs.yml` (ignored by git, and never inside
`site/` or the content folder). It is only ever a shortcut: if it cannot be read or
written, or an entry is damaged, the work is simply done again. `--no-cache` skips it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from ..basics.files import write_atomically

T = TypeVar("T")

CACHE_FOLDER = Path(".cache") / "sofs"

#: Libraries whose output ends up in cached results: a new release may render differently.
_LIBRARIES = ("markdown", "jinja2", "css-inline", "pyyaml", "python-frontmatter")

#: A half-written entry older than this was left by a run that was killed.
_STALE_SECONDS = 3600
#: How the name of an entry being written starts.
_WRITING = ".new-"
#: Entries are readable by their owner only: some hold drafts that are not yet published.
_ENTRY_MODE = 0o600

_TAG_NAME = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder holds sofs build results that can be made again; backups can skip it.\n"
)


def fingerprint(*parts: str | bytes) -> str:
    """A hex digest of `parts`, each length-prefixed so that ("ab", "c") != ("a", "bc")."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def code_fingerprint() -> str:
    """A hash of the generator's source files, the Python version and the versions of the
    libraries that shape its output: a new release of any of them starts a fresh cache."""
    package = Path(__file__).resolve().parent.parent
    parts: list[str | bytes] = [sys.version]
    for library in _LIBRARIES:
        try:
            parts.append(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{library} missing")
    for source in sorted(package.rglob("*.py")):
        parts += [source.relative_to(package).as_posix(), source.read_bytes()]
    return fingerprint(*parts)


def tree_fingerprint(folder: Path) -> str:
    """A hash of every file's path and bytes under `folder` (empty if it is missing)."""
    parts: list[str | bytes] = []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
            except OSError:
                parts += [path.relative_to(folder).as_posix(), b"unreadable"]
    return fingerprint(*parts)


@dataclass
class BuildCache:
    """A store of byte strings by shelf (a kind of result) and key (a fingerprint).

    `folder` None means caching is off: nothing is found and nothing is kept.
    """

    folder: Path | None
    used: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def for_project(cls, root: Path, *, enabled: bool = True) -> BuildCache:
        """The cache of the project whose `mkdocs.yml` is in `root`."""
        return cls(root / CACHE_FOLDER if enabled else None)

    @classmethod
    def off(cls) -> BuildCache:
        """A cache that never finds or keeps anything."""
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    @functools.cached_property
    def code(self) -> str:
        """`code_fingerprint()`, worked out once per cache: every key of a run includes it."""
        return code_fingerprint()

    def _path(self, shelf: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / shelf / key

    def get(self, shelf: str, key: str) -> bytes | None:
        """The bytes kept under `key`, or None (off, never kept, or unreadable)."""
        if self.folder is None:
            return None
        self.used.setdefault(shelf, set()).add(key)
        try:
            return self._path(shelf, key).read_bytes()
        except OSError:
            return None

    def has(self, shelf: str, key: str) -> bool:
        """Whether an entry is kept under `key` (counted as used, as `get` counts it)."""
        if self.folder is None:
            return False
        self.used.setdefault(shelf, set()).add(key)
        return self._path(shelf, key).is_file()

    def put(self, shelf: str, key: str, data: bytes) -> None:
        """Keep `data` under `key`; a folder that cannot be written turns the cache off."""
        if self.folder is None:
            return
        self.used.setdefault(shelf, set()).add(key)
        target = self._path(shelf, key)
        try:
            self._ensure(target.parent)
            if not _own_folder(target.parent):
                self.folder = None  # a link leads elsewhere: keep nothing there
                return
            write_atomically(target, data, mode=_ENTRY_MODE, prefix=_WRITING)
        except OSError:
            self.folder = None

    def remember(
        self,
        shelf: str,
        key: Callable[[], str],
        make: Callable[[], T],
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T | None],
    ) -> T:
        """The result kept under `key()`, or else `make()`'s, which is then kept.

        `decode` returns None for bytes it cannot read, which counts as not kept; `key` is
        only worked out when the cache is on."""
        if self.folder is None:
            return make()
        wanted = key()
        kept = self.get(shelf, wanted)
        found = decode(kept) if kept is not None else None
        if found is None:
            found = make()
            self.put(shelf, wanted, encode(found))
        return found

    def _ensure(self, shelf_folder: Path) -> None:
        if shelf_folder.is_dir():
            return
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / _TAG_NAME
        if not tag.exists():
            tag.write_text(_TAG_TEXT, encoding="ascii")
        shelf_folder.mkdir(exist_ok=True)

    def prune(self, shelves: Iterable[str]) -> None:
        """Remove the entries of `shelves` that this run neither found nor kept."""
        if self.folder is None:
            return
        for shelf in shelves:
            keep = self.used.get(shelf, set())
            if not _own_folder(self.folder / shelf):
                continue
            try:
                entries = list(os.scandir(self.folder / shelf))
            except OSError:
                continue
            for entry in entries:
                if _ours(entry.name) and entry.name not in keep and not _in_progress(entry):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _ours(name: str) -> bool:
    """A name this cache gives its entries: a fingerprint, or a half-written `.new-` file."""
    return name.startswith(_WRITING) or (len(name) == 64 and all(c in "0123456789abcdef" for c in name))


def _own_folder(shelf: Path) -> bool:
    """A shelf reached without a link on the way (`.cache`, `sofs` or the shelf itself), so
    clean-up never lists another folder's files."""
    return all(not part.is_symlink() for part in (shelf.parent.parent, shelf.parent, shelf))


def _in_progress(entry: os.DirEntry[str]) -> bool:
    """A file another run is still writing (a few seconds old at most)."""
    if not entry.name.startswith(_WRITING):
        return False
    try:
        return time.time() - entry.stat().st_mtime < _STALE_SECONDS
    except OSError:
        return False
