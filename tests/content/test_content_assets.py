"""The rule of what is copied from content/ (`content.assets`) and the SVG check under it,
on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.assets import Verdict, extra_types, file_verdict, sniff, sort_files
from generator.content.svg_image import svg_problem

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
PLAIN_SVG = SVG_HEAD + '<rect width="1" height="1" fill="#333"/></svg>'


def verdict_of(tmp_path: Path, name: str, data: bytes, allowed: tuple[str, ...] = ()) -> tuple[Verdict, str]:
    path = tmp_path / name
    path.write_bytes(data)
    found = file_verdict(path, name, allowed)
    return found.verdict, found.detail


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("chart.png", PNG),
        ("photo.JPG", JPEG),
        ("photo.jpeg", JPEG),
        ("anim.gif", GIF),
        ("pic.webp", WEBP),
        ("pic.avif", AVIF),
        ("leaflet.pdf", PDF),
        ("plan.svg", PLAIN_SVG.encode()),
    ],
)
def test_pictures_and_pdfs_whose_bytes_match_their_name_are_copied(
    tmp_path: Path, name: str, data: bytes
) -> None:
    assert verdict_of(tmp_path, name, data) == (Verdict.COPY, "")


@pytest.mark.parametrize(
    ("name", "verdict"),
    [
        ("011-x.md~", Verdict.BACKUP),
        ("011-x.md.bak", Verdict.BACKUP),
        (".011-x.md.swp", Verdict.BACKUP),
        ("notes.tmp", Verdict.BACKUP),
        ("#011-x.md#", Verdict.BACKUP),
        (".#011-x.md", Verdict.BACKUP),
        (".~lock.report.docx#", Verdict.BACKUP),
        ("~$report.docx", Verdict.BACKUP),
        (".DS_Store", Verdict.BACKUP),
        ("Thumbs.db", Verdict.BACKUP),
        ("desktop.ini", Verdict.BACKUP),
        ("._photo.png", Verdict.BACKUP),
        (".gitkeep", Verdict.HOUSEKEEPING),
        (".env", Verdict.HIDDEN),
        (".htaccess", Verdict.HIDDEN),
        ("012-y.markdown", Verdict.MARKDOWN_NAME),
        ("012-y.mdown", Verdict.MARKDOWN_NAME),
        ("012-y.mkd", Verdict.MARKDOWN_NAME),
        ("012-y.MD", Verdict.MARKDOWN_NAME),
        ("staff.csv", Verdict.DATA),
        ("staff.XLSX", Verdict.DATA),
        ("cases.sqlite", Verdict.DATA),
        ("cases.db", Verdict.DATA),
        ("data.json", Verdict.DATA),
        ("data.yaml", Verdict.DATA),
        ("page.html", Verdict.WEB),
        ("page.HTM", Verdict.WEB),
        ("page.xhtml", Verdict.WEB),
        ("style.css", Verdict.WEB),
        ("run.js", Verdict.PROGRAM),
        ("tool.py", Verdict.PROGRAM),
        ("setup.sh", Verdict.PROGRAM),
        ("setup.exe", Verdict.PROGRAM),
        ("photo.png.exe", Verdict.PROGRAM),
        ("report.docx", Verdict.TYPE),
        ("README", Verdict.TYPE),
    ],
)
def test_every_other_file_is_refused_by_its_name(tmp_path: Path, name: str, verdict: Verdict) -> None:
    assert verdict_of(tmp_path, name, PNG)[0] is verdict


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        ("photo.png", b"<!DOCTYPE html><html><script>alert(1)</script>", "html"),
        ("photo.png", b"  \n<html><body onload=alert(1)>", "html"),
        ("photo.jpg", b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
        ("photo.gif", "<html>".encode("utf-16"), "html"),
        ("photo.png", JPEG, "jpeg"),
        ("photo.png", b"", ""),
        ("photo.webp", b"just some text", ""),
        ("leaflet.pdf", b"<html>%PDF-1.4", "html"),
        ("plan.svg", b"<!doctype html><script>alert(1)</script>", "html"),
        ("plan.svg", PNG, "png"),
    ],
)
def test_a_file_whose_bytes_are_not_what_its_name_says_is_refused(
    tmp_path: Path, name: str, data: bytes, found: str
) -> None:
    assert verdict_of(tmp_path, name, data) == (Verdict.DISGUISED, found)


@pytest.mark.parametrize(
    "body",
    [b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", b"/AA << /O << /S /Launch >> >>", b"/J#53 (x)"],
)
def test_a_pdf_with_script_or_a_launch_command_is_refused(tmp_path: Path, body: bytes) -> None:
    assert verdict_of(tmp_path, "leaflet.pdf", PDF + body)[0] is Verdict.PDF


def test_types_mkdocs_yml_allows_are_copied_unless_they_hold_a_web_page(tmp_path: Path) -> None:
    allowed = extra_types((".docx", "CSV"))[0]
    assert verdict_of(tmp_path, "report.docx", b"PK\x03\x04rest", allowed) == (Verdict.COPY, "")
    assert verdict_of(tmp_path, "figures.csv", b"year,count\n2025,4\n", allowed) == (Verdict.COPY, "")
    assert verdict_of(tmp_path, "report.docx", b"<html><script>x</script>", allowed) == (
        Verdict.DISGUISED,
        "html",
    )


def test_extra_file_types_are_normalised_and_the_never_allowed_refused() -> None:
    allowed, refused = extra_types(
        ("docx", ".PPTX", "*.odt", ".tar.gz", ".docx", ".html", ".js", ".svg", "my file", ".markdown", ".gts")
    )
    assert allowed == (".docx", ".pptx", ".odt", ".tar.gz", ".gts")
    assert [index for index, _ in refused] == [5, 6, 7, 8, 9]
    assert "web pages" in refused[0][1] and "programs" in refused[1][1] and "SVG" in refused[2][1]
    assert "not a file ending" in refused[3][1] and "Markdown" in refused[4][1]


def test_a_hidden_folder_is_one_verdict_and_nothing_in_it_is_copied(tmp_path: Path) -> None:
    files = []
    for name in (".obsidian/workspace.json", ".obsidian/plugins/x.js", "images/.cache/a.png", "images/a.png"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PNG)
        files.append(path)
    result = sort_files(tmp_path, tuple(sorted(files)), ())
    assert [(f.relative, f.verdict) for f in result.files] == [
        (".obsidian", Verdict.HIDDEN),
        ("images/.cache", Verdict.HIDDEN),
        ("images/a.png", Verdict.COPY),
    ]
    assert result.copied == ("images/a.png",)


def test_sniff_names_each_format_by_its_first_bytes() -> None:
    formats = {"png": PNG, "jpeg": JPEG, "gif": GIF, "webp": WEBP, "avif": AVIF, "pdf": PDF}
    assert {name: sniff(data) for name, data in formats.items()} == {name: name for name in formats}
    assert sniff(b"SQLite format 3\x00....") == "sqlite"
    assert sniff(b'<?xml version="1.0"?>\n<!-- made by hand -->\n<svg>') == "svg"
    assert sniff(b"<p>hello</p>") is None and sniff(b"plain text") is None


UNSAFE_SVGS = {
    "script": "<script>alert(1)</script>",
    "script with a link": '<script xlink:href="https://example.org/x.js"/>',
    "event handler": '<rect width="1" height="1" onclick="alert(1)"/>',
    "upper-case handler": '<rect ONLOAD="alert(1)"/>',
    "foreignObject": '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml">hi</body></foreignObject>',
    "xhtml element": '<h:div xmlns:h="http://www.w3.org/1999/xhtml">hi</h:div>',
    "iframe": '<iframe src="https://example.org"/>',
    "javascript link": '<a href="javascript:alert(1)"><text>x</text></a>',
    "spaced javascript link": '<a href=" java&#10;script:alert(1)"><text>x</text></a>',
    "web link": '<a xlink:href="https://example.org/"><text>x</text></a>',
    "remote picture": '<image href="https://tracker.example.org/p.png" width="1" height="1"/>',
    "svg inside": '<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>',
    "other file": '<use href="sprite.svg#icon"/>',
    "style import": "<style>@import url(https://example.org/a.css);</style>",
    "style url": "<style>rect { fill: url(https://example.org/a.png) }</style>",
    "style escaped url": "<style>rect { fill: \\75 rl(https://example.org/a.png) }</style>",
    "style attribute": '<rect style="background-image:url(//example.org/p.png)"/>',
    "presentation attribute": '<rect fill="url(http://example.org/g.svg#g)"/>',
    "set href": '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>',
    "animate handler": '<animate attributeName="onbegin" values="alert(1)"/>',
    "xml base": '<g xml:base="https://example.org/"><use href="#x"/></g>',
    "embed": '<embed src="x.swf"/>',
    "handler": '<handler type="application/ecmascript">alert(1)</handler>',
}


@pytest.mark.parametrize("body", UNSAFE_SVGS.values(), ids=UNSAFE_SVGS.keys())
def test_an_svg_that_could_run_or_load_something_is_refused_at_its_line(body: str) -> None:
    found = svg_problem(f"{SVG_HEAD}\n<g>\n{body}\n</g></svg>".encode())
    assert found is not None
    assert found.line in (3, 4)


@pytest.mark.parametrize(
    "document",
    [
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
        '<?xml version="1.0"?><?xml-stylesheet href="https://example.org/a.css"?>'
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
        "<html><body><script>alert(1)</script></body></html>",
    ],
)
def test_doctype_declarations_style_sheets_and_broken_xml_are_refused(document: str) -> None:
    assert svg_problem(document.encode()) is not None


def test_plain_pictures_from_drawing_programs_pass() -> None:
    inkscape = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"'
        ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" width="20" height="20" role="img"'
        ' aria-label="Plan: the family network (behaviour: calm)">\n'
        '<sodipodi:namedview id="base" inkscape:zoom="1"/>\n'
        '<metadata><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>'
        '<dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/></cc:Work></rdf:RDF></metadata>\n'
        '<defs><linearGradient id="g"><stop offset="0" style="stop-color:#3949ab;stop-opacity:1"/>'
        '</linearGradient><circle id="dot" r="2"/></defs>\n'
        "<style>.a { fill: #333; font-family: 'Open Sans', sans-serif }</style>\n"
        '<rect class="a" width="20" height="20" fill="url(#g)" style="fill:url( #g )"/>\n'
        '<use xlink:href="#dot" x="5" y="5"/><use href="#dot"/>\n'
        '<a href="#dot"><text>Plan</text></a>\n'
        '<image width="1" height="1" href="data:image/png;base64,iVBORw0KGgo="/>\n'
        "</svg>\n"
    )
    assert svg_problem(inkscape.encode()) is None
    public = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + PLAIN_SVG
    )
    assert svg_problem(public.encode()) is None
    fixture = Path(__file__).resolve().parent.parent / "fixtures/feeds-issues/content/images/plan.svg"
    assert svg_problem(fixture.read_bytes()) is None
