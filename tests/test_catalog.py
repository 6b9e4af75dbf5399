"""Gettext catalogs, tested the way a translator meets them: real files, real msgfmt."""

from __future__ import annotations

import gettext
import subprocess
import warnings
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from tests.conftest import SEED
from translator import catalog
from translator.catalog import Catalog, Entry, Key, Occurrence, UiString
from translator.cli import main

FIRST_RUN = datetime(2025, 4, 4, 12, 0, tzinfo=UTC)
LATER_RUN = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
NOW = datetime.now(UTC)
SEED_ROLES = {"World": "section label", "Share": "button", "Related Articles": "heading"}
# What Apertium en-es really returns for the seed's UI strings (see issue 4).
APERTIUM_ES = {"World": "Mundo", "Share": "Acción", "Related Articles": "Narró Prendas"}
ENGINE = "apertium (apertium 3.8.3-1+b2; apertium-eng-spa 0.8.1-2)"  # as the pipeline names it


def note(text: str) -> tuple[str, ...]:
    """Our comment on the machine translation `text`, in the lines polib writes."""
    return catalog.machine_note(catalog.MachineTranslation(text, ENGINE))


def seed_occurrences() -> list[Occurrence]:
    """The seed article's UI strings, one per line, as a text reader reports them."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [
        Occurrence(text, SEED_ROLES[text], "seed.txt", number)
        for number, text in enumerate(lines, start=1)
        if text in SEED_ROLES
    ]


def machine_from(table: dict[str, str]) -> Callable[[str], str]:
    return lambda msgid: table.get(msgid, f"[{msgid}]")


APERTIUM = machine_from(APERTIUM_ES)


def run_batch(
    occurrences: Iterable[Occurrence],
    locale: Path,
    languages: tuple[str, ...] = ("es",),
    *,
    translate: Callable[[str], str] = APERTIUM,
    when: datetime = FIRST_RUN,
) -> dict[str, Catalog]:
    """What the pipeline does with a batch's UI strings, through the public API."""
    existing = catalog.read_catalogs(locale, "news")
    template = catalog.build_template(
        occurrences,
        domain="news",
        version="0.1.0",
        creation_date=when,
        previous=existing.values(),
        existing=existing.get(None),
    )
    template = catalog.write_template(catalog.template_path(locale, "news"), template)
    written = {}
    for language in languages:
        old = existing.get(language)
        machine = {  # every key, as the run sends every UI string (reviewed ones stay)
            entry.key: catalog.MachineTranslation(translate(entry.msgid), ENGINE)
            for entry in template.entries
        }
        merged = catalog.update_catalog(template, old, language, machine, revision_date=when)
        path = catalog.catalog_path(locale, "news", language)
        written[language] = catalog.write_catalog(path, merged)
    return written


def po_path(locale: Path, language: str = "es") -> Path:
    return catalog.catalog_path(locale, "news", language)


def run_msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )


def assert_valid(path: Path) -> None:
    """msgfmt --check passes, and polib and Babel read the file back without a warning."""
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    problems = checked.stderr.splitlines()
    if path.suffix == ".pot":
        # A template keeps xgettext's placeholders for the translator's tool to fill in.
        problems = [p for p in problems if "still has the initial default value" not in p]
    assert problems == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        polib.pofile(str(path))
        with path.open("rb") as handle:
            read_po(handle, abort_invalid=True)  # raises on anything it would warn about


def review(locale: Path, msgid: str, msgstr: str, *, msgctxt: str | None = None) -> None:
    """Do what a translator does in their editor: translate, clear fuzzy, save."""
    po = polib.pofile(str(po_path(locale)))
    entry = po.find(msgid, msgctxt=msgctxt)
    entry.msgstr = msgstr
    entry.flags.remove("fuzzy")
    po.save()


def entries_by_key(cat: Catalog) -> dict[Key, Entry]:
    return {e.key: e for e in cat.entries}


# --- the template ---------------------------------------------------------------------


def test_seed_template_holds_each_ui_string_once_with_every_reference(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)

    pot = catalog.template_path(tmp_path, "news")
    template = catalog.read_catalog(pot)
    assert [e.msgid for e in template.entries] == ["World", "Share", "Related Articles"]
    world, share, related = template.entries
    world_lines = [n for o in seed_occurrences() if o.msgid == "World" for n in [o.line]]
    assert world.references == tuple(("seed.txt", n) for n in world_lines)
    assert len(world.references) == 9
    assert share.references == (("seed.txt", 5), ("seed.txt", 6), ("seed.txt", 38))
    assert related.references == (("seed.txt", 39),)
    assert [e.roles for e in template.entries] == [("section label",), ("button",), ("heading",)]
    assert all(e.msgctxt is None and e.msgstr == "" for e in template.entries)
    text = pot.read_text(encoding="utf-8")
    assert '#. translate-news: button\n#: seed.txt:5 seed.txt:6 seed.txt:38\nmsgid "Share"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"POT-Creation-Date: 2025-04-04 12:00+0000\\n"' in text
    assert '"Project-Id-Version: translate-news 0.1.0\\n"' in text
    assert_valid(pot)


def test_same_text_in_two_roles_gets_a_context_each(tmp_path: Path) -> None:
    occurrences = [
        Occurrence("World", "section label", "a.txt", 1),
        Occurrence("World", "heading", "b.html", None),
        Occurrence("Share", "button", "a.txt", 4),
    ]
    written = run_batch(occurrences, tmp_path)

    keys = [e.key for e in written["es"].entries]
    assert keys == [Key("section label", "World"), Key(None, "Share"), Key("heading", "World")]
    pot = catalog.read_catalog(catalog.template_path(tmp_path, "news"))
    assert entries_by_key(pot)[Key("heading", "World")].references == (("b.html", None),)
    assert_valid(catalog.template_path(tmp_path, "news"))
    assert_valid(po_path(tmp_path))


def test_a_reviewed_entry_keeps_its_key_when_its_text_takes_a_second_role(tmp_path: Path) -> None:
    section = Occurrence("World", "section label", "a.txt", 1)
    run_batch([section], tmp_path)
    review(tmp_path, "World", "Internacional")

    heading = Occurrence("World", "heading", "b.txt", 3)
    written = run_batch([section, heading], tmp_path, when=LATER_RUN)["es"]

    entries = entries_by_key(written)
    assert entries[Key(None, "World")].msgstr == "Internacional"
    assert entries[Key(None, "World")].reviewed
    assert entries[Key("heading", "World")].fuzzy
    assert written.obsolete == ()
    rendered = catalog.translations_for_render(written)
    assert rendered[UiString("World", "section label")] == catalog.Rendered("Internacional", True)
    # The other role's copy awaits review: until then its articles show the engine's.
    assert UiString("World", "heading") not in rendered
    assert_valid(po_path(tmp_path))


def test_a_reviewed_context_survives_a_batch_where_the_text_has_one_role(tmp_path: Path) -> None:
    section = Occurrence("World", "section label", "a.txt", 1)
    heading = Occurrence("World", "heading", "b.txt", 3)
    run_batch([section, heading], tmp_path)
    review(tmp_path, "World", "Internacional", msgctxt="section label")

    written = run_batch([section], tmp_path, when=LATER_RUN)["es"]

    assert [e.key for e in written.entries] == [Key("section label", "World")]
    assert written.entries[0].msgstr == "Internacional"
    assert written.entries[0].reviewed
    assert [e.key for e in written.obsolete] == [Key("heading", "World")]


# --- the language catalogs ------------------------------------------------------------


def test_seed_catalog_holds_fuzzy_machine_translations_naming_the_engine(tmp_path: Path) -> None:
    written = run_batch(seed_occurrences(), tmp_path)["es"]

    assert {e.msgid: e.msgstr for e in written.entries} == APERTIUM_ES
    assert all(e.fuzzy and not e.reviewed for e in written.entries)
    assert all(e.comments == note(e.msgstr) for e in written.entries)
    text = po_path(tmp_path).read_text(encoding="utf-8")
    assert (
        "# machine translation: apertium (apertium 3.8.3-1+b2; apertium-eng-spa\n"
        "# 0.8.1-2); output sha256:212e06c386ff\n"  # of "Acción": tells a translator's edit
        "#. translate-news: button\n"
    ) in text
    assert '#, fuzzy\nmsgid "Share"\nmsgstr "Acción"' in text
    assert '"Language: es\\n"' in text
    assert catalog.read_catalog(po_path(tmp_path)) == written
    assert_valid(po_path(tmp_path))


def test_reviewed_translation_is_never_changed_by_a_rerun(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Share", "Compartir")
    reviewed_before = entries_by_key(catalog.read_catalog(po_path(tmp_path)))[Key(None, "Share")]

    newer_engine = machine_from({"World": "Mundo", "Share": "Cuota", "Related Articles": "Ver"})
    written = run_batch(seed_occurrences(), tmp_path, translate=newer_engine, when=LATER_RUN)

    entries = entries_by_key(written["es"])
    assert entries[Key(None, "Share")] == reviewed_before
    assert entries[Key(None, "Share")].msgstr == "Compartir"
    assert entries[Key(None, "Related Articles")].msgstr == "Ver"  # machine output refreshed
    assert entries[Key(None, "Related Articles")].fuzzy
    rendered = catalog.translations_for_render(written["es"])
    assert rendered[UiString("Share", "button")] == catalog.Rendered("Compartir", True)
    assert rendered[UiString("World", "section label")] == catalog.Rendered("Mundo", False)
    assert entries_by_key(catalog.read_catalog(po_path(tmp_path)))[Key(None, "Share")].reviewed
    assert_valid(po_path(tmp_path))


def test_a_new_ui_string_is_added_fuzzy_and_nothing_else_changes(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Share", "Compartir")
    before = catalog.read_catalog(po_path(tmp_path))

    added = Occurrence("Read more", "link", "seed.txt", 90)
    after = run_batch([*seed_occurrences(), added], tmp_path, when=LATER_RUN)["es"]

    entries = entries_by_key(after)
    new = entries.pop(Key(None, "Read more"))
    assert new.fuzzy and new.msgstr == "[Read more]" and new.roles == ("link",)
    assert new.comments == note("[Read more]")
    assert entries == entries_by_key(before)
    changed = {k for k, v in after.header if dict(before.header).get(k) != v}
    assert changed == {"POT-Creation-Date"}  # PO-Revision-Date is a translator's
    assert_valid(po_path(tmp_path))


def test_a_removed_ui_string_becomes_obsolete_with_its_translation(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Related Articles", "Artículos relacionados")

    without = [o for o in seed_occurrences() if o.msgid != "Related Articles"]
    written = run_batch(without, tmp_path, when=LATER_RUN)["es"]

    assert Key(None, "Related Articles") not in entries_by_key(written)
    assert [(e.msgid, e.msgstr) for e in written.obsolete] == [
        ("Related Articles", "Artículos relacionados")
    ]
    text = po_path(tmp_path).read_text(encoding="utf-8")
    assert '#~ msgid "Related Articles"\n#~ msgstr "Artículos relacionados"' in text
    assert catalog.read_catalog(po_path(tmp_path)) == written
    assert_valid(po_path(tmp_path))


def test_an_obsolete_translation_comes_back_with_its_string(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Related Articles", "Artículos relacionados")
    without = [o for o in seed_occurrences() if o.msgid != "Related Articles"]
    run_batch(without, tmp_path, when=LATER_RUN)

    written = run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)["es"]

    entry = entries_by_key(written)[Key(None, "Related Articles")]
    assert entry.msgstr == "Artículos relacionados" and entry.reviewed
    assert written.obsolete == ()
    # As msgmerge revives it: with the template's references and role, so ours again,
    # and obsolete again once no article uses it.
    assert entry.references == (("seed.txt", 39),) and entry.roles == ("heading",)
    again = run_batch(without, tmp_path, when=LATER_RUN)["es"]
    assert [e.msgid for e in again.obsolete] == ["Related Articles"]
    assert_valid(po_path(tmp_path))


def test_a_vanished_string_never_translated_is_dropped_not_kept(tmp_path: Path) -> None:
    """msgmerge keeps obsolete entries for their translations: one with none goes."""
    run_batch(seed_occurrences(), tmp_path, translate=lambda msgid: "")
    without = [o for o in seed_occurrences() if o.msgid != "Related Articles"]

    written = run_batch(without, tmp_path, when=LATER_RUN, translate=lambda msgid: "")["es"]

    assert written.obsolete == ()
    assert "Related Articles" not in po_path(tmp_path).read_text(encoding="utf-8")


def test_a_team_s_spelling_of_its_language_stays(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    po = polib.pofile(str(po_path(tmp_path)))
    po.metadata["Language"] = "es_ES"  # as Poedit writes it
    po.save()

    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)

    assert polib.pofile(str(po_path(tmp_path))).metadata["Language"] == "es_ES"


@pytest.mark.parametrize(
    ("language", "forms"),
    [("pt-BR", "nplurals=2; plural=(n > 1);"), ("es-MX", "nplurals=2; plural=(n != 1);")],
)
def test_a_regional_language_takes_gettext_s_plural_forms(language: str, forms: str) -> None:
    """gettext's (msginit's) two forms, not CLDR's three for "millions"."""
    assert catalog.plural_forms(language) == forms


def test_a_changed_string_is_fuzzy_with_the_previous_msgid(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Related Articles", "Artículos relacionados")

    changed = [
        Occurrence("Related articles", o.role, o.path, o.line)
        if o.msgid == "Related Articles"
        else o
        for o in seed_occurrences()
    ]
    written = run_batch(changed, tmp_path, when=LATER_RUN)["es"]

    entry = entries_by_key(written)[Key(None, "Related articles")]
    assert entry.fuzzy
    assert entry.msgstr == "Artículos relacionados"  # the translator's text, to adjust
    assert entry.previous_msgid == "Related Articles"
    # Kept obsolete besides (msgmerge drops it): undoing the change brings it back whole.
    assert [(e.msgid, e.msgstr, e.fuzzy) for e in written.obsolete] == [
        ("Related Articles", "Artículos relacionados", False)
    ]
    text = po_path(tmp_path).read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid "Related Articles"\nmsgid "Related articles"' in text
    # Until the translator adjusts it, a translation of another text is not shown (gettext
    # never shows a fuzzy entry): articles show the machine's for their own text.
    assert UiString("Related articles", "heading") not in catalog.translations_for_render(written)
    assert_valid(po_path(tmp_path))


def test_a_change_undone_brings_the_reviewed_entry_back(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Share", "Compartir")
    changed = [
        Occurrence("Share this", o.role, o.path, o.line) if o.msgid == "Share" else o
        for o in seed_occurrences()
    ]
    run_batch(changed, tmp_path, when=LATER_RUN)

    written = run_batch(seed_occurrences(), tmp_path, when=NOW)["es"]

    entry = entries_by_key(written)[Key(None, "Share")]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == ("Compartir", False, None)
    assert UiString("Share", "button") in catalog.translations_for_render(written)
    # "Share this" is obsolete now, with its #~| msgid: msgfmt takes it, Babel cannot.
    assert run_msgfmt_check(po_path(tmp_path)).returncode == 0


def test_a_string_changed_twice_keeps_the_msgid_its_translation_was_made_for(
    tmp_path: Path,
) -> None:
    """As msgmerge --previous: the #| msgid stays the reviewed source, so a translator
    sees the whole change since their review, not only the last step."""
    run_batch([Occurrence("Search", "button", "a.txt", 1)], tmp_path)
    review(tmp_path, "Search", "Buscar")
    run_batch([Occurrence("Search site", "button", "a.txt", 1)], tmp_path, when=LATER_RUN)
    run_batch([Occurrence("Search the site", "button", "a.txt", 1)], tmp_path, when=NOW)

    text = po_path(tmp_path).read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid "Search"\nmsgid "Search the site"\nmsgstr "Buscar"' in text
    assert_valid(po_path(tmp_path))


def test_a_changed_machine_string_gets_a_fresh_machine_translation(tmp_path: Path) -> None:
    run_batch([Occurrence("Related Articles", "heading", "a.txt", 1)], tmp_path)

    changed = [Occurrence("Related articles", "heading", "a.txt", 1)]
    table = {"Related articles": "Artículos relacionados"}
    written = run_batch(changed, tmp_path, translate=machine_from(table), when=LATER_RUN)

    entry = written["es"].entries[0]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "Artículos relacionados",
        True,
        "Related Articles",
    )
    assert_valid(po_path(tmp_path))


# --- bytes, dates, plural forms -------------------------------------------------------


def test_rerun_with_the_same_input_writes_identical_bytes(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path, languages=("es", "fr", "ru"))
    review(tmp_path, "Share", "Compartir")
    newer = machine_from({"World": "El mundo"})
    run_batch(seed_occurrences(), tmp_path, ("es", "fr", "ru"), translate=newer, when=LATER_RUN)
    files = sorted(tmp_path.rglob("*.po*"))
    first = {p: p.read_bytes() for p in files}

    run_batch(seed_occurrences(), tmp_path, ("es", "fr", "ru"), translate=newer, when=NOW)

    assert {p: p.read_bytes() for p in files} == first
    # Set when the catalog was made; msgmerge never moves it, nor do we.
    assert b"PO-Revision-Date: 2025-04-04 12:00+0000" in first[po_path(tmp_path)]
    # The strings did not change: the .pot kept its date, and the .po files follow it.
    assert b"POT-Creation-Date: 2025-04-04 12:00+0000" in first[po_path(tmp_path)]


def test_dates_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1743768000")

    template = catalog.build_template(seed_occurrences(), domain="news", version="0.1.0")

    assert template.header_value("POT-Creation-Date") == "2025-04-04 12:00+0000"


def msginit_plural_forms(tmp_path: Path, language: str) -> str:
    """What GNU gettext's msginit writes for a language: the translation teams' convention."""
    pot = tmp_path / "empty.pot"
    pot.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    made = subprocess.run(
        ["msginit", "--no-translator", "-l", language, "-i", str(pot), "-o", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return str(polib.pofile(made.stdout).metadata["Plural-Forms"])


@pytest.mark.parametrize(
    ("language", "nplurals"),
    [("es", 2), ("fr", 2), ("ru", 3), ("pt_BR", 2), ("ja", 1)],
    ids=["spanish", "french", "russian", "brazilian", "japanese"],
)
def test_plural_forms_agree_with_gettext(tmp_path: Path, language: str, nplurals: int) -> None:
    ours = catalog.plural_forms(language)
    theirs = msginit_plural_forms(tmp_path, language)

    assert ours.startswith(f"nplurals={nplurals};")
    same_form = gettext.c2py(expression(ours)), gettext.c2py(expression(theirs))
    counts = [*range(0, 1200), 1_000_000, 2_000_000]
    assert [same_form[0](n) for n in counts] == [same_form[1](n) for n in counts]


def expression(plural_forms: str) -> str:
    return plural_forms.split("plural=", 1)[1].rstrip(";")


@pytest.mark.parametrize("language", ["es", "fr", "ru"], ids=["es", "fr", "ru"])
def test_each_language_catalog_has_its_plural_forms_and_passes_msgfmt(
    tmp_path: Path, language: str
) -> None:
    written = run_batch(seed_occurrences(), tmp_path, languages=(language,))[language]

    assert written.header_value("Plural-Forms") == catalog.plural_forms(language)
    assert written.header_value("Language") == language
    assert_valid(po_path(tmp_path, language))


# --- reading errors, rendering, compiling ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            'msgid "Share"\nmsgstr "Compartir"\nnonsense\n',
            3,
            "cannot read catalog: Syntax error in po file",
        ),
        (
            'msgid "Share"\nmsgstr "A"\n\nmsgid "Share"\nmsgstr "B"\n',
            4,
            "duplicate message definition 'Share'",
        ),
    ],
    ids=["syntax-error", "duplicate-msgid"],
)
def test_a_broken_catalog_is_reported_with_path_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    broken = po_path(tmp_path)
    broken.parent.mkdir(parents=True)
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(catalog.CatalogError) as raised:
        catalog.read_catalog(broken)

    assert str(raised.value) == f"{broken}:{line}: {problem}"


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # 4 lines


@pytest.mark.parametrize(
    ("entry", "line", "keyword"),
    [
        ('msgid broken\nmsgstr "roto"\n', 5, "msgid"),
        ('msgid "Share"\nmsgstr Compartir\n', 6, "msgstr"),
        ('msgctxt button\nmsgid "Share"\nmsgstr ""\n', 5, "msgctxt"),
        ('msgid "a"\nmsgid_plural many\nmsgstr[0] ""\nmsgstr[1] ""\n', 6, "msgid_plural"),
        ('msgid "a"\nmsgid_plural "b"\nmsgstr[0] uno\nmsgstr[1] ""\n', 7, "msgstr[0]"),
        ('#~ msgid broken\n#~ msgstr "roto"\n', 5, "msgid"),
        ('#, fuzzy\n#| msgid broken\nmsgid "Share"\nmsgstr ""\n', 6, "msgid"),
    ],
    ids=["msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr[0]", "obsolete", "previous"],
)
def test_a_keyword_without_a_quoted_string_is_refused_as_msgfmt_does(
    tmp_path: Path, entry: str, line: int, keyword: str
) -> None:
    """polib reads `msgid broken` as "roke" (its first and last letters dropped); msgfmt
    refuses the file. We refuse it too, naming the line, before anything rewrites it."""
    broken = po_path(tmp_path)
    broken.parent.mkdir(parents=True)
    broken.write_text(HEADER + entry, encoding="utf-8")
    msgfmt = run_msgfmt_check(broken)
    assert msgfmt.returncode != 0 and f"{broken}:{line}:" in msgfmt.stderr

    with pytest.raises(catalog.CatalogError) as raised:
        catalog.read_catalog(broken)

    assert str(raised.value) == f"{broken}:{line}: {keyword} is not followed by a quoted string"


@pytest.mark.parametrize(
    ("entry", "line", "problem"),
    [
        ('msgid "World"\nmsgstr "Mun\\qdo"\n', 6, "invalid control sequence '\\\\q'"),
        (
            '# Reviewed by desk\nmsgid "World"\n\nmsgid "Share"\nmsgstr "Compartir"\n',
            6,
            "missing 'msgstr' section",
        ),
        ('msgid "World"\n', 5, "missing 'msgstr' section"),
        (
            'msgid "World"\nmsgstr "Mundo" garbage\n',
            6,
            "unexpected text after the string: 'garbage'",
        ),
        ('msgid "World" # w\nmsgstr "Mundo"\n', 5, "syntax error: a comment before the msgstr"),
        ('msgid "World"\nmsgstr "Mun" # w\n"do"\n', 7, "syntax error: a string after a comment"),
    ],
    ids=[
        "invalid-escape",
        "msgstr-missing",
        "msgstr-missing-at-end",
        "stray-text",
        "comment-in-entry",
        "string-after-comment",
    ],
)
def test_what_msgfmt_refuses_is_refused_with_its_line(
    tmp_path: Path, entry: str, line: int, problem: str
) -> None:
    """polib reads these without complaint: it keeps the backslash of "\\q", and hands
    the comments of an entry without msgstr to the next one; rewriting the file would
    damage the translator's work."""
    broken = po_path(tmp_path)
    broken.parent.mkdir(parents=True)
    broken.write_text(HEADER + entry, encoding="utf-8")
    msgfmt = run_msgfmt_check(broken)
    assert msgfmt.returncode != 0

    with pytest.raises(catalog.CatalogError) as raised:
        catalog.read_catalog(broken)

    assert str(raised.value) == f"{broken}:{line}: {problem}"


def test_an_escape_polib_cannot_keep_is_refused_not_rewritten(tmp_path: Path) -> None:
    """msgfmt reads "\\a" as a bell; polib keeps a backslash, which a rewrite would double."""
    path = po_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + 'msgid "Bell"\nmsgstr "Campana\\a"\n', encoding="utf-8")
    assert run_msgfmt_check(path).returncode == 0

    with pytest.raises(catalog.CatalogError, match=r":6: escape '\\\\a' is valid gettext"):
        catalog.read_catalog(path)


def test_what_gettext_reads_and_polib_alone_would_not_is_read(tmp_path: Path) -> None:
    """Two strings on a line, a comment after a string, an indented msgstr: msgfmt reads
    them all; each entry is named by the line of its msgstr."""
    path = po_path(tmp_path)
    path.parent.mkdir(parents=True)
    entries = (
        'msgid "World"\nmsgstr "Mun" "do"\n\n'
        'msgid "Share"\nmsgstr "Compartir" # said of the next entry, as msgcat shows\n\n'
        'msgid "Menu"\n  msgstr"Menú"\n'
    )
    path.write_text(HEADER + entries, encoding="utf-8")
    assert run_msgfmt_check(path).returncode == 0

    read = catalog.read_catalog(path)

    assert [(e.msgid, e.msgstr, e.line, e.comments) for e in read.entries] == [
        ("World", "Mundo", 6, ()),
        ("Share", "Compartir", 9, ()),
        ("Menu", "Menú", 12, ("said of the next entry, as msgcat shows",)),
    ]


def test_a_line_break_polib_would_make_inside_a_string_is_named(tmp_path: Path) -> None:
    """U+2028 is text to gettext; polib ends a line there and reads a syntax error."""
    path = po_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + 'msgid "A"\nmsgstr "B\u2028C"\n', encoding="utf-8")
    assert run_msgfmt_check(path).returncode == 0

    with pytest.raises(catalog.CatalogError, match=r":6: the line holds line separator"):
        catalog.read_catalog(path)
    path.write_text(HEADER + '# a note\u2028more\nmsgid "A"\nmsgstr "B"\n', encoding="utf-8")
    with pytest.raises(catalog.CatalogError, match=r":5: the line holds line separator"):
        catalog.read_catalog(path)


def test_polib_alone_would_read_an_unquoted_msgid_as_another() -> None:
    """Why the check above exists: what polib makes of `msgid broken`."""
    po = polib.pofile(HEADER + 'msgid broken\nmsgstr "roto"\n')
    assert [entry.msgid for entry in po] == ["roke"]


def test_untranslated_entries_are_not_rendered(tmp_path: Path) -> None:
    template = catalog.build_template(seed_occurrences(), domain="news", version="0.1.0")

    empty = catalog.update_catalog(template, None, "es", {})

    assert catalog.translations_for_render(empty) == {}
    assert all(not e.fuzzy for e in empty.entries)


def test_compile_leaves_fuzzy_entries_out(tmp_path: Path) -> None:
    run_batch(seed_occurrences(), tmp_path, languages=("es", "fr"))
    review(tmp_path, "Share", "Compartir")

    compiled = catalog.compile_catalogs(tmp_path, "news")

    mo_es = po_path(tmp_path).with_suffix(".mo")
    assert compiled.written == [mo_es, po_path(tmp_path, "fr").with_suffix(".mo")]
    assert compiled.errors == []
    assert {e.msgid: e.msgstr for e in polib.mofile(str(mo_es))} == {"Share": "Compartir"}
    with mo_es.open("rb") as handle:
        babel_mo = read_mo(handle)
    assert [(m.id, m.string) for m in babel_mo if m.id] == [("Share", "Compartir")]
    with mo_es.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("World") == "World"
    assert list(polib.mofile(str(po_path(tmp_path, "fr").with_suffix(".mo")))) == []


def test_compile_takes_the_entries_msgfmt_takes(tmp_path: Path) -> None:
    """A plural entry with its first form only is in msgfmt's .mo; fuzzy, obsolete and
    untranslated ones are not."""
    path = po_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "%(n)d comment"\nmsgid_plural "%(n)d comments"\n'
        'msgstr[0] "%(n)d comentario"\nmsgstr[1] ""\n\n'
        'msgid "%(n)d story"\nmsgid_plural "%(n)d stories"\nmsgstr[0] ""\nmsgstr[1] "b"\n\n'
        '#, fuzzy\nmsgid "Share"\nmsgstr "Compartir"\n\n'
        'msgid "World"\nmsgstr "Mundo"\n\n'
        'msgid "Menu"\nmsgstr ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Viejo"\n',
        "utf-8",
    )
    reference = tmp_path / "reference.mo"
    subprocess.run(["msgfmt", "-o", str(reference), str(path)], check=True)

    assert catalog.compile_catalogs(tmp_path, "news").errors == []

    def unpacked(mo: Path) -> str:
        done = subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True)
        return done.stdout

    ours = unpacked(path.with_suffix(".mo"))
    assert ours == unpacked(reference)
    assert "%(n)d comentario" in ours and "Mundo" in ours and "Compartir" not in ours


def test_a_comment_without_a_space_is_read_as_msgfmt_reads_it(tmp_path: Path) -> None:
    """ "#TODO" is a translator comment to msgfmt and msgcat; polib alone refuses it."""
    run_batch(seed_occurrences(), tmp_path)
    path = po_path(tmp_path)
    path.write_text(
        path.read_text("utf-8").replace('msgid "Share"', '#TODO ask the desk\nmsgid "Share"')
    )
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0

    written = run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)["es"]

    assert "TODO ask the desk" in entries_by_key(written)[Key(None, "Share")].comments
    assert "\n# TODO ask the desk\n" in path.read_text("utf-8")
    assert_valid(path)


def test_a_compiled_catalog_is_what_msgfmt_makes_of_it(tmp_path: Path) -> None:
    """msgfmt leaves the template's date out of a .mo; so do we, so a .mo changes only
    when a translation does."""
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Share", "Compartir")
    theirs = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "-o", str(theirs), str(po_path(tmp_path))], check=True)

    catalog.compile_catalogs(tmp_path, "news")

    ours = polib.mofile(str(po_path(tmp_path).with_suffix(".mo")))
    assert "POT-Creation-Date" not in ours.metadata
    assert ours.metadata == polib.mofile(str(theirs)).metadata
    assert [(e.msgid, e.msgstr) for e in ours] == [("Share", "Compartir")]


def test_po_compile_command_writes_mo_files(tmp_path: Path, runner: CliRunner) -> None:
    run_batch(seed_occurrences(), tmp_path)
    review(tmp_path, "Share", "Compartir")

    result = runner.invoke(main, ["po", "compile", "--catalog", str(tmp_path)])

    assert result.exit_code == 0, result.output
    mo = po_path(tmp_path).with_suffix(".mo")
    assert result.stdout.splitlines() == [str(mo)]
    assert {e.msgid: e.msgstr for e in polib.mofile(str(mo))} == {"Share": "Compartir"}


def test_po_compile_reports_a_broken_catalog_and_compiles_the_rest(
    tmp_path: Path, runner: CliRunner
) -> None:
    run_batch(seed_occurrences(), tmp_path, languages=("es", "fr"))
    po_path(tmp_path, "fr").write_text('msgid "Share"\nmsgstr "Partager"\n!\n', encoding="utf-8")

    result = runner.invoke(main, ["po", "compile", "--catalog", str(tmp_path)])

    assert result.exit_code == 1
    assert f"{po_path(tmp_path, 'fr')}:3: cannot read catalog" in result.stderr
    assert po_path(tmp_path).with_suffix(".mo").is_file()


def test_a_mo_that_cannot_be_written_is_reported_and_the_rest_compiled(
    tmp_path: Path, runner: CliRunner
) -> None:
    run_batch(seed_occurrences(), tmp_path, languages=("es", "fr"))
    blocked = po_path(tmp_path, "es").with_suffix(".mo")
    blocked.mkdir()  # a folder where the .mo goes: as a read-only one would, for root too

    result = runner.invoke(main, ["po", "compile", "--catalog", str(tmp_path)])

    assert result.exit_code == 1
    assert f"{blocked}: cannot write: Is a directory" in result.stderr
    assert "Traceback" not in result.output
    assert po_path(tmp_path, "fr").with_suffix(".mo").is_file()


def test_po_compile_without_catalogs_says_where_it_looked(
    tmp_path: Path, runner: CliRunner
) -> None:
    result = runner.invoke(main, ["po", "compile", "--catalog", str(tmp_path), "--domain", "site"])

    assert result.exit_code == 1
    assert f"no site.po files under {tmp_path}" in result.stderr
