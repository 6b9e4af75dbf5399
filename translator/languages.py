"""Language codes as the whole tool spells them: lowercase BCP 47, "pt-br", "zh-hant".

Glossaries, `--to`/`--from` and Argos packages all go through `normalise_language`,
so a regional form written one way in a glossary or a package is found for the
target the command line names another way.
"""

from __future__ import annotations

import functools
import re

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")  # as normalise_language gives


def normalise_language(code: str) -> str:
    """One spelling per language code: "pt_BR", "PT-br" and "pt-BR" are all "pt-br"."""
    return code.strip().lower().replace("_", "-")


def base_language(code: str) -> str:
    """The language of a code without its region or script: "pt-BR" and "pt_br" -> "pt"."""
    return normalise_language(code).split("-")[0]


def locale_name(language: str) -> str:
    """A language code as gettext's locale folders and Language headers spell it, the
    way msginit, Poedit and Weblate write it: "pt-br" -> "pt_BR", "zh-hant" -> "zh_Hant",
    "es-419" -> "es_419"."""
    first, *rest = normalise_language(language).split("-")
    return "_".join([first, *(_subtag(part) for part in rest)])


def only_region(code: str) -> bool:
    """Whether `code` is a language with a region and nothing else ("es-mx", "es-419"):
    written as its language is, where a script ("zh-hant", "sr-latn") is not."""
    _, *rest = normalise_language(code).split("-")
    return len(rest) == 1 and _is_region(rest[0])


def _is_region(part: str) -> bool:
    return len(part) == 2 or (len(part) == 3 and part.isdigit())


def _subtag(part: str) -> str:
    if _is_region(part):
        return part.upper()  # a region
    return part.title() if len(part) == 4 else part  # a script, else a variant


def is_language(code: str) -> bool:
    """Whether `code`'s first subtag names a language, as CLDR lists them: "sp" names
    none, so a glossary's typo for "es" is caught, not left to protect nothing."""
    language = base_language(code)
    return language in _COMMON or language in _cldr_languages()


_COMMON = frozenset({"en", "es", "fr", "de", "it", "pt", "ca", "nl", "ru", "uk", "pl", "und"})


def code_for(code: str) -> str | None:
    """The code this tool uses for a language `code` names otherwise, if any: "spa"
    (ISO 639-2, Apertium's) and "iw" (withdrawn) are "es" and "he"."""
    from babel.core import get_global

    alias = get_global("language_aliases").get(base_language(code))
    return alias if isinstance(alias, str) and is_language(alias) else None


@functools.cache
def _cldr_languages() -> frozenset[str]:
    from babel import Locale  # 30 ms to load: only for codes beyond the common ones

    return frozenset(Locale("en").languages)


# Scripts written right to left: pages and columns in them get dir="rtl".
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "ug"})


def direction(language: str) -> str:
    """ "rtl" or "ltr", as HTML's dir attribute says it, for text in `language`."""
    return "rtl" if base_language(language) in RTL_LANGUAGES else "ltr"
