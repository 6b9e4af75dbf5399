"""HTML held in JSON fields (CMS exports: a newsroom feed's "body", WordPress REST's
`content.rendered`): read with the HTML format's inline markers, written back by its writer."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA
from translator.cli import main
from translator.documents import ReadOptions, read_document, render_document
from translator.documents.html import is_markup
from translator.documents.jsonrec import JsonFormat, JsonLinesFormat
from translator.model import Document

SAMPLES = DATA / "documents"
NEWSROOM = "html_body_record.json"
WORDPRESS = "wordpress_rest_post.json"
# WordPress REST keeps each text under "rendered": {"title": {"rendered": "..."}}
WORDPRESS_FIELDS = ReadOptions(json_fields=("rendered",))
TAG = re.compile(r"<[^>]*>")
TRANSLATED_ATTRIBUTE = re.compile(r'(title|alt)="[^"]*"')


def parse_json(text: str) -> Document:
    return JsonFormat().parse(text, Path("a.json"), ReadOptions())


def identity(document: Document) -> str:
    return render_document(document, [u.text for u in document.units], "en")


def upper(document: Document) -> str:
    return render_document(document, [u.text.upper() for u in document.units], "es")


def markup(html: str) -> list[str]:
    """The tags of `html` as written, the values of translated attributes left out."""
    return [TRANSLATED_ATTRIBUTE.sub(r'\1=""', tag) for tag in TAG.findall(html)]


@pytest.mark.parametrize(
    ("name", "options"),
    [(NEWSROOM, ReadOptions()), (WORDPRESS, WORDPRESS_FIELDS)],
    ids=["newsroom-body", "wordpress-rendered"],
)
def test_records_with_html_fields_round_trip_byte_for_byte(name: str, options: ReadOptions) -> None:
    document = read_document(SAMPLES, Path(name), options)
    assert identity(document).encode() == (SAMPLES / name).read_bytes()


def test_an_html_field_gives_the_html_reader_s_units() -> None:
    document = read_document(SAMPLES, Path(NEWSROOM), ReadOptions())
    assert [(u.text, u.role, u.line) for u in document.units] == [
        ("Storm closes the \ue000coast\ue800 road", "headline", 4),
        ("Winds above 100 km/h; schools < 5 km from the shore are closed.", "summary", 5),
        ("Profile of the minister", "title", 6),  # the link's title attribute
        ("The \ue000minister\ue800 said the road would reopen on Monday.", "body", 6),
        ("Waves over the sea wall", "alt", 6),
        ("Waves over the sea wall & the promenade.", "caption", 6),
        ("Read the \uf000 notice.", "body", 6),  # <code> kept whole; <script> not read
    ]


def test_translated_html_field_keeps_its_markup_byte_for_byte() -> None:
    source = (SAMPLES / NEWSROOM).read_text("utf-8")
    out = upper(parse_json(source))
    record = json.loads(out)
    assert record["title"] == "STORM CLOSES THE <em>COAST</em> ROAD"
    assert record["body"] == (
        '<p>THE <a href="/world/minister" title="PROFILE OF THE MINISTER">MINISTER</a>'
        " SAID THE ROAD WOULD REOPEN ON MONDAY.</p>\n"
        '<figure><img src="/img/storm.jpg" alt="WAVES OVER THE SEA WALL">'
        "<figcaption>WAVES OVER THE SEA WALL &amp; THE PROMENADE.</figcaption></figure>\n"
        "<p>READ THE <code>storm_warning</code> NOTICE.</p>\n"
        '<script>track("storm closes road");</script>'
    )
    # A plain-text field is still plain text: its "<" is a word, not markup to escape.
    assert record["summary"] == "WINDS ABOVE 100 KM/H; SCHOOLS < 5 KM FROM THE SHORE ARE CLOSED."
    assert '  "tags": ["weather"]\n' in out and '  "lang": "es",\n' in out


def test_the_reviewed_body_keeps_its_link() -> None:
    """The review finding: the link's tag came back as the word "un"."""
    document = parse_json('{"body": "<p>The <a href=\\"/x\\">minister</a> said…</p>"}')
    assert [u.text for u in document.units] == ["The \ue000minister\ue800 said…"]
    out = render_document(document, ["El \ue000ministro\ue800 dijo…"], "es")
    assert out == '{"body": "<p>El <a href=\\"/x\\">ministro</a> dijo…</p>"}'
    # An engine that lost the markers still gives well-formed markup: the link is dropped.
    lost = render_document(document, ["El ministro dijo…"], "es")
    assert json.loads(lost) == {"body": "<p>El ministro dijo…</p>"}


def test_a_cms_body_keeps_its_template_tags_whole() -> None:
    # a CMS body may hold its site's tags, as an HTML page or a Markdown article does
    body = "<p>{% include byline.html %} The {{ page.author }} said it.</p>"
    document = parse_json(json.dumps({"body": body}))
    assert [u.text for u in document.units] == ["The \uf000 said it."]
    assert json.loads(upper(document)) == {
        "body": "<p>{% include byline.html %} THE {{ page.author }} SAID IT.</p>"
    }


def test_wordpress_escapes_and_entities_are_kept_around_translated_words() -> None:
    """WordPress writes "/" as "\\/" (`<\\/p>`), non-ASCII as "\\u00e9", quotes as
    "&#8217;": all written the same way again, so only the words differ."""
    source = (SAMPLES / WORDPRESS).read_text("utf-8")
    document = read_document(SAMPLES, Path(WORDPRESS), WORDPRESS_FIELDS)
    assert document.units[2].text == (
        "The minister\u2019s office said rain will continue\uf000until Sunday."
    )
    out = render_document(
        document, [u.text.replace(" said ", " dijo ") for u in document.units], "es"
    )
    assert out == source.replace(" said ", " dijo ")


def test_json_lines_read_html_fields_too() -> None:
    source = '{"title": "Storm", "body": "<p>The <b>wind</b> was strong.</p>"}\n'
    document = JsonLinesFormat().parse(source, Path("a.jsonl"), ReadOptions())
    assert upper(document) == '{"title": "STORM", "body": "<p>THE <b>WIND</b> WAS STRONG.</p>"}\n'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<p>The storm.</p>", True),
        ("The <em>storm</em> hit.", True),
        ("Rain<br>until Sunday", True),
        ('<img src="storm.jpg" alt="Storm">', True),
        ("Schools < 5 km from the shore", False),
        ("x<y and z>w", False),
        ("Replace <name> with your name", False),
        ("AT&amp;T and R&D", False),
        ("<3 the coast", False),
    ],
    ids=[
        "paragraph",
        "inline-element",
        "void-br",
        "void-img",
        "less-than",
        "unclosed-tag-shape",
        "placeholder",
        "entity-without-tags",
        "heart",
    ],
)
def test_a_field_is_html_only_when_it_holds_an_element(value: str, expected: bool) -> None:
    assert is_markup(value) is expected


def test_plain_text_fields_keep_paragraph_units() -> None:
    document = parse_json('{"body": "Schools < 5 km away <name> closed.\\n\\nSecond one."}')
    assert [u.text for u in document.units] == ["Schools < 5 km away <name> closed.", "Second one."]
    out = render_document(document, ["Escuelas < 5 km <name> cerradas.", "Segunda."], "es")
    assert out == '{"body": "Escuelas < 5 km <name> cerradas.\\n\\nSegunda."}'


def test_cli_translates_html_fields_and_keeps_their_markup(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(SAMPLES / NEWSROOM, source / NEWSROOM)
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    before = json.loads((source / NEWSROOM).read_text("utf-8"))
    after = json.loads((out / "es" / NEWSROOM).read_text("utf-8"))
    for field in ("title", "body"):
        assert markup(after[field]) == markup(before[field])
    body = after["body"]
    assert '<script>track("storm closes road");</script>' in body
    assert "<code>storm_warning</code>" in body
    assert ">ministro</a>" in body and "minister<" not in body
    assert 'alt="Waves over the sea wall"' not in body
    assert "coast" not in after["title"] and "<em>" in after["title"]
