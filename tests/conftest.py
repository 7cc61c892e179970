"""Shared test helpers: project copies, running the real `sofs` command, golden files.

Golden files live in tests/golden/. To regenerate them on purpose after an intended
change, run the tests with SOFS_UPDATE_GOLDEN=1 and review the diff before committing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXED_TODAY = "2026-01-15"


def copy_project(destination: Path, content_from: Path | None = None) -> Path:
    """A throwaway copy of the sample project (mkdocs.yml, templates, content)."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(PROJECT / "templates", destination / "templates")
    shutil.copytree(content_from or PROJECT / "content", destination / "content")
    return destination


#: The file name of the team story `add_draft_story` writes for the draft issue 11.
DRAFT_STORY_FILE = "content/feedback/draft-story.md"


def add_draft_story(root: Path) -> Path:
    """Write a team story for the sample's draft issue 11 (the sample has none) and return it:
    it must stay out of the site with its issue, and shows in previews and `--drafts`."""
    story = root / DRAFT_STORY_FILE
    story.write_text(
        '---\ntitle: "A story for the draft issue"\nteam: first-contact\nissue: 11\n'
        "date: 2025-12-01\nmeasures: [1]\ntools: [scaling-questions]\n---\n\n"
        "The team's story for the next issue.\n",
        encoding="utf-8",
    )
    return story


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample project in a temporary folder."""
    return copy_project(tmp_path / "site-project")


def run_sofs(
    root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real `sofs` command line in `root`, with a fixed 'today'."""
    environment = {**os.environ, "SOFS_TODAY": FIXED_TODAY, **(env or {})}
    environment.pop("SOFS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def sofs() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_sofs


def assert_golden(name: str, actual: str | bytes) -> None:
    """Compare with tests/golden/NAME byte for byte (SOFS_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / name
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if os.environ.get("SOFS_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {path}; run with SOFS_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    if isinstance(actual, str):
        assert data.decode("utf-8") == expected.decode("utf-8")
    else:
        assert data == expected


def fixture_project(destination: Path, *overlays: str) -> Path:
    """The minimal fixture site with each overlay from tests/fixtures/ applied in turn.

    An overlay folder holds files that are added or replaced, and optionally a
    `remove.txt` listing paths (one a line) to delete from the result.
    """
    root = copy_project(destination, content_from=FIXTURES / "minimal" / "content")
    shutil.copy2(FIXTURES / "minimal" / "mkdocs.yml", root / "mkdocs.yml")
    for overlay in overlays:
        source = FIXTURES / overlay
        for file in sorted(source.rglob("*")):
            relative = file.relative_to(source)
            if file.is_dir() or relative.as_posix() == "remove.txt":
                continue
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, root / relative)
        removals = source / "remove.txt"
        if removals.exists():
            for line in removals.read_text(encoding="utf-8").split():
                target = root / line
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)
    return root


def approve_again(root: Path, *numbers: int) -> None:
    """Seal the approval of each issue in `numbers` over its text as it reads now, keeping its
    `approved_by` and `approved_on`: a test that edits a signed-off issue stands for an edit
    the practice lead reviewed and approved again (`sofs approve` would also set its own name
    and today's date, and refuses while the issue has problems a test may want to see)."""
    from generator.checks.approval_digest import approval_digest
    from generator.content.loader import load_site
    from generator.publish.approval_lines import apply_sign_off, plan_sign_off
    from generator.settings.reader import load_settings

    settings, _ = load_settings(root)
    site, _ = load_site(settings)
    for issue in site.issues:
        if issue.number in numbers:
            digest = approval_digest(
                site, issue, approved_by=issue.approved_by, approved_on=issue.approved_on
            )
            assert digest is not None, f"issue {issue.number} could not be read"
            change = plan_sign_off(
                root / issue.origin.path, issue.origin.path, {"approved_sha256": digest.sha256}
            )
            apply_sign_off(change)
