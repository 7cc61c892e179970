"""The two MkDocs projects sofs is compared with, written from a corpus's issue files.

- `plain/`: the issue Markdown as it is, one page each, built by mkdocs-material with
  its search plugin and a short explicit `nav:` (the issues are built but not listed).
  This is the baseline: the least any MkDocs site with these issues does.
- `blog/`: the same issues as posts of Material's blog plugin (`docs/blog/posts/`), with
  the `date:` the plugin needs, a `<!-- more -->` excerpt after the summary, and the
  plugin's defaults: paginated index, archive by year, category pages.

Both use the repository's Markdown extensions and Material features, so the pages are
rendered the same way; only sofs' own theme overrides (`custom_dir`) are left out.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml
from gen_corpus import front_matter

NAV_ISSUES = 3


def _base_config(corpus: Path, name: str) -> dict[str, Any]:
    source = yaml.safe_load((corpus / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    theme = dict(source.get("theme") or {"name": "material"})
    theme.pop("custom_dir", None)
    return {
        "site_name": f"{source.get('site_name', 'Newsletter')} ({name})",
        "site_url": source.get("site_url"),
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": theme,
        "markdown_extensions": source.get("markdown_extensions") or [],
    }


def _issues(corpus: Path) -> list[tuple[str, dict[str, Any], str]]:
    """(file name, front matter, body) of every issue, newest first."""
    found = []
    for file in sorted((corpus / "content" / "issues").glob("*.md")):
        meta, body = front_matter(file.read_text(encoding="utf-8"))
        found.append((file.name, meta, body))
    return sorted(found, key=lambda item: (str(item[1].get("date")), item[0]), reverse=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _dump(config: dict[str, Any]) -> str:
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def write_plain(corpus: Path, out: Path) -> Path:
    """The baseline project: every issue file copied unchanged into `docs/issues/`."""
    if out.exists():
        shutil.rmtree(out)
    issues = _issues(corpus)
    target = out / "docs" / "issues"
    target.mkdir(parents=True)
    for name, _, _ in issues:
        shutil.copy2(corpus / "content" / "issues" / name, target / name)
    _write(out / "docs" / "index.md", "# Newsletter\n\nThe newsletter's issues, newest first.\n")
    config = _base_config(corpus, "plain")
    config["plugins"] = ["search"]
    config["nav"] = [
        {"Home": "index.md"},
        *({str(meta["title"]): f"issues/{name}"} for name, meta, _ in issues[:NAV_ISSUES]),
    ]
    _write(out / "mkdocs.yml", _dump(config))
    return out


def _post(name: str, meta: dict[str, Any], body: str) -> str:
    date = meta.get("date")
    head = {
        "title": f"Issue {meta['issue']}: {meta['title']}",
        "date": date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date)),
        "description": str(meta.get("summary", "")),
        "categories": [str(meta.get("type", "newsletter")).capitalize()],
        "slug": Path(name).stem,
    }
    summary = str(meta.get("summary", ""))
    return f"---\n{_dump(head)}---\n\n{summary}\n\n<!-- more -->\n\n{body.strip()}\n"


def write_blog(corpus: Path, out: Path) -> Path:
    """The blog-plugin project: every issue as a dated post."""
    if out.exists():
        shutil.rmtree(out)
    posts = out / "docs" / "blog" / "posts"
    for name, meta, body in _issues(corpus):
        _write(posts / name, _post(name, meta, body))
    _write(
        out / "docs" / "index.md",
        "# Newsletter\n\nThe newsletter's issues are in the [blog](blog/index.md).\n",
    )
    _write(out / "docs" / "blog" / "index.md", "# Issues\n")
    config = _base_config(corpus, "blog")
    config["plugins"] = ["search", "blog"]
    config["nav"] = [{"Home": "index.md"}, {"Issues": "blog/index.md"}]
    _write(out / "mkdocs.yml", _dump(config))
    return out
