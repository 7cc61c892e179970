"""Privacy of what is built: nothing from a draft, a future issue or the subscriber list
reaches any file of `site/` (pages, search index, sitemap, feeds, email copies).

Every file is read as text (gzip unpacked, JSON strings joined, HTML entities decoded,
tags dropped) and cut into runs of six words. Each hidden item's title, summary, file name
and every six-word run of its text that no published file also contains must be absent. A
control checks that the same scan does find the published issue, so a scan that reads
nothing cannot pass.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXED_TODAY, copy_project, run_sofs

from generator.checks.project import check_project

RUN = 6
SUBSCRIBERS = ("private.reader@example.net", "Jo.Bloggs@Council.Example.gov.uk")

FUTURE_STORY = """---
title: "Kinship carers pilot in Blyth"
team: first-contact
issue: 12
date: 2026-06-01
measures: [3]
anonymisation_reviewed_by: "Team manager, Assessment"
anonymisation_reviewed_on: 2026-01-10
---

Three kinship carers in Blyth agreed to trial the new family network meeting format before anyone else.
"""


def words(text: str) -> list[str]:
    text = html.unescape(html.unescape(text))
    text = re.sub(r"<[^>]+>", " ", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text: str) -> set[str]:
    """Every six-word run inside one line or one stretch between HTML tags (so that two
    unrelated texts that happen to stand side by side do not make a run)."""
    found: set[str] = set()
    for piece in re.split(r"<[^>]*>|\n", html.unescape(text)):
        seen = words(piece)
        found.update(" ".join(seen[i : i + RUN]) for i in range(len(seen) - RUN + 1))
    return found


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def published_files(site: Path) -> Iterator[tuple[str, str]]:
    """Every file of the built site as (path, text)."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        if path.suffix == ".json":
            text = "\n".join(strings(json.loads(text)))
        yield path.relative_to(site).as_posix(), text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("privacy") / "project")
    current = (root / "content/issues/010-meaningful-measures.md").read_text("utf-8")
    future = (
        current.replace("issue: 10", "issue: 12", 1)
        .replace("date: 2025-09-01", "date: 2026-06-01", 1)
        .replace(re.search(r"^examples: .*\n", current, re.M).group(0), "", 1)  # type: ignore[union-attr]
        .replace(
            re.search(r'^summary: ".*"$', current, re.M).group(0), 'summary: "The pilot, month by month."'
        )  # type: ignore[union-attr]
        .replace(
            "approved_on: 2025-08-28", "approved_on: 2026-01-12", 1
        )  # signed off after the story's review
        .replace(
            re.search(r'^title: ".*"$', current, re.M).group(0), 'title: "Kinship care: the spring pilot"'
        )  # type: ignore[union-attr]
        .replace(
            "Hello, and welcome",
            "Our kinship care pilot starts in the spring with families in Blyth and Cramlington.\n"
            "The pilot team will report back to the practice forum in July with what the families said.\n\n"
            "Hello, and welcome",
            1,
        )
    )
    (root / "content/issues/012-kinship-pilot.md").write_text(future, "utf-8")
    (root / "content/feedback/assessment-kinship-pilot.md").write_text(FUTURE_STORY, "utf-8")
    approved = run_sofs(root, "approve", "12")  # the copied approval does not cover the new text
    assert approved.returncode == 0, approved.stdout + approved.stderr
    added = run_sofs(root, "subscribers", "add", *SUBSCRIBERS)
    assert added.returncode == 0, added.stderr
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def hidden_and_published(root: Path) -> tuple[list[tuple[str, list[str], str]], set[str]]:
    """(file, exact phrases, text) of each hidden item, and the word runs of everything shown."""
    site = check_project(root).site
    today = dt.date.fromisoformat(FIXED_TODAY)
    hidden_issues = {i.number for i in site.issues if i.status != "published" or i.date > today}
    assert len(hidden_issues) == 2  # the draft issue 11 and the future issue 12
    hidden: list[tuple[str, list[str], str]] = []
    shown_text: list[str] = [(root / "mkdocs.yml").read_text("utf-8")]
    shown_text += [p.read_text("utf-8") for p in (root / "templates").rglob("*") if p.is_file()]
    for issue in site.issues:
        if issue.number in hidden_issues:
            hidden.append((issue.origin.path, [issue.title, issue.summary, issue.slug], issue.body))
        else:
            shown_text.append((root / issue.origin.path).read_text("utf-8"))
    for story in site.stories:
        if story.issue in hidden_issues or story.date > today:
            hidden.append((story.origin.path, [story.title, story.slug], story.body))
        else:
            shown_text.append((root / story.origin.path).read_text("utf-8"))
    for group in (site.measures, site.principles, site.processes, site.variants, site.tools, site.pages):
        shown_text += [(root / item.origin.path).read_text("utf-8") for item in group]
    return hidden, set().union(*(runs(text) for text in shown_text))


def test_nothing_hidden_or_private_is_published(built: Path) -> None:
    files = list(published_files(built / "site"))
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "feed.xml", "atom.xml"} <= {
        name for name, _ in files
    }
    assert any(name.startswith("email/") for name, _ in files)
    site_words = {name: " ".join(words(text)) for name, text in files}
    site_runs = set().union(*(runs(text) for _, text in files))
    site_raw = {name: text.lower() for name, text in files}

    hidden, shown = hidden_and_published(built)
    leaks: list[str] = []
    for path, phrases, body in hidden:
        for phrase in phrases:
            needle = " ".join(words(phrase))
            leaks += [f"{path}: {phrase!r} in {name}" for name, text in site_words.items() if needle in text]
        secret = runs(body) - shown
        assert len(secret) >= 10, path  # enough of the text is its own to be looked for
        leaks += [f"{path}: {run!r}" for run in sorted(secret & site_runs)]
    listed = run_sofs(built, "subscribers", "list")
    addresses = [line.strip().lower() for line in listed.stdout.splitlines() if "@" in line]
    assert sorted(addresses) == sorted(a.lower() for a in SUBSCRIBERS)
    for address in addresses:
        leaks += [f"subscriber {address} in {name}" for name, text in site_raw.items() if address in text]
    assert not [p for p in (built / "site").rglob("*") if p.suffix in (".sqlite", ".db", ".csv", ".eml")]
    assert leaks == [], "\n".join(leaks)


def test_the_scan_finds_what_is_published(built: Path) -> None:
    site_runs = set().union(*(runs(text) for _, text in published_files(built / "site")))
    issue = (built / "content/issues/010-meaningful-measures.md").read_text("utf-8")
    body_runs = runs(issue.split("\n---\n", 1)[1])
    assert len(body_runs & site_runs) > 0.8 * len(body_runs)
    assert "meaningful measures counting what counts" in " ".join(words(issue))
