"""`sofs build --docs-out`: a docs tree any mkdocs.yml renderer can build without our plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import run_sofs


def test_docs_tree_builds_with_plain_mkdocs(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    result = run_sofs(project, "build", "--docs-out", str(out))
    assert result.returncode == 0, result.stderr
    settings = yaml.safe_load((out / "mkdocs.yml").read_text("utf-8"))
    assert all(p != "sofs" and not (isinstance(p, dict) and "sofs" in p) for p in settings["plugins"])
    assert settings["docs_dir"] == "docs"
    assert (out / "docs/issues/010-meaningful-measures.md").is_file()
    assert not (out / "docs/issues/011-signs-of-wellbeing.md").exists()
    assert not (project / "content/issues/index.md").exists()

    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=out, capture_output=True, text=True, timeout=300
    )
    assert built.returncode == 0, built.stderr
    index = json.loads((out / "site/search/search_index.json").read_text("utf-8"))
    assert any(doc["location"].startswith("tools/harm-matrix/") for doc in index["docs"])


def test_docs_tree_is_not_written_when_content_has_errors(project: Path, tmp_path: Path) -> None:
    (project / "content/tools/harm-matrix.md").write_text("---\nname: [\n---\n", encoding="utf-8")
    result = run_sofs(project, "build", "--docs-out", str(tmp_path / "tree"))
    assert result.returncode == 1
    assert not (tmp_path / "tree").exists()
