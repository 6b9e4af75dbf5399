"""Markdown articles: translate headings, paragraphs, list items, table cells, quotes.

markdown-it-py parses the article. Its inline tokens carry no source positions, so
each child token is located in the source in order, from the block's first line
(text as written, markup by its delimiter, link tails with markdown-it's own link
helpers). The skeleton is the source plus the span of each unit's text: writing
replaces those spans only, so code, front matter, link URLs and every other byte
come back unchanged. A block whose tokens cannot be located is left as it is rather
than risk damaging it, and named in the document's problems.

Raw HTML is read as the HTML format reads a fragment (`html.parse_fragment`), with
its rules: an HTML block's text and its title/alt attributes are translated,
translate="no" and scripts, styles and comments are kept; of an inline tag inside a
paragraph, its attributes. A link's or image's title (`[a](/u "Title")`, and a
reference definition's) is a unit of its own, as the title attribute is in HTML.

Static site generators put template tags in the text: Hugo shortcodes
(`{{< figure src="..." >}}`, `{{% notice %}}`), Liquid and Jinja tags
(`{% include related.html %}`), expressions (`{{ page.title }}`) and comments
(`{# ... #}`). The site's build reads them, so a translated one breaks it: each is kept
whole as a standalone marker, by the rule (`html.TEMPLATE_TAG`) raw HTML is read with too.
A heading's trailing attribute block (`## The storm {#storm}`, Pandoc's and Hugo's)
names the anchor links point to: it is left out of the heading's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.entities import entities
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from translator import inline
from translator.documents import ReadOptions, fill_slots, render_document, skeleton_of
from translator.documents.html import TEMPLATE_TAG, VOID, HtmlFormat, parse_fragment
from translator.inline import Block, Piece, PieceKind
from translator.model import Document, InputError, Kind, Unit
from translator.segment import apply_ui_strings

PAIRED = frozenset({"em", "strong", "s"})  # token type prefixes, also their pairing keys
ROLES = {"blockquote_open": "quote", "th_open": "cell", "td_open": "cell"}
# Opening fence -> the lines that close it: YAML may end its document with "...", TOML
# front matter (Hugo's "+++") only with "+++".
FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
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
    # inline_definitions: a reference definition becomes a token, with its lines and title.
    parser = MarkdownIt("commonmark", {"inline_definitions": True})
    parser.enable(["table", "strikethrough"]).disable("text_join")
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


def _link_tail(src: str, pos: int) -> tuple[int, tuple[int, int] | None]:
    """End of `](url "title")`, `][ref]` or `]` starting at `pos` (which holds "]"), and
    the span of the title with its quotes or parentheses, if it has one."""
    after = pos + 1
    if src.startswith("(", after):
        p = _skip_space(src, after + 1)
        destination = parseLinkDestination(src, p, len(src))
        title_span = None
        if destination.ok:
            p = _skip_space(src, destination.pos)
        if p < len(src) and src[p] in "\"'(":
            title = parseLinkTitle(src, p, len(src))
            if title.ok:
                title_span = (p, title.pos)
                p = _skip_space(src, title.pos)
        return (p + 1, title_span) if src.startswith(")", p) else (-1, None)
    if src.startswith("[", after):
        return _bracket_end(src, after), None
    return after, None


_TITLE_LINE_BREAK = re.compile(r"\r?\n[ \t]*")


def _title_slot(src: str, start: int, end: int, title: str) -> _TitleSlot | None:
    """The title written between `start` and `end` (its quotes or parentheses included),
    when it reads as markdown-it read it (`title`); None when it is empty or does not."""
    written = src[start + 1 : end - 1]
    # markdown-it reads a title's lines without their indentation and line endings as "\n"
    if not title.strip() or _TITLE_LINE_BREAK.sub("\n", unescapeAll(written)) != title:
        return None  # e.g. a title over lines with a blockquote's "> " in them
    first = start + 1 + len(written) - len(written.lstrip())
    last = end - 1 - (len(written) - len(written.rstrip()))
    return _TitleSlot(-1, first, last, src[end - 1], title.strip())


def _definition_title(src: str, at: int, title: str) -> _TitleSlot | None:
    """The title of the reference definition `[label]: url "title"` starting at `at`."""
    label_end = _bracket_end(src, at)
    if label_end < 0 or not src.startswith(":", label_end):
        return None
    destination = parseLinkDestination(src, _skip_space(src, label_end + 1), len(src))
    if not destination.ok:
        return None
    start = _skip_space(src, destination.pos)
    parsed = parseLinkTitle(src, start, len(src))
    if start == destination.pos or not parsed.ok:
        return None
    return _title_slot(src, start, parsed.pos, title)


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
    path: Path  # the article's, for the HTML fragments it holds
    pieces: list[Piece]
    newline_at: int | None = None  # a line break waits for the next token to end it
    specials: dict[str, str] = field(default_factory=dict)  # see _Slot.specials
    # what the block carries besides its text, unit unset: image alt texts, link and
    # image titles, inline HTML tags with attributes to translate
    attached: list[_AltSlot | _TitleSlot | _HtmlSlot] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (offset, why) left as is
    label_at: int = 0  # where the text of the link being read starts
    link_title: str = ""  # the title of the link being read, as markdown-it read it

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
            self.link_title = str(token.attrs.get("title", ""))
        elif kind == "link_close":
            close = self.find("]")
            end, title = _link_tail(self.src, close)
            # A shortcut or collapsed reference ("[old]", "[old][]") is found by its text:
            # translated, it is written as a full one, "[viejo][old]".
            reference = self.src[self.label_at : close]
            written = f"][{reference}]" if self.src[close:end] in ("]", "][]") else ""
            self._solo_or_close(PieceKind.CLOSE, self.pos, end, written)
            self._title(self.link_title, title)
        elif kind == "image":
            at = self.find("![")
            label_end = _bracket_end(self.src, at + 1)
            end, title = _link_tail(self.src, label_end - 1) if label_end > 0 else (-1, None)
            self._solo_or_close(PieceKind.SOLO, at, end)
            self._alt(token, at + len("!["), label_end - len("]"), end)
            self._title(str(token.attrs.get("title", "")), title)
        elif kind == "code_inline":
            at = self.find(markup)
            end = _code_span_end(self.src, at, markup)
            self._solo_or_close(PieceKind.SOLO, at, end, content)
        elif kind == "html_inline":
            at = self.find(content)
            self.place(at, _html_piece(content, at))
            # a tag's title or alt attribute ("<abbr title=...>"); no "=", no attribute value
            fragment = _html_fragment(content, self.path) if "=" in content else None
            if fragment is not None:
                newlines = ("\n",) * content.count("\n")  # found as written: no prefixes
                slot = _HtmlSlot(-1, at, at + len(content), fragment, newlines, inline=True)
                self.attached.append(slot)
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
            self.attached.append(_AltSlot(-1, first, last, image_end, f"][{label}]"))
        else:
            self.attached.append(_AltSlot(-1, first, last, last))

    def _title(self, title: str, span: tuple[int, int] | None) -> None:
        """Record a link's or image's title for translation, as HTML's title attribute is."""
        if span is None or not title.strip():
            return
        slot = _title_slot(self.src, span[0], span[1], title)
        if slot is None:
            self.unplaced.append((span[0], "a link title not found as written"))
        else:
            self.attached.append(slot)

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


def _locate(children: Sequence[Token], src: str, pos: int, path: Path) -> _Locator:
    """Every child token of a block located in `src` from `pos`; LookupError if one is not."""
    locator = _Locator(src, pos, path, [])
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
class _TitleSlot:
    """A link's or image's title, between its quotes or parentheses (spaces inside left out)."""

    unit: int
    start: int
    end: int
    close: str  # the character closing it: '"', "'" or ")"
    text: str  # as markdown-it read it: escapes and entities decoded


@dataclass(frozen=True)
class _HtmlSlot:
    """Raw HTML read as an .html fragment: an HTML block, or one inline tag."""

    unit: int  # the first of the fragment's units
    start: int
    end: int
    fragment: Document
    # What the source holds at each of the fragment's line breaks: the line ending and
    # the next line's prefix ("> " in a blockquote, a list item's indentation).
    newlines: tuple[str, ...]
    blank_lines: bool = False  # any in the fragment: else a new one would end the block
    inline: bool = False  # a tag inside a paragraph, a heading, a table cell


_AnySlot = _Slot | _AltSlot | _TitleSlot | _HtmlSlot


@dataclass(frozen=True)
class _Skeleton:
    source: str
    slots: tuple[_AnySlot, ...]  # by start, outer before nested
    starts: tuple[int, ...]


def _html_fragment(html: str, path: Path) -> Document | None:
    """`html` read as the HTML format reads a fragment of article content; None when it
    holds nothing to translate."""
    fragment = parse_fragment(html, path)
    if fragment is None:
        # No element closed in it ("<div title=...>" opening a block, "<p>Words" left
        # open, one inline tag): still HTML here, where a JSON field's "<" might not be.
        fragment = HtmlFormat().parse(html, path, ReadOptions())
    return fragment if fragment.units else None


def _html_or_definition(
    token: Token, text: str, line_starts: Sequence[int], path: Path
) -> _TitleSlot | _HtmlSlot | None:
    """An HTML block, or a reference definition's title; None when it holds nothing to
    translate, LookupError when it is not found in the source as markdown-it read it."""
    assert token.map is not None
    first, stop = token.map
    if token.type == "html_block":
        return _html_block(token.content, first, stop, text, line_starts, path)
    title = str(token.meta["title"])
    if not title.strip():
        return None
    found = _definition_title(text, text.find("[", line_starts[first]), title)
    if found is None:
        raise LookupError("a link title not found as written")
    return found


def _html_block(
    content: str, first: int, stop: int, text: str, line_starts: Sequence[int], path: Path
) -> _HtmlSlot | None:
    """The HTML block on lines [first, stop) read as an .html fragment; None when it
    holds nothing to translate.

    markdown-it gives the block's lines without their container's prefix ("> ", a list
    item's indentation) and with "\n" line endings. Each, without its own indentation
    (in which markdown-it may have turned a tab into spaces), is found at the end of its
    source line; what comes before it, and the line ending, are written back as they
    were at each of the fragment's line breaks. LookupError when one is not found.
    """
    lines = [line.lstrip(" \t") for line in content.split("\n")]
    if lines[-1] == "":
        lines.pop()  # the content ends with its last line's newline
    if len(lines) != stop - first:
        raise LookupError("HTML block lines not found")
    fragment = _html_fragment("\n".join(lines), path)
    if fragment is None:
        return None
    spans: list[tuple[int, int]] = []
    for number, line in zip(range(first, stop), lines, strict=True):
        line_end = line_starts[number + 1] - 1 if number + 1 < len(line_starts) else len(text)
        written = text[line_starts[number] : line_end].removesuffix("\r")
        if not written.endswith(line):
            raise LookupError("HTML block line not found as written")
        end = line_starts[number] + len(written)
        spans.append((end - len(line), end))
    newlines = tuple(text[a_end:b_start] for (_, a_end), (b_start, _) in pairwise(spans))
    blank_lines = any(not line for line in lines)
    return _HtmlSlot(-1, spans[0][0], spans[-1][1], fragment, newlines, blank_lines)


def _attached_units(slot: _AltSlot | _TitleSlot | _HtmlSlot, text: str, line: int) -> list[Unit]:
    """The units of a slot that is no block of text; `line`: the line it starts on."""
    if isinstance(slot, _AltSlot):
        return [Unit(text[slot.start : slot.words_end], Kind.TEXT, "alt", line)]
    if isinstance(slot, _TitleSlot):
        return [Unit(slot.text, Kind.TEXT, "title", line)]
    return [replace(u, line=line - 1 + (u.line or 1)) for u in slot.fragment.units]


def _role(open_blocks: list[str], heading: str | None, seen_h1: bool) -> str:
    if heading is not None:
        return "headline" if heading == "h1" and not seen_h1 else "heading"
    return next((ROLES[b] for b in reversed(open_blocks) if b in ROLES), "body")


def _read(text: str, path: Path) -> tuple[list[Unit], list[_AnySlot], list[tuple[int, str]]]:
    """The units and slots of an article, and (line, why) for each block left as it is."""
    front = _front_matter_end(text)
    # Blank out front matter (keeping newlines) so offsets and line numbers stay true.
    masked = "".join(c if c == "\n" else " " for c in text[:front]) + text[front:]
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    units: list[Unit] = []
    slots: list[_AnySlot] = []
    problems: list[tuple[int, str]] = []
    open_blocks: list[str] = []
    heading: str | None = None
    seen_h1 = False
    cursor = front

    def attach(found: Sequence[_AltSlot | _TitleSlot | _HtmlSlot]) -> None:
        for slot in found:
            slots.append(replace(slot, unit=len(units)))
            units.extend(_attached_units(slot, text, bisect_right(line_starts, slot.start)))

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
        if token.type in ("html_block", "definition") and token.map:
            try:
                found = _html_or_definition(token, text, line_starts, path)
            except LookupError as error:
                problems.append((token.map[0] + 1, str(error)))  # kept as written, named
                continue
            attach([] if found is None else [found])
            continue
        if token.type != "inline" or not token.children or not token.map:
            continue
        block_end = line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(text)
        try:
            located = _locate(token.children, text, cursor, path)
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
        attach(located.attached)
        problems.extend((bisect_right(line_starts, at), why) for at, why in located.unplaced)
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


# Backslash-escaped in a title: what would end it, or be read as markup before the link
# is (a code span, a tag), or end a table cell.
_TITLE_SPECIALS = frozenset("\\`<|")


def _escape_title(text: str, close: str) -> str:
    """A translated title as written between its quotes or parentheses: one line."""
    specials = _TITLE_SPECIALS | {close} | ({"("} if close == ")" else set())
    out: list[str] = []
    for i, char in enumerate(text):
        if char in "\r\n":
            out.append(" ")  # a blank line would end the paragraph
        elif char in specials:
            out.append("\\" + char)
        elif char == "&" and _starts_reference(text, i):
            out.append("&amp;")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class _Writer:
    skeleton: _Skeleton
    units: Sequence[Unit]
    translations: Sequence[str]
    language: str

    def _marker(self, piece: Piece) -> str:
        """A marker as written: its source markup, or a link's close written out in full
        (see _Locator.child)."""
        if piece.kind is PieceKind.CLOSE and piece.text:
            return piece.text
        return self.span(piece.start, piece.end)

    def span(self, start: int, end: int, inside: _AnySlot | None = None) -> str:
        """The source between start and end, with every slot inside it filled."""
        skeleton = self.skeleton
        return fill_slots(
            skeleton.source, skeleton.slots, skeleton.starts, (start, end), self.slot, inside
        )

    def slot(self, slot: _AnySlot) -> str:
        if isinstance(slot, _Slot):
            return self.block(slot)
        if isinstance(slot, _AltSlot):
            return self.alt(slot)
        if isinstance(slot, _TitleSlot):
            return self.title(slot)
        return self.html(slot)

    def title(self, slot: _TitleSlot) -> str:
        unit_text = self.units[slot.unit].text
        translation = self.translations[slot.unit]
        if translation == unit_text:
            return self.skeleton.source[slot.start : slot.end]
        # a title holds no markup: marker-range characters there are its own icons
        return _escape_title(inline.keep_private_use(unit_text, translation).strip(), slot.close)

    def html(self, slot: _HtmlSlot) -> str:
        """The fragment written by the HTML format, its line breaks as the source's."""
        count = len(slot.fragment.units)
        own = self.translations[slot.unit : slot.unit + count]
        units = self.units[slot.unit : slot.unit + count]
        if all(t == u.text for t, u in zip(own, units, strict=True)):
            return self.skeleton.source[slot.start : slot.end]
        written = render_document(slot.fragment, own, self.language)
        if slot.inline and "|" not in self.skeleton.source[slot.start : slot.end]:
            # only a translated attribute value holds it: in a table, it would end the cell
            written = written.replace("|", "&#124;")
        lines = written.split("\n")
        if not slot.blank_lines:
            lines = [line for line in lines if line.strip()]  # one would end the HTML block
        out = [lines[0]]
        for index, line in enumerate(lines[1:]):
            # A line break a translation added takes the last one's prefix; in a fragment
            # of one line, where no prefix is known, it is a space (HTML's whitespace).
            out.append(slot.newlines[min(index, len(slot.newlines) - 1)] if slot.newlines else " ")
            out.append(line)
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
        units, slots, problems = _read(text, path)
        skeleton = _Skeleton(text, tuple(slots), tuple(slot.start for slot in slots))
        document = Document(path, self.name, units, skeleton)
        document.problems = [
            InputError(path, f"left untranslated, its markup could not be placed: {why}", line)
            for line, why in problems
        ]
        return apply_ui_strings(document, options.ui_strings)

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        skeleton = skeleton_of(document, _Skeleton, translations)
        writer = _Writer(skeleton, document.units, translations, language)
        return writer.span(0, len(skeleton.source))
