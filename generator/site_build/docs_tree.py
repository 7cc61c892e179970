"""Writing the generated pages to disk as an ordinary MkDocs docs tree.

Renderers that read `mkdocs.yml` but run no third-party plugins (Zensical, the planned
successor of Material for MkDocs) can build the site from this folder: it holds every
generated page, the content files the site copies (`content.assets`: pictures, PDFs and
the types `mkdocs.yml` allows) and a settings file with the navigation written out and
the `sofs` plugin removed.

The folder is sofs's own: its marker (`.sofs-docs-out`) lists every file written, so a
later run replaces and deletes only those (see `owned_folder`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..basics.yamlread import read_yaml
from ..content.model import Site
from ..generate.context import BuildContext
from ..generate.extra_files import extra_outputs
from ..generate.page_memo import PageMemo
from ..generate.pages import GeneratedDocs, generate_docs
from ..generate.theme_settings import THEME_KEY, theme_settings
from ..settings.model import SOFS_MARKDOWN_EXTENSIONS
from ..settings.reader import CONFIG_FILE, PLUGIN_NAME
from .owned_folder import DOCS_MARKER, OutputRefused, in_the_way, rewrite, shown

DOCS_FOLDER = "docs"


def renderer_settings(site: Site, nav: list[Any], theme_defaults: Mapping[str, Any] | None = None) -> str:
    """The project's `mkdocs.yml` for the written tree: same theme and extensions, our
    plugin removed, `docs_dir` and `nav` set, and `theme_defaults` (a renderer's own theme
    options) added where the project sets no value. Python tags (`!!python/name:`) are kept
    as their text, so settings that need them must be restored by hand."""
    text = (site.settings.root / CONFIG_FILE).read_text(encoding="utf-8-sig")
    data = read_yaml(text, tolerant=True).data or {}
    plugins = []
    for entry in data.get("plugins") or []:
        if entry == PLUGIN_NAME or (isinstance(entry, dict) and PLUGIN_NAME in entry):
            continue
        plugins.append(entry)
    data["plugins"] = plugins
    listed = data.get("markdown_extensions")
    if isinstance(listed, list):  # what the plugin would have added (a mapping is left as written)
        names = {next(iter(entry)) if isinstance(entry, dict) and entry else entry for entry in listed}
        listed += [name for name in SOFS_MARKDOWN_EXTENSIONS if name not in names]
    elif listed is None:
        data["markdown_extensions"] = list(SOFS_MARKDOWN_EXTENSIONS)
    data["docs_dir"] = DOCS_FOLDER
    data["site_dir"] = "site"
    data["nav"] = nav
    extra = data.get("extra")
    data["extra"] = {**(extra if isinstance(extra, dict) else {}), THEME_KEY: theme_settings(site)}
    theme = data.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = "theme"
    if isinstance(theme, dict):
        for key, value in (theme_defaults or {}).items():
            theme.setdefault(key, value)
    header = "# Written by `sofs build --docs-out`: edit the project's mkdocs.yml instead.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


DOCS_EXPLANATION = (
    "This folder was written by `sofs build --docs-out`; edit the project's content instead.\n"
    "Each --docs-out run rewrites the files listed below and deletes those it no longer makes.\n"
    "Files not listed here are yours: sofs leaves them alone (and stops rather than overwrite one)."
)


def docs_tree_files(
    context: BuildContext, memo: PageMemo | None = None, theme_defaults: Mapping[str, Any] | None = None
) -> tuple[dict[str, bytes | Path], GeneratedDocs]:
    """Every file of the docs tree by its path in the tree (bytes, or a file to copy), and
    the generated pages. With `memo`, only pages whose content files changed are rendered;
    `theme_defaults` go into the settings file (`renderer_settings`)."""
    site = context.site
    docs = generate_docs(context, memo)
    files: dict[str, bytes | Path] = {}
    content = site.settings.content_root
    for relative in context.content_files.copied:  # the one rule of what is copied
        files[f"{DOCS_FOLDER}/{relative}"] = content / relative
    for path, text in docs.pages.items():
        files[f"{DOCS_FOLDER}/{path}"] = text.encode("utf-8")
    for relative, data in extra_outputs(context).items():
        files[f"{DOCS_FOLDER}/{relative}"] = data
    theme = site.settings.templates_root / "theme"
    if theme.is_dir():
        for part in sorted(theme.rglob("*")):
            if part.is_file() and not part.is_symlink():
                files[f"theme/{part.relative_to(theme).as_posix()}"] = part
    files[CONFIG_FILE] = renderer_settings(site, docs.nav, theme_defaults).encode("utf-8")
    return files, docs


@dataclass(frozen=True)
class TreeWritten:
    """What writing the docs tree did: the pages it holds, its extra files (feeds, email
    copies; paths inside `docs/`) and the files written or deleted (paths in the tree)."""

    docs: GeneratedDocs
    extras: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def pages(self) -> int:
        """How many generated pages the tree holds."""
        return len(self.docs.pages)


def write_docs_tree(
    context: BuildContext,
    destination: Path,
    memo: PageMemo | None = None,
    *,
    without: frozenset[str] = frozenset(),
    theme_defaults: Mapping[str, Any] | None = None,
) -> TreeWritten:
    """Write the docs tree of the run's site into `destination`. A renderer may leave out
    the files of the tree named in `without` (theme overrides it replaces with its own) and
    add `theme_defaults` to the settings file.

    Only files whose bytes changed are written (the others keep their time of change), so
    a renderer watching the folder renders only what an edit changed; with `memo` (kept
    between runs by the caller), only the pages made from changed content are generated.
    Files an earlier run wrote there and no longer made are deleted; other files are left
    alone, and `OutputRefused` is raised, with nothing written, if one is where a file of
    the tree goes."""
    files, docs = docs_tree_files(context, memo, theme_defaults)
    files = {name: data for name, data in files.items() if name not in without}
    prefix = f"{DOCS_FOLDER}/"
    copied = {prefix + relative for relative in context.content_files.copied}
    pages = {prefix + path for path in docs.pages}
    extras = tuple(
        name.removeprefix(prefix)
        for name in sorted(files)
        if name.startswith(prefix) and name not in pages and name not in copied
    )
    blocking = in_the_way(destination, DOCS_MARKER, files)
    if blocking:
        raise OutputRefused(
            f"{destination} holds files that sofs did not write (or links) where the docs tree goes "
            f"({shown(blocking)}); move them away, or choose a new folder for --docs-out"
        )
    changed = rewrite(destination, DOCS_MARKER, DOCS_EXPLANATION, files)
    return TreeWritten(docs, extras, tuple(changed))
