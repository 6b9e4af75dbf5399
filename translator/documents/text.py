"""Plain text as scraped from a news page (see samples/seed.txt).

A scraped page keeps the site's chrome as lines of its own: a section label
("World") above the headline, "Share" buttons, a "Related Articles" heading,
then teasers (section label, title, summary cut off with "..."). The rules:

- Blocks are separated by blank lines. A block whose every line is label-like
  (`segment.is_label_like`) gives one UI unit per line ("Share\\nRelated Articles\\nWorld");
  any other block is one paragraph, its lines joined by spaces (hard wrapping).
- A unit is UI when it is label-like or in the site's UI list. UI roles:
  "button" (Share, Read more...), "heading" (Related Articles...), otherwise
  "section label".
- The first article-text unit is the "headline", the following ones "body".
- After a UI "heading", units are teasers: a paragraph ending in an ellipsis is
  a "teaser" (a cut summary); any other one is a "teaser headline".

Rendering gives back the source with each unit's text replaced; everything else
(blank lines, indentation, CRLF or LF) is kept byte-for-byte. A hard-wrapped
paragraph whose translation differs is written on one line: its wrapping cannot
be mapped onto another language's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.documents import ReadOptions, skeleton_of
from translator.model import Document, Kind, Unit
from translator.segment import is_label_like

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

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


@dataclass(frozen=True)
class _Slot:
    """Where unit `index` sits in the source: `source[start:end]` is its original text."""

    start: int
    end: int


@dataclass
class TextSkeleton:
    """The file's text and where each unit sits in it, to write the translation back."""

    source: str
    slots: list[_Slot]


class TextFormat:
    name = "txt"
    suffixes = (".txt",)

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        units: list[Unit] = []
        slots: list[_Slot] = []
        for block in _blocks(text):
            lines = block
            contents = [text[s:e] for s, e, _ in lines]
            if len(lines) > 1 and all(is_label_like(c) for c in contents):
                for (start, end, number), content in zip(lines, contents, strict=True):
                    units.append(Unit(content, line=number))
                    slots.append(_Slot(start, end))
            else:
                joined = " ".join(contents)
                units.append(Unit(joined, line=lines[0][2]))
                slots.append(_Slot(lines[0][0], lines[-1][1]))
        units = _classify(units, options.ui_strings)  # the site's UI list included
        return Document(path, self.name, units, TextSkeleton(text, slots))

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
            parts.append(original if translation == unit.text else translation)
            position = slot.end
        parts.append(skeleton.source[position:])
        return "".join(parts)


def _blocks(text: str) -> list[list[tuple[int, int, int]]]:
    """Blocks of non-blank lines: (start, end, line number) of each line's stripped content."""
    blocks: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
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


def _classify(units: list[Unit], ui_strings: frozenset[str]) -> list[Unit]:
    known = {" ".join(s.split()) for s in ui_strings}
    classified: list[Unit] = []
    seen_headline = in_teasers = False
    previous: Unit | None = None
    for unit in units:
        if is_label_like(unit.text) or " ".join(unit.text.split()) in known:
            role = ui_role(unit.text)
            in_teasers = in_teasers or role == "heading"
            current = Unit(unit.text, Kind.UI, role, unit.line)
        elif in_teasers:
            current = Unit(unit.text, Kind.TEXT, _teaser_role(unit.text, previous), unit.line)
        else:
            current = Unit(unit.text, Kind.TEXT, "body" if seen_headline else "headline", unit.line)
            seen_headline = True
        classified.append(current)
        previous = current
    return classified


def _teaser_role(text: str, previous: Unit | None) -> str:
    if text.rstrip().endswith(_ELLIPSES):
        return "teaser"
    if previous is None or previous.kind is Kind.UI or previous.role == "teaser":
        return "teaser headline"
    return "teaser"
