"""`translate-news check`: did every protected term survive into what a run wrote?

It re-reads the outputs a run recorded in `report.json` (translated articles,
and the `.po` catalogs, also after translators edited them) against their
sources, collects every lost term, and writes nothing.

A file that cannot be compared is an issue too, never a silent pass: a missing
or unreadable output or source, a source changed since the run, or a
translation whose segments no longer line up with its source's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.catalog import Entry, catalog_path, read_catalog
from translator.documents import (
    ReadOptions,
    decode,
    parse_document,
    read_document,
    read_source,
)
from translator.glossary import Glossary, verify
from translator.inline import placeholder_problems, strip_markers, without_placeholders
from translator.languages import normalise_language
from translator.model import Document, InputError, Kind

REPORT = "report.json"
RERUN = "rerun translate-news"


class CheckError(Exception):
    """The folder is not a run's output at all: a usage error, not a finding."""


class _UnreadableReport(Exception):
    """report.json is there but cannot be used: reported as an issue of report.json."""


class _NotComparable(Exception):
    """The source and its translation cannot be compared: the message says why."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.where = f"line {line}" if line else ""


@dataclass(frozen=True)
class Issue:
    """One problem: a term that did not survive, or a file that could not be checked."""

    file: str  # relative to OUT when it is inside OUT
    problem: str  # one line for people
    where: str = ""  # "segment 12 (line 30)", 'msgid "Share"', "line 3"; "" for the whole file
    term: str = ""  # a lost term as in the source; "" for a file that could not be checked
    expected: tuple[str, ...] = ()  # acceptable forms in the target
    found: str = ""  # the nearest match in the translation; "" when nothing is close
    context: str = ""  # the translated text (shortened) the term is missing from
    language: str = ""
    markup: bool = False  # a reviewed catalog entry's placeholders differ from its msgid's

    @property
    def kind(self) -> str:
        if self.term:
            return "lost term"
        return "lost markup" if self.markup else "not checked"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "where": self.where,
            "problem": self.problem,
            "term": self.term,
            "expected": list(self.expected),
            "found": self.found,
            "context": self.context,
            "language": self.language,
        }


@dataclass(frozen=True)
class CheckResult:
    """What `check` found, and how much it looked at."""

    issues: list[Issue]
    checked_files: int
    checked_segments: int

    @property
    def lost_terms(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.term]

    @property
    def lost_markup(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.markup]

    @property
    def unchecked(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind == "not checked"]


@dataclass(frozen=True)
class _Translation:
    """One translated article as the run recorded it."""

    source: str  # relative to the input folder
    sha256: str  # of the source's bytes when the run read it
    source_language: str
    language: str
    output: str  # relative to OUT
    segments: int  # sentences the run translated


@dataclass(frozen=True)
class _Run:
    """What `check` needs of report.json."""

    input_dirs: tuple[Path, ...]  # where the sources may be, best first
    catalog_dirs: tuple[Path, ...]
    domain: str
    targets: tuple[str, ...]
    read_options: ReadOptions  # as the run read the articles: --fields, UI strings
    translations: tuple[_Translation, ...]
    source_languages: tuple[str, ...]
    untranslated: tuple[Issue, ...]  # what the run failed to translate: nothing to check


@dataclass
class _Tally:
    """The issues so far, and how much was compared."""

    issues: list[Issue]
    files: int = 0
    segments: int = 0

    def checked(self, issues: list[Issue], segments: int) -> None:
        self.issues += issues
        self.files += 1
        self.segments += segments

    def not_checked(self, issue: Issue) -> None:
        self.issues.append(issue)


def check_output(out_dir: Path, glossary: Glossary, catalog_dir: Path | None = None) -> CheckResult:
    """Every lost term in the articles and catalogs under `out_dir`, and every file that
    could not be checked. Raises CheckError when `out_dir` is not a run's output folder."""
    try:
        run = _read_run(out_dir)
    except _UnreadableReport as error:
        return CheckResult([Issue(REPORT, f"{error}; {RERUN}")], 0, 0)
    tally = _Tally(list(run.untranslated))
    _check_articles(run, out_dir, glossary, tally)
    _check_catalogs(run, out_dir, catalog_dir, glossary, tally)
    return CheckResult(tally.issues, tally.files, tally.segments)


# --- the run report ---


def _read_run(out_dir: Path) -> _Run:
    path = out_dir / REPORT
    if not path.is_file():
        raise CheckError(f"{out_dir}: no {REPORT}; is this a translate-news output folder?")
    try:
        report = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise _UnreadableReport(f"cannot read the run report: {error}") from error
    if not isinstance(report, dict) or report.get("tool") != "translate-news":
        raise CheckError(f"{path}: not a translate-news run report")
    try:
        return _run_of(report, out_dir)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise _UnreadableReport(f"the run report is malformed ({error!r})") from error


def _run_of(report: dict[str, Any], out_dir: Path) -> _Run:
    # Reports before format 2 hold absolute folders only ("input" then is absolute, and
    # out_dir / an absolute path is that path) and no read options: the defaults then.
    read = report.get("read_options", {})
    defaults = ReadOptions()
    translations = tuple(
        _Translation(
            source=article["path"],
            sha256=article.get("sha256", ""),
            source_language=article["language"],
            language=language,
            output=target["output"],
            segments=target.get("segments", 0),
        )
        for article in report["articles"]
        for language, target in sorted(article["targets"].items())
        # copied articles are the source itself; failed ones were reported by the run
        if target["status"] in ("translated", "partial") and target["output"]
    )
    return _Run(
        input_dirs=_candidates(out_dir, report, "input"),
        catalog_dirs=_candidates(out_dir, report, "catalog"),
        domain=report["domain"],
        targets=tuple(report["targets"]),
        read_options=ReadOptions(
            json_fields=tuple(read.get("json_fields", defaults.json_fields)),
            ui_strings=frozenset(read.get("ui_strings", ())),
        ),
        translations=translations,
        source_languages=tuple(
            sorted({a["language"] for a in report["articles"] if a["language"]})
        ),
        untranslated=tuple(_untranslated(report["articles"])),
    )


def _untranslated(articles: list[dict[str, Any]]) -> Iterator[Issue]:
    """An issue per article, or target of one, the run failed: its terms are unchecked,
    so a CI job running check alone does not pass it."""
    for article in articles:
        if article["status"] == "failed":
            yield Issue(article["path"], f"not translated by the run: {article['error']}")
        for problem in article["problems"]:  # a bad line of a .jsonl, kept as it was
            yield Issue(article["path"], f"left as it was by the run: {problem}")
        for language, target in sorted(article["targets"].items()):
            if target["status"] in ("failed", "unsupported"):
                problem = f"not translated by the run: {target['error']}"
                yield Issue(article["path"], problem, language=language)


def _candidates(out_dir: Path, report: dict[str, Any], key: str) -> tuple[Path, ...]:
    """Where a folder of the run may be now: relative to OUT first, then where it was;
    but a folder that was inside OUT (OUT/locale) moves with it, or is gone: the one
    where it was belongs to another copy of OUT."""
    relative = Path(report[key])
    paths = [out_dir / relative]
    if report.get(f"{key}_absolute") and relative.parts[:1] == ("..",):
        paths.append(Path(report[f"{key}_absolute"]))
    return tuple(dict.fromkeys(paths))


def _first_folder(paths: tuple[Path, ...]) -> Path | None:
    return next((path for path in paths if path.is_dir()), None)


# --- articles ---


def _check_articles(run: _Run, out_dir: Path, glossary: Glossary, tally: _Tally) -> None:
    if not run.translations:
        return
    found = _first_folder(run.input_dirs)
    if found is None:
        advice = f": check needs the sources; {RERUN}"
        tally.not_checked(_missing_folder(run.input_dirs, "input", advice))
        return
    source_root = found.resolve()  # "OUT/../in" would name sources confusingly
    read: tuple[tuple[str, str], Document] | None = None  # the last source, for its targets
    for translation in run.translations:  # an article's targets one after the other
        key = (translation.source, translation.sha256)
        try:
            if read is None or read[0] != key:
                read = key, _read_source(source_root, translation, run.read_options)
            issues, segments = _check_article(
                read[1], out_dir, translation, glossary, run.read_options
            )
        except _NotComparable as error:
            tally.not_checked(_file_issue(translation, str(error), error.where))
        else:
            tally.checked(issues, segments)


def _check_article(
    source: Document,
    out_dir: Path,
    translation: _Translation,
    glossary: Glossary,
    options: ReadOptions,
) -> tuple[list[Issue], int]:
    """The lost terms of one translated article, segment by segment, and how many
    segments it compared; _NotComparable says why it could not be compared."""
    try:
        translated = _read_translation(out_dir, Path(translation.output), source, options)
    except InputError as error:
        raise _NotComparable(error.message, error.line) from error
    if len(source.units) != len(translated.units):
        # Paired by position they would be compared with the wrong paragraphs:
        # one honest issue instead of a screenful of false lost terms.
        raise _NotComparable(
            f"source has {len(source.units)} segments, translation {len(translated.units)}"
            f": they no longer line up; {RERUN}"
        )
    if not source.units and translation.segments:
        # A report without the run's read options (before format 2) and a run with
        # --fields: nothing read here, where the run translated something.
        raise _NotComparable(
            f"the run translated {translation.segments} segment(s) here, check read none "
            f"(the report does not say how the run read the file); {RERUN}"
        )
    issues = []
    compared = 0
    for index, (original, rendered) in enumerate(
        zip(source.units, translated.units, strict=True), 1
    ):
        # A UI string too: what the article shows of it, an editor may have changed. It
        # shows a catalog's, whose addresses and handles are the reviewer's to localise.
        compared += 1
        where = f"segment {index}" + (f" (line {rendered.line})" if rendered.line else "")
        issues += _lost_terms(
            glossary,
            original.text,
            rendered.text,
            (translation.source_language, translation.language),
            translation.output,
            where,
            addresses=original.kind is not Kind.UI,
        )
    return issues, compared


def _read_translation(
    out_dir: Path, relative: Path, source: Document, options: ReadOptions
) -> Document:
    """The translated article, split into units as its source was.

    Plain text is split by heuristics on its words (is a line a label?), which judge a
    translated line differently from its source ("Latest business headlines" is a label,
    "Titulares empresariales más tardíos" is not): it is read with the source's layout,
    or an untouched run would fail. Markup formats split by their markup, kept as it was.
    """
    if source.format == "txt":
        from translator.documents.text import parse_translation  # the reader, when needed

        return parse_translation(decode(read_source(out_dir, relative), relative), relative, source)
    return read_document(out_dir, relative, options)


def _read_source(root: Path, translation: _Translation, options: ReadOptions) -> Document:
    relative = Path(translation.source)
    try:
        data = read_source(root, relative)
    except InputError as error:
        raise _NotComparable(f"source {root / relative}: {error.message}; {RERUN}") from error
    if translation.sha256 and hashlib.sha256(data).hexdigest() != translation.sha256:
        raise _NotComparable(f"source {root / relative} changed since the run; {RERUN}")
    try:
        return parse_document(decode(data, relative), relative, options)
    except InputError as error:
        raise _NotComparable(f"source {root / relative}: {error.message}") from error


def _missing_folder(places: tuple[Path, ...], what: str, advice: str = "") -> Issue:
    """A folder of the run found at none of the places report.json gives for it (the
    last one being where the run had it)."""
    *elsewhere, recorded = places
    also = f" (nor at {elsewhere[0]})" if elsewhere else ""
    return Issue(str(recorded), f"{what} folder of the run not found{also}{advice}")


def _file_issue(translation: _Translation, problem: str, where: str = "") -> Issue:
    return Issue(translation.output, problem, where, language=translation.language)


# --- catalogs ---


def _check_catalogs(
    run: _Run, out_dir: Path, catalog_dir: Path | None, glossary: Glossary, tally: _Tally
) -> None:
    folder = catalog_dir or _first_folder(run.catalog_dirs)
    if folder is None:
        tally.not_checked(_missing_folder(run.catalog_dirs, "catalog"))
        return
    # The run wrote a catalog per target; a site's tree (--catalog) may hold more.
    expected = {catalog_path(folder, run.domain, target) for target in run.targets}
    found = set(folder.glob(f"*/LC_MESSAGES/{run.domain}.po"))
    for po_path in sorted(expected | found):
        shown = _shown(po_path, out_dir)
        if not po_path.is_file():
            tally.not_checked(Issue(shown, f"catalog not found; {RERUN}"))
            continue
        try:
            issues, segments = _check_catalog(po_path, shown, run.source_languages, glossary)
        except InputError as error:  # CatalogError: not valid gettext
            where = f"line {error.line}" if error.line else ""
            tally.not_checked(Issue(shown, error.message, where))
            continue
        tally.checked(issues, segments)


def _check_catalog(
    po_path: Path, shown: str, sources: tuple[str, ...], glossary: Glossary
) -> tuple[list[Issue], int]:
    catalog = read_catalog(po_path)
    language = normalise_language(po_path.parent.parent.name)  # pt_BR/ holds pt-br's
    issues: list[Issue] = []
    entries = [e for e in catalog.entries if e.translated]
    for entry in entries:
        where = _entry_place(entry)
        for original, translation in _forms(entry):
            # What articles show of it (a review) holds the markup its msgid holds.
            problems = [] if entry.fuzzy else placeholder_problems(original, translation)
            if problems:
                problem = f"markup placeholders differ from the msgid's: {', '.join(problems)}"
                issues.append(Issue(shown, problem, where, markup=True))
            # A catalog mixes UI strings of every source language: check from each.
            msgid, msgstr = without_placeholders(original), without_placeholders(translation)
            for source in sources:
                if source != language and glossary.find(msgid, source):
                    pair = (source, language)
                    # An address or handle is the reviewer's to localise ("@bbcmundo").
                    lost = _lost_terms(glossary, msgid, msgstr, pair, shown, where, False)
                    issues += lost
                    break
    return issues, len(entries)


def _forms(entry: Entry) -> list[tuple[str, str]]:
    """An entry's translations, each with the text it translates: msgstr[0] the msgid,
    the other plural forms (a site's "%d stories") msgid_plural."""
    if entry.msgid_plural is None:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid_plural if number else entry.msgid, form)
        for number, form in enumerate(entry.msgstr_plural)
        if form
    ]


def _entry_place(entry: Entry) -> str:
    """'line 23, msgctxt "navigation", msgid "World"': a text may be in several entries."""
    quoted = [("msgctxt", entry.msgctxt), ("msgid", entry.msgid)]
    named = [f"{k} {json.dumps(v, ensure_ascii=False)}" for k, v in quoted if v is not None]
    return ", ".join([f"line {entry.line}"] * (entry.line is not None) + named)


def _shown(path: Path, out_dir: Path) -> str:
    """`path` relative to OUT when it is inside, else as it is."""
    try:
        return path.relative_to(out_dir).as_posix()
    except ValueError:
        return str(path)


# --- lost terms ---


def _lost_terms(
    glossary: Glossary,
    source_text: str,
    translated_text: str,
    pair: tuple[str, str],
    file: str,
    where: str,
    addresses: bool = True,
) -> list[Issue]:
    source, target = pair
    findings = verify(
        glossary, strip_markers(source_text), strip_markers(translated_text), source, target
    )
    return [
        Issue(
            file=file,
            problem=finding.problem,
            where=where,
            term=finding.source_text,
            expected=tuple(finding.expected),
            found=finding.found,
            context=_context(translated_text, finding.found),
            language=target,
        )
        for finding in findings
        if not finding.ok and (addresses or not finding.term.verbatim)
    ]


def _context(text: str, found: str, width: int = 120) -> str:
    """`text` on one line, cut to `width` characters around `found` when it is there."""
    text = " ".join(strip_markers(text).split())
    if len(text) <= width:
        return text
    anchor = text.find(" ".join(found.split())) if found else -1
    start = max(0, anchor - width // 3)
    start = min(start, len(text) - (width - 1))  # a window at the end needs one "…" only
    prefix = "…" if start else ""
    end = start + width - len(prefix)
    if end < len(text):
        return prefix + text[start : end - 1] + "…"
    return prefix + text[start:]


# --- output formats ---


def format_text(result: CheckResult) -> str:
    lines = [_text_line(issue) for issue in result.issues]
    status = "FAILED" if result.issues else "ok"
    summary = f"{status}: {len(result.lost_terms)} lost term(s)"
    if result.lost_markup:
        summary += f", {len(result.lost_markup)} catalog entry(ies) losing markup"
    if result.unchecked:
        summary += f", {len(result.unchecked)} problem(s) that kept files from being checked"
    lines.append(
        f"{summary}; {result.checked_files} file(s), {result.checked_segments} segment(s) checked"
    )
    return "\n".join(lines) + "\n"


def _text_line(issue: Issue) -> str:
    where = f"{issue.file}: {issue.where}" if issue.where else issue.file
    context = f" in: {issue.context}" if issue.context else ""
    return f"{where}: {issue.problem}{context}"


def format_json(result: CheckResult) -> str:
    data = {
        "ok": not result.issues,
        "checked_files": result.checked_files,
        "checked_segments": result.checked_segments,
        "issues": [issue.as_dict() for issue in result.issues],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def format_junit(result: CheckResult) -> str:
    """JUnit XML, which CI systems display: a failure per lost term or markup, an error per file
    that could not be checked, or one passing test case."""
    from xml.etree import ElementTree as ET  # here: the CLI imports this module for any command

    suite = ET.Element(
        "testsuite",
        name="translate-news check",
        tests=str(max(len(result.issues), 1)),
        failures=str(len(result.lost_terms) + len(result.lost_markup)),
        errors=str(len(result.unchecked)),
    )
    for issue in result.issues:
        failed = issue.kind != "not checked"
        name = f"{issue.where}: {issue.term or 'markup'}" if failed else "could not be checked"
        case = ET.SubElement(suite, "testcase", classname=issue.file, name=name)
        outcome = ET.SubElement(case, "failure" if failed else "error", message=issue.problem)
        outcome.text = _text_line(issue)
    if not result.issues:
        ET.SubElement(suite, "testcase", classname="glossary", name="all terms survived")
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    xml = ET.tostring(suites, encoding="unicode", xml_declaration=True)
    return _XML_FORBIDDEN.sub(_shown_as_code, xml) + "\n"


# Characters XML 1.0 has no place for, not even escaped: an article's control characters
# would make the whole report unreadable to the CI that parses it.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _shown_as_code(found: re.Match[str]) -> str:
    return f"\\x{ord(found.group()):02x}" if ord(found.group()) < 0x100 else "\ufffd"


FORMATTERS = {"text": format_text, "json": format_json, "junit": format_junit}
