"""Whether an SVG image is only a picture: no script, no event handlers, nothing it loads.

An SVG file is XML that a browser runs like a small web page when it is opened by itself
(a reader clicking the picture opens it so). Before one is published it is parsed with a
real XML parser (lxml) set to read no DTD, expand no entity and never use the network,
and every element, attribute and style is checked. Anything that could run or load
something is reported with its line: script and event handlers, embedded web content
(`foreignObject`, frames, objects), links and references to any other file or web address
(only `#name` references inside the image, and embedded PNG, JPEG, GIF or WebP pictures
as `data:` addresses, are kept), styles that import or load, `xml:base`, animations that
change links or handlers, and DOCTYPE declarations (entities could expand or fetch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"

#: Elements that run script or show other content inside the picture.
_ACTIVE_ELEMENTS = (
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "handler",
    "listener",
    "audio",
    "video",
    "form",
    "base",
    "meta",
    "link",
)
_ANIMATIONS = ("animate", "set", "animatetransform", "animatemotion", "animatecolor", "discard")
_LINK_ATTRIBUTES = ("href", "src")
#: `data:` pictures an SVG may carry inside itself; an SVG or HTML one could carry script.
_SAFE_DATA = re.compile(r"^data:image/(?:png|jpe?g|gif|webp)[;,]", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)]*))\s*\)", re.IGNORECASE)
#: What a style sheet can load or run besides `url(...)`.
_CSS_LOADS = (
    "@import",
    "image-set(",
    "image(",
    "src(",
    "expression(",
    "javascript:",
    "behavior:",
    "-moz-binding",
)
#: An internal DOCTYPE subset (`<!DOCTYPE svg [ ... ]>`) in the parsed document's head.
_INTERNAL_SUBSET = re.compile(rb"\A(?:\s*<\?.*?\?>|\s*<!--.*?-->)*\s*<!DOCTYPE[^>\[]*\[", re.DOTALL)


@dataclass(frozen=True)
class SvgProblem:
    """What makes an SVG unsafe to publish, and its line (0 when it is the whole file)."""

    line: int
    what: str


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def svg_problem(data: bytes) -> SvgProblem | None:
    """The first thing in the SVG image `data` that could run or load something, or None
    when it is a plain picture."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        return SvgProblem(exc.lineno or 0, f"XML that cannot be read ({exc.msg})")
    tree = root.getroottree()
    if _INTERNAL_SUBSET.match(etree.tostring(tree)):
        return SvgProblem(1, "a DOCTYPE with declarations in it (entities could expand or fetch files)")
    name = etree.QName(root)
    if name.localname != "svg" or name.namespace not in (SVG_NAMESPACE, None):
        return SvgProblem(_line(root), f"no SVG picture in it (it starts with <{name.localname}>)")
    for sibling in root.itersiblings(preceding=True):
        if isinstance(sibling, etree._ProcessingInstruction) and sibling.target.lower() == "xml-stylesheet":
            return SvgProblem(_line(sibling), "a style sheet it loads from another file (xml-stylesheet)")
    for node in root.iter():
        found = _node_problem(node)
        if found:
            return SvgProblem(_line(node), found)
    return None


def _line(node: etree._Element) -> int:
    line = node.sourceline
    return line if isinstance(line, int) else 0


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def _split(name: str) -> tuple[str | None, str]:
    """The namespace and local name of an lxml tag or attribute name (`{ns}local`)."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


def _node_problem(node: etree._Element) -> str | None:
    tag = node.tag
    if not isinstance(tag, str):  # a comment, processing instruction or entity
        if isinstance(node, etree._Entity):
            return f"an entity reference (&{_text(node.name)};)"
        if isinstance(node, etree._ProcessingInstruction) and node.target.lower() != "xml":
            return f"a processing instruction (<?{_text(node.target)} ...?>)"
        return None
    namespace, name = _split(tag)
    local = name.lower()
    if local in _ACTIVE_ELEMENTS:
        article = "an" if local[0] in "aeiou" else "a"
        return f"{article} <{name}> element"
    if namespace == _XHTML_NAMESPACE:
        return f"web page content (<{name}>)"
    if local == "style" and (found := _css_problem(node.text or "", whole_sheet=True)):
        return f"a style that {found}"
    for attribute, value in node.items():
        found = _attribute_problem(_text(attribute), _text(value), local)
        if found:
            return found
    return None


def _attribute_problem(attribute: str, value: str, element: str) -> str | None:
    namespace, name = _split(attribute)
    local = name.lower()
    if local.startswith("on"):
        return f'an event handler ({name}="{_short(value)}")'
    if local in _LINK_ATTRIBUTES and not _inside_reference(value):
        return f"a link to another file or web address ({_short(value)})"
    if namespace == _XML_NAMESPACE and local == "base":
        return "an xml:base address, which changes where its references point"
    if element in _ANIMATIONS:
        if local == "attributename":
            target = value.strip().lower().rsplit(":", 1)[-1]
            if target in _LINK_ATTRIBUTES or target.startswith("on"):
                return f"an animation that changes its {value.strip()} attribute"
        if local == "values" and "javascript:" in value.lower():
            return "an animation that sets a javascript: address"
    # Presentation attributes (fill, filter, mask ...) are read as CSS values: url() loads.
    found = _css_problem(value, whole_sheet=local == "style")
    return f"a {name} attribute that {found}" if found else None


def _inside_reference(value: str) -> bool:
    """Whether `value` points inside the picture (`#name`) or is an embedded safe picture."""
    plain = "".join(value.split())
    return plain.startswith("#") or bool(_SAFE_DATA.match(plain))


def _css_problem(css: str, *, whole_sheet: bool = False) -> str | None:
    """What a CSS value loads, or None; `whole_sheet` also looks for the other ways a style
    sheet or `style` attribute can load or run something."""
    if "(" not in css and not (whole_sheet and "@" in css):
        return None  # nothing loads without a function or an at-rule
    plain = _CSS_ESCAPE.sub(_unescape, _CSS_COMMENT.sub("", css)).lower()
    for match in _CSS_URL.finditer(plain):
        target = next((group for group in match.groups() if group is not None), "").strip()
        if not _inside_reference(target):
            return f"loads another file or web address ({_short(target)})"
    if not whole_sheet:
        return None
    squeezed = "".join(plain.split())
    loads = next((word for word in _CSS_LOADS if word in squeezed), None)
    return f"uses {loads.rstrip('(')}" if loads else None


def _unescape(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""
    return match.group(2)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."
