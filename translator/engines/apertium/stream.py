"""Apertium's stream format: our records in, plain text out.

* We do `apertium-destxt`'s job: escape the stream's special characters, wrap
  other whitespace and `~` (the post-generation mark) in superblanks, and end each
  record with a hidden period `.[]` so the tagger sees a sentence end (without it
  a record's final period is dropped); like `apertium-retxt` we remove `.[]` again
  on the way out.
* Inline markup (translator.inline's markers) travels two ways. A tag pair around
  words (a link, <b>) becomes a word-bound blank, `[[\ue000]]the words[[/]]`:
  Apertium attaches it to each word and carries it along when transfer reorders
  them ("<b>NATO</b>'s allies" -> "los aliados de la <b>OTAN</b>"), and we close
  and open the pairs again around the words that carry them. Other markers (a
  <br>, an <img>, a pair around no word) stay where they are, in superblanks.
* Each record ends with a superblank carrying a sequence number, `[#12]`: a stage
  that dies makes the next one flush NULs at end of input, and the check keeps
  such empty records from being taken for translations.
* A hyphen the analyser made a word of its own, between two words ("three-year"),
  gets a blank on each side, `[ ]`, once tagged (`space_hyphens`): eng-spa's
  transfer rules move the words around such a hyphen and drop it, and put the
  source's blanks between the words they write, which a hyphen never had ("the
  three-year war": "la guerradetres años"). On the way out a hyphen still between
  its blanks is glued back to its words, and a blank left between two words is a
  space ("la guerra de tres años"); any other goes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from translator.inline import MARKER, MARKER_RANGE, is_close, is_open, partner, split_markers

# How records carry inline markup: in the cache key (Engine.decoding_settings), so that
# a change of it retranslates what it changes.
STREAM_FORMAT = (
    "markup=word-bound; merged words take their first word's pairs; "
    "a hyphen between words has blanks; deleted words' spaces beside punctuation go"
)
_SPECIAL = frozenset("\\[]{}^$/@<>")  # escaped with a backslash, as apertium-destxt does
_HIDDEN_PERIOD = ".[]"  # destxt's sentence end; retxt removes ".[]"
# A word-bound blank, `[[...]]`: the tag pairs a word is in, or `[[/]]` after it.
_WORD_BOUND = r"\[\[(?:[^\]]|\](?!\]))*\]\]"
# A tagged hyphen glued to the words on both sides (each unit maybe in its word-bound
# blank, when a tag pair holds it), and the same with blanks of its own.
_GLUED_HYPHEN = re.compile(rf"\$((?:{_WORD_BOUND})?)\^-<guio>\$((?:{_WORD_BOUND})?)\^".encode())
_SPACED_HYPHEN = rb"$[ ]\1^-<guio>$[ ]\2^"
_HYPHEN_BLANK = "[ ]"  # never one of ours otherwise: one plain space is no superblank
# On the way out: still around its hyphen (and the hyphen's own tags), it goes; between
# two words, or a word and a tag's end or start, it is a space; elsewhere (before a
# comma, beside a hyphen it left) it goes.
_HYPHEN_AROUND = re.compile(rf"\[ \]((?:{_WORD_BOUND})?)-((?:\[\[/\]\])?)\[ \]")
_HYPHEN_BETWEEN_WORDS = re.compile(r"(?:(?<=\w)|(?<=\]\]))\[ \](?=\w|\[\[(?!/))")


# Backslash before the special characters; in text, `~` also goes into a superblank.
_ESCAPE_TEXT = str.maketrans({**{c: "\\" + c for c in _SPECIAL}, "~": "[~]"})
# Whitespace that travels in a superblank: anything but one plain space.
_BLANK = re.compile(r"\s{2,}|[^\S ]")
_WORD = re.compile(r"\w")
# In a superblank of markers, the word-bound pairs around them follow this; the other
# superblanks (whitespace, "~") never start with a marker.
_INSIDE = "|"


def _blank(match: re.Match[str]) -> str:
    run = match.group()
    # A blank line inside a segment ends a sentence, as for destxt.
    return (_HIDDEN_PERIOD if run.count("\n") > 1 else "") + "[" + run + "]"


def encode_record(text: str, seq: int) -> bytes:
    """One segment as a NUL-terminated record of Apertium's stream format.

    Escaping first is safe: markers and whitespace hold no special character.
    """
    text = text.replace("\0", " ")
    end = _HIDDEN_PERIOD + f"[#{seq}]\0"
    if not MARKER.search(text):  # most sentences: what the loop below gives, sooner
        return (_whitespace(text.translate(_ESCAPE_TEXT)) + end).encode("utf-8")
    bound = _word_bound_pairs(text)
    parts: list[str] = []
    carried: list[str] = []  # the word-bound pairs open here, outermost first
    gap = ""  # whitespace between words, whichever side of a tag it was on
    for is_marker, piece in split_markers(text, runs=True):
        if not is_marker:
            core = piece.strip()
            if not core:
                gap += piece
                continue
            lead = piece[: len(piece) - len(piece.lstrip())]
            parts.append(_whitespace(gap + lead) + _encode_text(core, "".join(carried)))
            gap = piece[len(piece.rstrip()) :]
            continue
        positional: list[tuple[str, str]] = []  # (marker, the word-bound pairs around it)
        for marker in piece:
            if marker in bound and marker not in carried:
                carried.append(marker)
            elif is_close(marker) and partner(marker) in carried:
                carried.remove(partner(marker))
            else:
                positional.append((marker, "".join(carried)))
        if positional:
            parts.append(_whitespace(gap) + "".join(_positional(positional)))
            gap = ""
    return ("".join(parts) + _whitespace(gap) + end).encode("utf-8")


def _positional(markers: list[tuple[str, str]]) -> Iterator[str]:
    """Superblanks for markers that stay where they are; one inside word-bound pairs
    names them after _INSIDE, so they come back inside those pairs (an <img> at the
    start of a link stays in the link)."""
    for inside, group in itertools.groupby(markers, key=lambda pair: pair[1]):
        chars = "".join(marker for marker, _ in group)
        yield f"[{chars}{_INSIDE}{inside}]" if inside else f"[{chars}]"


def _whitespace(run: str) -> str:
    return _BLANK.sub(_blank, run)


def _word_bound_pairs(text: str) -> set[str]:
    """The open markers of the tag pairs of `text` that hold a word, nested properly,
    each once (an article's own Private Use characters may repeat one)."""
    bound: set[str] = set()
    stack: list[tuple[str, int]] = []
    for match in MARKER.finditer(text):
        marker = match[0]
        if is_open(marker):
            stack.append((marker, match.end()))
        elif is_close(marker) and stack and stack[-1][0] == partner(marker):
            opener, start = stack.pop()
            if _WORD.search(text, start, match.start()):  # markers are no word characters
                bound.add(opener)
    return {opener for opener in bound if text.count(opener) == 1}


def _encode_text(text: str, pairs: str) -> str:
    """Escaped `text` (no whitespace at its edges); its words inside the word-bound
    blank of `pairs`, if any, a blank for each run between superblanks."""
    escaped = text.translate(_ESCAPE_TEXT)
    if not pairs:
        return _whitespace(escaped)
    encoded = []
    position = 0
    for match in _BLANK.finditer(escaped):
        encoded.append(f"[[{pairs}]]{escaped[position : match.start()]}[[/]]{_blank(match)}")
        position = match.end()
    encoded.append(f"[[{pairs}]]{escaped[position:]}[[/]]")
    return "".join(encoded)


class RecordMismatch(Exception):
    """A record came back without its sequence mark: a stage died or the stream slipped."""


# A translated record, token by token: an escaped character, the end of a word-bound
# blank, the start of one, a superblank, or plain text.
_OUTPUT_TOKEN = re.compile(
    r"\\(.)|(\[\[/\]\])|\[\[((?:[^\]]|\](?!\]))*)\]\]|\[((?:\\.|[^\]\\])*\\?)(?:\]|$)|([^\\\[]+|\\)",
    re.DOTALL,
)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_SPACES = re.compile(" {2,}")


class _Piece:
    """Output text and the word-bound pairs it carries; or a superblank's content."""

    __slots__ = ("blank", "pairs", "text")

    def __init__(self, text: str, pairs: str = "", blank: bool = False) -> None:
        self.text, self.pairs, self.blank = text, pairs, blank


def space_hyphens(tagged: bytes) -> bytes:
    """The tagger's output for a record, each hyphen between two words in blanks of its
    own (see the module docstring)."""
    return _GLUED_HYPHEN.sub(_SPACED_HYPHEN, tagged)


def decode_record(out: str, seq: int) -> str:
    """Plain text from a translated record: unescape, open superblanks, drop `.[]`, and
    put each word-bound pair back around the words that carry it."""
    if _HYPHEN_BLANK in out:  # see space_hyphens
        out = _HYPHEN_AROUND.sub(r"\1-\2", out)
        out = _HYPHEN_BETWEEN_WORDS.sub(" ", out).replace(_HYPHEN_BLANK, "")
    pieces = _pieces(out, seq)
    if "[[" not in out and not MARKER.search(out):  # most sentences: no pair, no marker
        return "".join(piece.text for piece in pieces)  # what _with_pairs gives them
    return _with_pairs(_joined(pieces))


def _pieces(out: str, seq: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    found = False
    pairs = ""  # the markers of the word-bound blank we are in
    plain_space = False  # did the last plain text end in a space Apertium produced?
    for token in _OUTPUT_TOKEN.finditer(out):
        escaped, bound_end, bound, blank, plain = token.group(1, 2, 3, 4, 5)
        if escaped is not None:
            pieces.append(_Piece(escaped, pairs))
            plain_space = False
        elif bound_end is not None:
            pairs = ""
        elif bound is not None:
            # Outermost first, as encode_record wrote them. Apertium joins the blanks of
            # words it merged with "; ": the word takes its first word's pairs, as
            # one word cannot be in two sibling pairs ("*of* *the*" -> "*del*", not
            # "**del**"); the other pairs are lost, and counted so (lost_pairs).
            pairs = "".join(MARKER.findall(bound.partition(";")[0]))
        elif blank is not None:
            content = _ESCAPED.sub(r"\1", blank)
            if content == f"#{seq}":
                found = True
            elif content == "" and _ends_in_period(pieces):
                pieces[-1].text = pieces[-1].text[:-1]  # our hidden period
                if not pieces[-1].text:
                    del pieces[-1]
            elif MARKER.match(content):
                markers, _, inside = content.partition(_INSIDE)
                pieces.append(_Piece(markers, inside, blank=True))
            else:
                pieces.append(_Piece(content, blank=True))
            plain_space = False
        elif plain is not None:
            # Deleted words leave doubled spaces behind; the source's own runs of
            # spaces came through as superblanks and are kept.
            text = _SPACES.sub(" ", plain)
            if plain_space and text.startswith(" "):
                text = text[1:]
            if text:
                pieces.append(_Piece(text, pairs))
            plain_space = plain.endswith(" ")
    if not found:
        raise RecordMismatch(f"record {seq} came back without its mark: {out[:200]!r}")
    return pieces


def _ends_in_period(pieces: list[_Piece]) -> bool:
    """Whether the text so far ends in a period of its own: a superblank's content
    counts whole, text a character at a time."""
    if not pieces:
        return False
    last = pieces[-1]
    return last.text == "." if last.blank else last.text.endswith(".")


def _joined(pieces: list[_Piece]) -> list[_Piece]:
    """A pair Apertium left on two runs of words ("<a>policía</a> de <a>Moscú</a>" for
    "<a>Moscow police</a>") holds the words between them too: one link, as in the
    source. (Each pair's marker is in one source pair only: see _word_bound_pairs.)"""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for index, piece in enumerate(pieces):
        for marker in piece.pairs:
            first.setdefault(marker, index)
            last[marker] = index
    for marker, start in first.items():
        depth = pieces[start].pairs.index(marker)
        for piece in pieces[start + 1 : last[marker]]:
            if not piece.blank and marker not in piece.pairs:
                at = min(depth, len(piece.pairs))
                piece.pairs = piece.pairs[:at] + marker + piece.pairs[at:]
    return pieces


def _with_pairs(pieces: list[_Piece]) -> str:
    """The pieces' text, each word-bound pair opened before the first word carrying it
    and closed after the last one of a run. What lies between two words and belongs
    to no pair (spaces, a "&" or "/" Apertium keeps outside the blanks, a <br>)
    stays inside a pair both words carry, else goes after the closes and before the
    opens."""
    written: list[str] = []
    open_now: list[str] = []  # outermost first
    spaces = ""  # what lies before the next word, which decides the side of the tags
    for piece in pieces:
        if piece.blank:
            core = piece.text if piece.pairs else ""
        else:
            core = piece.text.strip(" ")
            if not piece.pairs and not _WORD.search(core):
                core = ""
        if not core:
            spaces += piece.text
            continue
        if not piece.blank:
            spaces += piece.text[: len(piece.text) - len(piece.text.lstrip(" "))]
        wanted = list(piece.pairs)  # outermost first, as the blank lists them
        keep = 0
        while keep < min(len(open_now), len(wanted)) and open_now[keep] == wanted[keep]:
            keep += 1
        closes = "".join(partner(m) for m in reversed(open_now[keep:]))
        written.append(closes + spaces + "".join(wanted[keep:]) + core)
        open_now, spaces = wanted, "" if piece.blank else piece.text[len(piece.text.rstrip(" ")) :]
    written.append("".join(partner(m) for m in reversed(open_now)) + spaces)
    return "".join(written)


def keep_edges(source: str, translation: str) -> str:
    """The translation with the source's leading and trailing whitespace."""
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + translation.strip() + trail


# A word Apertium leaves out ("We must": "Tenemos") leaves its blank behind, after an
# opening mark ("“ Tenemos") or before a comma or a period ("un alto el fuego , Putin"):
# one in 20 English sentences; a tag's marker by the word changes nothing ("“
# <a>Tenemos"). (A straight quote opens only at the start: elsewhere it may close.) Not
# before a French "»", ";" or "?", where a space belongs.
_SPACE_AFTER_OPENING = re.compile(f"(^[\"']|[“‘«(\\[¿¡]) +(?=[\\w{MARKER_RANGE}])")  # noqa: RUF001
_SPACE_BEFORE_CLOSING = re.compile(f"(?<=[\\w{MARKER_RANGE}]) +(?=[,.)\\]”’](?!\\w))")  # noqa: RUF001


def tidy_spaces(source: str, translation: str) -> str:
    """The translation without the spaces deleted words left beside punctuation, unless
    the source itself has such spaces (its author's, then, which the translation keeps)."""
    if not _SPACE_AFTER_OPENING.search(source):
        translation = _SPACE_AFTER_OPENING.sub(r"\1", translation)
    if not _SPACE_BEFORE_CLOSING.search(source):
        translation = _SPACE_BEFORE_CLOSING.sub("", translation)
    return translation
