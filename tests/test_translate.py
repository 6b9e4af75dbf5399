"""A run's translations: each distinct segment once, in the order its engine wants,
arriving in the background for the writer to wait on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from translator.cache import TranslationCache
from translator.engines import Engine, EngineError
from translator.engines.registry import Engines
from translator.glossary import load_glossaries
from translator.translate import EngineStats, RunTranslator

PAIR = ("en", "es")


class Upper(Engine):
    """Translates into capitals, and remembers the batches it was given."""

    name = "apertium"

    def __init__(self, *, streaming: bool, fail_at: str | None = None) -> None:
        super().__init__()
        self.streaming = streaming
        self.fail_at = fail_at
        self.batches: list[list[str]] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {PAIR}

    def version(self, source: str, target: str) -> str:
        return "upper 1"

    def stream(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> Iterator[str | None]:
        self.batches.append(list(texts))
        for text in texts:
            if text == self.fail_at:
                raise EngineError(f"cannot go on at {text!r}")
            yield text.upper()


def translator_with(engine: Engine, cache: TranslationCache) -> RunTranslator:
    engines = Engines("apertium", _open={"apertium": engine})  # the run's engine, already open
    return RunTranslator(engines, cache, load_glossaries([]), "beam=2", EngineStats())


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


def test_an_engine_failing_midway_raises_in_the_writer() -> None:
    engine = Upper(streaming=True, fail_at="Ants march.")
    with (
        TranslationCache(None) as cache,
        translator_with(engine, cache).start({PAIR: TEXTS}) as arrivals,
    ):
        arrivals.wait([(PAIR, "Zebras run.")])
        with pytest.raises(EngineError, match="Ants march"):
            arrivals.wait([(PAIR, "Moles dig.")])


def test_an_engine_defines_translate_or_stream() -> None:
    with pytest.raises(TypeError, match="translate or stream"):

        class Neither(Engine):
            name = "neither"
