"""The batch run: collect, translate once, write.

A run makes two passes over the input so that it never holds every article in
memory. The first pass reads each article, detects its language, splits it into
segments and keeps only those segments' texts. Then every distinct segment of
the run is translated, per language pair, in large batches through each engine
(the cache first). The second pass reads each article again and writes its
translation, bilingual page and report entry.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator import __version__, bilingual, catalog, report
from translator.assemble import RenderMap, assemble
from translator.cache import Scope, TranslationCache
from translator.detect import DEFAULT_CANDIDATES, Detection, detect_language
from translator.documents import ReadOptions, document_errors, read_document, render_document
from translator.engines import EngineError
from translator.engines.registry import EngineOptions, Engines, no_engine_message
from translator.fsutil import TEMP_SUFFIX, atomic_write
from translator.glossary import Glossary, load_glossaries
from translator.model import Document, InputError, Kind
from translator.segment import apply_ui_strings, is_label_like, split_sentences
from translator.state import Remembered, RunState, digest
from translator.translate import EngineStats, TermCounts, Translated, translate_segments

Progress = Callable[[str, int, int], None]

STATE_DIR = ".translate-news"  # inside OUT: the translation cache and the run state

# A short label-like line in this many articles is site chrome, not article text.
REPEATED_UI_MIN_ARTICLES = 3


@dataclass(frozen=True)
class RunOptions:
    input_dir: Path
    output_dir: Path
    targets: tuple[str, ...]
    source_language: str | None = None
    engine: str = "auto"
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    glossaries: tuple[Path, ...] = ()
    read_options: ReadOptions = field(default_factory=ReadOptions)
    cache_path: Path | None = None  # None: OUT/.translate-news/cache.sqlite
    use_cache: bool = True
    jobs: int = 1
    domain: str = "news"
    catalog_dir: Path | None = None  # None: OUT/locale
    compile_mo: bool = False

    @property
    def locale_dir(self) -> Path:
        return self.catalog_dir or self.output_dir / "locale"


@dataclass
class Collected:
    """What the first pass keeps of one article: its segments, never its document."""

    path: Path
    format: str = ""
    digest: str = ""
    detection: Detection | None = None
    sentences: list[str] = field(default_factory=list)
    ui: list[tuple[str, str, int | None]] = field(default_factory=list)  # text, role, line
    labels: list[str] = field(default_factory=list)  # label-like article text
    error: InputError | None = None
    empty: bool = False
    problems: list[str] = field(default_factory=list)  # e.g. bad JSONL lines; rest translated
    remembered: dict[str, Any] | None = None  # report entry of an up-to-date article

    def has_ui(self, ui_strings: frozenset[str]) -> bool:
        return bool(self.ui) or any(label in ui_strings for label in self.labels)

    def to_state(self) -> dict[str, Any]:
        """What a later run needs to skip this article: everything but its sentences."""
        detection = self.detection
        return {
            "format": self.format,
            "detection": [detection.language, detection.confidence, detection.method]
            if detection
            else None,
            "ui": self.ui,
            "labels": self.labels,
            "problems": self.problems,
        }

    @classmethod
    def from_state(cls, path: Path, content: str, remembered: Remembered) -> Collected:
        data = remembered.collected
        detection = Detection(*data["detection"]) if data["detection"] else None
        return cls(
            path,
            data["format"],
            content,
            detection,
            ui=[(text, role, line) for text, role, line in data["ui"]],
            labels=data["labels"],
            problems=data["problems"],
            remembered=remembered.entry,
        )


@dataclass
class RunResult:
    report: dict[str, Any]
    failed: bool


def run(options: RunOptions, progress: Progress | None = None) -> RunResult:
    """Translate every article under `options.input_dir`; see the module docstring."""
    started = time.monotonic()
    tick = progress or (lambda stage, done, total: None)
    glossary = load_glossaries(list(options.glossaries))  # fails before any translation
    options.output_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(options.output_dir)
    files, skipped = collect_files(options.input_dir)

    with _open_state(options) as state:
        with (
            Engines(options.engine, options.engine_options) as engines,
            _open_cache(options) as cache,
        ):
            _require_targets(options.targets, engines)
            candidates = _detection_candidates(engines)
            fingerprint = _fingerprint(options, engines, glossary)
            collected = _collect_all(options, files, candidates, state, fingerprint, tick)
            ui_strings = options.read_options.ui_strings | _repeated_labels(collected)
            collected = _refresh_stale(options, collected, ui_strings, candidates, state, tick)
            timings = {"read": time.monotonic() - started}
            stats = EngineStats()
            translated, routes = _translate_all(
                options, engines, cache, glossary, collected, ui_strings, stats, tick
            )
        timings["translate"] = time.monotonic() - started - timings["read"]
        catalogs = _update_catalogs(options, collected, ui_strings, translated, routes)
        writer = Writer(options, ui_strings, translated, routes, catalogs, glossary)
        entries = _write_all(options, writer, collected, tick)
        _remember(options, state, fingerprint, collected, entries, ui_strings)
    timings["total"] = time.monotonic() - started
    timings["write"] = timings["total"] - timings["read"] - timings["translate"]

    if options.compile_mo:
        catalog.compile_catalogs(options.locale_dir, options.domain)
    run_report = report.build_report(options, entries, skipped, timings, stats, __version__)
    atomic_write(options.output_dir / "report.json", report.to_json(run_report))
    atomic_write(options.output_dir / "index.html", report.render_index(run_report))
    return RunResult(run_report, failed=report.has_failures(run_report))


# --- pass 1: collect ---


def collect_files(root: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """Every article file under `root`, sorted, relative; and what was skipped and why.

    Symbolic links are not followed out of `root`: a link could make the run read
    (or, with --catalog, write) somewhere the user never pointed it at.
    """
    from translator.documents import format_for

    files: list[Path] = []
    skipped: list[dict[str, str]] = []
    resolved_root = root.resolve()
    for current, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(current) / name
            relative = path.relative_to(root)
            if name.startswith("."):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(resolved_root):
                skipped.append({"path": str(relative), "reason": "symbolic link leading outside"})
            elif format_for(path) is None:
                skipped.append({"path": str(relative), "reason": "not an article format"})
            else:
                files.append(relative)
    return files, skipped


def _collect_all(
    options: RunOptions,
    files: list[Path],
    candidates: frozenset[str],
    state: RunState,
    fingerprint: str,
    tick: Progress,
) -> list[Collected]:
    """Pass 1 over every file: recalled from the run state when up to date, else read."""
    recalled: dict[Path, Collected] = {}
    for relative in files:
        try:
            content = hashlib.sha256((options.input_dir / relative).read_bytes()).hexdigest()
        except OSError:
            continue  # _collect reports it
        remembered = state.recall(relative.as_posix(), content, fingerprint)
        if remembered and _outputs_exist(options, remembered.entry):
            recalled[relative] = Collected.from_state(relative, content, remembered)
    fresh = [(options, p, candidates) for p in files if p not in recalled]
    read = iter(_map(options, _collect, fresh, tick))
    return [recalled[p] if p in recalled else next(read) for p in files]


def _outputs_exist(options: RunOptions, entry: dict[str, Any]) -> bool:
    targets = entry["targets"]
    if set(targets) != set(options.targets):
        return False
    written = [t[key] for t in targets.values() for key in ("output", "bilingual") if t[key]]
    return all((options.output_dir / path).is_file() for path in written)


def _refresh_stale(
    options: RunOptions,
    collected: list[Collected],
    ui_strings: frozenset[str],
    candidates: frozenset[str],
    state: RunState,
    tick: Progress,
) -> list[Collected]:
    """Read again the recalled articles whose UI strings may now render differently.

    That is every one when the batch's set of UI strings changed, and those with UI
    strings when a catalog changed since the last run wrote it (a translator's edit).
    """
    ui_changed = state.setting("ui strings") != digest(sorted(ui_strings))
    catalogs_changed = any(
        state.setting(f"catalog {target}") != _catalog_digest(options, target)
        for target in options.targets
    )
    stale = [
        index
        for index, item in enumerate(collected)
        if item.remembered and (ui_changed or (catalogs_changed and item.has_ui(ui_strings)))
    ]
    if not stale:
        return collected
    again = _map(options, _collect, [(options, collected[i].path, candidates) for i in stale], tick)
    refreshed = list(collected)
    for index, item in zip(stale, again, strict=True):
        refreshed[index] = item
    return refreshed


def _remember(
    options: RunOptions,
    state: RunState,
    fingerprint: str,
    collected: list[Collected],
    entries: list[report.ArticleEntry],
    ui_strings: frozenset[str],
) -> None:
    """Record the articles this run wrote in full, and the catalogs as it left them."""
    done = [
        (item.path.as_posix(), item.digest, item.to_state(), entry.as_dict())
        for item, entry in zip(collected, entries, strict=True)
        if not item.remembered and not entry.failed() and entry.status == "ok"
    ]
    state.forget([item.path.as_posix() for item in collected if not item.remembered])
    state.remember(done, fingerprint)
    state.set_setting("ui strings", digest(sorted(ui_strings)))
    for target in options.targets:
        state.set_setting(f"catalog {target}", _catalog_digest(options, target))


def _catalog_digest(options: RunOptions, target: str) -> str:
    path = catalog.catalog_path(options.locale_dir, options.domain, target)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _fingerprint(options: RunOptions, engines: Engines, glossary: Glossary) -> str:
    """Everything besides an article's own bytes that shapes its outputs."""
    versions = sorted(
        (name, source, target, engines.get(name).version(source, target))
        for name, pairs in engines.available_pairs().items()
        for source, target in pairs
        if target in options.targets
    )
    return digest(
        __version__,
        options.targets,
        options.source_language,
        options.engine,
        options.engine_options.settings(),
        versions,
        glossary.checksum,
        options.read_options.json_fields,
        sorted(options.read_options.ui_strings),
        options.domain,
        str(options.locale_dir.resolve()),
    )


def _collect(args: tuple[RunOptions, Path, frozenset[str]]) -> Collected:
    options, relative, candidates = args
    item = Collected(relative)
    try:
        data = (options.input_dir / relative).read_bytes()
        document = read_document(options.input_dir, relative, options.read_options)
    except InputError as error:
        item.error, item.empty = error, _is_empty(error)
        return item
    except OSError as error:
        item.error = InputError(relative, f"cannot read: {error.strerror or error}")
        return item
    item.format, item.digest = document.format, hashlib.sha256(data).hexdigest()
    item.problems = [str(problem) for problem in document_errors(document)]
    item.detection = _detect(document, options.source_language, candidates)
    language = item.detection.language
    for unit in document.units:
        if unit.kind is Kind.UI:
            item.ui.append((unit.text, unit.role, unit.line))
            continue
        if is_label_like(unit.text):
            item.labels.append(unit.text)
        item.sentences.extend(s.text for s in split_sentences(unit.text, language))
    return item


def _is_empty(error: InputError) -> bool:
    from translator.documents import EmptyInput

    return isinstance(error, EmptyInput)


def _detect(document: Document, forced: str | None, candidates: frozenset[str]) -> Detection:
    if forced:
        return Detection(forced, 1.0, "--from")
    detection = detect_language(document.article_text(), candidates)
    if detection.language == "und" and document.declared_language:
        return Detection(document.declared_language, 0.0, "declared")
    return detection


def _detection_candidates(engines: Engines) -> frozenset[str]:
    served = {source for pairs in engines.available_pairs().values() for source, _ in pairs}
    return frozenset(DEFAULT_CANDIDATES) | frozenset(served)


def _repeated_labels(collected: list[Collected]) -> frozenset[str]:
    """Label-like lines that recur across articles are the site's UI, not its news."""
    seen = Counter(label for item in collected for label in set(item.labels))
    return frozenset(text for text, count in seen.items() if count >= REPEATED_UI_MIN_ARTICLES)


def _work(
    collected: list[Collected], ui_strings: frozenset[str], targets: tuple[str, ...]
) -> Iterator[tuple[str, str, set[str]]]:
    """The distinct segments of the run, per language pair, UI strings included."""
    by_source: dict[str, set[str]] = {}
    for item in collected:
        if item.detection is None:
            continue
        texts = by_source.setdefault(item.detection.language, set())
        texts.update(item.sentences)
        texts.update(text for text, _, _ in item.ui)
        texts.update(label for label in item.labels if label in ui_strings)
    for source in sorted(by_source):
        for target in targets:
            if source != target and source != "und":
                yield source, target, by_source[source]


# --- translate ---


@dataclass(frozen=True)
class Route:
    """How a language pair was translated: for the report, the catalogs and the cache."""

    engine: str
    version: str
    path: tuple[str, ...]  # languages passed through, pivots included


Translations = dict[tuple[str, str], dict[str, Translated]]
Routes = dict[tuple[str, str], Route | str]  # a string says why no engine serves the pair


def _require_targets(targets: tuple[str, ...], engines: Engines) -> None:
    """Stop before any work when no installed engine translates into a target at all."""
    available = engines.available_pairs()
    served = {target for pairs in available.values() for _, target in pairs}
    for target in targets:
        if target not in served:
            raise EngineError(no_engine_message("*", target, available))


def _translate_all(
    options: RunOptions,
    engines: Engines,
    cache: TranslationCache,
    glossary: Glossary,
    collected: list[Collected],
    ui_strings: frozenset[str],
    stats: EngineStats,
    tick: Progress,
) -> tuple[Translations, Routes]:
    """Every distinct segment of the run, translated once per language pair."""
    translated: Translations = {}
    routes: Routes = {}
    for source, target, texts in _work(collected, ui_strings, options.targets):
        try:
            engine = engines.for_pair(source, target)
        except EngineError as error:
            routes[(source, target)] = str(error)
            continue
        version = engine.version(source, target)
        scope = Scope(engine.name, version, source, target, options.engine_options.settings())
        path = getattr(engine, "route", lambda s, t: [s, t])(source, target)
        routes[(source, target)] = Route(engine.name, version, tuple(path))
        translated[(source, target)] = translate_segments(
            engine, scope, sorted(texts), glossary, cache, stats, tick
        )
    return translated, routes


# --- catalogs ---


def _update_catalogs(
    options: RunOptions,
    collected: list[Collected],
    ui_strings: frozenset[str],
    translated: Translations,
    routes: Routes,
) -> dict[str, RenderMap]:
    """Write the .pot and merge each language's .po; return what articles render."""
    occurrences = [
        catalog.Occurrence(text, role, item.path.as_posix(), line)
        for item in collected
        for text, role, line in _ui_of(item, ui_strings)
    ]
    locale = options.locale_dir
    previous = catalog.read_catalogs(locale, options.domain)
    template = catalog.build_template(
        occurrences, domain=options.domain, version=__version__, previous=previous.values()
    )
    catalog.write_template(catalog.template_path(locale, options.domain), template)
    # UI strings take their article's language: the first article naming one decides.
    source_of: dict[str, str] = {}
    for item in collected:
        for text, _, _ in _ui_of(item, ui_strings):
            if item.detection is not None:
                source_of.setdefault(text, item.detection.language)
    maps: dict[str, RenderMap] = {}
    for target in options.targets:
        machine: dict[catalog.Key, str] = {}
        notes: set[str] = set()
        for entry in template.entries:
            source = source_of.get(entry.msgid)
            route = routes.get((source or "", target))
            result = translated.get((source or "", target), {}).get(entry.msgid)
            if result is not None and result.text is not None and isinstance(route, Route):
                machine[entry.key] = result.text
                notes.add(f"{route.engine} ({route.version})")
        updated = catalog.update_catalog(
            template, previous.get(target), target, machine, "; ".join(sorted(notes))
        )
        catalog.write_catalog(catalog.catalog_path(locale, options.domain, target), updated)
        maps[target] = catalog.translations_for_render(updated)
    return maps


def _ui_of(item: Collected, ui_strings: frozenset[str]) -> Iterable[tuple[str, str, int | None]]:
    yield from item.ui
    # Lines promoted to UI by repetition keep their place in the article's units; the
    # first pass kept only their text, so their role is generic.
    yield from ((label, "ui string", None) for label in item.labels if label in ui_strings)


# --- pass 2: write ---


@dataclass(frozen=True)
class Writer:
    """Pass 2: everything needed to write an article's outputs, given what pass 1 kept."""

    options: RunOptions
    ui_strings: frozenset[str]
    translated: Translations
    routes: Routes
    catalogs: dict[str, RenderMap]
    glossary: Glossary

    def write(self, item: Collected) -> report.ArticleEntry:
        entry = report.ArticleEntry.from_collected(item)
        if item.error or item.detection is None:
            return entry
        options = self.options
        try:
            document = read_document(options.input_dir, item.path, options.read_options)
            document = apply_ui_strings(document, self.ui_strings)
        except InputError as error:
            entry.error = f"changed or vanished during the run: {error.message}"
            return entry
        for target in options.targets:
            try:
                entry.targets[target] = self._write_target(
                    document, item.detection.language, target
                )
            except InputError as error:
                entry.targets[target] = report.TargetEntry(status="failed", error=error.message)
            except OSError as error:
                message = f"cannot write: {error.strerror or error}"
                entry.targets[target] = report.TargetEntry(status="failed", error=message)
        return entry

    def _write_target(self, document: Document, source: str, target: str) -> report.TargetEntry:
        options = self.options
        root = options.output_dir
        out = _inside(root, root / target / document.path)
        if source == target:
            atomic_write(out, (options.input_dir / document.path).read_bytes())
            return report.TargetEntry(status="copied", output=_rel(options, out))
        route = self.routes.get((source, target))
        if not isinstance(route, Route):
            reason = route or no_engine_message(source, target, {})
            return report.TargetEntry(status="unsupported", error=reason)
        segments = self.translated[(source, target)]
        rendering = assemble(document, source, segments, self.catalogs[target])
        atomic_write(out, render_document(document, rendering.translations, target))
        page = _inside(root, root / "bilingual" / target / f"{document.path}.html")
        page_html = bilingual.render_page(document, rendering, source, target, self.glossary)
        atomic_write(page, page_html)
        return report.TargetEntry(
            status="partial" if rendering.failed else "translated",
            output=_rel(options, out),
            bilingual=_rel(options, page),
            engine=route.engine,
            model=route.version,
            route=list(route.path),
            segments=rendering.segments,
            ui_strings=rendering.ui_strings,
            unreviewed_ui=rendering.unreviewed_ui,
            failed_segments=rendering.failed,
            terms=rendering.terms,
        )


# The writer of the current run, inherited by forked worker processes: what it holds
# (every translation of the run) is too large to send to each worker task.
_WRITER: Writer | None = None


def _write_in_worker(item: Collected) -> report.ArticleEntry:
    assert _WRITER is not None
    return _WRITER.write(item)


def _write_all(
    options: RunOptions, writer: Writer, collected: list[Collected], tick: Progress
) -> list[report.ArticleEntry]:
    """Write every article that is not up to date, in `options.jobs` processes."""
    global _WRITER
    todo = [item for item in collected if not item.remembered]
    if options.jobs > 1 and len(todo) > 1:
        _WRITER = writer
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(options.jobs, mp_context=fork) as pool:
            entries = _in_order(collected, pool.map(_write_in_worker, todo, chunksize=8), tick)
        _WRITER = None
        return entries
    return _in_order(collected, map(writer.write, todo), tick)


def _in_order(
    collected: list[Collected], written: Iterator[report.ArticleEntry], tick: Progress
) -> list[report.ArticleEntry]:
    """Report entries in article order: remembered ones as they were, the rest as written."""
    entries = []
    for done, item in enumerate(collected, 1):
        if item.remembered:
            entries.append(report.ArticleEntry.from_dict(item.remembered))
        else:
            entries.append(next(written))
        tick("write", done, len(collected))
    return entries


def _inside(root: Path, path: Path) -> Path:
    """`path`, unless a link inside OUT would take it elsewhere: then refuse to write."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise InputError(path.relative_to(root), "output path leads outside the output folder")
    return path


def remove_stale_temporaries(root: Path) -> None:
    """Delete the temporary files an interrupted run left (see fsutil.atomic_write)."""
    for stale in root.rglob(f".*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _rel(options: RunOptions, path: Path) -> str:
    return path.relative_to(options.output_dir).as_posix()


# --- plumbing ---


def _open_state(options: RunOptions) -> RunState:
    # --no-cache means "do everything afresh": no skipping of up-to-date articles either.
    return RunState(options.output_dir / STATE_DIR / "state.sqlite" if options.use_cache else None)


def _open_cache(options: RunOptions) -> TranslationCache:
    if not options.use_cache:
        return TranslationCache(None)
    return TranslationCache(options.cache_path or options.output_dir / STATE_DIR / "cache.sqlite")


def _map(
    options: RunOptions,
    function: Callable[[tuple[RunOptions, Path, frozenset[str]]], Collected],
    items: list[tuple[RunOptions, Path, frozenset[str]]],
    tick: Progress,
) -> Iterator[Collected]:
    """`function` over `items` in order, in `options.jobs` processes when there are several."""
    executor: Executor | None = None
    if options.jobs > 1 and len(items) > 1:
        executor = ProcessPoolExecutor(options.jobs)
        results: Iterator[Collected] = executor.map(function, items, chunksize=8)
    else:
        results = map(function, items)
    try:
        for done, result in enumerate(results, 1):
            tick("read", done, len(items))
            yield result
    finally:
        if executor is not None:
            executor.shutdown()


__all__ = ["RunOptions", "RunResult", "TermCounts", "collect_files", "run"]
