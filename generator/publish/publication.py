"""`sofs publish N`: check, approvals, status, build, email and record, stopping at the first failure.

Each step says what it did, or what is wrong and what to do. The steps that change
something (status, build, email, record) are remembered in a small state file (see
`state`), so running the command again after an interruption carries on: the status line
is already changed, a build that is still in `site/` is not redone, the send ledger sends
only to those who do not have the issue yet, and the record is written once.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..basics.diagnostics import Diagnostic, Report, shown_path
from ..basics.wording import long_date
from ..checks.approvals import issue_approval_problems
from ..checks.project import check_site
from ..content.loader import load_site
from ..content.model import Issue, Site
from ..content.visibility import Visibility, today_in
from ..generate.context import BuildContext
from ..generate.email_render import EmailRenderError, RenderedIssue, render_issue
from ..mail.delivery import SendOptions
from ..mail.sending import pause_advice
from ..settings.reader import CONFIG_FILE, load_settings
from ..site_build.builder import Renderer, build_project
from . import fingerprints as fp
from .approval_four_eyes import four_eyes_check
from .audit_log import append_record, has_publication, log_path
from .mailing import MailingError, MailingResult, ledger_counts, send_issue, smtp_config, subscribers_of
from .record import record_of
from .resend_guard import check_ledger, resend_risk
from .state import PublishState, StateError, publication_lock, read_state, state_path, write_state
from .status_line import StatusLineError, apply_status_change, plan_status_change

EXIT_OK, EXIT_PROBLEMS = 0, 1
STEPS = ("check", "approvals", "status", "build", "email", "record")


class Stop(Exception):
    """Publishing stops here; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class PublishOptions:
    """What `sofs publish` was asked to do."""

    number: int
    by: str
    dry_run: bool = False
    email: bool = True
    send: SendOptions = field(default_factory=SendOptions)
    #: Publish even when the approver is the only author of the text (recorded in the log).
    allow_self_approval: bool = False


@dataclass(frozen=True)
class _Loaded:
    site: Site
    issue: Issue
    problems: tuple[Diagnostic, ...]


def _say(step: str, text: str) -> None:
    print(f"{STEPS.index(step) + 1}/{len(STEPS)} {step}: {text}", flush=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _load(root: Path, number: int) -> _Loaded:
    settings, problems = load_settings(root)
    site, load_problems = load_site(settings)
    everything = (*problems, *load_problems)
    issue = next((i for i in site.issues if i.number == number), None)
    if issue is None:
        errors = Report.of(d for d in everything if d.severity == "error")
        if errors.diagnostics:
            sys.stdout.write(errors.as_text())
            raise Stop(f"issue {number} could not be read; fix the problems above and try again")
        known = ", ".join(str(i.number) for i in site.issues) or "none yet"
        raise Stop(f"there is no issue {number} (issues: {known})")
    return _Loaded(site, issue, everything)


def _as_published(site: Site, issue: Issue) -> tuple[Site, Issue]:
    """The site as it will be once the issue's status says published."""
    published = replace(issue, status="published")
    issues = tuple(published if i is issue else i for i in site.issues)
    return replace(site, issues=issues), published


def publish(
    root: Path,
    options: PublishOptions,
    environ: Mapping[str, str],
    *,
    render: Renderer,
    today: dt.date | None = None,
) -> int:
    """Run every step for issue `options.number`, building the site with `render`; returns
    the exit status. `today` fixes the day (otherwise the clock's, in the site's time zone);
    the caller holds the project's lock."""
    try:
        return _Publication(root, options, environ, render, today).run()
    except Stop as stop:
        print(f"error: {stop}", file=sys.stderr)
        return EXIT_PROBLEMS


class _Publication:
    def __init__(
        self,
        root: Path,
        options: PublishOptions,
        environ: Mapping[str, str],
        render: Renderer,
        fixed_today: dt.date | None,
    ) -> None:
        self.root = root
        self.options = options
        self.environ = environ
        self.render = render
        self.fixed_today = fixed_today
        self.four_eyes: dict[str, Any] | None = None

    def run(self) -> int:
        options = self.options
        loaded = _load(self.root, options.number)
        site, issue = loaded.site, loaded.issue
        settings = site.settings
        self.state_file = state_path(settings.subscribers_path, issue.number)
        state = self._read_state()
        if state is not None and state.recorded:
            print(
                f"Issue {issue.number} was published in publication {state.publication} "
                f"(started {state.started}); nothing is left to do. See `sofs audit {issue.number}`."
            )
            return EXIT_OK
        if state is not None and state.email_started and not options.email:
            raise Stop(
                f"sending issue {issue.number} began in an earlier run; run `sofs publish {issue.number}` "
                "without --no-email to finish it (nobody who has it gets it twice)"
            )
        future, published = _as_published(site, issue)
        today = self.today = today_in(settings.zone, self.fixed_today)
        rendered = self._check(loaded, future, published, today, state)
        self._approvals(future, published, today)
        if options.email:
            self._email_ready(future)
        if options.dry_run:
            return self._dry_run(site, published, rendered)
        with publication_lock(self.state_file):
            state = self._read_state() or PublishState(issue.number, uuid.uuid4().hex, _now())
            if options.by not in state.by:
                state.by.append(options.by)
            write_state(self.state_file, state)
            self._status(issue)
            site, published = self._build(state)
            result = self._email(site, published, state)
            return self._record(site, published, state, result)

    # -- steps ---------------------------------------------------------------------------------
    def _read_state(self) -> PublishState | None:
        try:
            return read_state(self.state_file)
        except StateError as exc:
            raise Stop(str(exc)) from None

    def _check(
        self, loaded: _Loaded, future: Site, issue: Issue, today: dt.date, state: PublishState | None
    ) -> RenderedIssue | None:
        """Everything `sofs check` reports for the site as it will be, strict for this issue."""
        report = Report.of([*loaded.problems, *check_site(BuildContext(future, Visibility(today)))])
        content = {issue.origin.path, *(s.origin.path for s in future.stories_of(issue))}
        own = {*content, CONFIG_FILE}
        blocking = [
            d
            for d in report.diagnostics
            if (d.severity == "error" or d.path in own)
            and not (d.code.startswith("approval.") and d.path in content)  # the next step's business
        ]
        if blocking:
            sys.stdout.write(Report.of(blocking).as_text())
            _say("check", "stopped")
            raise Stop(
                f"fix the problems above, then run `sofs publish {issue.number}` again; "
                "nothing was changed, built or sent (warnings in this issue, its stories and "
                f"{CONFIG_FILE} count too: what goes out must be clean)"
            )
        if issue.date > today:
            _say("check", "stopped")
            raise Stop(
                f"issue {issue.number} is dated {long_date(issue.date)}, after today; publish it on or "
                f"after that day, or change its date in {issue.origin.path}"
            )
        rendered = None
        if self.options.email:
            try:
                rendered = render_issue(BuildContext(future, Visibility(today)), issue)
            except EmailRenderError as exc:
                _say("check", "stopped")
                raise Stop(f"{exc}; nothing was changed, built or sent") from None
            if state is not None and state.email_started:
                now = {
                    "email_html": fp.sha256(rendered.html.encode()),
                    "email_text": fp.sha256(rendered.text.encode()),
                }
                if now != state.email_started:
                    _say("check", "stopped")
                    raise Stop(
                        f"issue {issue.number} has changed since sending began in an earlier run, so the "
                        "rest of the subscribers would get a different email; undo the change and run "
                        f"`sofs publish {issue.number}` again to finish sending the approved version"
                    )
        elsewhere = len(report.warnings) - sum(1 for d in report.warnings if d.path in own)
        note = (
            f" ({elsewhere} warning{'s' if elsewhere != 1 else ''} in other files do not block it)"
            if elsewhere
            else ""
        )
        _say("check", f"issue {issue.number}, its stories and the settings are clean{note}")
        return rendered

    def _email_ready(self, future: Site) -> None:
        """Subscribers and SMTP settings are there, and no one would get the issue twice."""
        try:
            subscribers = subscribers_of(future)
            smtp_config(self.environ)
        except MailingError as exc:
            raise Stop(f"{exc}; nothing was changed, built or sent") from None
        number = self.options.number
        risk = resend_risk(future.settings, number, check_ledger(future.settings, number, subscribers))
        if risk is not None:
            raise Stop(f"{risk.explain()}, or publish on the web only with --no-email")

    def _approvals(self, future: Site, issue: Issue, today: dt.date) -> None:
        found = issue_approval_problems(future, issue, today, required=True, state="being published")
        if found:
            sys.stdout.write(Report.of(found).as_text())
            _say("approvals", "stopped")
            raise Stop(
                f"issue {issue.number} cannot go out without the sign-offs above; put them right as each "
                f"says, then run `sofs publish {issue.number}` again; nothing was changed, built or sent"
            )
        required = future.settings.required_approvals
        four_eyes = self._four_eyes(future, issue)
        if not required:
            _say("approvals", f"none are required (required_approvals in {CONFIG_FILE} is empty){four_eyes}")
            return
        parts = []
        if issue.approved_by and issue.approved_on:
            parts.append(f"approved by {issue.approved_by} on {long_date(issue.approved_on)}")
        stories = future.stories_of(issue)
        if "story_anonymisation" in required:
            parts.append(
                f"{len(stories)} team stor{'ies' if len(stories) != 1 else 'y'} checked for anonymisation"
            )
        _say("approvals", ("; ".join(parts) or "present") + four_eyes)

    def _four_eyes(self, site: Site, issue: Issue) -> str:
        """Refuse when the approver is the only author of the text (unless allowed); returns
        what to say about it."""
        if issue.approved_by is None:
            return ""
        result = four_eyes_check(site, issue, allow_self_approval=self.options.allow_self_approval)
        self.four_eyes = result.record
        if result.refusal:
            _say("approvals", "stopped")
            raise Stop(f"{result.refusal}; nothing was changed, built or sent")
        return f"; {result.summary}"

    def _status(self, issue: Issue) -> None:
        path = self.root / issue.origin.path
        try:
            change = plan_status_change(path, issue.origin.path, issue.origin.line_of("status"), "published")
            apply_status_change(change)
        except StatusLineError as exc:
            _say("status", "stopped")
            raise Stop(str(exc)) from None
        except OSError as exc:
            _say("status", "stopped")
            raise Stop(
                f"{issue.origin.path} cannot be written ({exc.strerror}); nothing was built or sent"
            ) from None
        if change.needed:
            _say("status", f"{issue.origin.path}:{change.line}: `{change.before}` is now `{change.after}`")
        else:
            _say("status", f"{issue.origin.path} already says published")

    def _build(self, state: PublishState) -> tuple[Site, Issue]:
        loaded = _load(self.root, self.options.number)
        settings, issue = loaded.site.settings, loaded.issue
        current = {name: f.sha256 for name, f in fp.fingerprints(self.root, settings, issue).items()}
        if state.built is not None and current == state.built:
            _say("build", f"already done: {settings.site_dir}/ holds this issue's build")
            return loaded.site, issue
        # Publishing checks every file afresh.
        result = build_project(self.root, self.render, use_cache=False, today=self.fixed_today)
        if not result.built:
            if result.report.errors:
                sys.stdout.write(Report.of(result.report.errors).as_text())
            _say("build", "stopped")
            why = f" ({result.failure})" if result.failure else ""
            raise Stop(
                f"the site could not be built{why}; {settings.site_dir}/ is as it was. {issue.origin.path} "
                f"already says published: fix the problem, then run `sofs publish {issue.number}` again"
            )
        loaded = _load(self.root, self.options.number)
        built = {name: f.sha256 for name, f in fp.fingerprints(self.root, settings, loaded.issue).items()}
        missing = [fp.LABELS[name] for name, value in built.items() if value is None and name != "page_text"]
        if missing:
            _say("build", "stopped")
            raise Stop(
                f"the build has no {', '.join(missing)} for issue {issue.number}; check its date and "
                f"status, then run `sofs publish {issue.number}` again"
            )
        state.built = {name: value for name, value in built.items() if value is not None}
        write_state(self.state_file, state)
        _say("build", f"{result.pages} pages built into {settings.site_dir}/ in {result.seconds:.1f} s")
        return loaded.site, loaded.issue

    def _email(self, site: Site, issue: Issue, state: PublishState) -> MailingResult | None:
        if not self.options.email:
            _say("email", "not sent (--no-email): the issue is on the web only")
            return None
        try:
            rendered = render_issue(BuildContext(site, Visibility(self.today)), issue)
        except EmailRenderError as exc:
            _say("email", "stopped")
            raise Stop(str(exc)) from None
        hashes = {
            "email_html": fp.sha256(rendered.html.encode()),
            "email_text": fp.sha256(rendered.text.encode()),
        }
        built = state.built or {}
        if any(built.get(name) != value for name, value in hashes.items()):
            _say("email", "stopped")
            raise Stop(
                f"the email made now differs from the copy the build published in {site.settings.site_dir}/email/; "
                f"the content changed during publishing: run `sofs publish {issue.number}` again"
            )
        if state.email_started is None:
            state.email_started = hashes
            write_state(self.state_file, state)
        try:
            result = send_issue(
                site, rendered, subscribers_of(site), smtp_config(self.environ), self.options.send
            )
        except MailingError as exc:
            _say("email", "stopped")
            raise Stop(str(exc)) from None
        counts = result.counts
        _say(
            "email",
            f"{result.summary.sent} sent in this run; in all {counts['sent']} sent, {counts['failed']} failed, "
            f"{counts['uncertain']} uncertain, {result.waiting} not sent yet",
        )
        for address, reply in (*result.summary.failed, *result.summary.uncertain, *result.summary.deferred):
            print(f"  {address}: {reply}")
        advice = pause_advice(result, site.settings, f"sofs publish {issue.number}")
        if advice:
            raise Stop(f"{advice}. The site is already up to date")
        if not result.finished:
            why = (
                f"sending stopped: {result.summary.stopped}"
                if result.summary.stopped
                else "some servers asked us to try later"
            )
            raise Stop(
                f"{why}. Run `sofs publish {issue.number}` again (later) to carry on: nobody who has it "
                "gets it twice, and the site is already up to date"
            )
        state.emailed = True
        write_state(self.state_file, state)
        return result

    def _record(self, site: Site, issue: Issue, state: PublishState, result: MailingResult | None) -> int:
        settings = site.settings
        log = log_path(settings.subscribers_path)
        shown = shown_path(log, self.root)
        head = ""
        if not has_publication(log, shown, state.publication):
            record = record_of(
                site,
                issue,
                state,
                result,
                four_eyes=self.four_eyes,
                allow_self_approval=self.options.allow_self_approval,
            )
            head = f" (chain head {append_record(log, record)})"
        state.recorded = True
        write_state(self.state_file, state)
        _say("record", f"added to {shown}{head}; see it with `sofs audit {issue.number}`")
        if result is not None and (result.counts["failed"] or result.counts["uncertain"]):
            print(
                f"Issue {issue.number} is published, but not everyone got the email: see "
                f"`sofs email status {issue.number}`. Uncertain messages may have arrived; after checking, "
                f"`sofs email send {issue.number} --resend-uncertain` sends them again.",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        print(f"Issue {issue.number} is published.")
        return EXIT_OK

    def _dry_run(self, site: Site, issue: Issue, rendered: RenderedIssue | None) -> int:
        settings = site.settings
        try:
            change = plan_status_change(
                self.root / issue.origin.path, issue.origin.path, issue.origin.line_of("status"), "published"
            )
        except StatusLineError as exc:
            raise Stop(str(exc)) from None
        if change.needed:
            _say(
                "status",
                f"would change {issue.origin.path}:{change.line} from `{change.before}` to `{change.after}`",
            )
        else:
            _say("status", f"{issue.origin.path} already says published")
        _say("build", f"would build the site into {settings.site_dir}/ (swapped in whole when complete)")
        if rendered is None:
            _say("email", "would not send (--no-email): the issue would be on the web only")
        else:
            try:
                subscribers = subscribers_of(site)
                where = smtp_config(self.environ).describe()
                counts = ledger_counts(site, issue)
            except MailingError as exc:
                raise Stop(str(exc)) from None
            done = sum(counts[s] for s in ("sent", "failed", "uncertain", "sending")) if counts else 0
            _say(
                "email",
                f"would send {rendered.subject!r} to {len(subscribers) - done if done <= len(subscribers) else 0} "
                f"of {len(subscribers)} subscribers through {where}",
            )
        log = log_path(settings.subscribers_path)
        shown = shown_path(log, self.root)
        _say("record", f"would add a record to {shown}")
        print("Dry run: nothing was changed, built or sent.")
        return EXIT_OK
