"""Markdown articles: units, roles, and byte-for-byte writing."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.conftest import DATA
from translator.cli import main
from translator.documents import ReadOptions
from translator.documents.markdown import MarkdownFormat
from translator.inline import is_marker, strip_markers
from translator.model import Document, Kind

DOCS = DATA / "documents"
MD_FILES = sorted(p.name for p in DOCS.glob("*.md"))
FORMAT = MarkdownFormat()


def parse(text: str, options: ReadOptions | None = None) -> Document:
    return FORMAT.parse(text, Path("article.md"), options or ReadOptions())


def render_with(document: Document, change: Callable[[str], str]) -> str:
    return FORMAT.render(document, [change(u.text) for u in document.units], "es")


def sample(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", MD_FILES)
def test_identity_round_trip_is_byte_for_byte(name: str) -> None:
    text = sample(name)
    document = parse(text)
    assert document.problems == []
    assert render_with(document, lambda t: t) == text


@pytest.mark.parametrize("name", MD_FILES)
def test_upper_case_translation_changes_only_text(name: str) -> None:
    text = sample(name)
    out = render_with(parse(text), str.upper)
    assert out.lower() == text.lower()
    assert out != text


def test_headings_links_emphasis_units() -> None:
    document = parse(sample("headings_links_emphasis.md"))
    plain = [(strip_markers(u.text, " "), u.role, u.line) for u in document.units]
    assert plain[0] == ("Snow storm closes hundreds of schools", "headline", 1)
    assert plain[2] == ("Full report", "title", 3)  # the link's title, as HTML's title=
    assert plain[3] == ("What happens next", "heading", 6)
    assert "thousands of homes" in plain[1][0] and "https" not in document.units[1].text
    assert "weather.json" not in document.units[1].text  # code spans are markers
    assert all(u.kind is Kind.TEXT for u in document.units)


def test_markup_survives_translation() -> None:
    text = sample("headings_links_emphasis.md")
    out = render_with(parse(text), str.upper)
    for kept in (
        "# SNOW STORM CLOSES *HUNDREDS* OF SCHOOLS",
        "**TUESDAY**",
        '[THOUSANDS OF HOMES](https://example.com/a?x=1&y=2 "FULL REPORT")',
        "`weather.json`",
        "<https://example.com/live>",
        "_THURSDAY_.\\\n",
        "FOLLOW.  \n",
        "\\*NOT EMPHASIS\\*",
        "&amp; ENTITY",
        "![CARS UNDER SNOW](snow.jpg)",  # alt text is translated, as HTML's alt is
    ):
        assert kept in out


def test_lists_tables_code_and_html_blocks() -> None:
    text = sample("lists_tables_code.md")
    document = parse(text)
    plain = [strip_markers(u.text) for u in document.units]
    assert plain[:3] == [
        "Related Articles",
        "World",
        "A teaser about the winter\nthat continues on a second line.",
    ]
    assert {"City", "Snow", "Oslo", "Deep and cold"} <= set(plain)
    assert [u.role for u in document.units if u.text.startswith("A quote")] == ["quote"]
    out = render_with(document, str.upper)
    for kept in (
        'print("Do not translate this code")',
        "    indented code block stays",
        '<div class="ad">HTML BLOCK STAYS</div>',  # read as an .html fragment is
        "[ref]: https://example.com",
        "  THAT CONTINUES",
        "> SPREAD OVER TWO LINES.",
        "|------|-----:|",
        "- [WORLD](/world)",
    ):
        assert kept in out


def test_front_matter_is_kept_verbatim() -> None:
    text = sample("front_matter.md")
    document = parse(text)
    assert [u.text for u in document.units] == ["Body text after front matter."]
    assert document.units[0].line == 5
    assert render_with(document, lambda _: "Texto.") == text.replace(
        "Body text after front matter.", "Texto."
    )


def test_translation_with_html_is_escaped() -> None:
    out = render_with(parse("Hello *world*.\n"), lambda _: "<script>alert(1)</script> &copy;")
    assert out == "&lt;script>alert(1)&lt;/script> &amp;copy;\n"


def test_table_cell_translation_cannot_split_the_cell() -> None:
    out = render_with(parse("| a |\n|---|\n| b |\n"), lambda t: t + "|x")
    assert out == "| a\\|x |\n|---|\n| b\\|x |\n"


def test_lost_markers_are_repaired() -> None:
    document = parse("Read [the report](/r) now.  \nThen more.\n")
    (unit,) = document.units
    assert sum(is_marker(c) for c in unit.text) == 3  # link pair, hard break
    out = render_with(document, lambda _: "Lee el informe\nluego")
    assert out == "Lee el informe\nluego  \n"


def test_translated_line_breaks_keep_the_blockquote_prefix() -> None:
    document = parse("> one\n> two\n")
    assert document.units[0].text == "one\ntwo"
    assert render_with(document, lambda _: "uno\ndos\ntres") == "> uno\n> dos\n> tres\n"


def test_heading_translation_stays_on_one_line() -> None:
    assert render_with(parse("# Title\n"), lambda _: "Título\nlargo") == "# Título largo\n"


def test_known_ui_strings_option() -> None:
    document = parse("Read more\n\nBody text.\n", ReadOptions(ui_strings=frozenset({"Read more"})))
    # The role listed strings have in every format: one catalog entry per listed string.
    assert [(u.kind, u.role) for u in document.units] == [
        (Kind.UI, "ui string"),
        (Kind.TEXT, "body"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "*",
        "[broken](",
        "```\nunclosed fence",
        "<div>\n",
        "---\nno end of front matter\n",
        "a\\\n",
        "`x",
        "[a][missing]",
        "![](x)",
        "| a |\n|---|\n| b | c | d |\n",
        "a\r\nb\r\n",
    ],
    ids=lambda t: repr(t)[:20],
)
def test_odd_markdown_round_trips(text: str) -> None:
    document = parse(text)
    assert render_with(document, lambda t: t) == text
    render_with(document, str.upper)


WORDS = st.lists(
    st.from_regex(r"[a-zA-Z]{1,6}[.,!?]?", fullmatch=True), min_size=1, max_size=4
).map(" ".join)


@st.composite
def inline_parts(draw: st.DrawFn) -> list[tuple[str, str]]:
    kinds = st.sampled_from(["text", "text", "em", "strong", "code", "link", "escape", "break"])
    parts = [("text", draw(WORDS))]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(kinds)
        parts.append((kind, draw(WORDS) if kind not in ("escape", "break") else ""))
    return parts


def build_md(blocks: list[tuple[str, list[tuple[str, str]]]], change: Callable[[str], str]) -> str:
    def inline_text(parts: list[tuple[str, str]], newline: str) -> str:
        out = []
        for kind, words in parts:
            out.append(
                {
                    "text": change(words),
                    "em": f"*{change(words)}*",
                    "strong": f"**{change(words)}**",
                    "code": f"`{words}`",
                    "link": f"[{change(words)}](https://Example.com/Path)",
                    "escape": "\\*",
                    "break": newline,
                }[kind]
            )
        return " ".join(out)

    lines = []
    for kind, parts in blocks:
        if kind in ("#", "##"):
            lines.append(f"{kind} " + inline_text([p for p in parts if p[0] != "break"], ""))
        elif kind == ">":
            lines.append("> " + inline_text(parts, "\n>"))
        elif kind == "-":
            lines.append("- " + inline_text(parts, "\n "))
        else:
            lines.append(inline_text(parts, "\n"))
    return "\n\n".join(lines) + "\n"


BLOCKS = st.lists(
    st.tuples(st.sampled_from(["", "#", "##", ">", "-"]), inline_parts()), min_size=1, max_size=4
)


@settings(max_examples=150)
@given(BLOCKS)
def test_generated_articles_round_trip_and_translate_only_text(
    blocks: list[tuple[str, list[tuple[str, str]]]],
) -> None:
    source = build_md(blocks, lambda t: t)
    document = parse(source)
    assert document.problems == []
    assert render_with(document, lambda t: t) == source
    assert render_with(document, str.upper) == build_md(blocks, str.upper)


def reads_back_as(markdown: str) -> str:
    """The text of a one-paragraph article as a Markdown reader shows it."""
    rendered = MarkdownIt("commonmark").render(markdown).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    return html.unescape(rendered[len("<p>") : -len("</p>")])


@pytest.mark.parametrize(
    ("translation", "written"),
    [
        ("AT&T y R&D invierten", "AT&T y R&D invierten"),
        ("x < y, a <b y 3 <4", "x < y, a <b y 3 <4"),
        (
            "&copy sin punto y coma, &foo; no es entidad",
            "&copy sin punto y coma, &foo; no es entidad",
        ),
        ("la entidad &amp; y &#169; y &#x41;", "la entidad &amp;amp; y &amp;#169; y &amp;#x41;"),
        ("usa <b>negrita</b> y <!-- nota -->", "usa &lt;b>negrita&lt;/b> y &lt;!-- nota -->"),
        (
            "ver <https://example.com> o <desk@example.com>",
            "ver &lt;https://example.com> o &lt;desk@example.com>",
        ),
    ],
    ids=["ampersand-in-names", "less-than", "no-reference", "references", "tags", "autolinks"],
)
def test_ampersand_and_less_than_are_escaped_only_where_they_would_be_markup(
    translation: str, written: str
) -> None:
    document = parse("The company said so.\n")
    out = render_with(document, lambda _: translation)
    assert out == written + "\n"
    # Round trip: the written Markdown shows, and reads back as, exactly the translation.
    assert reads_back_as(out) == translation
    assert parse(out).units[0].text == translation


def test_one_entity_in_a_paragraph_does_not_escape_every_ampersand() -> None:
    document = parse("AT&T and R&amp;D said so.\n")
    assert document.units[0].text == "AT&T and R&D said so."
    assert render_with(document, lambda t: t) == "AT&T and R&amp;D said so.\n"
    assert render_with(document, lambda _: "AT&T e I&D lo dijeron.") == "AT&T e I&D lo dijeron.\n"


def test_a_tag_closing_in_the_markup_after_the_text_is_escaped() -> None:
    # "<b x=" followed by a link's source markup would make a tag of both: escaped.
    document = parse("Say [it](https://e.com/>) now.\n")
    out = render_with(document, lambda t: t.replace("Say", "Di <b x="))
    assert out.startswith("Di &lt;b x= [it](https://e.com/>)")


@pytest.mark.parametrize(
    ("front_matter", "units"),
    [
        ("---\ntitle: x\n...\n", ["Title"]),  # YAML may close with "..."
        ("+++\ntitle = 'x'\n...\nmore = 1\n+++\n", ["Title"]),  # TOML only with "+++"
    ],
    ids=["yaml-dots", "toml-dots-inside"],
)
def test_front_matter_closes_as_its_own_language_says(front_matter: str, units: list[str]) -> None:
    text = front_matter + "\n# Title\n"
    document = parse(text)
    assert [u.text for u in document.units] == units
    assert render_with(document, str.upper) == front_matter + "\n# TITLE\n"


def test_image_alt_text_is_translated() -> None:
    text = '![A flooded street](street.jpg "Photo") in the rain.\n\n![Storm](s.jpg)\n'
    document = parse(text)
    assert [(u.text, u.role) for u in document.units] == [
        ("in the rain.", "body"),
        ("A flooded street", "alt"),
        ("Photo", "title"),
        ("Storm", "alt"),
    ]
    assert render_with(document, str.upper) == (
        '![A FLOODED STREET](street.jpg "PHOTO") IN THE RAIN.\n\n![STORM](s.jpg)\n'
    )
    # A translation is words, not markup: what would end the label is escaped.
    out = render_with(document, lambda t: "calle [inundada]\n*" if t == "Storm" else t)
    assert "![calle \\[inundada\\] \\*](s.jpg)" in out
    assert 'alt="calle [inundada] *"' in MarkdownIt("commonmark").render(out)


def test_alt_text_with_markup_is_left_as_it_is() -> None:
    text = "![A *flooded* street](street.jpg)\n"
    document = parse(text)
    assert document.units == []
    assert render_with(document, str.upper) == text


def test_shortcut_and_collapsed_references_are_written_in_full_when_translated() -> None:
    """A link "[old]" finds its definition by its text: translated, that stays its label."""
    text = "The [old] man, the [old][] man, [Old Man] and [white][w].\n\n"
    text += "[old]: /o\n[old man]: /m\n[w]: /w\n"
    out = render_with(parse(text), str.upper)
    assert "THE [OLD][old] MAN, THE [OLD][old] MAN, [OLD MAN][Old Man] AND [WHITE][w]." in out
    page = MarkdownIt().render(out)
    assert page.count('<a href="/o">OLD</a>') == 2
    assert '<a href="/m">OLD MAN</a>' in page and '<a href="/w">WHITE</a>' in page
    assert render_with(parse(text), str) == text  # untranslated: as it was


def test_raw_inline_html_pairs_carry_their_words() -> None:
    """`<b>white</b>` is a pair around its word, as `**white**` is; `<br>` stands alone."""
    [unit] = parse('The <b>white</b> house, <a href="/w">a link</a><br>here.\n').units
    assert strip_markers(unit.text) == "The white house, a linkhere."
    opens = [c for c in unit.text if "\ue000" <= c < "\ue800"]
    closes = [c for c in unit.text if "\ue800" <= c < "\uf000"]
    assert len(opens) == len(closes) == 2
    assert unit.text.index(opens[0]) < unit.text.index("white") < unit.text.index(closes[0])


def translate_with_apertium(runner: CliRunner, tmp_path: Path, text: str) -> tuple[str, str]:
    """(the Spanish article, what the run told stderr): one article.md run through the CLI."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "article.md").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    return (out / "es" / "article.md").read_text("utf-8"), result.output


def test_heading_attribute_blocks_are_kept_as_written(runner: CliRunner, tmp_path: Path) -> None:
    """Pandoc's and Hugo's `{#id .class key=value}` names the anchor links point to."""
    text = (
        "# The storm {#storm}\n\n## The big wind {.breaking}\n\n"
        "### The rain {#rain .breaking data-level=3}\n\n## The sea \\{#sea}\n"
    )
    assert [u.text for u in parse(text).units] == [
        "The storm",
        "The big wind",
        "The rain",
        "The sea {#sea}",  # escaped: words, as Pandoc reads them
    ]
    out, _ = translate_with_apertium(runner, tmp_path, text)
    assert out.splitlines()[:5] == [
        "# La tormenta {#storm}",
        "",
        "## El viento grande {.breaking}",
        "",
        "### La lluvia {#rain .breaking data-level=3}",
    ]


def test_shortcut_and_collapsed_reference_images_are_written_in_full(
    runner: CliRunner, tmp_path: Path
) -> None:
    """An image "![The big dog]" finds its definition by its alt text, as a link does."""
    text = (
        "![The big dog] sat on the mat.\n\n![The red house][] is old.\n\n"
        "[The big dog]: dog.png\n[The red house]: house.png\n"
    )
    out, _ = translate_with_apertium(runner, tmp_path, text)
    assert "![El perro grande][The big dog]" in out
    assert "![La casa roja][The red house]" in out
    page = MarkdownIt("commonmark").render(out)
    assert '<img src="dog.png" alt="El perro grande" />' in page
    assert '<img src="house.png" alt="La casa roja" />' in page


def test_a_cell_with_an_escaped_pipe_is_translated(runner: CliRunner, tmp_path: Path) -> None:
    text = "| City | Note |\n|---|---|\n| London | The mayor said yes \\| no today |\n"
    out, output = translate_with_apertium(runner, tmp_path, text)
    row = out.splitlines()[2]
    assert row.startswith("| Londres | El alcalde") and "\\|" in row, row
    page = MarkdownIt("commonmark").enable("table").render(out)
    cells = re.findall(r"<td>(.*?)</td>", page)
    assert len(cells) == 2 and "|" in cells[1]  # still two cells, the pipe in the words
    assert "0 failed" in output and "article.md" not in output


@pytest.mark.parametrize(
    ("block", "kept", "line"),
    [
        ('> The mayor said <abbr\n> title="yes">no</abbr> today.\n', "> The mayor said", 3),
        # GFM shows "yes | no", but the cell's source read as written shows "yes \\| no"
        ("| Note |\n|---|\n| yes \\\\| no |\n", "| yes \\\\| no |", 5),
    ],
    ids=["html-tag-over-quoted-lines", "cell-with-escaped-backslash-before-pipe"],
)
def test_a_block_that_cannot_be_placed_is_kept_and_reported(
    runner: CliRunner, tmp_path: Path, block: str, kept: str, line: int
) -> None:
    """Left as it is, rather than risk writing its markup in the wrong place; but named,
    so nobody publishes an English paragraph in a Spanish article unawares."""
    out, output = translate_with_apertium(runner, tmp_path, "The sea was high.\n\n" + block)
    assert out.startswith("El mar era alto.\n\n") and kept in out
    assert f"article.md:{line}: left untranslated, its markup could not be placed" in output
    assert "1 failed" in output  # a problem fails the article, as a bad JSON Lines line does


# Raw HTML blocks and link titles: read as the HTML format reads them.

NESTED_HTML_BLOCK = """<div class="note">
  <p>The <b>storm</b> hit Moscow.</p>
  <section>
    <h2>What happens next</h2>
    <p translate="no">The Storm Desk</p>
    <p class="notranslate">Moscow Weather Ltd</p>
  </section>
</div>

The storm passed.
"""


def test_an_html_block_is_translated_as_an_html_fragment() -> None:
    document = parse(NESTED_HTML_BLOCK)
    assert [(u.text, u.role, u.line) for u in document.units] == [
        ("The \ue000storm\ue800 hit Moscow.", "body", 2),
        ("What happens next", "heading", 4),
        ("The storm passed.", "body", 10),
    ]
    assert render_with(document, str.upper) == (
        '<div class="note">\n'
        "  <p>THE <b>STORM</b> HIT MOSCOW.</p>\n"
        "  <section>\n"
        "    <h2>WHAT HAPPENS NEXT</h2>\n"
        '    <p translate="no">The Storm Desk</p>\n'
        '    <p class="notranslate">Moscow Weather Ltd</p>\n'
        "  </section>\n"
        "</div>\n\n"
        "THE STORM PASSED.\n"
    )


@pytest.mark.parametrize(
    "block",
    [
        "<!-- The editor's note about Moscow.\n\nStill the comment. -->\n",
        '<script>\nshow("The storm hit Moscow.");\n</script>\n',
        "<style>\n.note::after { content: 'The storm'; }\n</style>\n",
        "<pre>\nThe storm hit Moscow.\n</pre>\n",
    ],
    ids=["comment", "script", "style", "pre"],
)
def test_comment_script_and_style_blocks_are_kept_byte_for_byte(block: str) -> None:
    document = parse(block + "\nThe storm passed.\n")
    assert [u.text for u in document.units] == ["The storm passed."]
    assert render_with(document, str.upper) == block + "\nTHE STORM PASSED.\n"


def test_html_blocks_in_quotes_and_list_items_keep_their_prefixes() -> None:
    text = (
        '> <div title="A quoted note">\n> The storm hit\n> Moscow.</div>\n\n'
        "- <p>The wind\n  was strong.</p>\n"
    )
    document = parse(text)
    assert [(u.text, u.role, u.line) for u in document.units] == [
        ("A quoted note", "title", 1),
        ("The storm hit\nMoscow.", "body", 2),
        ("The wind\nwas strong.", "body", 5),
    ]
    assert render_with(document, str.upper) == (
        '> <div title="A QUOTED NOTE">\n> THE STORM HIT\n> MOSCOW.</div>\n\n'
        "- <p>THE WIND\n  WAS STRONG.</p>\n"
    )
    # A line break the translation adds takes the prefix of the block's lines: the
    # HTML stays inside its quote and its list item.
    out = render_with(document, lambda t: t.replace(" ", "\n") if "\n" in t else t)
    assert out == (
        '> <div title="A quoted note">\n> The\n> storm\n> hit\n> Moscow.</div>\n\n'
        "- <p>The\n  wind\n  was\n  strong.</p>\n"
    )
    page = MarkdownIt("commonmark").render(out)
    assert "<blockquote>\n<div" in page and "<li>\n<p>The\nwind\nwas\nstrong.</p>\n</li>" in page


def test_an_html_block_indented_with_a_tab_is_found_as_written() -> None:
    """markdown-it turns part of a tab into spaces in the block's lines it gives."""
    text = "- The item.\n\n\t<div>The storm\n\t\thit Moscow.</div>\n"
    document = parse(text)
    assert document.problems == []
    assert [u.text for u in document.units] == ["The item.", "The storm\nhit Moscow."]
    assert render_with(document, str.upper) == (
        "- THE ITEM.\n\n\t<div>THE STORM\n\t\tHIT MOSCOW.</div>\n"
    )


def test_a_translation_cannot_end_an_html_block() -> None:
    """A blank line ends an HTML block: the Markdown after it would be read as such."""
    document = parse("<div>\nThe storm\nhit Moscow.\n</div>\n\n<p>One line.</p>\n")
    out = render_with(document, lambda t: t.replace("\n", "\n\n") + "\n")
    assert out == "<div>\nThe storm\nhit Moscow.\n</div>\n\n<p>One line. </p>\n"
    # Two HTML blocks, as written (the renderer leaves out the blank line between them).
    assert MarkdownIt("commonmark").render(out) == out.replace("\n\n", "\n")


def test_inline_html_attributes_are_translated() -> None:
    text = 'The <abbr title="North Atlantic Treaty">NATO</abbr> summit <img alt="A map">.\n'
    document = parse(text)
    assert [(u.role, strip_markers(u.text)) for u in document.units] == [
        ("body", "The NATO summit ."),
        ("title", "North Atlantic Treaty"),
        ("alt", "A map"),
    ]
    assert render_with(document, str.upper) == (
        'THE <abbr title="NORTH ATLANTIC TREATY">NATO</abbr> SUMMIT <img alt="A MAP">.\n'
    )
    # In a table, a "|" in a translated attribute would end the cell: written as an entity.
    cell = parse('| <abbr title="yes">Y</abbr> |\n|---|\n')
    assert render_with(cell, lambda t: t + "|no").startswith('| <abbr title="yes&#124;no">')


TITLE_TRANSLATION = ' "es" (1) \\ x'  # appended: a quote, parentheses, a backslash


@pytest.mark.parametrize(
    ("link", "source_title", "title", "written"),
    [
        (
            "[Moscow police](https://e.com/m ",
            '"Moscow police site"',
            "Moscow police site",
            '"Moscow police site \\"es\\" (1) \\\\ x"',
        ),
        ("[Moscow](/m ", "'The city site'", "The city site", "'The city site \"es\" (1) \\\\ x'"),
        ("[Moscow](/m ", "(The city site)", "The city site", '(The city site "es" \\(1\\) \\\\ x)'),
        (
            "[Moscow](/m ",
            '"The \\"red\\" square"',
            'The "red" square',
            '"The \\"red\\" square \\"es\\" (1) \\\\ x"',
        ),
        (
            "[Moscow](/m ",
            "(The square \\(red\\))",
            "The square (red)",
            '(The square \\(red\\) "es" \\(1\\) \\\\ x)',
        ),
        (
            "![The city](m.png ",
            '"Moscow at night"',
            "Moscow at night",
            '"Moscow at night \\"es\\" (1) \\\\ x"',
        ),
    ],
    ids=[
        "double-quotes",
        "single-quotes",
        "parentheses",
        "escaped-quotes",
        "escaped-parens",
        "image",
    ],
)
def test_link_and_image_titles_are_translated(
    link: str, source_title: str, title: str, written: str
) -> None:
    """A title is a unit of its own, as HTML's title attribute is (and as Okapi's
    Markdown filter was asked to make it, issue 1125)."""
    document = parse(f"See {link}{source_title}) now.\n")
    assert [u.text for u in document.units if u.role == "title"] == [title]
    out = render_with(document, lambda t: t + TITLE_TRANSLATION if t == title else t)
    # Written in the title's own delimiters, only what would end it escaped...
    assert out == f"See {link}{written}) now.\n"
    # ...and read back as exactly the translation.
    page = MarkdownIt("commonmark").render(out)
    assert f'title="{html.escape(title + TITLE_TRANSLATION)}"' in page, page


def test_reference_definition_titles_are_translated() -> None:
    text = (
        "The [police][m] and the [mayor].\n\n"
        '[m]: https://e.com/m "Moscow police site"\n'
        "[mayor]: <https://e.com/mayor> 'The mayor\\'s office'\n"
        "[unused]:\n  /x\n  (On two\n  lines)\n"
    )
    document = parse(text)
    assert [(u.text, u.line) for u in document.units if u.role == "title"] == [
        ("Moscow police site", 3),
        ("The mayor's office", 4),
        ("On two\nlines", 7),
    ]
    out = render_with(document, str.upper)
    assert out.endswith(
        '[m]: https://e.com/m "MOSCOW POLICE SITE"\n'
        "[mayor]: <https://e.com/mayor> 'THE MAYOR\\'S OFFICE'\n"
        "[unused]:\n  /x\n  (ON TWO LINES)\n"
    )
    page = MarkdownIt("commonmark").render(out)
    assert 'title="MOSCOW POLICE SITE"' in page and 'title="THE MAYOR\'S OFFICE"' in page


def test_a_title_that_cannot_be_placed_is_kept_and_reported() -> None:
    """Over quoted lines, the title markdown-it read lacks the "> " the source holds."""
    text = '> The [police](/m "Moscow\n> police") said.\n'
    document = parse(text)
    assert [u.role for u in document.units] == ["quote"]
    assert [(p.line, p.message) for p in document.problems] == [
        (1, "left untranslated, its markup could not be placed: a link title not found as written")
    ]
    assert render_with(document, str.upper) == '> THE [POLICE](/m "Moscow\n> police") SAID.\n'


ARTICLE_WITH_HTML_AND_TITLES = NESTED_HTML_BLOCK + (
    "\n<!-- kept -->\n\nA [link](/a \"A title\") and ![an image](i.png 'Its title').\r\n\r\n"
    "> <p>Quoted\n> HTML.</p>\n\n[ref]: /r (Reference title)\n"
)


def test_html_and_titles_round_trip_byte_for_byte_and_deterministically() -> None:
    text = ARTICLE_WITH_HTML_AND_TITLES
    document = parse(text)
    assert document.problems == []
    assert {"A title", "Its title", "Reference title", "Quoted\nHTML."} <= {
        u.text for u in document.units
    }
    assert render_with(document, lambda t: t) == text
    again = parse(text)
    assert again.units == document.units
    out = render_with(document, str.upper)
    assert render_with(again, str.upper) == out
    assert out.lower() == text.lower()
    # The output reads back with the same units, in the same places.
    assert [u.text for u in parse(out).units] == [u.text.upper() for u in document.units]


def test_cli_translates_the_html_block_and_the_link_title(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The reviewer's case: both stayed in English."""
    text = (
        '<div class="note">Raw HTML block about Moscow.</div>\n\n'
        'The [Moscow police](https://example.com/m "Moscow police site") said.\n'
    )
    out, output = translate_with_apertium(runner, tmp_path, text)
    block, paragraph = out.split("\n\n")
    assert block.startswith('<div class="note">') and block.endswith("Moscú.</div>")
    assert "Moscow" not in out, out
    assert '](https://example.com/m "' in paragraph and "policía" in paragraph.split('"')[1]
    assert "0 failed" in output
