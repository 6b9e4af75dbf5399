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

GLOSSARY = str(REPO / "glossaries" / "news.yml")


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
    assert output.startswith("ok: 0 lost term(s)")


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
    assert 'msgid "NATO"' in output and "news.po" in output


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


def test_check_writes_nothing(runner: CliRunner, translated: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in translated.rglob("*")}
    check(runner, translated)
    assert {p: p.stat().st_mtime_ns for p in translated.rglob("*")} == before


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["check", str(tmp_path)]).exit_code == 2  # no --glossary
    code, output = check(runner, tmp_path)
    assert code == 2 and "no report.json" in output
