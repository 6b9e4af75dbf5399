"""Inline markers: the scheme, stripping, building blocks, and repairing translations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator import bilingual, detect, segment
from translator.engines.apertium import stream
from translator.inline import (
    MARKER,
    MARKER_RANGE,
    Piece,
    PieceKind,
    build_block,
    catalog_text,
    close_marker,
    from_placeholders,
    is_close,
    is_marker,
    is_open,
    open_marker,
    placeholder_problems,
    placeholders,
    repair,
    solo_marker,
    strip_markers,
    write,
)

A, A_ = open_marker(0), close_marker(0)
B, B_ = open_marker(1), close_marker(1)
BR, IMG = solo_marker(0), solo_marker(1)
SOURCE = f"Read {A}the {B}report{B_}{A_}{BR}now{IMG}"


def test_marker_ranges_are_private_use_and_distinct() -> None:
    markers = [A, A_, B, B_, BR, IMG]
    assert len(set(markers)) == 6
    assert all(is_marker(m) and 0xE000 <= ord(m) <= 0xF8FF for m in markers)
    assert is_open(A) and is_close(A_) and not is_open(BR) and not is_close(BR)
    assert not any(is_marker(c) for c in "abc é\n\U0001f600")


def test_one_definition_of_the_marker_range() -> None:
    # Segmentation, the Apertium stream, detection and the bilingual page all use this
    # module's range and stripping.
    assert MARKER_RANGE == "\ue000-\uf7ff"
    assert vars(segment)["MARKER_RANGE"] is MARKER_RANGE
    assert vars(stream)["MARKER"] is MARKER
    assert all(
        vars(module)["strip_markers"] is strip_markers for module in (segment, detect, bilingual)
    )
    assert is_marker("\uf7ff") and not is_marker("\uf800") and not is_marker("\uf8ff")


def test_build_block_makes_an_article_s_own_private_use_character_a_solo_piece() -> None:
    text = "Call \uf095 now"  # Font Awesome's phone icon, written by the article
    block = build_block([Piece(PieceKind.TEXT, 10, 10 + len(text), text, literal=True)])
    assert block is not None
    assert block.text == f"Call {solo_marker(0)} now"
    icon = block.markers[solo_marker(0)]
    assert (icon.kind, icon.start, icon.end) == (PieceKind.SOLO, 15, 16)


@pytest.mark.parametrize(
    ("standalone", "expected"),
    [("", "Read the reportnow"), (" ", "Read the report now ")],
    ids=["dropped", "as-space"],
)
def test_strip_markers(standalone: str, expected: str) -> None:
    assert strip_markers(SOURCE, standalone) == expected


@pytest.mark.parametrize(
    ("translated", "expected"),
    [
        (SOURCE, SOURCE),
        (
            f"Lee {A}el {B}informe{B_}{A_}{BR}ahora{IMG}",
            f"Lee {A}el {B}informe{B_}{A_}{BR}ahora{IMG}",
        ),
        ("Lee el informe ahora", f"Lee el informe ahora{BR}{IMG}"),
        (f"{A}{A}x{A_}{A_}{BR}{BR}", f"{A}x{A_}{BR}{IMG}"),
        (f"{A_}x{A} y{BR}{IMG}", f"x y{BR}{IMG}"),
        (f"{A_}x {A}y{A_}{BR}{IMG}", f"x {A}y{A_}{BR}{IMG}"),
        (f"{A}a{B}b{A_}c{B_}{BR}{IMG}", f"{A}ab{A_}c{BR}{IMG}"),
        (f"{B}only open{BR}{IMG}", f"only open{BR}{IMG}"),
        (f"x{open_marker(7)}{solo_marker(9)}y", f"xy{BR}{IMG}"),
        (f"{IMG}{B}x{B_}{BR}", f"{IMG}{B}x{B_}{BR}"),
    ],
    ids=[
        "identity",
        "translated",
        "all-lost",
        "duplicated",
        "close-before-open",
        "stray-close-then-pair",
        "crossed-pairs",
        "half-pair",
        "unknown-markers",
        "reordered",
    ],
)
def test_repair_cases(translated: str, expected: str) -> None:
    assert repair(SOURCE, translated) == expected


def test_write_maps_text_and_markers() -> None:
    repaired = repair(SOURCE, f"Lee {A}el informe{A_}")
    out = write(repaired, str.upper, lambda m: f"<{ord(m):x}>")
    assert out == "LEE <e000>EL INFORME<e800><f000><f001>"


WORDS = st.text(alphabet="ab .", max_size=3)


@st.composite
def marked_source(draw: st.DrawFn) -> str:
    """A well-formed marked text: nested pairs, standalones, words."""
    counter = {"pair": 0, "solo": 0}

    def part(depth: int) -> str:
        choice = draw(st.integers(0, 2 if depth < 3 else 1))
        if choice == 0:
            return draw(WORDS)
        if choice == 1:
            counter["solo"] += 1
            return solo_marker(counter["solo"] - 1)
        n = counter["pair"]
        counter["pair"] += 1
        inner = "".join(part(depth + 1) for _ in range(draw(st.integers(0, 3))))
        return open_marker(n) + inner + close_marker(n)

    return "".join(part(0) for _ in range(draw(st.integers(1, 5))))


def _well_formed(text: str) -> bool:
    stack: list[str] = []
    for char in text:
        if is_open(char):
            stack.append(char)
        elif is_close(char) and (
            not stack or stack.pop() != open_marker(ord(char) - ord(close_marker(0)))
        ):
            return False
    return not stack


@given(marked_source(), st.data())
def test_repair_property(source: str, data: st.DataObject) -> None:
    """Whatever an engine does to the markers, the repaired text is writable."""
    pool = [c for c in source if is_marker(c)] + [open_marker(50), "x", " "]
    translated = "".join(data.draw(st.lists(st.sampled_from(pool), max_size=20)))
    repaired = repair(source, translated)
    markers = [c for c in repaired if is_marker(c)]
    assert len(markers) == len(set(markers))  # each at most once
    assert set(markers) <= set(source)  # nothing invented
    assert _well_formed(repaired)  # pairs nested, open before close
    assert strip_markers(repaired) == strip_markers(translated)  # words untouched
    solos = [c for c in source if is_marker(c) and not is_open(c) and not is_close(c)]
    assert set(solos) <= set(markers)  # standalone markup never lost
    assert repair(source, repaired) == repaired  # idempotent


@given(marked_source())
def test_repair_keeps_a_faithful_translation(source: str) -> None:
    assert repair(source, source) == source


def test_a_catalog_shows_markers_as_placeholders_numbered_as_in_the_source() -> None:
    assert placeholders(SOURCE) == "Read <g1>the <g2>report</g2></g1><x3/>now<x4/>"
    # A translation moves them; its placeholders keep the numbers of the source's.
    translated = f"{BR}Lea {A}el {B}informe{B_}{A_} ahora"
    assert placeholders(translated, SOURCE) == "<x3/>Lea <g1>el <g2>informe</g2></g1> ahora"
    assert placeholders("no markup") == "no markup"


def test_a_translator_s_placeholders_become_the_source_s_markers_again() -> None:
    msgstr = "<x3/>Lea <g1>el <g2>informe</g2></g1> ahora"
    assert from_placeholders(msgstr, SOURCE) == f"{BR}Lea {A}el {B}informe{B_}{A_} ahora"
    # A placeholder of no marker of the source (or of another kind) is a typo: dropped,
    # never published as text.
    assert from_placeholders("<g9>a</g9> <x1/>b", SOURCE) == "a b"


def test_a_catalog_shows_a_text_s_whitespace_as_single_spaces() -> None:
    """An HTML nav label re-indented over three lines is the same entry."""
    assert catalog_text(f"\n   Latest\n   {A}news{A_}\n") == "Latest <g1>news</g1>"
    assert catalog_text("10\u00a0%  off") == "10\u00a0% off"  # a no-break space is no run


@given(marked_source(), st.data())
def test_placeholders_round_trip(source: str, data: st.DataObject) -> None:
    """Whatever order a translation puts the source's markers in, its msgstr reads back."""
    markers = [c for c in source if is_marker(c)]
    moved = "".join(data.draw(st.permutations([*markers, " la ", " casa "])))
    assert from_placeholders(placeholders(moved, source), source) == moved
    assert not MARKER.search(placeholders(moved, source))


def _text(start: int, text: str) -> Piece:
    return Piece(PieceKind.TEXT, start, start + len(text), text, literal=True)


def test_build_block_trims_whitespace_and_wrapping_markup() -> None:
    pieces = [
        _text(0, "  "),
        Piece(PieceKind.OPEN, 2, 5, key="a"),
        _text(5, " World "),
        Piece(PieceKind.CLOSE, 12, 16, key="a"),
        Piece(PieceKind.SOLO, 16, 20),
    ]
    block = build_block(pieces)
    assert block is not None
    assert (block.text, block.start, block.end) == ("World", 6, 11)


def test_build_block_turns_unmatched_tags_into_standalones() -> None:
    pieces = [
        _text(0, "a "),
        Piece(PieceKind.OPEN, 2, 5, key="b"),
        _text(5, "bold"),
        Piece(PieceKind.CLOSE, 9, 13, key="i"),
        _text(13, " end"),
    ]
    block = build_block(pieces)
    assert block is not None
    assert block.text == f"a {solo_marker(0)}bold{solo_marker(1)} end"
    assert block.markers[solo_marker(1)].start == 9


@pytest.mark.parametrize(
    "pieces",
    [[], [_text(0, "   ")], [Piece(PieceKind.SOLO, 0, 5), _text(5, "\n")]],
    ids=["empty", "whitespace", "markup-only"],
)
def test_build_block_without_words_is_none(pieces: list[Piece]) -> None:
    assert build_block(pieces) is None


@pytest.mark.parametrize(
    ("msgstr", "problems"),
    [
        ("<g1>Comparte</g1> esto", []),
        ("Comparte <g1>esto</g1>", []),
        ("</g1>Comparte<g1> esto", ["misplaced </g1>", "misplaced <g1>"]),
        ("<g1>Comparte<g2> esto</g1> ya</g2>", ["misplaced </g1>", "misplaced <g1>"]),
        ("<g1>Comparte esto", ["missing </g1>", "misplaced <g1>"]),
    ],
    ids=["kept", "moved", "closed-before-opened", "crossed", "unclosed"],
)
def test_placeholders_must_nest_as_the_tags_they_stand_for(
    msgstr: str, problems: list[str]
) -> None:
    """A rendering drops a pair it cannot nest (see repair): the article loses the tag."""
    msgid = "<g1>Share</g1> this <g2>now</g2>" if "g2" in msgstr else "<g1>Share</g1> this"
    assert placeholder_problems(msgid, msgstr) == problems
