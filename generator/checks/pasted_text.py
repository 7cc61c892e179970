"""Text pasted from Word or Excel that Markdown would not show as it looked there.

- Bullets ("•", "◦", "▪", "–", "o") are shown as a list anyway (`content.pasted_lists`
  turns them into one on the page, in the feed and in the email); a warning says so once
  per list, with the Markdown way to write it, so the file reads the same everywhere.
- A table pasted with tabs between its cells would run together into one paragraph: a
  warning at its first line shows the same rows written as a Markdown table.
"""

from __future__ import annotations

from ..basics.diagnostics import Diagnostic, warning
from ..content.markdown_scan import LineKind
from ..content.pasted_lists import pasted_items
from ..content.source_lines import SourceLines

_SHOWN_ROWS = 2


def scan_source(source: SourceLines) -> list[Diagnostic]:
    """Pasted bullets and tab-separated tables in one file's body."""
    return [*_bullets(source), *_tab_tables(source)]


def _bullets(source: SourceLines) -> list[Diagnostic]:
    start = source.body_start - 1
    items = pasted_items(source.lines[start:], source.scan.kinds[start:])
    problems: list[Diagnostic] = []
    for number, item in enumerate(items):
        if not item.starts_list:
            continue
        run = [item]
        for later in items[number + 1 :]:
            if later.starts_list:
                break
            run.append(later)
        bullets = " and ".join(f'"{bullet}"' for bullet in dict.fromkeys(i.bullet for i in run))
        first, last = start + run[0].index + 1, start + run[-1].index + 1
        where = f"line {first}" if first == last else f"lines {first} to {last}"
        nested = any(i.level for i in run)
        problems.append(
            warning(
                source.path,
                first,
                "paste.bullets",
                f"{where} start with {bullets}, bullets pasted from Word; they are shown as a list. "
                'To write the list the Markdown way, start each point with "- " instead'
                + (' (and a point under another with four spaces, then "- ")' if nested else "")
                + ", and leave a blank line before the list",
            )
        )
    return problems


def _cells(line: str) -> list[str] | None:
    """The cells of a line with tabs between its words (None when it has no such tab)."""
    text = line.strip()
    if "\t" not in text:
        return None
    cells = [cell.strip() for cell in text.split("\t")]
    cells = [cell for cell in cells if cell]
    return cells if len(cells) >= 2 else None


def _tab_tables(source: SourceLines) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    start = source.body_start - 1
    bullets = {
        start + item.index + 1 for item in pasted_items(source.lines[start:], source.scan.kinds[start:])
    }
    rows: list[tuple[int, list[str]]] = []
    for number in range(source.body_start, len(source.lines) + 2):
        line = source.lines[number - 1] if number <= len(source.lines) else ""
        text_line = (
            number <= len(source.lines)
            and source.scan.kinds[number - 1] is LineKind.TEXT
            and number not in bullets
        )
        cells = _cells(line) if text_line else None
        if cells is not None:
            rows.append((number, cells))
            continue
        if len(rows) >= 2:  # one line with a tab in it is more likely a stray tab than a table
            problems.append(_table_warning(source.path, rows))
        rows = []
    return problems


def _table_warning(path: str, rows: list[tuple[int, list[str]]]) -> Diagnostic:
    width = max(len(cells) for _, cells in rows)
    first, last = rows[0][0], rows[-1][0]
    where = f"line {first} has" if first == last else f"lines {first} to {last} have"

    def row(cells: list[str]) -> str:
        padded = [cell.replace("|", "\\|") for cell in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(padded) + " |"

    example = [row(rows[0][1]), "| " + " | ".join(["---"] * width) + " |"]
    example += [row(cells) for _, cells in rows[1:_SHOWN_ROWS]]
    shown = " then ".join(f"`{line}`" for line in example)
    return warning(
        path,
        first,
        "paste.tab-table",
        f"{where} cells separated by tabs, like a table pasted from Word or Excel; on the page, in the "
        "feed and in the email it runs together into one paragraph. Write it as a Markdown table, one "
        f"line a row with | between cells and a line of --- under the first row: {shown}"
        + (", and so on for each row" if len(rows) > _SHOWN_ROWS else ""),
    )
