"""A run's translations: each distinct segment once, in the order its engine wants,
arriving in the background for the writer to wait on."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pytest

from translator.cache import Scope, TranslationCache
from translator.engines import Engine, EngineError
from translator.engines.registry import EngineOptions, Engines
from translator.glossary import load_glossaries
from translator.translate import EngineStats, Route, RunTranslator

PAIR = ("en", "es")


class Upper(Engine):
    """Translates into capitals, and remembers the batches it was given."""

    name = "apertium"

    def __init__(
        self, *, streaming: bool, fail_at: str | None = None, extra: int = 0, settings: str = ""
    ) -> None:
        super().__init__()
        self.streaming = streaming
        self.fail_at = fail_at
        self.extra = extra  # outputs beyond (or, below 0, short of) one per input
        self.settings = settings
        self.batches: list[list[str]] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {PAIR}

    def version(self, source: str, target: str) -> str:
        return "upper 1"

    def decoding_settings(self) -> str:
        return self.settings

    def stream(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> Iterator[str | None]:
        self.batches.append(list(texts))
        for text in texts[: len(texts) + min(self.extra, 0)]:
            if text == self.fail_at:
                raise EngineError(f"cannot go on at {text!r}")
            yield text.upper()
        yield from ["EXTRA"] * self.extra


class LockedCache(TranslationCache):
    """A cache whose commits fail, as when another process holds the database too long."""

    def put_many(self, scope: Scope, pairs: Iterable[tuple[str, str]]) -> None:
        raise sqlite3.OperationalError("database is locked")


def translator_with(engine: Engine, cache: TranslationCache) -> RunTranslator:
    engines = Engines("apertium", _open={"apertium": engine})  # the run's engine, already open
    return RunTranslator(engines, cache, load_glossaries([]), EngineStats())


def raised_within(call: Callable[[], object], seconds: float = 10.0) -> BaseException | None:
    """What `call` raised, None if nothing; the test fails if it is still busy after
    `seconds` (a hang, which would otherwise stop the whole suite)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds:g} s"
    return outcome[0]


TEXTS = ["Zebras run.", "Ants march.", "Moles dig."]


def test_a_streaming_engine_gets_the_articles_order_and_the_writer_what_it_waits_for() -> None:
    engine = Upper(streaming=True)
    with TranslationCache(None) as cache:
        translator = translator_with(engine, cache)
        with translator.start({PAIR: TEXTS}) as arrivals:
            arrivals.wait([(PAIR, "Moles dig.")])
            assert arrivals.translations[PAIR]["Moles dig."].text == "MOLES DIG."
        assert engine.batches == [TEXTS]
        assert translator.stats.translated == 3


def test_a_batching_engine_gets_them_sorted() -> None:
    engine = Upper(streaming=False)
    with (
        TranslationCache(None) as cache,
        translator_with(engine, cache).start({PAIR: TEXTS}) as arrivals,
    ):
        arrivals.wait([(PAIR, text) for text in TEXTS])
    assert engine.batches == [sorted(TEXTS)]


def test_each_text_goes_to_the_engine_once_and_is_cached_when_the_stream_ends(
    tmp_path: Path,
) -> None:
    engine = Upper(streaming=True)
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        translator = translator_with(engine, cache)
        assert translator.translate({PAIR: TEXTS[:1]})[PAIR]["Zebras run."].text == "ZEBRAS RUN."
        with translator.start({PAIR: TEXTS}) as arrivals:
            arrivals.wait([(PAIR, text) for text in TEXTS])
        assert engine.batches == [TEXTS[:1], TEXTS[1:]]
    again = Upper(streaming=True)
    with (
        TranslationCache(tmp_path / "cache.sqlite") as cache,
        translator_with(again, cache).start({PAIR: TEXTS}) as arrivals,
    ):
        arrivals.wait([(PAIR, text) for text in TEXTS])
    assert again.batches == []


class Refusing(Upper):
    """Fails on one segment alone (None), as an engine does on a sentence it cannot take."""

    def stream(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> Iterator[str | None]:
        self.batches.append(list(texts))
        for text in texts:
            yield None if text == self.fail_at else text.upper()


def test_a_segment_the_engine_failed_on_is_not_counted_as_translated_nor_cached() -> None:
    engine = Refusing(streaming=True, fail_at="Ants march.")
    with TranslationCache(None) as cache:
        translator = translator_with(engine, cache)
        found = translator.translate({PAIR: TEXTS})[PAIR]
        assert found["Ants march."].text is None
        assert translator.stats.translated == 2
        assert len(cache) == 2


def test_an_engine_failing_midway_raises_in_the_writer() -> None:
    engine = Upper(streaming=True, fail_at="Ants march.")
    with TranslationCache(None) as cache:
        arrivals = translator_with(engine, cache).start({PAIR: TEXTS})
        # A writer that swallowed the error still fails when it leaves the block.
        with pytest.raises(EngineError, match="Ants march"), arrivals:
            arrivals.wait([(PAIR, "Zebras run.")])
            with pytest.raises(EngineError, match="Ants march"):
                arrivals.wait([(PAIR, "Moles dig.")])


def test_a_failure_after_the_writers_last_wait_fails_the_run() -> None:
    """The last cache commit comes after the last translation: its failure (a locked
    database, a full disk) is raised when the writing is done, not lost."""
    engine = Upper(streaming=True)
    with LockedCache(None) as cache:
        arrivals = translator_with(engine, cache).start({PAIR: TEXTS})
        with pytest.raises(sqlite3.OperationalError, match="locked"), arrivals:
            arrivals.wait([(PAIR, text) for text in TEXTS])
            assert arrivals.translations[PAIR]["Moles dig."].text == "MOLES DIG."


@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "batching"])
def test_an_engine_giving_extra_outputs_fails_the_run_and_caches_none_of_them(
    streaming: bool,
) -> None:
    engine = Upper(streaming=streaming, extra=1)
    with TranslationCache(None) as cache:
        arrivals = translator_with(engine, cache).start({PAIR: TEXTS})
        with pytest.raises(EngineError, match="apertium gave 4 outputs for 3 inputs"), arrivals:
            arrivals.wait([(PAIR, text) for text in TEXTS])
        assert len(cache) == 0


def test_an_engine_giving_too_few_outputs_fails_the_writer_waiting_for_the_rest() -> None:
    engine = Upper(streaming=True, extra=-1)
    with TranslationCache(None) as cache:
        arrivals = translator_with(engine, cache).start({PAIR: TEXTS})
        with pytest.raises(EngineError, match="gave 2 outputs for 3 inputs"), arrivals:
            error = raised_within(lambda: arrivals.wait([(PAIR, text) for text in TEXTS]))
            assert isinstance(error, EngineError)
            raise error


def test_the_writer_never_waits_on_streams_that_have_all_ended() -> None:
    engine = Upper(streaming=True)
    with (
        TranslationCache(None) as cache,
        translator_with(engine, cache).start({PAIR: TEXTS}) as arrivals,
    ):
        error = raised_within(lambda: arrivals.wait([(PAIR, "Never sent.")]))
        assert isinstance(error, RuntimeError) and "Never sent." in str(error)


def test_only_the_engines_own_decoding_settings_are_in_the_cache_key(tmp_path: Path) -> None:
    """Argos's beam size is not Apertium's: --beam-size keeps Apertium's cache."""
    beams = [EngineOptions(beam_size=size) for size in (2, 5)]
    with Engines("apertium", beams[0]) as two, Engines("apertium", beams[1]) as five:
        assert two.get("apertium").decoding_settings() == five.get("apertium").decoding_settings()
    with Engines("argos", beams[0]) as two, Engines("argos", beams[1]) as five:
        assert two.get("argos").decoding_settings() != five.get("argos").decoding_settings()
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        translator_with(Upper(streaming=True), cache).translate({PAIR: TEXTS})
        again = Upper(streaming=True)
        translator_with(again, cache).translate({PAIR: TEXTS})
        assert again.batches == []
        beamed = Upper(streaming=True, settings="beam=5")
        translator_with(beamed, cache).translate({PAIR: TEXTS})
        assert beamed.batches == [TEXTS]


def test_an_engine_without_pivots_routes_straight() -> None:
    with TranslationCache(None) as cache:
        assert translator_with(Upper(streaming=True), cache).route(PAIR) == Route(
            "apertium", "upper 1", PAIR
        )


def test_an_engine_defines_translate_or_stream() -> None:
    with pytest.raises(TypeError, match="translate or stream"):

        class Neither(Engine):
            name = "neither"
