"""Language codes with a region (pt-BR): one spelling for glossaries and the command line."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tests.argos_package import build_package
from translator.cli import main
from translator.glossary import Glossary, Term, load_glossaries, protect, verify
from translator.languages import base_language, locale_name, normalise_language, only_region

GLOSSARIES = {
    "yml": "terms:\n  - en: NATO\n    pt-BR: OTAN\n    pt_PT: NATO\n    gender: {pt-BR: f}\n",
    "csv": "en,pt-BR,pt_PT,variants:pt-BR\nNATO,OTAN,NATO,Otan\n",
    "tbx": """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX"><text><body><termEntry>
  <langSet xml:lang="en"><tig><term>NATO</term></tig></langSet>
  <langSet xml:lang="pt-BR"><tig><term>OTAN</term></tig></langSet>
  <langSet xml:lang="pt_PT"><tig><term>NATO</term></tig></langSet>
</termEntry></body></text></martif>
""",
}


@pytest.mark.parametrize(
    ("written", "normal"),
    [("pt-BR", "pt-br"), ("pt_BR", "pt-br"), (" PT-br ", "pt-br"), ("es", "es")],
)
def test_normalise_language(written: str, normal: str) -> None:
    assert normalise_language(written) == normal
    assert base_language(written) == normal[:2]


@pytest.mark.parametrize("suffix", sorted(GLOSSARIES))
def test_a_regional_form_is_protected_and_checked(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"regions.{suffix}"
    path.write_text(GLOSSARIES[suffix], "utf-8")
    (term,) = load_glossaries([path]).terms
    assert sorted(term.forms) == ["en", "pt-br", "pt-pt"]
    glossary = load_glossaries([path])
    for target in ("pt-BR", "pt-br", "pt_BR"):  # as --to or a Python caller may write it
        assert term.form(target) == "OTAN"
        protected = protect(glossary, "NATO met.", "en", target, "constrained")
        assert protected.text == "OTAN met."
        (finding,) = verify(glossary, "NATO met.", "A NATO reuniu-se.", "en", target)
        assert (finding.status, finding.expected[0]) == ("missing", "OTAN")
    assert term.form("pt-PT") == "NATO"


def test_a_glossary_with_regional_forms_only_serves_their_languages() -> None:
    """TBX exports often say en-US and es-ES: --to es and --from en use those forms,
    unless a language has several regional forms and none is plain."""
    term = Term(
        {"en-us": "Brussels", "es-es": "Bruselas", "pt-br": "Bruxelas", "pt-pt": "Bruxelas"}
    )
    assert (term.form("en"), term.form("es"), term.form("es-mx")) == ("Brussels",) + (
        "Bruselas",
    ) * 2
    assert term.form("pt") is None and term.form("pt-br") == "Bruxelas"
    found = Glossary((term,)).find("Ministers met in Brussels.", "en")
    assert [m.surface for m in found] == ["Brussels"]


@pytest.fixture(scope="module")
def pt_br_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Argos package en->pt-br (a word dictionary), built once for the module."""
    folder = tmp_path_factory.mktemp("pt-br-package")
    corpus = ["NATO OTAN meets in Lisbon."]
    return build_package(folder, "en", "pt-br", {"meets": "reúne-se"}, corpus=corpus)


@pytest.fixture
def en_pt_br(
    pt_br_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """That package, installed through the CLI into this test's own package folder."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    assert runner.invoke(main, ["models", "install", str(pt_br_package)]).exit_code == 0


@pytest.mark.parametrize("suffix", sorted(GLOSSARIES))
def test_a_run_to_pt_br_protects_and_checks_the_regional_form(
    runner: CliRunner, tmp_path: Path, en_pt_br: None, suffix: str
) -> None:
    glossary = tmp_path / f"regions.{suffix}"
    glossary.write_text(GLOSSARIES[suffix], "utf-8")
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("NATO meets in Lisbon.\n", "utf-8")
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "pt-BR", "--from", "en", "-q"]
    result = runner.invoke(main, [*args, "--glossary", str(glossary)])
    assert result.exit_code == 0, result.output
    article = out / "pt-br" / "a.txt"
    assert article.read_text("utf-8") == "OTAN reúne-se in Lisbon.\n"
    check = ["check", str(out), "--glossary", str(glossary)]
    assert runner.invoke(main, check).exit_code == 0
    article.write_text("NATO reúne-se in Lisbon.\n", "utf-8")
    result = runner.invoke(main, check)
    assert result.exit_code == 1
    assert "term 'NATO' missing: expected 'OTAN'" in result.output


def test_the_command_line_normalises_target_codes(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    """--to pt_BR means the pt-br of glossaries (no engine serves it here: the run stops)."""
    result = runner.invoke(main, [str(seed_dir), str(tmp_path / "out"), "--to", "pt_BR"])
    assert result.exit_code == 1
    assert "*->pt-br" in result.output


def test_two_spellings_of_one_language_in_a_term_are_refused(tmp_path: Path) -> None:
    from translator.glossary import GlossaryError

    path = tmp_path / "twice.yml"
    path.write_text("terms:\n  - en: NATO\n    pt-BR: OTAN\n    pt_br: Otan\n", "utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossaries([path])
    assert caught.value.line == 4 and "a second 'pt-br'" in caught.value.problem


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        ("pt-br", "pt_BR"),
        ("PT_br", "pt_BR"),
        ("es", "es"),
        ("zh-hant", "zh_Hant"),
        ("es-419", "es_419"),
    ],
)
def test_a_catalog_folder_is_spelt_as_gettext_looks_it_up(code: str, locale: str) -> None:
    assert locale_name(code) == locale


def short_article(tmp_path: Path) -> Path:
    """An article with one UI string, "Share": short, as the toy engine is slow."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("NATO meets in Lisbon.\n\nShare\n", "utf-8")
    return folder


def test_a_regional_catalog_is_where_gettext_finds_it(
    runner: CliRunner, tmp_path: Path, en_pt_br: None
) -> None:
    """msginit, Poedit and Weblate make pt_BR/, and gettext looks only there for pt_BR."""
    out = tmp_path / "out"
    args = [str(short_article(tmp_path)), str(out), "--to", "pt-BR", "--from", "en", "-q"]
    assert runner.invoke(main, args).exit_code == 0

    po_file = out / "locale" / "pt_BR" / "LC_MESSAGES" / "news.po"
    assert sorted(p.name for p in (out / "locale").iterdir()) == ["news.pot", "pt_BR"]
    po = polib.pofile(str(po_file))
    assert po.metadata["Language"] == "pt_BR"
    entry = po.find("Share")
    entry.msgstr, entry.flags = "Compartilhar", []
    po.save()
    assert runner.invoke(main, ["po", "compile", "--catalog", str(out / "locale")]).exit_code == 0
    found = gettext.translation("news", out / "locale", languages=["pt_BR"])
    assert found.gettext("Share") == "Compartilhar"


@pytest.mark.parametrize("folder", ["pt_BR", "pt-br"])
def test_a_site_s_regional_catalog_is_found_however_its_folder_is_spelt(
    runner: CliRunner, tmp_path: Path, en_pt_br: None, folder: str
) -> None:
    site = tmp_path / "site" / "locale"
    po_file = site / folder / "LC_MESSAGES" / "news.po"
    po_file.parent.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": folder}
    po.append(polib.POEntry(msgid="Share", msgstr="Compartilhe"))
    po.save(str(po_file))

    out = tmp_path / "out"
    source = short_article(tmp_path)
    args = [str(source), str(out), "--to", "pt-BR", "--from", "en", "--catalog", str(site)]
    assert runner.invoke(main, [*args, "-q"]).exit_code == 0

    assert [p.name for p in site.iterdir() if p.is_dir()] == [folder]  # no second one
    assert polib.pofile(str(po_file)).find("Share").msgstr == "Compartilhe"
    assert "Compartilhe" in (out / "pt-br" / "a.txt").read_text("utf-8")


def test_a_language_apertium_serves_under_three_letters_is_a_glossary_key(tmp_path: Path) -> None:
    """Sardinian has no code the tool writes shorter (apertium-srd-ita): "srd" it is."""
    path = tmp_path / "terms.yml"
    path.write_text("terms:\n  - it: Cagliari\n    srd: Casteddu\n", "utf-8")
    [term] = load_glossaries([path]).terms
    assert term.form("srd") == "Casteddu"


@pytest.mark.parametrize(
    ("code", "alike"),
    [("es-MX", True), ("es-419", True), ("pt-BR", True), ("zh-TW", False), ("zh-Hant", False),
     ("sr-Latn", False), ("sr-ME", False), ("es", False)],
)  # fmt: skip
def test_a_region_alone_is_written_as_its_language_is(code: str, alike: bool) -> None:
    """What the no-engine message offers `--to es` for: never Simplified for zh-TW."""
    assert only_region(code) is alike
