"""The loader reads each content file once and keeps its lines for the checks."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from conftest import copy_project

from generator.content.loader import load_site
from generator.content.source_file import decode
from generator.settings.reader import load_settings

#: Counts every file opened under content/ (the audit event "open" is raised by `open`,
#: `os.open` and `Path.read_bytes` alike) while a whole check of the project runs.
_COUNT_OPENS = """
import collections, json, os, pathlib, sys
root = pathlib.Path(sys.argv[1])
content = str(root / "content") + os.sep
opened = collections.Counter()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path.startswith(content):
            opened[path[len(content):]] += 1
sys.addaudithook(hook)
from generator.checks.project import check_project
result = check_project(root, use_cache=False)
print(json.dumps({"opened": opened, "sources": [s.path for s in result.site.sources]}))
"""


def test_a_check_opens_each_content_file_once(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    output = subprocess.run(
        [sys.executable, "-c", _COUNT_OPENS, str(root)], capture_output=True, text=True, check=True
    )
    found = json.loads(output.stdout)
    markdown = sorted(p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.md"))
    assert sorted(found["opened"]) == markdown
    assert set(found["opened"].values()) == {1}
    assert len(found["sources"]) == len(markdown) - 1  # acronyms.md is read, but is no item


def test_the_sources_are_each_loaded_file_as_written_in_path_order(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "content/pages/broken.md").write_text("no front matter\n", "utf-8")
    site, problems = load_site(load_settings(root)[0])
    assert any(p.path == "content/pages/broken.md" for p in problems)
    items = [*site.issues, *site.stories, *site.measures, *site.principles, *site.tools, *site.pages]
    items += [*site.processes, *site.variants]
    assert [s.path for s in site.sources] == sorted(item.origin.path for item in items)
    body_starts = {item.origin.path: item.origin.body_first_line for item in items}
    for source in site.sources:
        text, _ = decode((root / source.path).read_bytes(), source.path)
        assert text is not None and source.lines == tuple(text.split("\n"))
        assert source.body_start == body_starts[source.path]


def test_the_site_carries_the_matcher_of_its_own_tools(tmp_path: Path) -> None:
    site, _ = load_site(load_settings(copy_project(tmp_path / "project"))[0])
    assert {m.slug for m in site.tool_matcher.mentions("the harm matrix and three houses")} == {
        "harm-matrix",
        "three-houses",
    }
    assert replace(site, tools=()).tool_matcher.mentions("the harm matrix") == []
