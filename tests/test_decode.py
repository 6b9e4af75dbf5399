"""Decoding input files: the encodings we accept, and the files we refuse and why."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import DATA
from translator.documents import (
    FORMATS,
    SUFFIXES,
    EmptyInput,
    ReadOptions,
    decode,
    format_for,
    format_name_for,
    read_document,
    render_document,
)
from translator.model import InputError

SAMPLES = DATA / "documents"
TEXT = "World\n\nJean-Noël Barrot met the press in Brussels on Friday.\n"


@pytest.mark.parametrize(
    "name",
    ["utf8_bom.txt", "utf16_le_bom.txt", "utf16_be_bom.txt"],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_byte_order_marks_are_read_and_dropped(name: str) -> None:
    assert decode((SAMPLES / name).read_bytes(), Path(name)) == TEXT


def test_plain_utf8_is_read_unchanged() -> None:
    data = "Kyiv — “Привет”, 東京\r\n".encode()
    assert decode(data, Path("a.txt")) == "Kyiv — “Привет”, 東京\r\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("latin1_accents.txt", "not UTF-8 text (invalid byte 0xeb at offset 14)"),
        ("binary_nul.txt", "binary file (contains NUL bytes)"),
    ],
    ids=["latin-1", "binary"],
)
def test_undecodable_files_are_refused_with_the_reason(name: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        decode((SAMPLES / name).read_bytes(), Path(name))
    assert raised.value.message == message
    assert not isinstance(raised.value, EmptyInput)
    assert str(raised.value).startswith(name)


def test_invalid_utf8_names_its_line() -> None:
    with pytest.raises(InputError) as raised:
        decode(b"World\n\nCaf\xe9 culture\n", Path("cafe.txt"))
    assert str(raised.value) == "cafe.txt:3: not UTF-8 text (invalid byte 0xe9 at offset 10)"


def test_truncated_utf16_is_refused() -> None:
    with pytest.raises(InputError, match="not UTF-16 text"):
        decode(b"\xff\xfeW\x00o", Path("odd.txt"))


def test_utf16_without_bom_is_refused_as_binary() -> None:
    with pytest.raises(InputError, match="binary file"):
        decode("World news".encode("utf-16-le"), Path("nobom.txt"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        ((SAMPLES / "whitespace_only.txt").read_bytes(), "whitespace-only file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\xef\xbb\xbf \n", "whitespace-only file"),
    ],
    ids=["empty", "whitespace", "bom-only", "bom-and-spaces"],
)
def test_empty_files_raise_empty_input(data: bytes, message: str) -> None:
    with pytest.raises(EmptyInput) as raised:
        decode(data, Path("x.txt"))
    assert raised.value.message == message
    assert isinstance(raised.value, InputError)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "txt"),
        ("a.TXT", "txt"),
        ("a.md", "md"),
        ("a.markdown", "md"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.json", "json"),
        ("a.jsonl", "jsonl"),
        ("a.pdf", None),
        ("README", None),
    ],
)
def test_formats_are_chosen_by_suffix(name: str, expected: str | None) -> None:
    assert format_name_for(Path(name)) == expected


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_registered_format_loads_under_its_name(name: str) -> None:
    assert FORMATS[name].name == name
    suffixes = [suffix for suffix, format_name in SUFFIXES.items() if format_name == name]
    assert suffixes  # every format is read from some suffix
    assert all(format_for(Path(f"article{suffix}")) is FORMATS[name] for suffix in suffixes)


def test_every_suffix_names_a_registered_format() -> None:
    assert set(SUFFIXES.values()) == set(FORMATS)


def test_format_for_unknown_suffix_is_none() -> None:
    assert format_for(Path("photo.jpg")) is None


def test_read_document_decodes_utf16_and_names_the_relative_path() -> None:
    document = read_document(SAMPLES, Path("utf16_le_bom.txt"), ReadOptions())
    assert document.path == Path("utf16_le_bom.txt")
    assert [u.text for u in document.units] == [
        "World",
        "Jean-Noël Barrot met the press in Brussels on Friday.",
    ]
    # Outputs are UTF-8 without BOM: the text comes back, the encoding does not.
    assert render_document(document, [u.text for u in document.units], "es") == TEXT


def test_read_document_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        read_document(tmp_path, Path("gone.txt"), ReadOptions())
    assert str(raised.value).startswith("gone.txt: cannot read:")


def test_read_document_refuses_unknown_suffixes(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"unsupported file type '\.pdf'"):
        read_document(tmp_path, Path("a.pdf"), ReadOptions())


def test_render_document_checks_the_number_of_translations() -> None:
    document = read_document(SAMPLES, Path("utf8_bom.txt"), ReadOptions())
    with pytest.raises(ValueError, match="1 translations for 2 units"):
        render_document(document, ["Mundo"], "es")


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_with_bom_is_decoded(codec: str) -> None:
    bom = codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE
    data = bom + "Kyiv \u00e9t\u00e9 \U0001f30d\n".encode(codec)
    assert decode(data, Path("a.txt")) == "Kyiv \u00e9t\u00e9 \U0001f30d\n"
