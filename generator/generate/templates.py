"""The Jinja environments of the page and email templates, their filters, and the one
way a page template's failure is reported (file, line and a plain reason)."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping
from typing import Any

import jinja2

from ..basics.diagnostics import Diagnostic, error
from ..basics.wording import long_date, slug
from ..settings.reader import Settings
from .email_text import WIDTH

PAGE_TEMPLATES = "pages"
EMAIL_TEMPLATES = "email"


class TemplateProblem(Exception):
    """A page template that cannot be read or rendered."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


_MARKDOWN_MARKS = str.maketrans({mark: "\\" + mark for mark in "[]*_{}"})


def md_text(value: object) -> str:
    """Text safe to place in Markdown: no HTML, no accidental link brackets or emphasis,
    and no attribute list (`{: onclick=... }` would set attributes on the element)."""
    return html.escape(str(value), quote=False).translate(_MARKDOWN_MARKS)


def head_text(value: object) -> str:
    """Text for a page's front matter `title` and `description`: MkDocs and Material place
    these in the page's `<head>` (and titles in menus) as HTML, inside double-quoted
    attributes too, so `&`, `<`, `>` and `"` are escaped here."""
    return html.escape(str(value), quote=False).replace('"', "&quot;")


def tag_anchor(tag: str) -> str:
    """The anchor of a tag's section on the tags page."""
    return "tag-" + slug(tag, fallback="x")


#: What a reader sees after a date that is only an example (`examples: [date]`).
EXAMPLE_DATE_NOTE = " (an example date)"


def date_is_example(item: Any, issues_by_number: Mapping[int, Any] | None = None) -> bool:
    """Whether `item`'s (an issue's or a story's) `date` is only an example: its own file
    lists `date` in `examples`, or, for a team story dated like its issue, the issue does."""
    if "date" in item.origin.examples:
        return True
    number = getattr(item, "issue", None)
    issue = (issues_by_number or {}).get(number) if isinstance(number, int) else None
    return issue is not None and issue.date == item.date and "date" in issue.origin.examples


@jinja2.pass_context
def example_date_note(context: jinja2.runtime.Context, item: Any) -> str:
    """The note " (an example date)" after an example date, else nothing: the one place every page,
    card, listing and email takes that note from."""
    return EXAMPLE_DATE_NOTE if date_is_example(item, context.get("issues_by_number")) else ""


@jinja2.pass_context
def shown_date(context: jinja2.runtime.Context, item: Any) -> str:
    """`item`'s date as readers see it in text: "1 September 2025", noted when an example."""
    return long_date(item.date) + example_date_note(context, item)


def wrap_text(text: str, hanging: str = "") -> str:
    """A paragraph of plain text wrapped to the email's width; later lines indented by `hanging`."""
    lines = textwrap.wrap(
        str(text), width=WIDTH, subsequent_indent=hanging, break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines)


def page_environment(settings: Settings) -> jinja2.Environment:
    """The environment of `templates/pages/`: Markdown out, so nothing is autoescaped and
    the `md` and `html` filters escape each value for where it lands."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(settings.templates_root / PAGE_TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        long_date=long_date,
        md=md_text,
        html=html.escape,
        head=head_text,
        tag_anchor=tag_anchor,
        shown_date=shown_date,
        example_date_note=example_date_note,
    )
    return env


def email_environment(settings: Settings) -> jinja2.Environment:
    """The environment of `templates/email/`: HTML templates autoescaped, text ones not.
    One per run, so rendering every issue compiles each template once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(settings.templates_root / EMAIL_TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        long_date=long_date, wrap=wrap_text, shown_date=shown_date, example_date_note=example_date_note
    )
    return env


def render_page_template(
    env: jinja2.Environment, settings: Settings, template_name: str, values: Mapping[str, Any]
) -> str:
    """`template_name` from `templates/pages/` rendered with `values`; any failure is a
    `TemplateProblem` naming the template file and, where Jinja knows it, the line."""
    folder = f"{settings.templates_dir}/{PAGE_TEMPLATES}"
    try:
        return env.get_template(template_name).render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            error(
                f"{folder}/{template_name}",
                exc.lineno or 0,
                "template.syntax",
                f"the page template cannot be read: {exc.message}",
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            error(
                f"{folder}/{exc.name}",
                0,
                "template.missing",
                "the page template is missing; restore it from the project's templates",
            )
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(
            error(
                f"{folder}/{template_name}",
                _template_line(exc, template_name),
                "template.render",
                f"the page template failed: {exc}",
            )
        ) from None


def _template_line(exc: Exception, template_name: str) -> int:
    traceback = exc.__traceback__
    line = 0
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.endswith(template_name):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
