"""Which folders a command may write its output into.

The project's own folders are never an output folder: the project root and every folder
above it, the content folder, the templates, the data folder (subscribers, send ledgers,
publication log), the built site, git's records and the build cache. An output folder
that already exists must be empty or carry sofs's marker (see `owned_folder`).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..basics.diagnostics import shown_path
from ..settings.reader import Settings
from .owned_folder import SITE_MARKER, built_before_markers, entries, foreign_files, shown
from .staging import backup_of


def project_folders(settings: Settings) -> list[tuple[Path, str]]:
    """The project's own folders, each with what it holds in a few words."""
    root = settings.root.resolve()
    return [
        (settings.content_root.resolve(), f"{settings.docs_dir}/ holds the content you write"),
        (settings.templates_root.resolve(), f"{settings.templates_dir}/ holds the page templates"),
        (
            settings.subscribers_path.resolve().parent,
            f"{Path(settings.subscribers_db).parent.as_posix()}/ holds the subscriber list, "
            "send ledgers and publication log",
        ),
        (
            (root / settings.site_dir).resolve(),
            f"{settings.site_dir}/ is the built site, replaced by every build",
        ),
        (root / ".git", ".git/ holds the project's history"),
        (root / ".cache", ".cache/ holds sofs's working files"),
    ]


def _shown(path: Path, root: Path) -> str:
    """A folder as messages show it: `shown_path`, with a slash after a folder inside `root`."""
    shown = shown_path(path, root)
    return shown + "/" if path != root and path.is_relative_to(root) else shown


def project_folder_refusal(
    settings: Settings, destination: Path, *, option: str, advice: str, only_named_files: bool = False
) -> str | None:
    """Why `destination` cannot take output because it is (in) one of the project's own
    folders, or holds the project; None when it is none of them.

    `only_named_files` is for commands that write a few files of known names and delete
    nothing: they may write into the site folder and into folders above the project."""
    root = settings.root.resolve()
    folder = destination.resolve()
    named = _shown(folder, root)
    if folder == root or (root.is_relative_to(folder) and not only_named_files):
        where = "the project folder" if folder == root else "a folder that holds the project"
        return f"{option} {named} is {where}; writing there could replace your files, so {advice}"
    site = (root / settings.site_dir).resolve()
    for protected, holds in project_folders(settings):
        if folder.is_relative_to(protected) and not (only_named_files and protected == site):
            inside = "is" if folder == protected else "is inside"
            return f"{option} {named} {inside} a folder of the project: {holds}; {advice}"
    return None


def refusal(settings: Settings, destination: Path, *, option: str, own: str) -> str | None:
    """Why `destination` cannot be the output folder of `option`, or None if it can.

    `own` names the marker file that shows sofs wrote the folder."""
    folder = destination.resolve()
    named = _shown(folder, settings.root.resolve())
    advice = f"choose a new folder of its own, like `{option} ../newsletter-docs`"
    problem = project_folder_refusal(settings, destination, option=option, advice=advice)
    if problem:
        return problem
    if folder.exists() and not folder.is_dir():
        return f"{option} {named} is a file, not a folder; {advice}"
    if not folder.is_dir() or (folder / own).is_file():
        return None
    others = foreign_files(folder, own)
    if others:
        return (
            f"{option} {named} already holds files that sofs did not write ({shown(others)}); "
            f"sofs writes only into an empty folder or one it wrote before (it has a {own} file), "
            f"so empty this one or {advice}"
        )
    return None


def site_refusal(root: Path, target: Path) -> str | None:
    """Why a build may not replace the site folder, or None when it may.

    It may when the folder is missing, empty, carries sofs's marker and holds only the
    files listed there, or has no marker but is plainly an earlier MkDocs build (the first
    build after upgrading sofs)."""
    if target.is_symlink():
        return (
            f"{_shown(target.absolute(), root.resolve()).rstrip('/')} is a link (to {os.readlink(target)}); "
            "every build replaces the site folder whole, so it would replace the link. Remove the "
            "link, or set `site_dir` in mkdocs.yml to the folder it leads to"
        )
    for folder in (target, backup_of(target)):
        if folder.is_symlink() or not folder.exists():
            continue
        named = _shown(folder.resolve(), root.resolve())
        if not folder.is_dir():
            return f"{named.rstrip('/')} is a file, where the build puts the site folder; move it away"
        if (folder / SITE_MARKER).is_file():
            others = foreign_files(folder, SITE_MARKER)
        elif built_before_markers(folder):
            others = []
        else:
            others = entries(folder)
        if others:
            return (
                f"{named} holds files that sofs did not write ({shown(others)}); every build replaces "
                f"{named} whole, so they would be lost. Move them out (files to publish with the "
                "site belong in the content folder), or set `site_dir` in mkdocs.yml to a new folder"
            )
    return None
