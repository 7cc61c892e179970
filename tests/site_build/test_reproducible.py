"""Reproducible builds: the same content gives the same `site/`, byte for byte, whenever and
wherever it is built."""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import re
import struct
import time
from pathlib import Path

import pytest
from conftest import copy_project, run_sofs

NEWEST_SHOWN = dt.date(2025, 9, 1)  # issue 10; issue 11 is a draft


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build(root: Path, today: str, hash_seed: str, **env: str) -> dict[str, bytes]:
    result = run_sofs(root, "build", env={"SOFS_TODAY": today, "PYTHONHASHSEED": hash_seed, **env})
    assert result.returncode == 0, result.stdout + result.stderr
    return tree_bytes(root / "site")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build(copy_project(tmp_path_factory.mktemp("first")), "2026-01-15", "1")


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    names = sorted(set(first) | set(second))
    return [name for name in names if first.get(name) != second.get(name)]


def test_building_again_later_elsewhere_gives_identical_bytes(
    first_build: dict[str, bytes], tmp_path: Path
) -> None:
    # Real time passes (any clock reading would change), "today" moves on without showing
    # another issue, the hash seed (set and dict order) differs, and so does the folder.
    time.sleep(1.5)
    second = build(copy_project(tmp_path / "elsewhere" / "copy"), "2026-03-02", "2")
    assert differences(first_build, second) == []
    for expected in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "feed.xml", "atom.xml"):
        assert expected in second, expected
    assert any(name.startswith("assets/") for name in second)


def test_rebuilding_in_place_changes_nothing(first_build: dict[str, bytes], tmp_path: Path) -> None:
    root = copy_project(tmp_path / "again")
    build(root, "2026-01-15", "3")
    time.sleep(1.5)
    assert differences(first_build, build(root, "2026-01-16", "4")) == []


def test_sitemap_dates_come_from_the_newest_shown_issue(first_build: dict[str, bytes]) -> None:
    epoch = calendar.timegm(NEWEST_SHOWN.timetuple())
    packed = first_build["sitemap.xml.gz"]
    (mtime,) = struct.unpack("<I", packed[4:8])  # the gzip header's own timestamp
    assert mtime == epoch
    assert gzip.decompress(packed) == first_build["sitemap.xml"]
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", first_build["sitemap.xml"].decode("utf-8")))
    assert dates == {NEWEST_SHOWN.isoformat()}


def test_feed_dates_come_from_the_newest_shown_issue(first_build: dict[str, bytes]) -> None:
    rss = first_build["feed.xml"].decode("utf-8")
    atom = first_build["atom.xml"].decode("utf-8")
    assert re.findall(r"<lastBuildDate>([^<]+)</lastBuildDate>", rss) == ["Mon, 01 Sep 2025 00:00:00 +0100"]
    assert re.findall(r"<updated>([^<]+)</updated>", atom)[0] == "2025-09-01T00:00:00+01:00"


def test_source_date_epoch_from_the_environment_is_honoured(tmp_path: Path) -> None:
    epoch = 1_700_000_000  # 2023-11-14T22:13:20Z; MkDocs keeps the day only
    site = build(copy_project(tmp_path / "sde"), "2026-01-15", "5", SOURCE_DATE_EPOCH=str(epoch))
    (mtime,) = struct.unpack("<I", site["sitemap.xml.gz"][4:8])
    assert mtime == calendar.timegm(dt.date(2023, 11, 14).timetuple())
    assert "<lastmod>2023-11-14</lastmod>" in site["sitemap.xml"].decode("utf-8")
