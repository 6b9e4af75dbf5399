"""`translate-news check`: did every protected term survive into what a run wrote?

It re-reads the outputs a run recorded in `report.json` (translated articles,
and the `.po` catalogs, also after translators edited them) against their
sources, collects every lost term, and writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.catalog import read_catalog
from translator.documents import ReadOptions, read_document
from translator.glossary import Glossary, verify
from translator.inline import strip_markers
from translator.model import InputError, Kind


class CheckError(Exception):
    """The folder cannot be checked at all (not a run's output, unreadable report)."""


@dataclass(frozen=True)
class Issue:
    """One term that did not survive."""

    file: str  # relative to OUT
    where: str  # "segment 12 (line 30)" or 'msgid "Share"'
    term: str  # the term as in the source
    expected: tuple[str, ...]  # acceptable forms in the target
    found: str  # the translated text (shortened) where it is missing
    language: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "where": self.where,
            "term": self.term,
            "expected": list(self.expected),
            "found": self.found,
            "language": self.language,
        }


@dataclass(frozen=True)
class CheckResult:
    """What `check` found, and how much it looked at."""

    issues: list[Issue]
    checked_files: int
    checked_segments: int


def check_output(out_dir: Path, glossary: Glossary, catalog_dir: Path | None = None) -> CheckResult:
    """Every lost term in the articles and catalogs under `out_dir`."""
    report = _load_report(out_dir)
    issues: list[Issue] = []
    files = segments = 0
    options = ReadOptions()
    source_root = Path(report["input"])
    for article in report["articles"]:
        for language, target in sorted(article["targets"].items()):
            if target["status"] not in ("translated", "partial") or not target["output"]:
                continue
            found, count = _check_article(
                source_root, out_dir, article, language, target["output"], glossary, options
            )
            issues += found
            files, segments = files + 1, segments + count
    catalogs = catalog_dir or Path(report["catalog"])
    sources = sorted({a["language"] for a in report["articles"] if a["language"]})
    for po_path in sorted(catalogs.glob(f"*/LC_MESSAGES/{report['domain']}.po")):
        found, count = _check_catalog(po_path, out_dir, sources, glossary)
        issues += found
        files, segments = files + 1, segments + count
    return CheckResult(issues, files, segments)


def _load_report(out_dir: Path) -> dict[str, Any]:
    path = out_dir / "report.json"
    try:
        report: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as error:
        raise CheckError(f"{out_dir}: no report.json; is this a translate-news output?") from error
    except (OSError, ValueError) as error:
        raise CheckError(f"{path}: cannot read the run report: {error}") from error
    return report


def _check_article(
    source_root: Path,
    out_dir: Path,
    article: dict[str, Any],
    language: str,
    output: str,
    glossary: Glossary,
    options: ReadOptions,
) -> tuple[list[Issue], int]:
    try:
        source = read_document(source_root, Path(article["path"]), options)
        translated = read_document(out_dir, Path(output), options)
    except InputError as error:
        raise CheckError(str(error)) from error
    issues = []
    pairs = list(zip(source.units, translated.units, strict=False))
    for index, (original, rendered) in enumerate(pairs, 1):
        if original.kind is Kind.UI:
            continue  # UI strings are checked in their catalog, once
        where = f"segment {index}" + (f" (line {rendered.line})" if rendered.line else "")
        issues += _issues(
            glossary, original.text, rendered.text, article["language"], language, output, where
        )
    return issues, len(pairs)


def _check_catalog(
    po_path: Path, out_dir: Path, sources: list[str], glossary: Glossary
) -> tuple[list[Issue], int]:
    catalog = read_catalog(po_path)
    language = po_path.parent.parent.name
    try:
        shown = po_path.relative_to(out_dir).as_posix()
    except ValueError:
        shown = str(po_path)
    issues: list[Issue] = []
    entries = [e for e in catalog.entries if e.msgstr]
    for entry in entries:
        # A catalog mixes UI strings of every source language: check from each.
        for source in sources:
            if source != language and glossary.find(entry.msgid, source):
                where = f"msgid {json.dumps(entry.msgid, ensure_ascii=False)}"
                issues += _issues(
                    glossary, entry.msgid, entry.msgstr, source, language, shown, where
                )
                break
    return issues, len(entries)


def _issues(
    glossary: Glossary,
    source_text: str,
    translated_text: str,
    source: str,
    target: str,
    file: str,
    where: str,
) -> list[Issue]:
    findings = verify(
        glossary, strip_markers(source_text), strip_markers(translated_text), source, target
    )
    return [
        Issue(
            file=file,
            where=where,
            term=finding.source_text,
            expected=tuple(finding.expected),
            found=_shorten(translated_text),
            language=target,
        )
        for finding in findings
        if not finding.ok
    ]


def _shorten(text: str, width: int = 120) -> str:
    text = " ".join(strip_markers(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- output formats ---


def format_text(result: CheckResult) -> str:
    lines = [
        f"{i.file}: {i.where}: term {i.term!r} missing; expected "
        f"{' or '.join(repr(e) for e in i.expected)} in: {i.found}"
        for i in result.issues
    ]
    status = "FAILED" if result.issues else "ok"
    lines.append(
        f"{status}: {len(result.issues)} lost term(s) in {result.checked_files} file(s), "
        f"{result.checked_segments} segment(s) checked"
    )
    return "\n".join(lines) + "\n"


def format_json(result: CheckResult) -> str:
    data = {
        "ok": not result.issues,
        "checked_files": result.checked_files,
        "checked_segments": result.checked_segments,
        "issues": [issue.as_dict() for issue in result.issues],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def format_junit(result: CheckResult) -> str:
    """JUnit XML, which CI systems display: one test case per lost term, or one passing."""
    from xml.etree import ElementTree as ET  # here: the CLI imports this module for any command

    suite = ET.Element(
        "testsuite",
        name="translate-news check",
        tests=str(max(len(result.issues), 1)),
        failures=str(len(result.issues)),
        errors="0",
    )
    for issue in result.issues:
        case = ET.SubElement(
            suite, "testcase", classname=issue.file, name=f"{issue.where}: {issue.term}"
        )
        failure = ET.SubElement(case, "failure", message=f"term {issue.term!r} missing")
        failure.text = f"expected {' or '.join(issue.expected)} in: {issue.found}"
    if not result.issues:
        ET.SubElement(suite, "testcase", classname="glossary", name="all terms survived")
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "junit": format_junit}
