"""Inline markup inside a translatable block, carried as Private Use Area characters.

A paragraph like `Read <a href="/x">the <b>report</b></a><br>now` becomes the unit
text `Read \ue000the \ue001report\ue801\ue800\uf000now`: engines and the glossary see
words, and the format's writer turns each marker back into the markup it stands for.

Marker scheme (three ranges of 2048 code points each: U+E000-U+F7FF, in the Private Use
Area; this module is the one definition of that range, every other module imports it):

- pair n opens with `OPEN_BASE + n` and closes with `CLOSE_BASE + n` (a link, <b>, **x**);
- standalone n is `SOLO_BASE + n` (<br>, <img>, an inline <code> element kept whole).

Engines lose, duplicate and reorder markers; `repair` makes any translation safe to
write back, so writers accept whatever string comes back.

Articles hold characters of that range themselves: icon fonts (Font Awesome's phone is
U+F095) and Word's symbol bullets live there. `build_block` makes each one a standalone
marker standing for its own source bytes, so it is written back exactly as it was;
formats without markup keep them with `keep_private_use`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

OPEN_BASE = 0xE000
CLOSE_BASE = 0xE800
SOLO_BASE = 0xF000
MAX_MARKERS = 0x800  # per range: a block with more inline tags than this is not split


def open_marker(n: int) -> str:
    return chr(OPEN_BASE + n)


def close_marker(n: int) -> str:
    return chr(CLOSE_BASE + n)


def solo_marker(n: int) -> str:
    return chr(SOLO_BASE + n)


# The marker range as the inside of a regex character class: "[" + MARKER_RANGE + "]".
MARKER_RANGE = f"{chr(OPEN_BASE)}-{chr(SOLO_BASE + MAX_MARKERS - 1)}"
MARKER = re.compile(f"[{MARKER_RANGE}]")
MARKER_RUN = re.compile(f"[{MARKER_RANGE}]+")


def is_marker(char: str) -> bool:
    """True for any marker character of this scheme."""
    return len(char) == 1 and OPEN_BASE <= ord(char) < SOLO_BASE + MAX_MARKERS


def is_open(char: str) -> bool:
    return len(char) == 1 and OPEN_BASE <= ord(char) < CLOSE_BASE


def is_close(char: str) -> bool:
    return len(char) == 1 and CLOSE_BASE <= ord(char) < SOLO_BASE


def partner(char: str) -> str:
    """The other half of a pair marker (open <-> close)."""
    code = ord(char)
    return (
        chr(code + CLOSE_BASE - OPEN_BASE) if is_open(char) else chr(code - CLOSE_BASE + OPEN_BASE)
    )


def strip_markers(text: str, standalone: str = "", shown: Mapping[str, str] | None = None) -> str:
    """`text` without markers; a standalone marker (a <br>) becomes the text it shows
    in `shown` (an inline <code>'s code, see Unit.shown), else `standalone`."""
    found = shown or {}
    return MARKER.sub(
        lambda m: "" if is_open(m[0]) or is_close(m[0]) else found.get(m[0], standalone), text
    )


def keep_private_use(source: str, translated: str) -> str:
    """`translated` holding each marker-range character of plain `source` as often as it.

    For formats without inline markup (txt, JSON), such characters are the article's
    own (an icon, a symbol bullet): one an engine repeated is dropped, one it lost is
    appended at the end, in source order, as `repair` does for a lost <br>.
    """
    in_source = MARKER.findall(source)
    if not in_source and not MARKER.search(translated):
        return translated
    wanted = Counter(in_source)
    kept: list[str] = []
    for char in translated:
        if is_marker(char):
            if wanted[char] <= 0:
                continue
            wanted[char] -= 1
        kept.append(char)
    for char in in_source:
        if wanted[char] > 0:
            wanted[char] -= 1
            kept.append(char)
    return "".join(kept)


def split_markers(text: str, runs: bool = False) -> Iterator[tuple[bool, str]]:
    """Yield (is_marker, piece): runs of plain text, and markers one by one (or, with
    `runs`, each run of adjacent markers as one piece)."""
    position = 0
    for match in (MARKER_RUN if runs else MARKER).finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, match[0]
        position = match.end()
    if position < len(text):
        yield False, text[position:]


# How a catalog shows markers to translators: XLIFF's inline elements, which Poedit
# highlights and Weblate's XML markup check compares between source and translation.
_PLACEHOLDER = re.compile(r"<g(\d+)>|</g(\d+)>|<x(\d+)/>")


def placeholders(text: str, numbered_by: str | None = None) -> str:
    """`text` with visible placeholders for its markers, for a gettext catalog: a pair
    as `<g1>Share</g1>`, a standalone marker (a <br>, an icon) as `<x2/>`, numbered in
    order of appearance in `numbered_by` (by default `text` itself), so a translation
    numbers its markers as its source does.
    """
    if not MARKER.search(text):
        return text
    numbers = _numbers(text if numbered_by is None else numbered_by)

    def shown(match: re.Match[str]) -> str:
        char = match[0]
        n = numbers.get(_pair_key(char))
        if n is None:
            return ""  # a marker its source lacks: as `repair` would, dropped
        return f"</g{n}>" if is_close(char) else f"<g{n}>" if is_open(char) else f"<x{n}/>"

    return MARKER.sub(shown, text)


def from_placeholders(translated: str, source: str) -> str:
    """A translation with `placeholders` (a translator's msgstr) holding the markers of
    `source` again. A placeholder of no marker of `source` (a typo: "<g7>") is dropped,
    as `repair` drops a marker an engine made up; never published as text."""
    markers = {n: key for key, n in _numbers(source).items()}

    def marker(match: re.Match[str]) -> str:
        opened, closed, solo = match.groups()
        key = markers.get(int(opened or closed or solo))
        if key is None or is_open(key) == (solo is not None):
            return ""
        return partner(key) if closed else key

    return _PLACEHOLDER.sub(marker, translated)


def placeholder_problems(msgid: str, msgstr: str) -> list[str]:
    """How a translation's placeholders differ from its source's, as a catalog shows
    both: unknown ones (a typo, dropped when rendered), missing ones and misplaced ones
    (a tag closed before it opens, or pairs crossed: markup the article loses)."""
    source = Counter(found[0] for found in _PLACEHOLDER.finditer(msgid))
    translated = Counter(found[0] for found in _PLACEHOLDER.finditer(msgstr))
    problems = [f"unknown {token}" for token in sorted(translated - source)]
    problems += [f"missing {token}" for token in sorted(source - translated)]
    return problems + [f"misplaced {token}" for token in _misplaced(msgstr)]


def _misplaced(text: str) -> list[str]:
    """The pair placeholders of `text` not nested as tags are: "</g1>Comparte<g1>" gives
    both, "<g1>a<g2>b</g1>c</g2>" the two that cross."""
    misplaced: list[str] = []
    opened: list[re.Match[str]] = []
    for found in _PLACEHOLDER.finditer(text):
        number, closes = found[1] or found[2], found[2] is not None
        if found[3] is not None:
            continue
        if not closes:
            opened.append(found)
        elif opened and opened[-1][1] == number:
            opened.pop()
        else:
            misplaced.append(found[0])
            partner = next((o for o in reversed(opened) if o[1] == number), None)
            if partner is not None:
                opened.remove(partner)
                misplaced.append(partner[0])
    return misplaced + [found[0] for found in opened]


def catalog_text(text: str, numbered_by: str | None = None) -> str:
    """A unit's text (or its translation's) as a catalog shows it: markers as
    `placeholders`, each run of whitespace as one space, so that re-indenting a page's
    template (a nav label over three lines) makes neither another entry nor a fuzzy one."""
    return placeholders(" ".join(_HTML_SPACE.split(text)).strip(" "), numbered_by)


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def without_placeholders(text: str) -> str:
    """A catalog's text with no `placeholders`, as `strip_markers` leaves a unit's:
    the words a glossary term may be split across ("the <g1>United</g1> States")."""
    return _PLACEHOLDER.sub("", text)


def _numbers(text: str) -> dict[str, int]:
    """Each pair (by its open marker) and standalone marker of `text`: its number, from 1."""
    numbers: dict[str, int] = {}
    for char in MARKER.findall(text):
        numbers.setdefault(_pair_key(char), len(numbers) + 1)
    return numbers


def _pair_key(char: str) -> str:
    return partner(char) if is_close(char) else char


def lost_pairs(source: str, translated: str) -> int:
    """How many of `source`'s tag pairs (a <b>, a link) `repair` must drop from
    `translated` because the engine did not keep them whole: the words are there,
    the tag is not, and the report says so."""
    if not MARKER.search(source):
        return 0

    def pairs(text: str) -> set[str]:
        return {c for c in MARKER.findall(text) if is_open(c) and partner(c) in text}

    return len(pairs(source) - pairs(repair(source, translated)))


def repair(source: str, translated: str) -> str:
    """Make `translated` carry the markers of `source` in a writable shape.

    Each source marker appears at most once; markers not in the source are dropped;
    pairs are properly nested with the open before the close, a pair that is not
    (or lost a half) is dropped entirely; standalone markers that were lost are
    appended at the end, in source order, so no <br> or <img> disappears. An open
    or close marker whose partner is not in the source behaves as a standalone.
    """
    in_source = MARKER.findall(source)
    known = set(in_source)
    pairs = {c for c in known if is_open(c) and partner(c) in known}
    singles = [c for c in in_source if c not in pairs and partner(c) not in pairs]
    kept: dict[int, str] = {}  # index in `translated` -> marker kept there
    used: set[str] = set()
    stack: list[tuple[str, int]] = []  # pairs opened and not yet closed
    for match in MARKER.finditer(translated):
        i, char = match.start(), match[0]
        if char not in known or char in used:
            continue
        if char in pairs:
            used.add(char)
            stack.append((char, i))
        elif is_close(char) and partner(char) in pairs:
            opened = [c for c, _ in stack]
            if partner(char) not in opened:
                continue  # a close before its open: a later one may still fit
            at = opened.index(partner(char))
            kept[stack[at][1]] = stack[at][0]
            kept[i] = char
            used.add(char)
            # pairs opened inside this one and still open cannot nest: they are dropped
            del stack[at:]
        else:
            used.add(char)
            kept[i] = char
    out = MARKER.sub(lambda m: m[0] if m.start() in kept else "", translated)
    return out + "".join(c for c in singles if c not in used)


def write(repaired: str, text: Callable[[str], str], marker: Callable[[str], str]) -> str:
    """Write a translation `repair` gave: plain runs with `text`, markers with `marker`."""
    return "".join(
        marker(piece) if is_marker_piece else text(piece)
        for is_marker_piece, piece in split_markers(repaired)
    )


class PieceKind(Enum):
    TEXT = "text"
    OPEN = "open"
    CLOSE = "close"
    SOLO = "solo"


@dataclass(frozen=True)
class Piece:
    """One located piece of a block's inline content, as a format's reader found it.

    `start`/`end` is its span in the source. TEXT pieces carry the decoded words;
    `literal` says the source span is exactly `text` (so whitespace can be split off).
    OPEN/CLOSE pieces pair up by `key` (a tag name, "**"); unmatched ones become SOLO.
    A SOLO piece's `text` is what it shows, if any: the code of an inline <code>.
    """

    kind: PieceKind
    start: int
    end: int
    text: str = ""
    key: str = ""
    literal: bool = False


@dataclass(frozen=True)
class Block:
    """A block's unit text with markers, the source span it covers, and what each marker is."""

    text: str
    start: int
    end: int
    pieces: tuple[Piece, ...]
    markers: dict[str, Piece] = field(default_factory=dict)

    @property
    def shown(self) -> tuple[tuple[str, str], ...]:
        """(standalone marker, the text it shows) for those that show one (Unit.shown)."""
        return tuple(
            (char, piece.text)
            for char, piece in self.markers.items()
            if piece.kind is PieceKind.SOLO and piece.text
        )


def _pair_up(pieces: Sequence[Piece]) -> list[Piece]:
    """Match OPEN/CLOSE by key with a stack; anything unmatched or misnested becomes SOLO."""
    kinds = [p.kind for p in pieces]
    stack: list[int] = []
    matched: set[int] = set()
    for i, piece in enumerate(pieces):
        if piece.kind is PieceKind.OPEN:
            stack.append(i)
        elif piece.kind is PieceKind.CLOSE:
            keys = [pieces[j].key for j in stack]
            if piece.key in keys:
                at = len(keys) - 1 - keys[::-1].index(piece.key)
                matched.update((stack[at], i))
                del stack[at:]
    for i, kind in enumerate(kinds):
        if kind in (PieceKind.OPEN, PieceKind.CLOSE) and i not in matched:
            kinds[i] = PieceKind.SOLO
    return [
        p if p.kind is k else Piece(k, p.start, p.end, p.text, p.key)
        for p, k in zip(pieces, kinds, strict=True)
    ]


def _strip_text(pieces: list[Piece], leading: bool) -> bool:
    """Split whitespace off the outer end of a TEXT piece; drop it if blank.

    Only a literal piece can be split. One that is not its source verbatim goes whole
    when it is all whitespace: a Markdown line break (newline and quote prefix) left at
    the edge by a trimmed standalone marker, as after a `{{% notice %}}` line.
    """
    i = 0 if leading else -1
    piece = pieces[i]
    if piece.kind is not PieceKind.TEXT:
        return False
    kept = piece.text.lstrip() if leading else piece.text.rstrip()
    if not kept:
        del pieces[i]
        return True
    if kept == piece.text or not piece.literal:
        return False
    cut = len(piece.text) - len(kept)
    start, end = (piece.start + cut, piece.end) if leading else (piece.start, piece.end - cut)
    pieces[i] = Piece(PieceKind.TEXT, start, end, kept, literal=True)
    return True


def _trim(pieces: list[Piece]) -> None:
    """Leave outer whitespace, standalone markup and wrapping pairs to the skeleton."""
    changed = True
    while pieces and changed:
        changed = _strip_text(pieces, True) or (pieces != [] and _strip_text(pieces, False))
        if changed or not pieces:
            continue
        for i in (0, -1):
            if pieces[i].kind is PieceKind.SOLO:
                del pieces[i]
                changed = True
                break
        if changed or not pieces:
            continue
        if pieces[0].kind is PieceKind.OPEN and _closing(pieces) == len(pieces) - 1:
            del pieces[0], pieces[-1]  # the first open closes last: it wraps everything
            changed = True


def _closing(pieces: Sequence[Piece]) -> int:
    """Index of the piece closing the open piece pieces[0] (pieces are paired and nested)."""
    depth = 0
    for i, piece in enumerate(pieces):
        depth += {PieceKind.OPEN: 1, PieceKind.CLOSE: -1}.get(piece.kind, 0)
        if depth == 0:
            return i
    return -1


def _protect_private_use(pieces: Sequence[Piece]) -> list[Piece]:
    """Pieces with each marker-range character of the article's text as a SOLO piece.

    Left in the text, an icon character would pass for a marker the writer has no
    markup for; as a SOLO piece it stands for its own source bytes. A TEXT piece that
    is not its source verbatim (an entity, `&#xf095;`) becomes one SOLO piece whole.
    """
    protected: list[Piece] = []
    for piece in pieces:
        if piece.kind is not PieceKind.TEXT or not MARKER.search(piece.text):
            protected.append(piece)
        elif not piece.literal:
            protected.append(Piece(PieceKind.SOLO, piece.start, piece.end))
        else:
            protected.extend(_split_literal(piece))
    return protected


def _split_literal(piece: Piece) -> Iterator[Piece]:
    """A literal TEXT piece cut around its marker-range characters, each one a SOLO piece."""
    at = piece.start
    for is_marker_piece, text in split_markers(piece.text):
        end = at + len(text)
        if is_marker_piece:
            yield Piece(PieceKind.SOLO, at, end)
        else:
            yield Piece(PieceKind.TEXT, at, end, text, literal=True)
        at = end


def build_block(pieces: Sequence[Piece]) -> Block | None:
    """Turn located pieces into unit text; None when no words are left to translate."""
    paired = _pair_up(_protect_private_use(pieces))
    _trim(paired)
    if not any(p.kind is PieceKind.TEXT and p.text.strip() for p in paired):
        return None
    counts = {PieceKind.OPEN: 0, PieceKind.SOLO: 0}
    if sum(p.kind is PieceKind.OPEN for p in paired) >= MAX_MARKERS:
        return None
    if sum(p.kind is PieceKind.SOLO for p in paired) >= MAX_MARKERS:
        return None
    text: list[str] = []
    markers: dict[str, Piece] = {}
    open_stack: list[int] = []
    for piece in paired:
        if piece.kind is PieceKind.TEXT:
            text.append(piece.text)
            continue
        if piece.kind is PieceKind.OPEN:
            n = counts[PieceKind.OPEN]
            counts[PieceKind.OPEN] += 1
            open_stack.append(n)
            char = open_marker(n)
        elif piece.kind is PieceKind.CLOSE:
            char = close_marker(open_stack.pop())
        else:
            char = solo_marker(counts[PieceKind.SOLO])
            counts[PieceKind.SOLO] += 1
        markers[char] = piece
        text.append(char)
    return Block("".join(text), paired[0].start, paired[-1].end, tuple(paired), markers)
