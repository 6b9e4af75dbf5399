"""The header fields of a catalog: their order, the dates, Plural-Forms, who made it.

Dates: PO-Revision-Date says when a translator last revised a .po; msgmerge never
touches it, nor do we (set once, when we create the file). POT-Creation-Date moves
when the template's content changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from translator.catalog.model import PROJECT
from translator.languages import base_language, normalise_language

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
# Keys are codes as normalise_language writes them; a region not listed takes its
# language's entry ("es-mx" is "es", as for msginit).
GETTEXT_PLURALS = {
    "ca": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "pt-br": "nplurals=2; plural=(n > 1);",
}


# The fields msgmerge knows, in the order it writes them whatever order a translator's
# header had them in (msgmerge.c); it writes every other field after them, in the
# header's own order: Plural-Forms stays after Poedit's X-Generator if it was there.
MSGMERGE_ORDER = (
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
)
# What msgmerge takes from the template into a translator's header.
FROM_TEMPLATE = ("Report-Msgid-Bugs-To", "POT-Creation-Date")


def source_date() -> datetime:
    """The run's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(second=0, microsecond=0)


def format_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%d %H:%M%z")


def plural_forms(language: str) -> str:
    """The Plural-Forms header for `language` ("es", "pt-BR"), from Babel's CLDR data."""
    code = normalise_language(language)
    for known in (code, base_language(code)):
        if known in GETTEXT_PLURALS:
            return GETTEXT_PLURALS[known]
    locale = code.replace("-", "_")
    from babel.core import UnknownLocaleError  # Babel loads its CLDR tables on first use
    from babel.messages.plurals import get_plural

    try:
        return str(get_plural(locale))
    except (UnknownLocaleError, ValueError):
        return DEFAULT_PLURAL_FORMS


def made_by_us(header: Iterable[tuple[str, str]], project: str = PROJECT) -> bool:
    return (dict(header).get("Project-Id-Version") or "").startswith(project)


def ordered_header(fields: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """`fields` as msgmerge orders them: the ones it knows first, in MSGMERGE_ORDER, then
    the others in their order (a catalog made now lists Plural-Forms last of its fields).
    Catalogs keep this order in memory too, so one read back equals the one written."""
    known = [(name, fields[name]) for name in MSGMERGE_ORDER if name in fields]
    others = [(name, value) for name, value in fields.items() if name not in MSGMERGE_ORDER]
    return (*known, *others)
