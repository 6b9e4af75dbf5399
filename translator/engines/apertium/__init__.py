"""The Apertium engine: long-lived null-flush pipelines, deterministic, restarted on faults.

Built on facts checked against Apertium 3.8 on Debian, each told where it is used:
the stream format (`stream`), the pipeline of a mode (`pipeline`), and the
tagger's state (`tagger`), the one stage that made a sentence's translation
depend on what came before it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from translator.engines import Engine, EngineError
from translator.engines.apertium.modes import (
    DEFAULT_MODES_DIR,
    Mode,
    find_modes,
    installed_versions,
)
from translator.engines.apertium.stream import (
    STREAM_FORMAT,
    RecordMismatch,
    decode_record,
    encode_record,
    keep_edges,
    tidy_spaces,
)

if TYPE_CHECKING:  # the processes are imported when a run first translates (see _load)
    from translator.engines.apertium.pipeline import Pipeline, Stages

__all__ = ["ApertiumEngine"]

# How translator.engines.apertium.tagger keeps a record's tagging its own; revised when
# a fix changes what some records get (2: a tagger changed by a class learnt from
# another tagger in the same window was kept in use).
TAGGING = "tagged as alone, 2"


class ApertiumEngine(Engine):
    """Apertium through long-lived null-flush pipelines, `jobs` per language pair."""

    name = "apertium"
    streaming = True

    def __init__(
        self,
        jobs: int = 1,
        timeout: float = 60.0,
        modes_dir: Path = DEFAULT_MODES_DIR,
    ) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        super().__init__()
        self.jobs = jobs
        self.timeout = timeout
        self.modes_dir = modes_dir
        self._modes = find_modes(modes_dir) if modes_dir.is_dir() else {}
        self._stages: dict[tuple[str, str], Stages] = {}
        self._pipes: dict[tuple[str, str], list[Pipeline | None]] = {}
        self._versions: dict[str, str] = {}  # mode path -> version
        self._seq = itertools.count()
        self._lock = threading.Lock()

    def pairs(self) -> set[tuple[str, str]]:
        return set(self._modes)

    def _mode(self, source: str, target: str) -> Mode:
        mode = self._modes.get((source, target))
        if mode is None:
            installed = ", ".join(f"{s}->{t}" for s, t in sorted(self._modes)) or "none"
            raise EngineError(
                f"Apertium has no {source}->{target} pair in {self.modes_dir} "
                f"(installed: {installed}). Install its Debian package, for example "
                f"`apt-get install apertium-eng-spa` for en->es; `apt-cache search apertium` "
                f"lists the pairs."
            )
        return mode

    def version(self, source: str, target: str) -> str:
        """The Debian package versions of everything the pair's mode runs and reads
        (see installed_versions): an upgrade of any of them invalidates the cache."""
        mode = self._mode(source, target)
        if not self._versions:
            self._versions = installed_versions([m.path for m in self._modes.values()])
        return self._versions[str(mode.path)]

    def decoding_settings(self) -> str:
        """How our records carry inline markup, and how each is tagged as if alone:
        Apertium has no settings of its own, so a change of ours to either, which
        changes translations, changes this (and so the cache key)."""
        return f"{STREAM_FORMAT}; {TAGGING}"

    def stream(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> Iterator[str | None]:
        """Each translation of `texts` in order, as soon as its pipeline gives it back;
        `required` is ignored (the glossary layer repairs)."""
        pair = self._load(source, target)
        work = [text for text in texts if text.strip()]
        # Segment i goes to pipeline i % jobs: a fixed split, and since no translation
        # depends on what its pipeline did before, any split gives the same output.
        # Every pipeline gets its share at once, so all of them work while we read one.
        shares = [self._share(pair, slot, work[slot :: self.jobs]) for slot in range(self.jobs)]
        finished = False
        try:
            turn = 0
            for text in texts:
                if text.strip():
                    yield next(shares[turn % self.jobs])
                    turn += 1
                else:
                    yield text
            finished = True
        finally:
            if not finished:  # abandoned: what is still in the pipes would answer the next call
                for slot in range(self.jobs):
                    self._discard(pair, slot)

    def prepare(self, source: str, target: str) -> None:
        """Start the pair's pipelines: their stages load their models while the run reads."""
        pair = self._load(source, target)
        for slot in range(self.jobs):
            self._pipeline(pair, slot)

    def _load(self, source: str, target: str) -> tuple[str, str]:
        mode = self._mode(source, target)
        pair = (source, target)
        with self._lock:
            if pair not in self._stages:
                from translator.engines.apertium.pipeline import load_stages

                self._stages[pair] = load_stages(mode.path)
                self._pipes[pair] = [None] * self.jobs
        return pair

    def _pipeline(self, pair: tuple[str, str], slot: int) -> Pipeline:
        pipe = self._pipes[pair][slot]
        if pipe is None:
            from translator.engines.apertium.pipeline import Pipeline

            pipe = Pipeline(self._stages[pair])
            self._pipes[pair][slot] = pipe
        return pipe

    def _discard(self, pair: tuple[str, str], slot: int) -> None:
        pipe = self._pipes[pair][slot]
        if pipe is not None:
            pipe.close()
            self._pipes[pair][slot] = None

    def _share(self, pair: tuple[str, str], slot: int, texts: list[str]) -> Iterator[str | None]:
        """Send `texts` down pipeline `slot` now; iterate for their translations."""
        return self._receive(pair, slot, texts, self._send(pair, slot, texts))

    def _send(
        self, pair: tuple[str, str], slot: int, texts: list[str]
    ) -> tuple[Pipeline, list[int]]:
        pipe = self._pipeline(pair, slot)
        seqs = [next(self._seq) for _ in texts]
        pipe.send([encode_record(text, seq) for text, seq in zip(texts, seqs, strict=True)])
        return pipe, seqs

    def _receive(
        self, pair: tuple[str, str], slot: int, texts: list[str], sent: tuple[Pipeline, list[int]]
    ) -> Iterator[str | None]:
        """The translations of `texts`, sent, in order. A fault restarts the pipeline and
        sends what is left again; a text failing twice gets None."""
        pipe, seqs = sent
        pos = 0
        attempts = 0  # failed ones, of the text at `pos`
        while pos < len(texts):
            translation = self._answer(pipe, seqs[pos], texts[pos])
            if translation is not None:
                yield translation
                pos += 1
                attempts = 0
                continue
            reason = pipe.problem() or f"no answer within {self.timeout:g}s, or a stage died"
            self._discard(pair, slot)
            attempts += 1
            if attempts == 2:  # failed again after a restart: give up on this one
                self.failures.append(f"{texts[pos][:60]!r}: {reason}")
                yield None
                pos += 1
                attempts = 0
            if pos < len(texts):
                pipe, seqs[pos:] = self._send(pair, slot, texts[pos:])

    def _answer(self, pipe: Pipeline, seq: int, source: str) -> str | None:
        record = pipe.receive(self.timeout)
        if record is None:
            return None
        try:
            text = decode_record(record.decode("utf-8", "replace"), seq)
            return keep_edges(source, tidy_spaces(source, text))
        except RecordMismatch:
            return None

    def close(self) -> None:
        for pair, pipes in self._pipes.items():
            for slot in range(len(pipes)):
                self._discard(pair, slot)

    def __enter__(self) -> ApertiumEngine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
