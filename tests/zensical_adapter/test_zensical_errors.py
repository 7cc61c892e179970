"""When Zensical cannot build, `sofs build --renderer zensical` says why in plain words,
names the file and line, leaves `site/` as it was and never shows a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXED_TODAY, PROJECT, copy_project, run_sofs

from generator.zensical_adapter.messages import failure_of, warnings_of

FOOTER = "templates/theme/partials/sofs-footer.html"


def test_a_template_zensical_cannot_read_is_named_with_its_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    footer = root / FOOTER
    text = footer.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "{{ config.site_name }}" in row)
    footer.write_text(text.replace("{{ config.site_name }}", "{{ config.site_name.rstrip() }}"), "utf-8")
    result = run_sofs(root, "build", "--renderer", "zensical")
    assert result.returncode == 1
    assert f"{FOOTER}, line {line}: Zensical could not use this template" in result.stderr
    assert "string has no method named rstrip" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (root / "site").exists(), "nothing was built, so no site/ appears"
    assert run_sofs(root, "build").returncode == 0, "MkDocs' Jinja reads the same template"


def test_without_the_extra_the_build_says_how_to_install_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    # As on a machine without the extra: the import system finds no `zensical`.
    hide = (
        "import sys; sys.modules['zensical'] = None; from generator.cli.main import main; "
        "sys.exit(main(['build', '--renderer', 'zensical']))"
    )
    environment = {**os.environ, "SOFS_TODAY": FIXED_TODAY, "PYTHONPATH": str(PROJECT)}
    result = subprocess.run(
        [sys.executable, "-c", hide], cwd=root, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    assert "Zensical is not installed: pip install -e '.[zensical]'" in result.stderr
    assert not (root / "site").exists()


def test_offline_copies_are_left_to_mkdocs(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    result = run_sofs(root, "build", "--renderer", "zensical", "--offline")
    assert result.returncode == 1
    assert "--offline is not supported with --renderer zensical" in result.stderr
    assert "sofs build --offline" in result.stderr


def test_an_unknown_renderer_is_refused_by_name(tmp_path: Path) -> None:
    result = run_sofs(copy_project(tmp_path / "project"), "build", "--renderer", "hugo")
    assert result.returncode == 2
    assert "invalid choice: 'hugo'" in result.stderr and "zensical" in result.stderr


#: Zensical's report of a link to a missing page, as it writes it (colours taken out).
WARNING_OUTPUT = """Build started
Warning: page does not exist
    ╭─[ guide/index.md:37:19 ]
    │
 37 │ ## [Team stories](../feedback/index.md)
    │                   ──────────┬─────────
    │                             ╰─────────── page does not exist
────╯
1 issue found
"""


def test_warnings_name_the_generated_page_and_line() -> None:
    coloured = WARNING_OUTPUT.replace("Warning:", "\x1b[33mWarning:\x1b[0m")
    assert warnings_of(coloured) == ["Zensical: generated page guide/index.md, line 37: page does not exist"]
    assert warnings_of("Build started\nNo issues found\n") == []


def test_a_failure_outside_the_templates_is_told_plainly(tmp_path: Path) -> None:
    output = (
        "Traceback (most recent call last):\n  File ...\n"
        "zensical.config.ConfigurationError: site_dir must not be empty\n"
    )
    message = failure_of(output, tmp_path / "templates/theme", tmp_path)
    assert message.startswith("Zensical could not build the site: site_dir must not be empty.")
    assert "Traceback" not in message
    inside_zensical = 'RuntimeError: could not render include: error in "partials/nav.html" (in base.html:171): boom (in partials/nav.html:3)'
    assert failure_of(inside_zensical, tmp_path / "templates/theme", tmp_path).startswith(
        "Zensical's own partials/nav.html, line 3: Zensical could not use this template (boom)."
    )
