"""Putting an article's translation together from its translated segments.

Article text comes from the engine, sentence by sentence; UI strings come from
the gettext catalog (a translator's reviewed msgstr, else the fuzzy machine one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from translator.catalog import Rendered, UiString
from translator.inline import catalog_text, from_placeholders, lost_pairs
from translator.model import Document, Kind, Unit
from translator.segment import split_sentences
from translator.translate import TermCounts, Translated

RenderMap = Mapping[UiString, Rendered]


@dataclass(frozen=True)
class Aligned:
    """A sentence (or UI string) and its translation, side by side on the bilingual page."""

    source: str
    target: str
    failed: bool = False  # the engine gave nothing: the source text stands in
    reviewed: bool = True  # for UI strings: reviewed in the catalog, or machine (fuzzy)
    flagged_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """One unit of the article with its sentences aligned: a row of the bilingual page."""

    unit: Unit
    pairs: tuple[Aligned, ...]
    markup_lost: int = 0  # tag pairs its translation lacks (see inline.lost_pairs)


@dataclass
class Assembled:
    """An article's translation put together, with what the report counts of it."""

    translations: list[str] = field(default_factory=list)  # one per document unit
    rows: list[Row] = field(default_factory=list)
    segments: int = 0
    ui_strings: int = 0
    unreviewed_ui: int = 0
    failed: int = 0
    markup_lost: int = 0  # tag pairs the engine dropped (see inline.lost_pairs)
    markup_lost_lines: list[int] = field(default_factory=list)  # of the units that lost some
    terms: TermCounts = field(default_factory=TermCounts)


def assemble(
    document: Document,
    language: str,
    segments: Mapping[str, Translated],
    catalog: RenderMap,
) -> Assembled:
    result = Assembled()
    for unit in document.units:
        if unit.kind is Kind.UI:
            pairs = [_ui_pair(unit, segments, catalog, result)]
        else:
            pairs = _text_pairs(unit, language, segments, result)
        translation = "".join(pair.target for pair in pairs)
        lost = lost_pairs(unit.text, translation)
        if lost:
            result.markup_lost += lost
            if unit.line is not None:
                result.markup_lost_lines.append(unit.line)
        result.rows.append(Row(unit, tuple(pairs), lost))
        result.translations.append(translation)
    return result


def _ui_pair(
    unit: Unit, segments: Mapping[str, Translated], catalog: RenderMap, result: Assembled
) -> Aligned:
    result.ui_strings += 1
    msgid = catalog_text(unit.text)  # as the catalog shows it (<g1>Share</g1>)
    found = catalog.get(UiString(msgid, unit.role)) or next(
        (rendered for key, rendered in catalog.items() if key.msgid == msgid), None
    )
    if found is not None:
        msgstr, reviewed = from_placeholders(found.text, unit.text), found.reviewed
    else:  # not in the catalog (no engine output): fall back to the segment itself
        machine = segments.get(unit.text)
        msgstr, reviewed = (machine.text if machine else None) or unit.text, False
    if not reviewed:
        result.unreviewed_ui += 1
    return Aligned(unit.text, msgstr, reviewed=reviewed)


def _text_pairs(
    unit: Unit, language: str, segments: Mapping[str, Translated], result: Assembled
) -> list[Aligned]:
    pairs = []
    for sentence in split_sentences(unit.text, language):
        result.segments += 1
        translated = segments.get(sentence.text)
        if translated is None or translated.text is None:
            result.failed += 1
            pairs.append(Aligned(sentence.text, sentence.text + sentence.trailing, failed=True))
            continue
        result.terms.add(translated.terms)
        target = translated.text + sentence.trailing
        pairs.append(Aligned(sentence.text, target, flagged_terms=translated.flagged_terms))
    return pairs
