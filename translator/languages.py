"""Language codes as the whole tool spells them: lowercase BCP 47, "pt-br", "zh-hant".

Glossaries, `--to`/`--from` and Argos packages all go through `normalise_language`,
so a regional form written one way in a glossary or a package is found for the
target the command line names another way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")  # as normalise_language gives

# The ISO 639-1 code of a language Apertium names by its ISO 639-3 code: the tool
# speaks ISO 639-1. A code without a 639-1 form ("ast", "srd") stays as it is.
ISO_639_3_TO_1 = {
    "afr": "af", "ara": "ar", "arg": "an", "aze": "az", "bak": "ba", "bel": "be",
    "ben": "bn", "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca", "ces": "cs",
    "cor": "kw", "cym": "cy", "dan": "da", "deu": "de", "ell": "el", "eng": "en",
    "epo": "eo", "est": "et", "eus": "eu", "fao": "fo", "fas": "fa", "fin": "fi",
    "fra": "fr", "fry": "fy", "gla": "gd", "gle": "ga", "glg": "gl", "glv": "gv",
    "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy", "ind": "id",
    "isl": "is", "ita": "it", "jpn": "ja", "kat": "ka", "kaz": "kk", "kir": "ky",
    "kor": "ko", "kur": "ku", "lat": "la", "lav": "lv", "lit": "lt", "ltz": "lb",
    "mkd": "mk", "mlt": "mt", "msa": "ms", "nld": "nl", "nno": "nn", "nob": "nb",
    "oci": "oc", "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru", "sme": "se",
    "slk": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "srp": "sr", "swe": "sv",
    "tat": "tt", "tgk": "tg", "tur": "tr", "ukr": "uk", "urd": "ur", "uzb": "uz",
    "vie": "vi", "zho": "zh",
}  # fmt: skip


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
    """Whether `code` is a language with a region and nothing else ("es-mx", "es-419"),
    written in its language's usual script: not "zh-hant", nor "zh-tw" (Traditional
    Chinese, where "zh" is Simplified), nor "sr-latn"."""
    language, *rest = normalise_language(code).split("-")
    return len(rest) == 1 and _is_region(rest[0]) and _script(code) == _script(language)


def _script(code: str) -> str | None:
    """The script a language code is most likely written in (CLDR's likely subtags)."""
    from babel.core import get_global  # on the way to an error message only

    likely: Mapping[str, str] = get_global("likely_subtags")
    language, *rest = normalise_language(code).split("-")
    tag = likely.get("_".join([language, *(part.upper() for part in rest)]))
    tag = tag or likely.get(language, "")
    return next((part for part in tag.split("_")[1:] if len(part) == 4), None)


def _is_region(part: str) -> bool:
    return len(part) == 2 or (len(part) == 3 and part.isdigit())


def _subtag(part: str) -> str:
    if _is_region(part):
        return part.upper()  # a region
    return part.title() if len(part) == 4 else part  # a script, else a variant


def is_language(code: str) -> bool:
    """Whether `code`'s first subtag is a language code as this tool writes it: a
    two-letter one CLDR lists ("sp", a typo for "es", is none), or a longer one the
    tool writes no shorter ("srd", which Apertium serves; not "spa", which is "es")."""
    if not LANGUAGE_CODE.match(code):
        return False
    language = base_language(code)
    if language in _COMMON:
        return True
    if len(language) == 2 or language in ISO_639_3_TO_1 or language in _BIBLIOGRAPHIC:
        return language in _cldr_languages()
    return language in _cldr_languages() or _alias(language) is not None


_COMMON = frozenset({"en", "es", "fr", "de", "it", "pt", "ca", "nl", "ru", "uk", "pl", "und"})


def code_for(code: str) -> str | None:
    """The code this tool uses for a language `code` names otherwise, if any: "spa"
    (Apertium's) and "iw" (withdrawn) are "es" and "he"."""
    language = base_language(code)
    if language in ISO_639_3_TO_1:
        return ISO_639_3_TO_1[language]
    alias = _alias(language)
    if len(language) == 2 or language in _BIBLIOGRAPHIC:
        return alias if alias in _cldr_languages() else None
    return None


# ISO 639-2's codes made from English names ("ger", "fre"): no run or engine uses them.
_BIBLIOGRAPHIC = frozenset({
    "alb", "arm", "baq", "bur", "chi", "cze", "dut", "fre", "geo", "ger",
    "gre", "ice", "mac", "mao", "may", "per", "rum", "slo", "tib", "wel",
})  # fmt: skip


def _alias(language: str) -> str | None:
    """CLDR's code for a language code it knows under another ("srd": "sc")."""
    from babel.core import get_global

    alias = get_global("language_aliases").get(language)
    return alias if isinstance(alias, str) else None


@functools.cache
def _cldr_languages() -> frozenset[str]:
    from babel import Locale  # 30 ms to load: only for codes beyond the common ones

    return frozenset(Locale("en").languages)


# Scripts written right to left: pages and columns in them get dir="rtl".
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "ug"})


def direction(language: str) -> str:
    """ "rtl" or "ltr", as HTML's dir attribute says it, for text in `language`."""
    return "rtl" if base_language(language) in RTL_LANGUAGES else "ltr"
