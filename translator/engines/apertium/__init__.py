"""The Apertium engine: long-lived null-flush pipelines, deterministic, restarted on faults.

Built on facts checked against Apertium 3.8 on Debian, each told where it is used:
the stream format (`stream`), the pipeline of a mode (`pipeline`), and the
tagger's state (`tagger`), the one stage that made a sentence's translation
depend on what came before it.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from translator.engines import Engine, EngineError
from translator.engines.apertium.modes import (
    DEFAULT_MODES_DIR,
    Mode,
    find_modes,
    installed_versions,
)
from translator.engines.apertium.pipeline import Pipeline, Stages, load_stages
from translator.engines.apertium.stream import (
    RecordMismatch,
    decode_record,
    encode_record,
    keep_edges,
)

__all__ = ["ApertiumEngine"]


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
        self.jobs = jobs
        self.timeout = timeout
        self.modes_dir = modes_dir
        self._modes = find_modes(modes_dir) if modes_dir.is_dir() else {}
        self._stages: dict[tuple[str, str], Stages] = {}
        self._pipes: dict[tuple[str, str], list[Pipeline | None]] = {}
        self._versions: dict[str, str] = {}  # mode path (and "apertium") -> version
        self._seq = itertools.count()
        self._lock = threading.Lock()
        # Why segments of the last translate() call failed: "text[:60]: reason".
        self.failures: list[str] = []

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
        """Apertium's and the pair's Debian package versions: an upgrade invalidates the cache."""
        mode = self._mode(source, target)
        if not self._versions:
            self._versions = installed_versions([m.path for m in self._modes.values()])
        data = self._versions.get(str(mode.path))
        if data is None:
            digest = hashlib.sha256(mode.path.read_bytes()).hexdigest()[:12]
            data = f"{mode.name} mode sha256:{digest}"
        return f"apertium {self._versions.get('apertium', 'unknown')}; {data}"

    def translate(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> list[str | None]:
        """Translate `texts` in order; `required` is ignored (the glossary layer repairs)."""
        mode = self._mode(source, target)
        pair = (source, target)
        with self._lock:
            if pair not in self._stages:
                self._stages[pair] = load_stages(mode.path)
                self._pipes[pair] = [None] * self.jobs
        self.failures = []
        results: list[str | None] = list(texts)
        work = [(i, t) for i, t in enumerate(texts) if t.strip()]
        # Segment i goes to pipeline i % jobs: a fixed split, and since no
        # translation depends on what its pipeline did before, any split gives
        # the same output.
        shares = [work[slot :: self.jobs] for slot in range(self.jobs)]
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            done = pool.map(
                lambda slot: self._translate_share(pair, slot, shares[slot]), range(self.jobs)
            )
            for share, translations in zip(shares, done, strict=True):
                for (i, _), translation in zip(share, translations, strict=True):
                    results[i] = translation
        self.failures.sort()  # threads finish in any order
        return results

    def _pipeline(self, pair: tuple[str, str], slot: int) -> Pipeline:
        pipe = self._pipes[pair][slot]
        if pipe is None:
            pipe = Pipeline(self._stages[pair])
            self._pipes[pair][slot] = pipe
        return pipe

    def _discard(self, pair: tuple[str, str], slot: int) -> None:
        pipe = self._pipes[pair][slot]
        if pipe is not None:
            pipe.close()
            self._pipes[pair][slot] = None

    def _translate_share(
        self, pair: tuple[str, str], slot: int, items: list[tuple[int, str]]
    ) -> list[str | None]:
        """Translate items through one pipeline; a fault restarts it and retries once."""
        results: list[str | None] = [None] * len(items)
        pos = 0
        failures = 0  # of the item at `pos`
        while pos < len(items):
            pipe = self._pipeline(pair, slot)
            seqs = [next(self._seq) for _ in items[pos:]]
            pipe.send([encode_record(t, s) for (_, t), s in zip(items[pos:], seqs, strict=True)])
            for seq in seqs:
                translation = self._answer(pipe, seq, items[pos][1])
                if translation is not None:
                    results[pos] = translation
                    pos += 1
                    failures = 0
                    continue
                reason = pipe.problem() or f"no answer within {self.timeout:g}s, or a stage died"
                self._discard(pair, slot)
                failures += 1
                if failures == 2:  # failed again after a restart: give up on this one
                    self.failures.append(f"{items[pos][1][:60]!r}: {reason}")
                    pos += 1
                    failures = 0
                break
        return results

    def _answer(self, pipe: Pipeline, seq: int, source: str) -> str | None:
        record = pipe.receive(self.timeout)
        if record is None:
            return None
        try:
            return keep_edges(source, decode_record(record.decode("utf-8", "replace"), seq))
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
