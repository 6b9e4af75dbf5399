"""The merge: a batch's UI strings into the .pot, the .pot into each .po as msgmerge does.

Whose is what. A tree may be a site's own, with strings xgettext found in its code
(plural ones too) next to ours, so two marks say what this tool made:

- An *entry* is ours when its extracted comments name its role with our prefix
  (`#. translate-news: button`); every entry we create has one. Only ours are dropped
  from the .pot or made obsolete in a .po when no article uses them any more (as
  msgmerge does). Every other entry (a site's) is carried through as it was: never
  dropped, never made obsolete, a batch string it already holds stays its entry.
  (Catalogs from before the prefix existed hold only ours: see `pofile`.)
- A *msgstr* is ours to replace while it is still exactly what an engine gave: its
  machine note still holds the checksum of that text (see `note`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from translator.catalog.header import (
    FORMAT_HEADER,
    FROM_TEMPLATE,
    format_date,
    made_by_us,
    ordered_header,
    plural_forms,
    source_date,
)
from translator.catalog.model import (
    PROJECT,
    Catalog,
    Entry,
    Key,
    MachineTranslation,
    Occurrence,
    Rendered,
    Template,
    UiString,
)
from translator.catalog.note import (
    is_machine_output,
    machine_note,
    still_machine_output,
    without_note,
)
from translator.languages import base_language, locale_name

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
        ("POT-Creation-Date", format_date(creation_date or source_date())),
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
    if made_by_us(existing.header, project):
        return merged
    fields = {
        **dict(existing.header),
        "POT-Creation-Date": template.header_value("POT-Creation-Date") or "",
        **dict(FORMAT_HEADER),
    }
    return replace(
        merged,
        header=ordered_header(fields),
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


# --- merging ----------------------------------------------------------------------------


Match = tuple[Entry, bool]  # an old entry for a template key, and whether the key is the same


def update_catalog(
    template: Template,
    existing: Catalog | None,
    language: str,
    machine: Mapping[Key, MachineTranslation],
    *,
    known: Mapping[Key, str] | None = None,
    revision_date: datetime | None = None,
) -> Catalog:
    """Merge `template` into the language's catalog as msgmerge does, filling gaps by machine.

    - a reviewed entry (translated, not fuzzy) keeps its msgstr, flags and comments;
    - an entry of ours whose string disappeared becomes obsolete (#~), never deleted; a
      site's entry the template lacks stays as it is;
    - a changed string is matched fuzzily to the old one, keeps its translation, is
      marked fuzzy and keeps the old source as `#| msgid`;
    - a string `known` translates (a compendium's, see `read_compendia`) gets that
      translation, not fuzzy, as from `msgmerge --compendium`, unless a translator's
      text for it is there already: a compendium fills gaps and replaces machine
      output and fuzzy matches; once in, its text is the catalog's (as msgmerge's);
    - a new string gets `machine[key]`, flagged fuzzy, with a note naming its engine;
    - machine output no translator has touched gets the fresh machine translation;
    - `revision_date` is the PO-Revision-Date of a catalog made now (default: now).
    """
    old = existing or Catalog(template.domain, language, (), ())
    matches, left_over = _match(template, old)
    compendium = {entry.key: _known(known, entry) for entry in template.entries}
    merged = tuple(
        _merged(entry, matches.get(entry.key), machine.get(entry.key), compendium[entry.key])
        for entry in template.entries
    )
    left_over += _displaced_drafts(matches, compendium)
    # msgmerge makes every vanished string obsolete; we do so with our own strings only.
    kept = tuple(e for e in left_over if not e.ours)
    entries = (*merged, *kept)
    active = {e.key for e in entries}
    # As msgmerge: a vanished string with no translation is dropped, not kept obsolete;
    # one made obsolete now goes before those that were, in the old file's order.
    gone = (*(_as_obsolete(e) for e in left_over if e.ours and e.translated), *old.obsolete)
    obsolete: dict[Key, Entry] = {}
    for entry in gone:
        if entry.key not in active:
            obsolete.setdefault(entry.key, entry)
    header = _po_header(template, old, language, revision_date or source_date())
    # Only a catalog made now gets our comment: a team's, or none, stays as it is.
    comment = (
        old.header_comment
        if old.header
        else (
            f"{language} translations of the UI strings in {template.domain}.pot.\n"
            "Machine translations are marked fuzzy until a translator reviews them."
        )
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
    a site's entry, which stays where it is. A reviewed entry of ours taken is also
    left over, to be kept obsolete (unlike msgmerge): should its string come back, as
    when an edit is undone, the review comes back whole with it.
    """
    active = {e.key: e for e in old.entries}
    revivable = {e.key: e for e in old.obsolete}
    matches: dict[Key, Match] = {}
    for entry in template.entries:
        found = active.get(entry.key)
        if found is None and entry.key in revivable:
            # msgmerge's revival: the template's comments and references, the old
            # translation; the entry is whoever's the template's is (see _merged).
            found = replace(revivable[entry.key], roles=entry.roles)
        if found is not None:
            matches[entry.key] = (found, True)
    unmatched = [e for e in template.entries if e.key not in matches and not e.msgid_plural]
    candidates = [e for e in old.entries if not e.msgid_plural]
    fuzzy = _fuzzy_matches(unmatched, candidates)
    matches.update((key, (source, False)) for key, source in fuzzy.items())
    taken = {source.key for source in fuzzy.values()}
    left_over = [
        e
        for e in old.entries
        if e.key not in matches and not (e.ours and e.key in taken and not e.reviewed)
    ]
    return matches, left_over


def _displaced_drafts(matches: dict[Key, Match], compendium: dict[Key, str | None]) -> list[Entry]:
    """Translators' drafts a fuzzy match took, for a string a compendium translates
    (`compendium`: key -> its translation, if any): its text wins (see _merged), and
    the draft stays obsolete, as with msgmerge (a review taken so does already: see
    _match)."""
    drafts = []
    for key, text in compendium.items():  # in the template's order
        match = matches.get(key)
        if not text or match is None or match[1]:
            continue
        taken = match[0]
        if taken.ours and taken.translated and not taken.reviewed and not is_machine_output(taken):
            drafts.append(taken)
    return drafts


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


def _known(known: Mapping[Key, str] | None, entry: Entry) -> str | None:
    """A compendium's translation of `entry`: for its context, else for its text alone,
    else for its text in one of its roles (a catalog of ours, of a batch in which the
    text played several roles, used as a compendium). None for a plural string (a
    compendium gives us none) and one with a format flag (a site's c-format string:
    its placeholders are its translator's to place)."""
    if not known or entry.msgid_plural or any(f.endswith("-format") for f in entry.flags):
        return None
    keys = [entry.key, Key(None, entry.msgid), *(Key(role, entry.msgid) for role in entry.roles)]
    return next((known[key] for key in keys if key in known), None)


def _merged(
    new: Entry, match: Match | None, machine: MachineTranslation | None, known: str | None
) -> Entry:
    """The entry for `new` (from the template), given its old match, machine output and
    a compendium's translation."""
    if new.msgid_plural:
        machine = None  # engines translate no plurals
    if match is None:
        if known:
            return replace(new, msgstr=known)
        return _with_machine(new, machine) if machine else new
    old, exact = match
    if exact and new.ours and not old.ours:
        # A site's .po entry for a string of the batch stays the site's (see module doc).
        new = replace(new, references=old.references, roles=(), site_notes=old.site_notes)
    carried = _carry_translation(new, old)
    if known and (not exact or not old.translated or is_machine_output(old)):
        # Nobody's text for this string yet (a fuzzy match's is another string's, kept
        # obsolete if a translator's: see update_catalog), so the compendium's, as
        # msgmerge takes it; a translator's comments on this very string stay.
        flags = tuple(f for f in carried.flags if f != "fuzzy")
        comments = without_note(old.comments) if exact else ()
        return replace(carried, msgstr=known, flags=flags, comments=comments)
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
        comments = without_note(old.comments) if old.reviewed else old.comments
        # As msgmerge: an entry fuzzy already keeps the source its translation was made
        # for (its #| lines), so the translator sees the whole change since.
        earlier = old.fuzzy and old.previous_msgid is not None
        carried = replace(
            carried,
            flags=_with_fuzzy(carried.flags),
            comments=comments,
            previous_msgid=old.previous_msgid if earlier else old.msgid,
            previous_msgctxt=old.previous_msgctxt if earlier else old.msgctxt,
        )
    if machine and (not old.translated or still_machine_output(old, machine.text)):
        return _with_machine(carried, machine)
    return carried  # a human translation in progress, or a reviewed one now fuzzy: keep it


def _carry_translation(new: Entry, old: Entry) -> Entry:
    """`new` with the old entry's translation, flags and comments, in `new`'s shape.

    Only a site can turn a string plural or singular; then, as msgmerge, the first
    form carries over and the entry is fuzzy.
    """
    # As msgmerge: whether the translation is fuzzy is the old entry's to say; what the
    # string is (c-format, no-wrap...) the template's.
    flags = (*(("fuzzy",) if old.fuzzy else ()), *(f for f in new.flags if f != "fuzzy"))
    carried = replace(new, flags=flags, comments=old.comments)
    if bool(new.msgid_plural) == bool(old.msgid_plural):
        return replace(carried, msgstr=old.msgstr, msgstr_plural=old.msgstr_plural)
    flags = _with_fuzzy(carried.flags)
    if new.msgid_plural:
        forms = max(len(new.msgstr_plural), 2)
        return replace(carried, msgstr_plural=(old.msgstr, *[""] * (forms - 1)), flags=flags)
    return replace(carried, msgstr=old.msgstr_plural[0], msgstr_plural=(), flags=flags)


def _with_machine(entry: Entry, machine: MachineTranslation) -> Entry:
    comments = (*without_note(entry.comments), *machine_note(machine))
    return replace(entry, msgstr=machine.text, flags=_with_fuzzy(entry.flags), comments=comments)


def _as_obsolete(entry: Entry) -> Entry:
    """What gettext keeps of a vanished string: text, translation, flags, translator
    comments, and the source a fuzzy translation was made for (msgmerge writes it as
    `#~| msgid`, so the translator still sees what changed if the string comes back)."""
    return replace(entry, references=(), roles=(), site_notes=())


def _with_fuzzy(flags: tuple[str, ...]) -> tuple[str, ...]:
    return flags if "fuzzy" in flags else ("fuzzy", *flags)


def _po_header(
    template: Template, old: Catalog, language: str, revision_date: datetime
) -> tuple[tuple[str, str], ...]:
    """msgmerge's rule: keep the translator's header, in msgmerge's order (see
    `ordered_header`), with the template's POT-Creation-Date and Report-Msgid-Bugs-To.

    Who translated it and when (Last-Translator, Language-Team, PO-Revision-Date) are
    the translators' to say: msgmerge never touches them, nor do we. Only a catalog
    made now gets ours; a site's catalog lacking them is left lacking them.
    """
    made_now = {
        "Project-Id-Version": template.header_value("Project-Id-Version") or template.domain,
        "PO-Revision-Date": format_date(revision_date),
        "Last-Translator": f"{PROJECT} (machine translation)",
        "Language-Team": "none",
        "Plural-Forms": plural_forms(language),
    }
    fields = {
        **(dict(old.header) or made_now),
        **dict(FORMAT_HEADER),  # written as UTF-8, whatever charset it was read in
    }
    for name in FROM_TEMPLATE:  # as msgmerge: the template's, when it has one
        value = template.header_value(name)
        if value is not None:
            fields[name] = value
    fields.setdefault("POT-Creation-Date", "")
    if base_language(fields.get("Language") or "-") != base_language(language):
        fields["Language"] = locale_name(language)  # a team's own spelling ("es_ES") stays
    return ordered_header(fields)


def translations_for_render(catalog: Catalog) -> dict[UiString, Rendered]:
    """What articles show for each (text, role): the reviewed translation, else the
    machine's, as the run's engine gave it (see note.is_machine_output).

    Left out, so that the article shows the machine translation of its own text (see
    assemble), are what gettext never shows and no engine gave: untranslated entries,
    a translator's fuzzy draft, and fuzzy entries still holding the translation of
    another text (`#| msgid` not theirs). A site's entry names no role of ours:
    articles find it by its text.
    """
    rendered: dict[UiString, Rendered] = {}
    for entry in catalog.entries:
        shown = entry.reviewed or (
            is_machine_output(entry) and entry.previous_msgid in (None, entry.msgid)
        )
        if shown:
            for role in entry.roles or (entry.msgctxt or "",):
                rendered[UiString(entry.msgid, role)] = Rendered(entry.msgstr, entry.reviewed)
    return rendered
