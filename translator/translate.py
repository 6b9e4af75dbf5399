"""Translating the distinct segments of a run, each language pair its own stream.

protect terms -> look up the cache -> send what is missing to the engine in
batches (committing each batch to the cache) -> restore and verify terms.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from translator.cache import Scope, TranslationCache
from translator.engines import Engine, EngineError
from translator.engines.registry import Engines
from translator.glossary import Glossary, Protected, protect, restore

# Segments per call of a batching engine: large enough for it to batch well, small
# enough that an interrupted run has committed most of its work to the cache.
BATCH_SEGMENTS = 2000
# Translations committed to the cache at a time, as they come: one transaction each.
COMMIT_SEGMENTS = 250

T = TypeVar("T")


@dataclass
class TermCounts:
    """What happened to the glossary terms of some text."""

    found: int = 0
    kept: int = 0
    repaired: int = 0
    flagged: int = 0

    def add(self, other: TermCounts) -> None:
        self.found += other.found
        self.kept += other.kept
        self.repaired += other.repaired
        self.flagged += other.flagged

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("found", "kept", "repaired", "flagged")}


@dataclass(frozen=True)
class Translated:
    """The final translation of one segment; `text` is None when the engine failed on it."""

    text: str | None
    terms: TermCounts = field(default_factory=TermCounts)
    flagged_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """How a language pair was translated: for the report, the catalogs and the cache."""

    engine: str
    version: str
    path: tuple[str, ...]  # languages passed through, pivots included


Pair = tuple[str, str]
Translations = dict[Pair, dict[str, Translated]]
Routes = dict[Pair, Route | str]  # a string says why no engine serves the pair


class RunTranslator:
    """The translations of one run: each distinct segment of a pair translated once.

    Callers ask for what they need, when they need it: the UI strings first, for
    the catalogs (`translate`, which waits); then the articles' sentences, which
    `start` sends on their way while the caller goes on (see Arrivals).
    """

    def __init__(
        self,
        engines: Engines,
        cache: TranslationCache,
        glossary: Glossary,
        stats: EngineStats,
    ) -> None:
        self.engines = engines
        self.cache = cache
        self.glossary = glossary
        self.stats = stats
        self.routes: Routes = {}
        self._engines: dict[Pair, Engine] = {}
        self._done: Translations = {}

    def route(self, pair: Pair) -> Route | str:
        """The engine and model serving `pair`, chosen once; or why none does."""
        if pair not in self.routes:
            try:
                engine = self.engines.for_pair(*pair)
            except EngineError as error:
                self.routes[pair] = str(error)
            else:
                path = engine.route(*pair)
                self._engines[pair] = engine
                self.routes[pair] = Route(engine.name, engine.version(*pair), tuple(path))
        return self.routes[pair]

    def prepare(self, pair: Pair) -> None:
        """Let the engine serving `pair`, if any, start loading its models now."""
        if isinstance(self.route(pair), Route):
            self._engines[pair].prepare(*pair)

    def failures(self) -> list[str]:
        """Why the engines failed on segments of this run, sorted."""
        engines = {id(engine): engine for engine in self._engines.values()}.values()
        return sorted(failure for engine in engines for failure in engine.failures)

    def translate(self, work: Mapping[Pair, Collection[str]]) -> Translations:
        """Translations of `work`'s texts per pair; pairs no engine serves are left out."""
        found: Translations = {}
        for pair in sorted(work):
            if isinstance(self.route(pair), Route):
                for _ in self._stream(pair, work[pair]):
                    pass
                done = self._done[pair]
                found[pair] = {text: done[text] for text in work[pair]}
        return found

    def start(self, work: Mapping[Pair, Collection[str]]) -> Arrivals:
        """Translate `work`'s texts in the background, a thread per served pair."""
        served = {
            pair: texts for pair, texts in work.items() if isinstance(self.route(pair), Route)
        }
        translations = {pair: self._done.setdefault(pair, {}) for pair in served}
        streams = [self._stream(pair, texts) for pair, texts in sorted(served.items())]
        return Arrivals(translations, streams)

    def _stream(self, pair: Pair, texts: Collection[str]) -> Iterator[None]:
        """Translate those of `texts` not done yet, for a served `pair`, yielding as each
        one is done. A streaming engine gets them all at once, in this order; a batching
        one sorted, so that its batches do not depend on the order of the articles."""
        route = self.route(pair)
        assert isinstance(route, Route), f"no engine serves {pair}"
        engine = self._engines[pair]
        done = self._done.setdefault(pair, {})
        missing = [text for text in texts if text not in done]
        if not engine.streaming:
            missing.sort()
        scope = Scope(route.engine, route.version, *pair, engine.decoding_settings())
        for text, result in translate_segments(
            engine, scope, missing, self.glossary, self.cache, self.stats
        ):
            done[text] = result
            yield


def translate_segments(
    engine: Engine,
    scope: Scope,
    texts: Sequence[str],
    glossary: Glossary,
    cache: TranslationCache,
    stats: EngineStats,
) -> Iterator[tuple[str, Translated]]:
    """Translate each of `texts` (distinct) from `scope.source` to `scope.target`,
    yielding (text, translation) in order, each as soon as it is done."""
    protected = [
        protect(glossary, text, scope.source, scope.target, engine.term_strategy) for text in texts
    ]
    requests = [_request(p.text, p.required) for p in protected]
    outputs: dict[str, str | None] = dict(cache.get_many(scope, requests))
    missing = [request for request in dict.fromkeys(requests) if request not in outputs]
    stats.count(cached=len(set(requests)) - len(missing))
    asks = {request: (p.text, p.required) for request, p in zip(requests, protected, strict=True)}
    fresh = _engine_outputs(engine, scope, [(r, *asks[r]) for r in missing], cache, stats)
    for text, p, request in zip(texts, protected, requests, strict=True):
        if request not in outputs:  # `missing` is in this order: the engine's next output
            outputs[request] = next(fresh)
        yield text, _finish(p, outputs[request])
    # Every output is in: run the generator to its end, where its last translations
    # go into the cache (and an engine that gave too many is caught).
    for _ in fresh:
        pass


def _engine_outputs(
    engine: Engine,
    scope: Scope,
    asks: list[tuple[str, str, Sequence[str]]],
    cache: TranslationCache,
    stats: EngineStats,
) -> Iterator[str | None]:
    """The engine's output for each (request, text, required terms), in order.

    A streaming engine gets them all as one stream, a batching one BATCH_SEGMENTS at
    a time; either way the outputs go into the cache COMMIT_SEGMENTS at a time as
    they come, so an interrupted run keeps most of its work.

    An engine giving more or fewer outputs than it was given inputs is broken, not
    failing on a segment: EngineError, which stops the run (exit 1).
    """
    size = len(asks) if engine.streaming else BATCH_SEGMENTS
    for batch in _batches(asks, max(size, 1)):
        requests, texts, required = zip(*batch, strict=True)
        outputs = iter(engine.stream(scope.source, scope.target, texts, required=required))
        fresh: list[tuple[str, str]] = []
        given = translated = 0
        # Not strict: zip stops at the last request without asking for another output.
        for request, output in zip(requests, outputs, strict=False):
            given += 1
            if output is not None:
                translated += 1
                fresh.append((request, output))
            yield output
            if len(fresh) == COMMIT_SEGMENTS:
                cache.put_many(scope, fresh)
                fresh = []
        given += sum(1 for _ in outputs)  # none, from an engine that works
        if given != len(batch):
            # Its outputs may be out of step with the inputs: no more of them are cached.
            raise EngineError(f"{engine.name} gave {given} outputs for {len(batch)} inputs")
        cache.put_many(scope, fresh)
        stats.count(translated=translated)


class Arrivals:
    """Translations arriving from background threads, for a writer to wait on.

    Each thread runs one stream (see RunTranslator.start), which fills
    `translations` as it goes. `wait` blocks until the texts asked for are in, or
    a thread failed, or every thread ended. Leaving the `with` block waits for the
    threads (stopping them first if the writing failed): nothing of the run's
    engines or cache is in use once it is left. When the writing went well, it
    raises a thread's error, if any: one after the last wait (the last cache commit
    failing) would otherwise go unseen.
    """

    def __init__(self, translations: Translations, streams: list[Iterator[None]]) -> None:
        self.translations = translations
        self._changed = threading.Condition()
        self._awaited: tuple[Pair, str] | None = None
        self._error: BaseException | None = None
        self._stop = False
        self._threads = [threading.Thread(target=self._run, args=(s,)) for s in streams]
        self._finished = 0  # threads whose stream ended, one way or another

    def __enter__(self) -> Arrivals:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        # Only when the writing failed: else each stream goes on to its end, where its
        # last translations go into the cache.
        self._stop = exc_type is not None
        for thread in self._threads:
            thread.join()
        # The writing succeeded, but a stream failed after its last wait: the run must
        # not end as if all went well.
        if exc_type is None and self._error is not None:
            raise self._error

    def _run(self, stream: Iterator[None]) -> None:
        try:
            for _ in stream:
                if self._stop:
                    break
                awaited = self._awaited
                if awaited is not None and awaited[1] in self.translations[awaited[0]]:
                    with self._changed:
                        self._changed.notify()
        except BaseException as error:  # the writer raises it
            with self._changed:
                if self._error is None:  # the first: later ones may follow from it
                    self._error = error
        finally:
            with self._changed:
                self._finished += 1
                self._changed.notify()

    def ready(self, wanted: Iterable[tuple[Pair, str]]) -> bool:
        return all(text in self.translations[pair] for pair, text in wanted)

    def wait(self, wanted: Iterable[tuple[Pair, str]]) -> None:
        """Return once every (pair, text) wanted has arrived."""
        for pair, text in wanted:
            if text not in self.translations[pair]:
                self._wait_for(pair, text)

    def _wait_for(self, pair: Pair, text: str) -> None:
        done = self.translations[pair]
        with self._changed:
            self._awaited = (pair, text)
            self._changed.wait_for(
                lambda: (
                    text in done or self._error is not None or self._finished == len(self._threads)
                )
            )
            self._awaited = None
        if text not in done:
            if self._error is not None:
                raise self._error
            raise RuntimeError(
                f"every translation stream ended without {text[:60]!r} ({pair[0]}->{pair[1]})"
            )


@dataclass
class EngineStats:
    """How many distinct segments the engines translated, and how many came from the cache."""

    translated: int = 0
    cached: int = 0
    failures: list[str] = field(default_factory=list)  # the engines' reasons, for the report
    # Pairs are translated in threads of their own.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, *, translated: int = 0, cached: int = 0) -> None:
        with self._lock:
            self.translated += translated
            self.cached += cached


def _request(text: str, required: Sequence[str]) -> str:
    """The cache key's text: what the engine is asked, terms it must produce included."""
    return "\x1f".join([text, *required])


def _finish(protected: Protected, output: str | None) -> Translated:
    if output is None:
        return Translated(None)
    restored = restore(protected, output)
    counts = TermCounts(found=len(restored.outcomes))
    flagged: list[str] = []
    for outcome in restored.outcomes:
        if outcome.status == "kept":
            counts.kept += 1
        elif outcome.status == "repaired":
            counts.repaired += 1
        else:
            counts.flagged += 1
            flagged.append(str(outcome.term))
    return Translated(restored.text, counts, tuple(flagged))


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
