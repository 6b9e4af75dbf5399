"""Translating the distinct segments of a run for one language pair.

protect terms -> look up the cache -> send what is missing to the engine in
batches (committing each batch to the cache) -> restore and verify terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from translator.cache import Scope, TranslationCache
from translator.engines import Engine, EngineError
from translator.engines.registry import Engines
from translator.glossary import Glossary, Protected, protect, restore

# Segments per engine call: large enough for the engine to batch well, small
# enough that an interrupted run has committed most of its work to the cache.
BATCH_SEGMENTS = 2000


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

    Callers ask for what they need, when they need it (the UI strings first, for
    the catalogs; then the articles, a chunk at a time or all at once), and get
    back the translations of exactly what they asked for.
    """

    def __init__(
        self,
        engines: Engines,
        cache: TranslationCache,
        glossary: Glossary,
        settings: str,
        stats: EngineStats,
    ) -> None:
        self.engines = engines
        self.cache = cache
        self.glossary = glossary
        self.settings = settings
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
                path = getattr(engine, "route", lambda s, t: [s, t])(*pair)
                self._engines[pair] = engine
                self.routes[pair] = Route(engine.name, engine.version(*pair), tuple(path))
        return self.routes[pair]

    def streaming(self, pairs: Iterable[Pair]) -> bool:
        """Whether every engine serving `pairs` streams (see Engine.streaming)."""
        served = [pair for pair in pairs if isinstance(self.route(pair), Route)]
        return all(self._engines[pair].streaming for pair in served)

    def translate(
        self,
        work: dict[Pair, set[str]],
        tick: Callable[[str, int, int], None] | None = None,
    ) -> Translations:
        """Translations of `work`'s texts per pair; pairs no engine serves are left out."""
        found: Translations = {}
        for pair in sorted(work):
            route = self.route(pair)
            if not isinstance(route, Route):
                continue
            done = self._done.setdefault(pair, {})
            missing = sorted(text for text in work[pair] if text not in done)
            if missing:
                scope = Scope(route.engine, route.version, *pair, self.settings)
                engine = self._engines[pair]
                done.update(
                    translate_segments(
                        engine, scope, missing, self.glossary, self.cache, self.stats, tick
                    )
                )
            found[pair] = {text: done[text] for text in work[pair]}
        return found


def translate_segments(
    engine: Engine,
    scope: Scope,
    texts: Sequence[str],
    glossary: Glossary,
    cache: TranslationCache,
    stats: EngineStats,
    tick: Callable[[str, int, int], None] | None = None,
) -> dict[str, Translated]:
    """Translate each of `texts` (distinct) from `scope.source` to `scope.target`."""
    protected = {
        text: protect(glossary, text, scope.source, scope.target, engine.term_strategy)
        for text in texts
    }
    requests = {
        _request(p.text, p.required): (p.text, list(p.required)) for p in protected.values()
    }
    raw = cache.get_many(scope, list(requests))
    missing = sorted(request for request in requests if request not in raw)
    stats.cached += len(requests) - len(missing)
    for batch in _batches(missing, BATCH_SEGMENTS):
        texts, required = zip(*(requests[request] for request in batch), strict=True)
        outputs = engine.translate(scope.source, scope.target, texts, required=required)
        stats.failures.extend(getattr(engine, "failures", ()))
        fresh = [(r, out) for r, out in zip(batch, outputs, strict=True) if out is not None]
        cache.put_many(scope, fresh)
        raw.update(fresh)
        stats.translated += len(batch)
        if tick:
            tick(f"translate {scope.source}->{scope.target}", stats.translated, len(missing))
    return {
        text: _finish(p, raw.get(_request(p.text, p.required))) for text, p in protected.items()
    }


@dataclass
class EngineStats:
    """How many distinct segments the engines translated, and how many came from the cache."""

    translated: int = 0
    cached: int = 0
    failures: list[str] = field(default_factory=list)  # the engines' reasons, for the report


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


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
