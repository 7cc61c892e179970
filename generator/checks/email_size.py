"""`sofs check` measures every issue's email, so one over the size limit is found before
the build or a send stops on it.

Each issue is rendered as it would go out (published issues as the site shows them today,
drafts and future issues as a preview) through the build cache, so the build that follows
finds the emails it publishes already made. Problems with the site's settings or header
values are reported by their own checks; here only what rendering itself finds.
"""

from __future__ import annotations

from collections.abc import Collection

import jinja2

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.header_text import unsafe_part
from ..content.model import Issue
from ..content.visibility import Visibility
from ..generate.context import BuildContext
from ..generate.email_copies import PREVIEW_SHELF, SHELF, EmailCopies
from ..generate.email_render import MAX_HTML_BYTES, TEMPLATE_FOLDER, EmailRenderError, EmailTooLarge
from ..generate.templates import TemplateProblem


def size_problems(context: BuildContext, failing: Collection[str] = ()) -> list[Diagnostic]:
    """An error at each issue whose email would be over the limit (a warning for drafts),
    and one error if the email templates cannot be used. Issues whose file, or one of
    whose team stories, is in `failing` (has errors already) are not rendered."""
    site, settings = context.site, context.settings
    if not settings.site_url or not settings.mailbox or unsafe_part(settings.site_name):
        return []
    today = context.visibility.today
    published = EmailCopies(context.seen_as(Visibility(today)))
    preview = EmailCopies(context.seen_as(Visibility(today, include_drafts=True)), PREVIEW_SHELF)
    problems: list[Diagnostic] = []
    failing = set(failing)
    for issue in site.issues:
        if issue.origin.path in failing or any(s.origin.path in failing for s in site.stories_of(issue)):
            continue
        if unsafe_part(issue.title):
            continue  # reported by the header check; the email path refuses it
        copies = published if published.visibility.shows(issue) else preview
        try:
            copies.of(issue)
        except EmailTooLarge as exc:
            problems.append(_too_large(issue, exc.size))
        except EmailRenderError as exc:
            folder = f"{settings.templates_dir.rstrip('/')}/{TEMPLATE_FOLDER}"
            problems.append(error(folder, 0, "email.render", f"no email can be made: {exc}"))
            break
        except TemplateProblem as problem:
            problems.append(problem.diagnostic)
            break
        except jinja2.TemplateError as exc:  # a page template the issue's text is made with
            name = exc.name if isinstance(exc, jinja2.TemplateNotFound) else ""
            where = f"{settings.templates_dir.rstrip('/')}/pages/{name}".rstrip("/")
            problems.append(
                error(where, 0, "template.missing", f"the page template cannot be used ({exc}); restore it")
            )
            break
    context.cache.prune([SHELF, PREVIEW_SHELF])
    return problems


def _too_large(issue: Issue, size: int) -> Diagnostic:
    longest = max(issue.sections, key=lambda s: len(s.body), default=None)
    where = f' (its longest section is "{longest.title}", at line {longest.line})' if longest else ""
    report = warning if issue.status == "draft" else error
    return report(
        issue.origin.path,
        issue.origin.body_first_line,
        "email.size",
        f"the email of issue {issue.number} would be {size / 1024:.0f} KB of HTML, over the "
        f"{MAX_HTML_BYTES // 1024} KB limit (Gmail cuts off longer messages, so the build and "
        f"`sofs email` stop on it); shorten the issue{where}, or move some of it to pages the "
        "email links to",
    )
