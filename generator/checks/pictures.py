"""The pictures named in front matter and settings: an issue's cover (`image:` with its
`image_alt:`) and the masthead's `logo`.

Each must be a picture the site copies from the content folder, so the page never shows
a broken image; a cover needs words for readers who cannot see it (WCAG 1.1.1).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.assets import IMAGE_FORMATS, ContentFiles
from ..content.model import Site
from ..settings.model import CONFIG_FILE

#: The endings of the pictures a cover or logo can be.
PICTURE_ENDINGS = (*(ending for ending, _ in IMAGE_FORMATS), ".svg")
_KINDS = "PNG, JPEG, GIF, WebP, AVIF or SVG"


def picture_path(written: str) -> str:
    """The path under the content folder that `written` names (`./images/a.png` -> `images/a.png`)."""
    return posixpath.normpath(written.strip().replace("\\", "/")).removeprefix("./")


def picture_problem(written: str, copied: Collection[str], docs: str, example: str) -> str | None:
    """What is wrong with `written` as the path of a picture in the content folder, or None."""
    path = picture_path(written)
    if "://" in written or written.strip().startswith(("/", "\\")) or path == ".." or path.startswith("../"):
        return (
            f"should be the path of a picture inside the {docs}/ folder, like `{example}`; found {written!r}"
        )
    if not path.lower().endswith(PICTURE_ENDINGS):
        return f"{written!r} is not a picture; use a {_KINDS} file, like `{example}`"
    if path not in copied:
        return (
            f"there is no picture {docs}/{path}; add the file there or correct the path "
            "(it is relative to the content folder)"
        )
    return None


def picture_problems(site: Site, files: ContentFiles) -> list[Diagnostic]:
    """Problems with every issue's cover picture and with the `logo` setting."""
    settings = site.settings
    docs = settings.docs_dir.rstrip("/")
    copied = frozenset(files.copied)
    problems: list[Diagnostic] = []
    if settings.logo is not None:
        why = picture_problem(settings.logo, copied, docs, "images/logo.png")
        if why:
            problems.append(error(CONFIG_FILE, settings.config_line("logo"), "config.logo", f'"logo" {why}'))
    for issue in site.issues:
        origin = issue.origin
        if issue.image is not None:
            why = picture_problem(issue.image, copied, docs, "images/issue-12-cover.jpg")
            if why:
                problems.append(error(origin.path, origin.line_of("image"), "issue.image", f'"image" {why}'))
            if issue.image_alt is None:
                problems.append(
                    error(
                        origin.path,
                        origin.line_of("image"),
                        "issue.image-alt",
                        "the cover picture needs `image_alt:`, a few words saying what it shows for "
                        'readers who cannot see it, like `image_alt: "A family network meeting"`',
                    )
                )
        if issue.image_alt is not None:
            if issue.image is None:
                problems.append(
                    warning(
                        origin.path,
                        origin.line_of("image_alt"),
                        "issue.image-alt",
                        '"image_alt" describes a cover picture, but there is no `image:`; '
                        "add the picture or remove the line",
                    )
                )
            elif issue.image_alt.lower().endswith(PICTURE_ENDINGS):
                problems.append(
                    error(
                        origin.path,
                        origin.line_of("image_alt"),
                        "issue.image-alt",
                        f'"image_alt" should say what the picture shows, not its file name; found {issue.image_alt!r}',
                    )
                )
    return problems
