"""SpamAssassin (Debian's package, local tests only: no network look-ups) scores the
rendered `.eml` at most 0, with no rule changed or allowed: only an extra header that
lists each rule hit with its exact score is asked for, so the total is not rounded.

Needs /usr/bin/spamassassin (`apt-get install spamassassin`; `.ci/run` does it).
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
from email.policy import default
from pathlib import Path

import pytest
from conftest import copy_project, run_sofs
from email_samples import wide_issue_project

#: SpamAssassin names the header it adds `X-Spam-` and this.
SCORES_NAME = "Sofs-Scores"


def spamassassin_scores(eml: Path, home: Path) -> dict[str, float]:
    """Each rule SpamAssassin's local tests hit on `eml`, with its score."""
    program = shutil.which("spamassassin")
    assert program, "Debian's spamassassin is needed: apt-get install -y spamassassin (.ci/run does it)"
    home.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [program, "--local", "--test-mode", f"--cf=add_header all {SCORES_NAME} _TESTSSCORES(,)_"],
        input=eml.read_bytes(),
        capture_output=True,
        env={**os.environ, "HOME": str(home)},  # no one's own rules, lists or learning
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    checked = email.message_from_bytes(result.stdout, policy=default)
    listed = " ".join(str(checked["X-Spam-" + SCORES_NAME] or "").split())
    scores: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in listed.split(","))):
        rule, _, score = item.partition("=")
        scores[rule] = float(score)
    return scores


def _describe(scores: dict[str, float]) -> str:
    return ", ".join(f"{rule} {score:+.3f}" for rule, score in sorted(scores.items())) or "no rules"


@pytest.fixture(scope="module")
def emails(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sample = copy_project(tmp_path_factory.mktemp("sample") / "project")
    wide = wide_issue_project(tmp_path_factory.mktemp("wide") / "project")
    made = {}
    for name, root, number, extra in (
        ("issue 10", sample, "10", ()),
        ("issue 11 preview", sample, "11", ("--preview",)),
        ("issue 10 with a wide table", wide, "10", ()),
    ):
        out = root / f"out-{number}"
        result = run_sofs(root, "email", "render", number, *extra, "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        made[name] = out / f"0{number}.eml"
    return made


@pytest.mark.parametrize("which", ["issue 10", "issue 11 preview", "issue 10 with a wide table"])
def test_spamassassin_scores_the_email_at_most_zero(
    which: str, emails: dict[str, Path], tmp_path: Path
) -> None:
    scores = spamassassin_scores(emails[which], tmp_path / "home")
    print(f"SpamAssassin on {which}: {sum(scores.values()):+.3f} ({_describe(scores)})")
    assert "HTML_MESSAGE" in scores, "the scores header was read"
    assert sum(scores.values()) <= 0, f"{which} scores {sum(scores.values()):+.3f}: {_describe(scores)}"
    for rule in ("HTML_FONT_LOW_CONTRAST", "MIME_QP_LONG_LINE", "LONGLN_LOW_CONTRAST", "MIME_HTML_ONLY"):
        assert rule not in scores, _describe(scores)
