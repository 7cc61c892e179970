"""Links and images inside the site that point nowhere.

MkDocs only warns, while building, about a link to a page that does not exist; a reader
then gets a "page not found". `sofs check` reads every link and image of every content
file (Markdown inline and reference-style links, and `<a href>` / `<img src>` written in
HTML) and makes each one that points nowhere a located error, with the address that was
probably meant when there is one close to it.

Links are read as MkDocs reads them: a Markdown link is resolved from the folder of the
page the text is shown on (see `site_addresses`), and must name a page's `.md` file or a
file the site has; `#section` must be a heading of that page. HTML is not rewritten by
MkDocs, so its addresses are resolved from the page's web address. Web addresses
(`https:`, `mailto:` ...) are not checked, nor text in code or comments; addresses that
leave the content folder are `links.py`'s.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.markdown_scan import LineKind, link_definition, scan_markdown, without_code_spans
from ..content.model import Site
from ..content.source_lines import SourceLines
from ..content.visibility import Visibility
from ..generate.context import BuildContext
from ..generate.urls import page_url, relative_path
from .heading_ids import Slugify, heading_ids, toc_options
from .site_addresses import Shown, SiteAddresses

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_HTML_ADDRESS = re.compile(
    r"<(a|img|source|audio|video)\b[^>]*?\s(href|src)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+)",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class _Written:
    """One address as written: its line, whether it is an image, and whether it is HTML."""

    line: int
    address: str
    image: bool
    in_html: bool = False


def _label_key(label: str) -> str:
    return _SPACES.sub(" ", label.strip()).casefold()


def _shorten(address: str) -> str:
    return address if len(address) <= 70 else address[:67] + "..."


class LinkChecker:
    """Checks the links of each content file against the addresses of the built site."""

    def __init__(self, context: BuildContext) -> None:
        self.context = context
        self.site: Site = context.site
        settings = self.site.settings
        self.docs_prefix = settings.docs_dir.strip("/") + "/"
        self.directory_urls = settings.use_directory_urls
        self.addresses = SiteAddresses.of(self.site, context.content_files.copied, context.visibility.today)
        self.present = frozenset(file.relative for file in context.content_files.files)
        self.slugify: Slugify | None = toc_options(settings.markdown_extensions)
        self._page_ids: dict[str, frozenset[str]] = {}

    @cached_property
    def _generated(self) -> dict[str, str]:
        """Every page's Markdown as generated (drafts included), made only when an anchor is
        not among the headings of the page's own content."""
        from ..generate.pages import PageGenerator

        preview = self.context.seen_as(Visibility(self.context.visibility.today, include_drafts=True))
        return dict(PageGenerator(preview).generate().pages)

    @cached_property
    def _page_urls(self) -> dict[str, str]:
        """Each page by its web address (with and without the closing slash)."""
        urls = {page_url(p, self.directory_urls): p for p in self.addresses.pages}
        urls.update({url.rstrip("/"): p for url, p in list(urls.items()) if url})
        return urls

    @cached_property
    def _sources_by_page(self) -> dict[str, list[tuple[SourceLines, Shown]]]:
        """The content files shown on each page, with where."""
        by_page: dict[str, list[tuple[SourceLines, Shown]]] = {}
        for source in self.site.sources:
            shown = self.addresses.shown.get(self._relative(source.path))
            if shown is not None:
                by_page.setdefault(shown.page, []).append((source, shown))
        return by_page

    def _source_ids(self, page: str) -> frozenset[str]:
        """The ids made by the content shown on `page` (its file and its stories)."""
        assert self.slugify is not None
        ids: set[str] = set()
        for source, shown in self._sources_by_page.get(page, []):
            body = "\n".join(source.lines[source.body_start - 1 :])
            ids |= heading_ids(body, self.slugify)
            if shown.anchor:
                ids.add(shown.anchor)
        return frozenset(ids)

    def _has_anchor(self, page: str, anchor: str) -> bool:
        if self.slugify is None or not anchor:
            return True
        if page not in self._page_ids:
            self._page_ids[page] = self._source_ids(page)
        if anchor in self._page_ids[page]:
            return True
        generated = self._generated.get(page)
        if generated is None:
            return True
        self._page_ids[page] = self._page_ids[page] | heading_ids(generated, self.slugify)
        return anchor in self._page_ids[page]

    def _relative(self, path: str) -> str:
        return path[len(self.docs_prefix) :] if path.startswith(self.docs_prefix) else path

    def problems(self) -> list[Diagnostic]:
        """Every internal link or image of the content that points nowhere."""
        found: list[Diagnostic] = []
        for source in self.site.sources:
            relative = self._relative(source.path)
            shown = self.addresses.shown.get(relative)
            if shown is None and relative.count("/") == 0:
                continue  # not shown on any page (the acronyms list)
            page = shown.page if shown is not None else relative
            for written in _addresses(source):
                message = self._problem(written, relative, page)
                if message is not None:
                    report = warning if message.startswith("~") else error
                    code = "link.image" if written.image else "link.broken"
                    found.append(report(source.path, written.line, code, message.lstrip("~")))
        return found

    def _problem(self, written: _Written, source: str, page: str) -> str | None:
        if written.address.startswith("\0"):
            label = written.address[1:]
            what = "picture" if written.image else "link"
            return (
                f'the {what} "[{_shorten(label)}]" has no address, so it shows as plain text with its '
                f"brackets; add a line like `[{_shorten(label)}]: ../tools/mapping.md` under the "
                "paragraph, or write the address in brackets straight after it"
            )
        raw = _ESCAPE.sub(r"\1", html.unescape(written.address.strip()))
        if not raw or _SCHEME.match(raw) or raw.startswith(("/", "\\")):
            return None
        path, _, anchor = raw.partition("#")
        path = unquote(path.split("?", 1)[0])
        anchor = unquote(anchor)
        what = "picture" if written.image else "link"
        if not path:
            if self._has_anchor(page, anchor):
                return None
            return (
                f'the {what} "#{anchor}" points to a section this page does not have; '
                f"{self._anchor_hint(page, anchor)}"
            )
        if written.in_html:
            return self._html_problem(written, raw, path, anchor, page)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target in self.addresses.pages:
            return self._page_problem(written, target, anchor, page)
        if target in self.addresses.files:
            return None
        content_target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if content_target.startswith("../") or content_target == "..":
            return None  # leaves the content folder: links.py reports it
        if target in self.present or content_target in self.present:
            return None  # a file the site does not copy: reported with the content files
        return self._missing(written, path, target, content_target, page)

    def _page_problem(self, written: _Written, target: str, anchor: str, page: str) -> str | None:
        if anchor and not self._has_anchor(target, anchor):
            return (
                f'the link "{_shorten(written.address)}" points to a section that page does not have; '
                f"{self._anchor_hint(target, anchor, page)}"
            )
        if target not in self.addresses.published and page in self.addresses.published:
            return (
                f'~the link "{_shorten(written.address)}" points to an issue that is not published yet '
                "(a draft or dated in the future), so readers of the site would find nothing there; "
                "publish that issue first or take the link out"
            )
        return None

    def _anchor_hint(self, page: str, anchor: str, here: str | None = None) -> str:
        self._has_anchor(page, "\0")  # make sure the generated headings are known
        ids = sorted(self._page_ids.get(page, frozenset()))
        close = difflib.get_close_matches(anchor, ids, n=1, cutoff=0.6)
        prefix = "" if here is None else relative_path(page, posixpath.dirname(here) or ".")
        if close:
            return f'did you mean "{prefix}#{close[0]}"? A section\'s name is its heading in lower case with hyphens'
        return "link to a heading that is there (its name is the heading in lower case with hyphens), or take the #... part out"

    def _missing(self, written: _Written, path: str, target: str, content_target: str, page: str) -> str:
        what = "picture" if written.image else "link"
        shown_there = self.addresses.shown.get(content_target)
        folder = posixpath.dirname(page) or "."
        if shown_there is not None:
            suggestion = relative_path(shown_there.page, folder)
            if shown_there.anchor:
                suggestion += "#" + shown_there.anchor
            if shown_there.page == content_target and not shown_there.anchor:
                return (
                    f'the {what} "{_shorten(written.address)}" is read from where this text is shown on the '
                    f'site ({page}), not from its file\'s folder; write "{suggestion}" instead'
                )
            where = "inside its issue's page" if shown_there.anchor else "at a different place on the site"
            return (
                f'the {what} "{_shorten(written.address)}" names a content file, but that text is shown '
                f'{where}; write "{suggestion}" instead'
            )
        page_form = self._page_form(target)
        if page_form is not None:
            return (
                f'the {what} "{_shorten(written.address)}" is written as a web address; '
                f'link to the page\'s file instead: "{relative_path(page_form, folder)}"'
            )
        candidates = self.addresses.pages if target.endswith(".md") else self.addresses.files
        near = _nearest(target, candidates)
        hint = f'did you mean "{relative_path(near, folder)}"? ' if near else ""
        if written.image or not target.endswith(".md"):
            fix = (
                "put the file in content/ (pictures in content/images/) and write its address "
                f"from this page's folder ({folder if folder != '.' else 'the top of the site'})"
            )
            return (
                f'the {what} "{_shorten(written.address)}" points to a file that does not exist; {hint}{fix}'
            )
        return (
            f'the link "{_shorten(written.address)}" points to a page that does not exist; {hint}'
            "check the spelling, or link to an existing page such as ../tools/mapping.md"
        )

    def _page_form(self, target: str) -> str | None:
        """The page a web-style address (`../tools/mapping/`) means, if it names one."""
        bare = target.rstrip("/")
        for candidate in (f"{bare}.md", f"{bare}/index.md", bare.removesuffix(".html") + ".md"):
            if candidate in self.addresses.pages:
                return candidate
        return None

    def _html_problem(self, written: _Written, raw: str, path: str, anchor: str, page: str) -> str | None:
        here = page_url(page, self.directory_urls)
        base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
        target = posixpath.normpath(posixpath.join(base or ".", path))
        if path.endswith("/"):
            target += "/"
        urls = self._page_urls
        if target in self.addresses.files:
            return None
        if target in urls or (target == "." and "" in urls):
            linked = urls.get(target, urls.get(""))
            if anchor and linked is not None and not self._has_anchor(linked, anchor):
                return (
                    f'the link "{_shorten(written.address)}" points to a section that page does not have; '
                    f"{self._anchor_hint(linked, anchor)}"
                )
            return None
        markdown_target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        what = "picture" if written.image else "link"
        if markdown_target in self.addresses.pages or markdown_target in self.addresses.files:
            markdown = f"![describe the picture]({raw})" if written.image else f"[text]({raw})"
            return (
                f'the {what} "{_shorten(written.address)}" is written in HTML, which is not adjusted the '
                f"way Markdown links are, so it points nowhere on the site; write it in Markdown instead, "
                f"like {markdown}"
            )
        near = _nearest(markdown_target, self.addresses.pages | self.addresses.files)
        hint = f'did you mean "{relative_path(near, posixpath.dirname(page) or ".")}"? ' if near else ""
        return (
            f'the {what} "{_shorten(written.address)}" points to nothing on the site; {hint}'
            "write it as a Markdown link to the file, like [text](../tools/mapping.md)"
        )


def _nearest(target: str, candidates: frozenset[str]) -> str | None:
    """The known address closest to `target`: the same file name in another folder, else
    the closest spelling."""
    name = posixpath.basename(target).casefold()
    same_name = [c for c in candidates if posixpath.basename(c).casefold() == name]
    if len(same_name) == 1:
        return same_name[0]
    close = difflib.get_close_matches(target, sorted(candidates), n=1, cutoff=0.6)
    if close:
        return close[0]
    by_name: dict[str, str] = {}
    for candidate in sorted(candidates):
        by_name.setdefault(posixpath.basename(candidate), candidate)
    names = difflib.get_close_matches(posixpath.basename(target), sorted(by_name), n=1, cutoff=0.75)
    return by_name[names[0]] if names else None


def _addresses(source: SourceLines) -> Iterator[_Written]:
    """The addresses the body of `source` links to, outside code and comments: inline
    links and images, reference definitions, undefined references, and HTML links."""
    first = source.body_start - 1
    scan = source.scan
    visible = scan_markdown(scan.visible_text(keep_line_breaks=True), first) if scan.comments else scan
    definitions: dict[str, str] = {}
    for index in range(first, len(visible.lines)):
        if visible.kinds[index] is not LineKind.TEXT:
            continue
        line = without_code_spans(visible.lines[index])
        definition = link_definition(line)
        if definition is not None:
            label, address = definition
            definitions.setdefault(_label_key(label), address)
            yield _Written(index + 1, address, image=False)
        for match in _HTML_ADDRESS.finditer(line):
            value = match.group(3).strip("\"'")
            yield _Written(index + 1, value, image=match.group(1).lower() != "a", in_html=True)
    for link in visible.links(first):
        if link.destination is not None:
            yield _Written(link.line + 1, link.destination, link.image)
            continue
        label = link.label if link.label else link.text
        if label is None or label.startswith("^") or _label_key(label) in definitions:
            continue
        yield _Written(link.target_line + 1, "\0" + label, link.image)


def link_problems(context: BuildContext) -> list[Diagnostic]:
    """Every internal link and image in the content that points nowhere, as located errors."""
    checker = LinkChecker(context)
    return checker.problems()
