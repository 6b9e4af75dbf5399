"""The run report (`report.json`) and the index page linking every article."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from translator.options import EDITED_DIR
from translator.translate import EngineStats, TermCounts

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from translator.collect import Collected
    from translator.options import RunOptions

# 2: input and catalog recorded relative to OUT (and absolute), and the read options.
# 3: an article read but not wholly translated is "partial", not "ok"; totals count
# the articles' statuses and their targets' apart (target_statuses).
REPORT_FORMAT = 3


@dataclass
class TargetEntry:
    """What happened to one article for one target language."""

    status: str  # translated, partial (some segments failed), copied, unsupported
    output: str | None = None
    bilingual: str | None = None
    engine: str | None = None
    model: str | None = None
    route: list[str] = field(default_factory=list)
    segments: int = 0
    ui_strings: int = 0
    unreviewed_ui: int = 0
    failed_segments: int = 0
    markup_lost: int = 0  # inline tag pairs the engine dropped: words kept, tag gone
    markup_lost_lines: list[int] = field(default_factory=list)  # where, in the source
    terms: TermCounts = field(default_factory=TermCounts)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = dict(vars(self))  # the fields: a plain dataclass keeps nothing else there
        data["route"] = list(self.route)
        data["markup_lost_lines"] = list(self.markup_lost_lines)
        data["terms"] = self.terms.as_dict()
        return data


@dataclass
class ArticleEntry:
    """What happened to one article: its detection, and each target's outcome."""

    path: str
    format: str = ""
    language: str | None = None
    confidence: float | None = None
    detected_by: str | None = None
    sha256: str = ""
    # ok; partial: read, but a target failed or part of it was not translated; failed:
    # not read (or its language not told); empty: nothing to translate, skipped.
    status: str = "ok"
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # found while the rest was translated
    # Outputs an editor changed since the last run wrote them: written again (a warning).
    edited_outputs: list[str] = field(default_factory=list)
    targets: dict[str, TargetEntry] = field(default_factory=dict)

    @classmethod
    def from_collected(cls, item: Collected) -> ArticleEntry:
        entry = cls(path=item.path.as_posix(), format=item.format, sha256=item.digest)
        entry.problems = list(item.problems)
        entry.edited_outputs = list(item.edited_outputs)
        if item.detection is not None:
            entry.language = item.detection.language
            entry.confidence = round(item.detection.confidence, 4)
            entry.detected_by = item.detection.method
        if item.error is not None:
            entry.status = "empty" if item.empty else "failed"
            entry.error = item.error.message if item.error.line is None else str(item.error)
        return entry

    def as_dict(self) -> dict[str, Any]:
        """The entry as report.json shows it, and as the run state keeps it: from then
        on a plain dict, so that a rerun passes a remembered entry on untouched."""
        # By hand, not dataclasses.asdict: that deep-copies, and a run calls this per article.
        data = dict(vars(self))
        data["problems"] = list(self.problems)
        data["edited_outputs"] = list(self.edited_outputs)
        data["targets"] = {code: target.as_dict() for code, target in self.targets.items()}
        data["failed"] = self.failed()
        if data["failed"] and self.status == "ok":
            data["status"] = "partial"
        return data

    def failed(self) -> bool:
        if self.status == "empty":
            return False
        if self.status == "failed" or self.error or self.problems:
            return True
        failures = ("partial", "unsupported", "failed")
        return any(t.status in failures for t in self.targets.values())


def build_report(
    options: RunOptions,
    articles: list[dict[str, Any]],
    skipped: list[dict[str, str]],
    timings: dict[str, float],
    stats: EngineStats,
    version: str,
    ui_strings: frozenset[str],
    *,
    stale: Sequence[dict[str, Any]] = (),
    unserved: Mapping[str, str] | None = None,
    catalog_markup: Sequence[str] = (),
    catalog_terms: Sequence[str] = (),
) -> dict[str, Any]:
    """The run report; `articles` are the entries of every article, as `as_dict` gives them.

    `ui_strings` are the run's UI strings (the site's list and the labels found
    repeated): `check` reads articles with them. `stale`: the articles of earlier runs
    no longer in the input, with their outputs still in OUT. `unserved`: why no engine
    serves a pair some articles needed ("en->fr"), and how to install one.
    `catalog_markup`: reviewed translations whose placeholders are not their msgid's;
    `catalog_terms`: those that lost a glossary term of their msgid.
    """
    statuses: Counter[str] = Counter()  # of articles
    target_statuses: Counter[str] = Counter()  # of their translations, one per target
    terms = TermCounts()
    for article in articles:
        for target in article["targets"].values():
            target_statuses[target["status"]] += 1
            terms.add(TermCounts(**target["terms"]))
        statuses[article["status"]] += 1
    seconds = max(timings.get("total", 0.0), 1e-9)
    return {
        "report_format": REPORT_FORMAT,
        "tool": "translate-news",
        "version": version,
        **_folder("input", options.input_dir, options.output_dir),
        "output": str(options.output_dir.resolve()),
        "targets": list(options.targets),
        **_folder("catalog", options.locale_dir, options.output_dir),
        "domain": options.domain,
        "read_options": {
            "json_fields": list(options.read_options.json_fields),
            "ui_strings": sorted(ui_strings),
        },
        "glossaries": [str(p) for p in options.glossaries],
        "compendia": [str(p) for p in options.compendia],
        "articles": articles,
        "skipped": skipped,
        "stale": list(stale),
        "unserved": dict(sorted((unserved or {}).items())),
        "catalog_markup": list(catalog_markup),
        "catalog_terms": list(catalog_terms),
        "totals": {
            "articles": len(articles),
            "failed": sum(article["failed"] for article in articles),
            "skipped": len(skipped),
            "statuses": dict(sorted(statuses.items())),
            "target_statuses": dict(sorted(target_statuses.items())),
            "terms": terms.as_dict(),
            "segments_translated": stats.translated,
            "segments_from_cache": stats.cached,
            "articles_per_second": round(len(articles) / seconds, 2),
        },
        "engine_failures": stats.failures,
        "timings": {name: round(value, 3) for name, value in sorted(timings.items())},
    }


def _folder(key: str, folder: Path, output_dir: Path) -> dict[str, str]:
    """`folder` relative to OUT under `key`, and absolute under `key_absolute`.

    `check` looks relative to OUT first, so OUT can move together with its input
    (a CI workspace checked out elsewhere), then at the absolute path, so OUT can
    move alone. The sources' sha256 tells it whether what it found is what was read.
    """
    absolute = folder.resolve()
    return {
        key: Path(os.path.relpath(absolute, output_dir.resolve())).as_posix(),
        f"{key}_absolute": str(absolute),
    }


def has_failures(report: dict[str, Any]) -> bool:
    return bool(report["totals"]["failed"])


def errors(report: dict[str, Any]) -> list[str]:
    """`path: problem` lines for people, one per failed article or target, and one per
    target with terms flagged or inline markup lost (warnings: they fail nothing)."""
    return [
        problem if problem.startswith(f"{article['path']}:") else f"{article['path']}: {problem}"
        for article in report["articles"]
        for problem in article_problems(article)
    ]


def article_problems(article: dict[str, Any]) -> list[str]:
    """What went wrong with one article, worst first, each line as said to people."""
    lines = []
    if article["error"]:  # empty files too: named, though they fail nothing
        lines.append(article["error"])
    lines.extend(article["problems"])
    lines.extend(
        f"{output}: edited by hand since the last run wrote it; the edited copy is kept in "
        f"{EDITED_DIR}/{output}, and the output written again from the translation (an "
        "edit belongs in the source, or in the catalog for a UI string)"
        for output in article.get("edited_outputs", ())  # not in entries of older runs
    )
    for language, target in sorted(article["targets"].items()):
        if target["status"] in ("unsupported", "failed"):
            lines.append(f"[{language}] {target['error']}")
        elif target["status"] == "partial":
            lines.append(f"[{language}] {target['failed_segments']} segment(s) not translated")
        if flagged := target.get("terms", {}).get("flagged"):
            lines.append(
                f"[{language}] {flagged} protected term(s) flagged: not found in the "
                "translation (outlined on the bilingual page; `translate-news check` names them)"
            )
        if lost := target.get("markup_lost"):  # not in entries of older runs
            at = ", ".join(map(str, target.get("markup_lost_lines", [])))
            lines.append(
                f"[{language}] inline markup lost in {lost} place(s)"
                + (f" (line {at})" if at else "")
                + ": the translation (the engine's, or a catalog's) lacks a tag pair; its "
                "words are translated, the tag is not there (marked on the bilingual page)"
            )
    return lines


def to_json(report: dict[str, Any], known: Sequence[str | None] = ()) -> str:
    """One article per line: readable, diffable, and written by json's C encoder
    (`indent` would switch to its pure-Python one, too slow for big batches).

    `known` holds the line of an article when there is one already (see
    `entry_line`): a remembered article's, as the state kept it.
    """
    articles = report["articles"]
    head = {key: value for key, value in report.items() if key != "articles"}
    known = known or [None] * len(articles)
    lines = [line or entry_line(article) for article, line in zip(articles, known, strict=True)]
    return _compact(head)[:-1] + ', "articles": [\n' + ",\n".join(lines) + "\n]}\n"


def entry_line(entry: dict[str, Any]) -> str:
    """An article's entry as its line of report.json shows it."""
    return _compact(entry)


# One encoder for the whole report: json.dumps with options makes a new one per call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _compact(data: Any) -> str:
    return _COMPACT.encode(data)


def render_index(report: dict[str, Any]) -> str:
    """OUT/index.html: every article, its language and status, with links."""
    rows = []
    for article in report["articles"]:
        language = article["language"] or "?"
        confidence = article["confidence"]
        detected = f"{escape(language)}" + (f" ({confidence:.2f})" if confidence else "")
        cells = []
        for code in report["targets"]:
            target = article["targets"].get(code)
            if target is None:
                cells.append(f"<td>{escape(article['status'])}</td>")
                continue
            links = [
                f'<a href="{_href(target[key])}">{label}</a>'
                for key, label in (("output", "article"), ("bilingual", "side by side"))
                if target[key]
            ]
            cells.append(f"<td>{escape(target['status'])} {' · '.join(links)}</td>")
        problems = "<br>".join(escape(line) for line in article_problems(article))
        rows.append(
            f"<tr><td>{escape(article['path'])}</td><td>{detected}</td>{''.join(cells)}"
            f"<td>{problems}</td></tr>"
        )
    heads = "".join(f"<th>{escape(code)}</th>" for code in report["targets"])
    body = "\n".join(rows)
    skipped = "\n".join(
        f"<tr><td>{escape(item['path'])}</td><td>{escape(item['reason'])}</td></tr>"
        for item in report["skipped"]
    )
    more_tables = (
        "<h2>Skipped</h2>\n<table><thead><tr><th>file</th><th>why</th></tr></thead>\n"
        f"<tbody>\n{skipped}\n</tbody></table>\n"
        if skipped
        else ""
    )
    stale = "\n".join(
        f"<tr><td>{escape(item['path'])}</td><td>"
        + " · ".join(f'<a href="{_href(o)}">{escape(o)}</a>' for o in item["outputs"])
        + "</td></tr>"
        for item in report.get("stale", ())
    )
    if stale:
        more_tables += (
            "<h2>No longer in the input</h2>\n<p>Outputs of earlier runs, kept.</p>\n"
            "<table><thead><tr><th>article</th><th>outputs</th></tr></thead>\n"
            f"<tbody>\n{stale}\n</tbody></table>\n"
        )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>translate-news run</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem}}
table{{border-collapse:collapse}}
td,th{{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:start}}</style>
</head>
<body>
<h1>translate-news run</h1>
<p>{report["totals"]["articles"]} articles, {report["totals"]["failed"]} failed,
{report["totals"]["skipped"]} skipped.</p>
<table><thead><tr><th>article</th><th>language</th>{heads}<th>problems</th></tr></thead>
<tbody>
{body}
</tbody></table>
{more_tables}</body>
</html>
"""


def _href(relative: str) -> str:
    """A link to a file under OUT: URL-quoted ("q&a #2?.txt" is a name, not a query),
    then HTML-escaped for the attribute."""
    return escape(quote(relative))
