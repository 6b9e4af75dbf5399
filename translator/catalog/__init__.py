"""Gettext catalogs for UI strings: build a .pot, merge .po files as msgmerge does, compile .mo.

The only package that imports polib and babel.messages. polib reads every catalog file;
we write them as GNU gettext does (`wrap`), so gettext's tools rewrite none of our lines;
Babel contributes what polib lacks: the
fuzzy matching of `Catalog.update` and the Plural-Forms of every language. Everything
here builds values in memory; `write_template`, `write_catalog` and `compile_catalogs`
are the only functions that touch the disk, always through `atomic_write`.

Its modules, each one concern:
- `model`: the records (Entry, Catalog, Key...);
- `header`: the header fields: their order, the dates, Plural-Forms;
- `pofile`: reading and writing .po/.pot files, compiling .mo (the only one with polib);
- `note`: our translator comment on machine output, and how it is recognised;
- `wrap`: the lines of a string as gettext writes them (its UAX #14 line breaking);
- `merge`: building the .pot and updating each .po, whose entries are whose, and
  what articles show of a catalog.
"""

from translator.catalog.header import (
    DATE_FIELDS,
    DEFAULT_PLURAL_FORMS,
    FORMAT_HEADER,
    GETTEXT_PLURALS,
    plural_forms,
    source_date,
)
from translator.catalog.merge import (
    Match,
    build_template,
    translations_for_render,
    update_catalog,
)
from translator.catalog.model import (
    PROJECT,
    ROLE_MARK,
    Catalog,
    CatalogError,
    Entry,
    Key,
    MachineTranslation,
    Occurrence,
    Rendered,
    Template,
    UiString,
)
from translator.catalog.note import MACHINE_NOTE, NOTE_WIDTH, machine_note
from translator.catalog.pofile import (
    Compiled,
    catalog_path,
    compile_catalogs,
    read_catalog,
    read_catalogs,
    read_compendia,
    render_catalog,
    template_path,
    write_catalog,
    write_template,
)

__all__ = [
    "DATE_FIELDS",
    "DEFAULT_PLURAL_FORMS",
    "FORMAT_HEADER",
    "GETTEXT_PLURALS",
    "MACHINE_NOTE",
    "NOTE_WIDTH",
    "PROJECT",
    "ROLE_MARK",
    "Catalog",
    "CatalogError",
    "Compiled",
    "Entry",
    "Key",
    "MachineTranslation",
    "Match",
    "Occurrence",
    "Rendered",
    "Template",
    "UiString",
    "build_template",
    "catalog_path",
    "compile_catalogs",
    "machine_note",
    "plural_forms",
    "read_catalog",
    "read_catalogs",
    "read_compendia",
    "render_catalog",
    "source_date",
    "template_path",
    "translations_for_render",
    "update_catalog",
    "write_catalog",
    "write_template",
]
