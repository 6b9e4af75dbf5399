"""Template tags in Markdown (Hugo shortcodes, Liquid and Jinja tags and expressions):
the site's build reads them, so each is kept whole as a standalone marker."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA
from translator.cli import main
from translator.documents import ReadOptions
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
