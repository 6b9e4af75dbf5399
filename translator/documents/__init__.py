"""Reading and writing each input format.

A format turns decoded text into a `Document` (its translatable units plus a
private skeleton) and writes a `Document` back with one translation per unit.
Markup outside the units is kept byte-for-byte.

Files are decoded by `decode`: UTF-8 (with or without BOM), and UTF-16 or
UTF-32 with a BOM; an HTML page that is none of these, by the charset its markup
declares (as browsers read it). Anything else is refused with the offending byte
named, never guessed: a wrong guess writes mojibake into a published article.
Outputs are always UTF-8 without BOM.
"""

from __future__ import annotations

import codecs
import importlib
import os
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from translator.model import Document, InputError, Unit

SkeletonT = TypeVar("SkeletonT")


@dataclass(frozen=True)
class ReadOptions:
    """How articles are read: the JSON fields that hold text, and the site's UI strings."""

    json_fields: tuple[str, ...] = ("title", "subtitle", "body", "summary")
    ui_strings: frozenset[str] = field(default_factory=frozenset)  # a site's known UI strings


class Format(Protocol):
    name: str  # its suffixes are listed in SUFFIXES

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        """Split `text` into units. Raise `InputError` for content that cannot be read."""
        ...

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        """Write `document` back with `translations[i]` in place of `document.units[i]`."""
        ...


class EmptyInput(InputError):
    """An empty or whitespace-only file: reported as skipped, not as a failure."""


# Format name -> (module, class). Imported on first use: the HTML and Markdown
# readers pull in markdown-it and the HTML tokenizer, which a txt-only run never needs.
_FORMAT_CLASSES: dict[str, tuple[str, str]] = {
    "txt": ("translator.documents.text", "TextFormat"),
    "md": ("translator.documents.markdown", "MarkdownFormat"),
    "html": ("translator.documents.html", "HtmlFormat"),
    "json": ("translator.documents.jsonrec", "JsonFormat"),
    "jsonl": ("translator.documents.jsonrec", "JsonLinesFormat"),
}
# The one registry of suffixes: file suffix (lowercase) -> format name.
SUFFIXES: Mapping[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}


class _Registry(Mapping[str, Format]):
    """Format name -> format instance, each created on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, Format] = {}

    def __getitem__(self, name: str) -> Format:
        if name not in self._loaded:
            module_name, class_name = _FORMAT_CLASSES[name]
            module = importlib.import_module(module_name)
            self._loaded[name] = getattr(module, class_name)()
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_FORMAT_CLASSES)

    def __len__(self) -> int:
        return len(_FORMAT_CLASSES)


FORMATS: Mapping[str, Format] = _Registry()


def format_name_for(path: Path | str) -> str | None:
    """The format name for `path` by its suffix (case-insensitive), or None."""
    return SUFFIXES.get(os.path.splitext(path)[1].lower())


def format_for(path: Path | str) -> Format | None:
    """The format that reads `path`, by its suffix; None for files we do not read."""
    name = format_name_for(path)
    return FORMATS[name] if name else None


# BOM -> codec. UTF-32 BOMs are tested first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, path: Path) -> str:
    """The text of a file's bytes, without BOM.

    Raises `EmptyInput` for an empty or whitespace-only file and `InputError`
    for binary content or bytes that are not valid in the file's encoding.
    """
    codec, body = "utf-8", data
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec, body = name, data[len(bom) :]
            break
    else:
        if b"\x00" in data:
            # UTF-16 without a BOM also lands here: we cannot tell it from a binary reliably.
            raise InputError(path, "binary file (contains NUL bytes)")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        offset = error.start + (len(data) - len(body))
        line = data[:offset].count(b"\n") + 1 if codec == "utf-8" else None
        label = codec.upper().replace("-LE", "").replace("-BE", "")
        invalid = f"invalid byte 0x{data[offset]:02x} at offset {offset}"
        not_text = InputError(path, f"not {label} text ({invalid})", line)
        if body is not data or format_name_for(path) != "html":
            raise not_text from None
        from translator.documents.html import decode_declared  # the HTML reader, when needed

        text = decode_declared(data, path, not_text)
    if "\x00" in text:
        raise InputError(path, "binary file (contains NUL characters)")
    if not text.strip():
        raise EmptyInput(path, "empty file" if not text else "whitespace-only file")
    return text


def parse_document(text: str, path: Path, options: ReadOptions) -> Document:
    """Parse decoded `text` with the format `path`'s suffix names."""
    form = format_for(path)
    if form is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(no suffix)'!r}")
    # Each format applies the site's UI list (options.ui_strings) as it classifies.
    document = form.parse(text, path, options)
    if problem := half_pair(document.units, path):
        raise problem
    return document


def half_pair(units: Sequence[Unit], path: Path) -> InputError | None:
    """The first unit holding half a UTF-16 pair, as the error to raise of it: a JSON
    escape ("\\ud800") can make one, and no UTF-8 file can hold it (it would stop the
    run where the text is encoded: the cache, the engines, the outputs)."""
    for unit in units:
        if surrogate := _SURROGATE.search(unit.text):
            return InputError(
                path,
                f"text holds \\u{ord(surrogate[0]):04x}, half of a UTF-16 pair without its "
                "other half (a JSON escape, say), which no UTF-8 file can hold",
                unit.line,
            )
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def read_document(root: Path, relative: Path, options: ReadOptions) -> Document:
    """Read, decode and parse `root / relative`; the document's path is `relative`.

    Raises `InputError` (naming `relative`) when the file cannot be read or parsed,
    `EmptyInput` when it holds no text.
    """
    return parse_document(decode(read_source(root, relative), relative), relative, options)


def read_source(root: Path, relative: Path) -> bytes:
    """The bytes of an article file; `InputError` when it is no article or unreadable."""
    if format_name_for(relative) is None:
        raise InputError(relative, f"unsupported file type {relative.suffix or '(no suffix)'!r}")
    try:
        return (root / relative).read_bytes()
    except OSError as error:
        raise InputError(relative, f"cannot read: {error.strerror or error}") from None


def render_document(document: Document, translations: Sequence[str], language: str) -> str:
    """`document` written back in its format with `translations[i]` for unit i."""
    return FORMATS[document.format].render(document, translations, language)


def skeleton_of(
    document: Document, kind: type[SkeletonT], translations: Sequence[str]
) -> SkeletonT:
    """What a format's `render` starts with: its own skeleton, and one translation per unit."""
    skeleton = document.skeleton
    if not isinstance(skeleton, kind):
        raise TypeError(f"{document.path}: not a document read with a {kind.__name__}")
    if len(translations) != len(document.units):
        raise ValueError(
            f"{document.path}: {len(translations)} translations for {len(document.units)} units"
        )
    return skeleton


class Span(Protocol):
    """Where a slot of a skeleton sits in its source: `source[start:end]`."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpanT = TypeVar("SpanT", bound=Span)


def fill_slots(
    source: str,
    slots: Sequence[SpanT],
    starts: Sequence[int],
    span: tuple[int, int],
    write: Callable[[SpanT], str],
    inside: SpanT | None = None,
) -> str:
    """`source[start:end]` (`span`) with every slot in it written by `write`: `slots`
    sorted by start, outer before nested, `starts` their starts. A slot nested in one
    written, reaching past the span, or `inside` (the one being written, whose own
    text this span is) is left to whoever writes the slot around it. A slot may be
    empty (a `lang` to add), at the span's very end too."""
    start, end = span
    out: list[str] = []
    position = start
    for index in range(bisect_left(starts, start), len(slots)):
        slot = slots[index]
        if slot.start > end:
            break
        if slot.start < position or slot.end > end or slot is inside:
            continue
        out.append(source[position : slot.start])
        out.append(write(slot))
        position = slot.end
    out.append(source[position:end])
    return "".join(out)
