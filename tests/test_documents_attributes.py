"""Text readers see outside the flow of a page: HTML meta descriptions and share cards,
accessible labels, placeholders, and Markdown image alt text, through the real CLI."""

from __future__ import annotations

from pathlib import Path

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
