"""An issue's cover picture (`image:` with `image_alt:`) and the masthead's `logo`: each must
be a picture in the content folder, and a cover needs words for readers who cannot see it."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path

import pytest
from conftest import fixture_project

from generator.checks.project import check_project
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.pages import generate_docs

ISSUE = "content/issues/001-first-issue.md"
TODAY_TEXT = "2026-01-15"


def tiny_png() -> bytes:
    """A real 1 x 1 PNG, so the content-file rule copies it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x1d\x4f\x91"))
        + chunk(b"IEND", b"")
    )


def with_front_matter(root: Path, lines: str) -> None:
    path = root / ISSUE
    text = path.read_text("utf-8")
    path.write_text(text.replace("status: published\n", f"status: published\n{lines}", 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    result = check_project(root, today=dt.date.fromisoformat(TODAY_TEXT))
    return [str(d) for d in result.report.diagnostics if d.code.startswith(("issue.image", "config.logo"))]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = fixture_project(tmp_path / "site")
    (root / "content/images").mkdir()
    (root / "content/images/cover.png").write_bytes(tiny_png())
    return root


def test_a_cover_with_alt_text_is_shown_on_the_issue_and_its_card(site: Path) -> None:
    with_front_matter(site, 'image: images/cover.png\nimage_alt: "A family network meeting"\n')
    assert problems(site) == []
    context = check_project(site, today=dt.date.fromisoformat(TODAY_TEXT)).context
    pages = generate_docs(BuildContext(context.site, Visibility(dt.date(2026, 1, 15)))).pages
    assert (
        "![A family network meeting](../images/cover.png){: .sofs-cover__image }"
        in pages["issues/001-first-issue.md"]
    )
    card = (
        '<img class="sofs-card__image" src="images/cover.png" alt="A family network meeting" loading="lazy">'
    )
    assert card in pages["index.md"]
    assert card.replace('src="images/', 'src="../images/') in pages["issues/index.md"]


def test_a_cover_without_alt_text_is_an_error_at_its_line(site: Path) -> None:
    with_front_matter(site, "image: images/cover.png\n")
    assert problems(site) == [
        f"{ISSUE}:7: error: the cover picture needs `image_alt:`, a few words saying what it shows for "
        'readers who cannot see it, like `image_alt: "A family network meeting"` [issue.image-alt]'
    ]


@pytest.mark.parametrize(
    ("written", "why"),
    [
        (
            "images/missing.png",
            "there is no picture content/images/missing.png; add the file there or "
            "correct the path (it is relative to the content folder)",
        ),
        (
            "images/notes.txt",
            "'images/notes.txt' is not a picture; use a PNG, JPEG, GIF, WebP, AVIF or "
            "SVG file, like `images/issue-12-cover.jpg`",
        ),
        (
            "../outside.png",
            "should be the path of a picture inside the content/ folder, like "
            "`images/issue-12-cover.jpg`; found '../outside.png'",
        ),
        (
            "https://example.org/a.png",
            "should be the path of a picture inside the content/ folder, like "
            "`images/issue-12-cover.jpg`; found 'https://example.org/a.png'",
        ),
    ],
)
def test_a_cover_that_is_not_a_picture_in_the_content_folder_is_an_error(
    site: Path, written: str, why: str
) -> None:
    with_front_matter(site, f'image: "{written}"\nimage_alt: "A family network meeting"\n')
    assert problems(site) == [f'{ISSUE}:7: error: "image" {why} [issue.image]']


def test_alt_text_must_describe_and_needs_a_picture(site: Path) -> None:
    with_front_matter(site, 'image: images/cover.png\nimage_alt: "cover.png"\n')
    assert problems(site) == [
        f'{ISSUE}:8: error: "image_alt" should say what the picture shows, not its file name; '
        "found 'cover.png' [issue.image-alt]"
    ]
    fresh = site.parent / "fresh"
    root = fixture_project(fresh)
    with_front_matter(root, 'image_alt: "A family network meeting"\n')
    assert problems(root) == [
        f'{ISSUE}:7: warning: "image_alt" describes a cover picture, but there is no `image:`; '
        "add the picture or remove the line [issue.image-alt]"
    ]


def test_a_logo_that_is_not_there_is_an_error_in_the_settings(site: Path) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("      mailbox:", "      logo: images/logo.svg\n      mailbox:", 1), "utf-8"
    )
    line = config.read_text("utf-8").split("\n").index("      logo: images/logo.svg") + 1
    assert problems(site) == [
        f'mkdocs.yml:{line}: error: "logo" there is no picture content/images/logo.svg; add the file '
        "there or correct the path (it is relative to the content folder) [config.logo]"
    ]
    config.write_text(
        text.replace("      mailbox:", "      logo: images/cover.png\n      mailbox:", 1), "utf-8"
    )
    assert problems(site) == []
