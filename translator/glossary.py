"""Glossaries of protected terms: the records, loading and merging, and matching.

A term is one concept (a person, a place, an organisation) with its form per
language. A term written in one language only is kept as written in every
language ("Vladimir Putin"). Protection during translation and verification of
a translation live in `translator.terms`; they are re-exported here so callers
need one import.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from translator.inline import MARKER_RANGE, strip_markers
from translator.languages import base_language, normalise_language
from translator.model import TranslatorError
from translator.terms import Finding, Outcome, Protected, Restored, protect, restore, verify

TERM_TYPES = ("person", "place", "organisation")
# The grammar of a term's target forms, per language, with the values each takes: it
# picks the stand-in Apertium sees, so that the sentence agrees with the term
# ("los Estados Unidos enviaron", not "el Estados Unidos envió").
GRAMMAR = {"gender": ("m", "f"), "number": ("singular", "plural")}
OPTION_KEYS = ("type", "note", "case_sensitive", "whole_word", "variants", *GRAMMAR)
# A possessive after a term ("Putin's", "Putin\u2019s", "Reuters'") belongs to the sentence,
# not to the term: the term is matched without it and the engine translates the genitive.
POSSESSIVE = re.compile("['\u2019]s?(?!\\w)")
_BETWEEN_WORDS = rf"[{MARKER_RANGE}]*\s+[{MARKER_RANGE}]*"
# Text no engine may translate, protected in every article as a term kept as written,
# glossary or not: web addresses ("https://www.gov.example/news/budget-plan" came back
# as "gov.Ejemplo/presupuesto/noticioso-planear"), e-mail addresses, and social media
# handles and hashtags ("@home_office" came back as "@oficina_de casa"). A web address
# ends before a quotation mark; see _address_end for what may end one.
_URL_CHARS = rf"[^\s<>\"'\[\]\u2018-\u201f\u00ab\u00bb{MARKER_RANGE}]"
ADDRESS = re.compile(
    rf"(?<![\w@/.])(?:https?://|www\.){_URL_CHARS}+"
    # A bare domain counts with a path only: "gov.example/news", not "Node.js".
    rf"|(?<![\w@/.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{{2,}}/{_URL_CHARS}*"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w@-])"
    # A handle, a fediverse one with its server ("@jane@mastodon.social"); a hashtag,
    # a letter first ("#1", "C#", "&#233;" are none) and no code of one or two letters
    # and a number ("Gate #A4", "Flight #BA123") nor "#N/A": those translate as words.
    r"|(?<![\w@])@\w+(?:@[\w-]+(?:\.[\w-]+)+)?(?![\w@]|[.-]\w)"
    r"|(?<![\w#&])#(?![^\W\d_]{1,2}\d+(?!\w))[^\W\d_]\w*(?![\w/])",
    re.IGNORECASE,
)
# What ends a sentence after an address is no part of it.
_TRAILING = ".,;:!?"
# What every address holds: most texts have none, and are passed over at once.
_ADDRESS_HINT = re.compile(r"[@#]|://|www\.|\.[a-z]{2,}/", re.IGNORECASE)


class GlossaryError(TranslatorError):
    """A glossary file cannot be used: names the file, the line and the problem."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Term:
    """One protected concept and its forms per language.

    `forms` maps a language code to the required form. With a single entry the
    form is used in every language. `variants` are other accepted surface forms
    per language: in a source text they are matched too ("Kiev" for "Kyiv"), in
    a translation they count as correct ("Putina" in a Slavic target).
    """

    forms: Mapping[str, str]  # keys are normalised codes (see normalise_language)
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    type: str | None = None  # person, place, organisation
    note: str = ""
    case_sensitive: bool = True
    whole_word: bool = True
    gender: Mapping[str, str] = field(default_factory=dict)  # lang -> "m"/"f" of the form
    number: Mapping[str, str] = field(default_factory=dict)  # lang -> "singular"/"plural"
    origin: str = ""  # "file:line" where the term was defined
    # Byte for byte, never capitalised at a sentence's start: an address, not a glossary's.
    verbatim: bool = False

    def form(self, language: str) -> str | None:
        """The required form in `language`, or None when the term says nothing about it."""
        code = self._serving(language)
        return None if code is None else self.forms[code]

    def _serving(self, language: str) -> str | None:
        """The language of the form that serves `language`: its own, its base language's,
        the only form of a keep-as-written term. A glossary (a TBX export) may give
        only regional forms, en-US, es-ES: the one form of the language serves it; of
        several, none is the one to pick."""
        language = normalise_language(language)
        base = base_language(language)
        for code in (language, base):
            if code in self.forms:
                return code
        if len(self.forms) == 1:
            return next(iter(self.forms))
        regional = [code for code in self.forms if base_language(code) == base]
        return regional[0] if len(regional) == 1 else None

    def accepted(self, language: str) -> tuple[str, ...]:
        """Every surface form that counts as this term in `language`, the required form first."""
        form = self.form(language)
        if form is None:
            return ()
        language = normalise_language(language)
        extra = self.variants.get(language, ()) or self.variants.get(base_language(language), ())
        if len(self.forms) == 1:  # a keep-as-written term: its variants hold everywhere
            extra = tuple(v for vs in self.variants.values() for v in vs)
        return tuple(dict.fromkeys((form, *extra)))

    def gender_in(self, language: str) -> str | None:
        return self.grammar_in("gender", language)

    def number_in(self, language: str) -> str | None:
        return self.grammar_in("number", language)

    def grammar_in(self, name: str, language: str) -> str | None:
        """The term's gender or number (`name`) in `language`: as given for it, for its base
        language, for the form that serves it (es-ES's serves es; a keep-as-written
        term's serves every language), or for the forms of every language ("*")."""
        values: Mapping[str, str] = getattr(self, name)
        language = normalise_language(language)
        for code in (language, base_language(language), self._serving(language), "*"):
            if code is not None and code in values:
                return values[code]
        return None

    def canonical(self) -> dict[str, Any]:
        """The term's content as plain data, independent of where it was defined."""
        return {
            "forms": dict(sorted(self.forms.items())),
            "variants": {k: list(v) for k, v in sorted(self.variants.items())},
            "type": self.type,
            "note": self.note,
            "case_sensitive": self.case_sensitive,
            "whole_word": self.whole_word,
            "gender": dict(sorted(self.gender.items())),
            "number": dict(sorted(self.number.items())),
        }

    def __str__(self) -> str:
        return next(iter(self.forms.values()))


@dataclass(frozen=True)
class Match:
    """A term found in a text: `text[start:end]` is where, possessive excluded; `surface`
    is the term as written there, without the inline tags it may hold."""

    term: Term
    start: int
    end: int
    surface: str
    possessive: str = ""  # the "'s" that followed, if any
    # Written in capitals where the term is not ("TRUMP MEETS PUTIN"): a headline's or a
    # wire slug's case, which its translation keeps ("LONDRES").
    capitals: bool = False


@dataclass(frozen=True)
class Glossary:
    """The terms of one or more glossary files."""

    terms: tuple[Term, ...] = ()

    @cached_property
    def checksum(self) -> str:
        """Stable hash of the normalized content: same terms, same checksum, any file order."""
        items = sorted(json.dumps(t.canonical(), sort_keys=True) for t in self.terms)
        return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, text: str, language: str) -> list[Match]:
        """The terms in `text` (a text in `language`), left to right, without overlaps.

        Where candidates overlap the longest wins ("Vladimir Putin" over "Putin").
        """
        candidates: list[Match] = []
        for term, pattern, capitals in self._patterns(language):
            for found in pattern.finditer(text):
                written = strip_markers(found.group())
                after = POSSESSIVE.match(text, found.end())
                # "Reuters'" is a possessive; a closing quote after other words is not,
                # nor one closing a quotation the term ends ("'a good day for Brussels'").
                bare = after is not None and after.group() in ("'", "\u2019")
                if bare and (not found.group().endswith("s") or _quoted(text, found.start())):
                    after = None
                candidates.append(
                    Match(
                        term,
                        found.start(),
                        found.end(),
                        written,
                        after.group() if after else "",
                        capitals or _in_a_headline(term, written, text),
                    )
                )
        candidates += _addresses(text)
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        chosen: list[Match] = []
        for match in candidates:
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def _patterns(self, language: str) -> list[tuple[Term, re.Pattern[str], bool]]:
        """Each accepted form's pattern, and its capitals' (see Match.capitals) for a term
        matched case by case: "TRUMP" is "Trump" as a headline in capitals writes it."""
        cache: dict[str, list[tuple[Term, re.Pattern[str], bool]]]
        cache = self.__dict__.setdefault("_pattern_cache", {})
        if language not in cache:
            cache[language] = [
                (term, _pattern(written, term), capitals)
                for term in self.terms
                for surface in term.accepted(language)
                for written, capitals in _as_written(surface, term)
            ]
        return cache[language]


def _quoted(text: str, at: int) -> bool:
    """Whether a single quotation opened before `at` is still open there: a "\u2018" not
    closed, or a "'" starting a word (an apostrophe inside one, "don't", is neither)."""
    before = text[:at]
    if before.count("\u2018") > before.count("\u2019"):
        return True
    # The text at `at` counts: a quotation opened just before it starts a word there.
    opened = len(_OPENING_QUOTE.findall(text[: at + 1]))
    closed = len(_CLOSING_QUOTE.findall(before))
    return opened > closed


_OPENING_QUOTE = re.compile(r"(?:^|(?<=[\s(\[]))'(?=\S)")
# An "s'" before a space may be a possessive ("Paris' museums"): not counted as closing
# a quotation, lest a quoted term after it be taken for one (which would send the
# engine "Togo's" for "'Brussels'", read as "is"); taking a possessive for a quotation
# costs less ("museos París" for "museos de París").
_CLOSING_QUOTE = re.compile(r"(?<=\S)(?<![sS])'(?=[\s.,;:!?)\]]|$)|(?<=[sS])'(?=[.,;:!?)\]]|$)")


def _addresses(text: str) -> list[Match]:
    """The web and e-mail addresses of `text`, each a term kept as written (see ADDRESS);
    one Term per address, so it gets one stand-in however often it occurs."""
    if not _ADDRESS_HINT.search(text):
        return []
    terms: dict[str, Term] = {}
    found = []
    for address in ADDRESS.finditer(text):
        surface = address.group()[: _address_end(address.group())]
        if surface.lower() in ("www.", "http://", "https://"):
            continue
        if surface[0] in "#@":  # with the vowel signs \w leaves out ("#भारत", "@नमस्ते")
            end = address.start() + len(surface)
            while end < len(text) and (text[end] == "_" or _in_word(text[end])):
                end += 1
            surface = text[address.start() : end]
        term = terms.setdefault(surface, Term({"und": surface}, note="an address", verbatim=True))
        found.append(Match(term, address.start(), address.start() + len(surface), surface))
    return found


def _in_word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _address_end(address: str) -> int:
    """Where a web address ends: before the punctuation that ends the sentence, and
    before a ")" closing none of its own "(" (as GitHub's autolinker reads them:
    "(see https://x.org/a_(b))")."""
    end = len(address)
    while end and (
        address[end - 1] in _TRAILING
        or (address[end - 1] == ")" and address.count("(", 0, end) < address.count(")", 0, end))
    ):
        end -= 1
    return end


def _as_written(surface: str, term: Term) -> list[tuple[str, bool]]:
    """A form as a text may write it: as it is, and in capitals when that differs and
    case matters (an address is written as it is; a term matched in any case, see
    `_in_a_headline`)."""
    capitals = surface.upper()
    if capitals == surface or not term.case_sensitive or term.verbatim:
        return [(surface, False)]
    return [(surface, False), (capitals, True)]


def _in_a_headline(term: Term, written: str, text: str) -> bool:
    """Whether a term matched in any case is in capitals as a headline's words are: the
    whole text is ("THE COALITION OF THE WILLING"), not only the term (an acronym in
    running text, "ISIS claimed", keeps the glossary's form)."""
    return not term.case_sensitive and not term.verbatim and written.isupper() and text.isupper()


def _pattern(surface: str, term: Term) -> re.Pattern[str]:
    # Any run of whitespace in the text matches a space of the term (line breaks in HTML),
    # and inline tags beside it too ("the <b>United</b> States").
    body = _BETWEEN_WORDS.join(re.escape(word) for word in surface.split())
    if term.whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, 0 if term.case_sensitive else re.IGNORECASE)


# --- loading ---


def load_glossaries(paths: Iterable[str | Path]) -> Glossary:
    """Load and merge glossary files (.yml/.yaml, .tbx, .csv); raises GlossaryError."""
    terms: list[Term] = []
    for path in paths:
        from translator.glossary_files import load_file  # the file parsers, only when needed

        terms.extend(load_file(Path(path)))
    _check_conflicts(terms)
    unique = {json.dumps(t.canonical(), sort_keys=True): t for t in terms}
    return Glossary(tuple(_grammar_first(unique.values())))


def _check_conflicts(terms: Sequence[Term]) -> None:
    """Two terms with the same source form but different required forms cannot both hold;
    nor can two of another gender or number in a language of their forms (which one
    protects a text would depend on the order of the glossaries)."""
    seen: dict[tuple[str, str], Term] = {}
    for term in terms:
        for language, form in term.forms.items():
            key = (language, form if term.case_sensitive else form.lower())
            other = seen.setdefault(key, term)
            if other is term:
                continue
            if differs := _differs(other, term):
                path, _, line = term.origin.rpartition(":")
                raise GlossaryError(
                    path,
                    int(line) if line.isdigit() else None,
                    f"term {form!r} ({language}) is defined with {differs} at {other.origin}: "
                    "keep one definition",
                )


def _differs(one: Term, other: Term) -> str:
    """What makes two definitions of a term incompatible, if anything: their forms, or a
    gender or number both give, and give otherwise, in a language of their forms (one
    saying none leaves it to the other: see `_grammar_first`)."""
    if dict(one.forms) != dict(other.forms):
        return "other forms"
    for name in GRAMMAR:
        for language in one.forms:
            values = {one.grammar_in(name, language), other.grammar_in(name, language)}
            if None not in values and len(values) > 1:
                return f"another {name}"
    return ""


def _grammar_first(terms: Iterable[Term]) -> list[Term]:
    """The terms with a gender or number before the others, in order otherwise: where two
    definitions of a term match the same words, the one saying more protects them,
    whatever the order of the glossaries."""
    return sorted(terms, key=lambda term: not (term.gender or term.number))


__all__ = [
    "Finding",
    "Glossary",
    "GlossaryError",
    "Match",
    "Outcome",
    "Protected",
    "Restored",
    "Term",
    "load_glossaries",
    "protect",
    "restore",
    "verify",
]
