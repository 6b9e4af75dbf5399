"""Sentence splitting, the label heuristic and the site UI list."""

# ruff: noqa: RUF001  (real news text: curly quotes, Cyrillic, CJK punctuation)

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SEED
from translator.model import Document, Kind, Sentence, Unit
from translator.segment import (
    LISTED_UI_ROLE,
    apply_ui_strings,
    is_label_like,
    split_sentences,
    ui_key,
)


def texts(text: str, language: str = "en", max_chars: int = 600) -> list[str]:
    return [s.text for s in split_sentences(text, language, max_chars)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Mr. Smith met Dr. Jones. Then Gen. Cavoli spoke.",
            ["Mr. Smith met Dr. Jones.", "Then Gen. Cavoli spoke."],
        ),
        (
            "en",
            "It was a U.S. proposal. Russia refused.",
            ["It was a U.S. proposal.", "Russia refused."],
        ),
        ("en", "Ask the U.S. President. He knows.", ["Ask the U.S. President.", "He knows."]),
        (
            "en",
            "Some, e.g. Kyiv, were hit. Others were not.",
            ["Some, e.g. Kyiv, were hit.", "Others were not."],
        ),
        (
            "en",
            "A 7.7-magnitude quake. It killed 1,000 people. Aid came.",
            ["A 7.7-magnitude quake.", "It killed 1,000 people.", "Aid came."],
        ),
        ("en", "It rose 7.7. Then it fell.", ["It rose 7.7.", "Then it fell."]),
        (
            "en",
            "He said “a prolonged process.” The talks went on.",
            ["He said “a prolonged process.”", "The talks went on."],
        ),
        ("en", 'She said "no." He left.', ['She said "no."', "He left."]),
        (
            "en",
            "Wait... Then it came. Hamas, a conflict that...",
            ["Wait...", "Then it came.", "Hamas, a conflict that..."],
        ),
        ("en", "Is it over? Yes! Really.", ["Is it over?", "Yes!", "Really."]),
        ("en", "It was late. and nobody came.", ["It was late. and nobody came."]),
        (
            "en",
            "J. Smith arrived. (He was late.) Fine.",
            ["J. Smith arrived.", "(He was late.)", "Fine."],
        ),
        ("en", "In 2024. 10 people came.", ["In 2024.", "10 people came."]),
        ("en", "See No. 5 on the list. Done.", ["See No. 5 on the list.", "Done."]),
        (
            "es",
            "El Sr. García llegó a EE.UU. Luego habló. ¿Vendrá? ¡Sí!",
            ["El Sr. García llegó a EE.UU. Luego habló.", "¿Vendrá?", "¡Sí!"],
        ),
        ("fr", "M. Barrot a parlé. Mme Dupont aussi.", ["M. Barrot a parlé.", "Mme Dupont aussi."]),
        (
            "de",
            "Am 3. Oktober kam er, z.B. mit Dr. Weber. Dann ging er.",
            ["Am 3. Oktober kam er, z.B. mit Dr. Weber.", "Dann ging er."],
        ),
        (
            "ru",
            "Это было в 2013 г. Москва ответила. Путин молчал.",
            ["Это было в 2013 г. Москва ответила.", "Путин молчал."],
        ),
        ("zh", "他来了。她走了。", ["他来了。", "她走了。"]),
    ],
    ids=[
        "titles",
        "us-lowercase",
        "us-uppercase-kept",
        "eg",
        "decimals-thousands",
        "decimal-at-end",
        "curly-quote-after-period",
        "straight-quote-after-period",
        "ellipsis",
        "question-exclamation",
        "lowercase-next",
        "initial-and-parentheses",
        "digit-starts-sentence",
        "number-abbreviation",
        "es",
        "fr",
        "de-ordinal",
        "ru-abbreviation",
        "zh",
    ],
)
def test_sentences(language: str, text: str, expected: list[str]) -> None:
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("The Higgs boson revealed | Science", ["The Higgs boson revealed", "Science"]),
        ("Storm hits the coast · Daily News", ["Storm hits the coast", "Daily News"]),
        ("Results 3|4 and a|b stay", ["Results 3|4 and a|b stay"]),  # no spaces: no bar
    ],
    ids=["bar", "middle-dot", "no-spaces"],
)
def test_a_titles_parts_are_segments_of_their_own(text: str, parts: list[str]) -> None:
    """An engine reorders words across the bar ("El Higgs bosón Ciencia | revelada")."""
    sentences = split_sentences(text, "en")
    assert [s.text for s in sentences] == parts
    assert "".join(s.text + s.trailing for s in sentences) == text


def test_trailing_whitespace_is_kept_per_sentence() -> None:
    assert split_sentences("One.  Two.\n", "en") == [Sentence("One.", "  "), Sentence("Two.", "\n")]


def test_edge_inputs() -> None:
    assert split_sentences("", "en") == []
    assert split_sentences(" \n", "en") == [Sentence("", " \n")]
    assert split_sentences("  Lead. Next", "en") == [Sentence("  Lead.", " "), Sentence("Next", "")]


def test_markers_are_neither_letters_nor_boundaries() -> None:
    # A bold sentence closing after its period, then a link opening the next sentence.
    text = "\ue000Putin spoke.\ue800 \ue001Lammy\ue801 answered. Mr.\ue002 Trump\ue802 too."
    assert texts(text) == [
        "\ue000Putin spoke.\ue800",
        "\ue001Lammy\ue801 answered.",
        "Mr.\ue002 Trump\ue802 too.",
    ]
    # A marker before the next word does not hide its capital letter.
    assert texts("End. \ue003\ue004Next one.") == ["End.", "\ue003\ue004Next one."]


def test_seed_paragraph_sentences() -> None:
    paragraph = SEED.read_text(encoding="utf-8").split("\n\n")[3]
    assert texts(paragraph) == [
        "The United Kingdom and France on Friday accused Russian President Vladimir Putin of "
        "deliberately delaying negotiations aimed at securing a ceasefire to end the invasion "
        "of Ukraine.",
        "Both countries demanded an immediate response from Moscow after weeks of U.S.-led "
        "efforts to broker a truce.",
    ]


def test_long_sentence_is_cut_at_clause_boundaries_without_loss() -> None:
    clause = "the offensive would target multiple points along the front line"
    text = "; ".join([clause] * 12) + "."
    sentences = split_sentences(text, "en", max_chars=200)
    assert "".join(s.text + s.trailing for s in sentences) == text
    assert all(len(s.text) <= 200 for s in sentences)
    assert all(s.text.endswith((";", ".")) for s in sentences)


def test_long_sentence_prefers_commas_then_spaces() -> None:
    text = "word " * 100 + "end, " + "more " * 10 + "stop."
    sentences = split_sentences(text, "en", max_chars=120)
    assert "".join(s.text + s.trailing for s in sentences) == text
    assert all(0 < len(s.text) <= 120 for s in sentences)


def test_text_without_spaces_is_cut_hard_not_truncated() -> None:
    text = "x" * 1001
    sentences = split_sentences(text, "en", max_chars=300)
    assert [len(s.text) for s in sentences] == [300, 300, 300, 101]
    assert "".join(s.text for s in sentences) == text


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_sentences("Text.", "en", max_chars=0)


ALPHABET = [*"aZé .,;!?…“”\"')(\n\t—-1", "\ue000", "\ue800", "\uf000", "Mr.", "U.S.", "..."]


@given(
    st.lists(st.sampled_from(ALPHABET), max_size=200).map("".join),
    st.sampled_from(["en", "es", "fr", "de", "ru", "zh"]),
    st.integers(min_value=1, max_value=80),
)
def test_sentences_concatenate_to_the_input_and_respect_max_chars(
    text: str, language: str, max_chars: int
) -> None:
    sentences = split_sentences(text, language, max_chars)
    assert "".join(s.text + s.trailing for s in sentences) == text
    assert all(len(s.text) <= max_chars for s in sentences)
    assert all(not s.trailing.strip() for s in sentences)
    assert all(s.text for s in sentences[1:])


@pytest.mark.parametrize(
    "text",
    [
        "Share",
        "World",
        "Related Articles",
        "Read more",
        "Terms of Use",
        "Most Read This Week",
        "\ue000Share\ue800",
    ],
)
def test_labels(text: str) -> None:
    assert is_label_like(text)


@pytest.mark.parametrize(
    "text",
    [
        "The United Kingdom and France blame Russia for delaying ceasefire negotiations in Ukraine",
        "Devastating earthquakes shake Thailand and Myanmar",
        "Officials and experts report a new incursion by Ukraine into Russian territory",
        "Yes.",
        "He said:",
        "Really?",
        "“Wait,”",
        "2025",
        "",
    ],
)
def test_not_labels(text: str) -> None:
    assert not is_label_like(text)


def test_apply_ui_strings_marks_known_strings() -> None:
    document = Document(
        Path("a.html"),
        "html",
        [
            Unit("Share", Kind.UI, "button"),
            Unit("Newsletter  signup", Kind.TEXT, "body"),
            Unit("World", Kind.TEXT, "heading"),
            Unit("Body text.", Kind.TEXT, "body"),
        ],
    )
    marked = apply_ui_strings(document, {"Share", "Newsletter signup", "world"})
    assert [(u.kind, u.role) for u in marked.units] == [
        (Kind.UI, "button"),
        (Kind.UI, "ui string"),
        (Kind.TEXT, "heading"),  # the list is case-sensitive, as catalog msgids are
        (Kind.TEXT, "body"),
    ]
    assert document.units[1].kind is Kind.TEXT  # the input document is not changed
    assert apply_ui_strings(document, set()) is document


def test_ui_strings_are_matched_across_markup_and_whitespace() -> None:
    bold, unbold, line_break = "\ue000", "\ue800", "\uf000"
    document = Document(
        Path("a.md"),
        "md",
        [Unit(f"{bold}Related{unbold}  Articles"), Unit(f"Read{line_break}more")],
    )
    marked = apply_ui_strings(document, {"Related Articles", "Read more"})
    assert [(u.kind, u.role) for u in marked.units] == [(Kind.UI, LISTED_UI_ROLE)] * 2
    assert ui_key(f" {bold}Related{unbold}\n Articles ") == "Related Articles"
