"""Whole runs through Argos packages the tests build: install, translate, pivot, terms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.argos_package import EN_ES, FR_EN, build_package
from tests.conftest import REPO, SEED
from translator.cli import main

GLOSSARY = REPO / "glossaries" / "news.yml"

# What the word-dictionary package (EN_ES) and the glossary's Spanish forms make of the
# seed article: every other word is copied through unchanged, so this is the whole output.
SEED_IN_SPANISH = [
    ("World", "Mundo"),
    ("Share", "Compartir"),
    ("United Kingdom", "Reino Unido"),
    ("peace", "paz"),
    ("war", "guerra"),
    ("Moscow", "Moscú"),
    ("NATO", "OTAN"),
    ("Brussels", "Bruselas"),
    ("London", "Londres"),
    ("Paris", "París"),
    ("coalition of the willing", "coalición de voluntarios"),
    ("United States", "Estados Unidos"),
    ("Thailand", "Tailandia"),
]


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    """en->es and fr->en packages, installed through the CLI into an isolated folder."""
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    corpus = [SEED.read_text("utf-8"), GLOSSARY.read_text("utf-8")]
    for source, target, dictionary in (("en", "es", EN_ES), ("fr", "en", FR_EN)):
        built = build_package(tmp_path / "built", source, target, dictionary, corpus=corpus)
        result = runner.invoke(main, ["models", "install", str(built)])
        assert result.exit_code == 0, result.output
    return folder


def translate(runner: CliRunner, source: Path, out: Path, *extra: str) -> dict[str, object]:
    args = [str(source), str(out), "--to", "es", "-q", "--glossary", str(GLOSSARY), *extra]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text("utf-8"))


def test_seed_article_through_argos_exactly(
    runner: CliRunner, packages: Path, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = translate(runner, seed_dir, out)  # --engine auto picks the Argos package
    target = report["articles"][0]["targets"]["es"]
    assert (target["engine"], target["route"]) == ("argos", ["en", "es"])
    expected = SEED.read_text("utf-8")
    for english, spanish in SEED_IN_SPANISH:
        expected = re.sub(rf"(?<!\w){re.escape(english)}(?!\w)", spanish, expected)
    assert (out / "es" / "seed.txt").read_text("utf-8") == expected
    terms = target["terms"]
    assert terms["found"] > 40 and terms["kept"] == terms["found"] and terms["flagged"] == 0
    check = runner.invoke(main, ["check", str(out), "--glossary", str(GLOSSARY)])
    assert check.exit_code == 0, check.output


def test_engine_option_chooses_between_installed_engines(
    runner: CliRunner, packages: Path, seed_dir: Path, tmp_path: Path
) -> None:
    report = translate(runner, seed_dir, tmp_path / "out", "--engine", "apertium")
    assert report["articles"][0]["targets"]["es"]["engine"] == "apertium"
    assert "Rusia" in (tmp_path / "out" / "es" / "seed.txt").read_text("utf-8")


def test_pivot_through_english(runner: CliRunner, packages: Path, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "guerre.txt").write_text(
        "La guerre et la paix à Bruxelles: les ministres se retrouvent pour parler de la guerre.\n",
        "utf-8",
    )
    out = tmp_path / "out"
    report = translate(runner, source, out, "--engine", "argos", "--from", "fr")
    target = report["articles"][0]["targets"]["es"]
    assert target["route"] == ["fr", "en", "es"]
    assert "fr-en" in target["model"] and "en-es" in target["model"]
    assert (out / "es" / "guerre.txt").read_text("utf-8") == (
        "La guerra et la paz à Bruselas: les ministres se retrouvent pour parler de la guerra.\n"
    )


def test_argos_cache_key_names_the_package(
    runner: CliRunner, packages: Path, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    translate(runner, seed_dir, out)
    again = translate(runner, seed_dir, out, "--beam-size", "1")
    assert again["totals"]["segments_translated"] > 0  # a decoding setting changes the key


INDONESIAN = (
    "Presiden mengatakan pada hari Senin bahwa pemerintah akan membangun jalan baru "
    "di seluruh pulau, dan para petani menyambut rencana itu dengan gembira.\n"
)


def test_detect_knows_the_languages_the_installed_engines_translate_as_a_run_does(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indonesian is not among the languages told apart by default, but an installed
    id->en package makes it one: `detect` says what the run then does."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    built = build_package(tmp_path / "built", "id", "en", {"jalan": "road"}, corpus=[INDONESIAN])
    assert runner.invoke(main, ["models", "install", str(built)]).exit_code == 0
    source = tmp_path / "in"
    source.mkdir()
    (source / "berita.txt").write_text(INDONESIAN, "utf-8")

    detected = runner.invoke(main, ["detect", str(source / "berita.txt")])
    out = tmp_path / "out"
    run = runner.invoke(main, [str(source), str(out), "--to", "en", "-q"])

    assert detected.exit_code == 0, detected.output
    assert json.loads(detected.output)["language"] == "id"
    assert run.exit_code == 0, run.output
    [article] = json.loads((out / "report.json").read_text("utf-8"))["articles"]
    assert article["language"] == "id"
