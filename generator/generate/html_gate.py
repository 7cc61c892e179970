"""The gate every piece of HTML made from content passes: one allowlist, kept by nh3.

nh3 (the Python binding of Ammonia, a maintained HTML sanitiser) keeps only what is on
the allowlist below: what a newsletter needs, and nothing that runs code, loads other
pages or hides text. Nothing here rewrites what is published. Instead, the fragment is
compared with what nh3 would keep (both parsed with lxml, as elements, attributes, class
names and style properties), and each thing nh3 would take away is a `Removal`. Content
with a removal is refused: `sofs check` reports it at its line
(`generator.checks.output_gate`), and the feeds and emails check their own HTML again
(`ensure_safe`) before anything is written or sent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import lxml.html
import nh3

#: The elements a newsletter needs: text, headings, lists, links, images, tables, quotes,
#: code, abbreviations, details/summary, and the `div`/`p`/`span` blocks that Markdown's
#: admonition, footnote and attribute-list extensions make.
ALLOWED_TAGS = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        *("p", "br", "hr", "div", "span", "blockquote", "q", "cite", "pre", "code", "kbd", "samp", "var"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img", "figure", "figcaption"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "dfn"),
        *("abbr", "time", "details", "summary"),
    }
)

#: Attributes by element; `*` is every element. `aria-*` attributes are allowed too.
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang", "dir", "role", "style"}),
    "a": frozenset({"href", "rel", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "div": frozenset({"tabindex"}),
}
ATTRIBUTE_PREFIXES = frozenset({"aria-"})
#: Addresses links and images may use; relative addresses (pages, anchors) are kept too.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: The one style a newsletter needs: table columns' alignment (Markdown's tables make it).
STYLE_PROPERTIES = frozenset({"text-align"})
#: Classes of the site's own layout (Material's `md-` classes, ours `sofs-`): many of them
#: hide what they are put on. Content may use Material's buttons and our wide-table box only.
LAYOUT_CLASS_PREFIXES = ("md-", "sofs-")
CONTENT_LAYOUT_CLASSES = frozenset({"md-button", "md-button--primary", "sofs-table"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "data", "poster", "background"})

_WORD = re.compile(r"\S+")


def _allowed_class(name: str) -> bool:
    return name in CONTENT_LAYOUT_CLASSES or not name.lower().startswith(LAYOUT_CLASS_PREFIXES)


def _filter_attribute(_element: str, attribute: str, value: str) -> str | None:
    """Take the site's layout classes out of a `class` attribute; keep every other value."""
    if attribute != "class":
        return value
    return " ".join(name for name in value.split() if _allowed_class(name))


def cleaner() -> nh3.Cleaner:
    """A sanitiser with the allowlist: nh3 keeps these and takes away everything else."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=False,
        link_rel=None,
        generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    )


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser would take away: an element (`attribute` is None), an
    attribute with its value, a class name (`attribute` "class") or a style property
    (`attribute` "style")."""

    tag: str
    attribute: str | None = None
    value: str = ""

    @property
    def code(self) -> str:
        """The diagnostic code for this kind of removal."""
        if self.attribute is None:
            return "unsafe-html.element"
        if self.attribute.startswith("on"):
            return "unsafe-html.event-handler"
        if self.attribute in ("class", "style"):
            return f"unsafe-html.{self.attribute}"
        if self.attribute in URL_ATTRIBUTES and self.value.strip():
            return "unsafe-html.url"
        return "unsafe-html.attribute"

    def describe(self) -> str:
        """What was found and how to fix it, in plain words."""
        tag = f"<{self.tag}>"
        shown = _shorten(self.value)
        code = self.code
        if code == "unsafe-html.element":
            return (
                f"{tag} is not on the list of HTML a newsletter may use: it could run code, load another "
                "page or hide text in the site, the feeds or the emails; remove it or write it as "
                "Markdown (to show HTML as an example, put it in a code block)"
            )
        if code == "unsafe-html.event-handler":
            return (
                f'the attribute "{self.attribute}" on {tag} runs code in the reader\'s browser; '
                "remove it (from an attribute list like `{: ... }` too)"
            )
        if code == "unsafe-html.style":
            return (
                f'the style "{self.value}" on {tag}: styles can hide text from the people who review '
                "an issue while readers still get it, and only text-align is allowed; remove the style"
            )
        if code == "unsafe-html.class":
            return (
                f'the class "{self.value}" on {tag} belongs to the site\'s own layout and can hide '
                "text; remove it"
            )
        if code == "unsafe-html.url":
            return (
                f'the address "{shown}" ({self.attribute} of {tag}) is not a web page, email '
                "address or phone number (javascript:, vbscript: and data: addresses run code or "
                "carry hidden pages); remove it, or link to an https:// address or a page of the site"
            )
        return (
            f'the attribute "{self.attribute}" on {tag} is not on the list of HTML a newsletter may '
            "use; remove it"
        )

    def search_texts(self) -> tuple[str, ...]:
        """Texts to look for in the source to find where this came from, best first."""
        if self.attribute is None:
            return (f"<{self.tag}",)
        if self.attribute in ("class", "style"):
            return (self.value,)
        if self.value.strip() and self.attribute in URL_ATTRIBUTES:
            return (self.value.strip(), self.value.strip()[:12], self.attribute)
        return (self.attribute,)


def _shorten(value: str, limit: int = 40) -> str:
    plain = " ".join(value.split()) if value.strip() else repr(value)
    return plain if len(plain) <= limit else plain[: limit - 3] + "..."


def _parts(html: str) -> Iterator[tuple[str, Removal]]:
    """Each element of `html` in document order, as ("element", ...) followed by one
    ("attribute", ...) for each attribute, class name and style property it has."""
    if not html.strip():
        return
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in wrapper.iterdescendants():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        tag = element.tag.lower()
        yield "element", Removal(tag)
        for name, value in element.attrib.items():
            name = str(name).lower()
            if name == "class":
                for word in _WORD.findall(str(value)):
                    yield "attribute", Removal(tag, "class", word)
            elif name == "style":
                for declaration in str(value).split(";"):
                    prop = declaration.partition(":")[0].strip().lower()
                    if prop:
                        yield "attribute", Removal(tag, "style", prop)
            else:
                yield "attribute", Removal(tag, name, str(value))


def removals(html: str, sanitiser: nh3.Cleaner | None = None) -> list[Removal]:
    """Everything the allowlist's sanitiser would take out of `html`, in document order.
    An element taken away is one removal; its attributes are not listed again."""
    kept = (sanitiser or cleaner()).clean(html)
    left = Counter(part for _, part in _parts(kept))
    found: list[Removal] = []
    element_removed = False
    for kind, part in _parts(html):
        if kind == "element":
            element_removed = left[part] <= 0
            if element_removed:
                found.append(part)
            else:
                left[part] -= 1
        elif not element_removed:
            if left[part] > 0:
                left[part] -= 1
            else:
                found.append(part)
    return found


class UnsafeOutput(ValueError):
    """HTML about to be written or sent holds something the allowlist does not; the message
    names where and what."""


def ensure_safe(html: str, where: str, sanitiser: nh3.Cleaner | None = None) -> None:
    """Raise `UnsafeOutput` when the sanitiser would take anything out of `html` (the
    output's own last check: `sofs check` reports the same at its source line first)."""
    found = removals(html, sanitiser)
    if found:
        listed = "; ".join(removal.describe() for removal in found[:3])
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise UnsafeOutput(f"{where} is not safe to publish: {listed}{more}; run `sofs check` to see where")
