"""Problems found in content or settings, carried as values and printed for people or tools."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How serious a problem is: errors stop a build, warnings do not (unless --strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem: `path:line: severity: message [code]`.

    `path` is relative to the project root with forward slashes; `line` is 1-based and 0
    when the problem belongs to the whole file.
    """

    path: str
    line: int
    severity: Severity
    message: str
    code: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        return f"{location}: {self.severity.value}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(path: str, line: int, code: str, message: str) -> Diagnostic:
    """Build an error diagnostic."""
    return Diagnostic(path, line, Severity.ERROR, message, code)


def warning(path: str, line: int, code: str, message: str) -> Diagnostic:
    """Build a warning diagnostic."""
    return Diagnostic(path, line, Severity.WARNING, message, code)


@dataclass(frozen=True)
class Report:
    """Every diagnostic of one run, sorted by file, line and code."""

    diagnostics: tuple[Diagnostic, ...]

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> Report:
        unique = set(diagnostics)
        return cls(tuple(sorted(unique, key=lambda d: (d.path, d.line, d.code, d.message))))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)

    def fails(self, strict: bool = False) -> bool:
        """True when the run must stop: any error, or any warning under --strict."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        if not errors and not warnings:
            return "No problems found."
        return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}."

    def as_text(self) -> str:
        lines = [str(d) for d in self.diagnostics]
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def as_json(self) -> str:
        payload = {
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def shown_path(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project `root` when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
