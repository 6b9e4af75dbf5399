"""Text readers see outside the flow of a page: HTML meta descriptions and share cards,
accessible labels, placeholders, and Markdown image alt text, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli import main

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>The storm</title>
<meta name="description" content="The storm was strong.">
<meta property="og:description" content="The rain was heavy.">
<meta name="twitter:card" content="summary">
</head><body>
<p>The wind was strong.</p>
<input placeholder="Search the news" aria-label="Search the site">
</body></html>
"""
ARTICLE = "# The storm\n\n![The flooded street](street.jpg)\n\nThe wind was strong.\n"


def test_cli_translates_meta_content_labels_and_alt_text(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "page.html").write_text(PAGE, "utf-8")
    (source / "article.md").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    page = (out / "es" / "page.html").read_text("utf-8")
    for english in ("The storm was strong.", "The rain was heavy.", "Search the news"):
        assert f'content="{english}"' not in page and f'="{english}"' not in page
    assert 'content="La tormenta era fuerte."' in page
    assert '<meta name="twitter:card" content="summary">' in page
    article = (out / "es" / "article.md").read_text("utf-8")
    assert "](street.jpg)" in article and "The flooded street" not in article
    assert "inundada" in article.split("\n")[2]


KEPT_CONTENT = """<html lang="en"><body>
<textarea placeholder="Write your comment here" aria-label="Comment box">
The storm was strong.</textarea>
<svg role="img" aria-label="Chart of the rain"><text>The rain was heavy.</text></svg>
<pre title="The source code">The wind was strong.</pre>
<pre title="The old code" translate="no">x</pre>
<textarea class="notranslate" placeholder="Your name"></textarea>
</body></html>
"""


def translate_page(runner: CliRunner, tmp_path: Path, page: bytes) -> bytes:
    source = tmp_path / "in"
    source.mkdir()
    (source / "page.html").write_bytes(page)
    out = tmp_path / "out"
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "--from", "en", "-q"])
    assert result.exit_code == 0, result.output
    return (out / "es" / "page.html").read_bytes()


def test_cli_translates_attributes_of_elements_kept_whole(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = translate_page(runner, tmp_path, KEPT_CONTENT.encode()).decode("utf-8")
    for english in ("Write your comment here", "Comment box", "Chart of the rain"):
        assert f'="{english}"' not in page
    assert 'title="El código de fuente"' in page
    for kept in (
        "\nThe storm was strong.</textarea>",
        "<text>The rain was heavy.</text>",
        ">The wind was strong.</pre>",
        '<pre title="The old code" translate="no">',
        '<textarea class="notranslate" placeholder="Your name">',
    ):
        assert kept in page


@pytest.mark.parametrize(
    ("declared", "written"),
    [
        ('<meta charset="iso-8859-1">', '<meta charset="utf-8">'),
        (
            "<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=windows-1252'>",
            "<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=utf-8'>",
        ),
        ('<meta charset="UTF-8">', '<meta charset="UTF-8">'),
    ],
    ids=["meta-charset", "http-equiv", "utf-8-kept"],
)
def test_cli_page_in_another_charset_is_declared_utf8(
    runner: CliRunner, tmp_path: Path, declared: str, written: str
) -> None:
    page = f'<html lang="en"><head>{declared}<title>The economy</title></head>'
    out = translate_page(runner, tmp_path, page.encode("iso-8859-1"))
    # the translation is written in UTF-8 ("economía"), so that is what the page must declare
    assert out.decode("utf-8").startswith(f'<html lang="es"><head>{written}<title>La economía')
