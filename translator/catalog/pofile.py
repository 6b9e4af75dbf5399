"""Catalog files: reading and writing .po/.pot files, compiling .mo. The only module with polib.

Layout of a catalog tree (`OUT/locale`, or the folder given with `--catalog`):
    <dir>/<domain>.pot
    <dir>/<locale>/LC_MESSAGES/<domain>.po   (and .mo once compiled)
<locale> is spelt as gettext looks it up ("pt_BR" for pt-br: see `locale_name`), or as
the folder a site already has for the language ("pt-br" too is found).

Charsets: a catalog is read in the charset its header declares and always written back
as UTF-8. Catalogs written before ROLE_MARK existed (header "Project-Id-Version:
translate-news ...", no prefixed line) hold only our entries: their plain `#.` lines
are read as roles.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from translator.catalog.header import DATE_FIELDS, made_by_us, ordered_header
from translator.catalog.model import ROLE_MARK, Catalog, CatalogError, Entry, Key, Template
from translator.catalog.syntax import Layout, prepared
from translator.catalog.wrap import PAGE_WIDTH, string_lines
from translator.fsutil import atomic_write, write_if_changed
from translator.inline import catalog_text
from translator.languages import base_language, locale_name, normalise_language


@dataclass
class Compiled:
    """Result of compiling a tree: .mo files written, and catalogs that could not be read."""

    written: list[Path] = field(default_factory=list)
    errors: list[CatalogError] = field(default_factory=list)


# --- paths -----------------------------------------------------------------------------


def template_path(catalog_dir: Path, domain: str) -> Path:
    return catalog_dir / f"{domain}.pot"


def catalog_path(catalog_dir: Path, domain: str, language: str) -> Path:
    """The .po of `language` in the tree: gettext's spelling of the folder, unless only
    another spelling of it is there already (a site's "pt-br", or ours before)."""
    path = _po_path(catalog_dir, domain, locale_name(language))
    if path.is_file():
        return path
    code = normalise_language(language)
    for other in sorted(catalog_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        if normalise_language(other.parts[-3]) == code:
            return other
    return path


def _po_path(catalog_dir: Path, domain: str, folder: str) -> Path:
    return catalog_dir / folder / "LC_MESSAGES" / f"{domain}.po"


# --- reading ----------------------------------------------------------------------------


def read_catalog(path: Path) -> Catalog:
    """Read a .pot or .po file; CatalogError (with the line) if it is not valid gettext."""
    po, written = _parse_valid(path)
    legacy = _written_before_role_marks(po)
    entries = [_from_polib(e, legacy, written) for e in po]
    active = tuple(entry for entry, e in zip(entries, po, strict=True) if not e.obsolete)
    obsolete = tuple(entry for entry, e in zip(entries, po, strict=True) if e.obsolete)
    language = None if path.suffix == ".pot" else _language_of(path, po.metadata)
    header = ordered_header({str(k): str(v) for k, v in po.metadata.items()})
    header_flags = tuple(po.metadata_is_fuzzy or ())
    return Catalog(path.stem, language, header, active, obsolete, str(po.header), header_flags)


def _parse_valid(path: Path) -> tuple[polib.POFile, Layout]:
    """The file parsed, and refused (CatalogError) where msgfmt would refuse it; and
    what polib does not keep of how it is written."""
    po, written = _parse(path)
    _reject_duplicates(path, po)
    _reject_plural_gaps(path, po)
    return po, written


def _parse(path: Path) -> tuple[polib.POFile, Layout]:
    try:
        # In the charset its header declares (msgfmt accepts ISO-8859-1 and others);
        # polib's own detection, which falls back to UTF-8 when the header names none
        # or xgettext's placeholder "CHARSET".
        encoding = polib.detect_encoding(str(path))
        text, written = prepared(path, _decoded(path, encoding))
        po = polib.pofile(text, wrapwidth=PAGE_WIDTH, encoding=encoding)
        return po, written
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
    return made_by_us((str(k), str(v)) for k, v in po.metadata.items()) and not marked


def _language_of(path: Path, metadata: Mapping[str, str]) -> str | None:
    in_tree = path.parent.name == "LC_MESSAGES" and len(path.parts) >= 3
    return metadata.get("Language") or (path.parts[-3] if in_tree else None)


def read_catalogs(catalog_dir: Path, domain: str) -> dict[str | None, Catalog]:
    """The existing template (key None) and .po files of a tree, each keyed by its
    language as normalise_language spells it ("pt_BR/" is "pt-br"); where a language
    has two folders, the one `catalog_path` writes to."""
    found: dict[str | None, Catalog] = {}
    pot = template_path(catalog_dir, domain)
    if pot.is_file():
        found[None] = read_catalog(pot)
    for po_path in sorted(catalog_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        language = normalise_language(po_path.parts[-3])
        if language not in found and po_path == catalog_path(catalog_dir, domain, language):
            found[language] = read_catalog(po_path)
    return found


def read_compendia(paths: Sequence[Path], targets: Sequence[str]) -> dict[str, dict[Key, str]]:
    """Per target, the translations of compendia (`msgmerge --compendium`'s): .po files
    of UI strings translated before, each for the language its Language header names.
    One serves its own language, a regional one the bare language too (es_ES serves
    es), a bare one each region of it (es serves es-MX); for a target, a compendium of
    its very language first, then in the order given, the first translation of a
    string winning. Only reviewed entries count: a fuzzy or empty one is nobody's
    translation yet. A compendium serving no target is a mistake (CatalogError)."""
    read: list[tuple[str, dict[Key, str]]] = []
    for path in paths:
        language, translations = _compendium(path)
        if not any(_serves(language, target) for target in targets):
            raise CatalogError(
                path,
                f"a compendium for {locale_name(language)}: the run translates into "
                + ", ".join(targets),
            )
        read.append((language, translations))
    known: dict[str, dict[Key, str]] = {}
    for target in targets:
        ordered = sorted(read, key=lambda found: found[0] != target)  # stable: given order
        for language, translations in ordered:
            if _serves(language, target):
                for key, text in translations.items():
                    known.setdefault(target, {}).setdefault(key, text)
    return known


def _compendium(path: Path) -> tuple[str, dict[Key, str]]:
    """A compendium's language, and its reviewed translations."""
    po, _ = _parse_valid(path)
    language = po.metadata.get("Language")
    if not language or path.suffix == ".pot":
        raise CatalogError(path, "a compendium is a .po file with a Language header")
    translations: dict[Key, str] = {}
    for entry in po:
        if not entry.msgstr or entry.obsolete or "fuzzy" in entry.flags:
            continue
        for end in (str.startswith, str.endswith):
            if end(entry.msgid, "\n") != end(entry.msgstr, "\n"):
                raise CatalogError(
                    path,
                    "msgid and msgstr must both begin and end with a newline, or neither "
                    "(msgfmt --check refuses it)",
                    entry.linenum,
                )
        translations.setdefault(Key(entry.msgctxt, entry.msgid), entry.msgstr)
    return normalise_language(language), translations


def _serves(language: str, target: str) -> bool:
    return (
        language == target or base_language(language) == target or language == base_language(target)
    )


def _line_after(lines: list[int], start: int) -> int | None:
    """The first of `lines` (sorted) at or after `start`: an entry's msgstr line."""
    at = bisect.bisect_left(lines, start)
    return lines[at] if at < len(lines) else None


def _from_polib(entry: polib.POEntry, legacy_roles: bool, written: Layout) -> Entry:
    references = tuple((str(p), int(n) if str(n).isdigit() else None) for p, n in entry.occurrences)
    extracted = entry.comment.splitlines() if entry.comment else []
    roles = tuple(c.removeprefix(ROLE_MARK) for c in extracted if c.startswith(ROLE_MARK))
    site_notes = tuple(c for c in extracted if not c.startswith(ROLE_MARK))
    if legacy_roles:
        roles, site_notes = site_notes, ()
    msgid, msgstr, previous = entry.msgid, entry.msgstr, entry.previous_msgid
    if roles and catalog_text(msgid) != msgid:
        # Ours, written before catalogs showed markup as placeholders and whitespace as
        # single spaces: read as written now, so a review stays one of this text.
        msgid, msgstr = catalog_text(msgid), catalog_text(msgstr, numbered_by=msgid)
        previous = catalog_text(previous) if previous else previous
    plural = entry.msgstr_plural
    line = _line_after(written.translation_lines, entry.linenum)
    return Entry(
        msgid=msgid,
        msgctxt=entry.msgctxt,
        msgstr=msgstr,
        flags=tuple(entry.flags),
        references=references,
        roles=roles,
        site_notes=site_notes,
        comments=written.comments.get(line, ()) if line else (),
        previous_msgid=previous,
        previous_msgctxt=entry.previous_msgctxt,
        msgid_plural=entry.msgid_plural or None,
        msgstr_plural=tuple(plural[index] for index in sorted(plural)),
        previous_msgid_plural=entry.previous_msgid_plural,
        line=line,
    )


# --- rendering -------------------------------------------------------------------------


def render_catalog(catalog: Catalog) -> str:
    """The catalog as .po/.pot text, exactly as `write_catalog` saves it, and as GNU
    gettext writes it (write-po.c): msgcat, msgmerge and Poedit rewrite none of its
    lines, so a translator's save and a rerun differ only where an entry does.

    polib reads catalogs, but its writer wraps strings its own way (a line may start
    with the space gettext ends the previous one with) and wraps comments gettext
    leaves alone: a quarter of the long entries of a msgcat-saved file changed.
    """
    header = Entry(
        msgid="",
        msgstr="".join(f"{name}: {value}\n" for name, value in catalog.header),
        flags=catalog.header_flags,
    )
    blocks = [_header_comment(catalog.header_comment) + _entry_lines(header, obsolete=False)]
    blocks += [_entry_lines(entry, obsolete=False) for entry in catalog.entries]
    blocks += [_entry_lines(entry, obsolete=True) for entry in catalog.obsolete]
    return "\n".join("\n".join(lines) + "\n" for lines in blocks)


def _header_comment(comment: str) -> list[str]:
    if not comment:
        return []
    return ["#" if not line else f"#{line}" if line[0] in ",:" else f"# {line}"
            for line in comment.split("\n")]  # fmt: skip


def _entry_lines(entry: Entry, *, obsolete: bool) -> list[str]:
    """One entry's lines, in gettext's order: comments, references, flags, previous
    strings (of fuzzy and obsolete entries: msgmerge drops them from reviewed ones,
    and keeps an obsolete entry as it is), strings."""
    lines = [f"# {line}" if line else "#" for line in entry.comments]
    # An obsolete entry of ours has none of these; a site's keeps them, as msgcat does.
    notes = (*entry.site_notes, *(ROLE_MARK + role for role in entry.roles))
    lines += [f"#. {note}" if note else "#." for note in notes]
    lines += _reference_lines(entry.references)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if obsolete else ""
    strings: list[tuple[str, str, str | None]] = []  # (line prefix, keyword, value)
    if entry.fuzzy or obsolete:
        before = "#~| " if obsolete else "#| "
        strings += [
            (before, "msgctxt", entry.previous_msgctxt),
            (before, "msgid", entry.previous_msgid),
            (before, "msgid_plural", entry.previous_msgid_plural),
        ]
    strings += [(prefix, "msgctxt", entry.msgctxt), (prefix, "msgid", entry.msgid)]
    if entry.msgid_plural:
        strings.append((prefix, "msgid_plural", entry.msgid_plural))
        strings += [(prefix, f"msgstr[{n}]", form) for n, form in enumerate(entry.msgstr_plural)]
    else:
        strings.append((prefix, "msgstr", entry.msgstr))
    wrap = "no-wrap" not in entry.flags
    for start, keyword, value in strings:
        if value is not None:
            lines += string_lines(keyword, value, start, wrap=wrap)
    return lines


def _reference_lines(references: Sequence[tuple[str, int | None]]) -> list[str]:
    """#: lines as gettext fills them: a reference goes on a new line when it would
    end past PAGE_WIDTH, counted in bytes as write-po.c counts ("política/niño.txt")."""
    lines: list[str] = []
    line = ""
    for path, number in references:
        reference = f" {path}:{number}" if number is not None else f" {path}"
        if line and len(line.encode()) + len(reference.encode()) > PAGE_WIDTH:
            lines.append(line)
            line = ""
        line = (line or "#:") + reference
    return [*lines, line] if line else lines


# --- writing ----------------------------------------------------------------------------


def write_template(path: Path, template: Template) -> Template:
    """Save the .pot atomically; returns what was written (see `write_catalog`)."""
    return write_catalog(path, template)


def write_catalog(path: Path, catalog: Catalog) -> Catalog:
    """Save a .po/.pot atomically and return the catalog as written.

    When only the dates differ from the file already there, the file's dates are kept,
    so a rerun on the same input rewrites the same bytes.
    """
    settled, text = _keep_dates_if_unchanged(path, catalog)
    write_if_changed(path, text)
    return settled


def _keep_dates_if_unchanged(path: Path, catalog: Catalog) -> tuple[Catalog, str]:
    """The catalog to write, and its rendering (made once: it is compared, then written)."""
    if not path.is_file():
        return catalog, render_catalog(catalog)
    try:
        current = read_catalog(path)
    except CatalogError:
        # An unreadable file is replaced whole; its dates mean nothing.
        return catalog, render_catalog(catalog)
    kept = dict(catalog.header)
    for name in DATE_FIELDS:
        value = current.header_value(name)
        if name in kept and value is not None:
            kept[name] = value
    candidate = replace(catalog, header=tuple(kept.items()))
    text = render_catalog(candidate)
    if text == render_catalog(current):
        return candidate, text
    return catalog, render_catalog(catalog)


def compile_catalogs(catalog_dir: Path, domain: str) -> Compiled:
    """Write `<lang>/LC_MESSAGES/<domain>.mo` beside every .po; fuzzy entries left out.

    The entries are those msgfmt compiles (see `_as_msgfmt_compiles`). A catalog that
    cannot be read is reported and the others are still compiled.
    """
    result = Compiled()
    for po_path in sorted(catalog_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        try:
            po, _ = _parse_valid(po_path)
        except CatalogError as error:
            result.errors.append(error)
            continue
        # As msgfmt: the template's date is no part of a translation, and left in, it
        # would change the .mo whenever the template changed and no translation did.
        po.metadata.pop("POT-Creation-Date", None)
        mo_path = po_path.with_suffix(".mo")
        try:
            atomic_write(mo_path, bytes(_as_msgfmt_compiles(po).to_binary()))
        except OSError as error:
            result.errors.append(CatalogError(mo_path, f"cannot write: {error.strerror or error}"))
            continue
        result.written.append(mo_path)
    return result


def _as_msgfmt_compiles(po: polib.POFile) -> polib.MOFile:
    """The entries msgfmt puts in a .mo: neither fuzzy nor obsolete, and translated, a
    plural one in its first form at least (polib's own writer wants every form)."""
    mo = polib.MOFile(encoding=po.encoding)
    mo.metadata = po.metadata
    for entry in po:
        first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if first and not entry.fuzzy and not entry.obsolete:
            mo.append(entry)
    return mo
