"""How well the person-name check does on its labelled corpora: recall on sentences that
name a person next to an age, date of birth, school, address or family role, and the
false-positive rate on ordinary newsletter prose.

    python benchmarks/people_check.py [--misses]

Two corpora are read from `tests/checks/`: `people_corpus.tsv`, against which the
detector was tuned, and `people_holdout.tsv`, written after tuning and never tuned
against, so its figures say how the check does on text it has not seen.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.checks.person_names import find_people

CORPUS_DIR = Path(__file__).resolve().parents[1] / "tests" / "checks"
CORPORA = {"tuned": "people_corpus.tsv", "held out": "people_holdout.tsv"}
CLEAN = "clean"
#: The staff the newsletter names, as `staff_names` would list them.
STAFF = ("Mel", "Paul", "Dawn Hetherington")


@dataclass
class Figures:
    """Counts for one corpus, and the sentences the detector got wrong."""

    positives: int = 0
    caught: int = 0
    negatives: int = 0
    flagged: int = 0
    by_cue: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.flagged / self.negatives if self.negatives else 0.0


def read_corpus(path: Path) -> list[tuple[str, str]]:
    """The (label, sentence) rows of a corpus file; `#` lines are notes."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, sentence = line.partition("\t")
            rows.append((label.strip(), sentence.strip()))
    return rows


def measure(rows: list[tuple[str, str]]) -> Figures:
    """Run the detector over each sentence and count what it caught and wrongly flagged."""
    figures = Figures()
    for label, sentence in rows:
        hit = bool(find_people(sentence, STAFF))
        if label == CLEAN:
            figures.negatives += 1
            figures.flagged += hit
            if hit:
                figures.false_alarms.append(sentence)
            continue
        figures.positives += 1
        figures.caught += hit
        tally = figures.by_cue.setdefault(label, [0, 0])
        tally[0] += hit
        tally[1] += 1
        if not hit:
            figures.misses.append(sentence)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the sentences it got wrong")
    args = parser.parse_args()
    for name, file_name in CORPORA.items():
        figures = measure(read_corpus(CORPUS_DIR / file_name))
        print(
            f"{name} ({file_name}): recall {figures.recall:.3f} ({figures.caught}/{figures.positives}), "
            f"false positives {figures.false_positive_rate:.3f} ({figures.flagged}/{figures.negatives})"
        )
        for cue, (caught, total) in sorted(figures.by_cue.items()):
            print(f"  {cue}: {caught}/{total}")
        if args.misses:
            for sentence in figures.misses:
                print(f"  missed: {sentence}")
            for sentence in figures.false_alarms:
                print(f"  flagged: {sentence}")


if __name__ == "__main__":
    main()
