"""The settings of one run, as the CLI (or a Python caller) gives them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from translator.documents import ReadOptions
from translator.engines.registry import EngineOptions

# Called with (stage, done, total) as a run advances; the CLI draws a progress bar.
Progress = Callable[[str, int, int], None]

STATE_DIR = ".translate-news"  # inside OUT: the translation cache and the run state


@dataclass(frozen=True)
class RunOptions:
    """What to translate, into what, with which engine and resources."""

    input_dir: Path
    output_dir: Path
    targets: tuple[str, ...]
    source_language: str | None = None
    engine: str = "auto"
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    glossaries: tuple[Path, ...] = ()
    read_options: ReadOptions = field(default_factory=ReadOptions)
    cache_path: Path | None = None  # None: OUT/.translate-news/cache.sqlite
    use_cache: bool = True
    jobs: int = 1
    domain: str = "news"
    catalog_dir: Path | None = None  # None: OUT/locale
    compile_mo: bool = False

    @property
    def locale_dir(self) -> Path:
        return self.catalog_dir or self.output_dir / "locale"
