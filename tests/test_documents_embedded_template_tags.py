"""Template tags (Hugo shortcodes, Liquid and Jinja tags, expressions and comments) in
Markdown, in its raw HTML, and in HTML pages: the site's build reads them, so each is kept
whole as a standalone marker, by one rule in every format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA
from translator.cli import main
from translator.documents import ReadOptions
from translator.documents.html import HtmlFormat
from translator.documents.markdown import MarkdownFormat
from translator.model import Document

SAMPLE = DATA / "documents" / "hugo_shortcodes_and_liquid_tags.md"
FRONT_MATTER = '---\ntitle: "Storm closes the coast road"\n---\n'
# Every tag of the sample, as written.
SAMPLE_TAGS = (
    '{{< figure src="/img/storm.jpg" caption="Waves over the sea wall" >}}',
    '{{< ref "roads.md" >}}',
    "{{% notice warning %}}",
    "{{% /notice %}}",
    '{% include related.html title="More storm news" %}',
    "{{ .Params.author }}",
    "{% if site.edition %}",
    "{{ site.edition }}",
    "{% endif %}",
    '{{< relref "report.md" >}}',
)


def parse(text: str) -> Document:
    return MarkdownFormat().parse(text, Path("article.md"), ReadOptions())


def upper(document: Document) -> str:
    return MarkdownFormat().render(document, [u.text.upper() for u in document.units], "es")


def upper_outside(text: str, tags: tuple[str, ...]) -> str:
    """`text` upper-cased everywhere but inside `tags`."""
    pieces = re.split("(" + "|".join(map(re.escape, tags)) + ")", text)
    return "".join(piece if piece in tags else piece.upper() for piece in pieces)


def test_sample_units_carry_each_tag_as_a_marker() -> None:
    document = parse(SAMPLE.read_text("utf-8"))
    assert [u.text for u in document.units] == [
        "Storm closes the coast road",
        "The minister said the road would reopen on Monday \uf000 after the storm.",
        "The coast road is closed until further notice.",  # its tag lines stay outside
        "Published by \uf000 for \uf001the \uf002 edition\uf003.",
        "Read the [road report](\uf000) for details.",  # a link only once Hugo ran the tag
    ]


def test_sample_tags_come_back_byte_for_byte() -> None:
    text = SAMPLE.read_text("utf-8")
    out = upper(parse(text))
    assert out == FRONT_MATTER + upper_outside(text[len(FRONT_MATTER) :], SAMPLE_TAGS)


@pytest.mark.parametrize(
    "tag",
    [
        '{{< figure src="/img/storm.jpg" caption="Waves over the sea wall" >}}',
        '{{<figure src="/img/storm.jpg" caption="Waves">}}',
        "{{% notice warning %}}",
        '{% include related.html title="More storm news" %}',
        "{%- if page.breaking -%}",
        "{{ page.title | upcase }}",
        "{{- .Params.author -}}",
        '{{< figure src="/img/storm.jpg"\ncaption="Waves over the sea wall" >}}',
    ],
    ids=[
        "hugo-shortcode",
        "shortcode-without-spaces",  # "<figure ...>" alone would read as inline HTML
        "hugo-markdown-shortcode",
        "liquid-tag",
        "liquid-whitespace-control",
        "liquid-expression",
        "go-template-expression",
        "shortcode-over-two-lines",
    ],
)
def test_a_tag_in_a_paragraph_is_one_standalone_marker(tag: str) -> None:
    text = f"The storm {tag} hit the coast.\n"
    document = parse(text)
    assert [u.text for u in document.units] == ["The storm \uf000 hit the coast."]
    assert upper(document) == f"THE STORM {tag} HIT THE COAST.\n"


@pytest.mark.parametrize(
    "text",
    [
        "{{< youtube w7Ft2ymGmfc >}}\n",
        '{% include related.html title="More storm news" %}\n',
        "# {{ .Title }}\n",
    ],
    ids=["shortcode", "liquid-include", "heading-of-a-tag"],
)
def test_a_block_holding_only_a_tag_is_not_translated(text: str) -> None:
    document = parse(text)
    assert document.units == []
    assert upper(document) == text


def test_a_paired_shortcode_s_lines_stay_as_written_in_a_quote() -> None:
    text = "> {{% notice warning %}}\n> The road is closed.\n> {{% /notice %}}\n"
    document = parse(text)
    assert [u.text for u in document.units] == ["The road is closed."]
    out = MarkdownFormat().render(document, ["La carretera está cerrada."], "es")
    assert out == "> {{% notice warning %}}\n> La carretera está cerrada.\n> {{% /notice %}}\n"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Sets like {a, b} and {{x} stay words.\n", "Sets like {a, b} and {{x} stay words."),
        ("Use `{{ .Title }}` in layouts.\n", "Use \uf000 in layouts."),
    ],
    ids=["braces-that-close-no-tag", "tag-in-a-code-span"],
)
def test_braces_that_are_no_tag_and_code_spans_read_as_before(text: str, unit: str) -> None:
    document = parse(text)
    assert [u.text for u in document.units] == [unit]


def test_alt_text_holding_a_tag_is_left_as_it_is() -> None:
    text = "![Storm over {{ .Site.Title }}](storm.jpg)\n"
    document = parse(text)
    assert document.units == []
    assert upper(document) == text


def test_cli_keeps_tags_and_translates_the_text_around_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE.name)
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    text = SAMPLE.read_text("utf-8")
    translated = (out / "es" / SAMPLE.name).read_text("utf-8")
    assert translated.startswith(FRONT_MATTER)
    for tag in SAMPLE_TAGS:
        assert translated.count(tag) == text.count(tag), tag
    lines = translated.splitlines()
    # The paired shortcode keeps its own lines around the translated paragraph.
    notice = lines.index("{{% notice warning %}}")
    assert lines[notice + 2] == "{{% /notice %}}"
    assert "carretera" in lines[notice + 1]
    for english in ("The minister said", "after the storm", "Published by", "for details"):
        assert english not in translated


# Each as written in a page; Markdown reads its text, its raw HTML and .html pages alike.
TAGS = [
    '{{< figure src="/img/storm.jpg" caption="Waves over the sea wall" >}}',
    '{{<figure src="/img/storm.jpg" caption="<b>Waves</b>">}}',
    "{{% notice warning %}}",
    '{% include note.html text="Stay safe" %}',
    "{%- if page.breaking -%}",
    "{{ page.author }}",
    "{{- .Params.author -}}",
    "{# a note for the desk #}",
    '{{< figure src="/img/storm.jpg"\ncaption="Waves over the sea wall" >}}',
]
TAG_IDS = [
    "hugo-shortcode",
    "shortcode-read-as-a-tag",  # "<figure ...>" and "<b>" read as HTML tags
    "hugo-markdown-shortcode",
    "liquid-include",
    "liquid-whitespace-control",
    "liquid-expression",
    "go-template-expression",
    "jinja-comment",
    "shortcode-over-two-lines",
]
# reader -> (format, the text around a tag, the same upper-cased as written back in Spanish)
READERS = {
    "md-paragraph": (
        MarkdownFormat(),
        "The storm {} hit the coast.\n",
        "THE STORM {} HIT THE COAST.\n",
    ),
    "md-html-block": (
        MarkdownFormat(),
        "<p>The storm {} hit the coast.</p>\n",
        "<p>THE STORM {} HIT THE COAST.</p>\n",
    ),
    "md-html-block-in-a-quote": (
        MarkdownFormat(),
        '> <div class="callout">\n> The storm {} hit the coast.\n> </div>\n',
        '> <div class="callout">\n> THE STORM {} HIT THE COAST.\n> </div>\n',
    ),
    "html-page": (
        HtmlFormat(),
        "<html><body><p>The storm {} hit the coast.</p></body></html>",
        '<html lang="es"><body><p>THE STORM {} HIT THE COAST.</p></body></html>',
    ),
}


@pytest.mark.parametrize("tag", TAGS, ids=TAG_IDS)
@pytest.mark.parametrize("reader", READERS)
def test_a_tag_is_one_standalone_marker_in_every_reader(reader: str, tag: str) -> None:
    form, text, translated = READERS[reader]
    if "> " in text:
        tag = tag.replace("\n", "\n> ")  # a line of a quote starts with its marker
    document = form.parse(text.format(tag), Path("article"), ReadOptions())
    assert [u.text for u in document.units] == ["The storm \uf000 hit the coast."]
    out = form.render(document, [u.text.upper() for u in document.units], "es")
    assert out == translated.format(tag)


def test_the_tags_of_an_html_block_come_back_byte_for_byte() -> None:
    # the reviewer's: translated, these tags broke the site's build
    text = (
        '<div class="callout">{% include note.html text="Stay safe" %} Residents were told to'
        " stay home.</div>\n\n<p>{{ page.author }} wrote this report.</p>\n"
    )
    document = parse(text)
    assert [u.text for u in document.units] == [
        "Residents were told to stay home.",  # a tag at either end stays outside the unit
        "wrote this report.",
    ]
    assert upper(document) == (
        '<div class="callout">{% include note.html text="Stay safe" %} RESIDENTS WERE TOLD TO'
        " STAY HOME.</div>\n\n<p>{{ page.author }} WROTE THIS REPORT.</p>\n"
    )


TAGGED_ATTRIBUTES = (
    '<p title="{{ .Title }}">The storm hit.</p>\n'
    '<p><img src="a.jpg" alt="Waves over {{ .Site.Title }}"> The sea rose.</p>\n'
    '<p><abbr title="{# desk #}North Atlantic Treaty Organization">NATO</abbr> met.</p>\n'
)


@pytest.mark.parametrize(
    "form", [HtmlFormat(), MarkdownFormat()], ids=["html-page", "md-html-block"]
)
def test_an_attribute_holding_a_tag_is_left_as_written(form: HtmlFormat | MarkdownFormat) -> None:
    # an attribute holds no markup to carry the tag as a marker: as a Markdown alt text, it
    # is left as it is rather than translated around a tag the engine would mangle
    document = form.parse(TAGGED_ATTRIBUTES, Path("article"), ReadOptions())
    assert [u.text for u in document.units] == [
        "The storm hit.",
        "The sea rose.",  # the image before it stays outside the unit
        "\ue000NATO\ue800 met.",
    ]
    out = form.render(document, [u.text.upper() for u in document.units], "es")
    assert out == TAGGED_ATTRIBUTES.replace("The storm hit.", "THE STORM HIT.").replace(
        "The sea rose", "THE SEA ROSE"
    ).replace("NATO</abbr> met", "NATO</abbr> MET")


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "<p>Sets like {{ b in one</p><p>and c }} in the next stay words.</p>",
            ["Sets like {{ b in one", "and c }} in the next stay words."],
        ),
        (
            '<script>var open = "{%";</script><p>Text with %} in it.</p>',
            ["Text with %} in it."],
        ),
        ('<p title="{{ x">Words here }} now.</p>', ["{{ x", "Words here }} now."]),
    ],
    ids=["braces-over-two-paragraphs", "opened-in-a-script", "opened-in-an-attribute"],
)
def test_braces_that_close_no_tag_in_the_text_are_text(text: str, units: list[str]) -> None:
    document = HtmlFormat().parse(text, Path("page.html"), ReadOptions())
    assert [u.text for u in document.units] == units
    assert HtmlFormat().render(document, [u.text for u in document.units], "en") == text


def test_cli_keeps_tags_whole_in_raw_html_and_in_html_pages(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    block = (
        '<div class="callout">{% include note.html text="Stay safe" %} Residents were told to'
        " stay home.</div>\n\n<p>{{ page.author }} wrote this report.</p>\n"
    )
    (source / "storm.md").write_text("# Storm\n\n" + block, "utf-8")
    page = (
        "<html><head><title>{{ .Title }} | Daily News</title></head><body>\n"
        '<p title="{{ .Title }}">{{ page.author }} wrote this report.</p>\n'
        + block
        + "</body></html>\n"
    )
    (source / "storm.html").write_text(page, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    for name, text in (("storm.md", block), ("storm.html", page)):
        translated = (out / "es" / name).read_text("utf-8")
        for tag in (
            '{% include note.html text="Stay safe" %}',
            "{{ page.author }}",
            "{{ .Title }}",
        ):
            assert translated.count(tag) == text.count(tag), (name, tag)
        assert "Residents" not in translated and "wrote this report" not in translated
