"""The allowlist: what a newsletter needs passes untouched; what runs code, loads other
pages or hides text is a removal, however it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.generate.html_gate import UnsafeOutput, ensure_safe, removals
from generator.generate.site_markdown import SiteMarkdown
from generator.settings.reader import load_settings

PROJECT = Path(__file__).resolve().parents[2]

NEWSLETTER_MARKDOWN = """
## Welcome {: #hello .lead }

Plain *emphasis*, **strong**, `code`, a [link](https://example.org/ "Title"), an
[email](mailto:team@example.org), a [page](../tools/mapping.md#top) and a footnote.

![The team at work](team.png){: width="300" }

!!! note "Remember"
    Admonitions are fine.

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

Term
:   Its meaning.

> A quote.

<details><summary>More</summary><p>Hidden until opened, as readers expect.</p></details>

<abbr title="Signs of Safety">SofS</abbr> and <kbd>Ctrl</kbd>.

1. one
2. two

*[RSS]: Really Simple Syndication

```html
<script>alert("shown as code")</script>
```
"""


def test_what_a_newsletter_needs_passes_untouched() -> None:
    settings, _ = load_settings(PROJECT)
    html = SiteMarkdown(settings).html(NEWSLETTER_MARKDOWN)
    assert 'class="admonition note"' in html and "text-align: center" in html and "headerlink" in html
    assert removals(html) == []
    ensure_safe(html, "the sample")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:x",
        " javascript:x",
        "java&#x09;script:x",
        "java&#10;script:x",
        "java&#115;cript:x",
        "&#x6A;avascript:x",
        "javascript&colon;x",
        "vbscript:x",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/svg+xml,<svg onload=alert(1)>",
    ],
)
def test_dangerous_addresses_are_removed_however_written(url: str) -> None:
    found = removals(f'<a href="{url}">x</a>')
    assert [r.code for r in found] == ["unsafe-html.url"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "http://example.org/a?b=1&amp;c=2",
        "mailto:box@example.org",
        "tel:+441234",
        "#top",
        "../x.md",
    ],
)
def test_ordinary_addresses_are_kept(url: str) -> None:
    assert removals(f'<a href="{url}">x</a> <img src="{url}" alt="x">') == []


@pytest.mark.parametrize(
    "style",
    [
        "display:none",
        "visibility: hidden",
        "font-size:0",
        "opacity:0",
        "color:#fff; background-color:#fff",
        "position:absolute; left:-9999px",
        "height:0; overflow:hidden",
    ],
)
def test_styles_that_hide_text_are_removed(style: str) -> None:
    found = removals(f'<p style="{style}">secret</p>')
    assert found and {r.code for r in found} == {"unsafe-html.style"}


def test_alignment_is_the_one_style_kept() -> None:
    assert removals('<table><tr><td style="text-align: right;">1</td></tr></table>') == []


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ("<script>alert(1)</script>", "unsafe-html.element"),
        ("<svg onload=alert(1)>", "unsafe-html.element"),
        ("<math>x</math>", "unsafe-html.element"),
        ('<iframe src="https://example.org/"></iframe>', "unsafe-html.element"),
        ('<object data="x.swf"></object>', "unsafe-html.element"),
        ('<embed src="x.swf">', "unsafe-html.element"),
        ('<form action="https://example.org/"></form>', "unsafe-html.element"),
        ('<meta http-equiv="refresh" content="0">', "unsafe-html.element"),
        ('<base href="https://example.org/">', "unsafe-html.element"),
        ("<style>p { color: red }</style>", "unsafe-html.element"),
        ('<link rel="stylesheet" href="x.css">', "unsafe-html.element"),
        ('<img src="x" onerror="alert(1)">', "unsafe-html.event-handler"),
        ('<p onmouseover="x()">hi</p>', "unsafe-html.event-handler"),
        ("<a href=x autofocus>hi</a>", "unsafe-html.attribute"),
        ("<p hidden>hi</p>", "unsafe-html.attribute"),
        ('<p class="md-toggle">hi</p>', "unsafe-html.class"),
        ('<span class="sofs-visually-hidden">hi</span>', "unsafe-html.class"),
    ],
)
def test_what_the_allowlist_does_not_hold_is_a_removal(html: str, code: str) -> None:
    assert [r.code for r in removals(html)] == [code]
    with pytest.raises(UnsafeOutput, match="not safe to publish"):
        ensure_safe(html, "a test")


def test_look_alike_text_is_not_markup() -> None:
    assert removals("the onset = early, online=yes, javascript: the language, 3 < 4 &amp; 5 > 2") == []
