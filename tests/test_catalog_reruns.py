"""Reruns over the same catalogs: machine notes, dates and a translator's unfinished work.

Real polib files, real msgfmt --check (through `assert_valid`), no mocks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from tests.test_catalog import (
    ENGINE,
    FIRST_RUN,
    LATER_RUN,
    assert_valid,
    entries_by_key,
    machine_from,
    po_path,
    run_batch,
    seed_occurrences,
)
from translator import catalog
from translator.catalog import Key, MachineTranslation, Occurrence, UiString

# What the pipeline writes for each route today: long enough to wrap over two lines.
EN_ES = "apertium (apertium 3.8.3-1+b2; apertium-eng-spa 0.8.1-2; lttoolbox 3.7.1-1+b2)"
FR_ES = "apertium (apertium 3.8.3-1+b2; apertium-fr-es 0.9.4-1; lttoolbox 3.7.1-1+b2)"
NEWER_ENGINE = machine_from({"World": "El mundo", "Share": "Cuota", "Related Articles": "Ver"})


def edit(locale: Path, msgid: str, msgstr: str, *, wrapwidth: int = 79) -> None:
    """A translator changes a translation and leaves it fuzzy: not finished yet."""
    po = polib.pofile(str(po_path(locale)), wrapwidth=wrapwidth)
    entry = po.find(msgid)
    entry.msgstr = msgstr
    assert "fuzzy" in entry.flags
    po.save()


def merge_two_routes(locale: Path, when: object = FIRST_RUN) -> bytes:
    """A batch with English and French articles, translated to Spanish by two pairs."""
    occurrences = [
        Occurrence("World", "section label", "en/a.txt", 1),
        Occurrence("Monde", "section label", "fr/b.txt", 1),
    ]
    template = catalog.build_template(occurrences, domain="news", version="0.1.0")
    template = catalog.write_template(catalog.template_path(locale, "news"), template)
    existing = catalog.read_catalogs(locale, "news").get("es")
    machine = {
        Key(None, "World"): MachineTranslation("Mundo", EN_ES),
        Key(None, "Monde"): MachineTranslation("Mundo", FR_ES),
    }
    merged = catalog.update_catalog(template, existing, "es", machine, revision_date=FIRST_RUN)
    catalog.write_catalog(po_path(locale), merged)
    return po_path(locale).read_bytes()


# --- the machine note -----------------------------------------------------------------


def test_each_entry_names_only_the_route_that_made_it(tmp_path: Path) -> None:
    merge_two_routes(tmp_path)

    po = polib.pofile(str(po_path(tmp_path)))
    world, monde = po.find("World"), po.find("Monde")
    assert "apertium-eng-spa" in world.tcomment and "apertium-fr-es" not in world.tcomment
    assert "apertium-fr-es" in monde.tcomment and "apertium-eng-spa" not in monde.tcomment
    text = po_path(tmp_path).read_text(encoding="utf-8")
    assert text.count("# machine translation:") == 2
    # Wrapped narrower than polib writes comments, so that a script's save keeps them.
    notes = [line for entry in po for line in entry.tcomment.splitlines()]
    assert len(notes) == 4 and max(len(f"# {line}") for line in notes) <= catalog.NOTE_WIDTH
    before = po_path(tmp_path).read_bytes()
    po.save()  # polib's own width (78)
    assert po_path(tmp_path).read_bytes() == before
    assert_valid(po_path(tmp_path))


def test_reruns_write_the_same_bytes_with_wrapped_notes(tmp_path: Path) -> None:
    first = merge_two_routes(tmp_path)

    second = merge_two_routes(tmp_path)
    third = merge_two_routes(tmp_path)

    assert second == first and third == first
    assert_valid(po_path(tmp_path))


@pytest.mark.parametrize(
    "wrapwidth",
    [0, 40, 79],
    ids=["tool-left-it-on-one-line", "tool-wrapped-narrow-at-hyphens", "as-we-write-it"],
)
def test_our_note_is_found_whole_however_a_tool_wrapped_it(tmp_path: Path, wrapwidth: int) -> None:
    merge_two_routes(tmp_path)
    po = polib.pofile(str(po_path(tmp_path)), wrapwidth=wrapwidth)
    world = po.find("World")
    world.tcomment = f"Checked with the desk.\n{world.tcomment}\nAsk Ana about capitals."
    po.save()

    merge_two_routes(tmp_path)

    entry = entries_by_key(catalog.read_catalog(po_path(tmp_path)))[Key(None, "World")]
    fresh = catalog.machine_note(MachineTranslation("Mundo", EN_ES))
    assert entry.comments == ("Checked with the desk.", "Ask Ana about capitals.", *fresh)
    assert_valid(po_path(tmp_path))


# What the previous release wrote after two runs: every route of the run in one note,
# wrapped, and its tail left behind by the second run; plain "#." role lines.
LEGACY = """\
msgid ""
msgstr ""
"Project-Id-Version: translate-news 0.1.0\\n"
"POT-Creation-Date: 2025-04-04 12:00+0000\\n"
"PO-Revision-Date: 2025-04-04 12:00+0000\\n"
"Last-Translator: translate-news (machine translation)\\n"
"Language-Team: none\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

# 0.8.1-2); apertium (apertium 3.8.3-1+b2; apertium-fr-es 0.9.4-1)
# machine translation: apertium (apertium 3.8.3-1+b2; apertium-eng-spa
# 0.8.1-2); apertium (apertium 3.8.3-1+b2; apertium-fr-es 0.9.4-1)
#. section label
#: seed.txt:3
#, fuzzy
msgid "World"
msgstr "Mundo"

# machine translation: apertium (apertium 3.8.3-1+b2; apertium-eng-spa
# 0.8.1-2); apertium (apertium 3.8.3-1+b2; apertium-fr-es 0.9.4-1)
#. heading
#: seed.txt:39
#, fuzzy
msgid "Related Articles"
msgstr "Artículos relacionados (revisar)"

# machine translation: apertium (apertium 3.8.3-1+b2; apertium-eng-spa
# 0.8.1-2); apertium (apertium 3.8.3-1+b2; apertium-fr-es 0.9.4-1)
#. link
#: seed.txt:90
#, fuzzy
msgid "Read more"
msgstr "Leer más"
"""


def test_a_catalog_from_the_previous_release_is_cleaned_not_damaged(tmp_path: Path) -> None:
    po_path(tmp_path).parent.mkdir(parents=True)
    po_path(tmp_path).write_text(LEGACY, encoding="utf-8")
    occurrences = [o for o in seed_occurrences() if o.msgid != "Share"]
    table = {"World": "Mundo", "Related Articles": "Narró Prendas"}

    written = run_batch(occurrences, tmp_path, translate=machine_from(table))["es"]

    entries = entries_by_key(written)
    world = entries[Key(None, "World")]
    assert world.comments == catalog.machine_note(MachineTranslation("Mundo", ENGINE))
    assert world.roles == ("section label",)
    # Its text differs from the engine's: a translator's work in progress, kept.
    related = entries[Key(None, "Related Articles")]
    assert (related.msgstr, related.fuzzy) == ("Artículos relacionados (revisar)", True)
    # A string of ours no article uses any more: obsolete, as msgmerge does.
    assert [e.msgid for e in written.obsolete] == ["Read more"]
    text = po_path(tmp_path).read_text(encoding="utf-8")
    assert "#. translate-news: section label\n" in text
    world_block = text.split('msgid "World"')[0].split("\n\n")[-1]
    assert "apertium-fr-es" not in world_block  # no tail of the old note left behind
    assert_valid(po_path(tmp_path))


# --- a translator's unfinished work ---------------------------------------------------


def test_a_fuzzy_entry_a_translator_edited_is_not_replaced(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    edit(tmp_path, "Share", "Compartir (revisar)")

    written = run_batch(seed_occurrences(), tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)

    entries = entries_by_key(written["es"])
    share = entries[Key(None, "Share")]
    assert (share.msgstr, share.fuzzy) == ("Compartir (revisar)", True)
    assert entries[Key(None, "World")].msgstr == "El mundo"  # untouched output: refreshed
    # A draft is not published: as gettext, articles show no fuzzy text but the engine's.
    rendered = catalog.translations_for_render(written["es"])
    assert UiString("Share", "button") not in rendered
    assert rendered[UiString("World", "section label")] == catalog.Rendered("El mundo", False)
    assert_valid(po_path(tmp_path))


def test_an_edited_fuzzy_entry_stays_through_later_reruns(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    edit(tmp_path, "Related Articles", "Artículos relacionados")
    run_batch(seed_occurrences(), tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)
    before = po_path(tmp_path).read_bytes()

    run_batch(seed_occurrences(), tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)

    assert po_path(tmp_path).read_bytes() == before
    assert b'msgstr "Art\xc3\xadculos relacionados"' in before


def test_a_changed_string_keeps_a_translators_fuzzy_edit(tmp_path: Path) -> None:
    run_batch([Occurrence("Related Articles", "heading", "a.txt", 1)], tmp_path)
    edit(tmp_path, "Related Articles", "Artículos relacionados")

    changed = [Occurrence("Related articles", "heading", "a.txt", 1)]
    written = run_batch(changed, tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)["es"]

    entry = written.entries[0]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "Artículos relacionados",
        True,
        "Related Articles",
    )
    assert_valid(po_path(tmp_path))


# --- dates ----------------------------------------------------------------------------


def header(locale: Path, name: str, pot: bool = False) -> str:
    path = catalog.template_path(locale, "news") if pot else po_path(locale)
    return str(polib.pofile(str(path)).metadata[name])


def test_po_revision_date_is_set_once_and_never_moved_by_machine_output(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    assert header(tmp_path, "PO-Revision-Date") == "2025-04-04 12:00+0000"

    added = [*seed_occurrences(), Occurrence("Read more", "link", "seed.txt", 90)]
    run_batch(added, tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)

    assert header(tmp_path, "PO-Revision-Date") == "2025-04-04 12:00+0000"
    assert header(tmp_path, "POT-Creation-Date") == "2025-05-01 09:30+0000"
    assert header(tmp_path, "POT-Creation-Date", pot=True) == "2025-05-01 09:30+0000"
    assert_valid(po_path(tmp_path))


def test_a_translators_revision_date_is_kept(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    po = polib.pofile(str(po_path(tmp_path)))
    po.metadata["PO-Revision-Date"] = "2025-04-20 10:05+0200"  # as Poedit sets it on save
    po.find("Share").msgstr = "Compartir"
    po.find("Share").flags.remove("fuzzy")
    po.save()

    run_batch(seed_occurrences(), tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)

    assert header(tmp_path, "PO-Revision-Date") == "2025-04-20 10:05+0200"
    assert_valid(po_path(tmp_path))


def test_the_template_keeps_its_date_while_its_strings_stay_the_same(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    pot = catalog.template_path(tmp_path, "news")
    before = pot.read_bytes()

    run_batch(seed_occurrences(), tmp_path, translate=NEWER_ENGINE, when=LATER_RUN)

    assert pot.read_bytes() == before
    assert header(tmp_path, "POT-Creation-Date") == "2025-04-04 12:00+0000"


def test_a_translators_comments_come_back_as_written(tmp_path: Path) -> None:
    """polib strips a comment's trailing blanks; msgcat keeps them, and so do we."""
    run_batch(seed_occurrences(), tmp_path)
    path = po_path(tmp_path)
    blocks = path.read_text("utf-8").split("\n\n")
    blocks = [
        "# keep the verb   \n#\n#   indented\n" + b if '\nmsgid "Share"' in b else b for b in blocks
    ]
    path.write_text("\n\n".join(blocks), "utf-8")
    normalised = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
    path.write_text(normalised.stdout, "utf-8")

    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)

    assert path.read_text("utf-8") == normalised.stdout
