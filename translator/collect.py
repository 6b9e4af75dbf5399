"""Pass 1 of a run: find the articles, read them, detect, segment; keep the segments.

Articles whose outputs are up to date (see translator.state) are recalled instead
of read, unless their UI strings may now render differently. Whether an article's
bytes are as they were is told by their SHA-256; as git does, a file whose size,
times and inode are as the last run saw them is taken to be unchanged without
reading it again (see `signature`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translator import catalog
from translator.detect import DEFAULT_CANDIDATES, UNDETERMINED, Detection, detect_document
from translator.documents import (
    EmptyInput,
    decode,
    format_name_for,
    parse_document,
    read_source,
)
from translator.engines.registry import Engines
from translator.fsutil import as_written
from translator.model import Document, InputError, Kind
from translator.options import Progress, RunOptions
from translator.segment import is_label_like, split_sentences, ui_key
from translator.state import Remembered, RunState, digest

if TYPE_CHECKING:
    from concurrent.futures import Executor


@dataclass
class Collected:
    """What the first pass keeps of one article: its segments, and its document for
    the writer while the run's budget allows (see `keep_documents`)."""

    path: Path
    format: str = ""
    digest: str = ""
    signature: list[int] | None = None  # of the file as read (see `signature`)
    detection: Detection | None = None
    sentences: list[str] = field(default_factory=list)
    ui: list[tuple[str, str, int | None]] = field(default_factory=list)  # text, role, line
    labels: list[tuple[str, int | None]] = field(default_factory=list)  # label-like text, line
    error: InputError | None = None
    problems: list[str] = field(default_factory=list)  # e.g. bad JSONL lines; rest translated
    remembered: Remembered | None = None  # what the last run left of an up-to-date article
    # Outputs (relative to OUT) changed by hand since the last run wrote them: written again.
    edited_outputs: list[str] = field(default_factory=list)
    size: int = 0  # bytes of the file as read
    # As parsed, so the writer need not parse it again; never stored, never sent to a
    # worker process, let go of once the article is written.
    document: Document | None = field(default=None, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        """An empty file, or one with no text: skipped, not failed."""
        return isinstance(self.error, EmptyInput)

    def pairs(self, targets: tuple[str, ...]) -> list[tuple[str, str]]:
        """The (source, target) pairs the article is translated in: none when its
        language is unknown, and none into its own language."""
        if self.detection is None or self.detection.language == UNDETERMINED:
            return []
        source = self.detection.language
        return [(source, target) for target in targets if target != source]

    def has_ui(self, ui_strings: frozenset[str]) -> bool:
        return bool(self.ui) or bool(self.listed_labels(ui_strings))

    def listed_labels(self, ui_strings: frozenset[str]) -> list[tuple[str, int | None]]:
        """The article's label-like lines that are the run's UI strings (as `ui_key`
        gives them: see ui_strings.run_ui_strings)."""
        return [(label, line) for label, line in self.labels if ui_key(label) in ui_strings]

    def to_state(self) -> dict[str, Any]:
        """What a later run needs to skip this article: everything but its sentences."""
        detection = self.detection
        return {
            "format": self.format,
            "signature": self.signature,
            "detection": [detection.language, detection.confidence, detection.method]
            if detection
            else None,
            "ui": self.ui,
            "labels": self.labels,
            "problems": self.problems,
        }

    @property
    def unreadable(self) -> bool:
        """It could not be read (or its language told) this time: nothing was collected."""
        return self.error is not None and not self.empty

    def keep_ui_of(self, last: dict[str, Any]) -> None:
        """An article that cannot be read now keeps the UI strings a run last found in it
        (`to_state` as stored): one bad save must not send a translator's reviewed
        strings to obsolete."""
        self.ui = _ui_rows(last)
        self.labels = _label_rows(last)

    @classmethod
    def from_state(cls, path: Path, content_digest: str, remembered: Remembered) -> Collected:
        data = remembered.collected
        detection = Detection(*data["detection"]) if data["detection"] else None
        return cls(
            path,
            data["format"],
            content_digest,
            data["signature"],
            detection,
            ui=_ui_rows(data),
            labels=_label_rows(data),
            problems=data["problems"],
            remembered=remembered,
        )


def _label_rows(state: dict[str, Any]) -> list[tuple[str, int | None]]:
    """The labels of a `to_state` as stored (JSON lists), as tuples again."""
    return [(text, line) for text, line in state["labels"]]


def _ui_rows(state: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    """The UI strings of a `to_state` as stored (JSON lists), as tuples again."""
    return [(text, role, line) for text, role, line in state["ui"]]


def collect_files(root: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """Every article file under `root`, sorted, relative; and what was skipped and why.

    Folders are visited as `os.walk` does: files first, then each subfolder, by name;
    hidden files and folders (.git, .github) are left out, and links to folders are
    not followed (listed as skipped). Nor are links to files leading out of `root`:
    one could make the run read (or, with --catalog, write) somewhere the user never
    pointed it at.
    """
    files: list[Path] = []
    skipped: list[dict[str, str]] = []
    resolved_root = root.resolve()

    def visit(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            if prefix:  # the input folder itself was checked by the command line
                reason = f"folder not read: {error.strerror or error}"
                skipped.append({"path": prefix.rstrip("/"), "reason": reason})
            return
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if problem := _name_problem(entry.name):
                shown = prefix + entry.name
                printable = shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                skipped.append({"path": printable, "reason": problem})
                continue
            if _is_folder(entry):
                if entry.is_symlink():
                    reason = "symbolic link to a folder: not followed"
                    skipped.append({"path": prefix + entry.name, "reason": reason})
                else:
                    subfolders.append(entry)
                continue
            relative = prefix + entry.name
            if entry.is_symlink() and not _leads_inside(entry.path, resolved_root):
                skipped.append({"path": relative, "reason": "symbolic link leading outside"})
            elif format_name_for(entry.name) is None:
                skipped.append({"path": relative, "reason": "not an article format"})
            elif problem := _not_a_file(entry):
                skipped.append({"path": relative, "reason": problem})
            else:
                files.append(Path(relative))
        for entry in subfolders:
            visit(entry.path, f"{prefix}{entry.name}/")

    visit(str(root), "")
    return files, skipped


def _name_problem(name: str) -> str | None:
    """Why a name cannot stand in the outputs, the report and the catalogs' references,
    if it cannot: bytes that are no UTF-8 (which no report can hold), or a control
    character (a line break would split a reference, and make the catalog invalid)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "name is not valid UTF-8: rename it"
    if _CONTROL_OR_BREAK.search(name):
        return "name holds a control character or a line break: rename it"
    return None


# Unicode's control characters (category Cc) and its line and paragraph separators.
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # a link to a folder too
    except OSError:
        return False


def _not_a_file(entry: os.DirEntry[str]) -> str | None:
    """Why an entry with an article's name is no file to read, if it is none: reading a
    named pipe would wait for a writer forever, and hold up the whole run."""
    try:
        if entry.is_file():  # a link to a file too
            return None
    except OSError:
        pass
    if entry.is_symlink() and not os.path.exists(entry.path):
        return "symbolic link to nothing (or a loop of links)"
    return "not a regular file (a pipe, socket or device): not read"


def _leads_inside(path: str, root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links: Python 3.11 raises RuntimeError
        return True  # leads nowhere: `_not_a_file` says so


def collect_all(
    options: RunOptions,
    files: list[Path],
    candidates: frozenset[str],
    remembered: dict[str, tuple[str, Remembered]],
    written: dict[str, dict[str, list[int]]],
    tick: Progress,
) -> list[Collected]:
    """Pass 1 over every file: recalled when up to date (see RunState.recall_all), else
    read. `written` holds the outputs earlier runs wrote (RunState.last_outputs), under
    any settings: one an editor changed since is kept before it is written again."""
    recalled: dict[Path, Collected] = {}
    edited: dict[Path, list[str]] = {}
    root = str(options.input_dir)
    for relative in files if written else ():
        outputs = written.get(relative.as_posix())
        if outputs is None:
            continue
        gone, edited[relative] = _outputs_changed(options, outputs)
        known = remembered.get(relative.as_posix())
        if known is None:
            continue
        content_digest, last = known
        # Up to date only with what the last run wrote as it was; an output of an older
        # run (a bilingual page before the article became a copy) decides nothing.
        ours = {t[key] for t in last.entry["targets"].values() for key in ("output", "bilingual")}
        if ours.intersection(gone) or ours.intersection(edited[relative]):
            continue
        try:
            path = os.path.join(root, relative)
            # Taken before any read, as in _collect: a change after it shows in the next run's.
            now = signature(path)
            if not _unchanged(path, content_digest, now, last.collected["signature"]):
                continue
        except OSError:
            continue  # _collect reports it
        if set(last.entry["targets"]) == set(options.targets) and last.outputs:
            item = recalled[relative] = Collected.from_state(relative, content_digest, last)
            item.signature = now  # see new_signatures
    fresh = [(options, p, candidates) for p in files if p not in recalled]
    read = keep_documents(_map(options, _collect, fresh, tick), KEPT_DOCUMENT_BYTES)
    collected = [recalled[p] if p in recalled else next(read) for p in files]
    for item in collected:
        item.edited_outputs = edited.get(item.path, [])
    return collected


def _unchanged(
    path: str, content_digest: str, now: list[int] | None, last: list[int] | None
) -> bool:
    """Whether the file holds the bytes whose SHA-256 is `content_digest`: taken as read
    when its signature `now` is still `last`, the one taken when they were read."""
    if now is not None and now == last:
        return True
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest() == content_digest


def new_signatures(collected: list[Collected]) -> list[tuple[str, dict[str, Any]]]:
    """(path, to_state) of the recalled articles whose bytes were read to be recognised
    while they now have a signature: racily clean when last read (see `signature`), or
    touched since without being changed. Stored, it spares the next rerun that read."""
    return [
        (item.path.as_posix(), item.to_state())
        for item in collected
        if item.remembered
        and item.signature is not None
        and item.signature != item.remembered.collected["signature"]
    ]


def _outputs_changed(
    options: RunOptions, outputs: dict[str, list[int]]
) -> tuple[list[str], list[str]]:
    """An article's outputs not as a run wrote them (`outputs`: see Remembered.outputs),
    relative to OUT, in path order: (deleted, changed by hand since). Either is written
    again; the second is kept first, and an editor told of it."""
    root = str(options.output_dir)
    gone: list[str] = []
    edited: list[str] = []
    for path, written in sorted(outputs.items()):  # relative to OUT, with "/"
        if not _of_targets(path, options.targets):  # not this run's to write
            continue
        try:
            if not as_written(os.path.join(root, path), written):
                edited.append(path)
        except OSError:
            gone.append(path)
    return gone, edited


def _of_targets(output: str, targets: tuple[str, ...]) -> bool:
    """Whether an output (relative to OUT, with "/") is one of `targets`' articles or
    bilingual pages."""
    return output.split("/", 2)[0] in targets or (
        output.startswith("bilingual/") and output.split("/", 2)[1] in targets
    )


def refresh_stale(
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
        state.setting(f"catalog {target}") != catalog_digest(options, target)
        for target in options.targets
    )
    stale = [
        index
        for index, item in enumerate(collected)
        if item.remembered and (ui_changed or (catalogs_changed and item.has_ui(ui_strings)))
    ]
    if not stale:
        return collected
    # Parsed again by the writer: the budget went to the articles read first.
    again = keep_documents(
        _map(options, _collect, [(options, collected[i].path, candidates) for i in stale], tick),
        budget=0,
    )
    refreshed = list(collected)
    for index, item in zip(stale, again, strict=True):
        refreshed[index] = item
    return refreshed


def catalog_digest(options: RunOptions, target: str) -> str:
    path = catalog.catalog_path(options.locale_dir, options.domain, target)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


# A file changed this recently may change again within its clock's tick without its
# times showing it (FAT's tick is 2 s): its bytes are checked on every rerun.
RACY_SECONDS = 3


def signature(path: str) -> list[int] | None:
    """What the file system says of a file: its size, modification and change times
    (ns) and inode; None when it changed in the last RACY_SECONDS ("racily clean" in
    git's words). Any write sets the change time to the present, and no tool can set
    it back, so a file edited since its signature was taken has another one."""
    stat = os.stat(path)
    if time.time_ns() - stat.st_ctime_ns < RACY_SECONDS * 1_000_000_000:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _collect(args: tuple[RunOptions, Path, frozenset[str]]) -> Collected:
    options, relative, candidates = args
    item = Collected(relative)
    try:  # one read: the bytes give the digest and the document
        # Taken before the read: a change made after it shows in the next run's.
        with contextlib.suppress(OSError):  # read_source names the problem
            item.signature = signature(os.path.join(options.input_dir, relative))
        data = read_source(options.input_dir, relative)
        document = parse_document(decode(data, relative), relative, options.read_options)
    except InputError as error:
        item.error = error
        return item
    item.format, item.digest = document.format, hashlib.sha256(data).hexdigest()
    item.size = len(data)
    item.problems = [str(problem) for problem in document.problems]
    item.detection = detect_document(document, candidates, options.source_language)
    if not document.units:  # markup or fields only: like an empty file, skipped
        item.error = EmptyInput(relative, "no text to translate")
        return item
    language = item.detection.language
    if language == UNDETERMINED:
        why = _UNDETERMINED_BECAUSE.get(item.detection.method, item.detection.method)
        item.error = InputError(relative, f"language not detected ({why}); pass --from LANG")
        return item
    for unit in document.units:
        if unit.kind is Kind.UI:
            item.ui.append((unit.text, unit.role, unit.line))
            continue
        if is_label_like(unit.text):
            item.labels.append((unit.text, unit.line))
        item.sentences.extend(s.text for s in split_sentences(unit.text, language))
    if options.jobs == 1:  # a worker process would send it back pickled: dearer than parsing
        item.document = document
    return item


# The first pass keeps the documents it parsed for the writer until their files add up
# to this many bytes; the writer reads and parses the rest again. Memory stays bounded
# however many articles a run has (a parsed page takes 10 to 50 times its file's
# bytes), and a run of a thousand short articles is parsed once.
KEPT_DOCUMENT_BYTES = 2**20


def keep_documents(items: Iterable[Collected], budget: int) -> Iterator[Collected]:
    """`items`, each keeping its document while their sizes add up to at most `budget`."""
    for item in items:
        if item.document is not None:
            if item.size > budget:
                item.document = None
            else:
                budget -= item.size
        yield item


# Why detect_language said "und", for people.
_UNDETERMINED_BECAUSE = {"too short": "too little text to tell", "no features": "no words it knows"}


def detection_candidates(engines: Engines) -> frozenset[str]:
    served = {source for pairs in engines.available_pairs().values() for source, _ in pairs}
    return frozenset(DEFAULT_CANDIDATES) | frozenset(served)


def _map(
    options: RunOptions,
    function: Callable[[tuple[RunOptions, Path, frozenset[str]]], Collected],
    items: list[tuple[RunOptions, Path, frozenset[str]]],
    tick: Progress,
) -> Iterator[Collected]:
    """`function` over `items` in order, in `options.jobs` processes when there are several
    (see translator.workers: the engines may be running already)."""
    executor: Executor | None = None
    if options.jobs > 1 and len(items) > 1:
        from translator.workers import worker_pool  # only with --jobs > 1

        executor = worker_pool(options.jobs)
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
