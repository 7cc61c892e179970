"""Projects for the email tests: the sample, and the sample with issue 10 made hard to fit
on a phone (a wide five-column table, a long address and URL, a picture wider than the
email)."""

from __future__ import annotations

from pathlib import Path

from conftest import approve_again, copy_project

LONG_URL = (
    "https://www.northumberland.gov.uk/Children/Safeguarding/Signs-of-Safety/"
    "practice-resources/meaningful-measures-counting-guidance-2025-edition.pdf"
)
LONG_ADDRESS = "signsofsafety.measures.team@northumberland.gov.uk"
WIDE_TABLE = (
    "| Measure | Families supported | Plans reviewed on time | Children safely at home | Contact |\n"
    "|---|---|---|---|---|\n"
    "| Keeping children safe, supported and improving their lives | 1,234 | 87% | 412 "
    f"| {LONG_ADDRESS} |\n"
    f"| Supporting families to stay together | 987 | 91% | 377 | {LONG_URL} |\n"
)
#: A picture of the site wider than the email (800 by 400), as `content/images/` holds them.
WIDE_PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400">'
    '<rect width="800" height="400" fill="#1d70b8"/></svg>\n'
)
PICTURE_ALT = "A bar chart of the five measures"


def wide_issue_project(destination: Path) -> Path:
    """A copy of the sample whose issue 10 opens its welcome with `WIDE_TABLE`, a sentence
    holding `LONG_URL` and `LONG_ADDRESS`, and `WIDE_PICTURE`; re-approved."""
    root = copy_project(destination)
    config = root / "mkdocs.yml"
    mailbox = "      mailbox: signsofsafety@northumberland.gov.uk\n"
    assert mailbox in config.read_text("utf-8")
    config.write_text(
        config.read_text("utf-8").replace(mailbox, mailbox + f"      privacy_allow: [{LONG_ADDRESS}]\n"),
        "utf-8",
    )
    (root / "content/images").mkdir(exist_ok=True)
    (root / "content/images/wide-chart.svg").write_text(WIDE_PICTURE, "utf-8")
    issue = root / "content/issues/010-meaningful-measures.md"
    text = issue.read_text("utf-8")
    opening = "Hello, and welcome to the 10th"
    assert opening in text
    extra = (
        f"\n{WIDE_TABLE}\nThe full guidance is at {LONG_URL} and questions go to {LONG_ADDRESS}.\n\n"
        f"![{PICTURE_ALT}](../images/wide-chart.svg)\n\n"
    )
    issue.write_text(text.replace(opening, extra + opening, 1), "utf-8")
    approve_again(root, 10)
    return root
