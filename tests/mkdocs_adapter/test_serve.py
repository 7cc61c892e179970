"""`sofs serve`: a real preview server that rebuilds on edits to content and templates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXED_TODAY
from serving import free_port, hear_interrupts, wait_for


@pytest.fixture
def server(project: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SOFS_TODAY": FIXED_TODAY}
    # The output goes to a file, not a pipe nobody reads while the test runs: each rebuild
    # reports the sample's warnings again, and a full pipe would stop the server.
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=hear_interrupts,
        )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output = log.read_text(encoding="utf-8")
        assert "Traceback" not in output, output


def test_serve_shows_drafts_and_reloads_content_and_template_edits(server: str, project: Path) -> None:
    base = server
    issue_url = base + "issues/010-meaningful-measures/"
    page = wait_for(issue_url, "Meaningful measures")
    assert "livereload" in page
    wait_for(base + "issues/011-signs-of-wellbeing/", "Preview only")

    issue = project / "content/issues/010-meaningful-measures.md"
    text = issue.read_text("utf-8").replace("Hello, and welcome", "Hello again, and welcome")
    issue.write_text(text, encoding="utf-8")
    wait_for(issue_url, "Hello again, and welcome")

    template = project / "templates/pages/issue.md.j2"
    template.write_text(template.read_text("utf-8") + "\nEdited template footer.\n", encoding="utf-8")
    wait_for(issue_url, "Edited template footer.")
