"""The records of an article as read and written: its document, units and sentences,
and the errors a stage raises about it. None of them touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """What a unit of a document is, which decides how it is translated."""

    TEXT = "text"  # article text: headline, body, teaser; machine translated
    UI = "ui"  # site chrome: "Share", "World"; rendered from the gettext catalog


@dataclass(frozen=True)
class Unit:
    """One translatable block of a document: a paragraph, a heading, a text run, a field.

    `text` is plain text. Inline markup inside the block (a link, emphasis) is
    carried as marker characters from `translator.inline`, so engines and the
    glossary see words, and the format's writer puts the markup back.
    """

    text: str
    kind: Kind = Kind.TEXT
    role: str = "body"  # headline, body, teaser, heading, button, section label, title, alt...
    line: int | None = None  # 1-based source line, where the format has lines
    # (standalone marker, the text it shows): an inline <code> kept whole, for the
    # bilingual page, which shows text, not markup
    shown: tuple[tuple[str, str], ...] = ()


@dataclass
class Document:
    """An article read from disk: its units, and what its format needs to write it back."""

    path: Path  # relative to the input folder
    format: str  # "txt", "md", "html", "json", "jsonl"
    units: list[Unit]
    skeleton: object = None  # format-private: whatever the writer needs besides the units
    declared_language: str | None = None  # e.g. <html lang>, a JSON "lang" field
    # Problems inside a file still read (invalid JSON Lines): kept as they were in the
    # output, the rest translated; the run reports each (`path:LINE: message`).
    problems: list[InputError] = field(default_factory=list)

    def article_text(self) -> str:
        """The text language detection looks at: article text only, never UI strings."""
        return "\n\n".join(u.text for u in self.units if u.kind is Kind.TEXT)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a unit, with the whitespace that followed it in the source."""

    text: str
    trailing: str = ""


class TranslatorError(Exception):
    """What the library raises for a user to act on (a bad input, glossary, catalog,
    engine, package or store): the message says what is wrong and what to do. The CLI
    shows it as one line; anything else is a bug of ours."""


@dataclass
class InputError(TranslatorError):
    """A problem with one input file: reported as `path: message`, the batch goes on."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"
