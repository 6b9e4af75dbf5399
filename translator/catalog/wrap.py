"""Lines of a .po file as GNU gettext writes them (write-po.c), so that msgcat,
msgmerge and Poedit rewrite nothing of ours, and a translator's save changes only
what the translator changed.

A string goes on its keyword's line when it fits in PAGE_WIDTH columns and holds no
line break; else the keyword takes an empty string and the value follows, broken
after each "\\n" and wherever Unicode's line breaking (UAX #14, as libunistring
implements it for gettext) allows, each line within PAGE_WIDTH columns: after a
space, after a hyphen between letters, never inside a number or an escape sequence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

PAGE_WIDTH = 79  # gettext's default, which Poedit keeps

_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}

# UAX #14 line breaking classes of the characters news text holds; anything else is AL
# (alphabetic), or ID (ideographic) when East Asian wide.
_CLASSES = {
    " ": "SP",
    "-": "HY",
    "\u2010": "BA",
    "\u2013": "BA",
    "\u2014": "B2",
    ",": "IS",
    ".": "IS",
    ":": "IS",
    ";": "IS",
    "/": "SY",
    "!": "EX",
    "?": "EX",
    "(": "OP",
    "[": "OP",
    "{": "OP",
    "\u00a1": "OP",
    "\u00bf": "OP",
    ")": "CP",
    "]": "CP",
    "}": "CL",
    "|": "BA",
    "\u2009": "BA",
    "\u00ad": "BA",
    "\u200d": "ZWJ",
    "\u3001": "CL",
    "\u3002": "CL",
    "\uff0c": "CL",
    "\uff0e": "CL",
    "\u300d": "CL",
    "\u300f": "CL",
    "\u300b": "CL",
    "\uff09": "CL",
    "\u300c": "OP",
    "\u300e": "OP",
    "\u300a": "OP",
    "\uff08": "OP",
    "\uff01": "EX",
    "\uff1f": "EX",
    "\uff1a": "NS",
    "\uff1b": "NS",
    "\u30fc": "NS",
    '"': "QU",
    "'": "QU",
    "\u00ab": "QU",
    "\u00bb": "QU",
    "\u2018": "QU",
    "\u2019": "QU",
    "\u201c": "QU",
    "\u201d": "QU",
    "\u2026": "IN",
    "\u200b": "ZW",
    "\u00a0": "GL",
    "\u202f": "GL",
    "\u2007": "GL",
    "%": "PO",
    "\u00b0": "PO",
    "$": "PR",
    "\u20ac": "PR",
    "\u00a3": "PR",
    "+": "PR",
    "\\": "PR",
}
# Small kana, which never start a line in Japanese (CJ, taken as NS).
_CLASSES.update(dict.fromkeys("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ", "NS"))
# The rest of the punctuation of European news text, classed as libunistring 1.0 (which
# gettext 0.21 links) classes it. German and Polish low quotes open a quote, as "(" does;
# single guillemets are quotes, as double ones; an acute accent typed as an apostrophe
# (BB) holds to the letter after it.
_CLASSES.update(
    {
        "\u201a": "OP",  # single low-9 quotation mark
        "\u201e": "OP",  # double low-9 quotation mark
        "\u201b": "QU",  # single high-reversed-9 quotation mark
        "\u201f": "QU",  # double high-reversed-9 quotation mark
        "\u2039": "QU",  # single left-pointing angle quotation mark
        "\u203a": "QU",  # single right-pointing angle quotation mark
        "\u00b4": "BB",  # acute accent
        "\u2011": "GL",  # non-breaking hyphen
        "\u2012": "BA",  # figure dash
        "\u2027": "BA",  # hyphenation point
        "\u2044": "IS",  # fraction slash
        "\u2024": "IN",  # one dot leader
        "\u2025": "IN",  # two dot leader
        "\u203c": "NS",  # double exclamation mark
        "\u203d": "NS",  # interrobang
        "\u2047": "NS",  # double question mark
        "\u2048": "NS",  # question exclamation mark
        "\u2049": "NS",  # exclamation question mark
    }
)
# Spaces of a set width (en, em, thin ones...) break as a space does, but the no-break
# ones (GL, above).
_CLASSES.update(dict.fromkeys("\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u205f", "BA"))
# Signs written after a number: per mille, primes, cent, degrees Celsius and Fahrenheit,
# a few currencies.
_CLASSES.update(dict.fromkeys("\u2030\u2031\u2032\u2033\u2034\u2035\u2036\u2037\u00a2", "PO"))
_CLASSES.update(dict.fromkeys("\u2103\u2109\u20a7\u20b6\u20bb\u20be\u20c0", "PO"))
# And before one: minus, plus-minus, numero, yen, the currency sign, the other currencies.
_CLASSES.update(dict.fromkeys("\u2212\u00b1\u2116\u00a5\u00a4", "PR"))
_CLASSES.update({chr(sign): "PR" for sign in range(0x20A0, 0x20C1) if chr(sign) not in _CLASSES})
# No break before these, even after spaces (LB13).
_NEVER_BEFORE = frozenset({"CL", "CP", "EX", "IS", "SY"})
# No break before these, nor after the second group, unless spaces are between
# (LB12, LB19, LB21, LB22).
_GLUED_BEFORE = frozenset({"GL", "QU", "BA", "HY", "IN", "NS", "CM"})
_GLUED_AFTER = frozenset({"GL", "QU", "BB"})
# (before, after) with no break between them when no space is (LB23-LB30).
_GLUED = frozenset(
    {("AL", "AL"), ("AL", "NU"), ("NU", "AL"), ("NU", "NU"), ("AL", "OP"), ("NU", "OP")}
    | {("CP", "NU"), ("CP", "AL"), ("CP", "PO"), ("CP", "PR"), ("CL", "PO"), ("CL", "PR")}
    | {("NU", "PO"), ("NU", "PR")}
    | {("PR", "NU"), ("PR", "OP"), ("PR", "AL"), ("PR", "ID"), ("PO", "NU"), ("PO", "OP")}
    | {("PO", "AL"), ("HY", "NU"), ("IS", "NU"), ("SY", "NU"), ("B2", "B2")}
    | {("AL", "PO"), ("AL", "PR"), ("ID", "PO")}
)


def string_lines(keyword: str, value: str, prefix: str = "", *, wrap: bool = True) -> list[str]:
    """`keyword "value"` (msgid, msgstr[0]...) as gettext writes it, each line starting
    with `prefix` ("#~ " for an obsolete entry, "#| " for a previous msgid); with
    `wrap` False (an entry flagged no-wrap), broken after each "\n" only."""
    lines: list[str] = []
    first = True
    after_break = len(prefix) + 1  # a continuation line's text starts after its quote
    width = PAGE_WIDTH - 1 - after_break  # room for the closing quote
    # After each "\n" only: str.splitlines would also split at "\r", "\x85", "\u2028"...
    portions = _PORTIONS.findall(value) or [""]
    for index, portion in enumerate(portions):
        escaped, allowed = _escaped(portion)
        if first:
            start = len(prefix) + len(keyword) + 2 - after_break  # 'keyword "'
            breaks = _chosen_breaks(escaped, allowed, width, start) if wrap else []
            more = index + 1 < len(portions)
            if escaped and (more or (wrap and (start > width or breaks))):
                lines.append(f'{prefix}{keyword} ""')
                first = False
        if not first:
            breaks = _chosen_breaks(escaped, allowed, width, 0) if wrap else []
        last = 0
        for at in [*breaks, len(escaped)]:
            piece = escaped[last:at]
            lines.append(f'{prefix}{keyword} "{piece}"' if first else f'{prefix}"{piece}"')
            first, last = False, at
    return lines


_PORTIONS = re.compile(r"[^\n]*\n|[^\n]+")


def _escaped(portion: str) -> tuple[str, list[bool]]:
    """A portion as the file spells it, and where a line may break in it: UAX #14 on the
    escaped text, as write-po.c does, but never inside an escape sequence nor before
    the "\\n" that ends the portion."""
    escaped = "".join(_ESCAPES.get(char, char) for char in portion)
    allowed = _break_opportunities(escaped)
    at = 0
    for char in portion:
        if char in _ESCAPES:
            allowed[at + 1] = False
            at += 2
        else:
            at += 1
    if portion.endswith("\n"):
        allowed[len(escaped) - 2] = False
    return escaped, allowed


def _chosen_breaks(escaped: str, allowed: Sequence[bool], width: int, start: int) -> list[int]:
    """Where lines break, greedily as libunistring's ulc_width_linebreaks does: the
    piece between two opportunities goes to a new line when it would end past `width`."""
    chosen: list[int] = []
    piece_start: int | None = None  # the opportunity the current piece starts at
    column, piece = start, 0
    for at, char in enumerate(escaped):
        if allowed[at]:
            if piece_start is not None and column + piece > width:
                chosen.append(piece_start)
                column = 0
            piece_start = at
            column += piece
            piece = 0
        piece += _width(char)
    if piece_start is not None and column + piece > width:
        chosen.append(piece_start)
    return chosen


def _width(char: str) -> int:
    """Columns, as uc_width counts them: none for a non-spacing mark (an accent, an
    emoji's variation selector) or a format character (a zero width space, a joiner),
    two for East Asian wide ones."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _class(char: str) -> str:
    found = _CLASSES.get(char)
    if found is not None:
        return found
    if char.isdecimal() and unicodedata.east_asian_width(char) != "F":
        return "NU"  # not a superscript (isdigit's digits) nor a fullwidth digit (ID)
    # Marks, and an emoji's skin tone, go with the character before them.
    if unicodedata.category(char) in ("Mn", "Mc", "Me") or "\U0001f3fb" <= char <= "\U0001f3ff":
        return "CM"
    if "\U0001f1e6" <= char <= "\U0001f1ff":
        return "RI"  # half a flag
    return "ID" if unicodedata.east_asian_width(char) in ("W", "F") else "AL"


def _break_opportunities(text: str) -> list[bool]:
    """For each character, whether a line may break before it: UAX #14's rules for
    the classes of _CLASSES (a combining mark takes its base's class)."""
    allowed = [False] * len(text)
    before: str | None = None  # the class of the last character that is no space
    spaced = False  # spaces since it
    flag_halves = 0  # regional indicators in a row: two make one flag
    for at, char in enumerate(text):
        kind = _class(char)
        if kind == "SP":
            spaced = before is not None
            continue
        if kind in ("CM", "ZWJ"):  # LB9: marks and a joiner go with the character before
            before = "ZWJ" if kind == "ZWJ" else before
            continue
        if before == "ZWJ":  # LB8a: and what a joiner joins goes with it (an emoji sequence)
            before, spaced = kind, False
            continue
        if kind == "RI":
            flag_halves += 1
            if before == "RI" and not spaced and flag_halves % 2 == 0:
                continue  # LB30a: the second half of a flag
        else:
            flag_halves = 0
        if kind == "ZW":  # LB7, LB8: never before one, always after, spaces or not
            before, spaced = "ZW", False
            continue
        if before == "ZW":
            allowed[at] = True
        elif before is not None and kind not in _NEVER_BEFORE and before != "OP":
            if spaced:  # LB18: after spaces, unless LB15 or LB17
                allowed[at] = (before, kind) not in {("QU", "OP"), ("B2", "B2")}
            elif kind == "GL" and before in ("BA", "HY"):
                allowed[at] = True  # LB12a: a no-break space holds to what is before it,
                # but not to a dash (an en dash, U+2013) or a hyphen
            else:
                allowed[at] = not (
                    kind in _GLUED_BEFORE or before in _GLUED_AFTER or (before, kind) in _GLUED
                )
        before, spaced = kind, False
    return allowed
