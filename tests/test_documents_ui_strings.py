"""The site's UI list (--ui-strings) is matched by one function with one role in every
format, so one listed string is one catalog entry; label-likeness is one rule."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translator.cli import main
from translator.documents import ReadOptions, parse_document
from translator.model import Kind
from translator.segment import LISTED_UI_ROLE

STORY = "The storm was strong tonight, officials said."
ARTICLES = {
    "page.html": f"<main><p>{STORY}</p><p><b>Share</b></p></main>\n",
    "notes.md": f"{STORY}\n\n**Share**\n",
    "record.json": f'{{"title": "Share", "body": "{STORY}"}}\n',
    "scraped.txt": f"{STORY}\n\n  Share  \n",
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_a_listed_ui_string_has_the_same_role_in_every_format(name: str) -> None:
    options = ReadOptions(ui_strings=frozenset({"Share"}))
    document = parse_document(ARTICLES[name], Path(name), options)
    listed = [(u.kind, u.role) for u in document.units if u.text == "Share"]
    assert listed == [(Kind.UI, LISTED_UI_ROLE)]
    assert [u.kind for u in document.units if u.text == STORY] == [Kind.TEXT]


def test_structure_still_names_the_role_of_a_listed_string() -> None:
    options = ReadOptions(ui_strings=frozenset({"Share"}))
    document = parse_document("<p>Text.</p><button>Share</button>", Path("a.html"), options)
    assert [(u.kind, u.role) for u in document.units if u.text == "Share"] == [(Kind.UI, "button")]


def test_an_aside_s_label_likeness_is_segment_s_rule() -> None:
    page = "<aside><h2>Most Read This Week</h2><p>Police close the road</p></aside>"
    document = parse_document(page, Path("a.html"), ReadOptions())
    assert [(u.text, u.kind) for u in document.units] == [
        ("Most Read This Week", Kind.UI),
        ("Police close the road", Kind.TEXT),  # four words, not a title: a teaser
    ]


def test_cli_a_listed_string_is_one_catalog_entry_whatever_the_formats(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name, text in ARTICLES.items():
        (source / name).write_text(text, "utf-8")
    listing = tmp_path / "ui.txt"
    listing.write_text("Share\n", "utf-8")
    out = tmp_path / "out"
    args = [str(source), str(out), "--to", "es", "--from", "en", "-q", "--ui-strings", listing]
    result = runner.invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    entries = [e for e in polib.pofile(str(out / "locale" / "news.pot")) if e.msgid == "Share"]
    assert len(entries) == 1
    assert entries[0].msgctxt is None
    assert sorted(path for path, _ in entries[0].occurrences) == sorted(ARTICLES)
