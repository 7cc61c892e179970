"""The `sofs` command line: check, build, serve and new."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..basics.diagnostics import Report
from ..checks.project import check_project
from .approve_commands import add_approve_command
from .argtypes import iso_date
from .email_commands import add_email_commands
from .environment import fixed_today
from .publish_commands import add_publish_commands
from .subscriber_commands import add_subscriber_commands

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
#: Problems in mkdocs.yml that do harm as soon as MkDocs reads the file, so even a preview
#: (which otherwise runs with content errors) must not start.
_UNSAFE_TO_READ = frozenset({"config.tag", "config.inherit", "config.extension-files"})


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def _print_report(report: Report, output_format: str) -> None:
    if output_format == "json":
        sys.stdout.write(report.as_json())
    else:
        sys.stdout.write(report.as_text())


def _add_no_cache(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file afresh and ignore the results kept in .cache/sofs/ from earlier runs",
    )


def cmd_check(args: argparse.Namespace) -> int:
    result = check_project(_root(args), use_cache=not args.no_cache, today=fixed_today())
    if args.report:
        from ..checks.plain_language import report_json, report_text

        text = result.report.as_text() + report_text(result.site)
        sys.stdout.write(report_json(result.site, result.report) if args.format == "json" else text)
    else:
        _print_report(result.report, args.format)
    return EXIT_PROBLEMS if result.report.fails(args.strict) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    if args.docs_out is not None:  # an empty value (an unset variable) is refused, not a site build
        return _write_docs(args)
    from ..site_build.builder import build_project

    if args.renderer == "zensical":
        from ..zensical_adapter.render import render_site
    else:
        from ..mkdocs_adapter.render import render_site
    result = build_project(
        _root(args),
        functools.partial(render_site, offline=True) if args.offline else render_site,
        include_drafts=args.drafts,
        strict=args.strict,
        use_cache=not args.no_cache,
        today=fixed_today(),
    )
    if result.report.diagnostics:
        sys.stdout.write(result.report.as_text())
    if not result.built:
        if result.failure:
            print(f"error: the site could not be built: {result.failure}", file=sys.stderr)
        print(
            f"Nothing was built; {result.site_dir.name}/ is unchanged. Fix the problems above and run the build again.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    for message in result.renderer_warnings:
        print(f"warning: {message}", file=sys.stderr)
    drafts = " (drafts included: do not publish this copy)" if args.drafts else ""
    if args.offline:
        drafts += (
            f". To read it from a folder, copy {result.site_dir.name}/ there and open index.html;"
            " for the web site, run `sofs build` without --offline"
        )
    print(f"Built {result.pages} pages into {result.site_dir.name}/ in {result.seconds:.1f} s{drafts}.")
    return EXIT_OK


def _write_docs(args: argparse.Namespace) -> int:
    from ..site_build.destinations import refusal
    from ..site_build.docs_tree import write_docs_tree
    from ..site_build.owned_folder import DOCS_MARKER, OutputRefused

    result = check_project(
        _root(args), use_cache=not args.no_cache, include_drafts=args.drafts, today=fixed_today()
    )
    if result.report.diagnostics:
        sys.stdout.write(result.report.as_text())
    if result.report.fails(args.strict):
        print("Nothing was written. Fix the problems above and try again.", file=sys.stderr)
        return EXIT_PROBLEMS
    destination = Path(args.docs_out).expanduser().resolve()
    problem = refusal(result.site.settings, destination, option="--docs-out", own=DOCS_MARKER)
    try:
        if problem:
            raise OutputRefused(problem)
        pages = write_docs_tree(result.context, destination).pages
    except OutputRefused as refused:
        print(f"error: {refused}. Nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote {pages} pages and {destination.name}/mkdocs.yml; build them with any mkdocs.yml renderer.")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ..mkdocs_adapter.render import serve_site
    from ..site_build.builder import RenderFailed

    root = _root(args)
    report = check_project(root, today=fixed_today()).report
    if report.diagnostics:
        sys.stdout.write(report.as_text())
    if any(d.code in _UNSAFE_TO_READ for d in report.errors):
        print(
            "Nothing was previewed: MkDocs would read mkdocs.yml as it is, running the code or reading "
            "the files named above. Fix the problems above and try again.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(
        f"Previewing at http://{args.dev_addr}/ (drafts {'hidden' if args.no_drafts else 'shown'}); "
        "press Ctrl+C to stop.",
        flush=True,
    )
    try:
        serve_site(root, args.dev_addr, include_drafts=not args.no_drafts, today=fixed_today())
    except RenderFailed as exc:
        print(f"error: the preview could not start: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_new_issue(args: argparse.Namespace) -> int:
    from ..content.scaffold import new_issue, title_problem

    problem = title_problem(args.title)
    if problem:
        print(
            f"sofs new issue: error: argument --title: {problem}; "
            'give a title in quotes, like --title "Signs of Wellbeing in early help"; nothing was written',
            file=sys.stderr,
        )
        return EXIT_USAGE
    result = check_project(_root(args), today=fixed_today())
    settings = result.site.settings
    issue_type = args.type or settings.default_issue_type
    if issue_type not in settings.issue_types:
        print(
            f"error: unknown issue type {issue_type!r}; choose one of: "
            f"{', '.join(sorted(settings.issue_types))}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not settings.content_root.is_dir():
        sys.stdout.write(result.report.as_text())
        return EXIT_PROBLEMS
    scaffold = new_issue(
        result.site, title=args.title.strip(), issue_type=issue_type, date=args.date or dt.date.today()
    )
    if scaffold.path.exists():
        print(
            f"error: {scaffold.path.relative_to(_root(args))} already exists; nothing was written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    scaffold.path.write_text(scaffold.text, encoding="utf-8")
    relative = scaffold.path.relative_to(_root(args)).as_posix()
    print(f"Created {relative} as a draft. Write each section, then run `sofs check`.")
    return EXIT_OK


def cmd_new_story(args: argparse.Namespace) -> int:
    from ..content.scaffold import new_story, resolve_team, title_problem

    problem = title_problem(args.title)
    if problem:
        print(
            f"sofs new story: error: argument --title: {problem}; "
            'give a title in quotes, like --title "A plan the family wrote"; nothing was written',
            file=sys.stderr,
        )
        return EXIT_USAGE
    result = check_project(_root(args), today=fixed_today())
    site = result.site
    team, team_problem = resolve_team(args.team, site.settings.teams)
    if team is None:
        print(f"sofs new story: error: argument --team: {team_problem}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    numbers = sorted(issue.number for issue in site.issues)
    number = args.issue if args.issue is not None else (numbers[-1] if numbers else None)
    if number is None or number not in numbers:
        known = ", ".join(str(n) for n in numbers) or "none yet (start one with sofs new issue)"
        print(
            f"sofs new story: error: argument --issue: there is no issue {number}; "
            f"give the number of the issue the story appears in (issues: {known}); nothing was written",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not site.settings.content_root.is_dir():
        sys.stdout.write(result.report.as_text())
        return EXIT_PROBLEMS
    issue_date = next(issue.date for issue in site.issues if issue.number == number)
    scaffold = new_story(
        site, title=args.title.strip(), team=team, issue=number, date=args.date or issue_date
    )
    if scaffold.path.exists():
        print(
            f"error: {scaffold.path.relative_to(_root(args))} already exists; give the story another "
            "title; nothing was written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    scaffold.path.write_text(scaffold.text, encoding="utf-8")
    relative = scaffold.path.relative_to(_root(args)).as_posix()
    print(
        f"Created {relative} for issue {number}. Write the story, then ask someone other than the "
        "writer to check it and fill in anonymisation_reviewed_by and anonymisation_reviewed_on; "
        "then run `sofs check`."
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="sofs",
        description="Build the Signs of Safety newsletter and practice guide from content/.",
        epilog="example:\n  sofs check\n  sofs build\n  sofs serve",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"sofs {__version__}")
    parser.add_argument("--root", default=".", help="the site's folder, where mkdocs.yml is (default: here)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check",
        help="check every content file and list all problems",
        description="Check settings and content; print every problem as path:line: severity: message [code].",
        epilog="example:\n  sofs check\n  sofs check --strict --format json\n  sofs check --report",
        formatter_class=formatter,
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    check.add_argument(
        "--report", action="store_true", help="also show each issue's reading ease and longest sentences"
    )
    _add_no_cache(check)
    check.set_defaults(run=cmd_check)

    build = commands.add_parser(
        "build",
        help="check, then build the site into site/",
        description="Check the content, then build the site. If anything is wrong, site/ is left as it was.",
        epilog="example:\n  sofs build\n  sofs build --drafts   # a private preview copy\n  sofs build --offline  # a copy to open from a folder",
        formatter_class=formatter,
    )
    build.add_argument("--drafts", action="store_true", help="include drafts and future-dated issues")
    build.add_argument("--strict", action="store_true", help="stop on warnings too")
    build.add_argument(
        "--offline",
        action="store_true",
        help="build a copy to open from a folder (shared drive, SharePoint, USB stick): "
        "pages are name.html files and search works without a web server",
    )
    build.add_argument(
        "--renderer",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="what draws the pages: mkdocs (the default) or zensical (an optional extra: "
        "pip install -e '.[zensical]')",
    )
    build.add_argument(
        "--docs-out",
        metavar="DIR",
        help="instead of building, write the generated Markdown pages and a plugin-free mkdocs.yml to DIR",
    )
    _add_no_cache(build)
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser(
        "serve",
        help="preview the site, rebuilding on every edit",
        description="Preview the site in a browser with live reload. Drafts are shown.",
        epilog="example:\n  sofs serve\n  sofs serve --dev-addr 127.0.0.1:8001",
        formatter_class=formatter,
    )
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address and port (default: 127.0.0.1:8000)"
    )
    serve.add_argument("--no-drafts", action="store_true", help="hide drafts, as the published site does")
    serve.set_defaults(run=cmd_serve)

    new = commands.add_parser(
        "new",
        help="start a new issue or team story",
        description="Start new content from a template.",
        epilog='example:\n  sofs new issue --title "Signs of Wellbeing in early help"\n'
        '  sofs new story --title "A plan the family wrote" --team early-help --issue 11',
        formatter_class=formatter,
    )
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    issue = kinds.add_parser(
        "issue",
        help="start the next issue as a draft with every required section",
        description="Create content/issues/NNN-slug.md for the next issue number, as a draft.",
        epilog='example:\n  sofs new issue --title "Signs of Wellbeing in early help"',
        formatter_class=formatter,
    )
    issue.add_argument("--title", default="New issue", help="the issue's title")
    issue.add_argument("--type", help="issue type from mkdocs.yml (default: the default issue type)")
    issue.add_argument("--date", type=iso_date, help="publication date, YYYY-MM-DD (default: today)")
    issue.set_defaults(run=cmd_new_issue)
    story = kinds.add_parser(
        "story",
        help="start a team story for an issue, with its review fields to fill in",
        description="Create content/feedback/slug.md: a team story for an issue, with its "
        "anonymisation review fields left to fill in.",
        epilog='example:\n  sofs new story --title "A plan the family wrote" --team early-help --issue 11',
        formatter_class=formatter,
    )
    story.add_argument("--title", default="New team story", help="the story's title")
    story.add_argument("--team", required=True, help="the team's short name from mkdocs.yml, like early-help")
    story.add_argument("--issue", type=int, help="the issue the story appears in (default: the latest issue)")
    story.add_argument(
        "--date", type=iso_date, help="the story's date, YYYY-MM-DD (default: its issue's date)"
    )
    story.set_defaults(run=cmd_new_story)
    add_email_commands(commands)
    add_subscriber_commands(commands)
    add_publish_commands(commands)
    add_approve_command(commands)
    return parser


#: Commands that write into the project hold its lock for the whole run (`serve` takes it
#: for each rebuild, in the plugin), so a second run waits.
_LOCKED = frozenset(
    {("build", None), ("publish", None), ("approve", None), ("email", "render"), ("email", "send")}
)


def _run_locked(args: argparse.Namespace) -> int:
    from ..site_build.project_lock import project_lock

    if (args.command, getattr(args, "action", None)) not in _LOCKED:
        return int(args.run(args))
    name = " ".join(part for part in ("sofs", args.command, getattr(args, "action", None)) if part)
    if getattr(args, "docs_out", None) is not None:
        name += " --docs-out"
    with project_lock(_root(args), name):
        return int(args.run(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not at exit, where Python would complain
    except BrokenPipeError:
        return _reader_gone()


def _run(argv: Sequence[str] | None) -> int:
    from ..site_build.project_lock import ProjectLockError

    args = build_parser().parse_args(argv)
    try:
        return _run_locked(args)
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return EXIT_PROBLEMS
    except ProjectLockError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception:
        if os.environ.get("SOFS_DEBUG"):
            raise
        print(
            "error: sofs met a problem it does not know how to explain. Nothing was changed. "
            "Please send this to the newsletter's maintainers:\n  "
            + traceback.format_exc().strip().splitlines()[-1],
            file=sys.stderr,
        )
        return EXIT_PROBLEMS


def _reader_gone() -> int:
    """The program reading our output stopped early (`sofs subscribers list | head -1`):
    stop quietly, as the Python documentation advises, by pointing stdout at devnull so the
    last flush at exit has nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_PROBLEMS
