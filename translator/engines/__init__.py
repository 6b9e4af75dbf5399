"""Translation engines behind one small, batched interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence


class EngineError(Exception):
    """An engine cannot serve a request at all (not installed, no such pair, crashed for good)."""


class Engine(ABC):
    """A translation engine. One instance serves a whole run; models load once.

    `translate` takes every segment of the run for one language pair at once, so
    the engine can batch, and returns one translation per input, in order; an
    entry is None when that segment failed even after a retry (the run reports
    it and goes on).
    """

    name: str
    # How glossary terms are protected for this engine (see translator.glossary):
    # "placeholder" swaps terms for stand-ins the engine passes through unchanged;
    # "constrained" keeps the target form in the text and passes it as `required`.
    term_strategy: str = "placeholder"
    # A streaming engine turns segments around as they come (Apertium's pipes): a run
    # can hand it articles a chunk at a time and write one chunk while it translates
    # the next. A batching engine (Argos) is faster given the whole run at once.
    streaming: bool = False

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language pairs this engine can translate, pivots included."""

    @abstractmethod
    def version(self, source: str, target: str) -> str:
        """Identifies engine and model for a pair: part of the cache key and the report."""

    @abstractmethod
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

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes and models."""
