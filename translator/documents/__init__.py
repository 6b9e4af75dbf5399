"""Reading and writing each input format.

A format turns decoded text into a `Document` (its translatable units plus a
private skeleton) and writes a `Document` back with one translation per unit.
Markup outside the units is kept byte-for-byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from translator.model import Document


@dataclass(frozen=True)
class ReadOptions:
    json_fields: tuple[str, ...] = ("title", "subtitle", "body", "summary")
    ui_strings: frozenset[str] = field(default_factory=frozenset)  # a site's known UI strings


class Format(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def parse(self, text: str, path: Path, options: ReadOptions) -> Document:
        """Split `text` into units. Raise `InputError` for content that cannot be read."""
        ...

    def render(self, document: Document, translations: Sequence[str], language: str) -> str:
        """Write `document` back with `translations[i]` in place of `document.units[i]`."""
        ...
