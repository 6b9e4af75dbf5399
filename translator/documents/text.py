"""Plain text as scraped from a news page (see samples/seed.txt).

A scraped page keeps the site's chrome as lines of its own: a section label
("World") above the headline, "Share" buttons, a "Related Articles" heading,
then teasers (section label, title, summary cut off with "..."). But a real
headline ("Earthquake Hits Myanmar"), a byline ("By Jane Smith") or a dateline
("WASHINGTON (AP)") is a short line too, so shortness alone decides nothing.
The rules:

- Blocks are separated by blank lines. A block whose every line is label-like
  (`segment.is_label_like`) gives one unit per line ("Share\\nRelated Articles",
  "By Jane Smith\\nWASHINGTON (AP)"). In a list (a line starting with a list
  marker: "- ", "* ", "• ", "· ", an en dash, "1. ", "2) ") a marked line starts a
  unit of its own and the other lines are joined by spaces to the item above
  them. The marker stays in the skeleton, as indentation does: the engine has
  nothing to translate in it.
- Any other block is prose, as a scraper or a person broke it into lines: a
  line goes on with the paragraph above it (hard wrapping) unless it starts anew
  (`_starts_paragraph`): not in lowercase, and after a line that ends a sentence
  (one sentence a line), that is wider than anyone wraps text (a page's
  paragraph on a line of its own), or that left room for its first word (no
  wrapping broke there, the page did: "World" above its headline).
- A line is UI when the site says so: it is in the site's UI list
  (`--ui-strings`, role "ui string"), or its wording is a known UI wording
  ("Share", "Related Articles": `_BUTTON_LABELS`, `_HEADING_LABELS`).
- A label-like line is also UI where the seed article has its section labels:
  directly above a headline, the article's (before any article text) or a
  teaser's (after a UI heading), that is followed by a line shaped like a
  headline (neither label-like nor ending as a sentence does); or when it
  recurs in the article (the seed's "World" above each teaser). Labels that
  recur across the batch are promoted later (`ui_strings.repeated_labels`).
- UI roles by wording: "button" (Share, Read more...), "heading" (Related
  Articles...), otherwise "section label".
- The first article-text unit is the "headline", the following ones "body".
- After a UI heading, units are teasers: a paragraph ending in an ellipsis is
  a "teaser" (a cut summary); any other one is a "teaser headline".

Rendering gives back the source with each unit's text replaced; everything else
(blank lines, indentation, CRLF or LF) is kept byte-for-byte. A hard-wrapped
paragraph whose translation differs is written on one line: its wrapping cannot
be mapped onto another language's words.

A translation is read back (by `check`) with its source's layout, not judged
again: "Latest business headlines" is a label, its translation "Titulares
empresariales más tardíos" would not be, and the two would no longer line up.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translator import inline
from translator.documents import ReadOptions, skeleton_of
from translator.model import Document, Kind, Unit
from translator.segment import (
    SENTENCE_END,
    TRAILING_CLOSERS,
    apply_ui_strings,
    ends_sentence,
    is_label_like,
    ui_key,
)

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_WORD_HYPHEN_RE = re.compile(r"[^\W\d_]-$")  # "re-", not "10 -" nor "-"
# A list item's marker at the start of a line, with the blanks after it: a bullet, or
# a number of up to three digits ("2024." starting a wrapped line is a year, not an item).
_LIST_MARKER_RE = re.compile(
    # Hyphen, asterisk, plus, bullets, middle dot, en dash, white, square and round
    # bullets, hyphen bullet, and Word's symbol bullet (a Private Use character).
    r"(?:[-*+\u2022\u00b7\u2013\u25e6\u25aa\u25ab\u25a0\u25a1\u25cf\u2023\u2043\uf0b7]"
    r"|\d{1,3}[.)])[^\S\r\n]+(?=\S)"
)

# UI wording that names a role, lowercased; anything else label-like is a section label.
_BUTTON_LABELS = frozenset(
    {
        "share",
        "read more",
        "subscribe",
        "sign in",
        "sign up",
        "log in",
        "log out",
        "login",
        "register",
        "comment",
        "comments",
        "print",
        "email",
        "e-mail",
        "follow",
        "tweet",
        "next",
        "previous",
        "more",
        "load more",
        "show more",
        "see more",
        "see all",
        "view all",
        "back to top",
        "menu",
        "search",
        "close",
        "copy link",
        "save",
        "listen",
        "watch",
        "play",
        "continue reading",
    }
)
_HEADING_LABELS = frozenset(
    {
        "related articles",
        "related",
        "related stories",
        "related news",
        "more stories",
        "more news",
        "most read",
        "most popular",
        "recommended",
        "latest news",
        "top stories",
        "you may also like",
        "read also",
        "see also",
        "trending",
        "more on this story",
        "also read",
    }
)
_ELLIPSES = ("...", "…")
# How a paragraph's last sentence ends, and a headline does not ("?" and "!" end both).
_PARAGRAPH_END = SENTENCE_END.replace("!", "").replace("?", "")
# A label-like line standing alone this often in one article is the site's chrome.
RECURRING_LABEL_MIN = 2
# Characters: nobody hard-wraps text wider than this, so a line this long is one the
# page broke after (each paragraph on a line of its own, as scraped).
WRAP_WIDTH_MAX = 100
# A line shorter than this share of its block's widest, by the next line's first word,
# was broken by the page: even balanced wrapping (fmt) fills lines closer than that.
ROOM = 0.75
# A label-like line this short beside its block is one even in narrow wrapping (fmt -w 40
# ends lines of three words): "Related Articles" above a teaser's title.
LABEL_ROOM = 0.6


@dataclass(frozen=True)
class _Slot:
    """Where a unit sits in the source (slots are in unit order): `source[start:end]`
    is its original text."""

    start: int
    end: int


@dataclass
class TextSkeleton:
    """The file's text and where each unit sits in it, to write the translation back."""

    source: str
    slots: list[_Slot]
    # Per block, how many lines each of its units spans: judged on the source's words
    # once, so that its translation is read back with the same layout.
    layout: list[tuple[int, ...]]


# (start, end, line number) of a line's stripped content
_Line = tuple[int, int, int]
_Unit = list[_Line]  # the lines of a unit: one, or several joined (hard wrapping)


class TextFormat:
    name = "txt"

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        blocks = _blocks(text)
        document = _document(text, path, [_units_of_block(text, lines) for lines in blocks])
        # The site's list first: a listed line is UI wherever it stands.
        document = apply_ui_strings(document, options.ui_strings)
        document.units = _classify(document.units)
        return document

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        skeleton = skeleton_of(document, TextSkeleton, translations)
        parts: list[str] = []
        position = 0
        for unit, slot, translation in zip(
            document.units, skeleton.slots, translations, strict=True
        ):
            parts.append(skeleton.source[position : slot.start])
            original = skeleton.source[slot.start : slot.end]
            # An unchanged unit keeps its original bytes, hard wrapping included.
            if translation == unit.text:
                parts.append(original)
            else:
                parts.append(inline.keep_private_use(unit.text, translation))
            position = slot.end
        parts.append(skeleton.source[position:])
        return "".join(parts)


def parse_translation(text: str, path: Path, source: Document) -> Document:
    """The translation `text` of `source`, split into units as the source was.

    Only the words are replaced in a translation, so its blocks and lines, and the
    list markers kept byte-for-byte, are the source's, except that a unit translated
    is written on one line. So a block's units are the source's, never judged on
    translated words (see `_as_laid_out`). A translation whose blocks no longer match
    (an editor added a paragraph, or broke a line) is judged as a source would be, so
    the unit counts show how far apart the two are. The units' kinds and roles are
    left alone: they are the source's to tell.
    """
    skeleton = source.skeleton
    if not isinstance(skeleton, TextSkeleton):
        raise TypeError(f"{source.path}: not a document read with a TextSkeleton")
    blocks = _blocks(text)
    source_blocks = _blocks(skeleton.source)
    if len(blocks) != len(source_blocks):
        return _document(text, path, [_units_of_block(text, lines) for lines in blocks])
    grouped = [
        _as_laid_out(text, lines, _unit_lines(skeleton.source, source_lines, spans))
        or _units_of_block(text, lines)
        for lines, source_lines, spans in zip(blocks, source_blocks, skeleton.layout, strict=True)
    ]
    return _document(text, path, grouped)


def _unit_lines(source: str, lines: list[_Line], spans: tuple[int, ...]) -> list[tuple[str, ...]]:
    """The text of each line of a source block's units (`spans`: lines per unit)."""
    ends = list(itertools.accumulate(spans))
    return [
        tuple(source[s:e] for s, e, _ in lines[end - span : end])
        for span, end in zip(spans, ends, strict=True)
    ]


def _as_laid_out(
    text: str, lines: list[_Line], source_units: list[tuple[str, ...]]
) -> list[_Unit] | None:
    """A translated block's lines grouped as its source's units were written: a unit
    left as it was on its source's lines, any other on one line; None when the block's
    lines are not so laid out."""
    units: list[_Unit] = []
    at = 0
    for unit in source_units:
        kept = tuple(text[s:e] for s, e, _ in lines[at : at + len(unit)]) == unit
        taken = len(unit) if kept else 1
        if at + taken > len(lines):
            return None
        units.append(lines[at : at + taken])
        at += taken
    return units if at == len(lines) else None


def _document(text: str, path: Path, grouped: list[list[_Unit]]) -> Document:
    """The units of `text`: each block's lines `grouped` into units."""
    units: list[Unit] = []
    slots: list[_Slot] = []
    for block in grouped:
        for item in block:
            first, *rest = item
            start = _text_start(text, first)
            words = text[start : first[1]]
            for line_start, line_end, _ in rest:
                words = _joined(words, text[line_start:line_end])
            units.append(Unit(words, line=first[2]))
            slots.append(_Slot(start, item[-1][1]))
    layout = [tuple(len(item) for item in block) for block in grouped]
    return Document(path, TextFormat.name, units, TextSkeleton(text, slots, layout))


def _joined(words: str, line: str) -> str:
    """A hard-wrapped line joined to the words above it: by a space, or by nothing
    after a hyphen that a wrapping broke a word at ("re-" "election")."""
    if _WORD_HYPHEN_RE.search(words) and line[:1].isalpha():
        return words + line
    return f"{words} {line}"


def _units_of_block(text: str, lines: list[_Line]) -> list[_Unit]:
    """A block's lines grouped into units: labels, list items or paragraphs."""
    if len(lines) > 1 and all(is_label_like(_words(text, line)) for line in lines):
        return [[line] for line in lines]
    marked = [bool(_LIST_MARKER_RE.match(text, start, end)) for start, end, _ in lines]
    if marked[0] or sum(marked) >= 2:
        return _list_items(lines, marked)
    return _paragraphs(text, lines)


def _list_items(lines: list[_Line], marked: list[bool]) -> list[_Unit]:
    """A list's lines grouped into items. A list is a block whose first line has a list
    marker, or two lines do: a line with a marker starts an item, and any other line
    continues the one above (hard wrapping). In prose, a wrapped line may start with a
    dash or a number ("- as the opposition had warned -", "1. The coach said"): it is
    joined like any other."""
    items: list[_Unit] = []
    for line, starts_item in zip(lines, marked, strict=True):
        if items and not starts_item:
            items[-1].append(line)
        else:
            items.append([line])
    return items


def _paragraphs(text: str, lines: list[_Line]) -> list[_Unit]:
    """A block of prose's lines grouped into paragraphs (see the module's rules)."""
    # A line of one word (a URL) is as long as it is, not as the wrapping made it.
    worded = [line for line in lines if " " in _words(text, line)] or lines
    width = max(_width(text, line) for line in worded)
    paragraphs = [[lines[0]]]
    for above, line in itertools.pairwise(lines):
        if _starts_paragraph(text, above, line, width):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _starts_paragraph(text: str, above: _Line, line: _Line, width: int) -> bool:
    """Does `line` start a paragraph of its own, in a block whose widest line is `width`,
    rather than go on with the one above as hard-wrapped text does?

    Never when it goes on with a sentence (lowercase). Else yes when a sentence ends
    above it (one sentence a line), or when the line above is a paragraph wider than
    anyone wraps text (a page's, on a line of its own; a long URL is no paragraph). And
    yes when the line above left room for the line's first word: wrapping fills lines,
    greedily to the width, or balanced (fmt's) a little short of it, so a page broke
    there: after a line much shorter than the block ("Russia denies drone report" above
    a sentence), or after a short label the word would have fitted beside ("World"
    above its headline)."""
    words = _words(text, line)
    first_word = words.split(maxsplit=1)[0]
    if first_word[0].islower():
        return False
    above_words = _words(text, above)
    above_width = _width(text, above)
    needed = above_width + 1 + len(first_word)
    return (  # the widths first: ends_sentence is the costly test
        (above_width > WRAP_WIDTH_MAX and " " in above_words)
        or needed <= width * ROOM
        or (needed <= width and above_width <= width * LABEL_ROOM and is_label_like(above_words))
        or ends_sentence(above_words, words)
    )


def _width(text: str, line: _Line) -> int:
    """A line's width in characters, its indentation included."""
    start, end, _ = line
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    return end - line_start


def _words(text: str, line: _Line) -> str:
    """A line's words, list marker aside."""
    return text[_text_start(text, line) : line[1]]


def _text_start(text: str, line: _Line) -> int:
    """Where a line's words start: after its list marker, if it has one."""
    marker = _LIST_MARKER_RE.match(text, line[0], line[1])
    return marker.end() if marker else line[0]


def _blocks(text: str) -> list[list[_Line]]:
    """Blocks of non-blank lines: (start, end, line number) of each line's stripped content."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for number, match in enumerate(_LINE_RE.finditer(text), start=1):
        if match.start() == len(text):
            break
        content = match.group(0).rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            if current:
                blocks.append(current)
            current = []
            continue
        start = match.start() + (len(content) - len(content.lstrip()))
        current.append((start, start + len(stripped), number))
    if current:
        blocks.append(current)
    return blocks


def ui_role(text: str) -> str:
    """The role of a UI string by its wording."""
    key = " ".join(text.lower().split())
    if key in _BUTTON_LABELS:
        return "button"
    if key in _HEADING_LABELS:
        return "heading"
    return "section label"


def _classify(units: list[Unit]) -> list[Unit]:
    """Each unit as UI string or article text, with its role (see the module's rules)."""
    label_like = [is_label_like(unit.text) for unit in units]
    recurring = _recurring_labels(units, label_like)

    def above_headline(index: int) -> bool:
        following = index + 1
        return following < len(units) and _is_headline_shaped(
            units[following].text, label_like[following]
        )

    classified: list[Unit] = []
    seen_headline = in_teasers = False
    previous: Unit | None = None
    for index, unit in enumerate(units):
        if unit.kind is Kind.UI:  # in the site's list
            current = unit
        elif label_like[index] and (
            _is_site_chrome(unit.text, recurring)
            # Where the seed has a section label: above the article's headline or a teaser's.
            or ((not seen_headline or in_teasers) and above_headline(index))
        ):
            current = Unit(unit.text, Kind.UI, ui_role(unit.text), unit.line)
        elif in_teasers:
            current = Unit(unit.text, Kind.TEXT, _teaser_role(unit.text, previous), unit.line)
        else:
            current = Unit(unit.text, Kind.TEXT, "body" if seen_headline else "headline", unit.line)
            seen_headline = True
        in_teasers = in_teasers or (current.kind is Kind.UI and ui_role(unit.text) == "heading")
        classified.append(current)
        previous = current
    return classified


def _is_site_chrome(text: str, recurring: set[str]) -> bool:
    """A label-like line with the site's wording (Share, Related Articles...), or one
    standing alone several times in the article."""
    return ui_role(text) != "section label" or ui_key(text) in recurring


def _recurring_labels(units: list[Unit], label_like: list[bool]) -> set[str]:
    """Label-like lines that stand alone several times in the article."""
    counts = Counter(ui_key(u.text) for u, label in zip(units, label_like, strict=True) if label)
    return {text for text, count in counts.items() if count >= RECURRING_LABEL_MIN}


def _is_headline_shaped(text: str, label_like: bool) -> bool:
    """A headline: longer than a label, and not ending as a sentence of a paragraph does."""
    plain = ui_key(text).rstrip(TRAILING_CLOSERS)
    return bool(plain) and not label_like and plain[-1] not in _PARAGRAPH_END


def _teaser_role(text: str, previous: Unit | None) -> str:
    if text.rstrip().endswith(_ELLIPSES):
        return "teaser"
    if previous is None or previous.kind is Kind.UI or previous.role == "teaser":
        return "teaser headline"
    return "teaser"
