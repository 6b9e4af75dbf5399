"""`translate-news check`: CI fails when a protected term did not survive."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest
from click.testing import CliRunner

from tests.conftest import REPO, SEED
from translator.cli import main
from translator.documents import ReadOptions, read_document
from translator.model import Kind

GLOSSARY = str(REPO / "glossaries" / "news.yml")
SOURCES = ("seed.txt", "alliance.txt")


@pytest.fixture
def translated(runner: CliRunner, tmp_path: Path) -> Path:
    """The seed article plus a page whose section label is a term, translated to Spanish."""
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(SEED, source / "seed.txt")
    (source / "alliance.txt").write_text(
        "NATO\n\nAllies meet in Brussels to discuss the war in Ukraine.\n", "utf-8"
    )
    ui = tmp_path / "ui.txt"
    ui.write_text("NATO\n", "utf-8")
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "-q", "--glossary", GLOSSARY, "--ui-strings"]
    result = runner.invoke(main, [*args, str(ui)])
    assert result.exit_code == 0, result.output
    return out


def check(runner: CliRunner, out: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(main, ["check", str(out), "--glossary", GLOSSARY, *extra])
    return result.exit_code, result.output


def test_clean_run_passes(runner: CliRunner, translated: Path) -> None:
    code, output = check(runner, translated)
    assert code == 0, output
    # Two articles and the catalog. Of the articles, every unit, their UI lines too
    # ("NATO" on its own line is one): what an article shows an editor may change.
    read = ReadOptions(ui_strings=frozenset({"NATO"}))
    documents = [read_document(translated.parent / "in", Path(n), read) for n in SOURCES]
    assert any(unit.kind is Kind.UI for d in documents for unit in d.units)
    units = sum(len(d.units) for d in documents)
    entries = len(polib.pofile(str(translated / "locale" / "es" / "LC_MESSAGES" / "news.po")))
    checked = units + entries
    assert output == f"ok: 0 lost term(s); 3 file(s), {checked} segment(s) checked\n"


def test_a_ui_line_an_editor_changed_in_an_article_fails(
    runner: CliRunner, translated: Path
) -> None:
    """ "NATO" on its own line is a UI string: the article shows it all the same."""
    article = translated / "es" / "alliance.txt"
    lines = article.read_text("utf-8").splitlines(keepends=True)
    index = lines.index("OTAN\n")
    lines[index] = "Alianza\n"
    article.write_text("".join(lines), "utf-8")
    code, output = check(runner, translated)
    assert code == 1 and f"(line {index + 1}): term 'NATO' missing" in output


def test_a_copy_of_out_without_its_catalogs_fails(runner: CliRunner, translated: Path) -> None:
    """Not the catalogs of the OUT it was copied from, where the report says they were."""
    copy = translated.parent / "copy"
    shutil.copytree(translated, copy)
    shutil.rmtree(copy / "locale")
    code, output = check(runner, copy)
    assert code == 1 and "locale" in output and "not found" in output


def test_a_term_replaced_in_an_article_fails(runner: CliRunner, translated: Path) -> None:
    article = translated / "es" / "seed.txt"
    before = article.read_text("utf-8")
    article.write_text(before.replace("Bruselas", "Bruxelas"), "utf-8")
    code, output = check(runner, translated)
    assert code == 1
    assert "es/seed.txt" in output and "'Brussels'" in output and "'Bruselas'" in output


def test_a_term_edited_away_in_a_po_file_fails(runner: CliRunner, translated: Path) -> None:
    po_path = translated / "locale" / "es" / "LC_MESSAGES" / "news.po"
    catalog = polib.pofile(str(po_path))
    entry = catalog.find("NATO")
    assert entry is not None and entry.msgstr == "OTAN"
    entry.msgstr, entry.flags = "Alianza Atlántica", []  # a translator's edit
    catalog.save()
    code, output = check(runner, translated)
    assert code == 1
    # Where the translator finds it: the line of its msgstr, as msgfmt's messages give,
    # and its msgctxt if any.
    lines = po_path.read_text("utf-8").splitlines()
    line = lines.index('msgstr "Alianza Atlántica"') + 1
    assert f'locale/es/LC_MESSAGES/news.po: line {line}, msgid "NATO"' in output


def test_a_term_split_by_placeholders_in_a_catalog_is_checked(
    runner: CliRunner, translated: Path
) -> None:
    """A UI string's markup shows as <g1>...</g1>: the term around it is still found."""
    po_path = translated / "locale" / "es" / "LC_MESSAGES" / "news.po"
    catalog = polib.pofile(str(po_path))
    catalog.append(
        polib.POEntry(
            msgid="Leaders of the <g1>United</g1> States", msgstr="Líderes de <g1>EEUU</g1>"
        )
    )
    catalog.save()
    code, output = check(runner, translated)
    assert code == 1 and "term 'United States' missing: expected 'Estados Unidos'" in output
    catalog[-1].msgstr = "Líderes de <g1>Estados</g1> Unidos"
    catalog.save()
    assert check(runner, translated)[0] == 0


def test_a_review_that_drops_or_mistypes_a_placeholder_fails(
    runner: CliRunner, translated: Path
) -> None:
    """Articles would lose the tag: CI says which entry, as msgfmt -c does for %s."""
    po_path = translated / "locale" / "es" / "LC_MESSAGES" / "news.po"
    catalog = polib.pofile(str(po_path))
    catalog.append(polib.POEntry(msgid="<g1>Share</g1> this", msgstr="Comparte <g7>esto</g7>"))
    catalog.append(polib.POEntry(msgid="<g1>Read</g1> more", msgstr="Más", flags=["fuzzy"]))
    catalog.save()
    code, output = check(runner, translated, "--format", "json")
    issues = json.loads(output)["issues"]
    assert code == 1 and [(i["kind"], i["problem"]) for i in issues] == [
        (
            "lost markup",
            "markup placeholders differ from the msgid's: unknown </g7>, unknown <g7>, "
            "missing </g1>, missing <g1>",
        )
    ]
    assert issues[0]["where"].endswith('msgid "<g1>Share</g1> this"')


def test_every_plural_form_is_checked(runner: CliRunner, translated: Path) -> None:
    """A site's plural entry: msgstr[0] translates the msgid, the others msgid_plural."""
    po_path = translated / "locale" / "es" / "LC_MESSAGES" / "news.po"
    catalog = polib.pofile(str(po_path))
    plural = polib.POEntry(msgid="One NATO story", msgid_plural="%d NATO stories")
    plural.msgstr_plural = {0: "Una noticia de la OTAN", 1: "%d noticias de la Alianza"}
    catalog.append(plural)
    catalog.save()
    code, output = check(runner, translated, "--format", "json")
    issues = json.loads(output)["issues"]
    assert code == 1 and [(i["term"], i["context"]) for i in issues] == [
        ("NATO", "%d noticias de la Alianza")
    ]
    plural.msgstr_plural[1] = "%d noticias de la OTAN"
    catalog.save()
    assert check(runner, translated)[0] == 0


def test_all_findings_are_collected_as_json_and_junit(runner: CliRunner, translated: Path) -> None:
    article = translated / "es" / "seed.txt"
    text = article.read_text("utf-8")
    article.write_text(text.replace("OTAN", "NATO").replace("Moscú", "Moscow"), "utf-8")
    code, output = check(runner, translated, "--format", "json")
    assert code == 1
    report = json.loads(output)
    assert {issue["term"] for issue in report["issues"]} == {"NATO", "Moscow"}
    assert report["ok"] is False
    code, output = check(runner, translated, "--format", "junit")
    assert code == 1
    suite = ElementTree.fromstring(output.split("?>", 1)[1]).find("testsuite")
    assert suite is not None and int(suite.get("failures", "0")) == len(report["issues"])


def test_junit_stays_xml_whatever_control_characters_an_article_holds(
    runner: CliRunner, translated: Path
) -> None:
    """XML has no place for an escape character, even escaped: it is shown as \\x1b."""
    article = translated / "es" / "alliance.txt"
    text = article.read_text("utf-8")
    article.write_text(text.replace("Bruselas", "Brussels\x1b[0m"), "utf-8")
    code, output = check(runner, translated, "--format", "junit")
    assert code == 1
    suite = ElementTree.fromstring(output.split("?>", 1)[1]).find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    assert "\\x1b[0m" in output


def test_check_writes_nothing(runner: CliRunner, translated: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in translated.rglob("*")}
    check(runner, translated)
    assert {p: p.stat().st_mtime_ns for p in translated.rglob("*")} == before


# --- what check compares, and what it reports when it cannot ---


def test_check_reads_articles_as_the_run_did(runner: CliRunner, tmp_path: Path) -> None:
    """A run with --fields: check reads the same fields, so a lost term is found."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "story.json").write_text('{"headline": "NATO meets in Brussels.", "id": 7}\n')
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "--from", "en", "-q", "--glossary", GLOSSARY]
    result = runner.invoke(main, [*args, "--fields", "headline"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["read_options"]["json_fields"] == ["headline"]
    assert check(runner, out) == (0, "ok: 0 lost term(s); 2 file(s), 1 segment(s) checked\n")
    article = out / "es" / "story.json"
    article.write_text(article.read_text("utf-8").replace("OTAN", "Alianza"), "utf-8")
    code, output = check(runner, out)
    assert code == 1
    assert "es/story.json: segment 1 (line 1): term 'NATO' missing: expected 'OTAN'" in output


def test_a_report_without_read_options_is_no_silent_pass(runner: CliRunner, tmp_path: Path) -> None:
    """A report made before runs recorded --fields: nothing read is an issue, not a pass."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "story.json").write_text('{"headline": "NATO meets in Brussels."}\n')
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "--from", "en", "-q", "--fields", "headline"]
    assert runner.invoke(main, args).exit_code == 0
    path = out / "report.json"
    report = json.loads(path.read_text("utf-8"))
    del report["read_options"]
    path.write_text(json.dumps(report), "utf-8")
    code, output = check(runner, out)
    assert code == 1
    assert "es/story.json: the run translated 1 segment(s) here, check read none" in output


def test_a_paragraph_added_by_an_editor_is_one_issue(runner: CliRunner, translated: Path) -> None:
    article = translated / "es" / "seed.txt"
    article.write_text("Nota del editor sobre la OTAN.\n\n" + article.read_text("utf-8"), "utf-8")
    code, output = check(runner, translated)
    assert code == 1
    assert output.splitlines()[0] == (
        "es/seed.txt: source has 45 segments, translation 46: they no longer line up; "
        "rerun translate-news"
    )
    assert "lost term" in output and "0 lost term(s)" in output  # no false lost terms


def test_a_source_changed_since_the_run_is_one_issue(runner: CliRunner, translated: Path) -> None:
    source = (translated.parent / "in" / "seed.txt").resolve()
    source.write_text(source.read_text("utf-8").replace("NATO", "the alliance"), "utf-8")
    code, output = check(runner, translated)
    assert code == 1
    assert f"es/seed.txt: source {source} changed since the run; rerun translate-news" in output
    assert "0 lost term(s)" in output


def test_the_nearest_match_is_shown(runner: CliRunner, translated: Path) -> None:
    article = translated / "es" / "seed.txt"
    article.write_text(article.read_text("utf-8").replace("Vladimir Putin", "Vladímir Putin"))
    code, output = check(runner, translated)
    assert code == 1
    assert "term 'Vladimir Putin' missing: expected 'Vladimir Putin', found 'Vladímir Putin'" in (
        output
    )
    code, output = check(runner, translated, "--format", "json")
    issue = json.loads(output)["issues"][0]
    assert (issue["kind"], issue["found"]) == ("lost term", "Vladímir Putin")
    assert "Vladímir Putin" in issue["context"] and len(issue["context"]) <= 120


@pytest.mark.parametrize("output_format", ["text", "json", "junit"])
def test_every_problem_is_collected_in_every_format(
    runner: CliRunner, translated: Path, output_format: str
) -> None:
    """A missing output, a broken catalog and a lost term: one run shows all three."""
    (translated / "es" / "alliance.txt").unlink()
    (translated / "locale" / "es" / "LC_MESSAGES" / "news.po").write_text("garbage line\n")
    article = translated / "es" / "seed.txt"
    article.write_text(article.read_text("utf-8").replace("Bruselas", "Bruxelas"), "utf-8")
    code, output = check(runner, translated, "--format", output_format)
    assert code == 1, output
    expected = {
        ("es/alliance.txt", "cannot read: No such file or directory"),
        ("locale/es/LC_MESSAGES/news.po", "cannot read catalog: Syntax error in po file"),
        ("es/seed.txt", "term 'Brussels' missing: expected 'Bruselas', found 'Bruxelas'"),
    }
    if output_format == "text":
        for file, problem in expected:
            assert any(line.startswith(file) and problem in line for line in output.splitlines())
        assert output.splitlines()[-1].startswith(
            "FAILED: 1 lost term(s), 2 problem(s) that kept files from being checked"
        )
    elif output_format == "json":
        issues = json.loads(output)["issues"]
        assert {(i["file"], i["problem"]) for i in issues} == expected
    else:
        suite = ElementTree.fromstring(output.split("?>", 1)[1]).find("testsuite")
        assert suite is not None
        assert (suite.get("failures"), suite.get("errors")) == ("1", "2")
        found = {
            (case.get("classname"), outcome.get("message")) for case in suite for outcome in case
        }
        assert found == expected


@pytest.mark.parametrize("output_format", ["text", "junit"])
def test_an_unreadable_report_is_an_issue(
    runner: CliRunner, translated: Path, output_format: str
) -> None:
    report = translated / "report.json"
    report.write_text(report.read_text("utf-8")[:200], "utf-8")  # cut short
    code, output = check(runner, translated, "--format", output_format)
    assert code == 1, output
    assert "report.json" in output and "cannot read the run report" in output
    assert "Usage:" not in output


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["check", str(tmp_path)]).exit_code == 2  # no --glossary
    code, output = check(runner, tmp_path)
    assert code == 2 and "no report.json" in output
    (tmp_path / "report.json").write_text('{"tool": "something else"}', "utf-8")
    code, output = check(runner, tmp_path)
    assert code == 2 and "not a translate-news run report" in output


@pytest.mark.parametrize("output_format", ["text", "json", "junit"])
def test_a_broken_glossary_is_an_error_in_the_format_asked_for(
    runner: CliRunner, translated: Path, tmp_path: Path, output_format: str
) -> None:
    """CI parses the report: a glossary that cannot be read is an error there too."""
    broken = tmp_path / "broken.yml"
    broken.write_text("terms:\n  - en: NATO\n    colour: blue\n", "utf-8")
    result = runner.invoke(
        main, ["check", str(translated), "--glossary", str(broken), "--format", output_format]
    )
    assert result.exit_code == 1
    assert str(broken) in result.output and "colour" in result.output
    if output_format == "junit":
        suite = ElementTree.fromstring(result.output.split("?>", 1)[1]).find("testsuite")
        assert suite is not None and suite.get("errors") == "1"
    if output_format == "json":
        assert json.loads(result.output)["issues"][0]["kind"] == "not checked"


def test_catalog_must_exist(runner: CliRunner, translated: Path, tmp_path: Path) -> None:
    code, output = check(runner, translated, "--catalog", str(tmp_path / "nonexistent"))
    assert code == 2 and "does not exist" in output


# --- OUT moved after the run ---


def test_out_moved_with_its_input_is_checked(runner: CliRunner, translated: Path) -> None:
    """A CI workspace checked out elsewhere: the input is found relative to OUT."""
    before = check(runner, translated)
    moved = translated.parent.parent / "elsewhere"
    shutil.move(translated.parent, moved)
    shutil.copytree(moved / "in", translated.parent / "in")  # a stale copy: not looked at
    (translated.parent / "in" / "seed.txt").write_text("Something else.\n", "utf-8")
    assert check(runner, moved / "out") == before
    assert before[0] == 0 and "3 file(s)" in before[1]  # two articles and the .po


def test_out_moved_alone_is_checked(runner: CliRunner, translated: Path, tmp_path: Path) -> None:
    """OUT alone moved: the input is where the run read it, and the catalogs go with OUT."""
    moved = tmp_path / "artifacts" / "out"
    moved.parent.mkdir()
    shutil.move(translated, moved)
    code, output = check(runner, moved)
    assert code == 0, output
    po_path = moved / "locale" / "es" / "LC_MESSAGES" / "news.po"
    po_path.write_text(po_path.read_text("utf-8").replace('msgstr "OTAN"', 'msgstr "Alianza"'))
    code, output = check(runner, moved)
    assert code == 1 and "locale/es/LC_MESSAGES/news.po: line " in output
    assert ', msgid "NATO"' in output


def test_a_missing_input_folder_is_one_issue(runner: CliRunner, translated: Path) -> None:
    shutil.rmtree(translated.parent / "in")
    code, output = check(runner, translated)
    assert code == 1
    assert "input folder of the run not found" in output.splitlines()[0]


def test_an_article_the_run_failed_is_an_issue(runner: CliRunner, tmp_path: Path) -> None:
    """A CI job running check alone does not pass what the run could not translate."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.txt").write_text("NATO leaders met in Brussels on Monday.\n", "utf-8")
    (source / "short.txt").write_text("Hola.\n", "utf-8")
    record = '{"title": "NATO leaders met in Brussels on Monday."}'
    (source / "lines.jsonl").write_text(f"{record}\n{{bad json\n", "utf-8")
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "-q", "--glossary", GLOSSARY]
    assert runner.invoke(main, args).exit_code == 1

    code, output = check(runner, out, "--format", "json")

    assert code == 1
    issues = {issue["file"]: issue for issue in json.loads(output)["issues"]}
    assert set(issues) == {"lines.jsonl", "short.txt"}
    assert all(issue["kind"] == "not checked" for issue in issues.values())
    assert "language not detected" in issues["short.txt"]["problem"]
    assert issues["lines.jsonl"]["problem"].startswith("left as it was by the run: lines.jsonl:2")


# --- plain text read back with its source's layout ---


def translate_one(runner: CliRunner, tmp_path: Path, name: str, text: str) -> Path:
    source = tmp_path / "in"
    source.mkdir()
    (source / name).write_bytes(text.encode())
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "--from", "en", "-q", "--glossary", GLOSSARY]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


LABELS_THEN_TEXT = (
    "Business\n"
    "The mayor of London resigned after the long storm\n"
    "\n"
    "The mayor said the storm was strong and the rain fell all night.\n"
    "\n"
    "Share\n"
    "Latest business headlines\n"
    "\n"
    "NATO leaders met in Brussels on Monday to discuss the war.\n"
)


def test_labels_translated_into_longer_words_still_line_up(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A label ("Latest business headlines") translated into words that are none
    ("Titulares empresariales más tardíos"): an untouched run passes, every segment compared."""
    out = translate_one(runner, tmp_path, "a.txt", LABELS_THEN_TEXT)
    code, output = check(runner, out)
    assert code == 0, output
    article = out / "es" / "a.txt"
    article.write_text(article.read_text("utf-8").replace("OTAN", "NATO"), "utf-8")
    code, output = check(runner, out)
    assert code == 1
    # line 9 of the translation: each label stays on its own line, as in the source
    assert "es/a.txt: segment 6 (line 9): term 'NATO' missing: expected 'OTAN'" in output


def test_list_lines_are_checked_one_by_one(runner: CliRunner, tmp_path: Path) -> None:
    story = (
        "Allies meet in Brussels\r\n"
        "\r\n"
        "- The first bullet point of the story is here.\r\n"
        "- NATO leaders met in Brussels on Monday.\r\n"
        "\u2022 The leaders spoke about Moscow.\r\n"
        "\r\n"
        "1. The first numbered line of the story.\r\n"
        "2) The second numbered line of the story.\r\n"
    )
    out = translate_one(runner, tmp_path, "list.txt", story)
    code, output = check(runner, out)
    assert code == 0, output
    assert output.endswith("; 2 file(s), 6 segment(s) checked\n")  # each line, no UI
    article = out / "es" / "list.txt"
    article.write_text(article.read_text("utf-8").replace("Moscú", "Moscow"), "utf-8")
    code, output = check(runner, out)
    assert code == 1
    assert "es/list.txt: segment 4 (line 5): term 'Moscow' missing" in output


def test_the_formats_check_offers_are_the_ones_it_has() -> None:
    """cli names them, so that a run's start-up does not import the checker."""
    from translator import check, cli

    assert sorted(cli.CHECK_FORMATS) == sorted(check.FORMATTERS)
