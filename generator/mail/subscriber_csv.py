"""Reading a subscribers CSV as people's spreadsheets save it.

Excel writes CSV in more than one way: with `;` between cells where the decimal comma is
used, with a byte-order mark ("CSV UTF-8") or in Windows-1252 ("CSV"), sometimes after a
`sep=;` line. A workbook or other binary file is refused with what to do instead. The separator is read from a
`sep=` line, else from a header row naming the email column, else guessed by
`csv.Sniffer` from the first lines; comma when nothing tells.

A quote that opens and is never closed makes the csv module read the rest of the file
as one cell and complain at its end. Here the problem is reported at the line where the
quote opens, that line is skipped, and reading goes on from the next one, so the rows
after it are still imported.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..basics.diagnostics import Diagnostic, error

HEADER_NAMES = frozenset({"email", "e-mail", "email address", "e-mail address", "address", "mail"})
_SEPARATORS = (",", ";", "\t", "|")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_SNIFF_LINES = 50


class CsvUnreadable(Exception):
    """The file cannot be read at all; the message says what to do."""


@dataclass
class CsvRows:
    """The address cell of each row, by the line the row starts on, and each bad line."""

    cells: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    separator: str = ","
    encoding: str = "utf-8"


def read_text(path: Path, shown: str) -> tuple[str, str]:
    """The file's text and the encoding it was read in: UTF-8 (with or without a
    byte-order mark), else Windows-1252, as Excel's "CSV" saves it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CsvUnreadable(f"{shown} does not exist; give the path of a CSV file") from None
    except IsADirectoryError:
        raise CsvUnreadable(f"{shown} is a folder; give the path of a CSV file") from None
    except OSError as exc:
        raise CsvUnreadable(f"{shown} cannot be read ({exc.strerror})") from None
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise CsvUnreadable(
            f"{shown} is not UTF-8 text: it is a spreadsheet or other binary file; in Excel use "
            "Save As > CSV UTF-8 and import that file"
        )
    attempts = ["utf-8-sig", "cp1252"]
    for encoding in attempts:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise CsvUnreadable(
        f"{shown} is not text in a known encoding; in Excel use Save As > CSV UTF-8 and try again"
    )


def read_rows(text: str, shown: str, encoding: str = "utf-8") -> CsvRows:
    """Every row's address cell (the column headed email, or the first), by line."""
    lines = _LINE.findall(text)
    skip = 0
    separator = None
    if lines and re.fullmatch(r"sep=(.)\r?\n?", lines[0], flags=re.IGNORECASE):
        separator, skip = lines[0][4], 1
    first = next((i for i in range(skip, len(lines)) if lines[i].strip()), None)
    column = 0
    if first is not None:
        lone_header = lines[first].strip().casefold() in HEADER_NAMES
        separator = (
            separator
            or _separator_from_header(lines[first])
            or _sniffed(lines[first + 1 :] if lone_header else lines[first:])
        )
        named = _header_column(lines[first], separator)
        if named is not None:
            column, skip = named, first + 1
    result = CsvRows(separator=separator or ",", encoding=encoding)
    _parse(lines, skip, column, shown, result)
    return result


def _separator_from_header(line: str) -> str | None:
    for separator in _SEPARATORS:
        cells = _cells(line, separator)
        if cells is not None and len(cells) > 1 and any(c.strip().casefold() in HEADER_NAMES for c in cells):
            return separator
    return None


def _sniffed(lines: list[str]) -> str:
    sample = "".join(lines[:_SNIFF_LINES])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_SEPARATORS)).delimiter
    except csv.Error:
        return ","


def _header_column(line: str, separator: str) -> int | None:
    cells = _cells(line, separator) or []
    named = [i for i, cell in enumerate(cells) if cell.strip().casefold() in HEADER_NAMES]
    return named[0] if named else None


def _cells(line: str, separator: str) -> list[str] | None:
    try:
        return next(csv.reader([line], delimiter=separator, strict=True), [])
    except csv.Error:
        return None


def _parse(lines: list[str], start: int, column: int, shown: str, result: CsvRows) -> None:
    """Read records from `lines[start:]`; on a bad record, report its first line, skip
    that one line and carry on from the next."""
    while start < len(lines):
        # An iterator, not `lines[start:]`: a copy per bad line would make a file of bad lines quadratic.
        rest = (lines[index] for index in range(start, len(lines)))
        reader = csv.reader(rest, delimiter=result.separator, strict=True)
        done = 0  # lines used by the records read so far in this pass
        try:
            for row in reader:
                first, done = start + done + 1, reader.line_num
                cells = [cell.strip() for cell in row]
                cell = cells[column] if column < len(cells) else ""
                if start + done > first and re.search(r"[\r\n]", cell):
                    result.problems.append(_quote_problem(shown, first, start + done))
                    start = first
                    break
                if any(cells):
                    result.cells.append((first, cell))
            else:
                return
        except csv.Error as exc:
            bad = start + done + 1
            if str(exc).startswith("unexpected end of data"):
                result.problems.append(_quote_problem(shown, bad, None))
            else:
                result.problems.append(
                    error(
                        shown,
                        bad,
                        "subscriber.csv",
                        f"this line cannot be read as CSV ({exc}); check its quotes; the line was skipped",
                    )
                )
            start = bad


def _quote_problem(shown: str, line: int, closed_on: int | None) -> Diagnostic:
    closed = f"is closed only on line {closed_on}" if closed_on else "is never closed"
    return error(
        shown,
        line,
        "subscriber.csv",
        f'a quote (") opens on this line and {closed}, so the lines after it would be read as one '
        "address; close the quote on this line or delete it; this line was skipped",
    )
