"""Markdown articles: translate headings, paragraphs, list items, table cells, quotes.

markdown-it-py parses the article. Its inline tokens carry no source positions, so
each child token is located in the source in order, from the block's first line
(text as written, markup by its delimiter, link tails with markdown-it's own link
helpers). The skeleton is the source plus the span of each unit's text: writing
replaces those spans only, so code, HTML blocks, front matter, link URLs and every
other byte come back unchanged. A block whose tokens cannot be located is left as
it is rather than risk damaging it, and named in the document's problems.

Static site generators put template tags in the text: Hugo shortcodes
(`{{< figure src="..." >}}`, `{{% notice %}}`), Liquid and Jinja tags
(`{% include related.html %}`) and expressions (`{{ page.title }}`). The site's build
reads them, so a translated one breaks it: each is kept whole as a standalone marker.
A heading's trailing attribute block (`## The storm {#storm}`, Pandoc's and Hugo's)
names the anchor links point to: it is left out of the heading's text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.entities import entities
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from translator import inline
from translator.documents import ReadOptions, skeleton_of
from translator.documents.html import VOID
from translator.inline import Block, Piece, PieceKind
from translator.model import Document, InputError, Kind, Unit
from translator.segment import apply_ui_strings

PAIRED = frozenset({"em", "strong", "s"})  # token type prefixes, also their pairing keys
ROLES = {"blockquote_open": "quote", "th_open": "cell", "td_open": "cell"}
# Opening fence -> the lines that close it: YAML may end its document with "...", TOML
# front matter (Hugo's "+++") only with "+++".
FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
# Hugo shortcodes {{< >}} and {{% %}}, Liquid/Jinja tags {% %} and expressions {{ }}
# (with their "{{-"/"-%}}" whitespace trimming). A shortcode is tried first, so it ends
# at its own ">}}" or "%}}". A tag may span lines, as Hugo allows.
TEMPLATE_TAG = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# One attribute of a Pandoc/Hugo attribute block: #id, .class, key=value (quoted or
# not), or Pandoc's "-" (unnumbered).
_ATTRIBUTE = r"""(?:[#.][^\s{}]+|[A-Za-z_:][\w:.-]*=(?:"[^"]*"|'[^']*'|[^\s{}"']+)|-)"""
# The block ends the heading; an escaped "\{" is text, as Pandoc reads it.
HEADING_ATTRIBUTES = re.compile(
    rf"[ \t]*(?<!\\)\{{[ \t]*{_ATTRIBUTE}(?:[ \t]+{_ATTRIBUTE})*[ \t]*\}}[ \t]*\Z"
)


def _parser() -> MarkdownIt:
    # text_join would merge escapes and entities into plain text; kept apart, each
    # token's text is found verbatim in the source.
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")
    # Before "text", so a tag is one token before emphasis, links or inline HTML can
    # claim part of it (the "<figure ...>" of "{{<figure ...>}}" reads as an HTML tag).
    parser.inline.ruler.before("text", "template_tag", _template_tag)
    parser.core.ruler.before("inline", "heading_attributes", _heading_attributes)
    parser.core.ruler.before("inline", "cell_escapes", _cell_escapes)
    return parser


def _template_tag(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: a template tag at `state.pos` becomes a "template_tag" token."""
    match = TEMPLATE_TAG.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        state.push("template_tag", "", 0).content = match[0]
    state.pos = match.end()
    return True


def _heading_attributes(state: StateCore) -> None:
    """markdown-it core rule: a heading's attribute block is left out of its inline
    content, so it is no token of the unit's and the skeleton keeps it as written."""
    for opener, token in pairwise(state.tokens):
        if opener.type == "heading_open" and token.type == "inline":
            token.content = HEADING_ATTRIBUTES.sub("", token.content)


# A "|" in a cell's content after an even run of backslashes (mostly none) lost the
# backslash before it to the table rule: it is put back. After an odd run, the source
# had "\\|", which GFM shows as "|" but an escape put back would show as "\|": left
# as it is, that cell is not found in the source, and is reported.
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def _cell_escapes(state: StateCore) -> None:
    r"""markdown-it core rule: a table cell's "\|" escapes put back in its inline content.

    The table rule turns each "\|" into "|" before the cell is parsed (any other "|"
    ends the cell), so the cell's text would not be found in the source. Put back,
    each is an escape, found as written, and written as one again (_escape).
    """
    for opener, token in pairwise(state.tokens):
        if opener.type in ("th_open", "td_open") and token.type == "inline":
            token.content = _UNESCAPED_PIPE.sub(r"\1\\|", token.content)


def _front_matter_end(text: str) -> int:
    """Length of a leading YAML/TOML front matter block (kept verbatim), or 0."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() not in FRONT_MATTER_FENCES:
        return 0
    fence = lines[0].rstrip()
    closers = FRONT_MATTER_FENCES[fence]
    offset = len(lines[0])
    for line in lines[1:]:
        offset += len(line)
        if line.rstrip() in closers:
            return offset
    return 0


def _skip_space(src: str, pos: int) -> int:
    while pos < len(src) and src[pos] in " \t\r\n":
        pos += 1
    return pos


def _bracket_end(src: str, pos: int) -> int:
    """Index after the "]" closing the "[" at `pos` (backslash escapes honoured), or -1."""
    depth = 0
    while pos < len(src):
        char = src[pos]
        if char == "\\":
            pos += 2
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            return pos + 1
        pos += 1
    return -1


def _link_tail_end(src: str, pos: int) -> int:
    """End of `](url "title")`, `][ref]` or `]` starting at `pos` (which holds "]")."""
    after = pos + 1
    if src.startswith("(", after):
        p = _skip_space(src, after + 1)
        destination = parseLinkDestination(src, p, len(src))
        if destination.ok:
            p = _skip_space(src, destination.pos)
        if p < len(src) and src[p] in "\"'(":
            title = parseLinkTitle(src, p, len(src))
            if title.ok:
                p = _skip_space(src, title.pos)
        return p + 1 if src.startswith(")", p) else -1
    if src.startswith("[", after):
        return _bracket_end(src, after)
    return after


def _code_span_end(src: str, at: int, fence: str) -> int:
    """End of the code span opened by the backtick run `fence` at `at`."""
    k = at + len(fence)
    while True:
        k = src.find(fence, k)
        if k < 0:
            return -1
        run_end = k
        while run_end < len(src) and src[run_end] == "`":
            run_end += 1
        if run_end - k == len(fence):
            return run_end
        k = run_end


@dataclass
class _Locator:
    """Finds each inline child token of one block in the source, in order."""

    src: str
    pos: int
    pieces: list[Piece]
    newline_at: int | None = None  # a line break waits for the next token to end it
    specials: dict[str, str] = field(default_factory=dict)  # see _Slot.specials
    alts: list[_AltSlot] = field(default_factory=list)  # plain image alt texts, unit unset
    label_at: int = 0  # where the text of the link being read starts

    def place(self, at: int, piece: Piece) -> None:
        if self.newline_at is not None:
            self.pieces.append(Piece(PieceKind.TEXT, self.newline_at, at, "\n"))
            self.newline_at = None
        elif self.pieces and at != self.pos:
            raise LookupError("unexpected source between two tokens")
        self.pieces.append(piece)
        self.pos = piece.end

    def find(self, needle: str) -> int:
        at = self.src.find(needle, self.pos)
        if at < 0 or not needle:
            raise LookupError(f"token {needle!r} not found")
        return at

    def child(self, token: Token) -> None:
        kind, content, markup = token.type, token.content, token.markup
        if kind == "text" and content:
            at = self.find(content)
            self.place(at, Piece(PieceKind.TEXT, at, at + len(content), content, literal=True))
        elif kind == "text_special":
            at = self.find(markup)
            self.place(at, Piece(PieceKind.TEXT, at, at + len(markup), content))
            if len(content) == 1:
                self.specials.setdefault(content, markup)
        elif kind in ("softbreak", "hardbreak"):
            newline = self.find("\n")
            if kind == "hardbreak":
                self.place(self.pos, Piece(PieceKind.SOLO, self.pos, newline))
            self.newline_at = self.pos if kind == "softbreak" else newline
        elif kind.rsplit("_", 1)[0] in PAIRED:
            at = self.find(markup)
            piece_kind = PieceKind.OPEN if token.nesting == 1 else PieceKind.CLOSE
            self.place(at, Piece(piece_kind, at, at + len(markup), key=kind.rsplit("_", 1)[0]))
        elif kind == "link_open":
            at = self.find("[")
            self.place(at, Piece(PieceKind.OPEN, at, at + 1, key="link"))
            self.label_at = at + 1
        elif kind == "link_close":
            close = self.find("]")
            end = _link_tail_end(self.src, close)
            # A shortcut or collapsed reference ("[old]", "[old][]") is found by its text:
            # translated, it is written as a full one, "[viejo][old]".
            reference = self.src[self.label_at : close]
            written = f"][{reference}]" if self.src[close:end] in ("]", "][]") else ""
            self._solo_or_close(PieceKind.CLOSE, self.pos, end, written)
        elif kind == "image":
            at = self.find("![")
            label_end = _bracket_end(self.src, at + 1)
            end = _link_tail_end(self.src, label_end - 1) if label_end > 0 else -1
            self._solo_or_close(PieceKind.SOLO, at, end)
            self._alt(token, at + len("!["), label_end - len("]"), end)
        elif kind == "code_inline":
            at = self.find(markup)
            end = _code_span_end(self.src, at, markup)
            self._solo_or_close(PieceKind.SOLO, at, end, content)
        elif kind == "html_inline":
            at = self.find(content)
            self.place(at, _html_piece(content, at))
        elif kind == "template_tag":
            at = self.find(content)
            self.place(at, Piece(PieceKind.SOLO, at, at + len(content)))
        elif kind != "text":
            raise LookupError(f"unknown inline token {kind}")

    def _alt(self, image: Token, start: int, end: int, image_end: int) -> None:
        """Record an image's alt text for translation when it is plain words: escapes,
        entities or emphasis in it would need markup we do not carry there."""
        label = self.src[start:end]
        children = image.children or []
        if not label.strip() or "".join(c.content for c in children) != label:
            return
        if any(c.type != "text" for c in children):
            return
        lead, trail = len(label) - len(label.lstrip()), len(label) - len(label.rstrip())
        first, last = start + lead, end - trail
        if self.src[end:image_end] in ("]", "][]"):
            # A shortcut or collapsed reference finds its definition by its alt text, as
            # a link does by its text: the slot takes the tail, to write it in full.
            self.alts.append(_AltSlot(-1, first, last, image_end, f"][{label}]"))
        else:
            self.alts.append(_AltSlot(-1, first, last, last))

    def autolink(self) -> None:
        at = self.find("<")
        self._solo_or_close(PieceKind.SOLO, at, self.src.find(">", at) + 1)

    def _solo_or_close(self, kind: PieceKind, at: int, end: int, text: str = "") -> None:
        if end <= at:
            raise LookupError("unterminated inline markup")
        key = "link" if kind is PieceKind.CLOSE else ""
        self.place(at, Piece(kind, at, end, text, key=key))


_HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>", re.DOTALL)


def _html_piece(content: str, at: int) -> Piece:
    """Raw inline HTML: `<b>` opens a pair and `</b>` closes it, so the words between
    move with them as `**b**`'s do; anything else (`<br>`, a comment) stands alone."""
    tag = _HTML_TAG.fullmatch(content)
    end = at + len(content)
    if tag is None or tag[3] or tag[2].lower() in VOID:
        return Piece(PieceKind.SOLO, at, end)
    kind = PieceKind.CLOSE if tag[1] else PieceKind.OPEN
    return Piece(kind, at, end, key=f"<{tag[2].lower()}>")


def _locate(children: Sequence[Token], src: str, pos: int) -> _Locator:
    """Every child token of a block located in `src` from `pos`; LookupError if one is not."""
    locator = _Locator(src, pos, [])
    in_autolink = False
    for token in children:
        if token.type == "link_open" and token.markup == "autolink":
            locator.autolink()
            in_autolink = True
        elif in_autolink:
            in_autolink = token.type != "link_close"
        else:
            locator.child(token)
    if locator.newline_at is not None:
        raise LookupError("line break at the end of a block")
    return locator


@dataclass(frozen=True)
class _Slot:
    """A block's text: a paragraph, heading, list item, table cell."""

    unit: int
    block: Block
    specials: dict[str, str]  # character -> how the source wrote it (escape, entity)
    newlines: tuple[str, ...]  # each line break's source: trailing spaces, newline, prefix
    in_table: bool  # a "|" in a translated cell would end the cell

    @property
    def start(self) -> int:
        return self.block.start

    @property
    def end(self) -> int:
        return self.block.end


@dataclass(frozen=True)
class _AltSlot:
    """An image's alt text, between "![" and "]": inside a block's marker, or alone."""

    unit: int
    start: int
    words_end: int  # the alt text's
    end: int  # the same, or for a shortcut or collapsed reference the image's ("]", "][]")
    reference: str = ""  # then written after a translated alt text: "][The big dog]"


@dataclass(frozen=True)
class _Skeleton:
    source: str
    slots: tuple[_Slot | _AltSlot, ...]  # by start, outer before nested
    starts: tuple[int, ...]


def _role(open_blocks: list[str], heading: str | None, seen_h1: bool) -> str:
    if heading is not None:
        return "headline" if heading == "h1" and not seen_h1 else "heading"
    return next((ROLES[b] for b in reversed(open_blocks) if b in ROLES), "body")


def _read(text: str) -> tuple[list[Unit], list[_Slot | _AltSlot], list[tuple[int, str]]]:
    """The units and slots of an article, and (line, why) for each block left as it is."""
    front = _front_matter_end(text)
    # Blank out front matter (keeping newlines) so offsets and line numbers stay true.
    masked = "".join(c if c == "\n" else " " for c in text[:front]) + text[front:]
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    units: list[Unit] = []
    slots: list[_Slot | _AltSlot] = []
    problems: list[tuple[int, str]] = []
    open_blocks: list[str] = []
    heading: str | None = None
    seen_h1 = False
    cursor = front
    for token in _parser().parse(masked):
        if token.map:
            cursor = max(cursor, line_starts[min(token.map[0], len(line_starts) - 1)])
        if token.nesting == 1:
            open_blocks.append(token.type)
            heading = token.tag if token.type == "heading_open" else heading
        elif token.nesting == -1:
            open_blocks.pop()
            seen_h1 = seen_h1 or heading == "h1"
            heading = None if token.type == "heading_close" else heading
        if token.type != "inline" or not token.children or not token.map:
            continue
        block_end = line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(text)
        try:
            located = _locate(token.children, text, cursor)
        except LookupError as error:
            # Left untranslated, safer than writing markup back in the wrong place; named,
            # so the run says which block is still in the source language.
            problems.append((bisect_right(line_starts, cursor), str(error)))
            continue
        if located.pieces and located.pieces[-1].end > block_end:
            problems.append((bisect_right(line_starts, cursor), "found past the block's end"))
            continue
        block = inline.build_block(located.pieces)
        if block is not None:
            cursor = block.end
            role = _role(open_blocks, heading, seen_h1)
            line = bisect_right(line_starts, block.start)
            newlines = tuple(
                text[p.start : p.end] for p in block.pieces if p.text == "\n" and not p.literal
            )
            in_table = "td_open" in open_blocks or "th_open" in open_blocks
            specials = _source_spellings(located)
            slots.append(_Slot(len(units), block, specials, newlines, in_table))
            units.append(Unit(block.text, Kind.TEXT, role, line, block.shown))
        for alt in located.alts:
            slots.append(replace(alt, unit=len(units)))
            line = bisect_right(line_starts, alt.start)
            units.append(Unit(text[alt.start : alt.words_end], Kind.TEXT, "alt", line))
    slots.sort(key=lambda slot: (slot.start, -slot.end))
    return units, slots, problems


def _source_spellings(located: _Locator) -> dict[str, str]:
    """How the block's source wrote its special characters, for writing them the same way.

    "&" and "<" are left out where the block also writes them plainly: `_escape`
    escapes them where they would be markup, and only there, so one "&amp;" in a
    paragraph does not turn the "&" of "AT&T" into one.
    """
    plain = "".join(p.text for p in located.pieces if p.kind is PieceKind.TEXT and p.literal)
    return {
        char: spelling
        for char, spelling in located.specials.items()
        if not (char in "&<" and char in plain)
    }


def _escape(text: str, after: str, slot: _Slot, newline_count: list[int]) -> str:
    """Translated plain text as Markdown: source spellings of special characters kept,
    and nothing that would read as an HTML tag, an autolink or a character reference
    (a translation is not markup). Only those are escaped: "AT&T", "R&D" and "a <b"
    stay as written. `after` is what the output holds after `text`: a tag may close
    there."""
    context = text + after
    out: list[str] = []
    for i, char in enumerate(text):
        if char == "\n":
            if not slot.newlines:
                out.append(" ")  # e.g. a heading: one line only
                continue
            out.append(slot.newlines[min(newline_count[0], len(slot.newlines) - 1)])
            newline_count[0] += 1
        elif char in slot.specials:
            out.append(slot.specials[char])
        elif char == "|" and slot.in_table:
            out.append("\\|")
        elif char == "<" and _starts_tag_or_autolink(context, i):
            out.append("&lt;")
        elif char == "&" and _starts_reference(text, i):
            out.append("&amp;")
        else:
            out.append(char)
    return "".join(out)


# What makes "&" or "<" markup in CommonMark, as markdown-it reads it.
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|(?P<name>[A-Za-z][A-Za-z0-9]{1,31}));"
)
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*"  # <https://example.com>
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"  # <desk@example.com>
)


def _starts_reference(text: str, at: int) -> bool:
    """Does `text[at:]` start with an entity (`&amp;`, `&#62;`) markdown-it would decode?"""
    match = _CHARACTER_REFERENCE.match(text, at)
    return match is not None and (match["name"] is None or match["name"] in entities)


def _starts_tag_or_autolink(text: str, at: int) -> bool:
    return HTML_TAG_RE.match(text, at) is not None or _AUTOLINK.match(text, at) is not None


# Backslash-escaped in alt text: what would end the label, start markup, or a table cell.
_ALT_SPECIALS = frozenset("\\[]*_`|")


def _escape_alt(text: str) -> str:
    """A translated alt text as the words of an image label: one line, no markup."""
    out: list[str] = []
    for i, char in enumerate(text):
        if char in "\r\n":
            out.append(" ")
        elif (
            char in _ALT_SPECIALS
            or (char == "<" and _starts_tag_or_autolink(text, i))
            or (char == "&" and _starts_reference(text, i))
        ):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class _Writer:
    skeleton: _Skeleton
    units: Sequence[Unit]
    translations: Sequence[str]

    def _marker(self, piece: Piece) -> str:
        """A marker as written: its source markup, or a link's close written out in full
        (see _Locator.child)."""
        if piece.kind is PieceKind.CLOSE and piece.text:
            return piece.text
        return self.span(piece.start, piece.end)

    def span(self, start: int, end: int, inside: _Slot | None = None) -> str:
        """The source between start and end, with every slot inside it filled."""
        source, slots = self.skeleton.source, self.skeleton.slots
        out: list[str] = []
        position = start
        for index in range(bisect_left(self.skeleton.starts, start), len(slots)):
            slot = slots[index]
            if slot.start >= end:
                break
            if slot.start < position or slot.end > end or slot is inside:
                continue  # nested in a slot already written, or the slot being written
            out.append(source[position : slot.start])
            out.append(self.block(slot) if isinstance(slot, _Slot) else self.alt(slot))
            position = slot.end
        out.append(source[position:end])
        return "".join(out)

    def alt(self, slot: _AltSlot) -> str:
        translation = self.translations[slot.unit]
        if translation == self.units[slot.unit].text:
            return self.skeleton.source[slot.start : slot.end]
        return _escape_alt(translation.strip()) + slot.reference

    def block(self, slot: _Slot) -> str:
        unit_text = self.units[slot.unit].text
        repaired = inline.repair(unit_text, self.translations[slot.unit])
        if repaired == unit_text:
            return self.span(slot.start, slot.end, inside=slot)
        markers = slot.block.markers
        pieces = list(inline.split_markers(repaired))
        # Each marker as its source markup (an image's alt translated), each run of text
        # as the engine gave it: what follows a "<", for telling whether it opens a tag.
        raw = [
            (self._marker(markers[piece]) if is_marker else piece) for is_marker, piece in pieces
        ]
        newline_count = [0]
        out: list[str] = []
        for index, (is_marker, piece) in enumerate(pieces):
            if is_marker:
                out.append(raw[index])
            else:
                # What follows matters only to a "<": joined for those alone.
                after = "".join(raw[index + 1 :]) if "<" in piece else ""
                out.append(_escape(piece, after, slot, newline_count))
        return "".join(out)


class MarkdownFormat:
    """The `Format` for .md/.markdown articles."""

    name = "md"

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        units, slots, problems = _read(text)
        skeleton = _Skeleton(text, tuple(slots), tuple(slot.start for slot in slots))
        document = Document(path, self.name, units, skeleton)
        document.problems = [
            InputError(path, f"left untranslated, its markup could not be placed: {why}", line)
            for line, why in problems
        ]
        return apply_ui_strings(document, options.ui_strings)

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        skeleton = skeleton_of(document, _Skeleton, translations)
        writer = _Writer(skeleton, document.units, translations)
        return writer.span(0, len(skeleton.source))
