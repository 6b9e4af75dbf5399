"""HTML pages: translate block text and title/alt attributes, keep every other byte.

The stdlib `html.parser` tokenizes the page (leniently: unclosed tags and truncated
files parse, nothing raises); each token is located in the source by its position.
The skeleton is the source text plus slots: the span of a block's text, an attribute
value, the `lang` (and XHTML's `xml:lang`) of <html>, the charset a <meta> declares
(outputs are UTF-8). Writing copies the source and fills the slots, so doctype, comments,
attribute quoting, entities, scripts and styles come back as they were. Inline tags
inside a block travel in the unit text as `translator.inline` markers.

A page may be a site generator's template, and a CMS body or a Markdown article's raw HTML
may hold the generator's tags: Hugo shortcodes (`{{< figure src="..." >}}`, `{{% notice %}}`),
Liquid and Jinja tags (`{% include note.html %}`), expressions (`{{ page.author }}`) and
comments (`{# ... #}`). The site's build reads them, so a translated one breaks it: in text
each is kept whole as one standalone marker, and an attribute holding one is left as written
(the Markdown reader applies the same `TEMPLATE_TAG` to its own text).
"""

from __future__ import annotations

import html
import html.parser
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from translator import inline
from translator.documents import ReadOptions, fill_slots, skeleton_of
from translator.documents.encodings import PAGE_ENCODINGS, UTF8_LABELS, decode_page
from translator.inline import Block, Piece, PieceKind
from translator.languages import direction
from translator.model import Document, InputError, Kind, Unit
from translator.segment import apply_ui_strings, is_label_like

# Tags that stay inside their block's unit (as markers); any other tag ends a block.
INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "data", "del", "dfn", "em", "font"}
    | {"i", "img", "ins", "mark", "q", "s", "small", "span", "strike", "strong", "sub", "sup"}
    | {"time", "tt", "u", "wbr", "code", "kbd", "samp", "var"}
)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
# Never translated, kept whole: code, scripts, and anything marked translate="no"
OPAQUE = frozenset(
    {"script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "svg", "math", "template"}
)
ROLES = {"h1": "headline", "p": "body", "title": "page title", "figcaption": "caption"}
ROLES |= {f"h{n}": "heading" for n in range(2, 7)} | {"blockquote": "quote", "td": "cell"}
UI_ROLES = {"button": "button", "label": "label", "nav": "navigation", "option": "option"}
PAGE_UI_ROLES = {"header": "header", "footer": "footer", "aside": "section label"}
# html.parser's own attribute scanner (not in typeshed): attribute spans are found exactly as
# the parser that produced the tokens found them.
TAG_NAME: re.Pattern[str] = html.parser.tagfind_tolerant  # type: ignore[attr-defined]
ATTRIBUTE: re.Pattern[str] = html.parser.attrfind_tolerant  # type: ignore[attr-defined]
IMPLICITLY_CLOSED = frozenset(["p", "li", "dt", "dd", "td", "th", "tr", "option"])
TRANSLATED_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
# <meta name|property="..." content="...">: the page's description and its share cards
# (Open Graph, Twitter) are text readers see; other metas (twitter:card, og:url) are not.
TRANSLATED_METAS = frozenset(
    {"description", "og:title", "og:description", "og:image:alt"}
    | {"twitter:title", "twitter:description", "twitter:image:alt"}
)
# <script> and <style> hold code, and their `title` is no text either: on <style> it
# names an alternate style sheet set.
NO_TEXT_ATTRIBUTES = frozenset({"script", "style"})
_CHARSET_LABEL = re.compile(r"\s*(\S+)")  # <meta charset=" label ">
# <meta http-equiv="Content-Type" content="text/html; charset=label">, as browsers read it
_CONTENT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.IGNORECASE)
UNQUOTABLE = frozenset(" \t\n\r\f\"'=<>`&")
# Hugo shortcodes {{< >}} and {{% %}}, Liquid/Jinja tags {% %}, expressions {{ }} and
# comments {# #} (with their "{{-"/"-%}}" whitespace trimming). A shortcode is tried first,
# so it ends at its own ">}}" or "%}}". A tag may span lines, as Hugo allows.
TEMPLATE_TAG = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
# Elements whose text html.parser hands over whole: code, where "{{" is no template tag.
RAW_TEXT = frozenset({"script", "style"})
_TAG = re.compile(r"<[^>]*>")  # to show the text of an inline element kept whole


@dataclass(frozen=True)
class _Event:
    kind: str  # start, startend, end, data, ref, comment, pi, template, other
    start: int
    end: int = 0  # filled once the next token's position is known
    tag: str = ""
    text: str = ""  # data text, start tag source, or the entity reference as written


class _Tokenizer(HTMLParser):
    """Records every token with its offset in the source."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)  # entities stay separate tokens
        self.line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.events: list[_Event] = []

    def _push(self, kind: str, tag: str = "", text: str = "") -> None:
        line, column = self.getpos()
        self.events.append(_Event(kind, self.line_starts[line - 1] + column, 0, tag, text))

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._push("start", tag, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._push("startend", tag, self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._push("end", tag)

    def handle_data(self, data: str) -> None:
        self._push("data", text=data)

    def handle_entityref(self, name: str) -> None:
        self._push("ref", text="&" + name)

    def handle_charref(self, name: str) -> None:
        self._push("ref", text="&#" + name)

    def handle_comment(self, data: str) -> None:
        self._push("comment")

    def handle_decl(self, decl: str) -> None:
        self._push("other")

    def handle_pi(self, data: str) -> None:
        self._push("pi", text=data)  # "xml version=... encoding=...?" of XHTML

    def unknown_decl(self, data: str) -> None:
        self._push("other")


def _tokenize(source: str) -> tuple[list[_Event], list[int]]:
    tokenizer = _Tokenizer(source)
    tokenizer.feed(source)
    fed = len(tokenizer.events)
    tokenizer.close()
    raw = tokenizer.events
    # close() hands a tag cut off by the end of the file over as data: it is not text
    cut = next((i for i in range(fed, len(raw)) if raw[i].text.startswith("<")), len(raw))
    raw[cut:] = [_Event("other", e.start) for e in raw[cut:]]
    events = []
    for i, event in enumerate(raw):
        end = raw[i + 1].start if i + 1 < len(raw) else len(source)
        if event.kind == "data":
            end = min(end, event.start + len(event.text))
        elif event.kind == "ref":
            own = event.start + len(event.text)
            end = min(end, own + (source[own : own + 1] == ";"))
        events.append(_Event(event.kind, event.start, end, event.tag, event.text))
    return _with_template_tags(events, source), tokenizer.line_starts


def _with_template_tags(events: list[_Event], source: str) -> list[_Event]:
    """`events` with each template tag in the page's text made one "template" event: the
    tokens it covers are dropped, and the text around it in the same token kept as data."""
    out: list[_Event] = []
    code = False  # inside a script or style
    i = 0
    while i < len(events):
        event = events[i]
        if event.tag in RAW_TEXT and event.kind in ("start", "end"):
            code = event.kind == "start"
        found = None if code or event.kind != "data" else _template_tag(events, i, event, source)
        while found is not None:
            match, i = found
            if match.start() > event.start:
                out.append(_data(source, event.start, match.start()))
            out.append(_Event("template", match.start(), match.end()))
            reached = events[i]  # the last token the tag reaches into: its text goes on
            event = _data(source, match.end(), reached.end)
            found = _template_tag(events, i, event, source)
        if event.kind != "data" or event.end > event.start:  # unless a tag left no text
            out.append(event)
        i += 1
    return out


def _data(source: str, start: int, end: int) -> _Event:
    return _Event("data", start, end, text=source[start:end])


def _template_tag(
    events: Sequence[_Event], index: int, event: _Event, source: str
) -> tuple[re.Match[str], int] | None:
    """The first template tag starting in the text of `event` (events[index], or what is left
    of it), and the index of the last event it reaches into; None when there is none.

    A tag may run over markup: html.parser reads the `<figure ...>` of
    `{{<figure src="a.jpg">}}` as a start tag, and the `<b>` of `caption="<b>Storm</b>"` as
    one. But braces that would reach over other markup, or end inside a tag, are text:
    `{{ x` in one paragraph closes nothing in the next.
    """
    position = source.find("{", event.start, event.end)
    while position >= 0:
        reach = index  # the last event a tag starting here may cover
        while reach + 1 < len(events) and _may_be_in_a_tag(events[reach + 1], position):
            reach += 1
        limit = events[reach + 1].start if reach + 1 < len(events) else len(source)
        match = TEMPLATE_TAG.match(source, position, limit)
        if match is not None:
            last = next(k for k in range(reach, index - 1, -1) if events[k].start < match.end())
            if events[last].end <= match.end() or events[last].kind == "data":
                return match, last
        position = source.find("{", position + 1, event.end)
    return None


def _may_be_in_a_tag(event: _Event, tag_start: int) -> bool:
    """Can a template tag starting at `tag_start` cover `event`? Text, inline elements, and
    a shortcode's own name (`{{<figure`, `{{</figure`) read as a start or end tag."""
    if event.kind not in ("start", "startend", "end"):
        return True
    return event.tag in INLINE or event.start == tag_start + len("{{")


def _end_tags(events: Sequence[_Event]) -> dict[int, int]:
    """Start event index -> index of the end tag closing it, as a lenient browser pairs them."""
    open_: list[int] = []
    found: dict[int, int] = {}
    for i, event in enumerate(events):
        if event.kind == "start" and event.tag not in VOID:
            open_.append(i)
        elif event.kind == "end":
            tags = [events[j].tag for j in open_]
            if event.tag in tags:
                at = len(tags) - 1 - tags[::-1].index(event.tag)
                found[open_[at]] = i
                del open_[at:]
    return found


@dataclass(frozen=True)
class _Attribute:
    name: str
    value: str | None  # decoded
    start: int  # span of the value as written, quotes included
    end: int
    quote: str


@lru_cache(maxsize=256)  # each start tag is scanned twice in a row: opaque?, then read
def _attributes(tag_text: str, offset: int) -> tuple[int, tuple[_Attribute, ...]]:
    """The end of the tag name (before any space) and each attribute, scanned as
    html.parser scans them."""
    match = TAG_NAME.match(tag_text, 1)
    if match is None:
        return offset + len(tag_text), ()
    name_end, k = match.end(1), match.end()
    found = []
    while k < len(tag_text):
        m = ATTRIBUTE.match(tag_text, k)
        if not m:
            break
        value: str | None = None
        quote = ""
        if m.group(2):
            value = m.group(3)
            if value[:1] in "'\"" and len(value) > 1 and value[:1] == value[-1:]:
                quote, value = value[0], value[1:-1]
            value = html.unescape(value)
        start, end = (m.start(3), m.end(3)) if m.group(2) else (m.end(1), m.end(1))
        found.append(_Attribute(m.group(1).lower(), value, offset + start, offset + end, quote))
        k = m.end()
    return offset + name_end, tuple(found)


@dataclass(frozen=True)
class _AttributeSlot:
    start: int
    end: int
    unit: int
    quote: str
    lead: str
    trail: str


@dataclass(frozen=True)
class _RunSlot:
    start: int
    end: int
    unit: int
    block: Block


@dataclass(frozen=True)
class _DirSlot:
    """<html>'s dir value, or the empty span after the tag's name where ` dir="rtl"` is
    added for a language written right to left (a left-to-right page needs none)."""

    start: int
    end: int
    quote: str
    prefix: str = ""  # " dir=" when added


@dataclass(frozen=True)
class _LangSlot:
    """<html>'s lang or xml:lang value, or the empty span after the tag's name where a lang
    attribute is added (` lang="es"`: a space before it, and the next attribute's own after)."""

    start: int
    end: int
    quote: str  # as written ("" unquoted); the value written is quoted either way
    prefix: str = ""  # written before the value: " lang=" when added, "=" after a bare `lang`


@dataclass(frozen=True)
class _CharsetSlot:
    start: int  # the span of the encoding label, inside the attribute's quotes
    end: int


_Slot = _AttributeSlot | _RunSlot | _LangSlot | _DirSlot | _CharsetSlot


@dataclass(frozen=True)
class _Skeleton:
    source: str
    slots: tuple[_Slot, ...]  # by start, outer before nested
    starts: tuple[int, ...]


@dataclass
class _Reader:
    source: str
    events: list[_Event]
    line_starts: list[int]
    units: list[Unit] = field(default_factory=list)
    slots: list[_Slot] = field(default_factory=list)
    stack: list[tuple[str, bool]] = field(default_factory=list)  # (tag, in article)
    keeping: bool = False  # inside a block marked translate="no": read for structure only
    # (last event of the element that set `keeping`, its value before), innermost last
    overrides: list[tuple[int, bool]] = field(default_factory=list)
    run: list[Piece] = field(default_factory=list)
    run_context: tuple[str, str | None] = ("body", None)
    language: str | None = None
    matches: dict[int, int] = field(init=False)  # start event -> its end tag's

    def __post_init__(self) -> None:
        self.matches = _end_tags(self.events)

    def line(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def read(self) -> None:
        """Read the events in order, each once, an element kept whole skipped to its end.

        translate is inherited and a descendant's own overrides it (HTML spec, as Okapi and
        DeepL read it). So a block marked translate="no" that holds an element marked
        translate="yes" is not skipped: its content is read for structure only (the open
        elements give the inner text its role) until that element, which is read as any
        other, its text a unit of its own.
        """
        i = 0
        while i < len(self.events):
            last = self._read_at(i)
            while self.overrides and self.overrides[-1][0] <= last:
                _, self.keeping = self.overrides.pop()  # the element that set it has ended
                self._flush()
            i = last + 1
        self._flush()

    def _read_at(self, i: int) -> int:
        """Read event i, or all of the element it starts when that is kept whole; the index
        of the last event read."""
        event = self.events[i]
        if event.kind not in ("start", "startend"):
            if not self.keeping:
                self._event(event)
            elif event.kind == "end":
                self._pop(event.tag)
            return i
        flag = _translate_flag(event)
        stop = self.overrides[-1][0] + 1 if self.overrides else len(self.events)
        last = self._element_end(i, stop)
        if flag is True and self.keeping:
            self._override(last, keeping=False)
        if self._kept_whole(i, last):
            if not self.keeping:
                self._keep_whole(event, last)
            return last
        if flag is False:  # a block holding translate="yes" (see read)
            self._flush()
            self._override(last, keeping=True)
        if self.keeping:
            self._open(event)
        else:
            self._event(event)
        return i

    def _override(self, last: int, keeping: bool) -> None:
        """Read for structure only (`keeping`), or not, up to event `last`."""
        self.overrides.append((last, self.keeping))
        self.keeping = keeping

    def _kept_whole(self, i: int, last: int) -> bool:
        """Is the element of event i (to event `last`) kept with all it holds? Code is,
        and translate="no": an inline element stays one piece of its paragraph whatever
        it holds (a translate="yes" inside it would cut the sentence in three), a block
        unless it holds an element marked translate="yes"."""
        event = self.events[i]
        if event.tag in OPAQUE:
            return True
        if _translate_flag(event) is not False:
            return False
        inside = self.events[i + 1 : last + 1]
        return event.tag in INLINE or not any(
            e.kind in ("start", "startend") and _translate_flag(e) for e in inside
        )

    def _keep_whole(self, event: _Event, last: int) -> None:
        """An element kept whole: one standalone marker of its paragraph when inline, else
        the end of the paragraph before it; its translated attributes are read."""
        if event.tag in INLINE:
            end = self.events[last].end
            shown = html.unescape(_TAG.sub("", self.source[event.start : end]))
            self._add(Piece(PieceKind.SOLO, event.start, end, shown))
        else:
            self._flush()
        self._kept_element_attributes(event)

    def _element_end(self, i: int, stop: int) -> int:
        """The last event of the element started by event i, before event `stop`."""
        event = self.events[i]
        if event.kind == "startend" or event.tag in VOID:
            return i
        j = self.matches.get(i)
        if j is not None and j < stop:
            return j
        if event.tag in INLINE or event.tag in IMPLICITLY_CLOSED:
            return min(self._inline_end(i), stop - 1)  # unclosed <p>: up to the next block
        return stop - 1

    def _inline_end(self, i: int) -> int:
        """The last event before the next block-level tag after event i."""
        for j in range(i + 1, len(self.events)):
            event = self.events[j]
            if event.kind in ("start", "startend", "end") and event.tag not in INLINE:
                return j - 1
        return len(self.events) - 1

    def _kept_element_attributes(self, event: _Event) -> None:
        """<pre>, <textarea> or <svg> keep their content as written, but a title, placeholder
        or aria-label on them is text readers see, as on any element."""
        if event.tag in NO_TEXT_ATTRIBUTES or _translate_flag(event) is False:
            return  # translate="no" covers the element's attributes too (HTML spec)
        _, attributes = _attributes(event.text, event.start)
        self._translated_attributes(event.tag, attributes, event.start)

    def _event(self, event: _Event) -> None:
        if event.kind in ("start", "startend"):
            self._start(event)
        elif event.kind == "end":
            if self._inline(event.tag):
                self._add(Piece(PieceKind.CLOSE, event.start, event.end, key=event.tag))
            else:
                self._flush()
            self._pop(event.tag)
        elif event.kind == "data":
            self._add(Piece(PieceKind.TEXT, event.start, event.end, event.text, literal=True))
        elif event.kind == "ref":
            raw = self.source[event.start : event.end]
            self._add(Piece(PieceKind.TEXT, event.start, event.end, html.unescape(raw)))
        elif event.kind == "template" or (event.kind == "comment" and self.run):
            self._add(Piece(PieceKind.SOLO, event.start, event.end))  # kept whole, in place
        else:
            self._flush()

    def _start(self, event: _Event) -> None:
        name_end, attributes = _attributes(event.text, event.start)
        if event.tag == "html":
            self._html_lang(name_end, attributes)
        if self._inline(event.tag):
            kind = (
                PieceKind.OPEN
                if event.kind == "start" and event.tag not in VOID
                else PieceKind.SOLO
            )
            self._add(Piece(kind, event.start, event.end, key=event.tag))
        else:
            self._flush()
        self._open(event)
        self._translated_attributes(event.tag, attributes, event.start)

    def _open(self, event: _Event) -> None:
        """Put the element of a start tag on the stack of open elements."""
        # <p> ends at any block, <li> at the next <li>: as lenient parsers close them
        if (
            not self._inline(event.tag)
            and self.stack
            and self.stack[-1][0] in IMPLICITLY_CLOSED & {event.tag, "p"}
        ):
            self.stack.pop()
        if event.kind == "start" and event.tag not in VOID:
            in_article = event.tag in ("article", "main") or (
                bool(self.stack) and self.stack[-1][1]
            )
            self.stack.append((event.tag, in_article))

    def _inline(self, tag: str) -> bool:
        """Inline tags stay inside their block's unit; but each link of a menu is its own string."""
        return tag in INLINE and not (tag == "a" and self._context()[1] == "navigation")

    def _pop(self, tag: str) -> None:
        tags = [t for t, _ in self.stack]
        if tag in tags:
            del self.stack[len(tags) - 1 - tags[::-1].index(tag) :]

    def _html_lang(self, name_end: int, attributes: Sequence[_Attribute]) -> None:
        """<html>'s lang, and XHTML's xml:lang, are the page's language: each is set to the
        target, and lang added when missing. As browsers, the first of a name counts."""
        found: dict[str, _Attribute] = {}
        for attribute in attributes:
            if attribute.name in ("lang", "xml:lang") and attribute.name not in found:
                found[attribute.name] = attribute
                prefix = "" if attribute.value is not None else "="
                slot = _LangSlot(attribute.start, attribute.end, attribute.quote, prefix)
                self.slots.append(slot)
        if "lang" not in found:
            self.slots.append(_LangSlot(name_end, name_end, "", " lang="))
        written_dir = next((a for a in attributes if a.name == "dir"), None)
        if written_dir is None:
            self.slots.append(_DirSlot(name_end, name_end, "", " dir="))
        elif (written_dir.value or "").strip().lower() in ("ltr", "rtl"):  # "auto" stays
            self.slots.append(_DirSlot(written_dir.start, written_dir.end, written_dir.quote))
        declared = (
            (found[name].value or "").strip() for name in ("lang", "xml:lang") if name in found
        )
        self.language = next((value for value in declared if value), None)

    def _context(self) -> tuple[str, str | None]:
        """(role from the nearest block, UI role from the nearest UI container or None)."""
        role = next((ROLES[t] for t, _ in reversed(self.stack) if t in ROLES), "body")
        for tag, in_article in reversed(self.stack):
            if tag in UI_ROLES:
                return role, UI_ROLES[tag]
            if tag in PAGE_UI_ROLES and not in_article:
                return role, PAGE_UI_ROLES[tag]
        return role, None

    def _translated_attributes(
        self, tag: str, attributes: Sequence[_Attribute], tag_start: int
    ) -> None:
        _, ui_role = self._context()
        for attribute, role in _translated(tag, attributes):
            value = attribute.value or ""
            if not value.strip() or TEMPLATE_TAG.search(value):
                continue  # a template tag there would need markup an attribute cannot hold
            kind = Kind.UI if ui_role else Kind.TEXT
            lead = value[: len(value) - len(value.lstrip())]
            trail = value[len(value.rstrip()) :]
            unit = Unit(value.strip(), kind, role, self.line(tag_start))
            slot = _AttributeSlot(
                attribute.start, attribute.end, len(self.units), attribute.quote, lead, trail
            )
            self.units.append(unit)
            self.slots.append(slot)

    def _add(self, piece: Piece) -> None:
        if not self.run:
            self.run_context = self._context()
        self.run.append(piece)

    def _flush(self) -> None:
        pieces, self.run = self.run, []
        block = inline.build_block(pieces) if pieces else None
        if block is None:
            return
        kind, role = self._classify(block.text)
        self.slots.append(_RunSlot(block.start, block.end, len(self.units), block))
        self.units.append(Unit(block.text, kind, role, self.line(block.start), block.shown))

    def _classify(self, text: str) -> tuple[Kind, str]:
        """By structure only; the site's UI list is applied to the whole document after."""
        role, ui_role = self.run_context
        if (
            ui_role == "section label"
            and role not in ("headline", "heading")
            and not is_label_like(text)
        ):
            return Kind.TEXT, "teaser"  # an aside's teasers are article text; its headings are UI
        if ui_role:
            return Kind.UI, ui_role
        return Kind.TEXT, role


def _translate_flag(event: _Event) -> bool | None:
    """What an element says of its own translation: False for translate="no" or
    class="notranslate" (Google's convention), True for translate="yes" (or an empty
    translate, as the HTML spec reads it), None when it inherits its parent's. The
    attribute, the standard, wins over the class on the same element, as a translate="yes"
    inside a class="notranslate" element does."""
    _, attributes = _attributes(event.text, event.start)
    values = {a.name: (a.value or "") for a in attributes}
    translate = values.get("translate")
    state = None if translate is None else translate.strip().lower()
    if state in ("yes", "no", ""):  # any other value is invalid: inherited
        return state != "no"
    return False if "notranslate" in values.get("class", "").split() else None


# Text, not markup, to a browser, though html.parser reads tags in them: a "<meta>"
# there declares nothing.
_TEXT_ONLY = frozenset({"textarea", "title", "template"})
_XML_ENCODING = re.compile(r"xml\s[^?]*?\bencoding\s*=\s*[\"']([^\"']+)[\"']")


def _charset_slots(events: Sequence[_Event]) -> Iterator[_CharsetSlot]:
    """The encoding labels of the page's <meta> elements that are not UTF-8. Every <meta>
    counts, inside translate="no" or not: a browser finds them by scanning the bytes."""
    for label, slot in _charset_declarations(events):
        if label.lower() not in UTF8_LABELS:
            yield slot


def _charset_declarations(events: Sequence[_Event]) -> Iterator[tuple[str, _CharsetSlot]]:
    """Each encoding label the page declares, as written, with its span."""
    inside = 0  # open elements of _TEXT_ONLY
    for event in events:
        if event.tag in _TEXT_ONLY and event.kind in ("start", "end"):
            inside = max(0, inside + (1 if event.kind == "start" else -1))
        elif event.kind in ("start", "startend") and event.tag == "meta" and not inside:
            declared = _charset_declaration(event.text, event.start)
            if declared is not None:
                yield declared
        elif event.kind == "pi":  # XHTML's <?xml ... encoding="..."?>, read first
            xml = _XML_ENCODING.match(event.text)
            if xml:
                start = event.start + len("<?") + xml.start(1)
                yield xml.group(1), _CharsetSlot(start, start + len(xml.group(1)))


def _charset_declaration(tag_text: str, offset: int) -> tuple[str, _CharsetSlot] | None:
    _, attributes = _attributes(tag_text, offset)
    first: dict[str, _Attribute] = {}
    for attribute in attributes:
        first.setdefault(attribute.name, attribute)  # as browsers, the first of a name counts
    http_equiv = (first["http-equiv"].value or "") if "http-equiv" in first else ""
    if "charset" in first:
        pattern, declaring = _CHARSET_LABEL, first["charset"]
    elif "content" in first and http_equiv.strip().lower() == "content-type":
        pattern, declaring = _CONTENT_CHARSET, first["content"]
    else:
        return None
    # the value as written, without its quotes: the label is replaced in place
    inner = declaring.start + len(declaring.quote)
    written = tag_text[inner - offset : declaring.end - offset - len(declaring.quote)]
    match = pattern.search(written)
    if match is None:
        return None
    return match.group(1), _CharsetSlot(inner + match.start(1), inner + match.end(1))


def decode_declared(data: bytes, path: Path, not_utf8: InputError) -> str:
    """An HTML page that is not UTF-8, read in the charset its markup declares, as browsers
    read it (see PAGE_ENCODINGS); `not_utf8` when it declares none, or UTF-8."""
    declared = declared_charset(data)
    if declared is None:
        raise not_utf8 from None
    label = declared.strip().lower()
    if label not in PAGE_ENCODINGS:
        raise InputError(
            path,
            f"{not_utf8.message}, and the charset it declares, {declared!r}, "
            "is not one we can read",
            not_utf8.line,
        ) from None
    name, codec = PAGE_ENCODINGS[label]
    if name == "utf-8":
        raise not_utf8 from None
    try:
        return decode_page(data, codec)
    except UnicodeDecodeError as error:
        read_as = "" if name == label else f", read as {name} as browsers do"
        raise InputError(
            path,
            f"not text in the charset it declares, {declared!r}{read_as} "
            f"(invalid byte 0x{data[error.start]:02x} at offset {error.start})",
            data[: error.start].count(b"\n") + 1,
        ) from None


def declared_charset(data: bytes) -> str | None:
    """The encoding label a page's bytes declare, as written: the first <meta charset> or
    http-equiv Content-Type in its first 1024 bytes (where a browser's prescan looks), or
    an XHTML page's XML declaration. The writer declares UTF-8 in its place."""
    head = data[:1024].decode("latin-1")  # one character a byte: markup reads as ASCII
    return next((label for label, _ in _charset_declarations(_tokenize(head)[0])), None)


def _translated(tag: str, attributes: Sequence[_Attribute]) -> Iterator[tuple[_Attribute, str]]:
    """The attributes of a tag whose values are translated, each with its unit's role."""
    for attribute in attributes:
        if attribute.name in TRANSLATED_ATTRIBUTES:
            yield attribute, attribute.name
    if tag == "meta":
        values = {a.name: (a.value or "").strip().lower() for a in attributes}
        meta = values.get("name") or values.get("property") or ""
        if meta in TRANSLATED_METAS:
            yield from ((a, meta) for a in attributes if a.name == "content")


def _escape_attribute(value: str, quote: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace(quote, "&quot;" if quote == '"' else "&#x27;") if quote else escaped


@dataclass(frozen=True)
class _Writer:
    skeleton: _Skeleton
    units: Sequence[Unit]
    translations: Sequence[str]
    language: str

    def span(self, start: int, end: int, inside: _Slot | None = None) -> str:
        """The source between start and end, with every slot inside it filled."""
        skeleton = self.skeleton
        return fill_slots(
            skeleton.source, skeleton.slots, skeleton.starts, (start, end), self.slot, inside
        )

    def slot(self, slot: _Slot) -> str:
        source = self.skeleton.source
        if isinstance(slot, _CharsetSlot):
            # outputs are always UTF-8 (see translator.documents): declare it, in the label's case
            return "UTF-8" if source[slot.start : slot.end].isupper() else "utf-8"
        if isinstance(slot, _DirSlot):
            written, wanted = source[slot.start : slot.end], direction(self.language)
            if slot.prefix and wanted == "ltr":
                return written  # nothing added: left to right is the default
            if not slot.prefix and html.unescape(written).strip("'\"").lower() == wanted:
                return written
            quote = slot.quote or '"'
            return slot.prefix + quote + wanted + quote
        if isinstance(slot, _LangSlot):
            written = source[slot.start : slot.end]
            if not slot.prefix and html.unescape(written).strip("'\"") == self.language:
                return written  # already right: keep it as written
            quote = slot.quote or '"'
            return slot.prefix + quote + _escape_attribute(self.language, quote) + quote
        translation = self.translations[slot.unit]
        unit_text = self.units[slot.unit].text
        if isinstance(slot, _AttributeSlot):
            # an attribute holds no markup: marker-range characters there are its own icons
            value = inline.keep_private_use(unit_text, translation).strip()
            if value == unit_text:
                return source[slot.start : slot.end]
            value = slot.lead + value + slot.trail
            if not slot.quote and value and not any(c in value for c in UNQUOTABLE):
                return _escape_attribute(value, "")  # it was unquoted and still can be
            quote = slot.quote or '"'
            return quote + _escape_attribute(value, quote) + quote
        repaired = inline.repair(unit_text, translation)
        if repaired == unit_text:
            return self.span(slot.start, slot.end, inside=slot)
        markers = slot.block.markers
        # a character the source wrote as an entity (&nbsp;, &#62;) is written the same way
        spelled = {
            p.text: source[p.start : p.end]
            for p in slot.block.pieces
            if p.kind is PieceKind.TEXT and not p.literal and len(p.text) == 1
        }
        return inline.write(
            repaired,
            lambda text: "".join(spelled.get(c) or html.escape(c, quote=False) for c in text),
            lambda char: self.span(markers[char].start, markers[char].end),
        )


def _read(
    text: str,
    path: Path,
    stack: list[tuple[str, bool]],
    tokens: tuple[list[_Event], list[int]] | None = None,
) -> Document:
    """`text` read as HTML, starting inside the open elements `stack`; `tokens` are
    `_tokenize(text)`'s, when the caller has them already."""
    events, line_starts = tokens or _tokenize(text)
    reader = _Reader(text, events, line_starts, stack=stack)
    reader.read()
    found = [*reader.slots, *_charset_slots(events)]
    slots = tuple(sorted(found, key=lambda s: (s.start, -s.end)))
    skeleton = _Skeleton(text, slots, tuple(s.start for s in slots))
    return Document(path, HtmlFormat.name, reader.units, skeleton, reader.language)


def is_markup(text: str) -> bool:
    """Does `text` hold HTML elements, rather than words that happen to use "<"?

    An element counts when it is void (`<br>`, `<img>`) or closed by its own end tag
    (`<p>...</p>`): "a < b", "x<y and z>w" or a "<name>" placeholder hold none.
    """
    return "<" in text and _holds_elements(_tokenize(text)[0])


def _holds_elements(events: list[_Event]) -> bool:
    closed = _end_tags(events)
    return any(
        i in closed or (event.kind in ("start", "startend") and event.tag in VOID)
        for i, event in enumerate(events)
    )


# The open element a fragment is read inside: no tag (the tokenizer never yields an
# empty name), and article content.
_ARTICLE_ROOT = ("", True)


def parse_fragment(text: str, path: Path) -> Document | None:
    """HTML held in another format's field (a JSON record's "body"), as an "html" Document;
    None when `text` holds no element (see `is_markup`), read once either way.

    It is the article's own content, so an <aside> or <footer> in it is read as article
    text, not as the page chrome it would be outside <article>. The site's UI list is
    left to the holding format, which applies it to all its units. Write it back with
    `render_document`.
    """
    if "<" not in text:
        return None
    tokens = _tokenize(text)
    return _read(text, path, [_ARTICLE_ROOT], tokens) if _holds_elements(tokens[0]) else None


class HtmlFormat:
    """The `Format` for .html/.htm pages."""

    name = "html"

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        return apply_ui_strings(_read(text, path, []), options.ui_strings)

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        skeleton = skeleton_of(document, _Skeleton, translations)
        writer = _Writer(skeleton, document.units, translations, language)
        return writer.span(0, len(skeleton.source))
