"""UI strings: which lines of a batch are the site's chrome, and their gettext catalogs.

A line is a UI string when its format says so (an HTML <nav>, a known button), when
the site lists it (--ui-strings), or when the batch shows it is: a label recurring
across articles, one another article shows as UI, one the catalogs hold already.
UI strings are translated once, into the .pot and each language's .po, and articles
show them from the catalogs (a translator's review, else the machine's draft).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translator import __version__, catalog
from translator.assemble import RenderMap
from translator.glossary import Glossary, verify
from translator.inline import catalog_text, placeholder_problems, without_placeholders
from translator.options import RunOptions
from translator.segment import LISTED_UI_ROLE, ui_key
from translator.translate import Pair, Route, Routes, Translations

if TYPE_CHECKING:
    from translator.collect import Collected


# A short label-like line in this many articles is site chrome, not article text.
REPEATED_UI_MIN_ARTICLES = 3


def repeated_labels(collected: list[Collected]) -> frozenset[str]:
    """Label-like lines that recur across articles are the site's UI, not its news;
    counted, and given, as `ui_key` gives them ("<b>Share</b>" is "Share")."""
    seen = Counter(key for item in collected for key in {ui_key(text) for text, _ in item.labels})
    return frozenset(text for text, count in seen.items() if count >= REPEATED_UI_MIN_ARTICLES)


def labels_ui_elsewhere(collected: list[Collected]) -> frozenset[str]:
    """Label-like lines whose text another article shows as UI (a "Share" button, a
    section label): the same chrome, rendered from the same catalog entry; as `ui_key`
    gives them. Only those: a new button alone changes no article's UI strings."""
    labels = {ui_key(text) for item in collected for text, _ in item.labels}
    return frozenset(labels & {ui_key(text) for item in collected for text, _, _ in item.ui})


def labels_in_catalogs(collected: list[Collected], msgids: Iterable[str]) -> frozenset[str]:
    """Label-like lines already in the catalogs, as `ui_key` gives them (the catalogs'
    `<g1>` placeholders aside). Once UI, a string stays UI while an article shows it:
    an edit to one article that leaves it in two ("In Depth" no longer in three) must
    not make a translator's reviewed entry obsolete, nor the others show machine text."""
    labels = {ui_key(text) for item in collected for text, _ in item.labels}
    return frozenset(labels & {ui_key(without_placeholders(msgid)) for msgid in msgids})


def update_catalogs(
    options: RunOptions,
    collected: list[Collected],
    ui_strings: frozenset[str],
    translated: Translations,
    routes: Routes,
    previous: dict[str | None, catalog.Catalog],
    known: dict[str, dict[catalog.Key, str]],
) -> dict[str, RenderMap]:
    """Write the .pot and merge each language's .po, with the compendia's translations
    (`known`, per language); return what articles render."""
    found = _Occurrences.of(collected, ui_strings)
    locale = options.locale_dir
    template = catalog.build_template(
        found.occurrences,
        domain=options.domain,
        version=__version__,
        previous=previous.values(),
        existing=previous.get(None),
    )
    # As written: the file keeps its POT-Creation-Date when nothing else changed, and
    # the .po files take that one.
    template = catalog.write_template(catalog.template_path(locale, options.domain), template)
    maps: dict[str, RenderMap] = {}
    for target in options.targets:
        machine = found.machine_translations(template, target, translated, routes)
        updated = catalog.update_catalog(
            template, previous.get(target), target, machine, known=known.get(target)
        )
        catalog.write_catalog(catalog.catalog_path(locale, options.domain, target), updated)
        maps[target] = catalog.translations_for_render(updated)
    return maps


def markup_problems(options: RunOptions, catalogs: dict[str, RenderMap]) -> list[str]:
    """A line for each reviewed translation whose placeholders are not its msgid's (a
    typo, "<g7>"; a tag left out): articles show it without that markup, so the run
    says so, as `check` does."""
    lines = []
    for target, rendered in sorted(catalogs.items()):
        path = catalog.catalog_path(options.locale_dir, options.domain, target)
        for key, shown in sorted(rendered.items()):
            problems = placeholder_problems(key.msgid, shown.text) if shown.reviewed else []
            if problems:
                lines.append(
                    f"{path}: msgid {key.msgid!r}: markup placeholders differ from the msgid's "
                    f"({', '.join(problems)}); articles show it without that markup"
                )
    return lines


def term_problems(
    options: RunOptions,
    collected: list[Collected],
    ui_strings: frozenset[str],
    catalogs: dict[str, RenderMap],
    glossary: Glossary,
) -> list[str]:
    """A line for each reviewed translation an article shows that lost a glossary term
    of its msgid, read in the language of the article it came from (`check` fails on
    it too). Addresses and handles are the reviewer's to localise ("@bbcmundo")."""
    source_of = _Occurrences.of(collected, ui_strings).source_of
    lines = []
    for target, rendered in sorted(catalogs.items()):
        path = catalog.catalog_path(options.locale_dir, options.domain, target)
        for key, shown in sorted(rendered.items()):
            source = source_of.get(key.msgid, target)
            if not shown.reviewed or not shown.text or source == target:
                continue
            msgid, msgstr = without_placeholders(key.msgid), without_placeholders(shown.text)
            lines += [
                f"{path}: msgid {key.msgid!r}: the reviewed translation's {finding.problem}; "
                "articles show it so"
                for finding in verify(glossary, msgid, msgstr, source, target)
                if not finding.ok and not finding.term.verbatim
            ]
    return lines


@dataclass
class _Occurrences:
    """Where the batch shows each UI string, and what its catalog entry is made from."""

    occurrences: list[catalog.Occurrence] = field(default_factory=list)
    # UI strings take their article's language: the first article naming one decides.
    source_of: dict[str, str] = field(default_factory=dict)  # msgid -> language
    # A catalog shows inline markup as placeholders (<g1>Share</g1>); the engines got
    # the text with its markers.
    text_of: dict[str, str] = field(default_factory=dict)  # msgid -> text

    @classmethod
    def of(cls, collected: list[Collected], ui_strings: frozenset[str]) -> _Occurrences:
        found = cls()
        # A line the batch made UI takes the role its text has where an article made it
        # UI itself (a "Share" button): one entry, one review, for both.
        own_role: dict[str, str] = {}
        for item in collected:
            for text, role, _ in item.ui:
                own_role.setdefault(ui_key(text), role)
        for item in collected:
            for text, role, line in ui_of(item, ui_strings):
                if role == LISTED_UI_ROLE:
                    role = own_role.get(ui_key(text), role)
                msgid = catalog_text(text)
                found.text_of.setdefault(msgid, text)
                found.occurrences.append(
                    catalog.Occurrence(msgid, role, item.path.as_posix(), line)
                )
                if item.detection is not None:
                    found.source_of.setdefault(msgid, item.detection.language)
        return found

    def machine_translations(
        self, template: catalog.Template, target: str, translated: Translations, routes: Routes
    ) -> dict[catalog.Key, catalog.MachineTranslation]:
        """The engines' translation of each entry of `template` into `target`."""
        machine: dict[catalog.Key, catalog.MachineTranslation] = {}
        for entry in template.entries:
            pair = (self.source_of.get(entry.msgid, ""), target)
            if pair[0] == target:  # from an article in this language: it is its own draft
                copy = f"none, a copy (the string is {target} already)"
                machine[entry.key] = catalog.MachineTranslation(entry.msgid, copy)
                continue
            route = routes.get(pair)
            text = self.text_of.get(entry.msgid, entry.msgid)
            result = translated.get(pair, {}).get(text)
            if result is not None and result.text is not None and isinstance(route, Route):
                # Each entry's note names the route that made it, and only that one.
                engine = f"{route.engine} ({route.version})"
                msgstr = catalog_text(result.text, numbered_by=text)
                machine[entry.key] = catalog.MachineTranslation(msgstr, engine)
        return machine


def ui_of(item: Collected, ui_strings: frozenset[str]) -> Iterable[tuple[str, str, int | None]]:
    yield from item.ui
    # Lines the batch promoted to UI keep their place in the article's units; the first
    # pass kept their text and line only, so their role is generic.
    yield from ((label, LISTED_UI_ROLE, line) for label, line in item.listed_labels(ui_strings))


def run_ui_strings(
    options: RunOptions, collected: list[Collected], previous: dict[str | None, catalog.Catalog]
) -> frozenset[str]:
    """The site's UI list, the labels found to recur across the batch, those UI
    elsewhere in it, and those in the catalogs already, each as `ui_key` gives it
    (markup and repeated whitespace aside)."""
    listed = {ui_key(text) for text in options.read_options.ui_strings}
    msgids = (entry.msgid for found in previous.values() for entry in found.entries)
    return frozenset(
        listed
        | repeated_labels(collected)
        | labels_ui_elsewhere(collected)
        | labels_in_catalogs(collected, msgids)
    )


def ui_work(
    collected: list[Collected], ui_strings: frozenset[str], targets: tuple[str, ...]
) -> dict[Pair, set[str]]:
    """The run's distinct UI strings per language pair; they take their article's language."""
    work: dict[Pair, set[str]] = {}
    for item in collected:
        texts = {text for text, _, _ in ui_of(item, ui_strings)}
        for pair in item.pairs(targets):
            work.setdefault(pair, set()).update(texts)
    return work
