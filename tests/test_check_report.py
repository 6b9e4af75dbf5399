"""What a run records for `check` in report.json, and the links of index.html."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner

from translator.cli import main


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href" and value]


def translate(runner: CliRunner, source: Path, out: Path, *extra: str) -> dict[str, object]:
    args = [str(source), str(out), "--to", "es", "--from", "en", "-q", *extra]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads((out / "report.json").read_text("utf-8"))
    return report


def test_index_links_reach_files_whose_names_look_like_urls(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "q&a #2?.txt").write_text("Questions about NATO.\n", "utf-8")
    (source / "100% café.txt").write_text("Answers from Brussels.\n", "utf-8")
    out = tmp_path / "out"
    translate(runner, source, out)
    links = Links()
    links.feed((out / "index.html").read_text("utf-8"))
    assert len(links.hrefs) == 4  # article and side by side, for each
    for href in links.hrefs:
        parts = urlsplit(href)
        assert not parts.query and not parts.fragment and not parts.scheme, href
        assert (out / unquote(parts.path)).is_file(), href


def test_report_records_folders_relative_to_out_and_the_read_options(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "story.json").write_text('{"headline": "NATO"}\n', "utf-8")
    ui = tmp_path / "ui.txt"
    ui.write_text("Share\n", "utf-8")
    out = tmp_path / "runs" / "out"
    report = translate(runner, source, out, "--fields", "headline", "--ui-strings", str(ui))
    assert (report["input"], report["catalog"]) == ("../../in", "locale")
    assert report["input_absolute"] == str(source.resolve())
    assert report["catalog_absolute"] == str((out / "locale").resolve())
    assert report["read_options"] == {"json_fields": ["headline"], "ui_strings": ["Share"]}
    assert report["report_format"] == 3


class Cells(HTMLParser):
    """The text of each table row of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        self.in_cell = self.in_cell and tag != "td"

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] += data


def test_index_says_why_an_article_failed_and_lists_what_was_skipped(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "bad.txt").write_bytes(b"Hello \xff world in Moscow.\n")
    (source / "good.txt").write_text("Answers from Brussels.\n", "utf-8")
    (source / "photo.jpg").write_bytes(b"\xff\xd8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 1
    cells = Cells()
    cells.feed((out / "index.html").read_text("utf-8"))
    rows = {row[0]: row for row in cells.rows if row}
    assert "not UTF-8 text" in rows["bad.txt"][-1]
    assert rows["good.txt"][-1] == ""
    assert rows["photo.jpg"] == ["photo.jpg", "not an article format"]
