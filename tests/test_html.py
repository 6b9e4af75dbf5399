"""HTML pages: units, roles, and byte-for-byte writing."""

from __future__ import annotations

import codecs
import html
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from translator.cli import main
from translator.documents import ReadOptions, decode
from translator.documents.encodings import PAGE_ENCODINGS
from translator.documents.html import HtmlFormat
from translator.inline import is_marker, strip_markers
from translator.model import Document, InputError, Kind

DOCS = DATA / "documents"
XHTML = '"http://www.w3.org/1999/xhtml"'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HTML_FILES = sorted(p.name for p in DOCS.glob("*.html"))
FORMAT = HtmlFormat()


def parse(text: str, options: ReadOptions | None = None) -> Document:
    return FORMAT.parse(text, Path("page.html"), options or ReadOptions())


def translate_pages(runner: CliRunner, tmp_path: Path, pages: dict[str, bytes]) -> Path:
    """The folder of `pages` (name -> bytes) translated from English into Spanish."""
    source = tmp_path / "in"
    source.mkdir()
    for name, data in pages.items():
        (source / name).write_bytes(data)
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    return out / "es"


def render_with(document: Document, change: Callable[[str], str], language: str = "en") -> str:
    return FORMAT.render(document, [change(u.text) for u in document.units], language)


def sample(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def with_lang(text: str, language: str = "en") -> str:
    """`text` as written back: lang already there, or added to <html>."""
    return (
        text
        if 'lang="en"' in text or "lang=en" in text
        else text.replace("<html", f'<html lang="{language}"', 1)
    )


@pytest.mark.parametrize("name", HTML_FILES)
def test_identity_round_trip_is_byte_for_byte(name: str) -> None:
    text = sample(name)
    assert render_with(parse(text), lambda t: t) == with_lang(text)


@pytest.mark.parametrize("name", HTML_FILES)
def test_upper_case_translation_changes_only_text(name: str) -> None:
    text = sample(name)
    out = render_with(parse(text), str.upper)
    # what a browser shows is the same page: only the case of the text differs
    assert html.unescape(out).lower() == html.unescape(with_lang(text)).lower()
    assert out != with_lang(text)


def test_news_page_units_kinds_and_roles() -> None:
    document = parse(sample("news_page.html"))
    found = {(strip_markers(u.text), u.kind, u.role) for u in document.units}
    assert {
        ("Snow storm closes schools & roads", Kind.TEXT, "page title"),
        ("Snow storm closes hundreds of schools", Kind.TEXT, "headline"),
        ("World", Kind.UI, "navigation"),
        ("Sport", Kind.UI, "navigation"),
        ("Share", Kind.UI, "button"),
        ("Related Articles", Kind.UI, "section label"),
        ("Winter is coming, say forecasters.", Kind.TEXT, "teaser"),
        ("Full report", Kind.TEXT, "title"),
        ("Cars under snow", Kind.TEXT, "alt"),
        ("Daily News", Kind.UI, "alt"),
        ("Cars under snow in the centre.", Kind.TEXT, "caption"),
    } <= found
    assert document.declared_language == "en"
    assert not any("not text" in u.text or "color" in u.text for u in document.units)


def test_units_carry_source_lines() -> None:
    document = parse(sample("news_page.html"))
    lines = {strip_markers(u.text): u.line for u in document.units}
    assert lines["Snow storm closes hundreds of schools"] == 19
    assert lines["Share"] == 25


def test_inline_markup_is_carried_as_markers() -> None:
    document = parse('<p>Read <a href="/r">the <b>report</b></a><br>now.</p>')
    (unit,) = document.units
    assert strip_markers(unit.text) == "Read the reportnow."
    assert sum(is_marker(c) for c in unit.text) == 5


def test_script_and_style_are_kept_byte_for_byte() -> None:
    text = sample("news_page.html")
    out = render_with(parse(text), str.upper, "es")
    for start, end in (("<style>", "</style>"), ('<script type="text/javascript">', "</script>")):
        block = text[text.index(start) : text.index(end) + len(end)]
        assert block in out


def test_translate_no_notranslate_and_code_are_kept() -> None:
    text = sample("nav_and_translate_no.html")
    document = parse(text)
    assert not any(w in u.text for u in document.units for w in ("Apple", "Keep", "Nor", "make"))
    out = render_with(document, str.upper)
    for kept in (
        '<span translate="no">Apple Daily</span>',
        "Keep this paragraph as it is.",
        "Nor this one.",
        "<code>make demo</code>",
    ):
        assert kept in out
    assert "THE COMPANY <span" in out and "SAID IT WOULD CLOSE." in out


NESTED = "But this nested one is translated, about the summit."


@pytest.mark.parametrize(
    "marked",
    ['translate="no"', "class='notranslate'", "translate=NO class=notranslate"],
    ids=["translate-no", "notranslate-class", "both"],
)
def test_translate_yes_inside_an_untranslated_element_is_translated(marked: str) -> None:
    # translate is inherited, and an element's own translate="yes" overrides its ancestors'
    # (HTML spec; Okapi and DeepL read it so), Google's notranslate class included
    text = (
        f"<div {marked}><p>Kept in English.</p>\n"
        f'<p translate="yes">{NESTED}</p>\n<p title="Kept title">Kept too.</p></div>'
    )
    document = parse(text)
    assert [u.text for u in document.units] == [NESTED]
    assert render_with(document, str.upper) == text.replace(NESTED, NESTED.upper())


TRANSLATE_OVERRIDES = """<nav translate="no"><a href="/">Home</a>
<a href="/w" translate="yes">World</a></nav>
<div class="notranslate"><img alt="Logo"><img alt="The flooded road" translate="yes">
<section translate="yes"><h2>Floods in the north</h2>
<p>Rivers rose at <span translate="no">Aqua Alta</span> overnight.</p>
<p translate="no">Code name <b translate="yes">the storm</b> stays <i>as is</i>.</p></section>
<p>Kept, <b>all</b> of it.</p><pre translate="yes">print("code")</pre></div>
<p>After it, translated.</p>
"""


def test_translate_is_inherited_and_each_element_may_override_it() -> None:
    document = parse(TRANSLATE_OVERRIDES)
    assert [(strip_markers(u.text), u.kind, u.role) for u in document.units] == [
        ("World", Kind.UI, "navigation"),  # still a menu link: the kept <nav> gives its role
        ("The flooded road", Kind.TEXT, "alt"),
        ("Floods in the north", Kind.TEXT, "heading"),
        ("Rivers rose at  overnight.", Kind.TEXT, "body"),  # Aqua Alta kept inside its unit
        ("the storm", Kind.TEXT, "body"),
        ("After it, translated.", Kind.TEXT, "body"),
    ]
    expected = TRANSLATE_OVERRIDES
    for text in ("World", "The flooded road", "Floods in the north", "the storm", "After it"):
        expected = expected.replace(text, text.upper())
    expected = expected.replace("Rivers rose at", "RIVERS ROSE AT").replace(
        "overnight", "OVERNIGHT"
    )
    assert render_with(document, str.upper) == expected.replace("translated.", "TRANSLATED.")


def test_cli_translates_translate_yes_inside_translate_no(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = (
        '<html><body><div translate="no"><p>Kept in English.</p>'
        '<p translate="yes">But this nested one should be translated, about the summit.</p>'
        "</div></body></html>\n"
    )
    out = (translate_pages(runner, tmp_path, {"t.html": page.encode()}) / "t.html").read_text()
    assert '<div translate="no"><p>Kept in English.</p><p translate="yes">' in out
    assert "cumbre" in out and "about the summit" not in out


KYIV_METRO = (
    "<p>The ministry said the {} would reopen on Monday morning.</p>",
    "<p>THE MINISTRY SAID THE {} WOULD REOPEN ON MONDAY MORNING.</p>",
)


@pytest.mark.parametrize(
    "kept",
    [
        '<span translate="no">Kyiv <b translate="yes">metro</b></span>',
        '<span class="notranslate">Kyiv <b translate="yes">metro</b></span>',
        '<span translate="no">Kyiv <i>city <b translate="yes">metro</b></i></span>',
        '<code>Kyiv <b translate="yes">metro</b></code>',
    ],
    ids=["translate-no", "notranslate-class", "deeper", "code"],
)
def test_an_inline_untranslated_element_stays_one_piece_of_its_paragraph(kept: str) -> None:
    # a translate="yes" inside it would cut the sentence in three, each translated alone
    # ("… </span> Reabriría el lunes"): only a block gives way to it
    text, translated = KYIV_METRO
    document = parse(text.format(kept))
    assert [u.text for u in document.units] == [
        "The ministry said the \uf000 would reopen on Monday morning."
    ]
    assert render_with(document, str.upper) == translated.format(kept)


def test_cli_translates_a_paragraph_holding_an_inline_untranslated_element_whole(
    runner: CliRunner, tmp_path: Path
) -> None:
    kept = '<span translate="no">Kyiv <b translate="yes">metro</b></span>'
    page = KYIV_METRO[0].format(kept).encode()
    out = (translate_pages(runner, tmp_path, {"kyiv.html": page}) / "kyiv.html").read_text()
    assert out.count("<p>") == 1 and kept in out
    after = out.split(kept)[1]
    assert after[:2] == " r" and "lunes" in after  # "… </span> reabriría el lunes …"


def test_an_unclosed_untranslated_paragraph_ends_where_a_browser_closes_it() -> None:
    text = '<p translate="no">Kept as written.<div><p>Translated, as it is no part of it.</p></div>'
    document = parse(text)
    assert [u.text for u in document.units] == ["Translated, as it is no part of it."]


def test_translate_yes_on_code_inside_an_untranslated_block_translates_its_title() -> None:
    # its own translate="yes" overrides the block's for its attributes too; its code stays
    text = '<div translate="no"><p>Kept.</p><pre translate="yes" title="Sample code">x</pre></div>'
    document = parse(text)
    assert [(u.text, u.role) for u in document.units] == [("Sample code", "title")]
    assert render_with(document, str.upper) == text.replace("Sample code", "SAMPLE CODE")


def test_each_menu_link_is_its_own_ui_string() -> None:
    units = parse(sample("nav_and_translate_no.html")).units
    assert [(u.text, u.role) for u in units if u.kind is Kind.UI] == [
        ("Home", "navigation"),
        ("World", "navigation"),
        ("Search", "label"),
    ]


def test_title_and_alt_attributes_are_translated_in_place() -> None:
    text = sample("news_page.html")
    document = parse(text)
    out = FORMAT.render(
        document,
        [
            {"Cars under snow": "Coches bajo la nieve", "Full report": 'El "informe"'}.get(
                u.text, u.text
            )
            for u in document.units
        ],
        "es",
    )
    assert "ALT='Coches bajo la nieve'" in out
    assert 'title="El &quot;informe&quot;"' in out


HEAD_AND_FORM = """<head>
<meta name="description" content="A strong storm hit the coast.">
<meta property="og:title" content="Storm hits the coast">
<meta content="Snow closes schools" name="twitter:title">
<meta name="twitter:card" content="summary_large_image">
<meta property="og:url" content="https://example.com/storm">
</head><body>
<form><input type=search placeholder="Search the news" aria-label="Search"></form>
<nav aria-label="Sections"><a href="/">Home</a></nav>
</body>
"""


def test_meta_descriptions_and_accessible_labels_are_translated() -> None:
    document = parse(HEAD_AND_FORM)
    assert [(u.text, u.kind, u.role) for u in document.units] == [
        ("A strong storm hit the coast.", Kind.TEXT, "description"),
        ("Storm hits the coast", Kind.TEXT, "og:title"),
        ("Snow closes schools", Kind.TEXT, "twitter:title"),
        ("Search the news", Kind.TEXT, "placeholder"),
        ("Search", Kind.TEXT, "aria-label"),
        ("Sections", Kind.UI, "aria-label"),  # a menu's label is site chrome
        ("Home", Kind.UI, "navigation"),
    ]
    out = render_with(document, str.upper)
    expected = HEAD_AND_FORM
    for unit in document.units:
        expected = expected.replace(f'"{unit.text}"', f'"{unit.text.upper()}"')
        expected = expected.replace(f">{unit.text}<", f">{unit.text.upper()}<")
    assert out == expected  # twitter:card, og:url and every other byte as they were


KEPT_CONTENT = """<form><label>Comment <textarea placeholder="Write here" aria-label="Comment box">
Keep <b>this</b></textarea></label></form>
<svg role="img" aria-label="Chart of the rain"><title>Rain</title><text>mm</text></svg>
<p>Run <code title="The command">make demo</code> now.</p>
<pre title="The source code">print("hello")</pre>
<pre title="Old code" translate="no">x</pre>
<textarea class="notranslate" placeholder="Name"></textarea>
<script title="Tracker">var a = 1;</script><style title="Large text">p {}</style>
"""


def test_attributes_of_elements_kept_whole_are_translated() -> None:
    document = parse(KEPT_CONTENT)
    assert [(strip_markers(u.text), u.kind, u.role) for u in document.units] == [
        ("Comment", Kind.UI, "label"),
        ("Write here", Kind.UI, "placeholder"),  # inside a <label>: site chrome
        ("Comment box", Kind.UI, "aria-label"),
        ("Chart of the rain", Kind.TEXT, "aria-label"),
        ("The command", Kind.TEXT, "title"),
        ("Run  now.", Kind.TEXT, "body"),
        ("The source code", Kind.TEXT, "title"),
    ]
    expected = KEPT_CONTENT
    for text in (
        "Write here",
        "Comment box",
        "Chart of the rain",
        "The command",
        "The source code",
    ):
        expected = expected.replace(f'"{text}"', f'"{text.upper()}"')
    expected = expected.replace("Comment <", "COMMENT <").replace("Run <", "RUN <")
    assert render_with(document, str.upper) == expected.replace("> now.", "> NOW.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<meta charset="iso-8859-1">', '<meta charset="utf-8">'),
        ("<META CHARSET=ISO-8859-1>", "<META CHARSET=UTF-8>"),
        ("<meta charset=' latin1 ' />", "<meta charset=' utf-8 ' />"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        ),
        (
            "<meta content='text/html;Charset=\"Shift_JIS\"' http-equiv=content-type>",
            "<meta content='text/html;Charset=\"utf-8\"' http-equiv=content-type>",
        ),
        (
            '<head translate="no"><meta charset="iso-8859-1"></head>',
            '<head translate="no"><meta charset="utf-8"></head>',
        ),
        (
            "<?xml version='1.0' encoding='ISO-8859-1'?>\n",
            "<?xml version='1.0' encoding='UTF-8'?>\n",
        ),
    ],
    ids=[
        "charset",
        "upper-unquoted",
        "spaced",
        "http-equiv",
        "reordered",
        "in-translate-no",
        "xhtml-declaration",
    ],
)
def test_a_declared_charset_becomes_utf8(text: str, expected: str) -> None:
    # outputs are always UTF-8: a page still declaring Latin-1 would show mojibake
    assert render_with(parse(text + "<p>Hi</p>"), lambda t: t) == expected + "<p>Hi</p>"


@pytest.mark.parametrize(
    "text",
    [
        '<meta charset="utf-8">',
        "<meta charset=UTF8>",
        '<meta http-equiv="content-type" content="text/html; charset=UTF-8">',
        '<meta http-equiv="refresh" content="5; charset=latin1">',
        '<meta name="description" content="charset=latin1">',
        '<script charset="iso-8859-1" src="old.js"></script>',
        "<meta charset>",
        '<textarea><meta charset="latin1"> as text</textarea>',
        '<title>A <meta charset="latin1"> title</title>',
    ],
    ids=[
        "utf-8",
        "utf8",
        "http-equiv-utf-8",
        "not-content-type",
        "not-http-equiv",
        "script",
        "empty",
        "text-in-a-textarea",
        "text-in-a-title",
    ],
)
def test_utf8_or_no_charset_declaration_is_kept(text: str) -> None:
    assert render_with(parse(text), lambda t: t) == text


def page_in(declaration: bytes, body: bytes) -> bytes:
    return b"<html><head>" + declaration + b"<title>News</title></head><body><p>" + body + b"</p>"


@pytest.mark.parametrize(
    ("declaration", "body", "expected"),
    [
        (b'<meta charset="iso-8859-1">', b"The caf\xe9 is \x93open\x94.", "The café is “open”."),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            b"The caf\xe9 costs \x8020.",
            "The café costs €20.",
        ),
        (b"<META CHARSET=' Latin1 '>", b"caf\xe9", "café"),
        (b'<meta charset="us-ascii">', b"caf\xe9", "café"),
        (b'<meta charset="koi8-r">', "Москва".encode("koi8-r"), "Москва"),
        (b'<meta charset="shift_jis">', "東京①".encode("cp932"), "東京①"),
        (
            b'<?xml version="1.0" encoding="ISO-8859-15"?>\n<!-- XHTML -->',
            b"\xa4 20",
            "€ 20",
        ),
        (b'<meta charset="x-mac-roman">', b"Caf\x8e news \xdb20.", "Café news €20."),
        (b"<meta charset=csmacintosh>", b"Caf\x8e", "Café"),
        (b'<meta charset="x-mac-cyrillic">', "Київ, €5".encode("mac-cyrillic"), "Київ, €5"),
        (b'<meta charset="x-mac-ukrainian">', "Київ".encode("mac-cyrillic"), "Київ"),
        (b'<meta charset="x-euc-jp">', "東京".encode("euc-jp"), "東京"),
        (b'<meta charset="x-user-defined">', b"caf\xe9 \x80", "café €"),
        # bytes Python's cp1252 and cp1255 leave undefined, which browsers read
        (b'<meta charset="windows-1252">', b"caf\xe9\x8d", "café\x8d"),
        (b'<meta charset="windows-1255">', "שָׁלוֹם".encode("cp1255") + b"\xca", "שָׁלוֹם\u05ba"),
    ],
    ids=[
        "latin-1",
        "http-equiv",
        "spaced-upper",
        "us-ascii",
        "koi8-r",
        "shift_jis",
        "xhtml",
        "x-mac-roman",
        "csmacintosh",
        "x-mac-cyrillic",
        "x-mac-ukrainian",
        "x-euc-jp",
        "x-user-defined",  # the HTML spec's prescan reads it as windows-1252
        "windows-1252-undefined-in-python",
        "windows-1255-undefined-in-python",
    ],
)
def test_a_page_not_in_utf8_is_read_in_the_charset_it_declares(
    declaration: bytes, body: bytes, expected: str
) -> None:
    # as browsers read it: the WHATWG Encoding Standard reads "iso-8859-1", "latin1" and
    # "us-ascii" as windows-1252 (0x93 is a quote), "shift_jis" as Windows' own
    data = page_in(declaration, body)
    text = decode(data, Path("news/page.html"))
    assert f"<p>{expected}</p>" in text
    assert text.encode("utf-8") != data


def test_a_utf8_bom_wins_over_the_charset_a_page_declares() -> None:
    data = "\ufeff".encode() + page_in(b'<meta charset="iso-8859-1">', "café".encode())
    assert "<p>café</p>" in decode(data, Path("page.html"))


def test_cli_writes_a_page_in_a_declared_charset_as_utf8(runner: CliRunner, tmp_path: Path) -> None:
    pages = {
        "meta.html": page_in(b'<meta charset="iso-8859-1">', b"The caf\xe9 in Moscow was closed."),
        "http-equiv.htm": page_in(
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            b"The caf\xe9 in Moscow was closed.",
        ),
    }
    out = translate_pages(runner, tmp_path, pages)
    meta = (out / "meta.html").read_bytes().decode("utf-8")
    assert meta.startswith('<html lang="es"><head><meta charset="utf-8"><title>')
    assert "Moscú" in meta
    http_equiv = (out / "http-equiv.htm").read_bytes().decode("utf-8")
    assert 'content="text/html; charset=utf-8"' in http_equiv and "Moscú" in http_equiv


CAFE = b"The caf\xe9\nin Moscow."


@pytest.mark.parametrize(
    ("declaration", "body", "error"),
    [
        (
            b'<meta charset="x-klingon">',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at}), "
            "and the charset it declares, 'x-klingon', is not one we can read",
        ),
        (  # a Python codec, but no charset: no browser reads a page in it
            b'<meta charset="utf-7">',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at}), "
            "and the charset it declares, 'utf-7', is not one we can read",
        ),
        (
            b'<meta charset="unicode_escape">',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at}), "
            "and the charset it declares, 'unicode_escape', is not one we can read",
        ),
        (  # a label of the Standard's "replacement" encoding: browsers show no text
            b'<meta charset="iso-2022-kr">',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at}), "
            "and the charset it declares, 'iso-2022-kr', is not one we can read",
        ),
        (  # a byte windows-1253 has no character for, in the Standard too
            b'<meta charset="windows-1253">',
            b"The\n\xaa caf\xe9",
            "page.html:2: not text in the charset it declares, 'windows-1253' "
            "(invalid byte 0xaa at offset {at})",
        ),
        (
            b'<meta charset="greek8">',
            b"The\n\xd2 caf\xe9",
            "page.html:2: not text in the charset it declares, 'greek8', "
            "read as iso-8859-7 as browsers do (invalid byte 0xd2 at offset {at})",
        ),
        (
            b'<meta charset="utf-8">',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at})",
        ),
        (b"", CAFE, "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at})"),
        (
            b" " * 1024 + b'<meta charset="iso-8859-1">',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at})",
        ),
        (
            b'<title><meta charset="iso-8859-1"></title>',
            CAFE,
            "page.html:1: not UTF-8 text (invalid byte 0xe9 at offset {at})",
        ),
    ],
    ids=[
        "unknown",
        "utf-7",
        "unicode-escape",
        "replacement",
        "undefined-byte",
        "undefined-byte-by-another-label",
        "declared-utf-8",
        "undeclared",
        "past-1024-bytes",
        "text-in-a-title",
    ],
)
def test_a_page_not_in_its_declared_charset_is_refused_naming_charset_and_byte(
    declaration: bytes, body: bytes, error: str
) -> None:
    data = page_in(declaration, body)
    bad = next(i for i, byte in enumerate(data) if byte > 0x7F)
    with pytest.raises(InputError) as raised:
        decode(data, Path("page.html"))
    assert str(raised.value) == error.format(at=bad)


def test_every_charset_label_browsers_read_names_a_python_codec_reading_ascii_markup() -> None:
    # the allow-list is the whole contract: each label there reads the page's markup as
    # written, and what its encoding decodes (a codec misspelt there would refuse pages)
    markup = bytes(range(0x20, 0x7F)) + b"\t\n\r"
    assert len(PAGE_ENCODINGS) > 200  # the Standard's labels, not a handful
    for label, (name, codec) in PAGE_ENCODINGS.items():
        assert label == label.strip().lower(), label
        assert codecs.lookup(codec) and markup.decode(codec) == markup.decode("ascii"), label
        assert PAGE_ENCODINGS[name][0] == name, label  # each name is a label of its own


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", b'<meta charset="iso-8859-1">\nThe caf\xe9.\n'),
        ("a.md", b'<meta charset="iso-8859-1">\n\nThe caf\xe9.\n'),
        ("a.json", b'{"body": "<meta charset=\\"iso-8859-1\\"><p>The caf\xe9.</p>"}'),
    ],
    ids=["txt", "md", "json"],
)
def test_other_formats_stay_utf8_whatever_html_they_hold(name: str, data: bytes) -> None:
    with pytest.raises(InputError, match=r"not UTF-8 text \(invalid byte 0xe9"):
        decode(data, Path(name))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<html lang="en"><p>Hi</p></html>', '<html lang="es"><p>Hi</p></html>'),
        ("<html lang='en-GB' class=x><p>Hi</p>", "<html lang='es' class=x><p>Hi</p>"),
        ("<!DOCTYPE html><HTML><p>Hi</p>", '<!DOCTYPE html><HTML lang="es"><p>Hi</p>'),
        ("<p>No html element</p>", "<p>No html element</p>"),
        (
            f"<html xmlns={XHTML}><p>Hi</p>",
            f'<html lang="es" xmlns={XHTML}><p>Hi</p>',
        ),
        ("<html  class=x\n  id=top><p>Hi</p>", '<html lang="es"  class=x\n  id=top><p>Hi</p>'),
        ("<html lang><p>Hi</p>", '<html lang="es"><p>Hi</p>'),
        ("<html lang=en dir=ltr><p>Hi</p>", '<html lang="es" dir=ltr><p>Hi</p>'),
        (
            f'<html xmlns={XHTML} lang="en" xml:lang="en"><p>Hi</p>',
            f'<html xmlns={XHTML} lang="es" xml:lang="es"><p>Hi</p>',
        ),
        (
            f"<html xmlns={XHTML} xml:lang='en-GB'><p>Hi</p>",
            f"<html lang=\"es\" xmlns={XHTML} xml:lang='es'><p>Hi</p>",
        ),
    ],
    ids=[
        "replaced",
        "single-quoted",
        "added",
        "no-html-element",
        "added-before-xmlns",
        "added-before-spaced-attributes",
        "bare-lang",
        "unquoted",
        "xhtml-lang-and-xml-lang",
        "xhtml-xml-lang-only",
    ],
)
def test_lang_is_set_on_html(text: str, expected: str) -> None:
    assert render_with(parse(text), lambda t: t, "es") == expected


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("<html><p>Hi.</p></html>", "ar", '<html lang="ar" dir="rtl"><p>Hi.</p></html>'),
        ("<html><p>Hi.</p></html>", "es", '<html lang="es"><p>Hi.</p></html>'),
        ('<html dir="ltr"><p>Hi.', "he", '<html lang="he" dir="rtl"><p>Hi.'),
        ("<html dir='rtl'><p>Hi.", "en", "<html lang=\"en\" dir='ltr'><p>Hi."),
        ('<html dir="auto"><p>Hi.', "ar", '<html lang="ar" dir="auto"><p>Hi.'),
    ],
    ids=["rtl-added", "ltr-nothing-added", "ltr-to-rtl", "rtl-to-ltr", "auto-kept"],
)
def test_the_page_reads_in_its_languages_direction(page: str, target: str, expected: str) -> None:
    """A page translated into Arabic or Hebrew reads right to left, as its bilingual page."""
    assert render_with(parse(page), lambda t: t, target) == expected


def test_an_xhtml_page_stays_well_formed_with_its_languages_set() -> None:
    # XHTML wants both lang and xml:lang, and an attribute glued to the next is no XML
    for html_tag in (f"<html xmlns={XHTML}>", f'<html xmlns={XHTML} xml:lang="en">'):
        page = f"{html_tag}<body><p>The talks resumed.</p></body></html>"
        root = ElementTree.fromstring(render_with(parse(page), str.upper, "es"))
        assert root.get("lang") == "es"
        assert root.get(XML_LANG) == ("es" if "xml:lang" in html_tag else None)


def test_declared_language_comes_from_html_lang() -> None:
    assert parse("<html lang=' fr '><p>Bonjour</p>").declared_language == "fr"
    assert parse("<html xml:lang='fr'><p>Bonjour</p>").declared_language == "fr"
    assert parse("<html lang='' xml:lang='de'><p>Hallo</p>").declared_language == "de"
    assert parse("<p>Hello</p>").declared_language is None


def test_translation_with_markup_is_escaped() -> None:
    document = parse('<html><body><p>Hello</p><img alt="cat"></body></html>')
    evil = "<script>alert(1)</script> & more"
    out = render_with(document, lambda _: evil)
    assert "<script>" not in out
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>" in out
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"' in out


def test_lost_and_reordered_markers_are_repaired() -> None:
    document = parse('<p>Read <a href="/r">the report</a><br>now.</p>')
    (unit,) = document.units
    link_open, link_close, _br = (c for c in unit.text if is_marker(c))
    out = render_with(
        document, lambda _: f"Lee{link_close} ahora {link_open}el informe{link_close}"
    )
    assert out == '<p>Lee ahora <a href="/r">el informe</a><br></p>'


def test_entities_decode_in_units_and_are_kept_when_untouched() -> None:
    text = sample("entities_and_comments.html")
    document = parse(text)
    assert document.units[0].text == "Café é é \xa0AT&T <tag> &amp;"
    assert render_with(document, lambda t: t) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<",
        "<p",
        "<p>unclosed",
        "</p></div>stray",
        "<!-- never closed",
        "<script>never ends",
        "<p>a<b>b<i>c</b>d</i>",
        "<div translate=no>open",
        "<p>x<code>unclosed</p><p>next</p>",
        "&",
        "&#;",
        "<p title=>x</p>",
        "<![CDATA[x]]><?php echo 1 ?>",
    ],
    ids=lambda t: repr(t)[:20],
)
def test_malformed_html_never_raises_and_round_trips(text: str) -> None:
    assert render_with(parse(text), lambda t: t) == text
    render_with(parse(text), str.upper)


def test_truncated_file_keeps_its_text() -> None:
    text = sample("truncated_and_unclosed.html")
    document = parse(text)
    assert [strip_markers(u.text) for u in document.units] == [
        "First paragraph with bold text",
        "Second paragraph never closed",
        "Inside a div stray end",
        "Cut off at the end",
    ]
    assert render_with(document, lambda t: t) == with_lang(text)


def test_known_ui_strings_option() -> None:
    document = parse(
        "<p>Read more</p><p>Body text.</p>", ReadOptions(ui_strings=frozenset({"Read more"}))
    )
    assert [u.kind for u in document.units] == [Kind.UI, Kind.TEXT]


def test_render_checks_translation_count() -> None:
    with pytest.raises(ValueError, match="1 translations for 2 units"):
        FORMAT.render(parse("<p>a</p><p>b</p>"), ["x"], "es")


@given(st.text(alphabet="<>/ab=\"'&;! \n-p#x", max_size=60))
def test_any_text_round_trips(text: str) -> None:
    assert render_with(parse(text), lambda t: t) == text


TEXT = st.text(alphabet="abcXYZ019 .,;:!?'", min_size=1, max_size=12)


@st.composite
def inline_parts(draw: st.DrawFn, depth: int = 0) -> list[tuple[str, ...]]:
    parts: list[tuple[str, ...]] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["text", "text", "ent", "br", "img"] + (["wrap"] if depth < 2 else []))
        )
        if kind == "text":
            parts.append(("text", draw(TEXT)))
        elif kind == "ent":
            parts.append(("ent", draw(st.sampled_from(["&amp;", "&lt;", "&#62;"]))))
        elif kind == "img":
            parts.append(("img", draw(TEXT)))
        elif kind == "br":
            parts.append(("br",))
        else:
            tag = draw(st.sampled_from(["b", "em", 'a href="/Url?x=1&amp;Y=2"']))
            parts.append(("wrap", tag, *draw(inline_parts(depth + 1))))  # type: ignore[arg-type]
    return parts


def build_html(
    blocks: list[tuple[str, list[tuple[str, ...]]]], change: Callable[[str], str]
) -> str:
    def part(p: tuple[str, ...]) -> str:
        if p[0] == "text":
            return change(p[1])
        if p[0] == "ent":
            return p[1]
        if p[0] == "img":
            return f'<img src="Pic.png" alt="{change(p[1])}">'
        if p[0] == "br":
            return "<br>"
        tag = p[1]
        return f"<{tag}>" + "".join(part(q) for q in p[2:]) + f"</{tag.split()[0]}>"  # type: ignore[arg-type]

    body = "\n".join(f"<{tag}>{''.join(part(p) for p in parts)}</{tag}>" for tag, parts in blocks)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><script>var X = "<b>A</b>";</script></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


BLOCKS = st.lists(
    st.tuples(st.sampled_from(["p", "h1", "h2", "div", "td"]), inline_parts()),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150)
@given(BLOCKS)
def test_generated_pages_round_trip_and_translate_only_text(
    blocks: list[tuple[str, list[tuple[str, ...]]]],
) -> None:
    source = build_html(blocks, lambda t: t)
    document = parse(source)
    assert render_with(document, lambda t: t) == source
    assert render_with(document, str.upper) == build_html(blocks, str.upper)
