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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from translator.model import Document, InputError

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
        text = _decode_declared(data, path, not_text)
    if "\x00" in text:
        raise InputError(path, "binary file (contains NUL characters)")
    if not text.strip():
        raise EmptyInput(path, "empty file" if not text else "whitespace-only file")
    return text


# The WHATWG Encoding Standard's labels that browsers read with another decoder than
# Python's codec of that name ("iso-8859-1" pages are windows-1252: 0x80-0x9f are € “ ” ...),
# or that Python does not know. Labels of UTF-16 mean UTF-8 in a page's own markup.
_BROWSER_CODECS: Mapping[str, str] = {
    label: codec
    for codec, labels in (
        ("windows-1252", "ansi_x3.4-1968 ascii cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100"),
        ("windows-1252", "iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii"),
        ("windows-1252", "x-cp1252 x-user-defined"),
        ("windows-1254", "csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9"),
        ("windows-1254", "iso_8859-9:1989 l5 latin5 x-cp1254"),
        ("cp874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"),
        ("gb18030", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk"),
        ("gb18030", "iso-ir-58 x-gbk"),
        ("cp949", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987"),
        ("cp949", "ks_c_5601-1989 ksc5601 ksc_5601 windows-949"),
        ("big5hkscs", "big5 cn-big5 csbig5 x-x-big5"),
        ("cp932", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis"),
        ("iso-8859-8", "csiso88598i iso-8859-8-i logical"),
        ("koi8-u", "koi8-ru"),
        ("utf-8", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefffe utf-16 utf-16be"),
        ("utf-8", "utf-16le"),
    )
    for label in labels.split()
}
# Printable ASCII holding escapes some Python codecs decode: a charset a page can declare
# in ASCII markup reads it as written; "unicode_escape", "utf-7" or "punycode" do not.
_ASCII_PROBE = bytes(b for b in range(0x20, 0x7F) if b != 0x5C) + b"\t\n\\u0041+AEE-.xn--8ca"


def _decode_declared(data: bytes, path: Path, not_utf8: InputError) -> str:
    """An HTML page that is not UTF-8, read in the charset its markup declares, as browsers
    read it; `not_utf8` when it declares none, or UTF-8."""
    from translator.documents.html import UTF8_LABELS, declared_charset  # when needed

    declared = declared_charset(data)
    if declared is None:
        raise not_utf8 from None
    label = declared.strip().lower()
    codec = _BROWSER_CODECS.get(label, label)
    if codec in UTF8_LABELS:
        raise not_utf8 from None
    try:
        ascii_compatible = _ASCII_PROBE.decode(codec) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeDecodeError):
        ascii_compatible = False
    if not ascii_compatible:
        raise InputError(
            path,
            f"{not_utf8.message}, and the charset it declares, {declared!r}, "
            "is not one we can read",
            not_utf8.line,
        ) from None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        read_as = "" if codec == label else f", read as {codec} as browsers do"
        raise InputError(
            path,
            f"not text in the charset it declares, {declared!r}{read_as} "
            f"(invalid byte 0x{data[error.start]:02x} at offset {error.start})",
            data[: error.start].count(b"\n") + 1,
        ) from None


def parse_document(text: str, path: Path, options: ReadOptions) -> Document:
    """Parse decoded `text` with the format `path`'s suffix names."""
    form = format_for(path)
    if form is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(no suffix)'!r}")
    # Each format applies the site's UI list (options.ui_strings) as it classifies.
    return form.parse(text, path, options)


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
