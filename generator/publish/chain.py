"""The hash chain of the publication log: what links each record to the one before it.

Every line the log gets from `audit_log.append_record` carries:

- `seq`: its place in the log, counting from 1 (so, in a log nobody touched, its line number);
- `prev_sha256`: the SHA-256 of the exact bytes of the line before it (without the line
  break), or `GENESIS` on the first line.

- `record_sha256`: the SHA-256 of the record's own fields (all but this one, as sorted
  JSON), so a hand edit of any record, the latest included, shows at its own line.

So changing, removing, moving or adding a line breaks a link, and `check_chain` says
which line and how, in plain words. What the file alone cannot show is a cut at its end
(the latest records removed), or the latest record rewritten by someone who also
recomputes its seal: the chain head (the SHA-256 of the last line) kept elsewhere shows
that (`head_problems`).

Logs from before the chain (format 1) begin with records that carry no link. The first
chained record after them also carries `prefix_sha256`, the SHA-256 of every byte before
it, which seals them: from then on they cannot change unnoticed either. Until that first
chained record is written they cannot be verified, and `check_chain` warns so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..basics.diagnostics import Diagnostic, error, warning

GENESIS = "0" * 64
FORMAT = 2
_CODE = "audit.chain"


def digest(line: bytes) -> str:
    """The SHA-256 (hex) of one line's exact bytes, without its line break."""
    return hashlib.sha256(line).hexdigest()


def seal_of(record: dict[str, Any]) -> str:
    """The SHA-256 of a record's fields other than its seal, as sorted JSON."""
    fields = {key: value for key, value in record.items() if key != "record_sha256"}
    return digest(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def link_fields(data: bytes) -> dict[str, Any]:
    """The chain fields of a record appended to a log whose bytes are `data`."""
    lines = split_lines(data)
    fields: dict[str, Any] = {
        "seq": len(lines) + 1,
        "prev_sha256": digest(lines[-1]) if lines else GENESIS,
    }
    if lines and not any(_is_chained(parse_line(line)[0]) for line in lines):
        fields["prefix_sha256"] = hashlib.sha256(b"".join(line + b"\n" for line in lines)).hexdigest()
    return fields


def split_lines(data: bytes) -> list[bytes]:
    """The log's lines without their line breaks (a last line may lack one)."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


@dataclass(frozen=True)
class _Line:
    number: int
    raw: bytes
    digest: str
    record: dict[str, Any] | None
    reason: str  # why the line is not a record, when it is not

    @property
    def chained(self) -> bool:
        return _is_chained(self.record)

    @property
    def seq(self) -> int:
        return int(self.record["seq"]) if self.record else 0

    @property
    def prev(self) -> str:
        return str(self.record["prev_sha256"]) if self.record else ""


@dataclass(frozen=True)
class _Link:
    """A point of the chain: the hash and number of a record, and its line (0 before the first)."""

    digest: str
    seq: int
    line: int


def _is_chained(record: dict[str, Any] | None) -> bool:
    return (
        record is not None
        and isinstance(record.get("seq"), int)
        and isinstance(record.get("prev_sha256"), str)
    )


def parse_line(raw: bytes) -> tuple[dict[str, Any] | None, str]:
    """One line's record, or None and why it is not one."""
    if not raw.strip():
        return None, "the line is empty; sofs never writes empty lines"
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"it is not a complete JSON record: {exc.msg}"
    if not isinstance(record, dict) or not isinstance(record.get("issue"), int):
        return None, "it is not a publication record"
    return record, ""


@dataclass(frozen=True)
class ChainCheck:
    """What `check_chain` found: the problems by line, the head, and how many lines there are."""

    problems: tuple[Diagnostic, ...]
    head: str  # SHA-256 of the last line, GENESIS for an empty log
    lines: int
    digests: tuple[str, ...] = field(repr=False)

    @property
    def intact(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def check_chain(data: bytes, shown: str) -> ChainCheck:
    """Check every link of the log whose bytes are `data`; `shown` names it in the messages."""
    lines = [_Line(n, raw, digest(raw), *parse_line(raw)) for n, raw in enumerate(split_lines(data), start=1)]
    walk = _Walk(lines, shown)
    if lines and not data.endswith(b"\n") and lines[-1].record is None:
        walk.report(lines[-1], "the last line is cut short (the log was cut, or a write was interrupted)")
    walk.run()
    for line in lines:
        if line.chained and line.record and line.record.get("record_sha256") != seal_of(line.record):
            walk.report(
                line,
                "this record was changed after it was written: its own SHA-256 (record_sha256) "
                "is missing or no longer matches it",
            )
    head = lines[-1].digest if lines else GENESIS
    return ChainCheck(tuple(sorted(walk.problems)), head, len(lines), tuple(line.digest for line in lines))


def head_problems(check: ChainCheck, kept: str, shown: str) -> tuple[list[Diagnostic], str]:
    """Compare the log with a chain head kept elsewhere: problems, and a sentence for people."""
    if check.lines and check.head == kept:
        return [], f"The log ends at the kept head (line {check.lines})."
    if kept in check.digests:
        at = check.digests.index(kept) + 1
        added = check.lines - at
        return [], (
            f"The kept head is line {at}; {added} record{'s were' if added != 1 else ' was'} added after it "
            f"(lines {at + 1}-{check.lines}): check {'they are' if added != 1 else 'it is'} publications you know of."
        )
    line = check.lines
    if line:
        message = (
            f"the log does not contain the kept head {kept}: records after the latest record (line {line}) "
            "were removed, or that record was changed, since the head was noted"
        )
    else:
        message = f"the log is empty, so it does not contain the kept head {kept}: it was emptied or replaced"
    return [error(shown, line, "audit.head", message)], "The log does not reach the kept head."


class _Walk:
    """One pass over the lines, following the chain and explaining each place it breaks."""

    def __init__(self, lines: list[_Line], shown: str) -> None:
        self.lines = lines
        self.shown = shown
        self.problems: list[Diagnostic] = []
        self.reported: set[int] = set()
        self.moved: set[int] = set()
        self.first_of: dict[str, _Line] = {}
        for line in lines:
            self.first_of.setdefault(line.digest, line)

    def report(self, line: _Line, message: str, *, severity: str = "error") -> None:
        if line.number in self.reported:
            return
        self.reported.add(line.number)
        make = error if severity == "error" else warning
        self.problems.append(make(self.shown, line.number, _CODE, message))

    def run(self) -> None:
        prefix = 0
        while prefix < len(self.lines) and not self.lines[prefix].chained:
            line = self.lines[prefix]
            if line.record is None:
                self.report(line, f"this line cannot be read ({line.reason})")
            prefix += 1
        state = _Link(GENESIS, 0, 0)
        if prefix:
            last = self.lines[prefix - 1]
            state = _Link(last.digest, prefix, prefix)
            if any(line.record is not None for line in self.lines[:prefix]):
                self._seal(prefix)
        self._follow(prefix, state)

    def _seal(self, prefix: int) -> None:
        """The records written before the chain: sealed by the first chained record, or unverifiable."""
        span = "line 1" if prefix == 1 else f"lines 1-{prefix}"
        sealer = self.lines[prefix] if prefix < len(self.lines) else None
        if sealer is None or not sealer.chained:
            self.problems.append(
                warning(
                    self.shown,
                    1,
                    "audit.unchained",
                    f"{span} {'was' if prefix == 1 else 'were'} written by an older sofs, before the hash "
                    "chain, and cannot be verified until the next record sofs adds seals them",
                )
            )
            return
        expected = hashlib.sha256(b"".join(line.raw + b"\n" for line in self.lines[:prefix])).hexdigest()
        assert sealer.record is not None
        if sealer.record.get("prefix_sha256") != expected:
            self.report(
                sealer,
                f"the records written before the hash chain ({span}) are not as they were when this record "
                "sealed them: one of them was changed, removed or added since",
            )

    def _next(self, index: int) -> _Line | None:
        for line in self.lines[index + 1 :]:
            if line.number not in self.moved:
                return line
        return None

    @staticmethod
    def _fits(line: _Line | None, state: _Link) -> bool:
        return line is not None and line.chained and line.prev == state.digest and line.seq == state.seq + 1

    def _follow(self, index: int, state: _Link) -> None:
        before: _Link | None = None
        while index < len(self.lines):
            line = self.lines[index]
            if line.number in self.moved:
                index += 1
                continue
            if self._fits(line, state):
                before, state = state, _Link(line.digest, line.seq, line.number)
                index += 1
                continue
            following = self._next(index)
            if not line.chained:
                self._unlinked(line, state, following)
                if not self._fits(following, state):
                    before, state = state, _Link(line.digest, state.seq + 1, line.number)
                index += 1
                continue
            if line.prev == state.digest:
                self.report(
                    line,
                    f"this record says it is record {line.seq}, but it follows record {state.seq}"
                    f"{self._at(state)}: its number was changed",
                )
                before, state = state, _Link(line.digest, state.seq + 1, line.number)
                index += 1
                continue
            if self._fits(following, state):
                assert following is not None
                self._intruder(line, state, following)
                index += 1
                continue
            target = self.first_of.get(line.prev)
            if target is not None and target.number > line.number and self._fits(target, state):
                self.report(
                    target,
                    f"this record is out of order: it belongs at line {line.number}, right after "
                    f"{self._line_name(state)}",
                )
                self.moved.add(target.number)
                before, state = state, _Link(target.digest, target.seq, target.number)
                continue
            self._break(line, state, before, target)
            before, state = state, _Link(line.digest, line.seq, line.number)
            index += 1

    @staticmethod
    def _at(state: _Link) -> str:
        return f" (line {state.line})" if state.line else ""

    @staticmethod
    def _line_name(state: _Link) -> str:
        return f"line {state.line}" if state.line else "the start of the log"

    def _unlinked(self, line: _Line, state: _Link, following: _Line | None) -> None:
        if line.record is None:
            message = f"this line cannot be read ({line.reason})"
        else:
            message = (
                "this record has no link to the record before it, although the records before it have: "
                "it was added by hand (or by an older sofs) and cannot be trusted"
            )
        if self._fits(following, state):
            assert following is not None
            message += (
                f"; the record after it (line {following.number}) follows {self._line_name(state)} directly"
            )
        self.report(line, message)

    def _intruder(self, line: _Line, state: _Link, following: _Line) -> None:
        """`line` sits where it does not belong: the record after it follows the chain without it."""
        target = self.first_of.get(line.prev)
        if target is not None and target.number > line.number:
            self.report(line, f"this record is out of order: it belongs after line {target.number}")
            return
        copy = self.first_of.get(line.digest)
        origin = (
            f"; it is an exact copy of line {copy.number}" if copy is not None and copy is not line else ""
        )
        self.report(
            line,
            f"this record was inserted: the record after it (line {following.number}) follows "
            f"{self._line_name(state)} directly{origin}",
        )

    def _break(self, line: _Line, state: _Link, before: _Link | None, target: _Line | None) -> None:
        """The chain breaks just before `line` and nothing later mends it: say why, as well as can be told."""
        if target is not None and target.number in self.reported | self.moved:
            return  # already explained at that line
        if (
            before is not None
            and line.prev == before.digest
            and line.seq == before.seq + 1
            and state.line
            and state.line not in self.reported
        ):
            self.report(
                self.lines[state.line - 1],
                f"this record was inserted: the record after it (line {line.number}) follows "
                f"{self._line_name(before)} directly",
            )
            return
        if line.seq == state.seq + 1 and target is None:
            if state.line == 0:
                self.report(line, "this record's link to the start of the log was changed")
            elif state.line not in self.reported:
                self.report(
                    self.lines[state.line - 1],
                    f"this record was changed after it was written: the record after it (line {line.number}) "
                    "holds a different SHA-256 for it",
                )
            return
        if line.seq > state.seq + 1:
            first, last = state.seq + 1, line.seq - 1
            if self._placed_elsewhere(first, last):
                return
            holder = self._holder(first, line)
            if holder is not None:
                self.report(
                    line,
                    f"this record is out of order: it is record {line.seq}, but record {first} "
                    f"(line {holder.number}) should come before it",
                )
                return
            count = last - first + 1
            which = f"record {first}" if count == 1 else f"records {first}-{last}"
            where = "at the start of the log" if state.line == 0 else "just before this line"
            self.report(
                line,
                f"{count} record{'s are' if count != 1 else ' is'} missing {where}: {which} of the log "
                f"{'were' if count != 1 else 'was'} deleted",
            )
            return
        if line.seq <= state.seq:
            twin = self._holder(line.seq, line)
            if twin is not None and twin.number < line.number:
                self.report(
                    line,
                    f"this record says it is record {line.seq}, as line {twin.number} does: "
                    "it was copied here or added by hand",
                )
            else:
                self.report(
                    line,
                    f"this record is out of order: it is record {line.seq}, but comes after record "
                    f"{state.seq}{self._at(state)}",
                )
            return
        self.report(line, f"this record does not follow the record before it ({self._line_name(state)})")

    def _holder(self, seq: int, other_than: _Line) -> _Line | None:
        """The first other line that says it is record `seq`."""
        return next(
            (line for line in self.lines if line.chained and line.seq == seq and line is not other_than), None
        )

    def _placed_elsewhere(self, first: int, last: int) -> bool:
        """Whether every record numbered `first` to `last` is in the log, already reported out of place."""
        placed = {
            line.seq
            for line in self.lines
            if line.chained and first <= line.seq <= last and line.number in self.reported | self.moved
        }
        return len(placed) == last - first + 1
