"""Compendia: UI strings translated before, taken before machine translation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.test_localisation import read_back, run, spanish_catalog
from translator import catalog
from translator.catalog import Catalog, CatalogError, Entry, Key, MachineTranslation
from translator.cli import main

SPANISH = REPO / "glossaries" / "ui" / "es.po"
MACHINE = MachineTranslation("Acción", "apertium (test)")


def merged(old: Entry | None, known: dict[Key, str], msgctxt: str | None = None) -> Entry:
    """The catalog entry for "Share" after a merge with `known`, from `old`."""
    entry = Entry("Share", msgctxt, roles=("button",))
    template = Catalog("news", None, (), (entry,))
    existing = Catalog("news", "es", (), (old,)) if old else None
    updated = catalog.update_catalog(template, existing, "es", {entry.key: MACHINE}, known=known)
    [result] = updated.entries
    return result


def machine_output() -> Entry:
    """What an earlier run left for "Share": the engine's text, fuzzy, with our note."""
    return merged(None, {})


KNOWN = {Key(None, "Share"): "Compartir"}


def test_a_new_string_takes_the_compendiums_translation_not_fuzzy() -> None:
    entry = merged(None, KNOWN)
    assert (entry.msgstr, entry.fuzzy, entry.comments) == ("Compartir", False, ())


def test_machine_output_gives_way_to_the_compendium() -> None:
    old = machine_output()
    assert old.fuzzy and old.msgstr == "Acción" and old.comments
    entry = merged(old, KNOWN)
    assert (entry.msgstr, entry.fuzzy, entry.comments) == ("Compartir", False, ())


@pytest.mark.parametrize(
    ("msgstr", "flags"),
    [("Comparte", ()), ("Compartir con", ("fuzzy",))],
    ids=["reviewed", "a-draft"],
)
def test_a_translators_text_stays(msgstr: str, flags: tuple[str, ...]) -> None:
    old = Entry("Share", msgstr=msgstr, flags=flags, roles=("button",))
    entry = merged(old, KNOWN)
    assert (entry.msgstr, entry.flags) == (msgstr, flags)


def test_a_translation_without_context_serves_every_context() -> None:
    assert merged(None, KNOWN, msgctxt="section label").msgstr == "Compartir"
    own = {**KNOWN, Key("section label", "Share"): "Compartido"}
    assert merged(None, own, msgctxt="section label").msgstr == "Compartido"


def test_a_sites_format_string_is_left_to_its_translator() -> None:
    """msgfmt --check compares a c-format string's placeholders: the compendium's
    translation of "Share %s" may have none, and the catalog would be refused."""
    entry = Entry("Share %s", flags=("c-format",))
    template = Catalog("news", None, (), (entry,))
    known = {Key(None, "Share %s"): "Compartir"}
    [result] = catalog.update_catalog(template, None, "es", {}, known=known).entries
    assert result.msgstr == ""


def test_a_catalog_of_ours_serves_as_a_compendium_across_batches() -> None:
    """A batch where "Share" was a button and a label gave it msgctxt "button"; in a
    batch where it is only a button, it has none."""
    assert merged(None, {Key("button", "Share"): "Compartir"}).msgstr == "Compartir"


@pytest.mark.parametrize(
    ("msgstr", "flags"),
    [("Comparte", ()), ("Compartir (borrador)", ("fuzzy",))],
    ids=["reviewed", "a-draft"],
)
def test_an_exact_compendium_match_beats_a_fuzzy_match(msgstr: str, flags: tuple[str, ...]) -> None:
    """As msgmerge: "Share" changed into "Share it" keeps no fuzzy copy of the old
    translation when the compendium translates "Share it"; the translator's review or
    draft stays obsolete, its comments with it."""
    entry = Entry("Share it", roles=("button",))
    template = Catalog("news", None, (), (entry,))
    old = Entry("Share", msgstr=msgstr, flags=flags, roles=("button",), comments=("Ana",))
    existing = Catalog("news", "es", (), (old,))
    known = {Key(None, "Share it"): "Compártelo"}
    updated = catalog.update_catalog(template, existing, "es", {}, known=known)
    [result] = updated.entries
    assert (result.msgstr, result.fuzzy, result.previous_msgid) == ("Compártelo", False, None)
    assert result.comments == ()
    assert [(e.msgid, e.msgstr, e.comments) for e in updated.obsolete] == [
        ("Share", msgstr, ("Ana",))
    ]


def test_a_compendium_with_contexts_serves_a_run(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    ui = compendium(
        tmp_path / "ui.po",
        '\nmsgid "World"\nmsgstr "Mundo"\n\nmsgctxt "navigation"\nmsgid "World"\nmsgstr "Mundo"\n',
    )
    run(runner, seed_dir, tmp_path / "out", "--compendium", str(ui))
    assert (tmp_path / "out" / "es" / "seed.txt").read_text("utf-8").startswith("Mundo\n")


def compendium(path: Path, body: str, language: str | None = "es") -> Path:
    header = f'"Language: {language}\\n"\n' if language else ""
    path.write_text(
        f'msgid ""\nmsgstr ""\n{header}"Content-Type: text/plain; charset=UTF-8\\n"\n{body}'
    )
    return path


def test_only_reviewed_entries_count_and_the_first_compendium_wins(tmp_path: Path) -> None:
    first = compendium(
        tmp_path / "a.po",
        '\nmsgid "Share"\nmsgstr "Compartir"\n'
        '\n#, fuzzy\nmsgid "World"\nmsgstr "Mundial"\n'
        '\nmsgid "Home"\nmsgstr ""\n'
        '\n#~ msgid "Print"\n#~ msgstr "Imprimir"\n',
    )
    second = compendium(tmp_path / "b.po", '\nmsgid "Share"\nmsgstr "Comparte"\n')
    french = compendium(tmp_path / "c.po", '\nmsgid "Share"\nmsgstr "Partager"\n', "fr")
    known = catalog.read_compendia([first, second, french], ["es", "fr"])
    assert known == {
        "es": {Key(None, "Share"): "Compartir"},
        "fr": {Key(None, "Share"): "Partager"},
    }


def test_a_regional_compendium_serves_its_language_its_own_first(tmp_path: Path) -> None:
    """Poedit writes es_ES by default; a bare one serves each region, not one region
    another's (pt_PT's "Partilhar" is no Brazilian's "Compartilhar")."""
    spain = compendium(tmp_path / "a.po", '\nmsgid "Share"\nmsgstr "Compartir"\n', "es_ES")
    mexico = compendium(tmp_path / "b.po", '\nmsgid "Share"\nmsgstr "Compartí"\n', "es_MX")
    bare = compendium(tmp_path / "c.po", '\nmsgid "Share"\nmsgstr "Comparta"\n', "es")
    assert catalog.read_compendia([spain], ["es"]) == {"es": {Key(None, "Share"): "Compartir"}}
    known = catalog.read_compendia([spain, bare, mexico], ["es", "es-mx", "es-ar"])
    assert {target: found[Key(None, "Share")] for target, found in known.items()} == {
        "es": "Comparta",
        "es-mx": "Compartí",
        "es-ar": "Comparta",
    }


@pytest.mark.parametrize(
    ("body", "language", "problem"),
    [
        ('\nmsgid "Share"\nmsgstr "Compartir"\n', None, "Language header"),
        ('\nmsgid "Share"\nmsgstr "Partager"\n', "fr", "a compendium for fr: the run"),
        ('\nmsgid "Share"\nmsgstr "Compartir\\n"\n', "es", "begin and end with a newline"),
    ],
    ids=["no-language", "another-language", "msgfmt-refuses"],
)
def test_a_compendium_that_cannot_serve_is_refused(
    tmp_path: Path, body: str, language: str | None, problem: str
) -> None:
    path = compendium(tmp_path / "ui.po", body, language)
    with pytest.raises(CatalogError, match=problem) as raised:
        catalog.read_compendia([path], ["es"])
    assert str(path) in str(raised.value)


def test_the_seed_shows_the_compendiums_ui_strings(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    """A first run takes machine output ("Share": "Acción"); a rerun with the shipped
    compendium rewrites the article with its translations, reviewed in the catalog."""
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    article = out / "es" / "seed.txt"
    assert article.read_text("utf-8").startswith("Mundial\n")
    run(runner, seed_dir, out, "--compendium", str(SPANISH))
    text = article.read_text("utf-8")
    assert text.startswith("Mundo\n")
    assert "\nCompartir\nCompartir\n" in text and "\nArtículos relacionados\n" in text
    entries = {(e.msgctxt, e.msgid): e for e in read_back(spanish_catalog(out))}  # msgfmt too
    share = entries[(None, "Share")]
    assert share.msgstr == "Compartir" and not share.fuzzy
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["compendia"] == [str(SPANISH)]


def test_a_broken_compendium_stops_the_run_before_any_work(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "ui.po"
    broken.write_text('msgid "Share"\nmsgstr "Compartir\n', "utf-8")
    args = [str(seed_dir), str(tmp_path / "out"), "--to", "es", "-q"]
    result = runner.invoke(main, [*args, "--compendium", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:2: string not closed by a quote" in result.output
    assert not (tmp_path / "out" / "es").exists()
