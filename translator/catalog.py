"""Gettext catalogs for UI strings: build a .pot, merge .po files as msgmerge does, compile .mo.

The only module that imports polib and babel.messages. polib reads and writes every
catalog file (one writer, one wrapping style); Babel contributes what polib lacks: the
fuzzy matching of `Catalog.update` and the Plural-Forms of every language. Everything
here builds values in memory; `write_template`, `write_catalog` and `compile_catalogs`
are the only functions that touch the disk, always through `atomic_write`.

Layout of a catalog tree (`OUT/locale`, or the folder given with `--catalog`):
    <dir>/<domain>.pot
    <dir>/<lang>/LC_MESSAGES/<domain>.po   (and .mo once compiled)

Whose is what. A tree may be a site's own, with strings xgettext found in its code
(plural ones too) next to ours, so two marks say what this tool made:

- An *entry* is ours when its extracted comments name its role with our prefix
  (`#. translate-news: button`); every entry we create has one. Only ours are dropped
  from the .pot or made obsolete in a .po when no article uses them any more (as
  msgmerge does). Every other entry (a site's) is carried through as it was: never
  dropped, never made obsolete, a batch string it already holds stays its entry.
  Catalogs written before the prefix existed (header "Project-Id-Version:
  translate-news ...", no prefixed line) hold only our entries: their plain `#.`
  lines are read as roles.
- A *msgstr* is ours to replace while it is still exactly what an engine gave. Machine
  output carries a translator comment naming the engine that made that entry and a
  checksum of the text it gave (`# machine translation: apertium (...); output
  sha256:1a2b3c4d5e6f`). A fuzzy entry whose msgstr no longer has that checksum is a
  translator's work in progress: kept, still fuzzy. The note is found whole however a
  tool wrapped it: from the line starting "machine translation:" to the line ending
  in the checksum.

Dates: PO-Revision-Date says when a translator last revised a .po; msgmerge never
touches it, nor do we (set once, when we create the file). POT-Creation-Date moves
when the template's content changes. Charsets: a catalog is read in the charset its
header declares and always written back as UTF-8.
"""

from __future__ import annotations

import hashlib
import os
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import polib

from translator.fsutil import atomic_write
from translator.model import InputError

PROJECT = "translate-news"
# msgmerge, msgcat and Poedit wrap at 79 columns; we do too, so a translator's tools and
# ours rewrite the same lines and a diff shows only real changes.
WRAP_WIDTH = 79
MACHINE_NOTE = "machine translation:"  # starts our translator comment on machine output
ROLE_MARK = f"{PROJECT}: "  # starts each extracted comment naming a role: marks our entries
DATE_FIELDS = ("POT-Creation-Date", "PO-Revision-Date")
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"  # gettext's own default (Germanic)
FORMAT_HEADER = (
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),  # polib writes UTF-8, whatever was read
    ("Content-Transfer-Encoding", "8bit"),
)
# Babel's table follows CLDR, which gives these languages a third form for millions
# ("1 millón de"). GNU gettext (msginit), Poedit and the translation teams' existing
# catalogs use two forms; a catalog that disagrees with its team's is the wrong one.
GETTEXT_PLURALS = {
    "ca": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
}


# The order xgettext and msgmerge write header fields in (polib writes them so as well);
# catalogs keep it in memory too, so one read back from disk equals the one written.
HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


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


@dataclass
class Compiled:
    """Result of compiling a tree: .mo files written, and catalogs that could not be read."""

    written: list[Path] = field(default_factory=list)
    errors: list[CatalogError] = field(default_factory=list)


class CatalogError(InputError):
    """A catalog file that cannot be read: `path:line: problem`."""


# --- paths and dates -------------------------------------------------------------------


def template_path(catalog_dir: Path, domain: str) -> Path:
    return catalog_dir / f"{domain}.pot"


def catalog_path(catalog_dir: Path, domain: str, language: str) -> Path:
    return catalog_dir / language / "LC_MESSAGES" / f"{domain}.po"


def source_date() -> datetime:
    """The run's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(second=0, microsecond=0)


def _format_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%d %H:%M%z")


def plural_forms(language: str) -> str:
    """The Plural-Forms header for `language` ("es", "pt-BR"), from Babel's CLDR data."""
    locale = language.replace("-", "_")
    if locale in GETTEXT_PLURALS:
        return GETTEXT_PLURALS[locale]
    from babel.core import UnknownLocaleError  # Babel loads its CLDR tables on first use
    from babel.messages.plurals import get_plural

    try:
        return str(get_plural(locale))
    except (UnknownLocaleError, ValueError):
        return DEFAULT_PLURAL_FORMS


def _made_by_us(header: Iterable[tuple[str, str]], project: str = PROJECT) -> bool:
    return (dict(header).get("Project-Id-Version") or "").startswith(project)


# --- building the template --------------------------------------------------------------


def build_template(
    occurrences: Iterable[Occurrence],
    *,
    domain: str,
    version: str,
    creation_date: datetime | None = None,
    project: str = PROJECT,
    previous: Iterable[Catalog] = (),
    existing: Template | None = None,
) -> Template:
    """One entry per UI string of the batch, in order of first occurrence.

    `previous` are the catalogs already in the tree (the .pot and the .po files): they
    keep contexts stable across runs, so an entry a translator reviewed is not orphaned
    because its text played another role in a later batch (see `_context`).
    `existing` is the tree's .pot: the entries in it that are not ours stay (see
    `_with_site_entries`).
    """
    ordered = sorted(set(occurrences), key=lambda o: (o.path, o.line or 0, o.msgid, o.role))
    roles_of: dict[str, set[str]] = {}
    for occ in ordered:
        roles_of.setdefault(occ.msgid, set()).add(occ.role)
    known = _known_roles(previous)
    grouped: dict[Key, list[Occurrence]] = {}
    for occ in ordered:
        key = Key(_context(occ.msgid, occ.role, roles_of[occ.msgid], known), occ.msgid)
        grouped.setdefault(key, []).append(occ)
    entries = tuple(_template_entry(key, occs) for key, occs in grouped.items())
    header = (
        ("Project-Id-Version", f"{project} {version}"),
        ("POT-Creation-Date", _format_date(creation_date or source_date())),
        # xgettext's placeholders: msginit and Poedit fill them in when a team starts a .po
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        *FORMAT_HEADER,
    )
    comment = (
        f"UI strings of {project}, extracted from the articles of a batch.\n"
        "Generated on every run: translate the .po files, not this template."
    )
    template = Catalog(domain, None, header, entries, header_comment=comment)
    return _with_site_entries(template, existing, project) if existing else template


def _with_site_entries(template: Template, existing: Template, project: str) -> Template:
    """The batch's template plus every entry of the tree's .pot that is not ours.

    A site's .pot (`--catalog`) holds the strings xgettext found in its code: they stay,
    first and as they were, and one the batch also uses stays the site's entry. A .pot
    another project made keeps its header too, with this run's POT-Creation-Date.
    """
    site = tuple(e for e in existing.entries if not e.ours)
    site_keys = {e.key for e in site}
    entries = (*site, *(e for e in template.entries if e.key not in site_keys))
    active = {e.key for e in entries}
    obsolete = tuple(e for e in existing.obsolete if e.key not in active)
    merged = replace(template, entries=entries, obsolete=obsolete)
    if _made_by_us(existing.header, project):
        return merged
    fields = {
        **dict(existing.header),
        "POT-Creation-Date": template.header_value("POT-Creation-Date") or "",
        **dict(FORMAT_HEADER),
    }
    return replace(
        merged,
        header=_header(fields),
        header_comment=existing.header_comment,
        header_flags=existing.header_flags,
    )


def _known_roles(previous: Iterable[Catalog]) -> dict[Key, set[str]]:
    known: dict[Key, set[str]] = {}
    for catalog in previous:
        for entry in catalog.entries:
            known.setdefault(entry.key, set()).update(entry.roles)
    return known


def _context(
    msgid: str, role: str, batch_roles: set[str], known: dict[Key, set[str]]
) -> str | None:
    """msgctxt for `msgid` in `role`: None unless the text plays several roles.

    Keys already in the catalogs win, so a rerun never renames a reviewed entry:
    a context-carrying key stays one even when its text now plays a single role, and
    when a text starts playing a second role, the plain entry stays with the role it
    was made for and only the newcomer gets a context.
    """
    if Key(role, msgid) in known:
        return role
    plain_roles = known.get(Key(None, msgid))
    if len(batch_roles) == 1:
        return None
    if plain_roles is not None and role == min(plain_roles & batch_roles, default=None):
        return None
    return role


def _template_entry(key: Key, occurrences: list[Occurrence]) -> Entry:
    references = sorted({(o.path, o.line) for o in occurrences}, key=lambda r: (r[0], r[1] or 0))
    roles = tuple(sorted({o.role for o in occurrences}))
    return Entry(key.msgid, key.msgctxt, references=tuple(references), roles=roles)


# --- reading ----------------------------------------------------------------------------


def read_catalog(path: Path) -> Catalog:
    """Read a .pot or .po file; CatalogError (with the line) if it is not valid gettext."""
    po = _parse(path)
    _reject_duplicates(path, po)
    _reject_plural_gaps(path, po)
    legacy = _written_before_role_marks(po)
    active = tuple(_from_polib(e, legacy) for e in po if not e.obsolete)
    obsolete = tuple(_from_polib(e, legacy) for e in po if e.obsolete)
    language = None if path.suffix == ".pot" else _language_of(path, po.metadata)
    header = _header({str(k): str(v) for k, v in po.metadata.items()})
    header_flags = tuple(po.metadata_is_fuzzy or ())
    return Catalog(path.stem, language, header, active, obsolete, str(po.header), header_flags)


def _parse(path: Path) -> polib.POFile:
    try:
        # In the charset its header declares (msgfmt accepts ISO-8859-1 and others);
        # polib's own detection, which falls back to UTF-8 when the header names none
        # or xgettext's placeholder "CHARSET".
        encoding = polib.detect_encoding(str(path))
        _check_strings(path, _decoded(path, encoding))
        return polib.pofile(str(path), wrapwidth=WRAP_WIDTH, encoding=encoding)
    except (OSError, ValueError) as error:
        # polib says "Syntax error in po file (line 3)": move the line where we report it
        found = re.search(r"\s*\(line (\d+)\)", str(error))
        problem = str(error).replace(found.group(0), "") if found else str(error)
        problem = problem.replace(f" {path}", "")  # the report names the file already
        line = int(found.group(1)) if found else None
        raise CatalogError(path, f"cannot read catalog: {problem}", line) from error


def _decoded(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(
            path,
            f"cannot read catalog: not {encoding} text, as its header's charset says "
            f"(byte {data[error.start]:#x}); correct the charset, or convert the file "
            "with `msgconv -t UTF-8`",
            line,
        ) from error


# A line holding a quoted string: keyword (or continuation), perhaps obsolete or previous.
_STRING_LINE = re.compile(r'^(?:#[~|]\s*)*(?:msg\w+(?:\[\d+\])?\s+)?(".*)$')
_CLOSED = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')


def _check_strings(path: Path, text: str) -> None:
    """Refuse a string left open, as msgfmt does ("end-of-line within string").

    polib and Babel both read `msgstr "Compartir` without complaint, dropping its
    last letter: rewriting such a file would damage a translator's work.
    """
    for number, line in enumerate(text.splitlines(), 1):
        found = _STRING_LINE.match(line.strip())
        if found and not _CLOSED.match(found.group(1)):
            raise CatalogError(
                path, "string not closed by a quote (end of line within string)", number
            )


def _reject_duplicates(path: Path, po: polib.POFile) -> None:
    """msgfmt refuses a msgid defined twice; merging one would lose a translation silently."""
    seen: set[Key] = set()
    for entry in po:
        key = Key(entry.msgctxt, entry.msgid)
        if not entry.obsolete and key in seen:
            raise CatalogError(path, f"duplicate message definition {entry.msgid!r}", entry.linenum)
        if not entry.obsolete:
            seen.add(key)


def _reject_plural_gaps(path: Path, po: polib.POFile) -> None:
    """msgfmt wants msgstr[0], msgstr[1]... in order; we keep them as a list, so do we."""
    for entry in po:
        if sorted(entry.msgstr_plural) != list(range(len(entry.msgstr_plural))):
            raise CatalogError(path, "plural form has wrong index", entry.linenum)


def _written_before_role_marks(po: polib.POFile) -> bool:
    """A catalog of ours from before ROLE_MARK: all its "#." lines name roles."""
    marked = any(line.startswith(ROLE_MARK) for e in po for line in e.comment.splitlines())
    return _made_by_us((str(k), str(v)) for k, v in po.metadata.items()) and not marked


def _language_of(path: Path, metadata: Mapping[str, str]) -> str | None:
    in_tree = path.parent.name == "LC_MESSAGES" and len(path.parts) >= 3
    return metadata.get("Language") or (path.parts[-3] if in_tree else None)


def read_catalogs(catalog_dir: Path, domain: str) -> dict[str | None, Catalog]:
    """The existing template (key None) and .po files (key: language) of a tree."""
    found: dict[str | None, Catalog] = {}
    pot = template_path(catalog_dir, domain)
    if pot.is_file():
        found[None] = read_catalog(pot)
    for po_path in sorted(catalog_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        found[po_path.parts[-3]] = read_catalog(po_path)
    return found


def load_translations(catalog_dir: Path, domain: str, language: str) -> dict[Key, Entry]:
    """The entries of the language's .po file ({} when there is none yet)."""
    path = catalog_path(catalog_dir, domain, language)
    if not path.is_file():
        return {}
    return {e.key: e for e in read_catalog(path).entries}


def needs_machine(template: Template, existing: Catalog | None) -> list[Key]:
    """Template keys without a reviewed translation: the ones worth sending to an engine."""
    return [e.key for e in template.entries if not _is_reviewed(existing, e.key)]


def _is_reviewed(catalog: Catalog | None, key: Key) -> bool:
    entry = catalog.get(key) if catalog else None
    return entry is not None and entry.reviewed


def _from_polib(entry: polib.POEntry, legacy_roles: bool) -> Entry:
    references = tuple((str(p), int(n) if str(n).isdigit() else None) for p, n in entry.occurrences)
    extracted = entry.comment.splitlines() if entry.comment else []
    roles = tuple(c.removeprefix(ROLE_MARK) for c in extracted if c.startswith(ROLE_MARK))
    site_notes = tuple(c for c in extracted if not c.startswith(ROLE_MARK))
    if legacy_roles:
        roles, site_notes = site_notes, ()
    plural = entry.msgstr_plural
    return Entry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        flags=tuple(entry.flags),
        references=references,
        roles=roles,
        site_notes=site_notes,
        comments=tuple(entry.tcomment.splitlines()) if entry.tcomment else (),
        previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
        msgid_plural=entry.msgid_plural or None,
        msgstr_plural=tuple(plural[index] for index in sorted(plural)),
        previous_msgid_plural=entry.previous_msgid_plural,
    )


# --- our machine note -------------------------------------------------------------------

# Ends our note: a checksum of the msgstr the engine gave. One word, which no wrapping
# tool splits, so the note's last line is known however the note was wrapped.
_CHECKSUM = re.compile(r"sha256:([0-9a-f]{12})$")


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def machine_note(machine: MachineTranslation) -> tuple[str, ...]:
    """Our translator comment on `machine`, in lines as polib wraps it when it writes.

    Wrapped here already, so the entry read back from disk equals the one in memory.
    """
    note = " ".join(f"{MACHINE_NOTE} {machine.engine}; output sha256:".split())
    note += _checksum(machine.text)
    wrapped = textwrap.wrap(
        note, WRAP_WIDTH, initial_indent="# ", subsequent_indent="# ", break_long_words=False
    )
    return tuple(line.removeprefix("# ") for line in wrapped)


def _note_span(comments: tuple[str, ...]) -> range:
    """Where our note is among an entry's comment lines (empty when it has none)."""
    start = next((i for i, line in enumerate(comments) if line.startswith(MACHINE_NOTE)), None)
    if start is None:
        return range(0)
    ends = (i for i in range(start, len(comments)) if _CHECKSUM.search(comments[i]))
    # A note from before the checksum was the last comment, however many lines it took.
    return range(start, next(ends, len(comments) - 1) + 1)


def _without_note(comments: tuple[str, ...]) -> tuple[str, ...]:
    span = _note_span(comments)
    note = [comments[i] for i in span]
    # The release before the checksum removed only a note's first line on a rerun, so
    # each rerun left the wrapped tail behind, above the new note: those copies go too.
    left_behind = set(note[1:]) if note and not _CHECKSUM.search(note[-1]) else set()
    return tuple(
        line for i, line in enumerate(comments) if i not in span and line not in left_behind
    )


def _still_machine_output(entry: Entry, fresh: str) -> bool:
    """Fuzzy, with our note, and its msgstr still the engine's text: ours to refresh.

    Any other fuzzy translation is a translator's work in progress, which we keep.
    """
    span = _note_span(entry.comments)
    if not entry.fuzzy or not span:
        return False
    recorded = _CHECKSUM.search(entry.comments[span[-1]])
    if recorded is None:  # a note from before the checksum: only the same text is surely ours
        return entry.msgstr == fresh
    return recorded.group(1) == _checksum(entry.msgstr)


# --- merging ----------------------------------------------------------------------------

Match = tuple[Entry, bool]  # an old entry for a template key, and whether the key is the same


def update_catalog(
    template: Template,
    existing: Catalog | None,
    language: str,
    machine: Mapping[Key, MachineTranslation],
    *,
    revision_date: datetime | None = None,
) -> Catalog:
    """Merge `template` into the language's catalog as msgmerge does, filling gaps by machine.

    - a reviewed entry (translated, not fuzzy) keeps its msgstr, flags and comments;
    - an entry of ours whose string disappeared becomes obsolete (#~), never deleted; a
      site's entry the template lacks stays as it is;
    - a changed string is matched fuzzily to the old one, keeps its translation, is
      marked fuzzy and keeps the old source as `#| msgid`;
    - a new string gets `machine[key]`, flagged fuzzy, with a note naming its engine;
    - machine output no translator has touched gets the fresh machine translation;
    - `revision_date` is the PO-Revision-Date of a catalog made now (default: now).
    """
    old = existing or Catalog(template.domain, language, (), ())
    matches, left_over = _match(template, old)
    merged = tuple(
        _merged(entry, matches.get(entry.key), machine.get(entry.key)) for entry in template.entries
    )
    # msgmerge makes every vanished string obsolete; we do so with our own strings only.
    kept = tuple(e for e in left_over if not e.ours)
    entries = (*merged, *kept)
    active = {e.key for e in entries}
    gone = (*old.obsolete, *(_as_obsolete(e) for e in left_over if e.ours))
    obsolete = {e.key: e for e in gone if e.key not in active}
    header = _po_header(template, old, language, revision_date or source_date())
    comment = old.header_comment or (
        f"{language} translations of the UI strings in {template.domain}.pot.\n"
        "Machine translations are marked fuzzy until a translator reviews them."
    )
    return Catalog(
        template.domain,
        language,
        header,
        entries,
        tuple(obsolete.values()),
        comment,
        old.header_flags,
    )


def _match(template: Template, old: Catalog) -> tuple[dict[Key, Match], list[Entry]]:
    """Pair template keys with old entries, and list the old entries no key took.

    Same key first, obsolete entries included (msgmerge revives an obsolete entry whose
    string is back, with its translation). Then the fuzzy matches of the rest (see
    `_fuzzy_matches`): one takes an entry of ours away from its old key; it only copies
    a site's entry, which stays where it is.
    """
    active = {e.key: e for e in old.entries}
    revivable = {e.key: e for e in old.obsolete}
    matches: dict[Key, Match] = {}
    for entry in template.entries:
        found = active.get(entry.key) or revivable.get(entry.key)
        if found is not None:
            matches[entry.key] = (found, True)
    unmatched = [e for e in template.entries if e.key not in matches and not e.msgid_plural]
    candidates = [e for e in old.entries if not e.msgid_plural]
    fuzzy = _fuzzy_matches(unmatched, candidates)
    matches.update((key, (source, False)) for key, source in fuzzy.items())
    taken = {source.key for source in fuzzy.values()}
    left_over = [e for e in old.entries if e.key not in matches and not (e.ours and e.key in taken)]
    return matches, left_over


def _fuzzy_matches(new: list[Entry], candidates: list[Entry]) -> dict[Key, Entry]:
    """{new key: the old entry its text was probably changed from}.

    Babel's `Catalog.update`, not polib's `merge`: polib pairs exact msgids only, so a
    corrected typo would drop the translator's work to obsolete and start over, while
    Babel matches changed strings fuzzily (difflib, as msgmerge does) and keeps the
    previous msgid. We let Babel decide the pairs and build the entries ourselves; each
    old message carries its index as a user comment, which Babel copies into the match.
    """
    if not new or not candidates:  # nothing to match (and Babel takes 0.1 s to import)
        return {}
    from babel.messages.catalog import Catalog as BabelCatalog  # only for fuzzy matching

    babel_old = BabelCatalog(fuzzy=False)
    for index, entry in enumerate(candidates):
        babel_old.add(entry.msgid, entry.msgstr, user_comments=[str(index)], context=entry.msgctxt)
    babel_template = BabelCatalog(fuzzy=False)
    for entry in new:
        babel_template.add(entry.msgid, context=entry.msgctxt)
    babel_old.update(babel_template, update_creation_date=False)
    return {
        Key(message.context, str(message.id)): candidates[int(message.user_comments[0])]
        for message in babel_old
        if message.id and message.user_comments and message.previous_id
    }


def _merged(new: Entry, match: Match | None, machine: MachineTranslation | None) -> Entry:
    """The entry for `new` (from the template), given its old match and machine output."""
    fillable = machine is not None and not new.msgid_plural  # engines translate no plurals
    if match is None:
        return _with_machine(new, machine) if machine and fillable else new
    old, exact = match
    if exact and new.ours and not old.ours:
        # A site's .po entry for a string of the batch stays the site's (see module doc).
        new = replace(new, references=old.references, roles=(), site_notes=old.site_notes)
    carried = _carry_translation(new, old)
    if exact and old.reviewed:
        return carried  # a translator's work: untouched (msgmerge drops only #| lines here)
    if exact:
        carried = replace(
            carried,
            previous_msgid=old.previous_msgid,
            previous_msgctxt=old.previous_msgctxt,
            previous_msgid_plural=old.previous_msgid_plural,
        )
    else:
        # A translator's text for the old source is still theirs: no machine note on it.
        comments = _without_note(old.comments) if old.reviewed else old.comments
        carried = replace(
            carried,
            flags=_with_fuzzy(old.flags),
            comments=comments,
            previous_msgid=old.msgid,
            previous_msgctxt=old.msgctxt,
        )
    if machine and fillable and (not old.translated or _still_machine_output(old, machine.text)):
        return _with_machine(carried, machine)
    return carried  # a human translation in progress, or a reviewed one now fuzzy: keep it


def _carry_translation(new: Entry, old: Entry) -> Entry:
    """`new` with the old entry's translation, flags and comments, in `new`'s shape.

    Only a site can turn a string plural or singular; then, as msgmerge, the first
    form carries over and the entry is fuzzy.
    """
    carried = replace(new, flags=old.flags, comments=old.comments)
    if bool(new.msgid_plural) == bool(old.msgid_plural):
        return replace(carried, msgstr=old.msgstr, msgstr_plural=old.msgstr_plural)
    flags = _with_fuzzy(old.flags)
    if new.msgid_plural:
        forms = max(len(new.msgstr_plural), 2)
        return replace(carried, msgstr_plural=(old.msgstr, *[""] * (forms - 1)), flags=flags)
    return replace(carried, msgstr=old.msgstr_plural[0], msgstr_plural=(), flags=flags)


def _with_machine(entry: Entry, machine: MachineTranslation) -> Entry:
    comments = (*_without_note(entry.comments), *machine_note(machine))
    return replace(entry, msgstr=machine.text, flags=_with_fuzzy(entry.flags), comments=comments)


def _as_obsolete(entry: Entry) -> Entry:
    """What gettext keeps of a vanished string: text, translation, flags, translator comments."""
    return replace(
        entry,
        references=(),
        roles=(),
        site_notes=(),
        previous_msgid=None,
        previous_msgctxt=None,
        previous_msgid_plural=None,
    )


def _with_fuzzy(flags: tuple[str, ...]) -> tuple[str, ...]:
    return flags if "fuzzy" in flags else ("fuzzy", *flags)


def _po_header(
    template: Template, old: Catalog, language: str, revision_date: datetime
) -> tuple[tuple[str, str], ...]:
    """msgmerge's rule: keep the translator's header, take POT-Creation-Date from the template.

    PO-Revision-Date says when a translator last revised the file: msgmerge never
    changes it, nor do we; it is set only where the catalog has none (a new one).
    """
    fields = {
        "Project-Id-Version": template.header_value("Project-Id-Version") or template.domain,
        "PO-Revision-Date": _format_date(revision_date),
        "Last-Translator": f"{PROJECT} (machine translation)",
        "Language-Team": "none",
        "Plural-Forms": plural_forms(language),
        **dict(old.header),
        **dict(FORMAT_HEADER),  # written as UTF-8, whatever charset it was read in
    }
    fields["POT-Creation-Date"] = template.header_value("POT-Creation-Date") or ""
    fields["Language"] = language
    return _header(fields)


def _header(fields: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    known = [(name, fields[name]) for name in HEADER_ORDER if name in fields]
    others = sorted((name, value) for name, value in fields.items() if name not in HEADER_ORDER)
    return (*known, *others)


# --- rendering --------------------------------------------------------------------------


def translations_for_render(catalog: Catalog) -> dict[UiString, Rendered]:
    """What articles show for each (text, role): the reviewed translation, else the fuzzy one.

    Untranslated entries are left out: the article keeps the source text there. A
    site's entry names no role of ours: articles find it by its text (see assemble).
    """
    rendered: dict[UiString, Rendered] = {}
    for entry in catalog.entries:
        if entry.msgstr:
            for role in entry.roles or (entry.msgctxt or "",):
                rendered[UiString(entry.msgid, role)] = Rendered(entry.msgstr, entry.reviewed)
    return rendered


def render_catalog(catalog: Catalog) -> str:
    """The catalog as .po/.pot text, exactly as `write_catalog` saves it."""
    return str(_to_polib(catalog)) + "\n"


def _to_polib(catalog: Catalog) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8")
    po.header = catalog.header_comment
    po.metadata = dict(catalog.header)
    po.metadata_is_fuzzy = list(catalog.header_flags)
    for entry in catalog.entries:
        po.append(_polib_entry(entry, obsolete=False))
    for entry in catalog.obsolete:
        po.append(_polib_entry(entry, obsolete=True))
    return po


def _polib_entry(entry: Entry, *, obsolete: bool) -> polib.POEntry:
    # gettext drops #| lines from reviewed entries; so do we
    previous = entry.fuzzy
    return polib.POEntry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural or "",
        msgstr_plural=dict(enumerate(entry.msgstr_plural)),
        flags=list(entry.flags),
        occurrences=[(path, str(line) if line else "") for path, line in entry.references],
        comment="\n".join((*entry.site_notes, *(ROLE_MARK + role for role in entry.roles))),
        tcomment="\n".join(entry.comments),
        previous_msgid=entry.previous_msgid if previous else None,
        previous_msgctxt=entry.previous_msgctxt if previous else None,
        previous_msgid_plural=entry.previous_msgid_plural if previous else None,
        obsolete=obsolete,
    )


# --- writing ----------------------------------------------------------------------------


def write_template(path: Path, template: Template) -> Template:
    """Save the .pot atomically; returns what was written (see `write_catalog`)."""
    return write_catalog(path, template)


def write_catalog(path: Path, catalog: Catalog) -> Catalog:
    """Save a .po/.pot atomically and return the catalog as written.

    When only the dates differ from the file already there, the file's dates are kept,
    so a rerun on the same input rewrites the same bytes.
    """
    settled = _keep_dates_if_unchanged(path, catalog)
    data = render_catalog(settled).encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        atomic_write(path, data)
    return settled


def _keep_dates_if_unchanged(path: Path, catalog: Catalog) -> Catalog:
    if not path.is_file():
        return catalog
    try:
        current = read_catalog(path)
    except CatalogError:
        return catalog  # an unreadable file is replaced whole; its dates mean nothing
    kept = dict(catalog.header)
    for name in DATE_FIELDS:
        value = current.header_value(name)
        if name in kept and value is not None:
            kept[name] = value
    candidate = replace(catalog, header=tuple(kept.items()))
    same = render_catalog(candidate) == render_catalog(current)
    return candidate if same else catalog


def compile_catalogs(catalog_dir: Path, domain: str) -> Compiled:
    """Write `<lang>/LC_MESSAGES/<domain>.mo` beside every .po; fuzzy entries left out.

    polib's binary writer, like msgfmt, includes only translated, non-fuzzy entries. A
    catalog that cannot be read is reported and the others are still compiled.
    """
    result = Compiled()
    for po_path in sorted(catalog_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        try:
            po = _parse(po_path)
            _reject_duplicates(po_path, po)
        except CatalogError as error:
            result.errors.append(error)
            continue
        mo_path = po_path.with_suffix(".mo")
        atomic_write(mo_path, bytes(po.to_binary()))
        result.written.append(mo_path)
    return result
