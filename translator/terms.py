"""Glossary terms through translation: protect before the engine, restore and verify after.

Two strategies, chosen by the engine's `term_strategy`:

* "placeholder" (Apertium). Each term is replaced by a stand-in the engine passes
  through unchanged, then the stand-in is replaced by the term's target form.
  Measured on eng-spa: `translate="no"` and notranslate markup are ignored,
  bracketed superblanks survive but break the grammar around them, neutral tokens
  (XTERM1) survive with odd capitals and lost agreement. Rare proper names that
  Apertium's dictionaries already hold as proper nouns, of the same class
  (person/place), grammatical gender and number as the term, keep every term and the best
  grammar: "the coalition of the willing" -> "la Tasmania" -> "la coalición de
  voluntarios"; "Putin's forces" -> "las fuerzas de Archibald".
* "constrained" (neural engines). The target form stays in the source text and is
  passed to the engine as required; restore finds it with a forgiving match, or
  repairs a mangled rendering, or flags the term.

Every term found in a segment ends "kept", "repaired" or "flagged": none is lost silently.
This module needs the glossary records only for types, so `translator.glossary`
can re-export it without an import cycle.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from translator.inline import (  # markers: never touched
    MARKER,
    MARKER_RANGE,
    is_close,
    is_open,
    partner,
)
from translator.languages import base_language

if TYPE_CHECKING:
    from translator.glossary import Glossary, Match, Term

STRATEGIES = ("placeholder", "constrained")

# Stand-ins per (source, target) pair and class: (word sent, word the engine returns).
# Each was checked with lt-proc (a proper noun of that class) and a full translation
# (returned unchanged or as listed); tests/test_protect.py re-checks them with real Apertium.
_EN_ES = {
    "person_m": ["Archibald", "Thaddeus", "Cornelius", "Gideon", "Jeremiah", "Nathaniel",
                 "Percival", "Reginald", "Tobias", "Quentin"],
    "person_f": ["Agatha", "Winifred", "Gwendolyn", "Henrietta", "Imogen", "Lavinia",
                 "Mathilda", "Hortense", "Guinevere", "Clementine"],
    "place_m": ["Togo", "Malawi", "Burundi", "Wyoming", "Delaware", "Vermont", "Tennessee",
                "Wisconsin", "Kentucky", "Yorkshire", "Nepal"],
    "place_f": ["Tasmania", "Melanesia", "Micronesia", "Cantabria", "Extremadura",
                "Mauritania", "Namibia", "Nebraska"],
}  # fmt: skip
# Plural names, for a term whose target form is plural ("los Estados Unidos enviaron"):
# Apertium returns them translated, as listed.
_EN_ES_PLURAL = {
    "place_m_plural": [("Alps", "Alpes"), ("Balkans", "Balcanes"), ("Pyrenees", "Pirineos"),
                       ("Appalachians", "Apalaches")],
    "place_f_plural": [("Philippines", "Filipinas"), ("Maldives", "Maldivas"),
                       ("Bahamas", "Bahamas"), ("Seychelles", "Seychelles"),
                       ("Azores", "Azores"), ("Canaries", "Canarias"), ("Antilles", "Antillas")],
}  # fmt: skip
# French proper nouns carry no gender in fr-es; Apertium translates some of them.
_FR_PLACES = [("Togo", "Togo"), ("Malawi", "Malawi"), ("Burundi", "Burundi"),
              ("Wisconsin", "Wisconsin"), ("Laos", "Laos"), ("Tonga", "Tonga"),
              ("Guyana", "Guyana"), ("Tasmanie", "Tasmania"), ("Micronésie", "Micronesia"),
              ("Cantabrie", "Cantabria"), ("Estrémadure", "Extremadura"),
              ("Mauritanie", "Mauritania"), ("Namibie", "Namibia"),
              ("Zambie", "Zambia")]  # fmt: skip
_FR_PEOPLE = [("Archibald", "Archibald"), ("Léopold", "Léopold"), ("Mathilde", "Mathilde")]
# fr-es drops the article before a place name, and makes "à" "en": an organisation needs
# one that keeps them ("l'OTAN" -> "la OTAN", "au Hamas" -> "al Hamas"), of its gender.
_FR_ORGANISATIONS_M = [("FMI", "FMI"), ("Pentagone", "Pentágono")]
_FR_ORGANISATIONS_F = [("ONU", "ONU"), ("OPEP", "OPEP")]
# An address (web, e-mail, a handle) is no place either: fr-es makes "à" before one "en"
# ("Écrivez à Togo" -> "Escribid en Togo"). A word no dictionary holds keeps the words
# around it as they are ("Escribid a *Xqzv"). Not in en-es, where such a word loses the
# genitive ("Leyó jane.doe mensajes") and the agreement a name gives.
_FR_ADDRESSES = [(w, w) for w in ("Xqzv", "Xqzw", "Xqzk", "Xqzj", "Xqzf", "Xqzp", "Xqzb",
                                  "Xqzd", "Xqzg", "Xqzh")]  # fmt: skip
PLACEHOLDERS: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = {
    ("en", "es"): {**{k: [(w, w) for w in v] for k, v in _EN_ES.items()}, **_EN_ES_PLURAL},
    ("fr", "es"): {
        "person_m": _FR_PEOPLE + _FR_PLACES,
        "person_f": _FR_PEOPLE + _FR_PLACES,
        "place_m": _FR_PLACES,
        "place_f": _FR_PLACES,
        "organisation_m": _FR_ORGANISATIONS_M,
        "organisation_f": _FR_ORGANISATIONS_F,
        "address": _FR_ADDRESSES,
    },
}
# Apertium marks unknown (*), ungeneratable (#) and untranslated (@) words.
_ENGINE_MARK = "[*#@~]?"
# Where a sentence starts, opening marks aside; after a colon, a quotation only
# ("dijo: «Coalición…»", but "dijo: coalición").
_OPENING_MARKS = "\u00a1\u00bf\"\u201c\u00ab\u2018'"  # inverted ! and ?, quotation marks
_SENTENCE_START = re.compile(
    rf"(?:(?:^|[.!?]\s+)[{_OPENING_MARKS}(\[]*|:\s+[{_OPENING_MARKS}]+)\s*$"
)


@dataclass(frozen=True)
class Slot:
    """One occurrence of a term in the source and how it travels through the engine."""

    term: Term
    surface: str  # as found in the source
    target: str  # the required form in the target language
    sent: str  # what stands in the text sent to the engine
    back: str  # what the engine is expected to return for it
    placeholder: bool  # True: `back` is a stand-in to replace; False: `back` is the term


@dataclass(frozen=True)
class Protected:
    """A segment ready for the engine: `text` to send, `required` target forms, slots."""

    text: str
    source: str
    target: str
    strategy: str
    slots: tuple[Slot, ...] = ()

    @property
    def required(self) -> list[str]:
        return list(dict.fromkeys(slot.target for slot in self.slots))


@dataclass(frozen=True)
class Outcome:
    """What happened to one term occurrence: kept, repaired or flagged (for review)."""

    term: Term
    source_text: str
    expected: str
    status: str
    found: str = ""  # what the engine produced where the term should be, if known


@dataclass(frozen=True)
class Restored:
    """The final translation and the outcome of every term found in the source."""

    text: str
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A check of one term of a source text against its translation."""

    term: Term
    source_text: str  # the term as it appears in the source
    expected: tuple[str, ...]  # accepted target forms, the required one first
    found: str  # the matching text, or the closest text in the translation, or ""
    status: str  # "ok" or "missing"
    count: int = 1  # occurrences in the source
    present: int = 0  # occurrences of accepted forms in the translation

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def problem(self) -> str:
        """ "term 'Vladimir Putin' missing: expected 'Vladimir Putin', found 'Vladímir Putin'"."""
        expected = " or ".join(repr(form) for form in self.expected)
        if self.present:  # kept, but not as often as the source has it
            return (
                f"term {self.source_text!r} occurs {self.count} times in the source, "
                f"{expected} only {self.present} in the translation"
            )
        found = f"found {self.found!r}" if self.found else "nothing like it found"
        return f"term {self.source_text!r} missing: expected {expected}, {found}"


# --- protect ---


def protect(glossary: Glossary, text: str, source: str, target: str, strategy: str) -> Protected:
    """Prepare `text` for an engine using `strategy` ("placeholder" or "constrained")."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown term strategy {strategy!r}: expected one of {STRATEGIES}")
    matches = [m for m in glossary.find(text, source) if m.term.form(target) is not None]
    if not matches:
        return Protected(text, source, target, strategy)
    pair = (base_language(source), base_language(target))
    pools = PLACEHOLDERS.get(pair) if strategy == "placeholder" else None
    taken = _words(text)
    # (id(term), after an apostrophe) -> stand-in: one per term per segment, and another
    # for its occurrences after an apostrophe where that matters (see _free_stand_in)
    assigned: dict[tuple[int, bool], tuple[str, str]] = {}
    pieces: list[str] = []
    slots: list[Slot] = []
    position = 0
    for match in matches:
        after_apostrophe = pair[0] == "en" and bool(_AFTER_APOSTROPHE.search(text, 0, match.start))
        slot = _slot(match, target, pools, taken, assigned, after_apostrophe)
        before, after = _tags_around(MARKER.findall(text, match.start, match.end))
        pieces += [text[position : match.start], before, slot.sent, after]
        position = match.end
        if slot.placeholder and match.possessive in ("'", "\u2019"):
            # "the United States' program": a stand-in takes the genitive its own way
            # ("Togo's"), which the engine knows ("el programa de Togo").
            pieces.append(match.possessive + "s")
            position += len(match.possessive)
        slots.append(slot)
    pieces.append(text[position:])
    return Protected("".join(pieces), source, target, strategy, tuple(slots))


def _tags_around(inside: list[str]) -> tuple[str, str]:
    """Where the markers inside a term go, the term being one word to the engine:
    each tag pair then holds the whole term ("the <b>United</b> States"), nested as
    before and never crossing. A pair that opens inside it after another one closed
    there is dropped ("<a>United</a> <a>States</a>": the first link holds the term;
    the second, left empty, counts as markup lost); a <br> or an image inside it goes
    after it."""
    opens = [m for m in inside if is_open(m)]
    closes = [m for m in inside if is_close(m)]
    whole = [m for m in opens if partner(m) in closes]  # both ends inside
    ended = [m for m in closes if partner(m) not in opens]  # opened before the term
    started = [m for m in opens if partner(m) not in closes]  # closed after the term
    solo = [m for m in inside if not is_open(m) and not is_close(m)]
    before = ("" if ended else "".join(started)) + "".join(whole)
    after = "".join(partner(m) for m in reversed(whole)) + "".join(ended)
    after += "".join(solo)
    return before, after


def _slot(
    match: Match,
    target: str,
    pools: dict[str, list[tuple[str, str]]] | None,
    taken: set[str],
    assigned: dict[tuple[int, bool], tuple[str, str]],
    after_apostrophe: bool,
) -> Slot:
    """How one occurrence of a term travels: as a stand-in from `pools`, the one the term
    already has in this segment or a free one, or as its target form."""
    term = match.term
    form = term.form(target) or match.surface
    if match.capitals:
        form = form.upper()
    key = (id(term), after_apostrophe)
    if pools is not None and key not in assigned:
        classes = _placeholder_classes(term, target)
        stand_in = _free_stand_in(pools, classes, taken, after_apostrophe)
        if stand_in is not None:
            assigned[key] = stand_in
            taken.update(w.lower() for w in stand_in)
    if key in assigned:
        sent, back = assigned[key]
        return Slot(term, match.surface, form, sent, back, True)
    # No stand-in (constrained engine, unknown pair, pool exhausted): the target form
    # itself goes to the engine; restore checks and repairs it.
    return Slot(term, match.surface, form, form, form, False)


def _placeholder_classes(term: Term, target: str) -> list[str]:
    """The pools a term's stand-in comes from, the best first: a pair without pools of
    organisations, addresses or plural names has place names, and singular ones."""
    if term.verbatim:  # an address
        return ["address", "place_m"]
    gender = term.gender_in(target) or "m"
    # People need first-name stand-ins ("Presidente Archibald"); places need place
    # names ("reunión de Togo", not "Togo reunión"), and so do organisations where a
    # pair has none of their own.
    kind = "person" if term.type == "person" else "place"
    classes = [f"{kind}_{gender}"]
    if term.type == "organisation":
        classes.insert(0, f"organisation_{gender}")
    if term.number_in(target) == "plural":  # a family ("the Kennedys") too: as places
        classes.insert(0, f"place_{gender}_plural")
    return classes


def _free_stand_in(
    pools: dict[str, list[tuple[str, str]]],
    kinds: list[str],
    taken: set[str],
    after_apostrophe: bool,
) -> tuple[str, str] | None:
    """A stand-in of the first of `kinds` that has one no word of the text may turn into:
    one holding it ("Togo" is not free in a text saying "Togolese": its translation
    would hold "Togo" too), or sharing its stem ("Canary Islands" comes back as "Islas
    Canarias", the name Apertium returns for "Canaries"). After an apostrophe in English
    (a term in 'quotes'), none the engine would read as a contraction: "'Malawi'" comes
    back as "soy alawi'", its "'M" taken for the "'m" of "I'm"."""
    for kind in kinds:
        for sent, back in pools.get(kind, []):
            names = (sent.lower(), back.lower())
            if after_apostrophe and _CONTRACTION.match(sent):
                continue
            if not any(_may_turn_into(word, name) for name in names for word in taken):
                return sent, back
    return None


# A term right after an apostrophe, inline tags between them or not.
_AFTER_APOSTROPHE = re.compile(f"['\\u2019][{MARKER_RANGE}]*$")
# How English contractions start after their apostrophe: 'm, 's, 're, 've, 'll.
_CONTRACTION = re.compile("(?i:m|s|re|ve|ll)")


def _may_turn_into(word: str, name: str) -> bool:
    """Whether a word of the text (lowercase) may come out of the engine as a stand-in's
    `name`, or holding it: it holds the name, or begins as it does for five letters,
    which a stem of an English or French proper name fills ("Canar-y", "Philippin-e";
    "Alp-ine" comes out "alpino", not "Alpes")."""
    return name in word or (len(word) >= 5 and word[:5] == name[:5])


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


# --- restore ---


def restore(protected: Protected, translated: str) -> Restored:
    """Put the target forms into the engine's output and account for every term."""
    output = _Output(translated)
    outcomes = [_restore_slot(slot, output) for slot in protected.slots]
    # A stand-in still there once each slot took its own came from a word of the text
    # too (see _free_stand_in): which one stood for the term is unsure, so it is flagged.
    left = {s.back for s in protected.slots if s.placeholder and _still_there(s.back, output)}
    outcomes = [
        replace(outcome, status="flagged") if slot.placeholder and slot.back in left else outcome
        for slot, outcome in zip(protected.slots, outcomes, strict=True)
    ]
    return Restored(output.text, tuple(outcomes))


def _still_there(stand_in: str, output: _Output) -> bool:
    """Whether the output holds a stand-in no slot took."""
    return any(output.find(pattern) for pattern in _stand_in_patterns(stand_in))


class _Output:
    """The translation being restored, with the spans already accounted for.

    Two occurrences of a term in a segment need two in the translation, so a span
    that matched once is claimed and not matched again.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.claimed: list[tuple[int, int]] = []

    def free(self, span: tuple[int, int]) -> bool:
        return not any(span[0] < e and s < span[1] for s, e in self.claimed)

    def find(self, pattern: re.Pattern[str], folded: bool = False) -> tuple[int, int] | None:
        for found in pattern.finditer(_fold(self.text) if folded else self.text):
            if self.free(found.span()):
                return found.span()
        return None

    def replace(self, span: tuple[int, int], new: str) -> None:
        start, end = span
        shift = len(new) - (end - start)
        self.text = self.text[:start] + new + self.text[end:]
        self.claimed = [(s + shift, e + shift) if s >= end else (s, e) for s, e in self.claimed]
        self.claimed.append((start, start + len(new)))


def _restore_slot(slot: Slot, output: _Output) -> Outcome:
    def outcome(status: str, found: str = "") -> Outcome:
        return Outcome(slot.term, slot.surface, slot.target, status, found)

    if slot.placeholder:
        alone, glued = _stand_in_patterns(slot.back)
        span = output.find(alone) or output.find(glued)
        if span is None:
            return outcome("flagged")
        found = output.text[span[0] : span[1]]
        text = output.text
        before = " " if span[0] > 0 and text[span[0] - 1].isalnum() else ""
        after = " " if span[1] < len(text) and text[span[1]].isalnum() else ""
        output.replace(span, before + _cased(slot, text, span[0]) + after)
        return outcome("kept", found)
    # The target form was sent as is: find it exactly, then forgivingly, then guess.
    span = output.find(_exact_pattern(slot.target, slot.term))
    if span is not None:
        output.claimed.append(span)
        return outcome("kept", output.text[span[0] : span[1]])
    for finder in (_forgiving, _source_form, _closest):
        span = finder(slot, output)
        if span is not None:
            found = output.text[span[0] : span[1]]
            output.replace(span, _cased(slot, output.text, span[0]))
            return outcome("repaired", found)
    return outcome("flagged")


def _stand_in_patterns(stand_in: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A stand-in in Apertium's output: a word of its own in any case; else glued as
    written to a word Apertium ran into it ("the 10km Kyiv marathon" -> "el 10Togo de
    km maratón", "the Moscow-led bloc" -> "el bloque dirigidoenTogo"), so that no
    stand-in is ever published; it is set apart again when replaced. No word of the
    source holds the stand-in (see `_free_stand_in`), so a glued one is Apertium's."""
    name = re.escape(stand_in)
    alone = re.compile(rf"{_ENGINE_MARK}(?<!\w)(?i:{name})(?!\w)")
    glued = re.compile(rf"{_ENGINE_MARK}(?:(?<=[^\W_]){name}|{name}(?=[^\W\d_]))")
    return alone, glued


def _exact_pattern(form: str, term: Term) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(w) for w in form.split())
    flags = 0 if term.case_sensitive else re.I
    first = form[:1]
    # A sentence-initial capital of a lowercase form is still the form; not of an address.
    if first.islower() and not term.verbatim:
        body = f"[{re.escape(first)}{re.escape(first.upper())}]{body[len(re.escape(first)) :]}"
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def _fold(text: str) -> str:
    """Lowercase without accents, one character for one, so spans map back to `text`."""
    return "".join((unicodedata.normalize("NFD", c)[:1] or c).lower() for c in text)


def _forgiving(slot: Slot, output: _Output) -> tuple[int, int] | None:
    # Neural decoders split, join or re-accent words: "Jean - Noël", "OTAN_", "Bruselas".
    words = [re.escape(_fold(w)) for w in re.split(r"[\s_\-]+", slot.target) if w]
    pattern = re.compile(r"(?<!\w)" + r"[\s_\-]*".join(words) + r"(?!\w)")
    return output.find(pattern, folded=True)


def _source_form(slot: Slot, output: _Output) -> tuple[int, int] | None:
    # The engine put the source form back ("Brussels" for "Bruselas").
    if _fold(slot.surface) == _fold(slot.target):
        return None
    body = r"\s+".join(re.escape(w) for w in _fold(slot.surface).split())
    return output.find(re.compile(rf"(?<!\w){body}(?!\w)"), folded=True)


def _closest(slot: Slot, output: _Output) -> tuple[int, int] | None:
    """A mangled rendering: the word run most like the target form, if close enough."""
    return _nearest(slot.target, output)


def _nearest(form: str, output: _Output) -> tuple[int, int] | None:
    """The run of words of `output` most like `form`, if close enough, and not taken."""
    import difflib  # only for a term to repair, or a lost one to show

    text = output.text
    want = _fold(form)
    size = len(form.split())
    tokens = list(re.finditer("[^\\W\\d]+(?:['\u2019\\-][^\\W\\d]+)*", text))
    best: tuple[float, int, int] | None = None
    for length in sorted({max(1, size - 1), size, size + 1}):
        for i in range(len(tokens) - length + 1):
            start, end = tokens[i].start(), tokens[i + length - 1].end()
            if MARKER.search(text, start, end) or not output.free((start, end)):
                continue
            score = difflib.SequenceMatcher(None, want, _fold(text[start:end])).ratio()
            if score >= 0.75 and (best is None or score > best[0]):
                best = (score, start, end)
    return None if best is None else (best[1], best[2])


def _cased(slot: Slot, text: str, start: int) -> str:
    """The slot's target form, capitalised when it starts a sentence of `text` and is
    written lowercase (but an address as written: "jane.doe@bbc.co.uk")."""
    form = slot.target
    if form[:1].islower() and not slot.term.verbatim and _SENTENCE_START.search(text[:start]):
        return form[:1].upper() + form[1:]
    return form


# --- verify ---


def verify(
    glossary: Glossary, source_text: str, translated_text: str, source: str, target: str
) -> list[Finding]:
    """Check every glossary term of `source_text` against `translated_text`.

    Returns one Finding per distinct term found in the source (status "ok" or
    "missing"), in source order; a term occurring n times needs n occurrences of
    its accepted forms. Terms with no form for `target` are not checked.
    """
    counts: dict[int, tuple[Match, int]] = {}
    for match in glossary.find(source_text, source):
        if match.term.form(target) is None:
            continue
        first, n = counts.get(id(match.term), (match, 0))
        counts[id(match.term)] = (first, n + 1)
    # As Glossary.find reads the source, the longest form wins: the "Putin" of a
    # "Vladimir Putin" that survived is not the lone "Putin" the source also had.
    spans_of: dict[int, list[tuple[int, int]]] = {}
    taken: list[tuple[int, int]] = []
    by_length = sorted(counts.values(), key=lambda m: -max(map(len, m[0].term.accepted(target))))
    for match, _ in by_length:
        found_spans = _occurrences(match.term, _expected(match, target), translated_text)
        spans_of[id(match.term)] = [s for s in found_spans if not _overlaps(s, taken)]
        taken += spans_of[id(match.term)]
    findings: list[Finding] = []
    for match, n in counts.values():
        expected = _expected(match, target)
        spans = spans_of[id(match.term)]
        if len(spans) >= n:
            found = translated_text[spans[0][0] : spans[0][1]]
            findings.append(
                Finding(match.term, match.surface, expected, found, "ok", n, len(spans))
            )
        else:
            near = _nearest(expected[0], _Output(translated_text)) if not spans else spans[0]
            found = translated_text[near[0] : near[1]] if near else ""
            findings.append(
                Finding(match.term, match.surface, expected, found, "missing", n, len(spans))
            )
    return findings


def _expected(match: Match, target: str) -> tuple[str, ...]:
    """The forms that count as the term in a translation: in capitals too where the
    source wrote it so ("TRUMP MEETS PUTIN IN LONDON": "LONDRES")."""
    accepted = match.term.accepted(target)
    if not match.capitals:
        return accepted
    return tuple(dict.fromkeys([*accepted, *(form.upper() for form in accepted)]))


def _occurrences(term: Term, forms: Sequence[str], text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for form in forms:
        for found in _exact_pattern(form, term).finditer(text):
            if not _overlaps(found.span(), spans):
                spans.append(found.span())
    return sorted(spans)


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


__all__ = [
    "PLACEHOLDERS",
    "STRATEGIES",
    "Finding",
    "Outcome",
    "Protected",
    "Restored",
    "Slot",
    "protect",
    "restore",
    "verify",
]
