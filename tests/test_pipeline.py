"""The batch run end to end, through the CLI, with real Apertium."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner

from tests.conftest import REPO, SEED
from translator import collect, fsutil, pipeline, report
from translator.cli import main
from translator.state import RunState

GLOSSARY = REPO / "glossaries" / "news.yml"


def translate(runner: CliRunner, source: Path, out: Path, *extra: str) -> dict[str, object]:
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--quiet", *extra])
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text("utf-8"))


def articles_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The articles the first pass reads from now on (not recalled), as they are read."""
    read: list[Path] = []
    reading = collect._collect

    def spy(args: tuple[Any, Path, Any]) -> Any:
        read.append(args[1])
        return reading(args)

    monkeypatch.setattr(collect, "_collect", spy)
    return read


def translated_then_edited(runner: CliRunner, tmp_path: Path) -> tuple[Path, Path]:
    """(IN, OUT): an article translated into Spanish, whose output an editor then changed."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday.\n", "utf-8")
    translate(runner, source, out, "--from", "en")
    (out / "es" / "a.txt").write_text("Corregido a mano.\n", "utf-8")
    return source, out


def article(report: dict[str, object], path: str) -> dict[str, object]:
    articles = report["articles"]
    assert isinstance(articles, list)
    return next(a for a in articles if a["path"] == path)


def test_seed_article_is_translated_into_spanish(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = translate(runner, seed_dir, out, "--glossary", str(GLOSSARY))
    seed = article(report, "seed.txt")
    assert seed["language"] == "en"
    assert seed["confidence"] > 0.9
    target = seed["targets"]["es"]
    assert target["status"] == "translated"
    assert target["engine"] == "apertium"
    text = (out / "es" / "seed.txt").read_text("utf-8")
    assert "Rusia" in text and "Reino Unido" in text
    assert "Vladimir Putin" in text and "OTAN" in text and "Bruselas" in text
    assert "*" not in text
    # The page's furniture keeps its place: same number of lines and blank lines.
    assert text.count("\n") == SEED.read_text("utf-8").count("\n")
    assert (out / "bilingual" / "es" / "seed.txt.html").is_file()
    assert "seed.txt" in (out / "index.html").read_text("utf-8")


def test_ui_strings_render_from_the_catalog(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    translate(runner, seed_dir, out)
    pot = (out / "locale" / "news.pot").read_text("utf-8")
    for msgid in ("Share", "Related Articles", "World"):
        assert pot.count(f'msgid "{msgid}"') == 1
    seed = article(json.loads((out / "report.json").read_text("utf-8")), "seed.txt")
    assert seed["targets"]["es"]["ui_strings"] > 0
    assert seed["targets"]["es"]["unreviewed_ui"] == seed["targets"]["es"]["ui_strings"]


def test_two_runs_write_identical_bytes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "first", tmp_path / "second"
    translate(runner, REPO / "samples", first, "--no-cache")
    translate(runner, REPO / "samples", second, "--no-cache")
    written = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for path in written:
        # report.json holds timings; the run state, signatures of the files as written
        if path.name != "report.json" and path.parts[0] != ".translate-news":
            assert (first / path).read_bytes() == (second / path).read_bytes(), path


def test_samples_cover_formats_and_languages(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = translate(runner, REPO / "samples", out)
    statuses = {
        a["path"]: (a["language"], a["targets"]["es"]["status"]) for a in report["articles"]
    }
    assert statuses["es/mercurio.txt"] == ("es", "copied")
    assert statuses["fr/depistage-prostate.txt"] == ("fr", "translated")
    assert statuses["en/higgs-boson.html"] == ("en", "translated")
    assert (out / "es" / "es" / "mercurio.txt").read_bytes() == (
        REPO / "samples" / "es" / "mercurio.txt"
    ).read_bytes()
    html = (out / "es" / "en" / "higgs-boson.html").read_text("utf-8")
    assert '<html lang="es">' in html
    assert '<p translate="no">CERN press office, Geneva</p>' in html
    record = json.loads((out / "es" / "fr" / "soins-palliatifs.json").read_text("utf-8"))
    assert record["id"] == "fr-2013-0146" and record["tags"] == ["santé", "Québec"]


def test_rerun_translates_nothing_and_new_text_only_what_changed(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = translate(runner, seed_dir, out)
    assert first["totals"]["segments_translated"] > 50
    again = translate(runner, seed_dir, out)
    assert again["totals"]["segments_translated"] == 0
    (seed_dir / "extra.txt").write_text("Kyiv expects a long winter of power cuts.\n", "utf-8")
    third = translate(runner, seed_dir, out)
    assert third["totals"]["segments_translated"] == 1


def test_an_argos_setting_keeps_apertiums_cache(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    """Apertium has no beam: --beam-size is not in its cache key."""
    out = tmp_path / "out"
    first = translate(runner, seed_dir, out, "--engine", "apertium")
    assert first["totals"]["segments_translated"] > 50
    again = translate(runner, seed_dir, out, "--engine", "apertium", "--beam-size", "3")
    assert again["totals"]["segments_translated"] == 0


def test_glossary_edit_retranslates_only_segments_with_that_term(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    glossary = tmp_path / "terms.yml"
    glossary.write_text("terms:\n  - en: Kharkiv\n", "utf-8")
    out = tmp_path / "out"
    translate(runner, seed_dir, out, "--glossary", str(glossary))
    glossary.write_text("terms:\n  - en: Kharkiv\n    es: Járkov\n", "utf-8")
    report = translate(runner, seed_dir, out, "--glossary", str(glossary))
    assert 0 < report["totals"]["segments_translated"] <= 2  # the sentences naming Kharkiv
    assert "Járkov" in (out / "es" / "seed.txt").read_text("utf-8")


def test_article_in_a_language_no_engine_serves_is_reported(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    german = "Die Regierung in Berlin hat am Montag neue Gesetze zur Energiepolitik vorgestellt."
    (seed_dir / "de.txt").write_text(german * 3, "utf-8")
    result = runner.invoke(main, [str(seed_dir), str(tmp_path / "out"), "--to", "es", "-q"])
    assert result.exit_code == 1
    assert "de.txt" in result.output and "de->es" in result.output
    assert (tmp_path / "out" / "es" / "seed.txt").is_file()
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    articles = {a["path"]: (a["status"], a["failed"]) for a in report["articles"]}
    assert articles == {"de.txt": ("partial", True), "seed.txt": ("ok", False)}
    assert report["totals"]["statuses"] == {"ok": 1, "partial": 1}  # articles
    assert report["totals"]["target_statuses"] == {"translated": 1, "unsupported": 1}


def test_two_targets(runner: CliRunner, seed_dir: Path, tmp_path: Path) -> None:
    # Apertium has no en->fr pair here: fr is reported, es is written.
    out = tmp_path / "out"
    result = runner.invoke(main, [str(seed_dir), str(out), "--to", "es,fr", "-q"])
    assert result.exit_code == 1
    assert (out / "es" / "seed.txt").is_file()
    assert "en->fr" in result.output


def test_detect_prints_json_lines(runner: CliRunner) -> None:
    result = runner.invoke(main, ["detect", str(SEED), str(REPO / "samples/fr/journee-sida.md")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["language"] for line in lines] == ["en", "fr"]
    assert all(0.9 < line["confidence"] <= 1.0 for line in lines)
    assert {line["detected_by"] for line in lines} == {"langdetect"}


def test_detect_says_what_a_run_would_of_a_page_too_short_to_tell(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The language its markup declares, as a run takes it."""
    page = tmp_path / "brief.html"
    page.write_text('<html lang="es"><body><p>Hola.</p></body></html>\n', "utf-8")
    result = runner.invoke(main, ["detect", str(page)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "path": str(page),
        "language": "es",
        "confidence": 0.0,
        "detected_by": "declared",
    }


def test_engines_lists_apertium_pairs(runner: CliRunner) -> None:
    result = runner.invoke(main, ["engines"])
    assert result.exit_code == 0
    assert "apertium:" in result.output and "en->es" in result.output


def test_usage_errors_exit_2(runner: CliRunner, seed_dir: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    assert runner.invoke(main, [str(seed_dir), out]).exit_code == 2  # no --to
    assert runner.invoke(main, [str(seed_dir), out, "--to", "e s"]).exit_code == 2
    assert runner.invoke(main, [str(seed_dir), out, "--to", "es", "--engine", "x"]).exit_code == 2
    nested = runner.invoke(main, [str(seed_dir), str(seed_dir / "out"), "--to", "es"])
    assert nested.exit_code == 2


def test_a_run_never_writes_over_the_articles_it_reads(runner: CliRunner, tmp_path: Path) -> None:
    """site/es read into site --to es would write site/es/a.txt over itself."""
    site = tmp_path / "site"
    (site / "es").mkdir(parents=True)
    (site / "en").mkdir()
    original = "The minister said on Monday that the economy is growing.\n"
    (site / "es" / "a.txt").write_text(original, "utf-8")
    (site / "en" / "b.txt").write_text(original, "utf-8")

    over = runner.invoke(main, [str(site / "es"), str(site), "--to", "es"])

    assert over.exit_code == 2
    assert f"INPUT_DIR must not be inside {site / 'es'}: the run writes there" in over.output
    assert (site / "es" / "a.txt").read_text("utf-8") == original
    # A language's folder into its site's, as Hugo lays them out, is fine.
    beside = runner.invoke(main, [str(site / "en"), str(site), "--to", "es", "--from", "en"])
    assert beside.exit_code == 0, beside.output
    assert (site / "es" / "b.txt").read_text("utf-8").startswith("El ministro")


def test_rerun_skips_articles_whose_outputs_are_up_to_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    shutil.copytree(REPO / "samples", source)
    out = tmp_path / "out"
    first = translate(runner, source, out)
    first_lines = (out / "report.json").read_text("utf-8").splitlines()[1:]
    written = {p: p.stat().st_mtime_ns for p in (out / "es").rglob("*") if p.is_file()}
    again = translate(runner, source, out)
    assert {p: p.stat().st_mtime_ns for p in written} == written
    # Skipped, yet reported as when written, to the byte.
    assert again["articles"] == first["articles"]
    assert (out / "report.json").read_text("utf-8").splitlines()[1:] == first_lines
    assert again["totals"]["statuses"] == first["totals"]["statuses"]
    assert again["totals"]["terms"] == first["totals"]["terms"]
    changed = source / "en" / "voting-rights.md"
    changed.write_text(changed.read_text("utf-8").replace("Obama", "Barack Obama"), "utf-8")
    (out / "es" / "fr" / "journee-sida.md").unlink()
    report = translate(runner, source, out)
    rewritten = {
        p for p, stamp in written.items() if not p.exists() or p.stat().st_mtime_ns != stamp
    }
    assert rewritten == {
        out / "es" / "en" / "voting-rights.md",
        out / "es" / "fr" / "journee-sida.md",
    }
    assert report["totals"]["segments_translated"] == 1
    assert "Barack Obama" in (out / "es" / "en" / "voting-rights.md").read_text("utf-8")


def test_an_edit_is_kept_once_and_our_own_rewrite_is_never_taken_for_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    """An article written in part (no engine serves en->fr) still records what it wrote:
    the next run neither calls our own rewrite an edit nor copies it over the editor's."""
    source, out = translated_then_edited(runner, tmp_path)
    for _ in range(2):
        again = runner.invoke(main, [str(source), str(out), "--to", "es,fr", "--from", "en"])
        assert again.exit_code == 1  # en->fr unserved
    kept = out / ".translate-news" / "edited" / "es" / "a.txt"
    assert kept.read_text("utf-8") == "Corregido a mano.\n"
    assert "edited by hand" not in again.output
    assert not list(kept.parent.glob("a.txt.~*~"))


def test_an_edit_is_kept_with_no_cache_and_no_edit_is_found_after(
    runner: CliRunner, tmp_path: Path
) -> None:
    source, out = translated_then_edited(runner, tmp_path)
    first = translate(runner, source, out, "--from", "en", "--no-cache")
    assert article(first, "a.txt")["edited_outputs"] == ["es/a.txt"]
    kept = out / ".translate-news" / "edited" / "es" / "a.txt"
    assert kept.read_text("utf-8") == "Corregido a mano.\n"
    (source / "a.txt").write_text("The minister spoke on Tuesday.\n", "utf-8")
    translate(runner, source, out, "--from", "en", "--no-cache")
    after = translate(runner, source, out, "--from", "en")
    assert article(after, "a.txt")["edited_outputs"] == []


def test_an_edit_to_another_targets_output_waits_for_a_run_into_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A run --to fr leaves en/ alone, and says nothing of it; the next run --to en
    finds the edit there and keeps it."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("El ministro habló el lunes en Madrid.\n", "utf-8")
    runner.invoke(main, [str(source), str(out), "--to", "en", "--from", "es", "-q"])
    (out / "en" / "a.txt").write_text("Edited by hand.\n", "utf-8")
    into_fr = runner.invoke(main, [str(source), str(out), "--to", "fr", "--from", "es"])
    assert into_fr.exit_code == 0, into_fr.output
    assert "edited by hand" not in into_fr.output
    assert (out / "en" / "a.txt").read_text("utf-8") == "Edited by hand.\n"
    back = runner.invoke(main, [str(source), str(out), "--to", "en", "--from", "es"])
    assert "en/a.txt: edited by hand" in back.output
    kept = out / ".translate-news" / "edited" / "en" / "a.txt"
    assert kept.read_text("utf-8") == "Edited by hand.\n"


def test_an_unreadable_article_s_edited_output_is_not_said_kept_and_stays(
    runner: CliRunner, tmp_path: Path
) -> None:
    source, out = translated_then_edited(runner, tmp_path)
    (source / "a.txt").write_bytes(b"\xff\xfe\x00garbage\xc3")
    broken = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en"])
    assert broken.exit_code == 1 and "edited copy is kept" not in broken.output
    (source / "a.txt").write_text("The minister spoke on Tuesday.\n", "utf-8")
    mended = translate(runner, source, out, "--from", "en")
    assert article(mended, "a.txt")["edited_outputs"] == ["es/a.txt"]
    kept = out / ".translate-news" / "edited" / "es" / "a.txt"
    assert kept.read_text("utf-8") == "Corregido a mano.\n"


def test_outputs_a_run_cut_short_wrote_unrecorded_are_not_taken_for_edits(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after writing, before recording: the next run finds its signatures
    changed, but the files hold what it writes now, so no editor is told of them."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday.\n", "utf-8")
    translate(runner, source, out, "--from", "en")
    (source / "a.txt").write_text("The minister spoke on Tuesday.\n", "utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(RunState, "remember", lambda *args: None)  # as if killed
        translate(runner, source, out, "--from", "en")
    report = translate(runner, source, out, "--from", "en")
    assert article(report, "a.txt")["edited_outputs"] == []
    assert not (out / ".translate-news" / "edited").exists()


def test_an_article_copied_now_keeps_no_output_of_another_run_known(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """English, then rewritten in Spanish: es/ is a copy, its bilingual page from the
    English days no output of this run; deleted, it stops no later run recalling it."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday in London.\n", "utf-8")
    translate(runner, source, out)
    (source / "a.txt").write_text("El ministro habló el lunes en Londres con la prensa.\n")
    translate(runner, source, out)
    (out / "bilingual" / "es" / "a.txt.html").unlink()
    read = articles_read(monkeypatch)
    translate(runner, source, out)
    assert read == []


def test_an_edit_to_a_page_an_older_run_made_is_kept_when_one_makes_it_again(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read as English, then (detected) as the Spanish it is, then as English again: the
    bilingual page of the first run, edited meanwhile, is kept before it is rewritten,
    and while no run makes it, it keeps no article from being recalled."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    spanish = "El ministro habló el lunes en Madrid con la prensa sobre la economía.\n"
    (source / "a.txt").write_text(spanish, "utf-8")
    translate(runner, source, out, "--from", "en")
    translate(runner, source, out)  # Spanish: es/a.txt is a copy, no page
    page = out / "bilingual" / "es" / "a.txt.html"
    page.write_text("<p>Revisado a mano.</p>", "utf-8")
    read = articles_read(monkeypatch)
    translate(runner, source, out)
    assert read == []  # up to date: that page is none of this run's
    report = translate(runner, source, out, "--from", "en")
    assert article(report, "a.txt")["edited_outputs"] == ["bilingual/es/a.txt.html"]
    kept = out / ".translate-news" / "edited" / "bilingual" / "es" / "a.txt.html"
    assert kept.read_text("utf-8") == "<p>Revisado a mano.</p>"


def test_rows_of_articles_gone_with_no_output_are_pruned(runner: CliRunner, tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday.\n", "utf-8")
    (source / "empty.txt").write_text("", "utf-8")
    (source / "junk.txt").write_bytes(b"caf\xe9 au lait\n")  # Latin-1: not read
    runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    (source / "empty.txt").unlink()
    (source / "junk.txt").unlink()
    translate(runner, source, out, "--from", "en")
    with sqlite3.connect(out / ".translate-news" / "state.sqlite") as db:
        assert [path for (path,) in db.execute("SELECT path FROM articles")] == ["a.txt"]


def test_outputs_written_by_other_code_are_not_up_to_date(
    runner: CliRunner, seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release, or a fix within one, may protect or segment otherwise: the articles it
    wrote are read and written again (from the cache), not taken as they are."""
    out = tmp_path / "out"
    translate(runner, seed_dir, out)
    read = articles_read(monkeypatch)
    translate(runner, seed_dir, out)
    assert read == []  # up to date
    monkeypatch.setattr(pipeline, "code_digest", lambda: "another build")
    report = translate(runner, seed_dir, out)
    assert read == [Path("seed.txt")]
    assert report["totals"]["segments_translated"] == 0  # the cache holds every sentence


def test_a_rerun_writes_again_an_output_changed_by_hand(runner: CliRunner, tmp_path: Path) -> None:
    """check says "an editor added a paragraph: rerun translate-news"; the rerun does
    restore the article (and its bilingual page), and leaves the others alone."""
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a", "b"):
        text = f"The minister said on Monday that the economy of {name} is growing.\n"
        (source / f"{name}.txt").write_text(text, "utf-8")
    out = tmp_path / "out"
    translate(runner, source, out)
    edited, other = out / "es" / "a.txt", out / "es" / "b.txt"
    page = out / "bilingual" / "es" / "a.txt.html"
    first = edited.read_text("utf-8")
    untouched = other.stat().st_mtime_ns
    edited.write_text(first + "\nUn párrafo añadido.\n", "utf-8")
    page.write_text("<p>broken</p>", "utf-8")
    glossary = ["--glossary", str(REPO / "glossaries" / "news.yml")]
    assert runner.invoke(main, ["check", str(out), *glossary]).exit_code == 1

    rerun = translate(runner, source, out)

    assert edited.read_text("utf-8") == first
    assert "<!DOCTYPE html>" in page.read_text("utf-8")
    kept = out / ".translate-news" / "edited"
    assert (kept / "es" / "a.txt").read_text("utf-8") == first + "\nUn párrafo añadido.\n"
    assert (kept / "bilingual" / "es" / "a.txt.html").read_text("utf-8") == "<p>broken</p>"
    [entry] = [a for a in rerun["articles"] if a["path"] == "a.txt"]
    assert entry["edited_outputs"] == ["bilingual/es/a.txt.html", "es/a.txt"]
    assert entry["status"] == "ok"  # a warning: the editor is told, nothing failed
    assert (
        "a.txt: es/a.txt: edited by hand since the last run wrote it; the edited copy is kept "
        "in .translate-news/edited/es/a.txt"
    ) in report.errors(rerun)[1]
    assert other.stat().st_mtime_ns == untouched
    assert rerun["totals"]["segments_translated"] == 0  # from the cache
    again = translate(runner, source, out)  # told once: the output is the run's own again
    assert [a["edited_outputs"] for a in again["articles"]] == [[], []]
    assert runner.invoke(main, ["check", str(out), *glossary]).exit_code == 0


def test_an_output_changed_by_hand_whose_copy_cannot_be_kept_is_left_as_it_is(
    runner: CliRunner, tmp_path: Path
) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday.\n", "utf-8")
    translate(runner, source, out)
    edited = out / "es" / "a.txt"
    edited.write_text("Un texto corregido a mano.\n", "utf-8")
    (out / ".translate-news" / "edited").write_text("in the way\n", "utf-8")  # not a folder

    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q"])

    assert result.exit_code == 1
    assert "es/a.txt: edited by hand, and its copy cannot be kept" in result.output
    assert "the edited copy is kept" not in result.output
    assert edited.read_text("utf-8") == "Un texto corregido a mano.\n"
    (out / ".translate-news" / "edited").unlink()  # out of the way: the next run keeps it
    translate(runner, source, out)
    kept = out / ".translate-news" / "edited" / "es" / "a.txt"
    assert kept.read_text("utf-8") == "Un texto corregido a mano.\n"


@pytest.mark.parametrize("change", ["source", "code", "state-folder-linked"])
def test_an_edited_output_is_kept_whatever_else_changed(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    """Its article's source edited too, a new build of this tool (another fingerprint:
    the state's rows of the last one are not recalled), or OUT/.translate-news moved
    to another disk and linked: the editor's copy is kept all the same."""
    source, out = translated_then_edited(runner, tmp_path)
    if change == "source":
        (source / "a.txt").write_text("The minister spoke on Tuesday.\n", "utf-8")
    elif change == "code":
        monkeypatch.setattr(pipeline, "code_digest", lambda: "another build")
    else:
        moved = tmp_path / "roomier" / "state"
        moved.parent.mkdir()
        (out / ".translate-news").rename(moved)
        (out / ".translate-news").symlink_to(moved, target_is_directory=True)

    report = translate(runner, source, out, "--from", "en")

    kept = out / ".translate-news" / "edited" / "es" / "a.txt"
    assert kept.read_text("utf-8") == "Corregido a mano.\n"
    assert article(report, "a.txt")["edited_outputs"] == ["es/a.txt"]
    assert "Corregido" not in (out / "es" / "a.txt").read_text("utf-8")


@pytest.mark.parametrize("copy", ["copytree", "git-like"])
def test_a_copied_out_is_no_editors_work(runner: CliRunner, tmp_path: Path, copy: str) -> None:
    """OUT copied (`cp -r`), or checked out from git (new inodes, new times), then the
    source changes: the outputs hold what the run wrote, no edit to keep; an edit made
    in the copy still is one."""
    source, first = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday.\n", "utf-8")
    (source / "b.txt").write_text("The president spoke on Monday.\n", "utf-8")
    translate(runner, source, first, "--from", "en")
    out = tmp_path / "copy"
    if copy == "copytree":
        shutil.copytree(first, out)
    else:
        shutil.copytree(first, out, copy_function=shutil.copy)  # times of now, as git's
    (out / "es" / "b.txt").write_text("Corregido a mano.\n", "utf-8")
    for name in ("a.txt", "b.txt"):
        (source / name).write_text("The minister spoke on Tuesday.\n", "utf-8")

    report = translate(runner, source, out, "--from", "en")

    assert article(report, "a.txt")["edited_outputs"] == []
    assert article(report, "b.txt")["edited_outputs"] == ["es/b.txt"]
    kept = out / ".translate-news" / "edited"
    assert sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*.txt")) == ["es/b.txt"]


def test_an_edit_in_place_with_its_time_put_back_is_found(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The same size, the modification time set back (`touch -d`): the change time
    still shows the edit."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text("The minister spoke on Monday.\n", "utf-8")
    translate(runner, source, out, "--from", "en")
    output = out / "es" / "a.txt"
    before, text = output.stat(), output.read_bytes()
    with output.open("r+b") as file:  # in place: the same inode
        file.write(b"X" * len(text))
    os.utime(output, ns=(before.st_atime_ns, before.st_mtime_ns))
    (source / "a.txt").write_text("The minister spoke on Tuesday.\n", "utf-8")

    report = translate(runner, source, out, "--from", "en")

    assert article(report, "a.txt")["edited_outputs"] == ["es/a.txt"]
    assert (out / ".translate-news" / "edited" / "es" / "a.txt").read_bytes() == b"X" * len(text)


def test_an_output_we_cannot_read_is_never_taken_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's save of the same size we may not read (another user's mode 600) is
    not known to be ours: it is an edit, kept or refused, never written over unseen;
    and one we may write but not read is signed without its bytes."""
    output = tmp_path / "a.txt"
    output.write_text("Hola.\n", "utf-8")
    written = fsutil.output_signature(str(output))
    output.unlink()
    output.write_text("Hala.\n", "utf-8")  # another inode, the same size
    real_open = open

    def refusing(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path) == str(output):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(fsutil, "open", refusing, raising=False)
    assert not fsutil.as_written(str(output), written)
    assert len(fsutil.output_signature(str(output))) == 4


def test_an_edited_copy_is_never_read_or_kept_through_a_link_leading_out(
    runner: CliRunner, tmp_path: Path
) -> None:
    source, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    source.mkdir()
    elsewhere.mkdir()
    for name in ("a", "b"):
        (source / f"{name}.txt").write_text(f"The minister of {name} spoke.\n", "utf-8")
    translate(runner, source, out, "--from", "en")
    secret = elsewhere / "secret.txt"
    secret.write_text("not for the newsroom\n", "utf-8")
    (out / "es" / "a.txt").unlink()
    (out / "es" / "a.txt").symlink_to(secret)  # a link where an output was
    kept = out / ".translate-news" / "edited" / "es"
    kept.parent.mkdir(parents=True)
    kept.symlink_to(elsewhere, target_is_directory=True)
    (out / "es" / "b.txt").write_text("Editado a mano.\n", "utf-8")

    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])

    assert result.exit_code == 1
    assert "leads outside the output folder" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["secret.txt"]
    assert secret.read_text("utf-8") == "not for the newsroom\n"


def test_a_state_from_before_output_signatures_gets_their_column(tmp_path: Path) -> None:
    """An OUT made by a release without the outputs column: the run adds it; the rows
    it holds are of another state format, so their articles are written once again."""
    path = tmp_path / "state.sqlite"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE articles (path TEXT PRIMARY KEY, digest TEXT NOT NULL, "
        "fingerprint TEXT NOT NULL, collected TEXT NOT NULL, entry TEXT NOT NULL)"
    )
    old.execute("INSERT INTO articles VALUES ('a.txt', 'x', 'y', '{}', '{}')")
    old.commit()
    old.close()
    with RunState(path) as state:
        columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(articles)")]
        assert columns[-1] == "outputs"
        state.remember([("b.txt", "d", {}, "{}", {"es/b.txt": [1, 2, 3]})], "f")
        [(_, remembered)] = state.recall_all("f").values()
        assert remembered.outputs == {"es/b.txt": [1, 2, 3]}


def files_opened_by_collect(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths pass 1 opens from now on, in order (it reads articles with `open`)."""
    opened: list[str] = []

    def counting_open(path: str, *args: Any, **kwargs: Any) -> IO[Any]:
        opened.append(path)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(collect, "open", counting_open, raising=False)
    return opened


def test_a_rerun_reads_no_article_whose_file_is_as_it_was(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Size, times and inode as the last run saw them: the bytes are not read again.
    An edit shows in the change time even with the size and modification time put
    back as they were, so it is read, and translated."""
    monkeypatch.setattr(collect, "RACY_SECONDS", 0)  # the files here are seconds old
    source, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(REPO / "samples", source)
    translate(runner, source, out)
    opened = files_opened_by_collect(monkeypatch)
    again = translate(runner, source, out)
    assert opened == []
    assert again["totals"]["statuses"]["ok"] == len(again["articles"])

    changed = source / "en" / "voting-rights.md"
    before = changed.stat()
    text = changed.read_text("utf-8")
    changed.write_text(text.replace("Obama", "OBAMA"), "utf-8")  # the same size
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = translate(runner, source, out)
    assert opened == [str(changed)]
    assert report["totals"]["segments_translated"] > 0
    assert "OBAMA" in (out / "es" / "en" / "voting-rights.md").read_text("utf-8")


def test_a_file_changed_moments_before_it_was_read_is_read_again_on_rerun(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    """Within its clock's tick, a file may change again with the same size and times:
    its signature is not kept, so every rerun checks its bytes (git's racy files)."""
    out = tmp_path / "out"
    seed = seed_dir / "seed.txt"
    first = translate(runner, seed_dir, out)
    assert seed.stat().st_ctime_ns > time.time_ns() - collect.RACY_SECONDS * 1_000_000_000
    state = sqlite3.connect(out / ".translate-news" / "state.sqlite")
    [(kept,)] = state.execute("SELECT collected FROM articles WHERE path = 'seed.txt'")
    state.close()
    assert json.loads(kept)["signature"] is None
    before = seed.stat()
    seed.write_text(seed.read_text("utf-8").replace("Share", "SHARE"), "utf-8")
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = translate(runner, seed_dir, out)
    assert again["articles"] != first["articles"]
    assert "SHARE" in (out / "locale" / "news.pot").read_text("utf-8")


def test_a_racily_clean_article_is_read_by_the_first_rerun_only(
    runner: CliRunner, seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read moments after it was written (as right after a scraper ran), an article
    gets no signature. The first rerun after its clock has ticked reads it, finds it
    unchanged, and keeps its signature now: the reruns after that read it no more."""
    out = tmp_path / "out"
    seed = seed_dir / "seed.txt"
    translate(runner, seed_dir, out)
    assert kept_signature(out, "seed.txt") is None  # the seed was copied a moment ago
    monkeypatch.setattr(collect, "RACY_SECONDS", 0)  # as if three seconds had passed
    opened = files_opened_by_collect(monkeypatch)
    first_rerun = translate(runner, seed_dir, out)
    assert opened == [str(seed)]
    assert first_rerun["totals"]["segments_translated"] == 0
    assert kept_signature(out, "seed.txt") == collect.signature(str(seed))
    second_rerun = translate(runner, seed_dir, out)
    assert opened == [str(seed)]  # not read again
    assert second_rerun["articles"] == first_rerun["articles"]


def kept_signature(out: Path, path: str) -> object:
    """The signature the run state keeps for the article at `path`."""
    state = sqlite3.connect(out / ".translate-news" / "state.sqlite")
    try:
        [(collected,)] = state.execute("SELECT collected FROM articles WHERE path = ?", (path,))
    finally:
        state.close()
    return json.loads(collected)["signature"]


def test_a_rerun_with_nothing_to_do_loads_no_reader_and_starts_no_engine(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Its start-up is most of its time: the Markdown and HTML readers and the
    Apertium process machinery are left unloaded when no article is read again."""
    out = tmp_path / "out"
    translate(runner, REPO / "samples", out)
    heavy = ["markdown_it", "translator.documents.html", "translator.engines.apertium.pipeline"]
    script = (
        "import json, sys\n"
        "from translator.cli import main\n"
        "try:\n"
        f"    main([{str(REPO / 'samples')!r}, {str(out)!r}, '--to', 'es', '-q'])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
    )
    rerun = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout.splitlines()[-1]) == []
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["totals"]["segments_translated"] == 0


def test_a_target_no_engine_serves_stops_before_any_work(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, [str(seed_dir), str(out), "--to", "fi", "-q"])
    assert result.exit_code == 1
    assert "*->fi" in result.output and "apertium: " in result.output
    assert "models install" in result.output and "apt-cache search apertium" in result.output
    assert not (out / "fi").exists()


def test_a_regional_target_is_told_of_the_engine_serving_its_language(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    result = runner.invoke(main, [str(seed_dir), str(tmp_path / "out"), "--to", "es-MX", "-q"])
    assert result.exit_code == 1
    assert "*->es-mx" in result.output
    assert "One translates into es, not es-mx in particular: `--to es`." in result.output
    for other in ("fi", "es-Latn"):  # no language served; a script, not a region
        refused = runner.invoke(main, [str(seed_dir), str(tmp_path / "out"), "--to", other])
        assert refused.exit_code == 1 and "One translates" not in refused.output


def test_an_article_no_engine_serves_is_told_the_command_that_would(
    runner: CliRunner, tmp_path: Path
) -> None:
    """English into French: Debian has no Apertium pair, an Argos package would do."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("Leaders met in Brussels on Monday.\n", "utf-8")
    args = [str(source), str(tmp_path / "out"), "--to", "fr", "--from", "en", "-q"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "a.txt: [fr] no installed engine translates en->fr" in result.output
    assert "`translate-news models install en fr` where the Argos index" in result.output


def test_why_no_engine_serves_a_pair_is_said_once_for_the_run(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for n in range(5):
        (source / f"a{n}.txt").write_text("Leaders met in Brussels on Monday.\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "fr", "--from", "en", "-q"])
    assert result.exit_code == 1
    assert result.output.count("no installed engine translates en->fr") == 5 + 1
    assert result.output.count("`translate-news models install en fr`") == 1
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert list(report["unserved"]) == ["en->fr"]


def test_label_like_lines_repeated_across_articles_become_ui_strings(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    lines = (REPO / "tests/data/newstest2013/en.txt").read_text("utf-8").splitlines()
    # Counted as the site's list is matched, markup aside: "**Advertisement**" too.
    for index, label in enumerate(["Advertisement", "**Advertisement**", "_Advertisement_"]):
        body = " ".join(lines[index * 3 : index * 3 + 3])
        (source / f"a{index}.md").write_text(f"# {lines[index * 3]}\n\n{label}\n\n{body}\n")
    out = tmp_path / "out"
    translate(runner, source, out)
    pot = (out / "locale" / "news.pot").read_text("utf-8")
    assert 'msgid "Advertisement"' in pot
    assert pot.count("a0.md") == pot.count("a1.md") == 1
    assert "#: a0.md:3 a1.md:3 a2.md:3\n" in pot  # every file and line, as any UI string


@pytest.mark.parametrize(
    ("option", "value"),
    [("--from", "english"), ("--to", "spanish"), ("--domain", "../escaped"), ("--domain", "")],
)
def test_option_values_that_cannot_be_right_are_usage_errors(
    runner: CliRunner, tmp_path: Path, option: str, value: str
) -> None:
    (tmp_path / "in").mkdir()
    args = [str(tmp_path / "in"), str(tmp_path / "out"), "--to", "es", option, value]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "escaped.pot").exists()


def test_a_regional_source_language_is_read_by_its_language_s_engine(
    runner: CliRunner, tmp_path: Path
) -> None:
    """British English is English to Apertium: --from en-GB, or <html lang="en-GB"> on a
    page too short to detect."""
    given, declared = tmp_path / "given", tmp_path / "declared"
    given.mkdir()
    declared.mkdir()
    (given / "a.txt").write_text("The government announced new measures.\n", "utf-8")
    page = '<html lang="en-GB"><p>The government met.</p></html>'  # too short to detect
    (declared / "a.html").write_text(page, "utf-8")

    by_option = translate(runner, given, tmp_path / "out1", "--from", "en-GB")
    by_page = translate(runner, declared, tmp_path / "out2")

    assert article(by_option, "a.txt")["language"] == "en"
    assert by_option["unserved"] == {}  # en-gb->es was never asked for
    assert article(by_page, "a.html")["language"] == "en"
    assert "gobierno" in (tmp_path / "out1" / "es" / "a.txt").read_text("utf-8")
    assert "gobierno" in (tmp_path / "out2" / "es" / "a.html").read_text("utf-8")


def test_inline_tags_stay_on_their_words_and_terms_inside_them_are_kept(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Apertium reorders "NATO's allies" and "big economy": the <b> and ** go with
    the words. A term a tag splits ("the <b>United</b> States") is still a term."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.html").write_text(
        "<p>The <b>NATO</b>'s allies met. The <b>United</b> States agreed.</p>\n", "utf-8"
    )
    (source / "b.md").write_text(
        "The **big economy** of [NATO](https://nato.int) grew.\n\nThe <b>white</b> house.\n"
    )
    out = tmp_path / "out"
    glossary = str(REPO / "glossaries" / "news.yml")
    report = translate(runner, source, out, "--from", "en", "--glossary", glossary)

    page = (out / "es" / "a.html").read_text("utf-8")
    assert "Los aliados de la <b>OTAN</b>" in page
    assert "<b>Estados Unidos</b>" in page
    markdown = (out / "es" / "b.md").read_text()
    assert "La **economía grande** de [OTAN](https://nato.int)" in markdown
    assert "La casa <b>blanca</b>." in markdown
    for name in ("a.html", "b.md"):
        target = article(report, name)["targets"]["es"]  # type: ignore[index]
        assert target["markup_lost"] == 0 and target["terms"]["flagged"] == 0
    check = runner.invoke(main, ["check", str(out), "--glossary", glossary])
    assert check.exit_code == 0, check.output


def test_flagged_terms_are_named_on_stderr_as_lost_markup_is() -> None:
    """A term the engine lost is outlined on the bilingual page, and named to the editor."""
    target = {"status": "translated", "terms": {"found": 3, "flagged": 2}, "markup_lost": 1}
    article = {"path": "a.txt", "error": None, "problems": [], "targets": {"es": target}}

    lines = report.errors({"articles": [article]})

    assert lines[0].startswith("a.txt: [es] 2 protected term(s) flagged: not found")
    assert lines[1].startswith("a.txt: [es] inline markup lost in 1 place(s)")


def test_a_rerun_leaves_outputs_whose_bytes_it_would_not_change(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A glossary term no article holds retranslates nothing, and rewrites nothing: sync
    and deploy tools go by modification times."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("Leaders met in Brussels on Monday to talk.\n", "utf-8")
    glossary = tmp_path / "g.yml"
    glossary.write_text("terms:\n  - en: Brussels\n    es: Bruselas\n", "utf-8")
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "--from", "en", "-q", "--glossary"]
    assert runner.invoke(main, [*args, str(glossary)]).exit_code == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    glossary.write_text(glossary.read_text("utf-8") + "  - en: Kharkiv\n", "utf-8")

    assert runner.invoke(main, [*args, str(glossary)]).exit_code == 0

    changed = {p for p, stamp in stamps.items() if p.stat().st_mtime_ns != stamp}
    assert {p.relative_to(out).parts[0] for p in changed} <= {"report.json", ".translate-news"}


def test_outputs_of_an_article_gone_from_the_input_are_named_and_kept(
    runner: CliRunner, tmp_path: Path
) -> None:
    """An OUT may be an archive each day's input adds to: nothing is deleted, but the
    editor is told, and report.json and index.html list them."""
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a.txt", "b.txt"):
        (source / name).write_text("Leaders met in Brussels on Monday to talk.\n", "utf-8")
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "--from", "en"]
    assert runner.invoke(main, [*args, "-q"]).exit_code == 0
    (source / "b.txt").rename(source / "c.txt")

    rerun = runner.invoke(main, args)

    assert rerun.exit_code == 0
    assert "1 article(s) of earlier runs are no longer in the input" in rerun.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["stale"] == [
        {"path": "b.txt", "outputs": ["bilingual/es/b.txt.html", "es/b.txt"]}
    ]
    assert (out / "es" / "b.txt").is_file() and (out / "es" / "c.txt").is_file()
    assert "No longer in the input" in (out / "index.html").read_text("utf-8")
