"""sofs' own Markdown extensions (magiclink, pasted Word lists) are on in every build, even
when `mkdocs.yml` does not list them: the plugin adds them, and `--docs-out` writes them."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import copy_project, run_sofs

from generator.checks.project import check_project
from generator.settings.model import SOFS_MARKDOWN_EXTENSIONS
from generator.site_build.docs_tree import renderer_settings


def _without_sofs_extensions(root: Path) -> None:
    config = root / "mkdocs.yml"
    kept = [
        line
        for line in config.read_text(encoding="utf-8").split("\n")
        if line.strip("- ") not in SOFS_MARKDOWN_EXTENSIONS
    ]
    config.write_text("\n".join(kept), encoding="utf-8")


def test_a_build_without_them_in_mkdocs_yml_still_makes_lists_and_links(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _without_sofs_extensions(root)
    about = root / "content/pages/about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n\nWhat helped:\n•\tWeekly visits\n•\tA shared calendar\n\n"
        "See https://www.example.org/report.\n",
        encoding="utf-8",
    )
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "site/about/index.html").read_text(encoding="utf-8")
    assert "<li>Weekly visits</li>" in page and "<li>A shared calendar</li>" in page
    assert '<a href="https://www.example.org/report"' in page


def test_docs_out_writes_them_into_its_mkdocs_yml(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    _without_sofs_extensions(root)
    site = check_project(root, use_cache=False).site
    written = yaml.safe_load(renderer_settings(site, []))
    names = [next(iter(e)) if isinstance(e, dict) else e for e in written["markdown_extensions"]]
    assert names[-2:] == list(SOFS_MARKDOWN_EXTENSIONS)
    assert len(names) == len(set(names))
