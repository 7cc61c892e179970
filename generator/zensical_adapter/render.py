"""Running Zensical for `sofs build --renderer zensical`.

Zensical reads `mkdocs.yml` but runs no MkDocs plugins, so it builds the docs tree sofs
writes (`site_build.docs_tree`: every generated page, feed and email copy, the copied
content files, the theme overrides and a settings file with the navigation written out).
What the `sofs` plugin does while MkDocs renders is done here around the build: the
tree carries the theme's settings, and `site_build.rendered_markup` fixes the rendered
pages afterwards, with `markup`'s fixes for what Zensical's theme writes differently.

The tree is kept between builds in `.cache/sofs/zensical/` (only files whose bytes
changed are written), so Zensical's own cache there renders again only what an edit
changed. Zensical runs as its command line in a child process: its Rust core may stop the
process, and its output (coloured, boxed, a traceback on failure) is read and told in
sofs's words (`messages`).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..cache.store import CACHE_FOLDER
from ..generate.context import BuildContext
from ..settings.reader import CONFIG_FILE
from ..site_build.builder import RenderFailed
from ..site_build.docs_tree import write_docs_tree
from ..site_build.owned_folder import OutputRefused
from ..site_build.rendered_markup import fix_rendered_pages
from .markup import without_lone_palette
from .messages import failure_of, warnings_of

#: Where the tree Zensical builds is kept, inside the project's folder.
TREE_FOLDER = CACHE_FOLDER / "zensical"

#: Theme overrides that replace a Material component Zensical has redesigned: Zensical's
#: search is a dialog of its own, which Material's search form (our accessible copy of it)
#: would replace and break. Zensical's own is used instead.
MATERIAL_ONLY = frozenset({"theme/partials/search.html"})

#: Zensical's theme has two looks; `classic` is Material's, which our theme overrides and
#: colours are written for (its default, `modern`, styles the footer and links anew).
THEME_DEFAULTS = {"variant": "classic"}

INSTALL_HINT = "Zensical is not installed: pip install -e '.[zensical]' (or build with MkDocs: `sofs build`)"


def zensical_installed() -> bool:
    """Whether the optional `zensical` extra is installed."""
    return importlib.util.find_spec("zensical") is not None


def _environment(source_date_epoch: int) -> dict[str, str]:
    """The child's environment: our package importable (the tree's `mkdocs.yml` names our
    Markdown extensions), no colours, and the build's fixed timestamp."""
    package_parent = str(Path(__file__).resolve().parents[2])
    paths = [package_parent, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "NO_COLOR": "1"}
    environment.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch))
    return environment


def render_site(
    context: BuildContext, into: Path, *, source_date_epoch: int, offline: bool = False
) -> list[str]:
    """Build the checked site of `context` into the empty folder `into` with Zensical.

    The caller holds the project's lock (it also guards the kept tree). Returns Zensical's
    warnings; raises `RenderFailed` in plain words when Zensical is missing or fails."""
    if offline:
        raise RenderFailed(
            "--offline is not supported with --renderer zensical yet; "
            "build the copy for a folder with MkDocs: sofs build --offline"
        )
    if not zensical_installed():
        raise RenderFailed(INSTALL_HINT)
    tree = context.root / TREE_FOLDER
    try:
        write_docs_tree(context, tree, without=MATERIAL_ONLY, theme_defaults=THEME_DEFAULTS)
    except OutputRefused as refused:
        raise RenderFailed(f"{refused}; delete {TREE_FOLDER.as_posix()}/ and build again") from None
    built = tree / "site"
    if built.is_symlink() or built.is_file():
        built.unlink()
    elif built.exists():
        shutil.rmtree(built)
    command = [sys.executable, "-m", "zensical", "build", "--config-file", CONFIG_FILE]
    if not context.cache.enabled:  # `--no-cache`: Zensical renders every page afresh too
        command.append("--clean")
    completed = subprocess.run(
        command,
        cwd=tree,
        env=_environment(source_date_epoch),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0 or not (built / "index.html").is_file():
        theme = context.settings.templates_root / "theme"
        raise RenderFailed(failure_of(output, theme, context.root))
    for entry in built.iterdir():  # a rename, unless `.cache` is on another disk
        shutil.move(entry, into / entry.name)
    built.rmdir()
    fix_rendered_pages(into, without_lone_palette)
    return warnings_of(output)
