"""UI strings through whole runs, as a translator works with them: review, rerun, keep."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from tests.conftest import REPO
from tests.test_catalog_site import SITE_PO, SITE_POT
from translator import pipeline
from translator.cli import main


def run(runner: CliRunner, source: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q", *extra])
    assert result.exit_code == 0, result.output


def msgfmt_check(path: Path) -> None:
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


def spanish_catalog(out: Path) -> Path:
    return out / "locale" / "es" / "LC_MESSAGES" / "news.po"


def articles(tmp_path: Path, texts: dict[str, str]) -> Path:
    """An input folder holding these articles (name -> text)."""
    source = tmp_path / "in"
    source.mkdir()
    for name, text in texts.items():
        (source / name).write_text(text, "utf-8")
    return source


def read_back(path: Path) -> polib.POFile:
    """Through polib and Babel, both strict; and msgfmt --check."""
    msgfmt_check(path)
    with path.open("rb") as handle:
        read_po(handle, abort_invalid=True)
    return polib.pofile(str(path))


def test_a_reviewed_translation_survives_reruns_and_is_used(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    po_path = spanish_catalog(out)
    catalog = read_back(po_path)
    share = catalog.find("Share")
    assert share is not None and "fuzzy" in share.flags and share.msgstr
    share.msgstr, share.flags = "Compartir", []
    catalog.save()
    run(runner, seed_dir, out)
    catalog = read_back(po_path)
    share = catalog.find("Share")
    assert share is not None and share.msgstr == "Compartir" and "fuzzy" not in share.flags
    article = (out / "es" / "seed.txt").read_text("utf-8").splitlines()
    assert article[4:6] == ["Compartir", "Compartir"]
    page = (out / "bilingual" / "es" / "seed.txt.html").read_text("utf-8")
    assert "Compartir" in page
    read_back(out / "locale" / "news.pot")


def test_a_translator_s_draft_is_not_published_until_reviewed(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    """A fuzzy msgstr a translator is still working on: kept in the catalog, left out of
    the .mo by msgfmt, and out of the articles too, which show the engine's text."""
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    catalog = read_back(spanish_catalog(out))
    share = catalog.find("Share")
    assert share is not None and share.msgstr == "Acción"
    share.msgstr = "Compartir (BORRADOR)"  # still fuzzy
    catalog.save()

    run(runner, seed_dir, out)
    article = (out / "es" / "seed.txt").read_text("utf-8")
    assert "BORRADOR" not in article and "Acción" in article
    assert read_back(spanish_catalog(out)).find("Share").msgstr == "Compartir (BORRADOR)"

    share.msgstr, share.flags = "Compartir", []
    catalog.save()
    run(runner, seed_dir, out)
    assert "Compartir" in (out / "es" / "seed.txt").read_text("utf-8")


def test_a_line_that_is_ui_elsewhere_renders_its_reviewed_translation(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "Share" is a button in a.txt and a plain line in b.md: one entry, one review,
    shown in both."""
    source = articles(
        tmp_path,
        {
            "a.txt": "The storm hit the coast on Monday.\n\nShare\n",
            "b.md": "# Storm news\n\nThe rain fell all night.\n\nShare\n",
        },
    )
    out = tmp_path / "out"
    run(runner, source, out, "--from", "en")
    catalog = read_back(spanish_catalog(out))
    [share] = [entry for entry in catalog if entry.msgid == "Share"]
    assert share.occurrences == [("a.txt", "3"), ("b.md", "5")]  # its line too
    share.msgstr, share.flags = "Compartir", []
    catalog.save()

    run(runner, source, out, "--from", "en")

    for name in ("a.txt", "b.md"):
        assert (out / "es" / name).read_text("utf-8").endswith("\nCompartir\n"), name


def test_a_reviewed_label_stays_ui_when_an_edit_leaves_it_in_fewer_articles(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "In Depth" recurs in three articles, so it is UI; a translator reviews it. An edit
    to one article leaves it in two: it stays UI, reviewed, in the two that show it."""
    story = (
        "Russian army prepares a new offensive near the border number {n}\n\n"
        "The Russian army is preparing a new offensive in the coming weeks, officials said.\n\n"
        "In Depth\n\n"
        "Analysts say the offensive could start soon, according to several reports.\n"
    )
    source = articles(tmp_path, {f"a{n}.txt": story.format(n=n) for n in (1, 2, 3)})
    out = tmp_path / "out"
    run(runner, source, out, "--from", "en")
    catalog = read_back(spanish_catalog(out))
    in_depth = catalog.find("In Depth")
    in_depth.msgstr, in_depth.flags = "En profundidad", []
    catalog.save()
    edited = story.format(n=3).replace("In Depth", "In depth analysis of the war")
    (source / "a3.txt").write_text(edited, "utf-8")

    run(runner, source, out, "--from", "en")

    catalog = read_back(spanish_catalog(out))
    kept = catalog.find("In Depth")
    assert (kept.msgstr, kept.obsolete, kept.fuzzy) == ("En profundidad", 0, False)
    assert kept.occurrences == [("a1.txt", "5"), ("a2.txt", "5")]
    for name in ("a1.txt", "a2.txt"):
        assert "\nEn profundidad\n" in (out / "es" / name).read_text("utf-8"), name


def test_a_ui_string_s_markup_shows_as_placeholders_a_translator_can_move(
    runner: CliRunner, tmp_path: Path
) -> None:
    """No Private Use character in a catalog: Poedit would show nothing where a tag is,
    and a review would lose it. The translator sees <g1>...</g1> and moves it."""
    page = (
        "<html><body><p>The leaders met on Monday.</p>"
        '<button><i class="icon"></i> <b>Share</b> this</button></body></html>\n'
    )
    source = articles(tmp_path, {"a.html": page})
    out = tmp_path / "out"
    run(runner, source, out, "--from", "en")
    for path in (out / "locale" / "news.pot", spanish_catalog(out)):
        assert not re.search("[\ue000-\uf7ff]", path.read_text("utf-8")), path
    catalog = read_back(spanish_catalog(out))
    entry = catalog.find("<g1></g1> <g2>Share</g2> this")
    assert entry is not None and entry.msgstr == "<g1></g1> <g2>Acción</g2> esto"

    entry.msgstr, entry.flags = "<g1></g1> Compartir <g2>esto</g2>", []
    catalog.save()
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en"])
    assert result.exit_code == 0, result.output
    written = (out / "es" / "a.html").read_text("utf-8")
    assert '<button><i class="icon"></i> Compartir <b>esto</b></button>' in written
    assert "inline markup lost" not in result.output

    # The translator dropped the tags: the loss is named, and not blamed on the engine.
    entry.msgstr = "Compartir esto"
    catalog.save()
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en"])
    lost = (
        "inline markup lost in 2 place(s) (line 1): the translation (the engine's, or a catalog's)"
    )
    assert lost in result.output
    # And the entry that dropped them is named, as check names it.
    assert "msgid '<g1></g1> <g2>Share</g2> this': markup placeholders differ" in result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert len(report["catalog_markup"]) == 1 and "missing <g2>" in report["catalog_markup"][0]


def test_a_reviewed_ui_string_that_lost_a_term_is_named_as_check_names_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Articles show a translator's review as it is: one that dropped OTAN is said."""
    page = (
        "<html><body><nav><a>NATO news</a> <a>Follow @BBCWorld</a></nav>"
        "<p>The storm hit the coast.</p></body></html>"
    )
    source = articles(tmp_path, {"a.html": page})
    out = tmp_path / "out"
    glossary = ["--glossary", str(REPO / "glossaries" / "news.yml"), "--from", "en"]
    run(runner, source, out, *glossary)
    catalog = read_back(spanish_catalog(out))
    entry = catalog.find("NATO news")
    assert entry is not None
    entry.msgstr, entry.flags = "Noticias de la Alianza", []
    handle = catalog.find("Follow @BBCWorld")
    assert handle is not None
    handle.msgstr, handle.flags = "Sigue a @bbcmundo", []  # the reviewer's to localise
    catalog.save()

    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q", *glossary])

    assert result.exit_code == 0, result.output  # a warning, as lost markup is
    said = "msgid 'NATO news': the reviewed translation's term 'NATO' missing: expected 'OTAN'"
    assert said in result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert len(report["catalog_terms"]) == 1 and said in report["catalog_terms"][0]  # not @
    checked = runner.invoke(main, ["check", str(out), *glossary[:2]])
    assert checked.exit_code == 1 and "term 'NATO' missing" in checked.output
    assert "@BBCWorld" not in checked.output


def test_a_ui_string_re_indented_is_one_entry(runner: CliRunner, tmp_path: Path) -> None:
    page = "<html><body><nav><a>{}</a></nav><p>The storm hit the coast.</p></body></html>\n"
    labels = {"a.html": "Latest news", "b.html": "\n   Latest\n   news\n"}
    source = articles(tmp_path, {name: page.format(label) for name, label in labels.items()})
    out = tmp_path / "out"
    run(runner, source, out, "--from", "en")
    catalog = read_back(spanish_catalog(out))
    assert [e.msgid for e in catalog if "Latest" in e.msgid] == ["Latest news"]
    entry = catalog.find("Latest news")
    entry.msgstr, entry.flags = "Lo último", []
    catalog.save()
    run(runner, source, out, "--from", "en")
    assert "<a>Lo último</a>" in (out / "es" / "a.html").read_text("utf-8")
    assert "<a>\n   Lo último\n</a>" in (out / "es" / "b.html").read_text("utf-8")


def test_a_review_made_before_placeholders_is_kept(runner: CliRunner, tmp_path: Path) -> None:
    """Catalogs of an earlier release held our markers as Private Use characters: their
    reviewed entries are read as placeholders, and stay reviewed."""
    page = "<html><body><p>The leaders met.</p><button><b>Share</b> this</button></body></html>\n"
    source = articles(tmp_path, {"a.html": page})
    out = tmp_path / "out"
    run(runner, source, out, "--from", "en")
    po_path = spanish_catalog(out)
    catalog = read_back(po_path)
    entry = catalog.find("<g1>Share</g1> this")
    assert entry is not None
    # As the earlier release wrote it, and a translator reviewed it.
    entry.msgid, entry.msgstr, entry.flags = (
        "\ue000Share\ue800 this",
        "\ue000Compartir\ue800 esto",
        [],
    )
    catalog.save()

    run(runner, source, out, "--from", "en")

    entry = read_back(po_path).find("<g1>Share</g1> this")
    assert entry is not None and (entry.msgstr, entry.flags) == ("<g1>Compartir</g1> esto", [])
    assert "<button><b>Compartir</b> esto</button>" in (out / "es" / "a.html").read_text("utf-8")


def test_a_review_made_before_whitespace_was_collapsed_is_kept(
    runner: CliRunner, tmp_path: Path
) -> None:
    """An earlier release kept a UI string's runs of spaces in its msgid."""
    page = "<html><body><p>The leaders met.</p><button>Share  this   story</button></body></html>"
    source = articles(tmp_path, {"a.html": page + "\n"})
    out = tmp_path / "out"
    run(runner, source, out, "--from", "en")
    catalog = read_back(spanish_catalog(out))
    entry = catalog.find("Share this story")
    assert entry is not None
    entry.msgid, entry.msgstr, entry.flags = "Share  this   story", "Comparte esta noticia", []
    catalog.save()

    run(runner, source, out, "--from", "en")

    entry = read_back(spanish_catalog(out)).find("Share this story")
    assert entry is not None and (entry.msgstr, entry.flags) == ("Comparte esta noticia", [])
    assert "<button>Comparte esta noticia</button>" in (out / "es" / "a.html").read_text("utf-8")


def test_new_and_removed_ui_strings(runner: CliRunner, seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    po_path = spanish_catalog(out)
    before = {e.msgid: (e.msgstr, e.flags) for e in read_back(po_path)}

    seed = (seed_dir / "seed.txt").read_text("utf-8")
    (seed_dir / "seed.txt").write_text(seed.replace("Share\nRelated Articles", "Share\nRead more"))
    run(runner, seed_dir, out)
    catalog = read_back(po_path)
    added = catalog.find("Read more")
    assert added is not None and "fuzzy" in added.flags and added.msgstr
    gone = [e for e in catalog.obsolete_entries() if e.msgid == "Related Articles"]
    assert gone and gone[0].msgstr == before["Related Articles"][0]
    after = {e.msgid: (e.msgstr, e.flags) for e in catalog if not e.obsolete}
    assert {k: v for k, v in after.items() if k != "Read more"} == {
        k: v for k, v in before.items() if k != "Related Articles"
    }


def test_catalog_option_updates_a_locale_tree_in_place_and_mo_files(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    locale = tmp_path / "site" / "locale"
    run(runner, seed_dir, tmp_path / "out", "--catalog", str(locale), "--mo")
    assert not (tmp_path / "out" / "locale").exists()
    po_path = locale / "es" / "LC_MESSAGES" / "news.po"
    catalog = read_back(po_path)
    entry = catalog.find("World")
    assert entry is not None
    entry.msgstr, entry.flags = "Mundo", []
    catalog.save()
    result = runner.invoke(main, ["po", "compile", "--catalog", str(locale)])
    assert result.exit_code == 0, result.output
    with (locale / "es" / "LC_MESSAGES" / "news.mo").open("rb") as handle:
        compiled = read_mo(handle)
    # Only reviewed entries go into the .mo, as msgfmt does with fuzzy ones.
    assert [(m.id, m.string) for m in compiled if m.id] == [("World", "Mundo")]


def test_a_run_whose_mo_cannot_be_written_still_writes_its_report(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "locale" / "es" / "LC_MESSAGES" / "news.mo").mkdir(parents=True)
    result = runner.invoke(main, [str(seed_dir), str(out), "--to", "es", "--mo", "-q"])
    assert result.exit_code == 1
    assert "news.mo: cannot write: Is a directory (no .mo compiled from it)" in result.output
    assert (out / "report.json").is_file() and (out / "index.html").is_file()


def test_reruns_write_identical_catalogs_with_one_note_per_entry(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    # English and French articles into Spanish: two engine routes in one run.
    shutil.copy(REPO / "samples" / "fr" / "depistage-prostate.txt", seed_dir)
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    locale = out / "locale"
    first = {p: p.read_bytes() for p in sorted(locale.rglob("*.po*"))}

    run(runner, seed_dir, out)
    run(runner, seed_dir, out)

    assert {p: p.read_bytes() for p in sorted(locale.rglob("*.po*"))} == first
    po_path = locale / "es" / "LC_MESSAGES" / "news.po"
    notes = {e.msgid: e.tcomment for e in read_back(po_path)}
    assert all(note.startswith("machine translation: apertium (") for note in notes.values())
    assert all(note.count("machine translation:") == 1 for note in notes.values())
    assert "apertium-eng-spa" in notes["Share"] and "apertium-fr-es" not in notes["Share"]
    french = [n for m, n in notes.items() if "apertium-fr-es" in n]
    assert french and all("apertium-eng-spa" not in n for n in french)
    assert any("\n" in note for note in notes.values())  # real length: wrapped by polib
    read_back(locale / "news.pot")


def test_a_translators_edit_of_a_fuzzy_entry_survives_a_rerun(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    po_path = spanish_catalog(out)
    catalog = read_back(po_path)
    share = catalog.find("Share")
    assert share is not None and "fuzzy" in share.flags
    share.msgstr = "Compartir (revisar)"
    catalog.save()

    run(runner, seed_dir, out)

    share = read_back(po_path).find("Share")
    assert share is not None and share.msgstr == "Compartir (revisar)" and "fuzzy" in share.flags


def test_catalog_option_keeps_a_sites_strings_and_uses_its_translations(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    locale = tmp_path / "site" / "locale"
    po_path = locale / "es" / "LC_MESSAGES" / "news.po"
    po_path.parent.mkdir(parents=True)
    (locale / "news.pot").write_text(SITE_POT, encoding="utf-8")
    po_path.write_text(SITE_PO.format(charset="ISO-8859-1"), encoding="ISO-8859-1")
    out = tmp_path / "out"

    run(runner, seed_dir, out, "--catalog", str(locale), "--mo")
    run(runner, seed_dir, out, "--catalog", str(locale), "--mo")

    catalog = read_back(po_path)
    plural = catalog.find("%(count)d comment")
    assert plural is not None and plural.msgstr_plural[1] == "%(count)d comentarios"
    assert [e.msgid for e in catalog.obsolete_entries()] == ["Archive"]
    assert {"The Daily Example", "Share", "Subscribe", "World"} <= {e.msgid for e in catalog}
    template = polib.pofile(str(locale / "news.pot"))
    assert template.metadata["Project-Id-Version"] == "mysite 2.1"
    assert {"The Daily Example", "%(count)d comment", "World"} <= {e.msgid for e in template}
    # The site's reviewed "Share" is what the article shows.
    article = (out / "es" / "seed.txt").read_text("utf-8").splitlines()
    assert article[4:6] == ["Compartir", "Compartir"]
    compiled = {e.msgid: e for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    assert compiled["%(count)d comment"].msgstr_plural == {
        0: "%(count)d comentario",
        1: "%(count)d comentarios",
    }
    assert compiled["Share"].msgstr == "Compartir"


def test_a_catalog_in_a_charset_it_does_not_declare_stops_the_run_with_the_fix(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    locale = tmp_path / "locale"
    po_path = locale / "es" / "LC_MESSAGES" / "news.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_bytes(SITE_PO.format(charset="UTF-8").encode("ISO-8859-1"))

    result = runner.invoke(
        main, [str(seed_dir), str(tmp_path / "out"), "--to", "es", "--catalog", str(locale)]
    )

    assert result.exit_code == 1
    assert f"{po_path}:2: cannot read catalog: not UTF-8 text" in result.stderr
    assert "msgconv -t UTF-8" in result.stderr


def test_a_catalog_broken_during_a_run_is_named_and_fails_it(
    runner: CliRunner, seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--mo compiles at the end: a .po a translator saved broken meanwhile is named, exit 1."""
    locale = tmp_path / "locale"
    french = locale / "fr" / "LC_MESSAGES" / "news.po"
    french.parent.mkdir(parents=True)
    french.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n', "utf-8")
    update_catalogs = pipeline.update_catalogs

    def then_a_translator_saves(*args: Any, **kwargs: Any) -> Any:
        maps = update_catalogs(*args, **kwargs)
        french.write_text('msgid "Share"\nmsgstr "Partager\n', "utf-8")  # unclosed quote
        return maps

    monkeypatch.setattr(pipeline, "update_catalogs", then_a_translator_saves)
    args = [str(seed_dir), str(tmp_path / "out"), "--to", "es", "-q"]
    result = runner.invoke(main, [*args, "--catalog", str(locale), "--mo"])

    assert result.exit_code == 1
    assert f"{french}" in result.output and "no .mo compiled from it" in result.output
    assert (locale / "es" / "LC_MESSAGES" / "news.mo").is_file()  # the others still are
    assert not french.with_suffix(".mo").exists()


def test_an_article_that_cannot_be_read_keeps_its_ui_strings_in_the_catalogs(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    """One bad save (an invalid byte) must not send reviewed strings to obsolete, on this
    run or the next; once the file is fixed, all is as before."""
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    po_path = spanish_catalog(out)
    reviewed = polib.pofile(str(po_path))
    share = reviewed.find("Share")
    assert share is not None
    share.msgstr, share.flags = "Compartir", []
    reviewed.save()
    before = po_path.read_bytes()
    seed = seed_dir / "seed.txt"
    good = seed.read_bytes()

    seed.write_bytes(good + b"\xff")
    # The second run's settings differ (a glossary): what the article held is kept anyway.
    glossary = ["--glossary", str(REPO / "glossaries" / "news.yml")]
    for extra in ([], glossary):
        result = runner.invoke(main, [str(seed_dir), str(out), "--to", "es", "-q", *extra])
        assert result.exit_code == 1 and "seed.txt" in result.output
        assert po_path.read_bytes() == before
    seed.write_bytes(good)
    run(runner, seed_dir, out)
    assert po_path.read_bytes() == before
    # Written again, not taken for done: it shows the review it missed.
    assert "Compartir" in (out / "es" / "seed.txt").read_text("utf-8")


def test_a_ui_string_of_an_article_in_the_catalogs_language_is_its_own_draft(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A Spanish article's "Compartir" in es.po is no string to translate: it comes
    filled (a draft like any machine one), not empty among the untranslated."""
    out = tmp_path / "out"
    run(runner, REPO / "samples", out)
    po = out / "locale" / "es" / "LC_MESSAGES" / "news.po"
    entry = polib.pofile(str(po)).find("Compartir")
    assert entry is not None and entry.msgstr == "Compartir" and entry.fuzzy
    assert "(the string is es already)" in entry.tcomment
    statistics = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in statistics.stderr
