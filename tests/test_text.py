"""Scraped news text: UI classification on the seed article and byte-exact round trips."""

# ruff: noqa: RUF001  (real news text: curly quotes, Cyrillic, CJK punctuation)

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DATA, SEED
from translator.cli import main
from translator.documents import ReadOptions, read_document, render_document
from translator.documents.text import TextFormat, parse_translation
from translator.inline import MARKER, MARKER_RANGE
from translator.model import Document, Kind

SAMPLES = DATA / "documents"
CORPUS = DATA / "newstest2013" / "en.txt"
HEADLINE = (
    "The United Kingdom and France blame Russia for delaying ceasefire negotiations in Ukraine"
)


def parse(text: str, options: ReadOptions | None = None) -> Document:
    return TextFormat().parse(text, Path("a.txt"), options or ReadOptions())


def identity(document: Document) -> str:
    return render_document(document, [u.text for u in document.units], "es")


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_document(SEED.parent, Path(SEED.name), ReadOptions())


def units_with_text(document: Document, text: str) -> list[tuple[Kind, str]]:
    return [(u.kind, u.role) for u in document.units if u.text == text]


@pytest.mark.parametrize(
    ("text", "role"),
    [("Share", "button"), ("Related Articles", "heading"), ("World", "section label")],
)
def test_seed_ui_strings_are_ui(seed: Document, text: str, role: str) -> None:
    found = units_with_text(seed, text)
    assert found
    assert set(found) == {(Kind.UI, role)}


def test_seed_headline_is_article_text(seed: Document) -> None:
    assert units_with_text(seed, HEADLINE) == [(Kind.TEXT, "headline")]
    assert seed.units[1].line == 3


def test_seed_body_paragraphs_are_article_text(seed: Document) -> None:
    body = [u for u in seed.units if u.role == "body"]
    assert len(body) == 15
    assert all(u.kind is Kind.TEXT for u in body)
    assert body[0].text.startswith("The United Kingdom and France on Friday accused")
    assert body[-1].text.startswith("Cavoli also noted")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Devastating earthquakes shake Thailand and Myanmar", "teaser headline"),
        (
            "Why is Myanmar’s military regime bombing its own territory after the earthquake",
            "teaser headline",
        ),
        (
            "Russia plans to recruit 160,000 new soldiers between April and July to compensate "
            "for losses in Ukraine.",
            "teaser headline",
        ),
        (
            "Israel has vowed to intensify its offensive against Hamas, a conflict that...",
            "teaser",
        ),
    ],
    ids=["no-punctuation-title", "question-title", "title-with-period", "cut-summary"],
)
def test_seed_teasers_are_article_text(seed: Document, text: str, role: str) -> None:
    assert units_with_text(seed, text) == [(Kind.TEXT, role)]


def test_seed_counts_and_line_numbers(seed: Document) -> None:
    ui = [u for u in seed.units if u.kind is Kind.UI]
    assert [u.text for u in ui].count("World") == 9
    assert [u.text for u in ui].count("Share") == 3
    assert [(u.text, u.line) for u in ui if u.line and 37 <= u.line <= 40] == [
        ("Share", 38),
        ("Related Articles", 39),
        ("World", 40),
    ]
    assert len([u for u in seed.units if u.role == "teaser headline"]) == 8
    assert len([u for u in seed.units if u.role == "teaser"]) == 8


def test_seed_round_trips_byte_for_byte(seed: Document) -> None:
    assert identity(seed).encode() == SEED.read_bytes()


def test_crlf_sample_round_trips_byte_for_byte() -> None:
    document = read_document(SAMPLES, Path("seed_crlf.txt"), ReadOptions())
    assert b"\r\n" in (SAMPLES / "seed_crlf.txt").read_bytes()
    assert identity(document).encode() == (SAMPLES / "seed_crlf.txt").read_bytes()
    assert [u.text for u in document.units][:3] == ["World", HEADLINE, "Share"]


def test_crlf_seed_keeps_line_endings_when_translated(seed: Document) -> None:
    crlf = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    document = parse(crlf)
    assert [(u.text, u.kind, u.role, u.line) for u in document.units] == [
        (u.text, u.kind, u.role, u.line) for u in seed.units
    ]
    translated = render_document(document, [u.text.upper() for u in document.units], "es")
    assert translated == crlf.upper()


def test_translation_replaces_only_unit_text() -> None:
    document = parse("World\n\n  Headline of a long enough article here  \n\nShare\nShare\n")
    out = render_document(document, ["Mundo", "Titular", "Compartir", "Compartir"], "es")
    assert out == "Mundo\n\n  Titular  \n\nCompartir\nCompartir\n"


def test_hard_wrapped_paragraph_is_one_unit() -> None:
    document = read_document(SAMPLES, Path("hard_wrapped_paragraph.txt"), ReadOptions())
    assert [(u.text, u.role, u.line) for u in document.units] == [
        ("Politics", "section label", 1),
        ("A headline that is long enough to be a real headline today", "headline", 3),
        (
            "The first paragraph was wrapped by the scraper at a fixed width, so it spans "
            "several lines of the file.",
            "body",
            5,
        ),
        ("Second paragraph, one line.", "body", 9),
    ]
    source = (SAMPLES / "hard_wrapped_paragraph.txt").read_text(encoding="utf-8")
    assert identity(document) == source
    translations = [u.text for u in document.units]
    translations[2] = "El primer párrafo."
    assert render_document(document, translations, "es") == source.replace(
        "The first paragraph was wrapped by the scraper at\n  a fixed width, so it spans several"
        "\n  lines of the file.",
        "El primer párrafo.",
    )


def test_site_ui_list_forces_ui() -> None:
    text = "Opinion\n\nMore from our newsroom today and tomorrow\n\nHeadline of this article here\n"
    plain = parse(text)
    assert plain.units[1].kind is Kind.TEXT
    forced = parse(
        text, ReadOptions(ui_strings=frozenset({"More from our newsroom today and tomorrow"}))
    )
    # Listed strings have one role in every format (it becomes the catalog's msgctxt).
    assert (forced.units[1].kind, forced.units[1].role) == (Kind.UI, "ui string")
    # The headline is the first unit that is not UI.
    assert (forced.units[2].kind, forced.units[2].role) == (Kind.TEXT, "headline")


def test_only_label_blocks_are_split_into_lines() -> None:
    document = parse("World\n\nA first line of a paragraph\nthat goes on.\n")
    assert [u.text for u in document.units] == [
        "World",
        "A first line of a paragraph that goes on.",
    ]


# --- properties ---

LINE = st.text(alphabet=st.sampled_from(list("ab Zé.…,!?\t\u00a0\ue000\u2028-•1)")), max_size=30)
TEXTS = st.lists(st.tuples(LINE, st.sampled_from(["\n", "\r\n", "\r", ""])), max_size=12).map(
    lambda lines: "".join(line + end for line, end in lines)
)


@given(TEXTS)
def test_identity_render_gives_the_input_back(text: str) -> None:
    assert identity(parse(text)) == text


@given(TEXTS)
def test_nothing_outside_units_is_lost_or_duplicated(text: str) -> None:
    document = parse(text)
    # Each token carries its unit's icon characters: a translation losing one gets it back.
    tokens = [f"⟦{i}⟧{''.join(MARKER.findall(u.text))}" for i, u in enumerate(document.units)]
    out = render_document(document, tokens, "es")
    pieces = re.split(f"⟦\\d+⟧[{MARKER_RANGE}]*", out)
    assert len(pieces) == len(document.units) + 1
    skeleton = document.skeleton
    originals = [text[slot.start : slot.end] for slot in skeleton.slots]  # type: ignore[attr-defined]
    rebuilt = pieces[0] + "".join(o + p for o, p in zip(originals, pieces[1:], strict=True))
    assert rebuilt == text
    assert all(u.text == u.text.strip() and u.text for u in document.units)


# A translation as the render writes it: one line, words at both ends.
TRANSLATION = st.text(alphabet=st.sampled_from(list("ab Zé.…,!?\t\u00a0-•1)")), min_size=1).map(
    str.strip
)


@given(TEXTS, st.data())
def test_a_translation_read_back_lines_up_with_its_source(text: str, data: st.DataObject) -> None:
    """`check` never fails an untouched run: whatever the words, the units line up."""
    document = parse(text)
    translations = [
        data.draw(TRANSLATION.filter(bool), label=f"unit {i}") for i in range(len(document.units))
    ]
    translated = render_document(document, translations, "es")
    read = parse_translation(translated, Path("es/a.txt"), document)
    assert len(read.units) == len(document.units)


# --- lone short lines: headline, byline and dateline are article text ---

QUAKE = (
    "Earthquake Hits Myanmar\n\n"
    "By Jane Smith\nWASHINGTON (AP)\n\n"
    "A powerful earthquake struck Myanmar on Friday. Thousands were left homeless.\n\n"
    "The Aftermath\n\n"
    "Rescuers searched the rubble through the night.\n\n"
    "Share\nRelated Articles\n\n"
    "Asia\n\n"
    "Aid arrives in Mandalay as the death toll rises\n\n"
    "The first convoys reached the city on Sunday...\n"
)


def test_a_short_title_case_headline_and_its_byline_are_article_text() -> None:
    document = parse(QUAKE)
    assert [(u.text, u.kind, u.role) for u in document.units] == [
        ("Earthquake Hits Myanmar", Kind.TEXT, "headline"),
        ("By Jane Smith", Kind.TEXT, "body"),
        ("WASHINGTON (AP)", Kind.TEXT, "body"),
        (
            "A powerful earthquake struck Myanmar on Friday. Thousands were left homeless.",
            Kind.TEXT,
            "body",
        ),
        ("The Aftermath", Kind.TEXT, "body"),  # a subheading, not chrome
        ("Rescuers searched the rubble through the night.", Kind.TEXT, "body"),
        ("Share", Kind.UI, "button"),  # known UI wording
        ("Related Articles", Kind.UI, "heading"),
        ("Asia", Kind.UI, "section label"),  # right above a teaser's headline
        ("Aid arrives in Mandalay as the death toll rises", Kind.TEXT, "teaser headline"),
        ("The first convoys reached the city on Sunday...", Kind.TEXT, "teaser"),
    ]
    assert identity(document) == QUAKE


@pytest.mark.parametrize(
    ("text", "ui", "headline"),
    [
        (
            "World\n\nThe United Kingdom and France blame Russia\n\nBody text here.\n",
            ["World"],
            "The United Kingdom and France blame Russia",
        ),
        (
            "Earthquake Hits Myanmar\n\nA powerful earthquake struck on Friday.\n",
            [],
            "Earthquake Hits Myanmar",
        ),
        (
            "Earthquake Hits Myanmar\n\nRescuers Search Rubble\n\nBody text.\n",
            [],
            "Earthquake Hits Myanmar",
        ),
        (
            "Storm\n\nBody one.\n\nAdvertisement\n\nBody two.\n\nAdvertisement\n",
            ["Advertisement", "Advertisement"],
            "Storm",
        ),
    ],
    ids=["kicker-above-headline", "headline-above-paragraph", "headline-and-deck", "recurring"],
)
def test_a_label_like_line_is_ui_only_where_a_site_puts_its_chrome(
    text: str, ui: list[str], headline: str
) -> None:
    document = parse(text)
    assert [u.text for u in document.units if u.kind is Kind.UI] == ui
    assert [u.text for u in document.units if u.role == "headline"] == [headline]


def test_cli_keeps_headlines_and_bylines_out_of_the_catalog(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "quake.txt").write_text(QUAKE, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    pot = (out / "locale" / "news.pot").read_text("utf-8")
    assert [line for line in pot.splitlines() if line.startswith("msgid ")][1:] == [
        'msgid "Share"',
        'msgid "Related Articles"',
        'msgid "Asia"',
    ]
    translated = (out / "es" / "quake.txt").read_text("utf-8")
    assert "terremoto" in translated.split("\n")[0]  # the headline went to the engine


# --- list lines: one unit each, the marker kept byte-for-byte ---

BULLETS = (
    "- The first bullet point of the story is here.\r\n"
    "- The second bullet point of the story is here.\r\n"
)


@pytest.mark.parametrize(
    "markers",
    [
        ("- ", "- "),
        ("* ", "* "),
        ("• ", "• "),
        ("· ", "· "),
        ("– ", "– "),
        ("1. ", "2) "),
        ("\uf0b7 ", "\uf0b7 "),
        ("◦ ", "▪ "),
    ],
    ids=[
        "hyphen",
        "asterisk",
        "bullet",
        "middle-dot",
        "en-dash",
        "numbers",
        "word-symbol-bullet",
        "white-and-square-bullets",
    ],
)
def test_list_lines_stay_one_line_each_through_the_engine(
    runner: CliRunner, tmp_path: Path, markers: tuple[str, str]
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    story = "Storm hits the coast\r\n\r\n" + BULLETS.replace("- ", markers[0], 1).replace(
        "- ", markers[1], 1
    )
    (source / "list.txt").write_bytes(story.encode())
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    translated = (out / "es" / "list.txt").read_bytes().decode()
    lines = translated.split("\r\n")
    assert len(lines) == 5 and lines[-1] == ""  # every line ending kept, CRLF
    assert "\n" not in translated.replace("\r\n", "")
    first, second = lines[2:4]
    assert first.startswith(markers[0]) and "primer" in first and "segundo" not in first
    assert second.startswith(markers[1]) and "segundo" in second


def test_list_items_are_units_without_their_markers() -> None:
    text = (
        "Key facts about the storm:\n"
        "  - The first bullet point of the story is here.\n"
        "  - A second point, wrapped by the scraper\n"
        "    at a fixed width.\n"
        "  12) A numbered point.\n"
        "\n"
        "A paragraph wrapped in\n"
        "2024, and not a list.\n"
    )
    document = parse(text)
    assert [(u.text, u.line) for u in document.units] == [
        ("Key facts about the storm:", 1),
        ("The first bullet point of the story is here.", 2),
        ("A second point, wrapped by the scraper at a fixed width.", 3),
        ("A numbered point.", 5),
        ("A paragraph wrapped in 2024, and not a list.", 7),
    ]
    assert identity(document) == text
    translations = ["Datos:", "Uno.", "Dos.", "Tres.", "Un párrafo."]
    assert render_document(document, translations, "es") == (
        "Datos:\n  - Uno.\n  - Dos.\n  12) Tres.\n\nUn párrafo.\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "-5 degrees overnight in the city",
        "2024. The year of the storm",
        "1.5 million people",
        "\u2013 as the opposition had warned \u2013 by a wide margin",
        "1. The coach said so.",
        "- to nobody's surprise - on Monday",
    ],
    ids=["negative-number", "year", "decimal", "spaced-en-dash", "score", "spaced-hyphen"],
)
def test_a_wrapped_line_that_only_looks_like_a_list_is_joined(line: str) -> None:
    document = parse(f"The weather service said temperatures fell to\n{line}\n")
    assert [u.text for u in document.units] == [
        f"The weather service said temperatures fell to {line}"
    ]


def test_a_translation_is_read_with_its_sources_layout() -> None:
    """A label turned by the engine into words that are no label still is one unit."""
    text = "Latest business headlines\nShare\n\n- First point of the story.\n- Second one.\n"
    document = parse(text)
    translations = ["Titulares empresariales más tardíos", "Compartir", "Primero.", "Segundo."]
    translated = render_document(document, translations, "es")
    assert len(parse(translated).units) == 3  # judged on its own words, it would not line up
    read = parse_translation(translated, Path("es/a.txt"), document)
    assert [(u.text, u.line) for u in read.units] == [
        ("Titulares empresariales más tardíos", 1),
        ("Compartir", 2),
        ("Primero.", 4),
        ("Segundo.", 5),
    ]


def test_a_translation_keeps_its_sources_wrapped_lines_where_unchanged() -> None:
    text = "Politics\n\nA paragraph wrapped by\nhand, as people do.\n\nThe end.\n"
    document = parse(text)
    translated = render_document(document, ["Política", document.units[1].text, "Fin."], "es")
    assert translated == "Política\n\nA paragraph wrapped by\nhand, as people do.\n\nFin.\n"
    read = parse_translation(translated, Path("es/a.txt"), document)
    assert [u.text for u in read.units] == [
        "Política",
        "A paragraph wrapped by hand, as people do.",
        "Fin.",
    ]


def test_a_label_above_its_headline_in_one_block_is_a_unit_of_its_own() -> None:
    """As a page is often copied: the section label on the line above the headline."""
    headline = "The United Kingdom and France blame Russia for delaying ceasefire talks"
    document = parse(f"World\n{headline}\n\nShare\n\nThe body of the story.\n")
    assert [(u.text, u.kind, u.role) for u in document.units[:2]] == [
        ("World", Kind.UI, "section label"),
        (headline, Kind.TEXT, "headline"),
    ]
    assert render_document(document, ["Mundo", "Titular", "Compartir", "Cuerpo."], "es") == (
        "Mundo\nTitular\n\nCompartir\n\nCuerpo.\n"
    )


def test_a_block_with_lines_wider_than_any_wrapping_is_a_paragraph_a_line() -> None:
    """A scraped page puts each paragraph on one line: no block of it was hard-wrapped."""
    body = "The talks resumed on Friday in Geneva, " * 4
    document = parse(f"A headline of the story on its own line\n{body}\nAnother paragraph.\n")
    assert [u.text for u in document.units] == [
        "A headline of the story on its own line",
        body.strip(),
        "Another paragraph.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on\nFriday that talks went on.\n",  # the next word did not fit
        "The minister said\nthat talks would go on.\n",  # a sentence going on
        "Talks were held with Mr.\nSmith and Ms. Jones.\n",  # an abbreviation ends no sentence
        "  The first paragraph was wrapped by the scraper at\n  a fixed width, so it spans"
        " several\n  lines of the file.\n",  # ragged wrapping of sentences
    ],
    ids=["did-not-fit", "lowercase", "abbreviation", "ragged"],
)
def test_hard_wrapped_lines_stay_one_paragraph(text: str) -> None:
    assert len(parse(text).units) == 1


@pytest.mark.parametrize(
    ("name", "paragraphs"),
    [
        ("wire_copy_wrapped_by_fmt.txt", 2),
        ("wrapped_paragraph_with_a_long_url.txt", 1),
        ("wrapped_paragraph_with_a_url_line.txt", 1),
        ("wrapped_narrow_by_fmt.txt", 1),
    ],
    ids=["fmt-balanced", "long-url", "url-line-mid-paragraph", "fmt-narrow"],
)
def test_wrapped_paragraphs_are_not_cut_where_a_line_starts_with_a_capital(
    name: str, paragraphs: int
) -> None:
    """fmt balances lines (some end short of the width), and a URL may be wider than any
    wrapping: neither is a line the page broke ("...Senate Majority" / "Leader Chuck")."""
    text = (SAMPLES / name).read_text("utf-8")
    document = parse(text)
    assert len(document.units) == paragraphs
    assert [u.text for u in document.units] == [
        " ".join(block.split()) for block in text.split("\n\n")
    ]


@pytest.mark.parametrize("width", [60, 74])
def test_an_indented_first_line_is_as_wide_as_it_looks(width: int) -> None:
    """Its indentation takes room too: the line is full, not one the page broke."""
    paragraph = " ".join(CORPUS.read_text("utf-8").splitlines()[:12])
    text = "\n".join(textwrap.wrap(paragraph, width, initial_indent="    ")) + "\n"
    units = parse(text).units
    assert " ".join(u.text for u in units) == " ".join(paragraph.split())
    assert all(u.text.endswith((".", "?", '"')) for u in units), [u.text[-30:] for u in units]


def test_a_translation_an_editor_rewrapped_is_judged_not_forced_into_the_layout() -> None:
    """Units of (2, 1, 1) lines, the second translated onto one line then broken in two by
    an editor: four lines again, but not the source's; never the words of two units."""
    text = (
        "Russian forces shelled the city overnight, and officials said\n"
        "the attack killed five people.\n"
        "The mayor of Kharkiv called the strike a war crime on Tuesday.\n"
        "The Kremlin did not comment.\n"
    )
    document = parse(text)
    assert [len(u.text) > 0 for u in document.units] == [True] * 3
    translated = (
        "Las fuerzas rusas atacaron la ciudad y el ataque mató a cinco personas.\n"
        "El alcalde de Kharkiv llamó al ataque un\n"
        "crimen de guerra el martes.\n"
        "El Kremlin no comentó.\n"
    )
    read = parse_translation(translated, Path("es/a.txt"), document)
    assert [u.text for u in read.units] == [
        "Las fuerzas rusas atacaron la ciudad y el ataque mató a cinco personas.",
        "El alcalde de Kharkiv llamó al ataque un crimen de guerra el martes.",
        "El Kremlin no comentó.",
    ]


def test_one_sentence_a_line_keeps_its_lines() -> None:
    """As newstest is laid out, and many scraped pages: each line a paragraph."""
    text = (
        "Russia denies drone report\n"
        "The Kremlin said on Monday that the report was false.\n"
        "Officials in Kyiv said five people died.\n"
    )
    document = parse(text)
    assert [u.text for u in document.units] == text.splitlines()
    assert render_document(document, ["Titular", "Uno.", "Dos."], "es") == "Titular\nUno.\nDos.\n"


@pytest.mark.parametrize("width", [40, 60, 72])
def test_a_paragraph_wrapped_at_any_width_is_cut_only_where_sentences_end(width: int) -> None:
    sentences = CORPUS.read_text("utf-8").splitlines()[:12]
    paragraph = " ".join(sentences)
    document = parse(textwrap.fill(paragraph, width) + "\n")
    assert " ".join(u.text for u in document.units) == " ".join(paragraph.split())
    for unit in document.units:
        assert any(unit.text.endswith(sentence.rstrip()) for sentence in sentences), unit.text
