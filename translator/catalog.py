"""Gettext catalogs for UI strings: build a .pot, merge .po files as msgmerge does, compile .mo.

The only module that imports polib and babel.messages. polib reads and writes every
catalog file (one writer, one wrapping style); Babel contributes what polib lacks: the
fuzzy matching of `Catalog.update` and the Plural-Forms of every language. Everything
here builds values in memory; `write_template`, `write_catalog` and `compile_catalogs`
are the only functions that touch the disk, always through `atomic_write`.

Layout of a catalog tree (`OUT/locale`, or the folder given with `--catalog`):
    <dir>/<domain>.pot
    <dir>/<lang>/LC_MESSAGES/<domain>.po   (and .mo once compiled)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import polib

from translator.fsutil import atomic_write
from translator.model import InputError

# msgmerge, msgcat and Poedit wrap at 79 columns; we do too, so a translator's tools and
# ours rewrite the same lines and a diff shows only real changes.
WRAP_WIDTH = 79
MACHINE_NOTE = "machine translation:"  # starts the translator comment on machine output
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
    roles: tuple[str, ...] = ()  # extracted comments, "#. button"
    comments: tuple[str, ...] = ()  # translator comments, "# machine translation: ..."
    previous_msgid: str | None = None  # "#| msgid", the source text a fuzzy match came from
    previous_msgctxt: str | None = None

    @property
    def key(self) -> Key:
        return Key(self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def reviewed(self) -> bool:
        """Translated and not fuzzy: a translator's work, never changed by a run."""
        return bool(self.msgstr) and not self.fuzzy

    @property
    def machine(self) -> bool:
        """Fuzzy output of an engine (our note on it), which a later run may refresh."""
        return self.fuzzy and any(c.startswith(MACHINE_NOTE) for c in self.comments)


@dataclass(frozen=True)
class Catalog:
    """A .pot (language None) or a .po file, in memory."""

    domain: str
    language: str | None
    header: tuple[tuple[str, str], ...]  # metadata fields, "Content-Type: ..."
    entries: tuple[Entry, ...]
    obsolete: tuple[Entry, ...] = ()  # "#~" entries: kept so no translation is ever lost
    header_comment: str = ""

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


# --- building the template --------------------------------------------------------------


def build_template(
    occurrences: Iterable[Occurrence],
    *,
    domain: str,
    version: str,
    creation_date: datetime | None = None,
    project: str = "translate-news",
    previous: Iterable[Catalog] = (),
) -> Template:
    """One entry per UI string of the batch, in order of first occurrence.

    `previous` are the catalogs already in the tree (the .pot and the .po files): they
    keep contexts stable across runs, so an entry a translator reviewed is not orphaned
    because its text played another role in a later batch (see `_context`).
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
    return Catalog(domain, None, header, entries, header_comment=comment)


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
    active = tuple(_from_polib(e) for e in po if not e.obsolete and not e.msgid_plural)
    obsolete = tuple(_from_polib(e) for e in po if e.obsolete and not e.msgid_plural)
    language = None if path.suffix == ".pot" else _language_of(path, po.metadata)
    header = _header({str(k): str(v) for k, v in po.metadata.items()})
    return Catalog(path.stem, language, header, active, obsolete, str(po.header))


def _parse(path: Path) -> polib.POFile:
    try:
        _check_strings(path, path.read_text("utf-8"))
        return polib.pofile(str(path), wrapwidth=WRAP_WIDTH, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        # polib says "Syntax error in po file (line 3)": move the line where we report it
        found = re.search(r"\s*\(line (\d+)\)", str(error))
        problem = str(error).replace(found.group(0), "") if found else str(error)
        problem = problem.replace(f" {path}", "")  # the report names the file already
        line = int(found.group(1)) if found else None
        raise CatalogError(path, f"cannot read catalog: {problem}", line) from error


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


def _from_polib(entry: polib.POEntry) -> Entry:
    references = tuple((str(p), int(n) if str(n).isdigit() else None) for p, n in entry.occurrences)
    return Entry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        flags=tuple(entry.flags),
        references=references,
        roles=tuple(entry.comment.splitlines()) if entry.comment else (),
        comments=tuple(entry.tcomment.splitlines()) if entry.tcomment else (),
        previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
    )


# --- merging ----------------------------------------------------------------------------


def update_catalog(
    template: Template,
    existing: Catalog | None,
    language: str,
    machine: Mapping[Key, str],
    engine_note: str,
    *,
    revision_date: datetime | None = None,
) -> Catalog:
    """Merge `template` into the language's catalog as msgmerge does, filling gaps by machine.

    - a reviewed entry (translated, not fuzzy) keeps its msgstr, flags and comments;
    - an entry whose string disappeared becomes obsolete (#~), never deleted;
    - a changed string is matched fuzzily to the old one, keeps its translation, is
      marked fuzzy and keeps the old source as `#| msgid`;
    - a new string gets `machine[key]`, flagged fuzzy, with a note naming `engine_note`;
    - an unreviewed machine entry gets the fresh machine translation.
    """
    old = existing or Catalog(template.domain, language, (), ())
    matches, newly_obsolete = _match(template, old)
    note = f"{MACHINE_NOTE} {engine_note}"
    entries = tuple(
        _merged(entry, matches.get(entry.key), machine.get(entry.key), note)
        for entry in template.entries
    )
    active = {e.key for e in entries}
    gone = (_as_obsolete(e) for e in (*old.obsolete, *newly_obsolete))
    obsolete = {e.key: e for e in gone if e.key not in active}
    header = _po_header(template, old, language, revision_date or source_date())
    comment = old.header_comment or (
        f"{language} translations of the UI strings in {template.domain}.pot.\n"
        "Machine translations are marked fuzzy until a translator reviews them."
    )
    return Catalog(template.domain, language, header, entries, tuple(obsolete.values()), comment)


def _match(template: Template, old: Catalog) -> tuple[dict[Key, tuple[Entry, bool]], list[Entry]]:
    """Pair template keys with old entries: {key: (old entry, exact?)}, and the unmatched.

    Babel's `Catalog.update`, not polib's `merge`: polib pairs exact msgids only, so a
    corrected typo would drop the translator's work to obsolete and start over, while
    Babel matches changed strings fuzzily (difflib, as msgmerge does) and keeps the
    previous msgid. We let Babel decide the pairs and build the entries ourselves; each
    old message carries its index as a user comment, which Babel copies into the match.
    """
    keys = {e.key for e in template.entries}
    old_keys = {e.key for e in old.entries}
    if keys <= old_keys:  # every string is there as it was: nothing to match fuzzily
        by_key = {e.key: e for e in old.entries}
        return {e.key: (by_key[e.key], True) for e in template.entries}, [
            e for e in old.entries if e.key not in keys
        ]
    # An obsolete entry whose string is back is revived, with its translation (msgmerge too).
    revived = [e for e in old.obsolete if e.key in keys and e.key not in old_keys]
    candidates = [*old.entries, *revived]
    if not candidates:  # a new catalog: nothing to match (and Babel takes 0.1 s to import)
        return {}, []
    from babel.messages.catalog import Catalog as BabelCatalog  # only for fuzzy matching

    babel_old = BabelCatalog(fuzzy=False)
    for index, entry in enumerate(candidates):
        babel_old.add(entry.msgid, entry.msgstr, user_comments=[str(index)], context=entry.msgctxt)
    babel_template = BabelCatalog(fuzzy=False)
    for entry in template.entries:
        babel_template.add(entry.msgid, context=entry.msgctxt)
    babel_old.update(babel_template, update_creation_date=False)
    matches: dict[Key, tuple[Entry, bool]] = {}
    for message in babel_old:
        if message.id and message.user_comments:
            source = candidates[int(message.user_comments[0])]
            matches[Key(message.context, str(message.id))] = (source, not message.previous_id)
    unmatched = [candidates[int(m.user_comments[0])] for m in babel_old.obsolete.values()]
    return matches, unmatched


def _merged(new: Entry, match: tuple[Entry, bool] | None, machine: str | None, note: str) -> Entry:
    """The entry for `new` (from the template), given its old match and machine output."""
    if match is None:
        return _machine_entry(new, machine, note) if machine else new
    old, exact = match
    carried = replace(new, msgstr=old.msgstr, flags=old.flags, comments=old.comments)
    if exact and old.reviewed:
        return carried  # a translator's work: untouched (msgmerge drops only #| lines here)
    if exact:
        carried = replace(carried, previous_msgid=old.previous_msgid)
        carried = replace(carried, previous_msgctxt=old.previous_msgctxt)
    elif old.reviewed:
        # A translator's text for the old source: still theirs, so no machine note on it.
        comments = tuple(c for c in old.comments if not c.startswith(MACHINE_NOTE))
        carried = replace(carried, flags=_with_fuzzy(old.flags), comments=comments)
        carried = replace(carried, previous_msgid=old.msgid, previous_msgctxt=old.msgctxt)
    else:
        carried = replace(carried, flags=_with_fuzzy(old.flags))
        carried = replace(carried, previous_msgid=old.msgid, previous_msgctxt=old.msgctxt)
    if machine and (old.machine or not old.msgstr):
        return _machine_entry(carried, machine, note)
    return carried  # a human translation in progress, or a reviewed one now fuzzy: keep it


def _machine_entry(entry: Entry, machine: str, note: str) -> Entry:
    comments = tuple(c for c in entry.comments if not c.startswith(MACHINE_NOTE))
    return replace(
        entry, msgstr=machine, flags=_with_fuzzy(entry.flags), comments=(*comments, note)
    )


def _as_obsolete(entry: Entry) -> Entry:
    """What gettext keeps of a vanished string: text, translation, flags, translator comments."""
    return replace(entry, references=(), roles=(), previous_msgid=None, previous_msgctxt=None)


def _with_fuzzy(flags: tuple[str, ...]) -> tuple[str, ...]:
    return flags if "fuzzy" in flags else ("fuzzy", *flags)


def _po_header(
    template: Template, old: Catalog, language: str, revision_date: datetime
) -> tuple[tuple[str, str], ...]:
    """msgmerge's rule: keep the translator's header, take POT-Creation-Date from the template.

    The date fields move to this run; `write_catalog` puts the file's dates back when
    nothing else changed.
    """
    fields = {
        "Project-Id-Version": template.header_value("Project-Id-Version") or template.domain,
        "Last-Translator": "translate-news (machine translation)",
        "Language-Team": "none",
        "Plural-Forms": plural_forms(language),
        **dict(old.header),
        **dict(FORMAT_HEADER),
    }
    fields["POT-Creation-Date"] = template.header_value("POT-Creation-Date") or ""
    fields["PO-Revision-Date"] = _format_date(revision_date)
    fields["Language"] = language
    return _header(fields)


def _header(fields: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    known = [(name, fields[name]) for name in HEADER_ORDER if name in fields]
    others = sorted((name, value) for name, value in fields.items() if name not in HEADER_ORDER)
    return (*known, *others)


# --- rendering --------------------------------------------------------------------------


def translations_for_render(catalog: Catalog) -> dict[UiString, Rendered]:
    """What articles show for each (text, role): the reviewed translation, else the fuzzy one.

    Untranslated entries are left out: the article keeps the source text there.
    """
    rendered: dict[UiString, Rendered] = {}
    for entry in catalog.entries:
        if entry.msgstr:
            for role in entry.roles:
                rendered[UiString(entry.msgid, role)] = Rendered(entry.msgstr, entry.reviewed)
    return rendered


def render_catalog(catalog: Catalog) -> str:
    """The catalog as .po/.pot text, exactly as `write_catalog` saves it."""
    return str(_to_polib(catalog)) + "\n"


def _to_polib(catalog: Catalog) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8")
    po.header = catalog.header_comment
    po.metadata = dict(catalog.header)
    for entry in catalog.entries:
        po.append(_polib_entry(entry, obsolete=False))
    for entry in catalog.obsolete:
        po.append(_polib_entry(entry, obsolete=True))
    return po


def _polib_entry(entry: Entry, *, obsolete: bool) -> polib.POEntry:
    return polib.POEntry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        flags=list(entry.flags),
        occurrences=[(path, str(line) if line else "") for path, line in entry.references],
        comment="\n".join(entry.roles),
        tcomment="\n".join(entry.comments),
        # gettext drops #| lines from reviewed entries; so do we
        previous_msgid=entry.previous_msgid if entry.fuzzy else None,
        previous_msgctxt=entry.previous_msgctxt if entry.fuzzy else None,
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
    text = render_catalog(settled)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text)
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
