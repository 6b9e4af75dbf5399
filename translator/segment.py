"""Sentences and UI strings: the rules that cut a unit into segments.

`split_sentences` is rule-based and pure Python on purpose: pysbd and nltk's
punkt need downloads or guess differently per version, and a run must cut the
same text the same way on every machine (the translation cache is keyed by
segment text).

Inline markup travels inside unit text as Private Use Area characters
(`translator.inline` defines their range). They are neither letters nor
spaces here: a sentence boundary never falls between a marker and the word
it touches, and markers never decide whether a period ends a sentence.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Collection

from translator.inline import MARKER, MARKER_RANGE, strip_markers
from translator.languages import base_language
from translator.model import Document, Kind, Sentence, Unit

# Characters that end a sentence, and what may follow them before the space:
# closing quotes, brackets and inline markers ("end.” Next", "end.</b> Next").
_TERMINATORS = ".!?…"
_CLOSERS = "\"'”’»)]}"  # noqa: RUF001
_OPENERS = "\"'“‘«([¿¡"  # noqa: RUF001
# Chinese and Japanese end sentences with full-width marks and no space after.
_CJK_TERMINATORS = "。！？"  # noqa: RUF001
_CLOSER_CLASS = f"[{re.escape(_CLOSERS)}{MARKER_RANGE}]*"

_BOUNDARY_RE = re.compile(
    f"(?:[{re.escape(_TERMINATORS)}]+{_CLOSER_CLASS}(?P<space>\\s+))"
    f"|(?:[{_CJK_TERMINATORS}]+{_CLOSER_CLASS}(?P<cjk>\\s*))"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that end with a period without ending the sentence. Lowercased, no dot.
# Multi-dot abbreviations ("U.S.", "e.g.", "z.B.") and single initials ("J.")
# are recognised by shape, so they are not listed.
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": _words(
        "mr mrs ms dr prof gen sen rep gov lt col sgt capt cmdr adm maj st jr sr vs etc "
        "no nos vol pp fig approx dept est inc ltd co corp jan feb mar apr jun jul aug sep "
        "sept oct nov dec mt ft rev hon pres supt messrs"
    ),
    "es": _words(
        "sr sra srta srs dr dra prof gral gen lic ing arq av avda etc pág págs núm nº tel "
        "ud uds vd vds dña d ee uu cía"
    ),
    "fr": _words("m mm mme mmes mlle mlles dr pr me st ste etc cf av bd vol p pp n°"),
    "de": _words(
        "dr prof hr fr nr str bzw ca usw vgl ggf evtl inkl bspw sog abs art bd jh mio mrd "
        "tel co gmbh"
    ),
    "ru": _words("г гг т тт др пр им ул д см стр руб тыс млн млрд ок св"),  # noqa: RUF001
}
_COMMON_ABBREVIATIONS = _words("dr prof st etc vs vol no")
# For text whose language is not known yet: an abbreviation in any language we know.
_ANY_LANGUAGE = "*"
_ABBREVIATIONS[_ANY_LANGUAGE] = frozenset().union(*_ABBREVIATIONS.values())
# Abbreviations that stand before a number, and only there.
_BEFORE_NUMBER = _words("no nos nr núm nº n° p pp vol art fig")
_MULTI_DOT_RE = re.compile(r"(?:\w{1,3}\.){1,}\w{1,3}$")  # U.S, e.g, z.B (before the final dot)
_ORDINAL_LANGUAGES = frozenset({"de", "cs", "pl", "da", "no", "fi", "hu", "sk", "sl", "hr"})


def split_sentences(text: str, language: str, max_chars: int = 600) -> list[Sentence]:
    """Cut `text` into sentences; `"".join(s.text + s.trailing)` gives `text` back.

    Sentences longer than `max_chars` are cut further at clause boundaries or
    spaces (never truncated), so no engine sees more than `max_chars` at once.
    Leading whitespace, if any, stays at the start of the first sentence.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    if not text:
        return []
    if not text.strip():
        return [Sentence("", text)]
    base = base_language(language)
    # A title's parts ("The Higgs boson revealed | Science") are translated apart: an
    # engine would reorder words across the bar ("El Higgs bosón Ciencia | revelada").
    sentences: list[Sentence] = []
    start = 0
    for separator in _TITLE_SEPARATOR.finditer(text):
        part = text[start : separator.start()]
        if part.strip():
            *done, last = _sentences(part, base, max_chars)
            sentences += [*done, Sentence(last.text, last.trailing + separator.group())]
            start = separator.end()
    return sentences + _sentences(text[start:], base, max_chars)


# A bar, middle dot or bullet between spaces: what joins a page title to its site's name.
_TITLE_SEPARATOR = re.compile(r"[ \t]+[|\u00b7\u2022][ \t]+")


def _sentences(text: str, base: str, max_chars: int) -> list[Sentence]:
    """`text` (no title separator in it) cut into sentences, as `split_sentences` says."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        space = match.group("space") if match.group("space") is not None else match.group("cjk")
        end_of_text = match.end() - len(space)
        if match.end() == len(text) or not _is_boundary(text, match, base):
            continue
        sentences.extend(_fit(text[start:end_of_text], space, max_chars))
        start = match.end()
    if start < len(text):
        rest = text[start:]
        body = rest.rstrip()
        sentences.extend(_fit(body, rest[len(body) :], max_chars))
    return sentences


def ends_sentence(line: str, following: str) -> bool:
    """Does a sentence end with `line`, `following` it on the next line? Judged before
    the language is known: a word that is an abbreviation in any language we know
    ("Mr.", "Sra.") ends none."""
    text = f"{line} {following}"
    return any(
        match.end() == len(line) + 1 and _is_boundary(text, match, _ANY_LANGUAGE)
        for match in _BOUNDARY_RE.finditer(text, max(0, len(line) - 8))
    )


def _is_boundary(text: str, match: re.Match[str], language: str) -> bool:
    if match.group("cjk") is not None:
        return True
    following = _next_visible(text, match.end())
    if not following or not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    punctuation = match.group(0).rstrip()
    if not strip_markers(punctuation).startswith(".") or "..." in punctuation:
        return True  # ! ? … and "..." end a sentence whatever word precedes them
    return not _is_abbreviation(_word_before(text, match.start()), language, following)


def _next_visible(text: str, index: int) -> str:
    """The first character from `index` on that is not an inline marker."""
    for char in text[index:]:
        if not MARKER.match(char):
            return char
    return ""


def _word_before(text: str, index: int) -> str:
    """The run of non-space characters just before `index`, markers removed."""
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return strip_markers(text[start:index]).lstrip(_OPENERS)


def _is_abbreviation(word: str, language: str, following: str) -> bool:
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith", "M. Barrot"
    if _MULTI_DOT_RE.fullmatch(word) and any(c.isalpha() for c in word):
        return True  # U.S., e.g., z.B., EE.UU.: cutting here is worse than not cutting
    lowered = word.lower()
    if lowered in _BEFORE_NUMBER:
        return following.isdigit()  # "No. 5", but "said no. He left"
    if lowered in _ABBREVIATIONS.get(language, _COMMON_ABBREVIATIONS):
        return True
    # "am 3. Oktober": a small number with a period is an ordinal in these languages.
    return (
        language in _ORDINAL_LANGUAGES and word.isdigit() and len(word) <= 2 and following.isupper()
    )


# Where an over-long sentence is cut, best first: after a clause mark, then at a dash,
# then at any space. Each pattern matches the whitespace that becomes `trailing`.
_CUT_PATTERNS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+(?=[—–-]\s)|(?<=[—–])\s+"),  # noqa: RUF001
    re.compile(r"\s+"),
)


def _fit(sentence: str, trailing: str, max_chars: int) -> list[Sentence]:
    """`sentence` as one Sentence, or several when it is longer than `max_chars`."""
    pieces: list[Sentence] = []
    while len(sentence) > max_chars:
        cut, gap = _cut_point(sentence, max_chars)
        pieces.append(Sentence(sentence[:cut], sentence[cut : cut + gap]))
        sentence = sentence[cut + gap :]
    pieces.append(Sentence(sentence, trailing))
    return pieces


def _cut_point(sentence: str, max_chars: int) -> tuple[int, int]:
    """Where to cut: (end of the first piece, length of the whitespace after it)."""
    window = sentence[: max_chars + 1]
    shortest = max_chars // 3  # do not leave a tiny first piece when a better cut exists
    for pattern in _CUT_PATTERNS:
        cuts = [m for m in pattern.finditer(window) if 0 < m.start() <= max_chars]
        good = [m for m in cuts if m.start() >= shortest]
        best = good[-1] if good else (cuts[-1] if cuts else None)
        if best is not None:
            return best.start(), _gap(sentence, best.start())
    cut = max_chars
    # Never cut between a base character and its combining mark.
    while cut > 1 and unicodedata.combining(sentence[cut]):
        cut -= 1
    return cut, 0


def _gap(sentence: str, index: int) -> int:
    end = index
    while end < len(sentence) and sentence[end].isspace():
        end += 1
    return end - index


# --- UI strings ---

_LABEL_MAX_CHARS = 40
_LABEL_MAX_WORDS = 3
_TITLE_LABEL_MAX_WORDS = 5
SENTENCE_END = ".!?…:;,"
TRAILING_CLOSERS = "\"'”’»)]"  # noqa: RUF001


def is_label_like(text: str) -> bool:
    """Does `text` look like site chrome ("Share", "World", "Related Articles")?

    A label is short, has no sentence punctuation at its end, and has at most
    three words, or up to five when every long word is capitalised ("Terms of
    Use", "Most Read This Week"). A teaser title such as "Devastating earthquakes
    shake Thailand and Myanmar" has lowercase words and six words: article text.
    """
    plain = ui_key(text)
    if not plain or len(plain) > _LABEL_MAX_CHARS or not any(c.isalpha() for c in plain):
        return False
    if plain.rstrip(TRAILING_CLOSERS)[-1:] in SENTENCE_END:
        return False
    words = plain.split()
    if len(words) <= _LABEL_MAX_WORDS:
        return True
    return len(words) <= _TITLE_LABEL_MAX_WORDS and all(
        w[:1].isupper() or len(w) <= 3 or not w[:1].isalpha() for w in words
    )


# The role of a unit found in the site's UI list (--ui-strings), or promoted to UI by
# recurring across the batch: the same in every format, so one string listed once is
# one catalog entry (the role becomes its msgctxt when it plays several).
LISTED_UI_ROLE = "ui string"


def ui_key(text: str) -> str:
    """`text` as it is compared with the site's UI list: markup and repeated whitespace
    aside, case kept ("World" and "world" are different strings in a catalog)."""
    return " ".join(strip_markers(text, " ").split())


def apply_ui_strings(document: Document, ui_strings: Collection[str]) -> Document:
    """`document` with every unit whose text is in the site's UI list marked `Kind.UI`.

    Every format calls this as it reads, and the run again with the strings found
    to recur across the batch. A unit its format already classified as UI (an HTML
    <button>) keeps its role; article text turned into UI gets `LISTED_UI_ROLE`.
    """
    if not ui_strings:
        return document
    listed = {ui_key(s) for s in ui_strings}
    units = [_as_ui(unit) if ui_key(unit.text) in listed else unit for unit in document.units]
    return dataclasses.replace(document, units=units)


def _as_ui(unit: Unit) -> Unit:
    if unit.kind is Kind.UI:
        return unit
    return dataclasses.replace(unit, kind=Kind.UI, role=LISTED_UI_ROLE)
