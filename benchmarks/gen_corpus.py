"""A synthetic newsletter archive for benchmarks: N issues shaped like the sample issue 10.

The corpus is a complete sofs project (`mkdocs.yml`, `templates/`, `content/`). Settings,
templates and the practice guide (measures, principles, tools, pages and any other
content folder) are copied from the repository; issues and team stories are generated.
Issue 10 and its team story are the sample's own files, so its page can be compared
across archive sizes.

Every generated issue depends only on the seed and its number, never on N: issue 11 of a
100-issue corpus is byte-identical to issue 11 of a 1,600-issue corpus. So an issue page
that grows with N grows because of the generator, not because of its content.

    python benchmarks/gen_corpus.py --issues 400 --out benchmarks/corpus-400
"""

from __future__ import annotations

import argparse
import datetime as dt
import posixpath
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.checks.approval_digest import approval_digest
from generator.content.loader import load_site
from generator.publish.approval_lines import apply_sign_off, plan_sign_off
from generator.settings.reader import load_settings

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ISSUE = "010-meaningful-measures.md"
SAMPLE_NUMBER = 10
SAMPLE_DATE = dt.date(2025, 9, 1)
#: The "today" every benchmark build uses, later than any generated issue's date.
TODAY = "2099-12-31"
GENERATED_FOLDERS = ("issues", "feedback")
STORY_SHARE = 0.5
BULLETIN_SHARE = 0.25

_TITLE_PATTERNS = (
    "{tool} in everyday practice",
    "Getting {tool} right",
    "What {tool} tells us",
    "{measure}",
    "Learning from {team}",
    "{principle}",
    "Questions about {tool}",
)
_TAGS = (
    "meaningful measures",
    "practice leads",
    "team stories",
    "principles",
    "signs of something",
    "supervision",
    "training",
    "family networks",
)


@dataclass(frozen=True)
class Library:
    """What generated issues draw on: the sample's sentences and the guide's names."""

    sentences: tuple[str, ...]
    tools: tuple[tuple[str, str], ...]  # (slug, name)
    measures: tuple[tuple[int, str], ...]  # (number, title)
    principles: tuple[tuple[str, str], ...]  # (slug, title)
    teams: tuple[tuple[str, str], ...]  # (slug, name)
    issue_types: dict[str, list[dict[str, Any]]]
    default_type: str
    contact: str
    issue_extra: dict[str, Any]  # the sample issue's other front matter (sign-offs, ...)
    story_extra: dict[str, Any]  # the sample story's other front matter (reviews, ...)


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    return (data if isinstance(data, dict) else {}), body


#: An example marker's opening, `[EXAMPLE:` or `[FILL:`: a sentence with one is the sample
#: draft's example text, which a published issue may not carry.
_MARKER_OPENING = re.compile(r"\[\s*(?:EXAMPLE|FILL)\s*:", re.IGNORECASE)
#: A Markdown link or image target: `](target)`.
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
#: Every generated file sits one folder down in content/ (issues/, feedback/).
_GENERATED_DEPTH_PREFIX = "../"


def _rebase_links(sentence: str, folder: str) -> str:
    """`sentence` with each relative link written as it reads from a generated file's folder:
    a link that was relative to `folder` (the source page's folder under content/, "" for
    content/ itself) is rewritten to reach the same page from issues/ or feedback/."""

    def rebase(match: re.Match[str]) -> str:
        target = match.group(1)
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith(("#", "/")):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(folder, target))
        return f"]({_GENERATED_DEPTH_PREFIX}{resolved})"

    return _LINK_TARGET.sub(rebase, sentence)


def _sentences(text: str, folder: str = "") -> list[str]:
    found = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        if not block or block.startswith(("#", "-", "*", "|", "<", "!")) or re.match(r"\d+\.", block):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", block):
            if not 30 <= len(sentence) <= 400 or "@" in sentence:
                continue
            if _MARKER_OPENING.search(sentence) or ("]" in sentence and "[" not in sentence):
                continue  # example text, or the tail of a marker split across sentences
            found.append(_rebase_links(sentence, folder))
    return found


def _sofs_options(config_file: Path) -> dict[str, Any]:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "sofs" in entry:
            options = entry["sofs"]
            return options if isinstance(options, dict) else {}
    return {}


def _sample_meta(file: Path) -> dict[str, Any]:
    return front_matter(file.read_text(encoding="utf-8"))[0]


def with_sample_fields(meta: dict[str, Any], sample: dict[str, Any]) -> dict[str, Any]:
    """`meta` plus every other front-matter field of the sample (such as sign-offs), dates
    moved by as many days as `meta`'s date is from the sample's, so they keep their order."""
    shift = dt.timedelta(0)
    if isinstance(meta.get("date"), dt.date) and isinstance(sample.get("date"), dt.date):
        shift = meta["date"] - sample["date"]
    merged = dict(meta)
    for key, value in sample.items():
        if key not in merged:
            merged[key] = value + shift if isinstance(value, dt.date) else value
    return merged


def load_library(repo: Path = REPO) -> Library:
    """Read the repository's sample content and settings."""
    content = repo / "content"
    sentences: list[str] = []
    for file in sorted(content.rglob("*.md")):
        if file.parent.name == "pages":
            continue
        folder = file.parent.relative_to(content).as_posix()
        sentences += _sentences(
            front_matter(file.read_text(encoding="utf-8"))[1], "" if folder == "." else folder
        )
    tools = []
    for file in sorted((content / "tools").glob("*.md")):
        meta = front_matter(file.read_text(encoding="utf-8"))[0]
        tools.append((file.stem, str(meta.get("name", file.stem))))
    measures = []
    for file in sorted((content / "measures").glob("*.md")):
        meta = front_matter(file.read_text(encoding="utf-8"))[0]
        measures.append((int(meta["measure"]), str(meta["title"])))
    principles = []
    for file in sorted((content / "principles").glob("*.md")):
        meta = front_matter(file.read_text(encoding="utf-8"))[0]
        principles.append((file.stem, str(meta["title"])))
    options = _sofs_options(repo / "mkdocs.yml")
    teams = tuple((str(k), str(v)) for k, v in (options.get("teams") or {}).items())
    types = {  # as sofs reads them: the built-in newsletter type and those mkdocs.yml adds
        name: [
            {"title": s.title, "aliases": list(s.aliases), "filled_by": s.filled_by} for s in kind.sections
        ]
        for name, kind in load_settings(repo)[0].issue_types.items()
    }
    return Library(
        sentences=tuple(dict.fromkeys(sentences)),
        tools=tuple(tools),
        measures=tuple(sorted(measures)),
        principles=tuple(principles),
        teams=teams or (("first-contact", "First Contact"),),
        issue_types=types,
        default_type=str(options.get("default_issue_type") or "newsletter"),
        contact=str(options.get("mailbox") or "newsletter@example.org"),
        issue_extra=_sample_meta(content / "issues" / SAMPLE_ISSUE),
        story_extra=next((_sample_meta(p) for p in _sample_stories(repo)), {}),
    )


def issue_date(number: int) -> dt.date:
    """Monthly up to the sample issue 10, weekly after it."""
    if number <= SAMPLE_NUMBER:
        month = SAMPLE_DATE.month - (SAMPLE_NUMBER - number)
        return dt.date(SAMPLE_DATE.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return SAMPLE_DATE + dt.timedelta(weeks=number - SAMPLE_NUMBER)


class IssueWriter:
    """Writes one generated issue (and its team stories) from its own random stream."""

    def __init__(self, library: Library, seed: int, number: int) -> None:
        self.lib = library
        self.number = number
        self.rng = random.Random(f"{seed}:{number}")
        self.tools = self.rng.sample(library.tools, k=min(len(library.tools), self.rng.randint(3, 9)))
        self.measures = sorted(
            self.rng.sample(library.measures, k=self.rng.randint(1, min(5, len(library.measures))))
        )
        self.principles = self.rng.sample(
            library.principles, k=self.rng.randint(0, min(3, len(library.principles)))
        )

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        sentences = self.rng.sample(
            self.lib.sentences, k=min(len(self.lib.sentences), self.rng.randint(low, high))
        )
        if self.tools and self.rng.random() < 0.6:
            slug_name = self.rng.choice(self.tools)
            sentences.insert(
                self.rng.randrange(len(sentences) + 1), f"We used {slug_name[1].lower()} with the family."
            )
        return " ".join(sentences)

    def paragraphs(self, low: int, high: int) -> str:
        return "\n\n".join(self.paragraph() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        pattern = self.rng.choice(_TITLE_PATTERNS)
        return pattern.format(
            tool=self.rng.choice(self.lib.tools)[1],
            measure=self.rng.choice(self.lib.measures)[1] if self.lib.measures else "Meaningful measures",
            team=self.rng.choice(self.lib.teams)[1],
            principle=self.rng.choice(self.lib.principles)[1] if self.lib.principles else "Our principles",
        )

    def section(self, spec: dict[str, Any]) -> str:
        title = str(spec["title"])
        aliases = [str(a) for a in spec.get("aliases") or []]
        heading = self.rng.choice(aliases) if aliases and self.rng.random() < 0.1 else title
        key = title.casefold()
        if spec.get("filled_by") == "feedback":
            text = "Teams across the service tell us how their practice is changing."
        elif key.startswith("what does meaningful") and self.measures:
            parts = [
                f"### Measure {n}: {t}\n\n**What will you see or hear that tells you we are meeting this?**"
                f"\n\n{self.paragraph(3, 6)}"
                for n, t in self.measures
            ]
            text = "\n\n".join(parts)
        elif key.startswith("principles") and self.principles:
            text = self.paragraph(1, 2) + "".join(
                f"\n\n### {t}\n\n{self.paragraph(3, 5)}" for _, t in self.principles
            )
        elif key.startswith("contact"):
            text = f"Contact the practice leads at the Signs of Safety Mailbox, [{self.lib.contact}](mailto:{self.lib.contact})"
        else:
            text = self.paragraphs(1, 3)
        return f"## {heading}\n\n{text}\n"

    def issue(self) -> tuple[str, str]:
        """(file name, text) of the issue."""
        bulletin = "bulletin" in self.lib.issue_types and self.rng.random() < BULLETIN_SHARE
        issue_type = "bulletin" if bulletin else self.lib.default_type
        title = self.title()
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50].strip("-")
        meta = {
            "issue": self.number,
            "title": title,
            "date": issue_date(self.number),
            "summary": self.paragraph(1, 2),
            "status": "published",
            "type": issue_type,
            "measures": [n for n, _ in self.measures],
            "principles": [s for s, _ in self.principles],
            "tools": [s for s, _ in self.tools],
            "tags": self.rng.sample(_TAGS, k=self.rng.randint(1, 4)),
        }
        extra = {k: v for k, v in self.lib.issue_extra.items() if k != "approved_sha256"}  # sealed later
        # The feedback section's introduction is the issue's own story text: reviewed as the
        # sample story is (same reviewer, same days before the issue's date).
        extra |= {k: v for k, v in self.lib.story_extra.items() if k.startswith("anonymisation_reviewed")}
        meta = with_sample_fields(meta, extra)
        sections = self.lib.issue_types.get(issue_type) or [{"title": "Welcome"}]
        body = "\n".join(self.section(spec) for spec in sections)
        head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
        return f"{self.number:03d}-{slug}.md", f"---\n{head}---\n\n{body}"

    def stories(self) -> list[tuple[str, str]]:
        """(file name, text) of the issue's team stories: none, one or two."""
        count = 0 if self.rng.random() > STORY_SHARE else self.rng.randint(1, 2)
        stories = []
        for index in range(count):
            team = self.rng.choice(self.lib.teams)[0]
            meta = {
                "title": self.rng.choice(self.lib.sentences)[:70].rstrip(" ,.;"),
                "team": team,
                "issue": self.number,
                "date": issue_date(self.number),
                "measures": [n for n, _ in self.measures][:3],
                "tools": [s for s, _ in self.tools][:3],
            }
            meta = with_sample_fields(meta, self.lib.story_extra)
            head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
            stories.append(
                (
                    f"{team}-issue-{self.number:04d}-{index + 1}.md",
                    f"---\n{head}---\n\n{self.paragraph(4, 7)}\n",
                )
            )
        return stories


def _copy_project(repo: Path, out: Path) -> None:
    shutil.copy2(repo / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(repo / "templates", out / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    content = out / "content"
    content.mkdir()
    for item in sorted((repo / "content").iterdir()):
        if item.name in GENERATED_FOLDERS:
            continue
        if item.is_dir():
            shutil.copytree(item, content / item.name)
        else:
            shutil.copy2(item, content / item.name)


def _sample_stories(repo: Path) -> list[Path]:
    found = []
    for file in sorted((repo / "content" / "feedback").glob("*.md")):
        if front_matter(file.read_text(encoding="utf-8"))[0].get("issue") == SAMPLE_NUMBER:
            found.append(file)
    return found


def generate(out: Path, issues: int, seed: int = 1, repo: Path = REPO) -> Path:
    """Write a corpus of `issues` issues into `out` (replaced if present)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _copy_project(repo, out)
    library = load_library(repo)
    issue_dir = out / "content" / "issues"
    story_dir = out / "content" / "feedback"
    issue_dir.mkdir()
    story_dir.mkdir()
    for number in range(1, issues + 1):
        if number == SAMPLE_NUMBER:
            shutil.copy2(repo / "content" / "issues" / SAMPLE_ISSUE, issue_dir / SAMPLE_ISSUE)
            for story in _sample_stories(repo):
                shutil.copy2(story, story_dir / story.name)
            continue
        writer = IssueWriter(library, seed, number)
        name, text = writer.issue()
        (issue_dir / name).write_text(text, encoding="utf-8")
        for story_name, story_text in writer.stories():
            (story_dir / story_name).write_text(story_text, encoding="utf-8")
    seal_approvals(out)
    return out


def seal_approvals(out: Path) -> None:
    """Give each signed-off issue the `approved_sha256` that `sofs approve` would write for it."""
    settings, _ = load_settings(out)
    site, _ = load_site(settings)
    for issue in site.issues:
        if issue.approved_by is None:
            continue
        digest = approval_digest(site, issue, approved_by=issue.approved_by, approved_on=issue.approved_on)
        if digest is not None:
            path = out / issue.origin.path
            apply_sign_off(plan_sign_off(path, issue.origin.path, {"approved_sha256": digest.sha256}))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic newsletter archive for benchmarks.")
    parser.add_argument("--issues", type=int, default=100, help="number of issues (default: 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "corpus", help="folder to write")
    args = parser.parse_args(argv)
    out = generate(args.out, args.issues, args.seed)
    print(f"Wrote {args.issues} issues into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
