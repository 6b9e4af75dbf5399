"""Private Use Area characters an article holds itself (icon fonts, Word's symbol bullets)
share the range of our inline markers: they are protected and come back byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA
from translator.cli import main
from translator.documents import ReadOptions, read_document, render_document
from translator.inline import MARKER, keep_private_use, strip_markers
from translator.model import Document

SAMPLES = DATA / "documents"
PHONE = "\uf095"  # Font Awesome's phone icon
BULLET = "\uf0b7"  # Word's Symbol-font bullet
FORMATS = ["html", "md", "txt", "json"]


def read(suffix: str) -> tuple[Document, str]:
    name = f"private_use_icons.{suffix}"
    return read_document(SAMPLES, Path(name), ReadOptions()), (SAMPLES / name).read_text("utf-8")


def render(document: Document, translate: object) -> str:
    assert callable(translate)
    return render_document(document, [translate(u.text) for u in document.units], "en")


def icons(text: str) -> list[str]:
    return [c for c in text if c in (PHONE, BULLET)]


@pytest.mark.parametrize("suffix", FORMATS)
def test_articles_with_icons_round_trip_byte_for_byte(suffix: str) -> None:
    document, source = read(suffix)
    assert render(document, lambda text: text) == source


@pytest.mark.parametrize("suffix", FORMATS)
def test_icons_survive_a_translation_in_place(suffix: str) -> None:
    document, source = read(suffix)
    out = render(document, str.upper)  # the engine keeps the icons (and markers) in place
    assert icons(out) == icons(source)
    assert "CALL THE HOTLINE" in out


@pytest.mark.parametrize("suffix", FORMATS)
def test_icons_an_engine_lost_or_repeated_are_put_back_once(suffix: str) -> None:
    document, source = read(suffix)
    lost = render(document, lambda text: strip_markers(text).upper())
    assert sorted(icons(lost)) == sorted(icons(source))
    repeated = render(document, lambda text: text + text[::-1])
    assert sorted(icons(repeated)) == sorted(icons(source))


@pytest.mark.parametrize("suffix", ["html", "md"])
def test_in_markup_formats_an_icon_is_a_standalone_marker_for_its_own_bytes(suffix: str) -> None:
    document, _ = read(suffix)
    blocks = [u for u in document.units if u.role != "alt"]  # an attribute holds no markup
    # Block text never carries the icon itself, only a marker the writer maps back.
    assert not any(icons(u.text) for u in blocks)
    assert any(MARKER.search(u.text) for u in blocks)


def test_html_icon_spelled_as_an_entity_is_written_as_the_entity() -> None:
    document, _ = read("html")
    out = render(document, str.upper)
    assert "WRITE TO THE DESK &#xf095; TODAY" in out
    assert f"<p>{PHONE}</p>" in out  # nothing to translate there: the skeleton keeps it
    assert f'alt="{PHONE} PHONE THE NEWSROOM"' in out


def test_keep_private_use_keeps_each_character_as_often_as_the_source() -> None:
    source = f"{BULLET} Call {PHONE} now {PHONE}"
    assert keep_private_use(source, f"Llame {PHONE}{PHONE}{PHONE} ya") == (
        f"Llame {PHONE}{PHONE} ya{BULLET}"
    )
    assert keep_private_use("plain", f"plano{PHONE}") == "plano"


def test_cli_translates_articles_with_icons_in_every_format(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for suffix in FORMATS:
        shutil.copy(SAMPLES / f"private_use_icons.{suffix}", source)
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    for suffix in FORMATS:
        original = (source / f"private_use_icons.{suffix}").read_text("utf-8")
        translated = (out / "es" / f"private_use_icons.{suffix}").read_text("utf-8")
        assert sorted(icons(translated)) == sorted(icons(original)), suffix
        assert "tormenta" in translated.lower(), suffix
