"""Glossary loading (YAML, TBX, CSV), errors with lines, matching and verification."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, REPO
from translator.glossary import Glossary, GlossaryError, Term, load_glossaries, verify
from translator.glossary_files import load_file

SAMPLES = DATA / "glossaries"
NEWS = REPO / "glossaries" / "news.yml"


def glossary(*terms: Term) -> Glossary:
    return Glossary(tuple(terms))


def test_news_glossary_loads_with_the_issue_shape() -> None:
    g = load_glossaries([NEWS])
    by_en = {t.forms["en"]: t for t in g.terms}
    assert by_en["NATO"].form("es") == "OTAN"
    assert by_en["Brussels"].form("es") == "Bruselas"
    assert by_en["Vladimir Putin"].form("es") == "Vladimir Putin"  # one form: kept everywhere
    assert by_en["Vladimir Putin"].type == "person"
    assert by_en["coalition of the willing"].form("es") == "coalición de voluntarios"


def test_yaml_options_and_variants() -> None:
    terms = {t.forms["en"]: t for t in load_file(SAMPLES / "options_and_variants.yml")}
    assert terms["Kyiv"].accepted("en") == ("Kyiv", "Kiev")
    assert terms["coalition of the willing"].case_sensitive is False
    assert terms["coalition of the willing"].gender_in("es") == "f"
    assert terms["coalition of the willing"].note == "the UK-France initiative"
    assert terms["NO"].form("es") == "NO"  # not the YAML boolean False
    assert terms["Lab"].whole_word is False
    assert terms["Kyiv"].origin.endswith("options_and_variants.yml:2")
    assert terms["Low Countries"].number_in("es") == "plural"
    assert terms["Low Countries"].number_in("es-MX") == "plural"
    assert terms["Low Countries"].number_in("en") is None
    assert terms["Low Countries"].gender_in("es") is None


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("invalid_missing_terms.yml", 2, "missing the top-level 'terms:'"),
        ("invalid_bad_type.yml", 4, "type must be one of"),
        ("invalid_yaml_syntax.yml", 4, "invalid YAML"),
        ("invalid_unknown_key.yml", 4, "unknown key 'spanish'"),
        ("conflicting_forms.yml", 4, "defined with other forms at"),
        ("invalid_tbx_no_lang.tbx", 5, "without xml:lang"),
        ("invalid_csv_bad_bool.csv", 3, "case_sensitive must be true or false"),
    ],
    ids=lambda v: str(v).split(".")[0] if isinstance(v, str) else str(v),
)
def test_invalid_glossary_names_file_line_and_problem(name: str, line: int, words: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        load_glossaries([SAMPLES / name])
    assert caught.value.line == line
    assert words in caught.value.problem
    assert str(caught.value).startswith(f"{SAMPLES / name}:{line}: ")


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read glossary"):
        load_glossaries([tmp_path / "absent.yml"])
    other = tmp_path / "terms.txt"
    other.write_text("NATO\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="unknown glossary format"):
        load_glossaries([other])


def test_tbx_cat_tool_export() -> None:
    terms = load_file(SAMPLES / "cat_tool_export.tbx")
    assert terms[0].forms == {"en": "Brussels", "es": "Bruselas", "fr": "Bruxelles"}
    assert terms[0].note == "Belgian capital"
    assert terms[1].accepted("en") == ("Kyiv", "Kiev")
    # Gender and number as TBX term notes give them, of each language's form (not of
    # its variants); a value that picks no stand-in (neuter) is left out.
    netherlands = terms[2]
    assert (netherlands.gender_in("es"), netherlands.number_in("es")) == ("m", "plural")
    assert (netherlands.gender_in("fr"), netherlands.number_in("fr")) == (None, "plural")
    assert (netherlands.gender_in("de"), netherlands.number_in("de")) == (None, None)


def test_tbx_v3_concept_entries() -> None:
    (term,) = load_file(SAMPLES / "tbx_v3_concept_entries.tbx")
    assert term.form("es") == "OTAN"


def test_tbx_external_entity_is_never_read() -> None:
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    try:
        terms = load_file(SAMPLES / "invalid_tbx_external_entity.tbx")
    except GlossaryError as error:
        assert hostname not in str(error)
    else:
        assert all(hostname not in form for t in terms for form in t.forms.values())


def test_tbx_grammar_of_regional_and_single_forms(tmp_path: Path) -> None:
    """A CAT tool's es-ES form serves --to es, with its gender and number; a term kept as
    written has the grammar of its one form in every language."""
    tbx = tbx_file(tmp_path / "memoq.tbx", (
        '<termEntry><langSet xml:lang="en-US"><tig><term>United States</term></tig></langSet>'
        '<langSet xml:lang="es-ES"><tig><term>Estados Unidos</term>'
        '<termNote type="grammaticalGender">Masculine</termNote>'
        '<termNote type="grammaticalNumber">PLURAL</termNote></tig></langSet></termEntry>'
        '<termEntry><langSet xml:lang="en"><tig><term>Beatles</term>'
        '<termNote type="grammaticalNumber">plural</termNote></tig></langSet></termEntry>'
    ))  # fmt: skip
    states, beatles = load_file(tbx)
    assert (states.gender_in("es"), states.number_in("es")) == ("m", "plural")
    assert states.number_in("es-MX") == "plural"
    assert beatles.number_in("es") == beatles.number_in("fr") == "plural"


def test_tbx_grammar_is_the_terms_own_not_its_components(tmp_path: Path) -> None:
    """Eurotermbank's <ntig>: the term's notes beside its <termGrp>, its components'
    inside <termCompList>, which say nothing of the whole term."""
    tbx = tbx_file(tmp_path / "ntig.tbx", (
        '<termEntry><langSet xml:lang="en"><ntig><termGrp><term>Gulf states</term></termGrp>'
        '</ntig></langSet><langSet xml:lang="es"><ntig><termGrp><term>estados del Golfo</term>'
        '<termCompList type="lemma"><termComp>Golfo</termComp>'
        '<termNoteGrp><termNote type="grammaticalNumber">singular</termNote></termNoteGrp>'
        '</termCompList></termGrp>'
        '<termNote type="grammaticalNumber">plural</termNote></ntig></langSet></termEntry>'
    ))  # fmt: skip
    (term,) = load_file(tbx)
    assert term.number_in("es") == "plural"


def test_tbx_grammar_values_that_pick_no_stand_in_are_left_out(tmp_path: Path) -> None:
    """TBX-Basic's otherGender, a Swedish common gender, a CAT tool's own picklist: a
    glossary that loads in the tool it came from loads here."""
    tbx = tbx_file(tmp_path / "basic.tbx", (
        '<termEntry><langSet xml:lang="en"><tig><term>Alps</term>'
        '<termNote type="grammaticalGender">otherGender</termNote>'
        '<termNote type="grammaticalNumber">plurale tantum</termNote></tig></langSet>'
        '<langSet xml:lang="sv"><tig><term>Alperna</term>'
        '<termNote type="grammaticalGender">common</termNote></tig></langSet></termEntry>'
    ))  # fmt: skip
    (term,) = load_file(tbx)
    assert (term.gender, term.number) == ({}, {})


def tbx_file(path: Path, entries: str) -> Path:
    """A TBX file holding `entries` (termEntry elements)."""
    body = f'<martif type="TBX"><text><body>{entries}</body></text></martif>'
    path.write_text(f'<?xml version="1.0"?>\n{body}\n', encoding="utf-8")
    return path


def test_csv_spreadsheet_export() -> None:
    terms = load_file(SAMPLES / "spreadsheet_export.csv")
    assert terms[0].forms == {"en": "Brussels", "es": "Bruselas", "fr": "Bruxelles"}
    assert terms[0].type == "place"
    assert terms[1].forms == {"en": "Kyiv"}
    assert terms[1].accepted("es") == ("Kyiv", "Kiev", "Kyjiw")
    assert terms[2].note == "quoted, with a comma"
    assert terms[2].origin.endswith(":4")
    assert terms[3].number_in("es") == terms[3].number_in("fr") == "plural"
    assert terms[0].number_in("es") is None


def test_checksum_is_stable_and_content_based(tmp_path: Path) -> None:
    first = load_glossaries([SAMPLES / "cat_tool_export.tbx", NEWS]).checksum
    again = load_glossaries([NEWS, SAMPLES / "cat_tool_export.tbx"]).checksum
    assert first == again
    edited = tmp_path / "news.yml"
    edited.write_text(NEWS.read_text(encoding="utf-8").replace("OTAN", "Otan"), encoding="utf-8")
    assert load_glossaries([edited]).checksum != load_glossaries([NEWS]).checksum


def test_a_term_of_another_number_in_a_second_glossary_is_a_conflict(tmp_path: Path) -> None:
    """Which of the two would protect a text would depend on the order of --glossary."""
    csv = tmp_path / "us.csv"
    csv.write_text(
        "en,es,fr,type,number\nUnited States,Estados Unidos,États-Unis,place,singular\n", "utf-8"
    )
    for order in ([NEWS, csv], [csv, NEWS]):
        with pytest.raises(GlossaryError, match="defined with another number at"):
            load_glossaries(order)


def test_a_definition_saying_no_number_leaves_it_to_one_that_does(tmp_path: Path) -> None:
    """Whatever the order of the glossaries, the one saying more protects the term; and
    "gender: f" is "gender: {es: f}" for a term with an es form."""
    csv = tmp_path / "us.csv"
    csv.write_text("en,es,fr,type\nUnited States,Estados Unidos,États-Unis,place\n", "utf-8")
    for order in ([NEWS, csv], [csv, NEWS]):
        (match,) = load_glossaries(order).find("The United States voted.", "en")
        assert match.term.number_in("es") == "plural"
    same = tmp_path / "nato.yml"
    same.write_text(
        "terms:\n  - en: NATO\n    es: OTAN\n    fr: OTAN\n    gender: {es: f, fr: f}\n"
    )
    assert load_glossaries([NEWS, same])
    assert load_glossaries(
        [SAMPLES / "options_and_variants.yml", SAMPLES / "spreadsheet_export.csv"]
    )


def test_a_change_of_number_changes_the_checksum(tmp_path: Path) -> None:
    """The checksum is in the cache key: translations protected with a singular stand-in
    are made again."""
    edited = tmp_path / "news.yml"
    text = NEWS.read_text(encoding="utf-8")
    edited.write_text(text.replace("number: plural", "number: singular"), encoding="utf-8")
    assert load_glossaries([edited]).checksum != load_glossaries([NEWS]).checksum


def test_the_same_term_in_two_files_is_merged() -> None:
    g = load_glossaries([SAMPLES / "cat_tool_export.tbx", SAMPLES / "spreadsheet_export.csv"])
    assert len([t for t in g.terms if t.forms.get("en") == "Brussels"]) == 2  # notes differ
    assert len(load_glossaries([NEWS, NEWS]).terms) == len(load_glossaries([NEWS]).terms)


# --- matching ---


PUTIN = Term({"en": "Putin"}, type="person")
VLADIMIR_PUTIN = Term({"en": "Vladimir Putin"}, type="person")
NATO = Term({"en": "NATO", "es": "OTAN"})
COALITION = Term({"en": "coalition of the willing", "es": "coalición de voluntarios"},
                 case_sensitive=False)  # fmt: skip
LAB = Term({"en": "Lab"}, whole_word=False)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We see you, Vladimir Putin.", ["Vladimir Putin"]),
        ("Putin and Vladimir Putin", ["Putin", "Vladimir Putin"]),
        ("Putinism is not Putin", ["Putin"]),
        ("The Coalition of the Willing met", ["Coalition of the Willing"]),
        ("nato is lowercase here", []),
        ("Labour and Lab", ["Lab", "Lab"]),
        ("Vladimir\nPutin spoke", ["Vladimir\nPutin"]),
        ("VLADIMIR PUTIN MEETS NATO", ["VLADIMIR PUTIN", "NATO"]),
        ("PuTin is no way to write it", []),
    ],
    ids=["longest", "both", "whole-word", "case-insensitive", "case-sensitive", "substring",
         "line-break", "capitals", "other-cases"],
)  # fmt: skip
def test_find(text: str, found: list[str]) -> None:
    g = glossary(PUTIN, VLADIMIR_PUTIN, NATO, COALITION, LAB)
    assert [m.surface for m in g.find(text, "en")] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Read it at https://www.gov.example/news/budget-plan.", ["https://www.gov.example/news/budget-plan"]),
        ("See www.bbc.co.uk/news, then NATO.", ["www.bbc.co.uk/news", "NATO"]),
        ("Write to jane.doe+news@bbc.co.uk today.", ["jane.doe+news@bbc.co.uk"]),
        ("(http://kremlin.ru/events) said", ["http://kremlin.ru/events"]),
        ("A user@host is no address; nor is www alone.", []),
        ("\ue000https://x.org/a\ue800 in a link", ["https://x.org/a"]),
        ("See (https://x.org/a_(b)) now", ["https://x.org/a_(b)"]),
        ("The www.bbc.co.uk\u2019s \u201cwww.x.org/a\u201d", ["www.bbc.co.uk", "www.x.org/a"]),
        ("HTTPS://EX.ORG/A?b=1&c=2.", ["HTTPS://EX.ORG/A?b=1&c=2"]),
        ("(gov.example/news/budget) and Node.js, 3.5/10", ["gov.example/news/budget"]),
        ("Follow @NewsDesk and @jane@mastodon.social.", ["@NewsDesk", "@jane@mastodon.social"]),
        ("#ClimateWeek and #BrexitVote, not #1 or C# or &#233;", ["#ClimateWeek", "#BrexitVote"]),
        ("Flight #BA123 at Gate #A4, the #G7, item #N/A", []),
        ("#NATO, #Fed, #COVID19, #भारत, @नमस्ते", ["#NATO", "#Fed", "#COVID19", "#भारत", "@नमस्ते"]),
        ("@jane-doe and @jane.doe are no handles", []),
    ],
    ids=["url", "www-and-a-term", "e-mail", "in-brackets", "none", "inside-a-tag-pair",
         "its-own-brackets", "before-quotes", "capitals", "a-bare-domain-with-a-path",
         "handles", "hashtags", "codes", "capitals-and-other-scripts", "handle-like"],
)  # fmt: skip
def test_addresses_handles_and_hashtags_are_kept_as_written_without_a_glossary(
    text: str, found: list[str]
) -> None:
    """No engine may translate an address ("gov.example" came back "gov.Ejemplo")."""
    matches = glossary(NATO).find(text, "en")
    assert [m.surface for m in matches] == found
    assert all(m.term.form("es") == m.surface for m in matches if m.surface != "NATO")


@pytest.mark.parametrize(
    ("text", "possessive"),
    [("Putin's war", "'s"), ("Putin\u2019s war", "\u2019s"), ("Putin' war", ""), ("Putin", "")],
    ids=["ascii", "curly", "quote", "none"],
)
def test_possessive_is_not_part_of_the_term(text: str, possessive: str) -> None:
    (match,) = glossary(PUTIN).find(text, "en")
    assert (match.surface, match.possessive) == ("Putin", possessive)


@pytest.mark.parametrize(
    ("text", "possessive"),
    [
        ("Brussels' rules", "'"),
        ("\u2018a good day for Brussels\u2019 and left", ""),
        ("'bad for Brussels' and walked out", ""),
        ("they don't like Brussels' rules", "'"),
        ("He said 'Brussels' was nice.", ""),
        ("Paris' museums and 'the Brussels' ones", ""),
    ],
    ids=[
        "genitive",
        "closing-curly-quote",
        "closing-straight-quote",
        "apostrophe-in-a-word",
        "quoted-term",  # its opening quote right before it
        "after-a-genitive",  # "Paris'" leaves the quotation open
    ],
)
def test_a_quote_closing_a_quotation_is_no_possessive(text: str, possessive: str) -> None:
    """Else it went to the engine as a genitive ("Bruselas es y dejó")."""
    (match,) = glossary(Term({"en": "Brussels", "es": "Bruselas"})).find(text, "en")
    assert match.possessive == possessive


def test_find_in_target_language_uses_target_forms() -> None:
    g = glossary(NATO, VLADIMIR_PUTIN)
    assert [m.surface for m in g.find("la OTAN y Vladimir Putin", "es")] == [
        "OTAN",
        "Vladimir Putin",
    ]
    assert g.find("NATO", "es") == []


def test_term_without_a_form_for_the_language_is_not_checked() -> None:
    term = Term({"en": "Brussels", "es": "Bruselas"})
    assert term.form("fr") is None
    assert verify(glossary(term), "Brussels", "Bruxelles", "en", "fr") == []


# --- verify ---


def test_verify_reports_every_term() -> None:
    g = glossary(NATO, VLADIMIR_PUTIN, COALITION)
    findings = verify(
        g,
        "Vladimir Putin met NATO and the coalition of the willing.",
        "Vladimir Putin se reunió con la NATO y la coalición de los dispuestos.",
        "en",
        "es",
    )
    status = {str(f.term): (f.status, f.found) for f in findings}
    assert status["Vladimir Putin"] == ("ok", "Vladimir Putin")
    assert status["NATO"][0] == "missing"
    assert status["coalition of the willing"][0] == "missing"
    assert next(f.expected for f in findings if not f.ok) == ("OTAN",)


def test_verify_counts_occurrences_and_accepts_variants_and_capitals() -> None:
    kyiv = Term({"en": "Kyiv"}, variants={"es": ("Kiev",)})
    g = glossary(NATO, kyiv, COALITION)
    ok = verify(g, "Coalition of the willing: Kyiv.", "Coalición de voluntarios: Kiev.", "en", "es")
    assert all(f.ok for f in ok)
    twice = verify(g, "NATO said NATO", "la OTAN dijo la alianza", "en", "es")
    assert [(f.status, f.count, f.present) for f in twice] == [("missing", 2, 1)]
    never = verify(g, "NATO said NATO", "la alianza dijo la OTN", "en", "es")
    assert [(f.status, f.present, f.found) for f in never] == [("missing", 0, "OTN")]


def test_a_term_in_capitals_is_checked_in_capitals_too() -> None:
    london = Term({"en": "London", "es": "Londres"}, type="place")
    g = glossary(london, PUTIN)
    [ok, ok_too] = verify(g, "PUTIN IN LONDON", "PUTIN EN LONDRES", "en", "es")
    assert (ok.ok, ok_too.ok, ok_too.source_text) == (True, True, "LONDON")
    [lost] = [f for f in verify(g, "PUTIN IN LONDON", "PUTIN EN LONDON", "en", "es") if not f.ok]
    assert (str(lost.term), lost.expected) == ("London", ("Londres", "LONDRES"))


def test_a_term_inside_a_longer_one_that_survived_is_not_counted_twice() -> None:
    """As in the source, the longest term wins: the "Putin" of "Vladimir Putin" is not
    the lone "Putin" an edit removed."""
    g = glossary(VLADIMIR_PUTIN, PUTIN)
    source = "Vladimir Putin spoke; later, Putin left."
    kept = verify(g, source, "Vladimir Putin habló; después, Putin se fue.", "en", "es")
    assert [(str(f.term), f.status) for f in kept] == [("Vladimir Putin", "ok"), ("Putin", "ok")]
    edited = verify(g, source, "Vladimir Putin habló; después, él se fue.", "en", "es")
    assert [(str(f.term), f.status) for f in edited] == [
        ("Vladimir Putin", "ok"),
        ("Putin", "missing"),
    ]
