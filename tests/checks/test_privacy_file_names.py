"""Identifiers in the names of files the site copies as they are (pictures, PDFs)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from conftest import copy_project, run_sofs


def _picture() -> bytes:
    """A one-pixel PNG, made here so that the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_an_nhs_number_in_a_picture_name_is_a_located_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "content/files").mkdir(exist_ok=True)
    (root / "content/files/letter-943.476.5919.png").write_bytes(_picture())
    (root / "content/files/plan.png").write_bytes(_picture())
    result = run_sofs(root, "check")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "privacy." in line]
    assert lines == [
        "content/files/letter-943.476.5919.png: error: NHS number 943 *** **** in the file's name, "
        "which is published in its web address and every page that links to it: rename the file "
        "without it; if it is safe to publish, add it to privacy_allow in mkdocs.yml [privacy.nhs-number]"
    ]


def test_an_allowed_number_in_a_picture_name_passes(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "content/files").mkdir(exist_ok=True)
    (root / "content/files/helpline-0808-800-5000.png").write_bytes(_picture())
    text = (root / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(
        text.replace("      staff_names:", '      privacy_allow: ["0808 800 5000"]\n      staff_names:', 1),
        "utf-8",
    )
    result = run_sofs(root, "check")
    assert "privacy." not in result.stdout, result.stdout
