"""Pass 2 of a run: write each article's translation and bilingual page.

Every file goes through `atomic_write`, so an interrupted run leaves each output either
as it was or complete; one that would get the bytes it holds is left alone
(`write_if_changed`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator import bilingual, report
from translator.assemble import RenderMap, assemble
from translator.collect import Collected
from translator.documents import decode, parse_document, read_source, render_document
from translator.fsutil import TEMP_SUFFIX, atomic_write, write_if_changed
from translator.glossary import Glossary
from translator.model import Document, InputError
from translator.options import EDITED_DIR, STATE_DIR, Progress, RunOptions
from translator.segment import apply_ui_strings
from translator.translate import Arrivals, Pair, Route, Routes, Translations


@dataclass(frozen=True)
class Writer:
    """Pass 2: everything needed to write an article's outputs, given what pass 1 kept."""

    options: RunOptions
    ui_strings: frozenset[str]
    catalogs: dict[str, RenderMap]
    glossary: Glossary
    # Output folders found to be inside OUT: articles share a handful of them.
    _inside: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def write_task(self, task: Task) -> list[report.ArticleEntry]:
        return [self.write(item, task.translated, task.routes) for item in task.items]

    def write(
        self, item: Collected, translated: Translations, routes: Routes
    ) -> report.ArticleEntry:
        """Write the article's outputs and say how it went. An unexpected error (a bug of
        ours, in a format's reader or writer) fails this article, or this target of it,
        alone: the entry names it, the other articles are written, the run fails."""
        entry = report.ArticleEntry.from_collected(item)
        entry.edited_outputs = []  # those whose copies are kept, as they are (see `_put`)
        kept, item.document = item.document, None  # let go of it, whatever comes of it
        if item.error or item.detection is None:
            return entry
        options = self.options
        try:
            data = read_source(options.input_dir, item.path)
            if hashlib.sha256(data).hexdigest() != item.digest:
                # Its sentences translated are the ones read before: none of the new ones.
                entry.status = "failed"
                entry.error = "changed during the run; a rerun translates it as it is now"
                return entry
            document = kept or parse_document(
                decode(data, item.path), item.path, options.read_options
            )
            document = apply_ui_strings(document, self.ui_strings)
        except InputError as error:
            entry.status = "failed"
            entry.error = f"changed or vanished during the run: {error.message}"
            return entry
        except Exception as error:  # a bug: reported with the article
            entry.status, entry.error = "failed", internal_error(error)
            return entry
        puts = _Puts(frozenset(item.edited_outputs))
        for target in options.targets:
            try:
                entry.targets[target] = self._write_target(
                    document, data, item.detection.language, target, translated, routes, puts
                )
            except InputError as error:
                entry.targets[target] = report.TargetEntry(status="failed", error=error.message)
            except OSError as error:
                message = cannot_write(error, options.output_dir)
                entry.targets[target] = report.TargetEntry(status="failed", error=message)
            except Exception as error:  # a bug: reported with the article
                entry.targets[target] = report.TargetEntry(
                    status="failed", error=internal_error(error)
                )
        entry.edited_outputs = sorted(puts.kept)
        return entry

    def _put(self, relative: str, data: str | bytes, puts: _Puts) -> None:
        """Write OUT/`relative` (see `write_if_changed`). One changed by hand since a run
        wrote it is kept first (see `_keep_edited`), unless it holds the bytes this run
        writes: ours, then, from a run cut short before it could record them."""
        path = self._output(relative)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if relative in puts.edited and self._keep_edited(relative, path, payload):
            puts.kept.append(relative)
        write_if_changed(path, payload, durable=False)

    def _output(self, relative: str) -> str:
        """OUT/`relative`, unless a link inside OUT would take it elsewhere: then refuse.

        A string, not a Path: two per article, and pathlib's parsing shows in a profile.
        """
        path = os.path.join(self.options.output_dir, relative)
        if os.path.islink(path) or not self._is_inside(os.path.dirname(path)):
            raise InputError(Path(relative), "output path leads outside the output folder")
        return path

    def _keep_edited(self, output: str, path: str, new: bytes) -> bool:
        """Copy OUT/`output` (at `path`), changed by hand since a run wrote it, to
        OUT/EDITED_DIR/`output`, synced: it cannot be made again; whether there was an
        edit to keep (none when it is gone, or holds `new`). The copy goes nowhere but
        into the run's state folder (itself a link, at times, to a roomier disk). When
        it cannot be kept, InputError: the output is not written."""
        try:
            with open(path, "rb") as edited:
                data = edited.read()
        except FileNotFoundError:
            return False
        if data == new:
            return False
        copy = os.path.join(self.options.output_dir, EDITED_DIR, output)
        state = (self.options.output_dir / STATE_DIR).resolve()
        if os.path.islink(copy) or not Path(copy).parent.resolve().is_relative_to(state):
            why = f"{EDITED_DIR}/{output} leads outside the run's state folder"
        else:
            try:
                _set_aside(copy, data)
                atomic_write(copy, data)
                return True
            except OSError as error:
                why = error.strerror or str(error)
        problem = f"{output}: edited by hand, and its copy cannot be kept in {EDITED_DIR}/"
        raise InputError(Path(output), f"{problem} ({why}): not written again")

    def _is_inside(self, folder: str) -> bool:
        if folder not in self._inside:
            root = self.options.output_dir.resolve()
            self._inside[folder] = Path(folder).resolve().is_relative_to(root)
        return self._inside[folder]

    def _write_target(
        self,
        document: Document,
        data: bytes,  # the article's, as checked against its digest
        source: str,
        target: str,
        translated: Translations,
        routes: Routes,
        puts: _Puts,
    ) -> report.TargetEntry:
        output = f"{target}/{document.path.as_posix()}"  # both relative to OUT, as reported
        bilingual_page = f"bilingual/{output}.html"
        self._output(output)  # refused before any work when it leads out
        if source == target:
            self._put(output, data, puts)
            return report.TargetEntry(status="copied", output=output)
        route = routes.get((source, target))
        if not isinstance(route, Route):
            # Said in full once for the run (report "unserved"), not for every article.
            reason = f"no installed engine translates {source}->{target}"
            return report.TargetEntry(status="unsupported", error=reason)
        segments = translated[(source, target)]
        rendering = assemble(document, source, segments, self.catalogs[target])
        # Outputs a rerun can make again: renamed into place, not synced (see atomic_write).
        rendered = render_document(document, rendering.translations, target)
        self._put(output, rendered, puts)
        page_html = bilingual.render_page(document, rendering, source, target, self.glossary)
        self._put(bilingual_page, page_html, puts)
        return report.TargetEntry(
            status="partial" if rendering.failed else "translated",
            output=output,
            bilingual=bilingual_page,
            engine=route.engine,
            model=route.version,
            route=list(route.path),
            segments=rendering.segments,
            ui_strings=rendering.ui_strings,
            unreviewed_ui=rendering.unreviewed_ui,
            failed_segments=rendering.failed,
            markup_lost=rendering.markup_lost,
            markup_lost_lines=rendering.markup_lost_lines,
            terms=rendering.terms,
        )


@dataclass
class _Puts:
    """An article's outputs an editor changed (relative to OUT), and those of them kept."""

    edited: frozenset[str]
    kept: list[str] = field(default_factory=list)


def _set_aside(path: str, data: bytes) -> None:
    """An earlier copy at `path` holding other bytes moves to the first free `path.~N~`
    (as `cp --backup=numbered` names them): no edit kept once is ever written over."""
    try:
        with open(path, "rb") as earlier:
            if earlier.read() == data:
                return
    except FileNotFoundError:
        return
    number = 1
    while os.path.lexists(f"{path}.~{number}~"):
        number += 1
    os.replace(path, f"{path}.~{number}~")


def cannot_write(error: OSError, output_dir: Path) -> str:
    """Why an output could not be written, naming it as the report does (in OUT)."""
    if not error.filename:
        return f"cannot write: {error.strerror or error}"
    return f"cannot write {os.path.relpath(error.filename, output_dir)}: {error.strerror}"


def internal_error(error: Exception) -> str:
    """An article's problem when our code failed on it, naming the exception."""
    return f"internal error (a bug; please report it): {type(error).__name__}: {error}"


@dataclass(frozen=True)
class Task:
    """Articles to write, with the translations of their sentences."""

    items: list[Collected]
    translated: Translations
    routes: Routes


# Most articles written as one task: what --jobs splits over its workers at once.
TASK_ARTICLES = 100
# Articles the writer waits for before it writes: one at a time, it would wake, write
# and record its work in the run state once per article or so.
WAIT_ARTICLES = 16


def write_all(
    options: RunOptions,
    writer: Writer,
    todo: list[Collected],
    arrivals: Arrivals,
    routes: Routes,
    done: Callable[[list[Collected], list[dict[str, Any]]], None],
    tick: Progress,
) -> list[dict[str, Any]]:
    """Write each article of `todo` as soon as its sentences' translations are in, and
    tell `done` about each task of articles written; return their report entries (as
    `ArticleEntry.as_dict` gives them).

    A streaming engine turns them around in article order, so the writing trails
    the engine by WAIT_ARTICLES articles or so, and neither waits for the other.
    The articles ready at once (at most TASK_ARTICLES) go as one task, split over
    the workers with --jobs.
    """

    # What each article not written yet waits for: made once, since an article is
    # looked at several times, and dropped once it is written.
    waits: dict[int, list[tuple[Pair, str]]] = {}

    def wanted(index: int) -> list[tuple[Pair, str]]:
        if index not in waits:
            item = todo[index]
            pairs = [pair for pair in item.pairs(options.targets) if pair in arrivals.translations]
            waits[index] = [(pair, text) for pair in pairs for text in item.sentences]
        return waits[index]

    written: list[dict[str, Any]] = []
    with _workers(options, writer) as write:
        while len(written) < len(todo):
            start = len(written)
            for index in range(start, min(len(todo), start + WAIT_ARTICLES)):
                arrivals.wait(wanted(index))
            end = start + 1
            last = min(len(todo), start + TASK_ARTICLES)
            while end < last and arrivals.ready(wanted(end)):
                end += 1
            task = Task(todo[start:end], arrivals.translations, routes)
            entries = [entry.as_dict() for entry in write(task)]
            done(todo[start:end], entries)
            written += entries
            for index in range(start, end):
                del waits[index]
            tick("write", len(written), len(todo))
    return written


def text_work(items: Iterable[Collected], targets: tuple[str, ...]) -> dict[Pair, list[str]]:
    """The distinct sentences of `items` per language pair, in order of appearance."""
    work: dict[Pair, dict[str, None]] = {}
    for item in items:
        for pair in item.pairs(targets):
            work.setdefault(pair, {}).update(dict.fromkeys(item.sentences))
    return {pair: list(texts) for pair, texts in work.items()}


@contextmanager
def _workers(
    options: RunOptions, writer: Writer
) -> Iterator[Callable[[Task], list[report.ArticleEntry]]]:
    """Write tasks here, or split over `options.jobs` worker processes.

    Workers come from a fork server, not a fork of this process (see
    translator.workers): the engine's threads are running here.
    """
    if options.jobs <= 1:
        yield writer.write_task
        return
    from translator.workers import worker_pool  # worker processes only with --jobs > 1

    with worker_pool(options.jobs, initializer=_start_worker, initargs=(writer,)) as pool:

        def write(task: Task) -> list[report.ArticleEntry]:
            parts = [_part(task, task.items[i :: options.jobs]) for i in range(options.jobs)]
            done = list(pool.map(_write_in_worker, parts))
            # Back in the task's order: part i holds items i, i + jobs, i + 2 * jobs...
            return [done[i % options.jobs][i // options.jobs] for i in range(len(task.items))]

        yield write


def _part(task: Task, items: list[Collected]) -> Task:
    """A task for some of the items, carrying only their sentences' and UI strings'
    translations (a UI string no catalog entry shows falls back to its engine's).

    Looked up, not filtered: `task.translated` may still be growing (see Arrivals).
    """
    wanted = {sentence for item in items for sentence in item.sentences}
    wanted.update(text for item in items for text, _, _ in item.ui)
    translated = {
        pair: {text: segments[text] for text in wanted if text in segments}
        for pair, segments in task.translated.items()
    }
    return Task(items, translated, task.routes)


_WORKER: Writer | None = None  # a worker process's writer, set once by its initializer


def _start_worker(writer: Writer) -> None:
    global _WORKER
    _WORKER = writer


def _write_in_worker(task: Task) -> list[report.ArticleEntry]:
    assert _WORKER is not None
    return _WORKER.write_task(task)


def in_order(collected: list[Collected], written: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    """Report entries in article order: remembered ones as they were, the rest as written."""
    return [item.remembered.entry if item.remembered else next(written) for item in collected]


def remove_stale_temporaries(root: Path, recursive: bool = True) -> None:
    """Delete the temporary files an interrupted run left (see fsutil.atomic_write) in
    `root`, and in every folder below it unless not `recursive`."""
    for stale in (root.rglob if recursive else root.glob)(f".*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)
