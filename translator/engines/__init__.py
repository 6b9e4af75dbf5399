"""Translation engines behind one small, batched interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence

from translator.model import TranslatorError


class EngineError(TranslatorError):
    """An engine cannot serve a request at all (not installed, no such pair, crashed for good)."""


class Engine(ABC):
    """A translation engine. One instance serves a whole run; models load once.

    `translate` takes a batch of segments for one language pair (a run sends a
    batching engine translator.translate.BATCH_SEGMENTS of them per call, a
    streaming one all of its segments for the pair) and returns one translation
    per input, in order; an entry is None when that segment failed even after a
    retry (the run reports it and goes on). `stream` gives the same translations
    one by one, as they are done. An engine defines one of the two; each is made
    of the other here.
    """

    name: str
    # How glossary terms are protected for this engine (see translator.terms):
    # "placeholder" swaps terms for stand-ins the engine passes through unchanged;
    # "constrained" keeps the target form in the text and passes it as `required`.
    term_strategy: str = "placeholder"
    # A streaming engine turns segments around as they come (Apertium's pipes): a run
    # hands it all its segments in article order and writes each article as soon as
    # its segments are back (see `stream`). A batching engine (Argos) is faster given
    # large batches, in an order of its own (sorted).
    streaming: bool = False
    # Why segments failed, over the engine's life: "text[:60]: reason" (see `translate`).
    failures: list[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.translate is Engine.translate and cls.stream is Engine.stream:
            raise TypeError(f"{cls.__name__} must define translate or stream")

    def __init__(self) -> None:
        self.failures = []

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language pairs this engine can translate, pivots included."""

    def steps(self, source: str, target: str) -> int:
        """How many translations a pair takes: 1 direct, 2 through a pivot language."""
        return 1

    @abstractmethod
    def version(self, source: str, target: str) -> str:
        """Identifies engine and model for a pair: part of the cache key and the report."""

    def decoding_settings(self) -> str:
        """This engine's settings that change its output (a beam size...), for the cache
        key: "" when it has none, so that options of other engines never change its key."""
        return ""

    def route(self, source: str, target: str) -> list[str]:
        """The languages a translation goes through, pivots included: [source, target]
        for a direct one."""
        return [source, target]

    def translate(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> list[str | None]:
        """Translate `texts`; `required[i]` lists target-language terms text i must contain.

        Engines that can steer decoding (n-best, constraints) use `required`;
        others may ignore it, the glossary layer verifies and repairs afterwards.
        """
        return list(self.stream(source, target, texts, required))

    def stream(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> Iterator[str | None]:
        """`translate`, yielding each translation in order as soon as it is done.

        A streaming engine defines this; made of `translate`, the first one waits
        for the whole batch.
        """
        yield from self.translate(source, target, texts, required)

    def prepare(self, source: str, target: str) -> None:  # noqa: B027 - optional hook
        """Start loading what `source`->`target` needs, without waiting for it."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes and models."""
