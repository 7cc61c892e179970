"""The checks that read one content file at a time, run once per version of each file.

Safeguarding (personal identifiers, unsafe HTML in the rendered page), accessibility (images, link text,
headings), paths leaving the content folder, nesting too deep to render, Markdown
shapes that would take the build minutes, reading ease and
undefined acronyms each look at a single file and the settings. Their findings for a file
are kept in the build cache under a key made of the file's text, the settings and the
code, so a rebuild checks again only the files that changed. Checks that compare files
with each other (numbers, references, sections) are not cached: they are cheap.
"""

from __future__ import annotations

import json
import posixpath
from functools import partial

from ..basics.diagnostics import Diagnostic, Severity
from ..cache.keys import file_check_context, file_check_key
from ..cache.store import BuildCache
from ..content.model import Issue, Site, Story
from ..content.source_lines import SourceLines
from . import accessibility as content_lint
from . import links, markdown_limits, nesting, pasted_text, people, privacy
from .acronyms import item_acronyms
from .output_gate import OutputGate
from .plain_language import reading_ease_problem
from .readability import SyllableCounts
from .scaffold_leftovers import issue_scaffold_problems

SHELF = "file-checks"


class _FileChecker:
    """Every one-file check, with the settings they share."""

    def __init__(self, site: Site) -> None:
        self.settings = site.settings
        self.allow = privacy.AllowList.of(site.settings.mailbox, site.settings.privacy_allow)
        self.docs_prefix = site.settings.docs_dir.strip("/") + "/"
        self.reading_ease_min = site.settings.reading_ease_min
        self.acronyms = frozenset(site.acronyms)
        self.syllables = SyllableCounts()
        self.settings = site.settings
        self._gate: OutputGate | None = None
        items: list[Issue | Story] = [*site.issues, *site.stories]
        self.items = {item.origin.path: item for item in items}

    @property
    def gate(self) -> OutputGate:
        """The output gate, set up on first use: a run whose files are all cached needs none."""
        if self._gate is None:
            self._gate = OutputGate(self.settings)
        return self._gate

    def problems(self, source: SourceLines) -> list[Diagnostic]:
        path = source.path
        relative = path[len(self.docs_prefix) :] if path.startswith(self.docs_prefix) else path
        too_costly = [*nesting.scan_source(source), *markdown_limits.scan_source(source)]
        found = [
            *privacy.scan_source(source, self.allow),
            # Rendering a shape the limits refuse could take minutes or exhaust the stack.
            *(self.gate.scan_source(source) if not too_costly else ()),
            *content_lint.scan_source(source),
            *links.scan_source(source, posixpath.dirname(relative)),
            *pasted_text.scan_source(source),
            *too_costly,
        ]
        item = self.items.get(path)
        if item is not None:
            found += item_acronyms(item, self.acronyms)
            found += people.scan_source(source, self.settings.staff_names, self.settings.teams.values())
        if isinstance(item, Issue):
            found += issue_scaffold_problems(item)
            hard_to_read = reading_ease_problem(item, self.reading_ease_min, self.syllables)
            if hard_to_read is not None:
                found.append(hard_to_read)
        return found


def file_problems(site: Site, cache: BuildCache) -> list[Diagnostic]:
    """The one-file checks' findings for every content file, from `cache` where the file
    is unchanged since they were made."""
    checker = _FileChecker(site)
    context = file_check_context(site, cache.code) if cache.enabled else ""
    problems: list[Diagnostic] = []
    for source in site.sources:
        found: list[Diagnostic] = cache.remember(
            SHELF,
            partial(file_check_key, context, source),
            partial(checker.problems, source),
            _encode,
            _decode,
        )
        problems += found
    cache.prune([SHELF])
    return problems


def _encode(problems: list[Diagnostic]) -> bytes:
    rows = [[p.path, p.line, p.severity.value, p.message, p.code] for p in problems]
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")


def _decode(data: bytes) -> list[Diagnostic] | None:
    """The diagnostics kept in `data`, or None when they are damaged."""
    try:
        rows = json.loads(data.decode("utf-8"))
        return [Diagnostic(str(p), int(n), Severity(s), str(m), str(c)) for p, n, s, m, c in rows]
    except (ValueError, TypeError):
        return None
