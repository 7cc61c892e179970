"""Page addresses and relative links (`generator.generate.urls`)."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.generate.urls import relative_path, relative_url

_NAMES = st.sampled_from(["issues", "tools", "a", "b", "index.md", "x.md", ".", ""])
_PATHS = st.lists(_NAMES, max_size=4).map("/".join)


@given(_PATHS, _PATHS)
def test_relative_path_agrees_with_posixpath(target: str, folder: str) -> None:
    assert relative_path(target or ".", folder or ".") == posixpath.relpath(target or ".", folder or ".")


def test_relative_path_with_parent_steps_falls_back_to_posixpath() -> None:
    assert relative_path("../a/b.md", "issues") == posixpath.relpath("../a/b.md", "issues")
    assert relative_path("tools/x.md", "issues/../feedback") == "../tools/x.md"


def test_without_directory_urls_a_folder_page_is_linked_as_its_index_file() -> None:
    # Opened from a folder (`sofs build --offline`), `issues/` would show a file listing.
    assert relative_url("issues/index.md", "index.md", directory_urls=False) == "issues/index.html"
    assert relative_url("issues/index.md", "issues/010-x.md", directory_urls=False) == "index.html"
    assert (
        relative_url("measures/index.md", "tools/mapping.md", directory_urls=False)
        == "../measures/index.html"
    )
    assert relative_url("about.md", "issues/index.md", directory_urls=False) == "../about.html"
    assert relative_url("issues/index.md", "index.md") == "issues/"
    assert relative_url("issues/index.md", "issues/010-x.md") == "../"
