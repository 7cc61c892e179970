"""Writing the generated pages to disk as an ordinary MkDocs docs tree.

Renderers that read `mkdocs.yml` but run no third-party plugins (Zensical, the planned
successor of Material for MkDocs) can build the site from this folder: it holds every
generated page, the content folder's other files (images) and a settings file with the
navigation written out and the `sofs` plugin removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from .extras import extra_outputs
from .model import Site
from .output import discard, staging_dir, swap_in
from .pages import generate_docs
from .settings import CONFIG_FILE, PLUGIN_NAME
from .visibility import Visibility
from .yamlread import read_yaml

DOCS_FOLDER = "docs"


def renderer_settings(site: Site, nav: list[Any]) -> str:
    """The project's `mkdocs.yml` for the written tree: same theme and extensions, our
    plugin removed, `docs_dir` and `nav` set. Python tags (`!!python/name:`) are kept as
    their text, so settings that need them must be restored by hand."""
    text = (site.settings.root / CONFIG_FILE).read_text(encoding="utf-8-sig")
    data = read_yaml(text, tolerant=True).data or {}
    plugins = []
    for entry in data.get("plugins") or []:
        if entry == PLUGIN_NAME or (isinstance(entry, dict) and PLUGIN_NAME in entry):
            continue
        plugins.append(entry)
    data["plugins"] = plugins
    data["docs_dir"] = DOCS_FOLDER
    data["site_dir"] = "site"
    data["nav"] = nav
    theme = data.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = "theme"
    header = "# Written by `sofs build --docs-out`: edit the project's mkdocs.yml instead.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_docs_tree(site: Site, visibility: Visibility, destination: Path) -> int:
    """Write the docs tree for `site` into `destination` (replaced whole); returns the
    number of pages written."""
    docs = generate_docs(site, visibility)
    staging = staging_dir(destination)
    try:
        folder = staging / DOCS_FOLDER
        content = site.settings.content_root
        for asset in sorted(content.rglob("*")):
            if asset.is_file() and not asset.is_symlink() and asset.suffix != ".md":
                target = folder / asset.relative_to(content)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(asset, target)
        for path, text in docs.pages.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for relative, data in extra_outputs(site, visibility).items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        theme = site.settings.templates_root / "theme"
        if theme.is_dir():
            shutil.copytree(theme, staging / "theme")
        (staging / CONFIG_FILE).write_text(renderer_settings(site, docs.nav), encoding="utf-8")
        swap_in(staging, destination)
    except BaseException:
        discard(staging)
        raise
    return len(docs.pages)
