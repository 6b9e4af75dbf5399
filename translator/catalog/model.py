"""The records of a catalog: entries, catalogs, and what articles ask of them.

An entry is ours when it names a role (`Entry.ours`); `merge` says what that decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from translator.model import InputError

PROJECT = "translate-news"
ROLE_MARK = f"{PROJECT}: "  # starts each extracted comment naming a role: marks our entries


class Key(NamedTuple):
    """What identifies a catalog entry in gettext: its context and its source text."""

    msgctxt: str | None
    msgid: str


class UiString(NamedTuple):
    """What an article asks the catalog for: a UI text in a role."""

    msgid: str
    role: str


class MachineTranslation(NamedTuple):
    """An engine's translation of one entry, and the engine that made it, for its note."""

    text: str
    engine: str  # "apertium (apertium 3.8.3-1+b2; apertium-eng-spa 0.8.1-2)"


@dataclass(frozen=True)
class Occurrence:
    """A UI string found in an article: "Share", role "button", in news/a.txt, line 5."""

    msgid: str
    role: str
    path: str
    line: int | None = None


@dataclass(frozen=True)
class Entry:
    """One catalog entry, as gettext tools show it to a translator."""

    msgid: str
    msgctxt: str | None = None
    msgstr: str = ""
    flags: tuple[str, ...] = ()
    references: tuple[tuple[str, int | None], ...] = ()  # "#: path:line"
    roles: tuple[str, ...] = ()  # "#. translate-news: button": ours, and what it is
    site_notes: tuple[str, ...] = ()  # other "#." lines: a site's notes (xgettext's)
    comments: tuple[str, ...] = ()  # translator comments, with our machine note if any
    previous_msgid: str | None = None  # "#| msgid", the source text a fuzzy match came from
    previous_msgctxt: str | None = None
    msgid_plural: str | None = None  # a plural entry (a site's) has msgstr_plural instead
    msgstr_plural: tuple[str, ...] = ()  # msgstr[0], msgstr[1], ...
    previous_msgid_plural: str | None = None
    # The line its msgstr (msgstr[0]) starts on, in a catalog read from a file: for
    # messages, no part of what the entry is.
    line: int | None = field(default=None, compare=False)

    @property
    def key(self) -> Key:
        return Key(self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) or any(self.msgstr_plural)

    @property
    def reviewed(self) -> bool:
        """Translated and not fuzzy: a translator's work, never changed by a run."""
        return self.translated and not self.fuzzy

    @property
    def ours(self) -> bool:
        """Made by this tool (it names a role): dropped or made obsolete once unused."""
        return bool(self.roles)


@dataclass(frozen=True)
class Catalog:
    """A .pot (language None) or a .po file, in memory."""

    domain: str
    language: str | None
    header: tuple[tuple[str, str], ...]  # metadata fields, "Content-Type: ..."
    entries: tuple[Entry, ...]
    obsolete: tuple[Entry, ...] = ()  # "#~" entries: kept so no translation is ever lost
    header_comment: str = ""
    header_flags: tuple[str, ...] = ()  # xgettext marks a template's header "#, fuzzy"

    def get(self, key: Key) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)

    def header_value(self, name: str) -> str | None:
        return dict(self.header).get(name)


Template = Catalog  # a Catalog with language None and no translations


@dataclass(frozen=True)
class Rendered:
    """The text an article shows for a UI string, and whether a translator approved it."""

    text: str
    reviewed: bool


class CatalogError(InputError):
    """A catalog that cannot be read, or whose .mo cannot be written: `path:line: problem`."""
