"""The side-by-side page an editor reviews: source and translation, row by row.

The page is self-contained (inline CSS, no script, nothing fetched) and every
piece of article text is escaped, so an article carrying `<script>` shows it
as text and runs nothing.
"""

from __future__ import annotations

from html import escape

from translator.assemble import Aligned, Assembled, Row
from translator.glossary import Glossary
from translator.inline import strip_markers
from translator.languages import direction
from translator.model import Document, Kind

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{padding:1rem 2rem;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:1.2rem;margin:0}
header p{margin:.25rem 0 0;color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff}
th{position:sticky;top:0;background:#f0f0f3;text-align:start;padding:.5rem 1rem}
td{vertical-align:top;padding:.5rem 1rem;border-top:1px solid #eee}
td.role{width:8rem;color:#777;font-size:.8rem}
tr.headline td{font-size:1.25rem;font-weight:600}
tr.ui td{background:#f6f8ff}
tr.ui td.role::after{content:" (UI string)";color:#36c}
span.s{display:block}
span.s+span.s{margin-top:.35rem}
mark.term{background:#fff3b0;padding:0 .1em}
.failed{background:#ffe5e5}
.unreviewed{border-bottom:2px dotted #c90}
.flagged{outline:2px solid #d33}
td.role .line{display:block;color:#999}
tr.markup-lost td:last-child{box-shadow:inset 3px 0 #d33}
tr.markup-lost td.role::after{content:" (markup lost)";color:#d33}
""".strip()


def render_page(
    document: Document, assembled: Assembled, source: str, target: str, glossary: Glossary
) -> str:
    """The bilingual page of one article, as a string."""
    # In document order: a JSONL file of several records, or a page with several <h1>,
    # has a headline per story, each above its own body.
    left, right = _column(source), _column(target)
    body = "\n".join(
        _row(number, row, left, right, source, target, glossary)
        for number, row in enumerate(assembled.rows, 1)
    )
    title = escape(str(document.path))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} ({escape(source)} → {escape(target)})</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1>
<p>{escape(source)} → {escape(target)} · {assembled.segments} segments ·
{assembled.ui_strings} UI strings ({assembled.unreviewed_ui} unreviewed) ·
{assembled.failed} failed · terms: {_terms(assembled)}</p></header>
<table>
<thead><tr><th class="role">role</th>
<th {left}>{escape(source)}</th>
<th {right}>{escape(target)}</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


def _column(language: str) -> str:
    """The attributes of a language's column: made once per page, used on every row."""
    return f'lang="{escape(language)}" dir="{direction(language)}"'


def _row(
    number: int, row: Row, left: str, right: str, source: str, target: str, glossary: Glossary
) -> str:
    """One unit's row: `number` is its segment number as `check` and the report give it
    (an anchor, #segment-12), beside its role and source line."""
    kind = "ui" if row.unit.kind is Kind.UI else row.unit.role.replace(" ", "-")
    if row.markup_lost:
        kind += " markup-lost"
    shown = dict(row.unit.shown)
    sources = "".join(
        _cell_text(pair.source, source, glossary, pair, shown, False) for pair in row.pairs
    )
    targets = "".join(
        _cell_text(pair.target, target, glossary, pair, shown, True) for pair in row.pairs
    )
    where = f'<span class="line">line {row.unit.line}</span>' if row.unit.line else ""
    return (
        f'<tr id="segment-{number}" class="{escape(kind)}">'
        f'<td class="role">{escape(row.unit.role)}{where}</td>'
        f"<td {left}>{sources}</td><td {right}>{targets}</td></tr>"
    )


def _cell_text(
    text: str,
    language: str,
    glossary: Glossary,
    pair: Aligned,
    shown: dict[str, str],
    is_target: bool,
) -> str:
    classes = ["s"]
    if is_target and pair.failed:
        classes.append("failed")
    if is_target and not pair.reviewed:
        classes.append("unreviewed")
    if is_target and pair.flagged_terms:
        classes.append("flagged")
    # A standalone marker shows its text (an inline <code>'s), else (a <br>, an image)
    # a space keeps the words it separated apart.
    plain = strip_markers(text, " ", shown).strip()
    return f'<span class="{" ".join(classes)}">{highlight(plain, language, glossary)}</span>'


def highlight(text: str, language: str, glossary: Glossary) -> str:
    """`text` escaped, with the glossary terms it contains wrapped in <mark>."""
    pieces: list[str] = []
    position = 0
    for match in glossary.find(text, language):
        if match.start < position:
            continue
        pieces.append(escape(text[position : match.start]))
        pieces.append(f'<mark class="term">{escape(text[match.start : match.end])}</mark>')
        position = match.end
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def _terms(assembled: Assembled) -> str:
    t = assembled.terms
    return f"{t.found} found, {t.kept} kept, {t.repaired} repaired, {t.flagged} flagged"
