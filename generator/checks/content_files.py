"""The files in `content/` that are not published: each one named, with what to do.

The rule of what is copied is `content.assets`; this check puts its verdicts into words.
Backups, temporary files and hidden files are warnings (they are never copied, and an
editor makes them on its own); every other file the site does not take is an error, so
a stray spreadsheet, web page or script is noticed before anyone expects it online.
"""

from __future__ import annotations

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.assets import ContentFile, ContentFiles, Verdict, extra_types, format_name
from ..settings.model import CONFIG_FILE, Settings

_ALLOW = 'allow its type in {config} under the sofs plugin, like `extra_file_types: ["{ending}"]`'
_MOVE = "move it out of the content folder (or delete it)"
_PICTURES = "the site copies pictures (PNG, JPEG, GIF, WebP, AVIF, plain SVG) and PDF documents"


def content_file_problems(settings: Settings, files: ContentFiles) -> list[Diagnostic]:
    """A diagnostic for each file of `files` that is not copied (housekeeping files such as
    `.gitkeep` apart), and for each entry of `extra_file_types` that cannot be allowed."""
    root = settings.docs_dir.rstrip("/")
    problems = [_problem(f"{root}/{file.relative}", file) for file in files.files]
    for index, why in extra_types(settings.extra_file_types)[1]:
        line = settings.config_line("extra_file_types", index)
        problems.append(error(CONFIG_FILE, line, "config.invalid", f'"extra_file_types" has {why}'))
    return [problem for problem in problems if problem is not None]


def _problem(path: str, file: ContentFile) -> Diagnostic | None:
    verdict, detail = file.verdict, file.detail
    name = path.rsplit("/", 1)[-1]
    allow = _ALLOW.format(config=CONFIG_FILE, ending=detail)
    if verdict is Verdict.COPY or verdict is Verdict.HOUSEKEEPING:
        return None
    if verdict is Verdict.BACKUP:
        return warning(
            path,
            0,
            "file.backup",
            "this looks like an editor's backup or temporary file; it is never published. "
            "Delete it when you no longer need it, or keep such files outside the content folder",
        )
    if verdict is Verdict.HIDDEN:
        noun = "folder: nothing in it is" if detail == "folder" else "file: it is never"
        return warning(path, 0, "file.hidden", f"a hidden {noun} published; {_MOVE} if it is not needed here")
    if verdict is Verdict.MARKDOWN_NAME:
        stem = name[: -len(detail)] if name.lower().endswith(detail) else name
        return error(
            path,
            0,
            "file.markdown-name",
            f'this Markdown file ends in "{name[len(stem) :]}", which sofs does not read, so its text '
            f'would be left out of the site; rename it to "{stem}.md"',
        )
    if verdict is Verdict.DATA:
        return error(
            path,
            0,
            "file.data",
            f"a data file ({detail}) is not published: it may hold private details such as names of "
            f"staff or families. {_MOVE.capitalize()}; if readers should download it, {allow}",
        )
    if verdict is Verdict.WEB:
        return error(
            path,
            0,
            "file.web",
            f"a web page or style sheet ({detail}) is never published from the content folder: it "
            "could run script or change the site's pages. Write the text as a Markdown page in "
            f"pages/ (theme changes go in the templates folder's theme/), then {_MOVE}",
        )
    if verdict is Verdict.PROGRAM:
        return error(path, 0, "file.program", f"a program or script ({detail}) is never published; {_MOVE}")
    if verdict is Verdict.SVG:
        return error(
            path,
            file.line,
            "file.svg",
            f"this SVG image has {detail}, which could run or load something when it is opened, so "
            "it is not published; export it again as a plain SVG picture or as a PNG",
        )
    if verdict is Verdict.PDF:
        return error(
            path,
            0,
            "file.pdf",
            f"this PDF holds {detail}, so it is not published; save it again as a plain PDF "
            '(for example with "Print to PDF")',
        )
    if verdict is Verdict.DISGUISED:
        return error(path, 0, "file.disguised", _disguised(name, detail))
    if verdict is Verdict.UNREADABLE:
        return error(path, 0, "file.unreadable", f"the file cannot be read ({detail}); it is not published")
    if not detail:
        return error(
            path,
            0,
            "file.type",
            f"this file has no type ending (like .png or .pdf), so it is not published; {_PICTURES}. "
            f"Add its ending, or {_MOVE}",
        )
    return error(
        path,
        0,
        "file.type",
        f'files of type "{detail}" are not published: {_PICTURES}. {_MOVE.capitalize()}, or, if '
        f"readers should download it, {allow}",
    )


def _disguised(name: str, found: str) -> str:
    ending = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    what, right = format_name(found)
    if not what:
        return (
            f'this file is named "{ending}" but its contents are not of that type, so it is not '
            f"published; save it again in that format, or {_MOVE}"
        )
    stem = name[: -len(ending)] if ending else name
    picture = right in (".png", ".jpg", ".gif", ".webp", ".avif", ".pdf", ".svg")
    fix = f'rename it to "{stem}{right}"' if picture else _MOVE
    return f'this file is named "{ending}" but holds {what}, so it is not published; {fix}'
