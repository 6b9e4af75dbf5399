"""Article records as JSON (an object or a list of objects) and JSON Lines.

The string fields named in `ReadOptions.json_fields` are translated wherever
they occur (a record's "title", a teaser's "title" in a nested list); a field
holding a list of strings gives one unit per string; a field's text is cut
into one unit per paragraph (newline-separated). Everything else is kept.

A field whose value is HTML markup (a CMS export's body: WordPress REST
`content.rendered`, Arc, newsroom feeds) is read and written by the HTML format
(`translator.documents.html`): its tags travel as inline markers, its `alt` and
`title` attributes are translated, its scripts and code are kept, and its markup
comes back byte-for-byte. `html.parse_fragment` decides, conservatively: a value needs
an element (`<p>...</p>`, `<br>`), not just a "<" ("a < b").

Rendering splices: only the translated string tokens, and each record's
"lang"/"language" value when it is a language code (set to the target language, as
HTML's `lang` is), are rewritten (as JSON, non-ASCII kept as is), so key order,
indentation, spacing, number spelling and escapes elsewhere stay byte-for-byte. A
string whose translation equals its text keeps its original token, escapes
included; a rewritten one escapes again what its source token escaped without need
(WordPress's "\\/" in `<\\/p>`, "\\u00e9").

JSON Lines: a line that is not valid JSON (or not an object) does not stop the
file. It is copied to the output unchanged, and listed in the document's
`problems` as an `InputError` naming the line, for the run to report
("path:3: invalid JSON: ...").
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator import inline
from translator.documents import ReadOptions, half_pair, render_document, skeleton_of
from translator.documents.html import parse_fragment
from translator.languages import LANGUAGE_CODE, base_language, normalise_language
from translator.model import Document, InputError, Kind, Unit
from translator.segment import apply_ui_strings

# Roles of the fields of a record; fields of objects nested in a record (related
# articles, an author) are teasers: "teaser headline" for a title, else "teaser".
ROLES = {"title": "headline", "subtitle": "teaser", "summary": "summary", "body": "body"}
LANGUAGE_FIELDS = ("lang", "language")
_PARAGRAPH_BREAK_RE = re.compile(r"\s*\n\s*")
# An escape in a string token: a surrogate pair, any other \uXXXX, or "\" and one character.
_ESCAPE_RE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\."
)
_LINE_RE = re.compile(r"[^\n]*\n?")


class _Located(str):
    """A string value that knows where its token is in the source: `source[start:end]`."""

    start: int
    end: int


@dataclass
class _Slot:
    """One translated string token: its span, its value, and value pieces (text or unit index)."""

    start: int
    end: int
    value: str
    pieces: list[str | int]


@dataclass
class _HtmlSlot:
    """A string token holding HTML: the value read as an HTML fragment, whose units are
    the record's units from `first_unit` on, in order."""

    start: int
    end: int
    value: str
    fragment: Document
    first_unit: int


def _is_language_code(value: Any) -> bool:
    """A code ("en", "en_US") or nothing yet (""): a name ("English") is not ours to set."""
    return isinstance(value, _Located) and (
        not value or bool(LANGUAGE_CODE.match(normalise_language(value)))
    )


@dataclass
class _LanguageSlot:
    """A record's "lang"/"language" value token: written as the target language."""

    start: int
    end: int
    value: str


_AnySlot = _Slot | _HtmlSlot | _LanguageSlot


@dataclass
class JsonSkeleton:
    """The file's text and where each translated string and language field sits in it."""

    source: str
    slots: list[_AnySlot]


def _locating_decoder(offset: int, fields: Collection[str]) -> json.JSONDecoder:
    """A decoder whose string values are `_Located`, spans shifted by `offset`, and
    that refuses a record giving one of `fields` twice (see `_DuplicateKey`).

    The pure-Python scanner calls `decoder.parse_string` for string values
    (object keys go through `scanstring` directly), which is the hook we need;
    the C scanner offers none.
    """
    decoder = json.JSONDecoder()

    def parse_string(source: str, end: int, strict: bool) -> tuple[str, int]:
        value, after = json.decoder.scanstring(source, end, strict)  # type: ignore[attr-defined]
        located = _Located(value)
        located.start, located.end = offset + end - 1, offset + after
        return located, after

    make_scanner: Callable[[json.JSONDecoder], Any] = getattr(json.scanner, "py_make_scanner")  # noqa: B009
    decoder.object_pairs_hook = functools.partial(_unique_fields, frozenset(fields))
    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    decoder.scan_once = make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder


class _DuplicateKey(ValueError):
    """A record giving a translated field twice: JSON readers keep the last value, and
    the first would go untranslated without a word. (Other keys given twice are copied
    as they are, whatever a reader makes of them.)"""

    def __init__(self, key: str, value: Any) -> None:
        super().__init__(key)
        self.key = key
        self.start = value.start if isinstance(value, _Located) else None


def _unique_fields(fields: frozenset[str], pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, value in pairs:
        if key in seen and key in fields:
            raise _DuplicateKey(key, value)
        seen.add(key)
    return dict(pairs)


def _duplicate(path: Path, text: str, error: _DuplicateKey, line: int | None = None) -> InputError:
    if line is None and error.start is not None:
        line = text.count("\n", 0, error.start) + 1
    problem = f"duplicate key {json.dumps(error.key)}: a JSON reader keeps only its last value"
    return InputError(path, problem, line)


class _Collector:
    """Walks parsed records and turns the named string fields into units and slots."""

    def __init__(self, source: str, path: Path, fields: tuple[str, ...]) -> None:
        self.path = path
        self.fields = frozenset(fields)
        self.units: list[Unit] = []
        self.slots: list[_AnySlot] = []
        self._newlines = [i for i, char in enumerate(source) if char == "\n"]

    def walk(self, value: Any, nested: bool = False) -> None:
        """Collect the named fields of `value`: a record, or records below it when `nested`."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key in LANGUAGE_FIELDS and not nested and _is_language_code(item):
                    # The record's own language: a CMS files the translation by it. A
                    # name ("English") is another convention than ours: left alone.
                    self.slots.append(_LanguageSlot(item.start, item.end, str(item)))
                elif key in self.fields:
                    self._field(key, item, nested)
                else:
                    self.walk(item, nested=True)
        elif isinstance(value, list):
            for item in value:
                self.walk(item, nested)

    def _field(self, key: str, value: Any, nested: bool) -> None:
        role = _role(key, nested)
        if isinstance(value, _Located):
            self._string(role, value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            for item in value:
                self._string(role, item)
        else:
            self.walk(value, nested=True)

    def _string(self, role: str, value: _Located) -> None:
        if not value.strip():
            return
        line = bisect.bisect_left(self._newlines, value.start) + 1
        fragment = parse_fragment(str(value), self.path)
        if fragment is not None:  # a field holding HTML: its units are the HTML format's
            self.slots.append(
                _HtmlSlot(value.start, value.end, str(value), fragment, len(self.units))
            )
            self.units.extend(_field_unit(unit, role, line) for unit in fragment.units)
            return
        pieces: list[str | int] = []
        position = 0
        for start, end in _split_value(value):
            pieces.append(value[position:start])
            pieces.append(len(self.units))
            self.units.append(Unit(value[start:end], role=role, line=line))
            position = end
        pieces.append(value[position:])
        self.slots.append(_Slot(value.start, value.end, str(value), pieces))


def _role(key: str, nested: bool) -> str:
    """A field's role: by name in a record; a teaser's in objects nested inside one."""
    if nested:
        return "teaser headline" if key == "title" else "teaser"
    return ROLES.get(key, key)


def _field_unit(unit: Unit, role: str, line: int) -> Unit:
    """A unit of a field's HTML as a unit of the record: on the field's line, and with
    the field's role where the HTML gives none more precise (a heading, an alt text)."""
    plain = unit.kind is Kind.TEXT and unit.role == "body"  # the HTML reader's default
    return dataclasses.replace(unit, role=role if plain else unit.role, line=line)


def _split_value(value: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of `value`, separators and outer whitespace excluded."""
    first = len(value) - len(value.lstrip())
    last = len(value.rstrip())
    spans: list[tuple[int, int]] = []
    start = first
    for gap in _PARAGRAPH_BREAK_RE.finditer(value, first, last):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, last))
    return spans


def _declared_language(records: list[Any], path: Path) -> str | None:
    """The language code the records' "lang"/"language" fields declare, when every
    record declares the same one (a name such as "English" declares none of ours).

    A file is one article, translated from one language: records declaring different
    ones are an InputError, not a French record run through an English engine.
    """
    codes: set[str] = set()
    every = True
    for record in records:
        value = next(
            (record[k] for k in LANGUAGE_FIELDS if isinstance(record, dict) and k in record), None
        )
        code = normalise_language(value) if isinstance(value, str) else ""
        if LANGUAGE_CODE.match(code):
            codes.add(code)
        else:
            every = False
    languages = sorted({base_language(code) for code in codes})  # en and en-GB are one
    if len(languages) > 1:
        raise InputError(
            path,
            f"its records declare {len(languages)} languages ({', '.join(languages)}); a file "
            "is translated from one: give each language a file of its own",
        )
    return codes.pop() if len(codes) == 1 and every else None


def _invalid(path: Path, error: json.JSONDecodeError, line: int | None = None) -> InputError:
    """`error` said to a person; `line`: of a JSONL record, whose text `error` read."""
    message, position = error.msg, error.pos
    before = error.doc[:position].rstrip()
    if before.endswith(",") and error.doc[position : position + 1] in ("}", "]"):
        message = f"a comma before the closing {error.doc[position]!r} (JSON allows none there)"
        position = len(before) - 1
    lineno = error.doc.count("\n", 0, position) + 1
    column = position - error.doc.rfind("\n", 0, position)
    if line is None:
        return InputError(path, f"invalid JSON: {message} (line {lineno}, column {column})", lineno)
    return InputError(path, f"invalid JSON: {message} (column {column})", line)


def _translated_value(
    slot: _AnySlot, units: Sequence[Unit], translations: Sequence[str], language: str
) -> str:
    """The value a slot's token now holds: the target language, a field with each of its
    paragraphs translated, or a field's HTML written back by the HTML format."""
    if isinstance(slot, _LanguageSlot):
        return language
    if isinstance(slot, _HtmlSlot):
        own = translations[slot.first_unit : slot.first_unit + len(slot.fragment.units)]
        return render_document(slot.fragment, own, language)
    return "".join(
        piece
        if isinstance(piece, str)
        else inline.keep_private_use(units[piece].text, translations[piece])
        for piece in slot.pieces
    )


def _json_string(value: str, token: str) -> str:
    """`value` as a JSON string token, escaping what the source `token` escaped without need.

    Encoders escape more than JSON requires: WordPress and PHP write "/" as "\\/" (so
    `</p>` is `<\\/p>`), PHP and Python non-ASCII as "\\u00e9". Written the same way again,
    an HTML body's markup stays byte-for-byte around its translated words.
    """
    optional = {ord(char): escape for char, escape in _optional_escapes(token).items()}
    return json.dumps(value, ensure_ascii=False).translate(optional)


def _optional_escapes(token: str) -> dict[str, str]:
    """Character -> its escape, for each character `token` escaped that JSON allows as is.

    ASCII letters and digits are left out: they make up the escapes json.dumps writes.
    """
    found: dict[str, str] = {}
    for match in _ESCAPE_RE.finditer(token):
        char = json.loads(f'"{match[0]}"')
        needed = json.dumps(char, ensure_ascii=False) != f'"{char}"'
        if not needed and not (char.isascii() and char.isalnum()):
            found.setdefault(char, match[0])
    return found


class JsonFormat:
    name = "json"

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        try:
            data = _locating_decoder(0, options.json_fields).decode(text)
        except json.JSONDecodeError as error:
            raise _invalid(path, error) from None
        except _DuplicateKey as error:
            raise _duplicate(path, text, error) from None
        if not isinstance(data, dict | list):
            raise InputError(
                path, "not an article record (expected a JSON object or a list of objects)"
            )
        collector = _Collector(text, path, options.json_fields)
        collector.walk(data)
        records = data if isinstance(data, list) else [data]
        document = Document(
            path,
            self.name,
            collector.units,
            JsonSkeleton(text, collector.slots),
            _declared_language(records, path),
        )
        return apply_ui_strings(document, options.ui_strings)

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        skeleton = skeleton_of(document, JsonSkeleton, translations)
        parts: list[str] = []
        position = 0
        for slot in skeleton.slots:
            parts.append(skeleton.source[position : slot.start])
            value = _translated_value(slot, document.units, translations, language)
            # An unchanged string keeps its original token, escapes and all.
            if value == slot.value:
                parts.append(skeleton.source[slot.start : slot.end])
            else:
                parts.append(_json_string(value, skeleton.source[slot.start : slot.end]))
            position = slot.end
        parts.append(skeleton.source[position:])
        return "".join(parts)


class JsonLinesFormat(JsonFormat):
    name = "jsonl"

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        collector = _Collector(text, path, options.json_fields)
        errors: list[InputError] = []
        records: list[Any] = []
        for number, match in enumerate(_LINE_RE.finditer(text), start=1):
            line = match.group(0).rstrip("\r\n")
            if not line.strip():
                continue
            try:
                record = _locating_decoder(match.start(), options.json_fields).decode(line)
            except json.JSONDecodeError as error:
                errors.append(_invalid(path, error, number))
                continue
            except _DuplicateKey as error:
                errors.append(_duplicate(path, text, error, number))
                continue
            if not isinstance(record, dict):
                errors.append(
                    InputError(path, "not an article record (expected a JSON object)", number)
                )
                continue
            units, slots = len(collector.units), len(collector.slots)
            collector.walk(record)
            if problem := half_pair(collector.units[units:], path):  # kept as it is
                del collector.units[units:], collector.slots[slots:]
                errors.append(problem)
                continue
            records.append(record)
        document = Document(
            path,
            self.name,
            collector.units,
            JsonSkeleton(text, collector.slots),
            _declared_language(records, path) if records else None,
            errors,
        )
        return apply_ui_strings(document, options.ui_strings)
