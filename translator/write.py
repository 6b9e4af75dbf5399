"""Pass 2 of a run: write each article's translation and bilingual page.

Every file goes through `atomic_write`, so an interrupted run leaves each output
either as it was or complete.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from translator import bilingual, report
from translator.assemble import RenderMap, assemble
from translator.collect import Collected
from translator.documents import read_document, render_document
from translator.engines.registry import no_engine_message
from translator.fsutil import TEMP_SUFFIX, atomic_write
from translator.glossary import Glossary
from translator.model import Document, InputError
from translator.options import Progress, RunOptions
from translator.segment import apply_ui_strings
from translator.translate import Route, Routes, Translations


@dataclass(frozen=True)
class Writer:
    """Pass 2: everything needed to write an article's outputs, given what pass 1 kept."""

    options: RunOptions
    ui_strings: frozenset[str]
    translated: Translations
    routes: Routes
    catalogs: dict[str, RenderMap]
    glossary: Glossary
    # Output folders already resolved: articles share a handful of them.
    _folders: dict[Path, Path] = field(default_factory=dict, compare=False, repr=False)

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

    def _inside(self, path: Path) -> Path:
        """`path`, unless a link inside OUT would take it elsewhere: then refuse to write."""
        root = self.options.output_dir
        if path.is_symlink() or not self._resolved(path.parent).is_relative_to(
            self._resolved(root)
        ):
            raise InputError(path.relative_to(root), "output path leads outside the output folder")
        return path

    def _resolved(self, folder: Path) -> Path:
        if folder not in self._folders:
            self._folders[folder] = folder.resolve()
        return self._folders[folder]

    def _write_target(self, document: Document, source: str, target: str) -> report.TargetEntry:
        options = self.options
        root = options.output_dir
        out = self._inside(root / target / document.path)
        if source == target:
            atomic_write(out, (options.input_dir / document.path).read_bytes(), durable=False)
            return report.TargetEntry(status="copied", output=_rel(options, out))
        route = self.routes.get((source, target))
        if not isinstance(route, Route):
            reason = route or no_engine_message(source, target, {})
            return report.TargetEntry(status="unsupported", error=reason)
        segments = self.translated[(source, target)]
        rendering = assemble(document, source, segments, self.catalogs[target])
        # Outputs a rerun can make again: renamed into place, not synced (see atomic_write).
        atomic_write(out, render_document(document, rendering.translations, target), durable=False)
        page = self._inside(root / "bilingual" / target / f"{document.path}.html")
        page_html = bilingual.render_page(document, rendering, source, target, self.glossary)
        atomic_write(page, page_html, durable=False)
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


def write_all(
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


def remove_stale_temporaries(root: Path) -> None:
    """Delete the temporary files an interrupted run left (see fsutil.atomic_write)."""
    for stale in root.rglob(f".*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _rel(options: RunOptions, path: Path) -> str:
    return path.relative_to(options.output_dir).as_posix()
