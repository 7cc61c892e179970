"""Rendering single pages of the preview again, without a whole MkDocs build.

After a build, MkDocs' own objects hold everything a page needs: the settings, the files
(each page with its `Page`), the navigation and the theme's compiled templates. When an
edit changes only the text of some pages and extra files, and not the list of pages, the
navigation or the settings, `rerender_pages` reads those pages again and renders them
with the objects kept from that build, through the same plugin events and MkDocs steps a
build uses for a page, then writes the search index. A dirty MkDocs build does the same
work but first walks the theme, compiles its templates and renders the 404 page and the
sitemap again, which is most of its time on a large site.

Only the plugins whose events are known to allow it (`search` and `sofs`) are run this
way; with any other plugin in `mkdocs.yml`, `can_rerender` says no and the preview uses a
dirty build.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.structure.files import InclusionLevel

from .plugin import BuiltSite, untitled_nav_pages

#: Plugins whose events may run for single pages: Material's search (its index is made
#: again on the settings event) and ours.
_KNOWN_PLUGINS = frozenset({"search", "material/search", "sofs"})


@dataclass(frozen=True)
class Rerendered:
    """What `rerender_pages` did: the pages rendered and the other files copied."""

    pages: tuple[str, ...]
    copied: tuple[str, ...]


def can_rerender(built: BuiltSite | None, changed: Collection[str]) -> bool:
    """Whether the changed files (paths in the docs folder) can be rendered alone: each is
    a file of the kept build, none is a page the navigation names by its own heading, and
    only known plugins run."""
    if built is None or not changed:
        return False
    if set(built.config.plugins) - _KNOWN_PLUGINS:
        return False
    untitled = set(untitled_nav_pages(built.config.nav))
    return all(path not in untitled and built.files.get_file_from_path(path) is not None for path in changed)


def rerender_pages(built: BuiltSite, changed: Collection[str]) -> Rerendered:
    """Render the changed pages again and copy the changed other files, as a build would,
    then run the events that end a build (the search index is written, then merged)."""
    config, files, nav, env = built.config, built.files, built.nav, built.env
    config = config.plugins.on_config(config)
    inclusion = InclusionLevel.is_in_serve
    pages: list[str] = []
    copied: list[str] = []
    doc_files = files.documentation_pages(inclusion=inclusion)
    for path in sorted(changed):
        file = files.get_file_from_path(path)
        assert file is not None  # `can_rerender` said so
        if file.page is None:
            file.copy_file()
            copied.append(path)
            continue
        _populate_page(file.page, config, files)
        pages.append(path)
    for path in pages:
        file = files.get_file_from_path(path)
        assert file is not None and file.page is not None
        excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
        _build_page(file.page, config, doc_files, nav, env, excluded=excluded)
    config.plugins.on_post_build(config=config)
    return Rerendered(tuple(pages), tuple(copied))
