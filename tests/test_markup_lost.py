"""Inline markup an engine does not keep whole: the words are translated, the tag pair
is dropped (no half tag is ever written), and the report says where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli import main
from translator.inline import close_marker, lost_pairs, open_marker

OPEN, CLOSE = open_marker(0), close_marker(0)  # one <b> pair
SOURCE = f"The {OPEN}economy{CLOSE} grows."


def test_a_pair_kept_whole_is_not_lost() -> None:
    assert lost_pairs(SOURCE, f"La {OPEN}economía{CLOSE} crece.") == 0


@pytest.mark.parametrize(
    "translated",
    [
        pytest.param("La economía crece.", id="both-halves-lost"),
        pytest.param(f"La {OPEN}economía crece.", id="close-lost"),
        pytest.param(f"La {CLOSE}economía{OPEN} crece.", id="close-before-open"),
    ],
)
def test_a_pair_the_engine_broke_is_counted(translated: str) -> None:
    assert lost_pairs(SOURCE, translated) == 1


def test_text_without_markup_loses_nothing() -> None:
    assert lost_pairs("The economy grows.", "La economía crece.") == 0


def test_a_run_names_the_article_whose_tag_apertium_dropped(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Apertium drops the word "do" of "do not" ("No acordamos"), and its <b> with it.
    source = tmp_path / "in"
    source.mkdir()
    body = "<p>We <b>do</b> not agree with the minister.</p>"
    (source / "a.json").write_text(json.dumps({"body": body}), "utf-8")
    out = tmp_path / "out"
    done = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en"])
    assert done.exit_code == 0, done.output  # a warning: it fails nothing
    written = json.loads((out / "es" / "a.json").read_text("utf-8"))["body"]
    assert written.startswith("<p>") and written.endswith("</p>") and "ministro" in written
    assert written.count("<b>") == written.count("</b>")  # never half a tag
    [article] = json.loads((out / "report.json").read_text("utf-8"))["articles"]
    assert article["targets"]["es"]["markup_lost"] == 1
    assert article["targets"]["es"]["markup_lost_lines"] == [1]
    assert "a.json: [es] inline markup lost in 1 place(s) (line 1)" in done.output
    page = (out / "bilingual" / "es" / "a.json.html").read_text("utf-8")
    assert page.count('class="body markup-lost"') == 1
