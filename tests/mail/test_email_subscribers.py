"""`sofs subscribers`: validation, case-insensitive merging, CSV import by line, privacy."""

from __future__ import annotations

from pathlib import Path

from conftest import run_sofs
from email_helpers import addresses, write_csv


def test_add_list_remove(project: Path) -> None:
    added = run_sofs(project, "subscribers", "add", "Jo.Bloggs@Example.org", "sam@example.org")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added Jo.Bloggs@example.org.\nAdded sam@example.org.\n"
    again = run_sofs(project, "subscribers", "add", "jo.bloggs@EXAMPLE.ORG")
    assert again.stdout == "jo.bloggs@example.org is already subscribed.\n"
    listed = run_sofs(project, "subscribers", "list")
    assert listed.stdout == "Jo.Bloggs@example.org\nsam@example.org\n"
    assert listed.stderr == "2 subscribers in data/subscribers.sqlite.\n"
    removed = run_sofs(project, "subscribers", "remove", "JO.BLOGGS@example.org")
    assert removed.returncode == 0 and removed.stdout == "Removed JO.BLOGGS@example.org.\n"
    missing = run_sofs(project, "subscribers", "remove", "nobody@example.org")
    assert (missing.returncode, missing.stderr) == (1, "error: nobody@example.org is not on the list\n")
    assert run_sofs(project, "subscribers", "list").stdout == "sam@example.org\n"
    assert (project / "data/subscribers.sqlite").is_file()


def test_a_bad_address_is_refused_with_the_reason(project: Path) -> None:
    result = run_sofs(project, "subscribers", "add", "not-an-address", "ok@example.org")
    assert result.returncode == 1
    assert result.stderr.startswith('error: "not-an-address" is not a usable email address: ')
    assert result.stdout == "Added ok@example.org.\n"
    assert "Traceback" not in result.stderr


def test_import_reports_each_bad_row_by_line_and_keeps_the_good(project: Path) -> None:
    csv = write_csv(
        project / "staff.csv",
        [
            "Ann@example.org,Ann",
            "not an address,Bob",
            "ann@EXAMPLE.org,Ann again",
            ",Nobody",
            "",
            "carol@example.org,Carol",
            "dave@@example.org,Dave",
        ],
        header="Email,Name",
    )
    result = run_sofs(project, "subscribers", "import", str(csv))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f'{csv}:3: error: "not an address" is not a usable email address')
    assert lines[0].endswith("row skipped [subscriber.invalid]")
    assert (
        lines[1]
        == f"{csv}:5: error: the row has no address in the email column; row skipped [subscriber.invalid]"
    )
    assert lines[2].startswith(f"{csv}:8: error: ")
    assert (
        lines[3]
        == f"Imported {csv} into data/subscribers.sqlite: 2 added, 1 already subscribed, 3 rows skipped."
    )
    assert run_sofs(project, "subscribers", "list").stdout == "Ann@example.org\ncarol@example.org\n"


def test_import_without_a_header_uses_the_first_column(project: Path) -> None:
    csv = project / "plain.csv"
    csv.write_text("a@example.org\nb@example.org\n", "utf-8")
    result = run_sofs(project, "subscribers", "import", str(csv))
    assert result.returncode == 0, result.stdout
    assert "2 added" in result.stdout


def test_import_of_a_missing_or_binary_file_is_explained(project: Path) -> None:
    missing = run_sofs(project, "subscribers", "import", "nowhere.csv")
    assert missing.returncode == 1
    assert (
        missing.stderr
        == "error: nowhere.csv does not exist; give the path of a CSV file; nothing was imported\n"
    )
    binary = project / "sheet.csv"
    binary.write_bytes(b"\xff\xfe\x00a\x00b")
    result = run_sofs(project, "subscribers", "import", str(binary))
    assert result.returncode == 1 and "is not UTF-8 text" in result.stderr


def test_the_list_file_is_configurable_but_never_inside_site_or_content(project: Path) -> None:
    config = project / "mkdocs.yml"
    original = config.read_text("utf-8")
    config.write_text(
        original.replace(
            "      timezone: Europe/London\n",
            "      timezone: Europe/London\n      subscribers_db: private/list.db\n",
        ),
        "utf-8",
    )
    assert run_sofs(project, "subscribers", "add", "a@example.org").returncode == 0
    assert (project / "private/list.db").is_file()
    for folder in ("site", "content"):
        config.write_text(
            original.replace(
                "      timezone: Europe/London\n",
                f"      timezone: Europe/London\n      subscribers_db: {folder}/x.db\n",
            ),
            "utf-8",
        )
        line = config.read_text("utf-8").splitlines().index(f"      subscribers_db: {folder}/x.db") + 1
        check = run_sofs(project, "check")
        assert check.returncode == 1
        assert (
            f"mkdocs.yml:{line}: error: \"subscribers_db\" '{folder}/x.db' is inside {folder}/"
            in check.stdout
        )
        refused = run_sofs(project, "subscribers", "add", "b@example.org")
        assert refused.returncode == 1
        assert not (project / folder / "x.db").exists()


def test_subscriber_addresses_never_reach_the_built_site(project: Path) -> None:
    people = addresses(20)
    assert (
        run_sofs(project, "subscribers", "import", str(write_csv(project / "p.csv", people))).returncode == 0
    )
    assert run_sofs(project, "build").returncode == 0
    built = b"".join(p.read_bytes() for p in (project / "site").rglob("*") if p.is_file())
    assert b"reader0" not in built
    assert not list((project / "site").rglob("*.sqlite"))
