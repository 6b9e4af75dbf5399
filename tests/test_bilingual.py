"""The side-by-side page: aligned, escaped, self-contained, terms marked."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import REPO
from translator.assemble import Aligned, Assembled, Row
from translator.bilingual import render_page
from translator.cli import main
from translator.glossary import Glossary, Term
from translator.model import Document, Kind, Unit

HOSTILE_TEXT = (
    "Police said the <script>alert(1)</script> snippet was found on the site.\n\n"
    'The minister said "we will act" on Monday.\n'
)
HOSTILE_HTML = """<!DOCTYPE html>
<html><head><title>Hostile</title></head><body>
<h1 title='He said "stop" &amp; left'>Officials meet in Brussels</h1>
<p>Text with <b onclick="alert(2)">bold</b> words and &lt;script&gt;alert(3)&lt;/script&gt;.</p>
<img src="x.jpg" alt="A &quot;quoted&quot; caption">
</body></html>
"""


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


def test_hostile_articles_show_text_and_run_nothing(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "hostile.txt").write_text(HOSTILE_TEXT, "utf-8")
    (source / "hostile.html").write_text(HOSTILE_HTML, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q"])
    assert result.exit_code == 0, result.output
    for name in ("hostile.txt", "hostile.html"):
        page = (out / "bilingual" / "es" / f"{name}.html").read_text("utf-8")
        tags = parse(page)
        assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "link")]
        assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
        assert not re.search(r"(?:src|href)=", page)  # self-contained: nothing fetched
    text_page = (out / "bilingual" / "es" / "hostile.txt.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text_page
    html_page = (out / "bilingual" / "es" / "hostile.html.html").read_text("utf-8")
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html_page
    assert "He said &quot;stop&quot; &amp; left" in html_page


def test_columns_carry_lang_and_dir_and_terms_are_marked() -> None:
    putin = Term({"en": "Vladimir Putin"})
    document = Document(
        Path("a.txt"),
        "txt",
        [Unit("World", Kind.UI, "section label"), Unit("Vladimir Putin spoke.", role="headline")],
    )
    assembled = Assembled(
        translations=["العالم", "تحدث Vladimir Putin."],
        rows=[
            Row(document.units[0], (Aligned("World", "العالم", reviewed=False),)),
            Row(document.units[1], (Aligned("Vladimir Putin spoke.", "تحدث Vladimir Putin."),)),
        ],
        segments=1,
        ui_strings=1,
        unreviewed_ui=1,
    )
    page = render_page(document, assembled, "en", "ar", Glossary((putin,)))
    cells = [attrs for tag, attrs in parse(page) if tag == "td" and "lang" in attrs]
    assert {(c["lang"], c["dir"]) for c in cells} == {("en", "ltr"), ("ar", "rtl")}
    assert page.count('<mark class="term">Vladimir Putin</mark>') == 2
    # Rows keep the article's order: the section label above its headline.
    assert page.index(">World<") < page.index("</mark> spoke.")
    assert 'class="ui"' in page and "unreviewed" in page


def test_each_row_is_found_by_the_segment_number_and_line_check_gives() -> None:
    """check says "segment 2 (line 3)": the page has #segment-2, and shows line 3."""
    units = [Unit("World", Kind.UI, "section label", line=1), Unit("Talks resume.", line=3)]
    document = Document(Path("a.txt"), "txt", units)
    rows = [Row(u, (Aligned(u.text, u.text.upper()),)) for u in units]
    page = render_page(document, Assembled(rows=rows), "en", "es", Glossary())
    assert '<tr id="segment-2" class="body">' in page
    assert '<span class="line">line 3</span>' in page


def test_demo_page_for_the_seed_is_aligned_sentence_by_sentence(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "seed.txt").write_bytes((REPO / "samples" / "seed.txt").read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q"])
    assert result.exit_code == 0, result.output
    page = (out / "bilingual" / "es" / "seed.txt.html").read_text("utf-8")
    rows = re.findall(r"<tr id=\"segment-\d+\" class=\"[^\"]+\">(.*?)</tr>", page, re.S)
    assert len(rows) > 40
    for row in rows:
        left, right = re.findall(r"<td lang=[^>]+>(.*?)</td>", row, re.S)
        assert left.count('class="s') == right.count('class="s')  # one span per sentence


def source_column(page: str) -> list[str]:
    """The source text of each row, in the page's order."""
    cells = re.findall(r'<td lang="en" dir="ltr">(.*?)</td>', page, re.S)
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def test_rows_keep_the_article_order_and_a_line_break_stays_a_gap(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "briefs.jsonl").write_text(
        '{"title": "First storm", "body": "The wind was strong."}\n'
        '{"title": "Second storm", "body": "The rain was heavy."}\n',
        "utf-8",
    )
    (source / "page.html").write_text(
        "<h1>First storm</h1><p>Line one of the report<br>Line two of the report.</p>\n"
        "<h1>Second storm</h1><p>The rain was heavy.</p>\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    pages = out / "bilingual" / "es"
    # Each headline above its own story, not all headlines first.
    assert source_column((pages / "briefs.jsonl.html").read_text("utf-8")) == [
        "First storm",
        "The wind was strong.",
        "Second storm",
        "The rain was heavy.",
    ]
    assert source_column((pages / "page.html.html").read_text("utf-8")) == [
        "First storm",
        "Line one of the report Line two of the report.",
        "Second storm",
        "The rain was heavy.",
    ]


def test_inline_code_kept_whole_shows_its_text(runner: CliRunner, tmp_path: Path) -> None:
    """Code is not translated, but a reviewer reads it in both columns, escaped."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.html").write_text("<p>Use the <code>x &lt; y</code> test now.</p>\n", "utf-8")
    (source / "b.md").write_text("Call `make demo` to see it.\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    page = (out / "bilingual" / "es" / "a.html.html").read_text("utf-8")
    assert source_column(page) == ["Use the x &lt; y test now."]
    assert page.count("x &lt; y") == 2
    markdown = (out / "bilingual" / "es" / "b.md.html").read_text("utf-8")
    assert source_column(markdown) == ["Call make demo to see it."]
    assert markdown.count("make demo") == 2
