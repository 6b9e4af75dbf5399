"""A site's own locale tree (`--catalog`): its strings, plural ones too, are never lost.

The site's files are what xgettext, msginit and Poedit write; checked with real polib
round trips and real msgfmt.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from tests.test_catalog import LATER_RUN, assert_valid, po_path, run_batch, seed_occurrences
from translator import catalog
from translator.catalog import Key, Occurrence, UiString

# xgettext's template of the site's own code: fuzzy header, placeholders, a plural.
SITE_POT = """\
# Translations template for MySite.
# Copyright (C) 2025 MySite
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: mysite 2.1\\n"
"Report-Msgid-Bugs-To: web@mysite.example\\n"
"POT-Creation-Date: 2025-03-01 08:00+0000\\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"
"Language-Team: LANGUAGE <LL@li.org>\\n"
"Language: \\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"

#. TRANSLATORS: the site's name, in the page header
#: templates/base.html:4
msgid "The Daily Example"
msgstr ""

#: templates/article.html:31
#, python-format
msgid "%(count)d comment"
msgid_plural "%(count)d comments"
msgstr[0] ""
msgstr[1] ""

#: templates/base.html:12
msgid "Share"
msgstr ""
"""

# The Spanish team's catalog: reviewed in Poedit, one string its .pot lost, one obsolete.
SITE_PO = """\
# Spanish translations for MySite.
# Ana García <ana@mysite.example>, 2025.
msgid ""
msgstr ""
"Project-Id-Version: mysite 2.1\\n"
"Report-Msgid-Bugs-To: web@mysite.example\\n"
"POT-Creation-Date: 2025-03-01 08:00+0000\\n"
"PO-Revision-Date: 2025-03-10 17:45+0100\\n"
"Last-Translator: Ana García <ana@mysite.example>\\n"
"Language-Team: Spanish <es@mysite.example>\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset={charset}\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Generator: Poedit 3.4\\n"

#. TRANSLATORS: the site's name, in the page header
#: templates/base.html:4
msgid "The Daily Example"
msgstr "El Diario de Ejemplo"

#: templates/article.html:31
#, python-format
msgid "%(count)d comment"
msgid_plural "%(count)d comments"
msgstr[0] "%(count)d comentario"
msgstr[1] "%(count)d comentarios"

#: templates/base.html:12
msgid "Share"
msgstr "Compartir"

# Kept on purpose: the newsletter box comes back in May.
#: templates/newsletter.html:3
msgid "Subscribe"
msgstr "Suscríbete"

#~ msgid "Archive"
#~ msgstr "Archivo"
"""

SITE_MSGIDS = ["The Daily Example", "%(count)d comment", "Share", "Subscribe"]


def make_site(locale: Path, charset: str = "UTF-8") -> None:
    catalog.template_path(locale, "news").parent.mkdir(parents=True, exist_ok=True)
    catalog.template_path(locale, "news").write_text(SITE_POT, encoding="utf-8")
    po_path(locale).parent.mkdir(parents=True)
    po_path(locale).write_text(SITE_PO.format(charset=charset), encoding=charset)


def entry_text(path: Path, msgid: str) -> str:
    """An entry exactly as written in the file (polib's rendering of what it read)."""
    found = polib.pofile(str(path)).find(msgid)
    assert found is not None, msgid
    return str(found)


def msgfmt_problems(path: Path) -> list[str]:
    """msgfmt --check's complaints, without line numbers (lines move as entries are added)."""
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    return sorted(re.sub(r"^\S+:\d+: ", "", line) for line in checked.stderr.splitlines())


def test_a_site_catalog_keeps_every_entry_it_had(tmp_path: Path) -> None:
    make_site(tmp_path)
    before = {msgid: entry_text(po_path(tmp_path), msgid) for msgid in SITE_MSGIDS}

    written = run_batch(seed_occurrences(), tmp_path)["es"]

    assert {msgid: entry_text(po_path(tmp_path), msgid) for msgid in SITE_MSGIDS} == before
    plural = entries_of(written)[Key(None, "%(count)d comment")]
    assert plural.msgstr_plural == ("%(count)d comentario", "%(count)d comentarios")
    assert [(e.msgid, e.msgstr) for e in written.obsolete] == [("Archive", "Archivo")]
    ours = [e for e in written.entries if e.ours]
    assert [e.msgid for e in ours] == ["World", "Related Articles"]  # "Share" is the site's
    assert all(e.fuzzy for e in ours)
    po = polib.pofile(str(po_path(tmp_path)))
    assert po.metadata["PO-Revision-Date"] == "2025-03-10 17:45+0100"
    assert po.metadata["Last-Translator"] == "Ana García <ana@mysite.example>"
    assert po.metadata["X-Generator"] == "Poedit 3.4"
    assert_valid(po_path(tmp_path))


def test_who_translated_a_site_catalog_is_left_to_its_header(tmp_path: Path) -> None:
    """msgmerge never adds Last-Translator, Language-Team or PO-Revision-Date; neither
    do we: machine translation did not revise the site's catalog."""
    make_site(tmp_path)
    lacking = re.sub(r'"(PO-Revision-Date|Last-Translator|Language-Team): .*\\n"\n', "", SITE_PO)
    po_path(tmp_path).write_text(lacking.format(charset="UTF-8"), encoding="utf-8")
    fields = ("PO-Revision-Date", "Last-Translator", "Language-Team")
    assert not set(fields) & set(polib.pofile(str(po_path(tmp_path))).metadata)

    run_batch(seed_occurrences(), tmp_path)
    run_batch(seed_occurrences(), tmp_path)

    metadata = polib.pofile(str(po_path(tmp_path))).metadata
    assert not set(fields) & set(metadata)
    assert metadata["X-Generator"] == "Poedit 3.4"
    assert metadata["Language"] == "es"


def test_a_site_string_the_batch_uses_renders_the_sites_translation(tmp_path: Path) -> None:
    make_site(tmp_path)

    written = run_batch(seed_occurrences(), tmp_path)["es"]

    rendered = catalog.translations_for_render(written)
    assert rendered[UiString("Share", "")] == catalog.Rendered("Compartir", True)
    assert rendered[UiString("World", "section label")].reviewed is False


def test_a_site_template_keeps_its_strings_and_header(tmp_path: Path) -> None:
    make_site(tmp_path)
    pot = catalog.template_path(tmp_path, "news")
    before = {msgid: entry_text(pot, msgid) for msgid in SITE_MSGIDS[:3]}
    problems_before = msgfmt_problems(pot)

    run_batch(seed_occurrences(), tmp_path)

    assert {msgid: entry_text(pot, msgid) for msgid in SITE_MSGIDS[:3]} == before
    template = polib.pofile(str(pot))
    assert [e.msgid for e in template] == [*SITE_MSGIDS[:3], "World", "Related Articles"]
    assert template.metadata["Project-Id-Version"] == "mysite 2.1"
    assert template.metadata_is_fuzzy
    assert template.header.startswith("Translations template for MySite.")
    assert msgfmt_problems(pot) == problems_before  # xgettext's placeholders, nothing new


def test_only_our_strings_become_obsolete_when_a_batch_stops_using_them(tmp_path: Path) -> None:
    make_site(tmp_path)
    run_batch(seed_occurrences(), tmp_path)

    fewer = [o for o in seed_occurrences() if o.msgid not in ("Share", "Related Articles")]
    written = run_batch(fewer, tmp_path)["es"]

    active = [e.msgid for e in written.entries]
    assert active == [*SITE_MSGIDS[:3], "World", "Subscribe"]
    assert sorted(e.msgid for e in written.obsolete) == ["Archive", "Related Articles"]
    pot = catalog.read_catalog(catalog.template_path(tmp_path, "news"))
    assert [e.msgid for e in pot.entries] == [*SITE_MSGIDS[:3], "World"]
    assert_valid(po_path(tmp_path))


def test_compiled_site_catalog_holds_its_plural_forms(tmp_path: Path) -> None:
    make_site(tmp_path)
    run_batch(seed_occurrences(), tmp_path)

    compiled = catalog.compile_catalogs(tmp_path, "news")

    assert compiled.errors == []
    mo = {e.msgid: e for e in polib.mofile(str(compiled.written[0]))}
    assert mo["%(count)d comment"].msgstr_plural == {
        0: "%(count)d comentario",
        1: "%(count)d comentarios",
    }
    assert mo["Subscribe"].msgstr == "Suscríbete"


# --- charsets ----------------------------------------------------------------------------


def test_a_latin_1_catalog_is_read_and_written_back_as_utf_8(tmp_path: Path) -> None:
    make_site(tmp_path, charset="ISO-8859-1")
    assert b"Suscr\xedbete" in po_path(tmp_path).read_bytes()
    assert msgfmt_problems(po_path(tmp_path)) == []  # valid gettext, as msgfmt sees it

    run_batch(seed_occurrences(), tmp_path)

    text = po_path(tmp_path).read_bytes().decode("utf-8")
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert 'msgstr "Suscríbete"' in text and "Ana García" in text
    assert_valid(po_path(tmp_path))


def test_a_catalog_whose_bytes_are_not_its_charset_is_refused_with_the_fix(
    tmp_path: Path,
) -> None:
    make_site(tmp_path, charset="ISO-8859-1")
    data = po_path(tmp_path).read_bytes()
    po_path(tmp_path).write_bytes(data.replace(b"charset=ISO-8859-1", b"charset=UTF-8"))

    with pytest.raises(catalog.CatalogError) as raised:
        catalog.read_catalog(po_path(tmp_path))

    assert str(raised.value) == (
        f"{po_path(tmp_path)}:2: cannot read catalog: not UTF-8 text, as its header's "
        "charset says (byte 0xed); correct the charset, or convert the file with "
        "`msgconv -t UTF-8`"
    )


def entries_of(cat: catalog.Catalog) -> dict[Key, catalog.Entry]:
    return {e.key: e for e in cat.entries}


def test_a_site_string_turned_singular_keeps_its_first_form_fuzzy(tmp_path: Path) -> None:
    make_site(tmp_path)
    pot = catalog.template_path(tmp_path, "news")
    singular = '#, python-format\nmsgid "%(count)d comment"\nmsgstr ""\n'
    plural = SITE_POT[SITE_POT.index("#, python-format") : SITE_POT.index('msgstr[1] ""\n') + 13]
    pot.write_text(SITE_POT.replace(plural, singular), encoding="utf-8")

    written = run_batch(seed_occurrences(), tmp_path)["es"]

    entry = entries_of(written)[Key(None, "%(count)d comment")]
    assert (entry.msgstr, entry.msgid_plural, entry.fuzzy) == ("%(count)d comentario", None, True)
    assert_valid(po_path(tmp_path))


def test_a_site_header_keeps_its_own_fields_order_and_comment(tmp_path: Path) -> None:
    """As msgmerge: its X- fields in the order the site wrote them, and its header comment,
    or none, as it is: ours only heads a catalog made now."""
    make_site(tmp_path)
    text = SITE_PO.format(charset="UTF-8").replace(
        '"X-Generator: Poedit 3.4\\n"',
        '"X-Launchpad-Export-Date: 2025-03-11\\n"\n"X-Generator: Poedit 3.4\\n"',
    )
    po_path(tmp_path).write_text(text.split("\n", 2)[2], encoding="utf-8")  # no comment

    run_batch(seed_occurrences(), tmp_path)

    written = po_path(tmp_path).read_text("utf-8")
    assert written.startswith('msgid ""\n')
    assert written.index("X-Launchpad-Export-Date") < written.index("X-Generator")


def test_a_fuzzy_match_takes_its_format_flags_from_the_template(tmp_path: Path) -> None:
    """msgmerge keeps whether a translation is fuzzy, and takes what the string is
    (c-format, no-wrap) from the template: our plain label is no C format."""
    make_site(tmp_path)
    text = SITE_PO.format(charset="UTF-8").replace(
        'msgid "Share"\nmsgstr "Compartir"', '#, c-format\nmsgid "Share %s"\nmsgstr "Compartir %s"'
    )
    po_path(tmp_path).write_text(text, encoding="utf-8")

    written = run_batch(seed_occurrences(), tmp_path)["es"]

    share = next(e for e in written.entries if e.msgid == "Share")
    assert share.flags == ("fuzzy",) and share.previous_msgid == "Share %s"
    assert msgfmt_problems(po_path(tmp_path)) == []


# --- as msgmerge merges ------------------------------------------------------------------


def msgmerge(po: Path, pot: Path) -> str:
    """What `msgmerge --previous` (as Poedit and Weblate run it) makes of `po` and `pot`."""
    merged = subprocess.run(
        ["msgmerge", "--previous", "--quiet", "-o", "-", str(po), str(pot)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C.UTF-8"},
    )
    return merged.stdout


def test_a_vanished_fuzzy_string_keeps_its_previous_msgid_as_msgmerge_does(
    tmp_path: Path,
) -> None:
    """`#~| msgid "Subscribe now"`: should the string come back, its translator still sees
    what the translation was made for."""
    subscribe = Occurrence("Subscribe now", "button", "seed.txt", 30)
    run_batch([*seed_occurrences(), subscribe], tmp_path)
    run_batch([*seed_occurrences(), replace(subscribe, msgid="Subscribe today")], tmp_path)
    before = tmp_path / "before.po"
    before.write_bytes(po_path(tmp_path).read_bytes())
    assert '#| msgid "Subscribe now"\nmsgid "Subscribe today"' in before.read_text("utf-8")

    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)

    written = po_path(tmp_path).read_text("utf-8")
    assert '#~| msgid "Subscribe now"\n#~ msgid "Subscribe today"' in written
    assert written == msgmerge(before, catalog.template_path(tmp_path, "news"))
    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)  # read back, and kept
    assert po_path(tmp_path).read_text("utf-8") == written


def test_an_obsolete_entry_is_kept_as_it_is_written_previous_msgid_too(tmp_path: Path) -> None:
    """A reviewed obsolete entry with its `#~|` line, as msgmerge keeps it."""
    run_batch(seed_occurrences(), tmp_path)
    path = po_path(tmp_path)
    old = '\n#~| msgid "Old news"\n#~ msgid "Latest news"\n#~ msgstr "Últimas noticias"\n'
    path.write_text(path.read_text("utf-8") + old, "utf-8")
    before = tmp_path / "before.po"
    before.write_bytes(path.read_bytes())

    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)

    written = path.read_text("utf-8")
    assert written.endswith(old)
    assert written == msgmerge(before, catalog.template_path(tmp_path, "news"))


def test_strings_made_obsolete_go_before_older_obsolete_ones_as_msgmerge_puts_them(
    tmp_path: Path,
) -> None:
    run_batch(seed_occurrences(), tmp_path)
    run_batch([o for o in seed_occurrences() if o.msgid != "World"], tmp_path)
    before = tmp_path / "before.po"
    before.write_bytes(po_path(tmp_path).read_bytes())

    fewer = [o for o in seed_occurrences() if o.msgid not in ("World", "Share")]
    written = run_batch(fewer, tmp_path, when=LATER_RUN)["es"]

    assert [e.msgid for e in written.obsolete] == ["Share", "World"]
    text = po_path(tmp_path).read_text("utf-8")
    assert text == msgmerge(before, catalog.template_path(tmp_path, "news"))


# Poedit 1.x's order: Language after the MIME fields, Plural-Forms after its own fields.
POEDIT_HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: mysite 2.1\\n"
"POT-Creation-Date: 2025-03-01 08:00+0000\\n"
"PO-Revision-Date: 2025-03-10 17:45+0100\\n"
"Last-Translator: Ana García <ana@mysite.example>\\n"
"Language-Team: Spanish <es@mysite.example>\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Language: es\\n"
"X-Generator: Poedit 1.8.7\\n"
"X-Poedit-SourceCharset: UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def header_lines(text: str) -> list[str]:
    return text.split("\n\n", 1)[0].splitlines()


def test_a_poedit_header_keeps_the_order_msgmerge_keeps(tmp_path: Path) -> None:
    """msgmerge writes the fields it knows in its own order (Language moves up, the
    template's Report-Msgid-Bugs-To and POT-Creation-Date come in) and every other one
    (Plural-Forms, X-Generator...) after them in the translator's order."""
    make_site(tmp_path)
    site_po = SITE_PO.format(charset="UTF-8")
    body = site_po[site_po.index("\n\n") :]
    po_path(tmp_path).write_text(POEDIT_HEADER + body, encoding="utf-8")
    before = tmp_path / "before.po"
    before.write_bytes(po_path(tmp_path).read_bytes())

    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)
    run_batch(seed_occurrences(), tmp_path, when=LATER_RUN)

    pot = catalog.template_path(tmp_path, "news")
    written = po_path(tmp_path).read_text("utf-8")
    assert header_lines(written) == header_lines(msgmerge(before, pot))
    assert header_lines(written)[-3:] == header_lines(POEDIT_HEADER)[-3:]


def test_a_catalog_made_now_has_our_header_order(tmp_path: Path) -> None:
    written = run_batch(seed_occurrences(), tmp_path)["es"]

    assert [name for name, _ in written.header] == [
        "Project-Id-Version",
        "POT-Creation-Date",
        "PO-Revision-Date",
        "Last-Translator",
        "Language-Team",
        "Language",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Plural-Forms",
    ]
    assert catalog.read_catalog(po_path(tmp_path)).header == written.header
