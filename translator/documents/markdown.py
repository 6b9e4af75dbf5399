"""Markdown articles: translate headings, paragraphs, list items, table cells, quotes.

markdown-it-py parses the article. Its inline tokens carry no source positions, so
each child token is located in the source in order, from the block's first line
(text as written, markup by its delimiter, link tails with markdown-it's own link
helpers). The skeleton is the source plus the span of each unit's text: writing
replaces those spans only, so code, HTML blocks, front matter, link URLs and every
other byte come back unchanged. A block whose tokens cannot be located is left as
it is rather than risk damaging it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from translator import inline
from translator.documents import ReadOptions, skeleton_of
from translator.inline import Block, Piece, PieceKind
from translator.model import Document, Kind, Unit

PAIRED = {"em": "em", "strong": "strong", "s": "s"}  # token type prefix -> pairing key
ROLES = {"blockquote_open": "quote", "th_open": "cell", "td_open": "cell"}
FRONT_MATTER_FENCES = ("---", "+++")


def _parser() -> MarkdownIt:
    # text_join would merge escapes and entities into plain text; kept apart, each
    # token's text is found verbatim in the source.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")


def _front_matter_end(text: str) -> int:
    """Length of a leading YAML/TOML front matter block (kept verbatim), or 0."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() not in FRONT_MATTER_FENCES:
        return 0
    fence = lines[0].rstrip()
    offset = len(lines[0])
    for line in lines[1:]:
        offset += len(line)
        if line.rstrip() in (fence, "..."):
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
    specials: dict[str, str] | None = None

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
            if self.specials is not None and len(content) == 1:
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
        elif kind == "link_close":
            end = _link_tail_end(self.src, self.find("]"))
            self._solo_or_close(PieceKind.CLOSE, self.pos, end)
        elif kind == "image":
            at = self.find("![")
            label_end = _bracket_end(self.src, at + 1)
            end = _link_tail_end(self.src, label_end - 1) if label_end > 0 else -1
            self._solo_or_close(PieceKind.SOLO, at, end)
        elif kind == "code_inline":
            at = self.find(markup)
            self._solo_or_close(PieceKind.SOLO, at, _code_span_end(self.src, at, markup))
        elif kind == "html_inline":
            at = self.find(content)
            self.place(at, Piece(PieceKind.SOLO, at, at + len(content)))
        elif kind != "text":
            raise LookupError(f"unknown inline token {kind}")

    def autolink(self) -> None:
        at = self.find("<")
        self._solo_or_close(PieceKind.SOLO, at, self.src.find(">", at) + 1)

    def _solo_or_close(self, kind: PieceKind, at: int, end: int) -> None:
        if end <= at:
            raise LookupError("unterminated inline markup")
        self.place(at, Piece(kind, at, end, key="link" if kind is PieceKind.CLOSE else ""))


def _locate(children: Sequence[Token], src: str, pos: int) -> tuple[list[Piece], dict[str, str]]:
    locator = _Locator(src, pos, [], specials={})
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
    return locator.pieces, locator.specials or {}


@dataclass(frozen=True)
class _Slot:
    unit: int
    block: Block
    specials: dict[str, str]  # character -> how the source wrote it (escape, entity)
    newlines: tuple[str, ...]  # each line break's source: trailing spaces, newline, prefix
    in_table: bool  # a "|" in a translated cell would end the cell


@dataclass(frozen=True)
class _Skeleton:
    source: str
    slots: tuple[_Slot, ...]


def _role(open_blocks: list[str], heading: str | None, seen_h1: bool) -> str:
    if heading is not None:
        return "headline" if heading == "h1" and not seen_h1 else "heading"
    return next((ROLES[b] for b in reversed(open_blocks) if b in ROLES), "body")


def _read(text: str, options: ReadOptions) -> tuple[list[Unit], list[_Slot]]:
    front = _front_matter_end(text)
    # Blank out front matter (keeping newlines) so offsets and line numbers stay true.
    masked = "".join(c if c == "\n" else " " for c in text[:front]) + text[front:]
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    units: list[Unit] = []
    slots: list[_Slot] = []
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
            pieces, specials = _locate(token.children, text, cursor)
        except LookupError:
            continue  # left untranslated: safer than writing markup back in the wrong place
        block = inline.build_block(pieces)
        if block is None or block.end > block_end:
            continue
        cursor = block.end
        plain = inline.strip_markers(block.text, " ").strip()
        ui = plain in options.ui_strings
        role = "label" if ui else _role(open_blocks, heading, seen_h1)
        line = bisect_right(line_starts, block.start)
        newlines = tuple(
            text[p.start : p.end] for p in block.pieces if p.text == "\n" and not p.literal
        )
        in_table = "td_open" in open_blocks or "th_open" in open_blocks
        slots.append(_Slot(len(units), block, specials, newlines, in_table))
        units.append(Unit(block.text, Kind.UI if ui else Kind.TEXT, role, line))
    return units, slots


def _escape(text: str, slot: _Slot, newline_count: list[int]) -> str:
    """Translated plain text as Markdown: source spellings of special characters kept,
    and nothing that would start an HTML tag or an entity (a translation is not markup)."""
    out: list[str] = []
    for i, char in enumerate(text):
        following = text[i + 1 : i + 2]
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
        elif char == "<" and (following.isalpha() or following in ("/", "!", "?")):
            out.append("&lt;")
        elif char == "&" and (following.isalnum() or following == "#"):
            out.append("&amp;")
        else:
            out.append(char)
    return "".join(out)


def _write_slot(source: str, slot: _Slot, unit_text: str, translation: str) -> str:
    if inline.repair(unit_text, translation) == unit_text:
        return source[slot.block.start : slot.block.end]
    markers = slot.block.markers
    newline_count = [0]
    return inline.write(
        unit_text,
        translation,
        lambda text: _escape(text, slot, newline_count),
        lambda char: source[markers[char].start : markers[char].end],
    )


class MarkdownFormat:
    """The `Format` for .md/.markdown articles."""

    name = "md"
    suffixes = (".md", ".markdown")

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        units, slots = _read(text, options)
        return Document(path, self.name, units, _Skeleton(text, tuple(slots)))

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        skeleton = skeleton_of(document, _Skeleton, translations)
        out: list[str] = []
        position = 0
        for slot in skeleton.slots:
            out.append(skeleton.source[position : slot.block.start])
            unit_text = document.units[slot.unit].text
            out.append(_write_slot(skeleton.source, slot, unit_text, translations[slot.unit]))
            position = slot.block.end
        out.append(skeleton.source[position:])
        return "".join(out)
