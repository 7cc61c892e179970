"""Only what the site needs is copied: real `sofs check` and `sofs build` (and `--docs-out`,
and plain `mkdocs build` with the plugin) of project copies with stray files in content/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, run_sofs

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="A plan"><rect width="1" height="1"/></svg>'

#: Every type of file a built sample site holds: the theme's (css, js, source maps, the
#: favicon), the pages, feeds and sitemap (and its .gz), the search index and the email text.
SAMPLE_SITE_TYPES = {".css", ".gz", ".html", ".js", ".json", ".map", ".png", ".txt", ".xml"}
#: What the content folder may add: pictures and PDFs.
PICTURE_TYPES = {".png", ".jpg", ".gif", ".webp", ".avif", ".svg", ".pdf"}
#: Good pictures to put in content/, by path.
PICTURES = {
    "images/chart.png": PNG,
    "images/photo.jpg": JPEG,
    "images/anim.gif": GIF,
    "images/pic.webp": WEBP,
    "images/pic.avif": AVIF,
    "images/plan.svg": SVG,
    "pages/leaflet.pdf": PDF,
}
#: Backups, temporary and hidden files: warnings, never copied.
LEFT_BY_EDITORS = {
    "issues/011-signs-of-wellbeing.md~": b"---\ntitle: old\n---\nJayden Smith, aged 7\n",
    "issues/010-meaningful-measures.md.bak": b"old draft",
    "issues/.010-meaningful-measures.md.swp": b"swap",
    "issues/#010-meaningful-measures.md#": b"autosave",
    "pages/.~lock.report.docx#": b"lock",
    "pages/~$report.docx": b"owner",
    ".DS_Store": b"\x00\x00\x00\x01Bud1",
    "images/Thumbs.db": b"thumbs",
    "notes.tmp": b"temporary",
    ".env": b"SMTP_PASSWORD=secret",
    ".obsidian/workspace.json": b"{}",
    ".gitkeep": b"",
}
#: Files sofs check refuses, with the code it gives each.
REFUSED = {
    "issues/012-next.markdown": (b"---\ntitle: x\n---\n", "file.markdown-name"),
    "pages/about-us.MD": (b"---\ntitle: x\n---\n", "file.markdown-name"),
    "staff.csv": (b"name,phone\nSam Jones,07700 900123\n", "file.data"),
    "data/cases.sqlite": (b"SQLite format 3\x00" + bytes(84), "file.data"),
    "data/cases.db": (b"SQLite format 3\x00" + bytes(84), "file.data"),
    "data/export.json": (b'{"child": "x"}', "file.data"),
    "pages/old.html": (b"<html><script>alert(1)</script></html>", "file.web"),
    "pages/print.css": (b"body { display: none }", "file.web"),
    "pages/menu.js": (b"alert(1)", "file.program"),
    "tools/export.py": (b"print(1)", "file.program"),
    "images/bad.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
        "file.svg",
    ),
    "images/fake.png": (b"<!DOCTYPE html><script>alert(1)</script>", "file.disguised"),
    "pages/report.docx": (b"PK\x03\x04", "file.type"),
    "LICENSE": (b"MIT", "file.type"),
}


def types_in(folder: Path) -> Counter[str]:
    """How many files of each type (lowercase ending) `folder` holds; a file without an
    ending counts by its name."""
    return Counter(p.suffix.lower() or p.name for p in folder.rglob("*") if p.is_file())


def add_files(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_a_built_sample_holds_only_the_expected_types_of_file(project: Path, tmp_path: Path) -> None:
    built = run_sofs(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    found = types_in(project / "site")
    assert set(found) - {".sofs-site"} == SAMPLE_SITE_TYPES, found
    assert found[".png"] == 1 and (project / "site/assets/images/favicon.png").is_file()
    assert found[".txt"] == len(list((project / "site/email").glob("*.txt")))

    out = tmp_path / "tree"
    tree = run_sofs(project, "build", "--docs-out", str(out))
    assert tree.returncode == 0, tree.stdout + tree.stderr
    # The docs tree: generated pages, feeds and email copies; the theme folder is the project's.
    assert set(types_in(out / "docs")) == {".md", ".xml", ".txt", ".html"}
    assert {p.parent.name for p in (out / "docs").rglob("*.html")} == {"email"}


def test_check_names_every_stray_file_with_what_to_do(project: Path) -> None:
    add_files(project, {**LEFT_BY_EDITORS, **{path: data for path, (data, _) in REFUSED.items()}})
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for relative, (_, code) in REFUSED.items():
        found = [line for line in lines if line.startswith(f"content/{relative}:")]
        assert len(found) == 1, (relative, found)
        assert re.search(rf": error: .*\[{re.escape(code)}\]$", found[0]), found[0]
    assert any(line.startswith("content/images/bad.svg:2: error: ") for line in lines)
    assert 'rename it to "012-next.md"' in result.stdout and 'rename it to "about-us.md"' in result.stdout
    assert (
        '`extra_file_types: [".docx"]`' in result.stdout and '`extra_file_types: [".csv"]`' in result.stdout
    )
    warned = [line.split(":")[0] for line in lines if ": warning: " in line and "[example." not in line]
    expected = {f"content/{relative}" for relative in LEFT_BY_EDITORS if relative != ".gitkeep"}
    expected = {"content/.obsidian" if "/.obsidian/" in path else path for path in expected}
    assert set(warned) == expected
    assert "content/.gitkeep" not in result.stdout

    built = run_sofs(project, "build")
    assert built.returncode == 1
    assert not (project / "site").exists()


def test_backups_do_not_stop_a_build_and_only_pictures_and_pdfs_are_copied(
    project: Path, tmp_path: Path
) -> None:
    add_files(project, {**PICTURES, **LEFT_BY_EDITORS})
    built = run_sofs(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "file.backup" in built.stdout and "Built " in built.stdout
    site = project / "site"
    assert set(types_in(site)) - {".sofs-site"} == SAMPLE_SITE_TYPES | PICTURE_TYPES
    for relative, data in PICTURES.items():
        assert (site / relative).read_bytes() == data
    for relative in LEFT_BY_EDITORS:
        assert not (site / relative).exists(), relative
    assert not (site / ".obsidian").exists()
    assert "Jayden" not in "".join(p.read_text("utf-8", "replace") for p in site.rglob("*.html"))

    out = tmp_path / "tree"
    tree = run_sofs(project, "build", "--docs-out", str(out))
    assert tree.returncode == 0, tree.stdout + tree.stderr
    assert set(types_in(out / "docs")) == {".md", ".xml", ".txt", ".html"} | PICTURE_TYPES
    for relative in PICTURES:
        assert (out / "docs" / relative).is_file()
    for relative in LEFT_BY_EDITORS:
        assert not (out / "docs" / relative).exists(), relative


def test_types_mkdocs_yml_allows_are_copied_and_never_allowed_ones_are_refused(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("  - sofs:\n", '  - sofs:\n      extra_file_types: [".docx", "csv"]\n'), "utf-8"
    )
    add_files(project, {"pages/report.docx": b"PK\x03\x04rest", "pages/figures.csv": b"year,count\n2025,4\n"})
    built = run_sofs(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "report.docx" not in built.stdout and "figures.csv" not in built.stdout
    assert (project / "site/pages/report.docx").is_file() and (project / "site/pages/figures.csv").is_file()

    config.write_text(
        text.replace("  - sofs:\n", '  - sofs:\n      extra_file_types: [".docx", ".html"]\n'), "utf-8"
    )
    checked = run_sofs(project, "check")
    line = next(
        number
        for number, row in enumerate(config.read_text("utf-8").splitlines(), 1)
        if "extra_file_types" in row
    )
    assert re.search(
        rf'^mkdocs\.yml:{line}: error: "extra_file_types" has "\.html" cannot be allowed: web pages',
        checked.stdout,
        re.M,
    ), checked.stdout
    assert checked.returncode == 1


def test_plain_mkdocs_build_copies_only_what_the_rule_allows(project: Path) -> None:
    add_files(project, {**PICTURES, **LEFT_BY_EDITORS})
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOFS_TODAY": FIXED_TODAY},
    )
    assert built.returncode == 0, built.stderr
    site = project / "site"
    assert set(types_in(site)) - {".sofs-site"} == SAMPLE_SITE_TYPES | PICTURE_TYPES
    for relative in LEFT_BY_EDITORS:
        assert not (site / relative).exists(), relative


@pytest.mark.parametrize("stray", ["pages/old.html", "staff.csv", "issues/012-next.markdown"])
def test_plain_mkdocs_build_stops_on_a_refused_file(project: Path, stray: str) -> None:
    add_files(project, {stray: REFUSED[stray][0]})
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode != 0
    assert f"content/{stray}" in built.stderr
    assert not (project / "site" / stray).exists()
