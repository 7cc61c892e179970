"""Each issue has the sections its type requires, and a misspelt heading is named as such.

A required section is found by its title or one of its aliases, compared without regard
to case or punctuation. When one is missing and the issue has a `##` heading that is not
a required one but is spelt much like it ("## Welcom", "## Meaningfull measures"), the
problem is reported at that heading's line with the title it probably meant, rather than
as a missing section at the top of the body.
"""

from __future__ import annotations

import difflib

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.markdown_text import normalise_heading
from ..content.model import Issue, Section, Site
from ..settings.model import RequiredSection

#: How alike a heading and a required title must be (difflib's ratio) to be called a misspelling.
CLOSE_ENOUGH = 0.8


def _likeness(heading: str, required: RequiredSection) -> float:
    """How much `heading` (normalised) looks like any accepted form of `required`,
    including the part of a title before its colon ("Meaningful measures")."""
    forms: set[str] = set()
    for accepted in required.headings:
        forms.add(normalise_heading(accepted))
        if ":" in accepted:
            forms.add(normalise_heading(accepted.split(":", 1)[0]))
    return max(difflib.SequenceMatcher(None, heading, form).ratio() for form in forms if form)


def _misspelt(
    missing: list[RequiredSection], spare: list[Section]
) -> dict[str, tuple[Section, RequiredSection]]:
    """Missing sections matched to the spare headings that look most like them, best pairs first."""
    pairs = sorted(
        (
            (_likeness(normalise_heading(section.title), required), index, section, required)
            for index, section in enumerate(spare)
            for required in missing
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    matched: dict[str, tuple[Section, RequiredSection]] = {}
    used: set[int] = set()
    for score, index, section, required in pairs:
        if score < CLOSE_ENOUGH:
            break
        if index in used or required.title in matched:
            continue
        used.add(index)
        matched[required.title] = (section, required)
    return matched


def required_section_problems(site: Site) -> list[Diagnostic]:
    """Missing, misspelt and empty required sections of every issue."""
    problems: list[Diagnostic] = []
    folded = {
        name: [[normalise_heading(h) for h in required.headings] for required in issue_type.sections]
        for name, issue_type in site.settings.issue_types.items()
    }
    for issue in site.issues:
        issue_type = site.settings.issue_types.get(issue.type)
        if issue_type is not None:
            problems += _issue_problems(site, issue, issue_type.sections, folded[issue.type])
    return problems


def _issue_problems(
    site: Site, issue: Issue, sections: tuple[RequiredSection, ...], folded: list[list[str]]
) -> list[Diagnostic]:
    """`folded`: each required section's accepted headings, folded (`normalise_heading`)."""
    report = warning if issue.status == "draft" else error  # ready: as strict as published
    found = {s.key: s for s in issue.sections}
    accepted_anywhere = {heading for accepted in folded for heading in accepted}
    spare = [s for s in issue.sections if s.key not in accepted_anywhere]
    present: list[tuple[RequiredSection, Section]] = []
    missing: list[RequiredSection] = []
    for required, accepted in zip(sections, folded, strict=True):
        section = next((found[h] for h in accepted if h in found), None)
        if section is None:
            missing.append(required)
        else:
            present.append((required, section))
    misspelt = _misspelt(missing, spare)
    problems: list[Diagnostic] = []
    for required in missing:
        if required.title in misspelt:
            section, _ = misspelt[required.title]
            problems.append(
                report(
                    issue.origin.path,
                    section.line,
                    "section.misspelt",
                    f'the heading "## {section.title}" is not one of the required sections; '
                    f'did you mean "{required.title}"? Change the heading to "## {required.title}"',
                )
            )
            present.append((required, section))
            continue
        headings = " or ".join(f'"## {h}"' for h in required.headings)
        problems.append(
            report(
                issue.origin.path,
                issue.origin.body_first_line,
                "section.missing",
                f'missing required section "{required.title}"; add a heading {headings} with some text under it',
            )
        )
    for required, section in present:
        # A story whose issue number could not be read may be one of this issue's.
        has_stories = required.filled_by == "feedback" and (
            site.stories_of(issue) or site.unsure_of("feedback", "issue")
        )
        if section.is_empty and not has_stories:
            what = (
                (f"text or a team story (a file in feedback/ with `issue: {issue.number}`)")
                if required.filled_by == "feedback"
                else "some text"
            )
            problems.append(
                report(
                    issue.origin.path,
                    section.line,
                    "section.empty",
                    f'required section "{required.title}" is empty; write {what} under the heading',
                )
            )
    return problems
