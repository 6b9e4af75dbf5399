"""The batch run: collect, translate once, write.

A run makes two passes over the input so that it never holds every article in
memory. The first pass reads each article, detects its language, splits it into
segments and keeps those segments' texts, and the parsed documents up to a budget
(collect.KEPT_DOCUMENT_BYTES). Then every distinct segment of the run goes, per
language pair, to its engine (the cache first): a streaming engine gets them in
article order while the second pass writes each article's translation, bilingual
page and report entry as soon as its segments are back, parsing again the
articles beyond the budget; a batching engine translates them all first.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from translator import __version__, catalog, report
from translator.cache import TranslationCache
from translator.collect import (
    Collected,
    catalog_digest,
    collect_all,
    collect_files,
    detection_candidates,
    new_signatures,
    refresh_stale,
)
from translator.detect import source_code
from translator.engines import EngineError
from translator.engines.registry import Engines, no_engine_message
from translator.fsutil import atomic_write, output_signature, write_if_changed
from translator.glossary import Glossary, load_glossaries
from translator.options import STATE_DIR, Progress, RunOptions
from translator.state import RunState, code_digest, digest
from translator.translate import EngineStats, RunTranslator
from translator.ui_strings import (
    markup_problems,
    run_ui_strings,
    term_problems,
    ui_work,
    update_catalogs,
)
from translator.write import Writer, in_order, remove_stale_temporaries, text_work, write_all


@dataclass
class RunResult:
    """The run's report (as written to report.json), and whether anything failed."""

    report: dict[str, Any]
    failed: bool
    # `path: problem` lines beyond the report's articles: catalogs --mo could not compile.
    problems: list[str]


def run(options: RunOptions, progress: Progress | None = None) -> RunResult:
    """Translate every article under `options.input_dir`; see the module docstring."""
    if problem := options.folders_problem():
        raise ValueError(problem)
    started = time.monotonic()
    tick = progress or (lambda stage, done, total: None)
    # Broken glossaries and catalogs stop the run here, before any translation.
    glossary = load_glossaries(list(options.glossaries))
    previous = catalog.read_catalogs(options.locale_dir, options.domain)
    compendia = catalog.read_compendia(options.compendia, options.targets)
    options.output_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(options.output_dir)
    locale = options.locale_dir
    if not locale.resolve().is_relative_to(options.output_dir.resolve()):
        # A site's tree (--catalog): only where catalogs are written, not all of it.
        for folder in (locale, *locale.glob("*/LC_MESSAGES")):
            remove_stale_temporaries(folder, recursive=False)
    files, skipped = collect_files(options.input_dir)

    with (
        _open_state(options) as state,
        Engines(options.engine, replace(options.engine_options, jobs=options.jobs)) as engines,
        _open_cache(options) as cache,
    ):
        _require_targets(options.targets, engines)
        stats = EngineStats()
        translator = RunTranslator(engines, cache, glossary, stats)
        fingerprint = _fingerprint(options, engines, glossary, compendia)
        # --no-cache means "do everything afresh": no skipping of up-to-date articles.
        remembered = state.recall_all(fingerprint) if options.use_cache else {}
        # Outputs stay: an OUT may be an archive that each day's input adds to.
        last_written = state.last_outputs()
        present = {f.as_posix() for f in files}
        vanished = {path: sorted(o) for path, o in last_written.items() if path not in present}
        stale = _stale_outputs(options, vanished)
        state.prune(present)
        candidates = detection_candidates(engines)
        if len(remembered) < len(files):  # articles to translate, surely
            _prepare_engines(options, translator, candidates)
        collected = collect_all(options, files, candidates, remembered, last_written, tick)
        _keep_ui_of_unreadable(collected, state)
        ui_strings = run_ui_strings(options, collected, previous)
        collected = refresh_stale(options, collected, ui_strings, candidates, state, tick)
        state.update_collected(new_signatures(collected))  # spares the next rerun reading them
        timings = {"read": time.monotonic() - started}

        # UI strings first: the catalogs they go into decide how articles show them.
        # The articles' sentences go to the engines while the catalogs are merged.
        ui_translated = translator.translate(ui_work(collected, ui_strings, options.targets))
        todo = [item for item in collected if not item.remembered]
        with translator.start(text_work(todo, options.targets)) as arrivals:
            catalogs = update_catalogs(
                options,
                collected,
                ui_strings,
                ui_translated,
                translator.routes,
                previous,
                compendia,
            )
            markup = markup_problems(options, catalogs)
            lost_terms = term_problems(options, collected, ui_strings, catalogs, glossary)
            # From here on, an article is done once written (a run cut short keeps it),
            # with the catalogs it was written with; until then, the outputs it last had
            # stay known, so that an editor's change to one is still found.
            state.not_done([(item.path.as_posix(), item.to_state()) for item in todo])
            kept = [(i.path.as_posix(), i.to_state()) for i in todo if i.unreadable and i.ui]
            state.keep_unreadable(kept)
            _remember_catalogs(options, state, ui_strings)
            writer = Writer(options, ui_strings, catalogs, glossary)
            lines: dict[Path, str] = {}  # each written article's line of report.json
            written = write_all(
                options,
                writer,
                todo,
                arrivals,
                dict(translator.routes),
                lambda items, entries: _remember(
                    options, state, fingerprint, items, entries, lines, last_written
                ),
                tick,
            )
        entries = in_order(collected, iter(written))
        stats.failures = translator.failures()
    timings["total"] = time.monotonic() - started
    timings["translate and write"] = timings["total"] - timings["read"]

    problems: list[str] = []
    if options.compile_mo:
        # Each catalog was read at the start: one unreadable now changed during the run.
        compiled = catalog.compile_catalogs(options.locale_dir, options.domain)
        problems = [f"{error} (no .mo compiled from it)" for error in compiled.errors]
    unserved = {
        f"{source}->{target}": why
        for (source, target), why in translator.routes.items()
        if isinstance(why, str)
    }
    run_report = report.build_report(
        options,
        entries,
        skipped,
        timings,
        stats,
        __version__,
        ui_strings,
        stale=stale,
        unserved=unserved,
        catalog_markup=markup,
        catalog_terms=lost_terms,
    )
    # Made again by every run: renamed into place, not synced (see atomic_write).
    known = [
        item.remembered.entry_line if item.remembered else lines[item.path] for item in collected
    ]
    report_json = report.to_json(run_report, known)
    atomic_write(options.output_dir / "report.json", report_json, durable=False)
    index_html = report.render_index(run_report)
    write_if_changed(options.output_dir / "index.html", index_html, durable=False)
    failed = report.has_failures(run_report) or bool(problems)
    return RunResult(run_report, failed, problems)


# --- the run state ---


def _remember(
    options: RunOptions,
    state: RunState,
    fingerprint: str,
    written: list[Collected],
    entries: list[dict[str, Any]],
    lines: dict[Path, str],
    last_written: dict[str, dict[str, list[int]]],
) -> None:
    """Record the articles written in full (a rerun retries the others), and put each
    article's line of report.json in `lines`: made once, for the state and the report.
    Whatever was written of an article, done or not, is recorded as written, beside
    the outputs it did not write (into other targets, or an older run's): a change by
    hand to any of them is found. (One a run cut short wrote unrecorded holds what the
    next run writes: see Writer._put.)"""
    done = []
    partly: dict[str, dict[str, list[int]]] = {}  # failed, having written some outputs
    failed: list[tuple[str, dict[str, Any]]] = []
    for item, entry in zip(written, entries, strict=True):
        path = item.path.as_posix()
        line = lines[item.path] = report.entry_line(entry)
        new = _outputs_of(options, entry)
        outputs = {**last_written.get(path, {}), **new}  # the others as they were
        if not entry["failed"] and entry["status"] == "ok":
            if entry["edited_outputs"]:  # told by this run; a rerun recalling it, not again
                line = report.entry_line({**entry, "edited_outputs": []})
            done.append((path, item.digest, item.to_state(), line, outputs))
        elif new:
            partly[path] = outputs
            failed.append((path, item.to_state()))
    state.remember(done, fingerprint)
    state.not_done(failed, partly)


def _outputs_of(options: RunOptions, entry: dict[str, Any]) -> dict[str, list[int]]:
    """The article's output files as just written (see fsutil.output_signature)."""
    root = str(options.output_dir)
    return {
        path: output_signature(os.path.join(root, path))
        for target in entry["targets"].values()
        for path in (target["output"], target["bilingual"])
        if path
    }


def _stale_outputs(options: RunOptions, vanished: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The articles earlier runs wrote that are no longer in the input, with the outputs
    of theirs still in OUT: for the user to remove, or keep."""
    stale = []
    for path, outputs in vanished.items():
        still = [output for output in outputs if (options.output_dir / output).is_file()]
        if still:
            stale.append({"path": path, "outputs": still})
    return stale


def _keep_ui_of_unreadable(collected: list[Collected], state: RunState) -> None:
    """An article that cannot be read keeps the UI strings a run last found in it, for
    as long as it cannot (see Collected.keep_ui_of and RunState.keep_unreadable)."""
    unreadable = {item.path.as_posix(): item for item in collected if item.unreadable}
    for path, last in state.last_collected(list(unreadable)).items():
        unreadable[path].keep_ui_of(last)


def _remember_catalogs(options: RunOptions, state: RunState, ui_strings: frozenset[str]) -> None:
    """Record the UI strings and the catalogs as they are now (see refresh_stale)."""
    state.set_setting("ui strings", digest(sorted(ui_strings)))
    for target in options.targets:
        state.set_setting(f"catalog {target}", catalog_digest(options, target))


def _compendium_rows(translations: dict[catalog.Key, str]) -> list[tuple[str, str, str]]:
    """A compendium's translations in order (a msgctxt may be None, or text)."""
    return sorted((repr(key.msgctxt), key.msgid, text) for key, text in translations.items())


def _fingerprint(
    options: RunOptions,
    engines: Engines,
    glossary: Glossary,
    compendia: dict[str, dict[catalog.Key, str]],
) -> str:
    """Everything besides an article's own bytes that shapes its outputs: the
    compendia's translations too (a catalog takes them as it is written, after the
    articles a rerun leaves alone were told apart)."""
    versions = sorted(
        (name, source, target, engine.version(source, target), engine.decoding_settings())
        for name, pairs in engines.available_pairs().items()
        for engine in [engines.get(name)]
        for source, target in pairs
        if target in options.targets
    )
    return digest(
        __version__,
        code_digest(),
        sorted(options.targets),  # --to es,fr is --to fr,es
        options.source_language,
        options.engine,
        versions,
        glossary.checksum,
        [_compendium_rows(compendia.get(target, {})) for target in sorted(options.targets)],
        options.read_options.json_fields,
        sorted(options.read_options.ui_strings),
        options.domain,
        str(options.locale_dir.resolve()),
    )


# --- translate ---


def _prepare_engines(
    options: RunOptions, translator: RunTranslator, candidates: frozenset[str]
) -> None:
    """With the source language given, the engines load their models while we read:
    those of the language as the articles will be taken to be in (--from en-GB: en)."""
    if options.source_language is None:
        return
    source = source_code(options.source_language, candidates)
    for target in options.targets:
        if target != source:
            translator.prepare((source, target))


def _require_targets(targets: tuple[str, ...], engines: Engines) -> None:
    """Stop before any work when no installed engine translates into a target at all."""
    available = engines.available_pairs()
    served = {target for pairs in available.values() for _, target in pairs}
    for target in targets:
        if target not in served:
            raise EngineError(no_engine_message("*", target, available))


# --- plumbing ---


def _open_state(options: RunOptions) -> RunState:
    # Also with --no-cache, which skips no article (see `run`): the state still says
    # what was written, for the next run to find an editor's changes by.
    return RunState(options.output_dir / STATE_DIR / "state.sqlite")


def _open_cache(options: RunOptions) -> TranslationCache:
    if not options.use_cache:
        return TranslationCache(None)  # in memory
    return TranslationCache(options.cache_path or options.output_dir / STATE_DIR / "cache.sqlite")


__all__ = ["RunOptions", "RunResult", "run"]
