"""What may be copied from the content folder to the site: the one rule.

Markdown is read by the loader and published through the generated pages, never copied
as it is. Of every other file in `content/` only these are copied, unchanged:

- pictures: PNG, JPEG, GIF, WebP and AVIF whose first bytes are those of that format,
  and SVG images that are plain pictures (`content.svg_image`);
- PDF documents that start as a PDF does and hold no JavaScript or launch command (a
  quick scan of the file's bytes; it cannot see inside compressed object streams);
- files of a type listed under the plugin's `extra_file_types` in `mkdocs.yml`, unless
  their first bytes show a web page or an SVG image.

Nothing else is copied: editors' backups and temporary files, hidden files and folders,
other spellings of Markdown, data files, web pages and style sheets, programs and scripts,
and any other type. `checks.content_files` reports each with what to do; the MkDocs plugin
and `sofs build --docs-out` copy exactly `ContentFiles.copied`, so a build never copies a
file `sofs check` refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from ..settings.model import Settings
from .svg_image import svg_problem
from .walk import walk_content


class Verdict(StrEnum):
    """What the rule decides for one file of the content folder."""

    COPY = "copy"
    HOUSEKEEPING = "housekeeping"  # .gitkeep and the like: not copied, nothing to say
    BACKUP = "backup"
    HIDDEN = "hidden"
    MARKDOWN_NAME = "markdown-name"
    DATA = "data"
    WEB = "web"
    PROGRAM = "program"
    SVG = "svg"
    PDF = "pdf"
    DISGUISED = "disguised"
    TYPE = "type"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ContentFile:
    """One file (or hidden folder) of the content folder and the rule's verdict on it.

    `relative` is its path under the content folder (forward slashes); `detail` says what
    was found (the type, what the bytes really hold, what makes an SVG unsafe) and `line`
    where, when that is known."""

    relative: str
    verdict: Verdict
    detail: str = ""
    line: int = 0

    @property
    def copied(self) -> bool:
        """Whether the site gets this file."""
        return self.verdict is Verdict.COPY


@dataclass(frozen=True)
class ContentFiles:
    """The verdict on every file of the content folder other than its `.md` files."""

    files: tuple[ContentFile, ...] = ()

    @property
    def copied(self) -> tuple[str, ...]:
        """The files the site gets, by their path under the content folder."""
        return tuple(file.relative for file in self.files if file.copied)


#: The pictures copied, by ending, with the format their bytes must show.
IMAGE_FORMATS = (
    (".png", "png"),
    (".jpg", "jpeg"),
    (".jpeg", "jpeg"),
    (".gif", "gif"),
    (".webp", "webp"),
    (".avif", "avif"),
)
_FORMAT_NAMES = (
    ("png", "a PNG image", ".png"),
    ("jpeg", "a JPEG image", ".jpg"),
    ("gif", "a GIF image", ".gif"),
    ("webp", "a WebP image", ".webp"),
    ("avif", "an AVIF image", ".avif"),
    ("pdf", "a PDF document", ".pdf"),
    ("svg", "an SVG image", ".svg"),
    ("html", "a web page", ".html"),
    ("sqlite", "an SQLite database", ".sqlite"),
    ("zip", "a ZIP archive (or an Office document)", ".zip"),
)
MARKDOWN_ENDINGS = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".rmd")
DATA_ENDINGS = (
    *(".csv", ".tsv", ".xls", ".xlsx", ".xlsm", ".xlsb", ".ods", ".numbers"),
    *(".sqlite", ".sqlite3", ".db", ".db3", ".sqlite-wal", ".sqlite-shm", ".db-journal", ".sqlite-journal"),
    *(".mdb", ".accdb", ".dbf", ".sql", ".dump", ".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".toml"),
    *(".xml", ".parquet", ".feather", ".arrow", ".sav", ".dta", ".rdata", ".rds", ".pkl", ".pickle"),
    *(".npy", ".h5", ".hdf5", ".vcf", ".ics", ".eml", ".msg", ".mbox", ".pst", ".ost", ".ldif"),
)
WEB_ENDINGS = (
    *(".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".mht", ".mhtml", ".svgz"),
    *(".php", ".phtml", ".asp", ".aspx", ".jsp", ".cfm", ".cgi", ".css", ".htc", ".xsl", ".xslt"),
)
PROGRAM_ENDINGS = (
    *(".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".wasm", ".py", ".pyc", ".pyw", ".pyz"),
    *(".sh", ".bash", ".zsh", ".fish", ".ksh", ".csh", ".ps1", ".psm1", ".psd1", ".bat", ".cmd"),
    *(".vbs", ".vbe", ".vba", ".wsf", ".wsh", ".jse", ".hta", ".exe", ".dll", ".so", ".dylib"),
    *(".msi", ".msix", ".appx", ".jar", ".class", ".com", ".scr", ".pif", ".cpl", ".pl", ".pm"),
    *(".rb", ".lua", ".apk", ".app", ".dmg", ".pkg", ".deb", ".rpm", ".swf", ".lnk", ".reg"),
    *(".inf", ".url", ".desktop", ".webloc", ".xpi", ".crx", ".docm", ".xlam", ".pptm"),
)
BACKUP_ENDINGS = (
    *(".bak", ".backup", ".old", ".orig", ".swp", ".swo", ".swn", ".swx", ".tmp", ".temp"),
    *(".part", ".crdownload", ".autosave", ".asd", ".wbk"),
)
BACKUP_NAMES = (".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".directory")
HOUSEKEEPING_NAMES = (".gitkeep", ".keep", ".gitignore", ".gitattributes")
#: Endings `extra_file_types` may never allow: each has a rule of its own above.
NEVER_EXTRA = (*MARKDOWN_ENDINGS, *WEB_ENDINGS, *PROGRAM_ENDINGS, *BACKUP_ENDINGS, ".svg")
_ENDING = re.compile(r"^(?:\.[a-z0-9][a-z0-9_+\-]*)+$")
_PDF_NAME = re.compile(rb"/(?:[A-Za-z]|#[0-9A-Fa-f]{2})+")
_PDF_ACTIVE = MappingProxyType(
    {b"/JavaScript": "JavaScript", b"/JS": "JavaScript", b"/Launch": "a command that starts a program"}
)
_HEAD = 1024


def content_files(settings: Settings) -> ContentFiles:
    """The verdict on every file of the project's content folder (Markdown apart)."""
    root = settings.content_root
    if not root.is_dir():
        return ContentFiles()
    tree = walk_content(root, settings.docs_dir.rstrip("/"))
    return sort_files(root, tree.others, extra_types(settings.extra_file_types)[0])


def sort_files(root: Path, files: tuple[Path, ...], allowed: tuple[str, ...]) -> ContentFiles:
    """The verdict on each of `files` (under `root`), with the types in `allowed` (endings
    like `.docx`, see `extra_types`) copied too; files in a hidden folder get one verdict
    for the folder."""
    verdicts: list[ContentFile] = []
    hidden_folders: set[str] = set()
    for path in files:
        parts = path.relative_to(root).parts
        hidden = next((i for i, part in enumerate(parts[:-1]) if part.startswith(".")), None)
        if hidden is not None:
            folder = "/".join(parts[: hidden + 1])
            if folder not in hidden_folders:
                hidden_folders.add(folder)
                verdicts.append(ContentFile(folder, Verdict.HIDDEN, "folder"))
            continue
        verdicts.append(file_verdict(path, "/".join(parts), allowed))
    return ContentFiles(tuple(verdicts))


def file_verdict(path: Path, relative: str, allowed: tuple[str, ...]) -> ContentFile:
    """The rule's verdict on the file at `path`, known as `relative` under the content folder."""
    name = path.name
    lower = name.lower()
    ending = Path(lower).suffix
    if _is_backup(lower, ending):
        return ContentFile(relative, Verdict.BACKUP)
    if lower in HOUSEKEEPING_NAMES:
        return ContentFile(relative, Verdict.HOUSEKEEPING)
    if name.startswith("."):
        return ContentFile(relative, Verdict.HIDDEN)
    for verdict, endings in (
        (Verdict.MARKDOWN_NAME, MARKDOWN_ENDINGS),
        (Verdict.WEB, WEB_ENDINGS),
        (Verdict.PROGRAM, PROGRAM_ENDINGS),
    ):
        if ending in endings:
            return ContentFile(relative, verdict, ending)
    try:
        return _by_content(path, relative, lower, ending, allowed)
    except OSError as exc:
        return ContentFile(relative, Verdict.UNREADABLE, exc.strerror or "it cannot be opened")


def _is_backup(lower: str, ending: str) -> bool:
    return (
        lower.endswith("~")
        or ending in BACKUP_ENDINGS
        or lower in BACKUP_NAMES
        or (lower.startswith("#") and lower.endswith("#"))
        or lower.startswith((".#", "~$", "._"))
        or (lower.startswith(".~lock.") and lower.endswith("#"))
    )


def _by_content(path: Path, relative: str, lower: str, ending: str, allowed: tuple[str, ...]) -> ContentFile:
    """The verdict on a file whose name alone does not refuse it: its bytes decide."""
    expected = dict(IMAGE_FORMATS).get(ending)
    if expected is not None:
        found = sniff(_head(path))
        if found != expected:
            return ContentFile(relative, Verdict.DISGUISED, found or "")
        return ContentFile(relative, Verdict.COPY)
    if ending == ".svg":
        data = path.read_bytes()
        if sniff(data[:_HEAD]) != "svg":
            return ContentFile(relative, Verdict.DISGUISED, sniff(data[:_HEAD]) or "")
        problem = svg_problem(data)
        if problem is not None:
            return ContentFile(relative, Verdict.SVG, problem.what, problem.line)
        return ContentFile(relative, Verdict.COPY)
    if ending == ".pdf":
        data = path.read_bytes()
        if sniff(data[:_HEAD]) != "pdf":
            return ContentFile(relative, Verdict.DISGUISED, sniff(data[:_HEAD]) or "")
        active = _pdf_action(data)
        return ContentFile(relative, Verdict.PDF, active) if active else ContentFile(relative, Verdict.COPY)
    if any(lower.endswith(kind) for kind in allowed):
        found = sniff(_head(path))
        if found in ("html", "svg"):
            return ContentFile(relative, Verdict.DISGUISED, found)
        return ContentFile(relative, Verdict.COPY)
    if ending in DATA_ENDINGS:
        return ContentFile(relative, Verdict.DATA, ending)
    return ContentFile(relative, Verdict.TYPE, ending)


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(_HEAD)


def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file show (`png`, `jpeg`, `gif`, `webp`, `avif`,
    `pdf`, `svg`, `html`, `sqlite`, `zip`), or None when they show none of these."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and _avif_brand(head):
        return "avif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return _markup(head)


def _avif_brand(head: bytes) -> bool:
    size = int.from_bytes(head[:4], "big")
    box = head[8 : max(12, min(size, len(head)))]
    brands = {box[i : i + 4] for i in range(0, len(box) - 3, 4)}
    return bool(brands & {b"avif", b"avis"})


def _markup(head: bytes) -> str | None:
    """`svg` or `html` when the bytes start as such markup (after a byte order mark, spaces,
    an XML declaration or comments), else None."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(codec, errors="ignore")
            break
    else:
        text = head.decode("latin-1")
    text = text.lstrip().lower()
    if not text.startswith("<"):
        return None
    svg = text.find("<svg")
    page = min(
        (
            at
            for tag in ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe")
            if (at := text.find(tag)) >= 0
        ),
        default=-1,
    )
    if svg >= 0 and (page < 0 or svg < page):
        return "svg"
    return "html" if page >= 0 else None


def _pdf_action(data: bytes) -> str | None:
    """What a PDF runs (JavaScript, a launch command), found by its name tokens, or None."""
    for match in _PDF_NAME.finditer(data):
        token = match.group()
        if b"#" in token:
            token = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), token)
        if token in _PDF_ACTIVE:
            return _PDF_ACTIVE[token]
    return None


def format_name(found: str) -> tuple[str, str]:
    """What a sniffed format is called in a message, and the ending a file of it should have."""
    return next(((name, ending) for key, name, ending in _FORMAT_NAMES if key == found), ("", ""))


def extra_types(written: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """The endings `extra_file_types` allows, lowercase with their dot (`docx`, `*.DOCX` and
    `.docx` are the same), and the entries refused, as (position, why)."""
    allowed: list[str] = []
    refused: list[tuple[int, str]] = []
    for index, entry in enumerate(written):
        ending = entry.strip().lower().removeprefix("*")
        ending = ending if ending.startswith(".") else f".{ending}"
        if not _ENDING.match(ending):
            refused.append((index, f'"{entry}" is not a file ending; write endings like ".docx"'))
        elif (last := ending[ending.rfind(".") :]) in NEVER_EXTRA or ending in NEVER_EXTRA:
            refused.append((index, f'"{entry}" cannot be allowed: {_never_why(last)}'))
        elif ending not in allowed:
            allowed.append(ending)
    return tuple(allowed), tuple(refused)


def _never_why(ending: str) -> str:
    if ending in MARKDOWN_ENDINGS:
        return "Markdown is published through sofs's pages, never copied as it is"
    if ending in WEB_ENDINGS:
        return "web pages and style sheets could run script or change the site's pages"
    if ending in PROGRAM_ENDINGS:
        return "programs and scripts are never published"
    if ending in BACKUP_ENDINGS:
        return "backups and temporary files are never published"
    return "SVG images are published only when they are plain pictures, which sofs checks"
