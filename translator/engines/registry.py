"""Choosing an engine for each language pair: `--engine auto|argos|apertium`."""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.engines import Engine, EngineError
from translator.languages import base_language, only_region

ENGINE_NAMES = ("auto", "argos", "apertium")


@dataclass(frozen=True)
class EngineOptions:
    """Settings handed to the engines: processes, decoding and the per-call timeout."""

    jobs: int = 1  # Apertium pipelines per pair; a run sets it from RunOptions.jobs
    beam_size: int = 2
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 picks
    device: str = "cpu"
    timeout: float = 60.0


@dataclass
class Engines:
    """The engines of one run, each opened once, on first use, and closed at the end."""

    choice: str = "auto"
    options: EngineOptions = field(default_factory=EngineOptions)
    _open: dict[str, Engine] = field(default_factory=dict)

    def get(self, name: str) -> Engine:
        if name not in self._open:
            self._open[name] = _create(name, self.options)
        return self._open[name]

    def _candidates(self) -> tuple[str, ...]:
        return ("argos", "apertium") if self.choice == "auto" else (self.choice,)

    def available_pairs(self) -> dict[str, set[tuple[str, str]]]:
        """Installed pairs per engine; an engine that cannot start serves none."""
        pairs: dict[str, set[tuple[str, str]]] = {}
        for name in self._candidates():
            try:
                pairs[name] = self.get(name).pairs()
            except EngineError:
                pairs[name] = set()
        return pairs

    def for_pair(self, source: str, target: str) -> Engine:
        """The engine serving source->target: one translating it directly before one going
        through a pivot language (each step loses something); then Argos first under
        `auto`, then Apertium."""
        serving = [
            self.get(name)
            for name, pairs in self.available_pairs().items()
            if (source, target) in pairs
        ]
        if not serving:
            raise EngineError(no_engine_message(source, target, self.available_pairs()))
        return min(serving, key=lambda engine: engine.steps(source, target))

    def close(self) -> None:
        for engine in self._open.values():
            engine.close()
        self._open.clear()

    def __enter__(self) -> Engines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def no_engine_message(source: str, target: str, pairs: dict[str, set[tuple[str, str]]]) -> str:
    installed = ", ".join(
        f"{name}: {' '.join(f'{s}->{t}' for s, t in sorted(found)) or 'none'}"
        for name, found in pairs.items()
    )
    index = f"`translate-news models install {source} {target}`" if source != "*" else ""
    return (
        f"no installed engine translates {source}->{target} (installed: {installed}). "
        + _language_served(source, target, pairs)
        + "Install an Argos package: `translate-news models install FILE.argosmodel`"
        + (f", or {index} where the Argos index can be reached" if index else "")
        + "; or an Apertium pair, if Debian has one (`apt-cache search apertium` lists them)."
    )


def _language_served(source: str, target: str, pairs: dict[str, set[tuple[str, str]]]) -> str:
    """For a regional target ("es-mx"), whether an engine serves its language: a
    regional form is never served by another's engine, but the user may want that."""
    language = base_language(target)
    served = any(t == language and source in ("*", s) for found in pairs.values() for s, t in found)
    if not only_region(target) or not served:  # "zh-hant" is not written as "zh" is
        return ""
    return f"One translates into {language}, not {target} in particular: `--to {language}`. "


def _create(name: str, options: EngineOptions) -> Engine:
    if name == "apertium":
        from translator.engines.apertium import ApertiumEngine

        return ApertiumEngine(jobs=options.jobs, timeout=options.timeout)
    if name == "argos":
        from translator.engines.argos import ArgosEngine

        return ArgosEngine(
            beam_size=options.beam_size,
            inter_threads=options.inter_threads,
            intra_threads=options.intra_threads,
            device=options.device,
        )
    raise EngineError(f"unknown engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
