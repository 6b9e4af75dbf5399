"""JSON and JSON Lines article records: fields, roles, byte-exact rendering, bad input."""

# ruff: noqa: RUF001  (real news text: curly quotes, Cyrillic, CJK punctuation)

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DATA
from translator.cli import main
from translator.documents import (
    ReadOptions,
    read_document,
    render_document,
)
from translator.documents.jsonrec import JsonFormat, JsonLinesFormat
from translator.languages import LANGUAGE_CODE, normalise_language
from translator.model import Document, InputError, Kind

SAMPLES = DATA / "documents"
FIELDS = ReadOptions().json_fields


def parse_json(text: str, options: ReadOptions | None = None) -> Document:
    return JsonFormat().parse(text, Path("a.json"), options or ReadOptions())


def parse_jsonl(text: str) -> Document:
    return JsonLinesFormat().parse(text, Path("a.jsonl"), ReadOptions())


def identity(document: Document) -> str:
    """`document` written back untranslated, in its own language (English, where a record
    says none): the bytes it was read from."""
    language = document.declared_language or "en"
    return render_document(document, [u.text for u in document.units], language)


def upper(document: Document) -> str:
    return render_document(document, [u.text.upper() for u in document.units], "es")


@pytest.mark.parametrize(
    "name",
    ["article_record.json", "records_tab_indent.json", "records_with_bad_line.jsonl"],
    ids=["two-space-indent", "tab-indent-with-escapes", "jsonl-with-bad-line"],
)
def test_samples_round_trip_byte_for_byte(name: str) -> None:
    document = read_document(SAMPLES, Path(name), ReadOptions())
    assert identity(document).encode() == (SAMPLES / name).read_bytes()


def test_record_fields_roles_and_lines() -> None:
    document = read_document(SAMPLES, Path("article_record.json"), ReadOptions())
    assert [(u.role, u.line, u.kind) for u in document.units] == [
        ("headline", 5, Kind.TEXT),
        ("teaser", 6, Kind.TEXT),
        ("teaser headline", 7, Kind.TEXT),  # author.title: a field nested in the record
        ("body", 8, Kind.TEXT),
        ("body", 8, Kind.TEXT),
    ]
    assert document.units[4].text.startswith("“Our assessment")
    assert document.declared_language == "en"


def test_translation_keeps_key_order_layout_and_untranslated_fields() -> None:
    source = (SAMPLES / "article_record.json").read_text(encoding="utf-8")
    document = parse_json(source)
    out = upper(document)
    assert list(json.loads(out)) == list(json.loads(source))
    expected = json.loads(source)
    for key in ("title", "subtitle", "body"):
        expected[key] = expected[key].upper()
    expected["author"]["title"] = "CORRESPONDENT"
    expected["lang"] = "es"  # the record now holds Spanish text
    assert json.loads(out) == expected
    # Untouched lines are the source's bytes: spacing, "1.50", null, non-ASCII as is.
    assert '  "score": 1.50,\n' in out
    assert '  "author": {"name": "Staff", "title": "CORRESPONDENT"},\n' in out
    assert "JEAN-NOËL BARROT’S" in out


def test_body_paragraphs_are_units_and_separators_are_kept() -> None:
    document = parse_json('{"body": "  One.\\n\\nTwo.\\nThree.  "}')
    assert [u.text for u in document.units] == ["One.", "Two.", "Three."]
    out = render_document(document, ["Uno.", "Dos.", "Tres."], "es")
    assert out == '{"body": "  Uno.\\n\\nDos.\\nTres.  "}'


def test_escapes_survive_when_the_text_is_unchanged() -> None:
    source = '{"title": "Caf\\u00e9 \\/ \\"Kyiv\\"", "body": "\\u0416"}'
    document = parse_json(source)
    assert [u.text for u in document.units] == ['Café / "Kyiv"', "Ж"]
    assert identity(document) == source
    assert render_document(document, ['Café / "Kyiv"', "Ж!"], "es") == (
        '{"title": "Caf\\u00e9 \\/ \\"Kyiv\\"", "body": "\\u0416!"}'
    )


def test_a_rewritten_string_escapes_what_its_source_escaped() -> None:
    # "/" and "é" were escaped without need (WordPress, PHP): so they are again; the new
    # "ñ" and the quote are written as json.dumps writes them.
    document = parse_json('{"title": "Caf\\u00e9 \\/ Kyiv \\u0041"}')
    out = render_document(document, ['Café / Kyiv "A" año'], "es")
    assert out == '{"title": "Caf\\u00e9 \\/ Kyiv \\"A\\" año"}'


def test_fields_option_selects_what_is_translated() -> None:
    source = '{"headline": "Quake hits", "title": "kept", "lede": "Text."}'
    document = parse_json(source, ReadOptions(json_fields=("headline", "lede")))
    assert [(u.text, u.role) for u in document.units] == [
        ("Quake hits", "headline"),
        ("Text.", "lede"),
    ]


def test_site_ui_list_applies_to_json_fields() -> None:
    document = parse_json(
        '{"title": "World", "body": "Text."}', ReadOptions(ui_strings=frozenset({"World"}))
    )
    assert [(u.kind, u.role) for u in document.units] == [
        (Kind.UI, "ui string"),
        (Kind.TEXT, "body"),
    ]


@pytest.mark.parametrize(
    ("source", "declared"),
    [
        ('{"language": "fr", "title": "Bonjour"}', "fr"),
        ('[{"lang": "de", "title": "A"}, {"lang": "DE", "title": "B"}]', "de"),
        ('[{"lang": "de", "title": "A"}, {"title": "B"}]', None),
        ('{"title": "No language"}', None),
        ('{"language": "English", "title": "A name, not a code"}', None),
    ],
    ids=["object", "list-agreeing", "list-partly", "absent", "a-name"],
)
def test_declared_language(source: str, declared: str | None) -> None:
    assert parse_json(source).declared_language == declared


def test_records_declaring_two_languages_are_not_one_article(
    runner: CliRunner, tmp_path: Path
) -> None:
    """One file is translated from one language: a French record of an English feed
    would go through the English engine and come out labelled "es"."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "feed.jsonl").write_text(
        '{"title": "The storm hit the coast on Monday.", "lang": "en"}\n'
        '{"title": "La tempête a frappé la côte lundi.", "lang": "fr"}\n',
        "utf-8",
    )
    (source / "a.txt").write_text("The storm hit the coast on Monday.\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q"])
    assert result.exit_code == 1
    assert (
        "feed.jsonl: its records declare 2 languages (en, fr); a file is translated from one: "
        "give each language a file of its own"
    ) in result.output
    assert not (out / "es" / "feed.jsonl").exists()
    assert (out / "es" / "a.txt").is_file()


def test_a_language_name_is_not_taken_for_a_code(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.json").write_text('{"title": "Hi.", "language": "English"}', "utf-8")
    result = runner.invoke(main, [str(source), str(tmp_path / "out"), "--to", "es", "-q"])
    assert "language not detected (too little text to tell); pass --from LANG" in result.output
    assert "english" not in result.output.lower().replace("a.json", "")


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(InputError) as raised:
        read_document(SAMPLES, Path("invalid_missing_comma.json"), ReadOptions())
    assert str(raised.value) == (
        "invalid_missing_comma.json:4: invalid JSON: Expecting ',' delimiter (line 4, column 3)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{\n  "title": "Talks resume",\n  "body": "They met.",\n}\n',
            "a.json:3: invalid JSON: a comma before the closing '}' (JSON allows none there) "
            "(line 3, column 22)",
        ),
        (
            '{\n  "title": "Talks resume",\n  "title": "Talks end"\n}\n',
            'a.json:3: duplicate key "title": a JSON reader keeps only its last value',
        ),
    ],
    ids=["trailing-comma", "duplicate-key"],
)
def test_json_a_reader_would_misread_is_named_where_it_is(text: str, message: str) -> None:
    """A CMS export's trailing comma, at its own line; a key given twice, whose first
    value nothing would translate."""
    with pytest.raises(InputError) as raised:
        parse_json(text)
    assert str(raised.value) == message


def test_a_key_given_twice_outside_the_translated_fields_is_copied_as_it_is() -> None:
    text = '{"title": "Storm hits the coast", "meta": {"tag": "a", "tag": "b"}}\n'
    document = parse_json(text)
    assert [u.text for u in document.units] == ["Storm hits the coast"]
    assert identity(document) == text


def test_jsonl_a_record_with_a_key_twice_is_an_error_of_its_line() -> None:
    document = parse_jsonl('{"title": "One"}\n{"title": "Two", "title": "Three"}\n')
    assert [str(e) for e in document.problems] == [
        'a.jsonl:2: duplicate key "title": a JSON reader keeps only its last value'
    ]


def test_a_scalar_is_not_an_article_record() -> None:
    with pytest.raises(InputError, match="not an article record"):
        parse_json('"just a string"')


def test_jsonl_bad_line_is_reported_and_copied_unchanged() -> None:
    document = read_document(SAMPLES, Path("records_with_bad_line.jsonl"), ReadOptions())
    errors = document.problems
    assert [str(e) for e in errors] == [
        "records_with_bad_line.jsonl:2: invalid JSON: Expecting ',' delimiter (column 60)"
    ]
    assert errors[0].line == 2
    assert [u.text for u in document.units] == [
        "Officials and experts report a new incursion by Ukraine into Russian territory",
        "Russia plans to recruit 160,000 new soldiers",
        "Russian President Vladimir Putin has ordered...",
    ]
    lines = upper(document).split("\n")
    assert lines[1] == '{"id": 2, "title": "Broken record", "body": "missing brace"'
    assert json.loads(lines[0])["title"].isupper()
    assert json.loads(lines[3]) == {
        "id": 3,
        "title": "RUSSIA PLANS TO RECRUIT 160,000 NEW SOLDIERS",
        "summary": "RUSSIAN PRESIDENT VLADIMIR PUTIN HAS ORDERED...",
    }


def test_jsonl_non_object_line_is_an_error_of_that_line() -> None:
    document = parse_jsonl('{"title": "Fine"}\n[1, 2]\n')
    assert [(e.line, e.message) for e in document.problems] == [
        (2, "not an article record (expected a JSON object)")
    ]
    assert [u.text for u in document.units] == ["Fine"]


def test_jsonl_crlf_round_trips_and_translates() -> None:
    source = '{"title": "One"}\r\n{"title": "Two", "lang": "en"}\r\n'
    document = parse_jsonl(source)
    assert [u.line for u in document.units] == [1, 2]
    assert identity(document) == source
    assert upper(document) == '{"title": "ONE"}\r\n{"title": "TWO", "lang": "es"}\r\n'
    assert parse_json('{"title": "x"}').problems == []


# --- properties ---

KEYS = st.sampled_from([*FIELDS, "id", "lang", "url", "related"])
STRINGS = st.text(alphabet=st.sampled_from(list('ab Zé\n\t"\\/\u2028ж\x01')), max_size=20)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | STRINGS
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=20,
)
RECORDS = st.dictionaries(KEYS, VALUES, max_size=6) | st.lists(
    st.dictionaries(KEYS, VALUES, max_size=6), max_size=3
)
LAYOUTS = st.sampled_from(
    [
        {"indent": None},
        {"indent": 2},
        {"indent": 4, "ensure_ascii": False},
        {"indent": "\t", "ensure_ascii": False},
        {"separators": (",", ":")},
    ]
)


def expected_upper(value: Any, under_field: bool = False) -> Any:
    """What translating every named field with str.upper must give, computed on the tree."""
    if isinstance(value, dict):
        return {
            k: expected_field(v) if k in FIELDS else expected_upper(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [expected_upper(v) for v in value]
    return value


def expected_field(value: Any) -> Any:
    if isinstance(value, str):
        return value.upper()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.upper() for v in value]
    return expected_upper(value)


def in_spanish(records: Any) -> Any:
    """`records` with each record's own "lang" field saying Spanish, where it held a
    language code or nothing yet (a name such as "Z" or "English" is left alone)."""
    if isinstance(records, list):
        return [in_spanish(r) for r in records]
    return {k: "es" if k == "lang" and _code_or_empty(v) else v for k, v in records.items()}


def _code_or_empty(value: Any) -> bool:
    return isinstance(value, str) and (
        not value or bool(LANGUAGE_CODE.match(normalise_language(value)))
    )


def untranslated(document: Document) -> str:
    return render_document(document, [u.text for u in document.units], "es")


@given(RECORDS, LAYOUTS)
def test_json_round_trip_and_translation(records: Any, layout: dict[str, Any]) -> None:
    source = json.dumps(records, **layout)
    document = parse_json(source)
    # Byte for byte, but for the language fields, which now say "es".
    assert untranslated(document) == json.dumps(in_spanish(records), **layout)
    assert json.loads(upper(document)) == in_spanish(expected_upper(records))


@given(st.lists(st.dictionaries(KEYS, VALUES, max_size=6), min_size=1, max_size=4))
def test_jsonl_round_trip_and_translation(records: list[dict[str, Any]]) -> None:
    source = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    document = parse_jsonl(source)
    expected = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in in_spanish(records))
    assert untranslated(document) == expected
    assert document.problems == []
    out = [json.loads(line) for line in upper(document).split("\n")[:-1]]
    assert out == in_spanish([expected_upper(r) for r in records])


def test_a_record_s_language_field_names_the_target_language() -> None:
    source = (
        '[{"lang": "en", "title": "Storm", "related": [{"lang": "en", "title": "Rain"}]},\n'
        ' {"language": "en-GB", "title": "Wind"}, {"lang": null, "title": "Snow"}]'
    )
    out = json.loads(
        render_document(parse_json(source), ["Tormenta", "Lluvia", "Viento", "Nieve"], "es")
    )
    assert [record.get("lang", record.get("language")) for record in out] == ["es", "es", None]
    assert out[0]["related"][0]["lang"] == "en"  # a teaser's own record is not translated whole


def test_a_language_name_is_another_convention_and_is_left_alone() -> None:
    source = '[{"language": "English", "title": "Storm"}, {"lang": "en_US", "title": "Wind"}]'
    out = json.loads(render_document(parse_json(source), ["Tormenta", "Viento"], "es"))
    assert [out[0]["language"], out[1]["lang"]] == ["English", "es"]


def test_cli_writes_the_target_language_into_json_and_jsonl_records(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "record.json").write_bytes((SAMPLES / "article_record.json").read_bytes())
    (source / "briefs.jsonl").write_text(
        '{"id": 1, "lang": "en", "title": "The storm was strong."}\n'
        '{"id": 2, "language": "en", "title": "The rain was heavy."}\n',
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    record = (out / "es" / "record.json").read_text("utf-8")
    assert '  "lang": "es",\n' in record  # in place, the rest of the line as it was
    lines = (out / "es" / "briefs.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line).get("lang", json.loads(line).get("language")) for line in lines] == [
        "es",
        "es",
    ]


def test_half_a_surrogate_pair_fails_its_article_alone(runner: CliRunner, tmp_path: Path) -> None:
    """JSON may escape half a UTF-16 pair (\\ud800); no UTF-8 file can hold it, and it
    stopped the whole run where the cache encoded it."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "s.json").write_text(
        '{"title": "Lone \\ud800 surrogate about the economy", "body": "It rained."}\n', "utf-8"
    )
    (source / "r.jsonl").write_text('{"title": "Fine."}\n{"title": "Half \\udc80 here."}\n')
    (source / "ok.txt").write_text("The minister spoke on Monday.\n", "utf-8")

    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "s.json:1: text holds \\ud800, half of a UTF-16 pair without its other half" in (
        result.output
    )
    assert "r.jsonl:2: text holds \\udc80" in result.output
    assert (out / "es" / "ok.txt").is_file()
    # As a bad JSON Lines line: that record kept as it is, the others translated.
    records = (out / "es" / "r.jsonl").read_text("utf-8").splitlines()
    assert records[1] == '{"title": "Half \\udc80 here."}' and records[0] != '{"title": "Fine."}'
