"""`sofs serve` after an edit renders only the changed pages, yet its search index and
pages are those a full build makes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DRAFT_STORY_FILE, FIXED_TODAY, add_draft_story, run_sofs
from serving import free_port, hear_interrupts, wait_for


@pytest.fixture
def served(project: Path) -> Iterator[tuple[str, Path]]:
    add_draft_story(project)
    port = free_port()
    env = {**os.environ, "SOFS_TODAY": FIXED_TODAY}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=hear_interrupts,
    )
    try:
        yield f"http://127.0.0.1:{port}/", project
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        assert "Traceback" not in output, output
        assert "dirty" not in output, output


def _search_index(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url + "search/search_index.json", timeout=10) as response:
        return dict(json.loads(response.read().decode("utf-8")))


def test_an_edit_keeps_the_search_index_whole_and_the_page_true(served: tuple[str, Path]) -> None:
    base, project = served
    issue_url = base + "issues/011-signs-of-wellbeing/"
    wait_for(issue_url, "Preview only")
    issue = project / "content/issues/011-signs-of-wellbeing.md"
    text = issue.read_text("utf-8").replace("## Principles\n", "## Principles\n\nA brand new sentence.\n", 1)
    issue.write_text(text, encoding="utf-8")
    wait_for(issue_url, "A brand new sentence.")
    story = project / DRAFT_STORY_FILE
    story.write_text(story.read_text("utf-8").replace("for the next issue", "for the edited issue"), "utf-8")
    wait_for(issue_url, "for the edited issue")
    previewed = _search_index(base)

    built = run_sofs(project, "build", "--drafts")
    assert built.returncode == 0, built.stdout + built.stderr
    full = json.loads((project / "site/search/search_index.json").read_text("utf-8"))
    assert previewed == full
