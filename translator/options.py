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
# Where an output changed by hand since the last run wrote it is kept, under its own
# path, before the run writes it again: the editor's latest version of each.
EDITED_DIR = f"{STATE_DIR}/edited"


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
    compendia: tuple[Path, ...] = ()  # known translations of UI strings (.po files)
    read_options: ReadOptions = field(default_factory=ReadOptions)
    cache_path: Path | None = None  # None: OUT/.translate-news/cache.sqlite
    use_cache: bool = True
    jobs: int = 1  # processes reading and writing, and Apertium pipelines per pair
    domain: str = "news"
    catalog_dir: Path | None = None  # None: OUT/locale
    compile_mo: bool = False

    @property
    def locale_dir(self) -> Path:
        return self.catalog_dir or self.output_dir / "locale"

    def written_folders(self) -> list[Path]:
        """The folders a run writes into: articles per target, bilingual pages,
        catalogs, its state (OUT itself holds only report.json and index.html)."""
        return [
            *(self.output_dir / target for target in self.targets),
            self.output_dir / "bilingual",
            self.locale_dir,
            self.output_dir / STATE_DIR,
        ]

    def folders_problem(self) -> str | None:
        """Why the input and output folders cannot be used together, if they cannot:
        a run must never write over an article it reads. An input folder inside OUT is
        fine elsewhere (content/en into content/, as Hugo lays out languages)."""
        source = self.input_dir.resolve()
        if self.output_dir.resolve().is_relative_to(source):
            return "OUTPUT_DIR must not be inside INPUT_DIR"
        for folder in self.written_folders():
            if source.is_relative_to(folder.resolve()):
                return f"INPUT_DIR must not be inside {folder}: the run writes there"
        return None
