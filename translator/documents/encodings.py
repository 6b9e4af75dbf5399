"""The charsets a web page may be in, by the labels it declares them with, as browsers
read them: the WHATWG Encoding Standard's (https://encoding.spec.whatwg.org)."""

from __future__ import annotations

import codecs
import functools

# By their labels (https://encoding.spec.whatwg.org/#names-and-labels). Each row:
# the Standard's name for the encoding, the Python codec that decodes as its decoder does,
# labels. A label missing here names no encoding a browser reads, and is refused, whatever
# Python makes of it ("utf-7", "unicode_escape", "cp437"); so are the labels of the
# Standard's "replacement" encoding (iso-2022-kr, hz-gb-2312...), which no browser reads
# either. Two rules of the HTML spec's prescan: a UTF-16 label in a page's own markup means
# UTF-8 (the page is ASCII to be read at all), and x-user-defined means windows-1252.
_UTF8 = "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8"
_ENCODINGS = (
    ("utf-8", "utf-8", _UTF8),
    ("utf-8", "utf-8", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff unicodefffe"),
    ("utf-8", "utf-8", "utf-16 utf-16be utf-16le"),
    ("ibm866", "cp866", "866 cp866 csibm866 ibm866"),
    ("iso-8859-2", "iso8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592"),
    ("iso-8859-2", "iso8859-2", "iso_8859-2 iso_8859-2:1987 l2 latin2"),
    ("iso-8859-3", "iso8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593"),
    ("iso-8859-3", "iso8859-3", "iso_8859-3 iso_8859-3:1988 l3 latin3"),
    ("iso-8859-4", "iso8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594"),
    ("iso-8859-4", "iso8859-4", "iso_8859-4 iso_8859-4:1988 l4 latin4"),
    ("iso-8859-5", "iso8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144"),
    ("iso-8859-5", "iso8859-5", "iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988"),
    ("iso-8859-6", "iso8859-6", "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic"),
    ("iso-8859-6", "iso8859-6", "ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127"),
    ("iso-8859-6", "iso8859-6", "iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987"),
    ("iso-8859-7", "iso8859-7", "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7"),
    ("iso-8859-7", "iso8859-7", "iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987"),
    ("iso-8859-7", "iso8859-7", "sun_eu_greek"),
    ("iso-8859-8", "iso8859-8", "csiso88598e csisolatinhebrew hebrew iso-8859-8"),
    ("iso-8859-8", "iso8859-8", "iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8"),
    ("iso-8859-8", "iso8859-8", "iso_8859-8:1988 visual"),
    ("iso-8859-8-i", "iso8859-8", "csiso88598i iso-8859-8-i logical"),
    ("iso-8859-10", "iso8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910"),
    ("iso-8859-10", "iso8859-10", "l6 latin6"),
    ("iso-8859-13", "iso8859-13", "iso-8859-13 iso8859-13 iso885913"),
    ("iso-8859-14", "iso8859-14", "iso-8859-14 iso8859-14 iso885914"),
    ("iso-8859-15", "iso8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915"),
    ("iso-8859-15", "iso8859-15", "iso_8859-15 l9"),
    ("iso-8859-16", "iso8859-16", "iso-8859-16"),
    ("koi8-r", "koi8-r", "cskoi8r koi koi8 koi8-r koi8_r"),
    ("koi8-u", "koi8-u", "koi8-ru koi8-u"),
    ("macintosh", "mac-roman", "csmacintosh mac macintosh x-mac-roman"),
    ("windows-874", "cp874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"),
    ("windows-1250", "cp1250", "cp1250 windows-1250 x-cp1250"),
    ("windows-1251", "cp1251", "cp1251 windows-1251 x-cp1251"),
    ("windows-1252", "cp1252", "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819"),
    ("windows-1252", "cp1252", "iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1"),
    ("windows-1252", "cp1252", "iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252"),
    ("windows-1252", "cp1252", "x-user-defined"),
    ("windows-1253", "cp1253", "cp1253 windows-1253 x-cp1253"),
    ("windows-1254", "cp1254", "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599"),
    ("windows-1254", "cp1254", "iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254"),
    ("windows-1255", "cp1255", "cp1255 windows-1255 x-cp1255"),
    ("windows-1256", "cp1256", "cp1256 windows-1256 x-cp1256"),
    ("windows-1257", "cp1257", "cp1257 windows-1257 x-cp1257"),
    ("windows-1258", "cp1258", "cp1258 windows-1258 x-cp1258"),
    ("x-mac-cyrillic", "mac-cyrillic", "x-mac-cyrillic x-mac-ukrainian"),
    ("gbk", "gb18030", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk"),
    ("gbk", "gb18030", "iso-ir-58 x-gbk"),
    ("gb18030", "gb18030", "gb18030"),
    ("big5", "big5hkscs", "big5 big5-hkscs cn-big5 csbig5 x-x-big5"),
    ("euc-jp", "euc-jp", "cseucpkdfmtjapanese euc-jp x-euc-jp"),
    ("iso-2022-jp", "iso2022-jp", "csiso2022jp iso-2022-jp"),
    ("shift_jis", "cp932", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j"),
    ("shift_jis", "cp932", "x-sjis"),
    ("euc-kr", "cp949", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987"),
    ("euc-kr", "cp949", "ks_c_5601-1989 ksc5601 ksc_5601 windows-949"),
)
# label -> (the encoding's name, the Python codec that reads it)
PAGE_ENCODINGS: dict[str, tuple[str, str]] = {
    label: (name, codec) for name, codec, labels in _ENCODINGS for label in labels.split()
}
# The labels of UTF-8 itself: a page declaring one says what we write.
UTF8_LABELS = frozenset(_UTF8.split())

# Bytes Python's codecs of the windows-* single-byte encodings leave undefined, which the
# Standard's decoders read: as the C1 control of the same number (0x81 is U+0081), and
# windows-1255's 0xCA as a Hebrew point.
_WINDOWS_CODECS = frozenset({"cp874", *(f"cp{n}" for n in range(1250, 1259))})
_WINDOWS_EXTRA = {"cp1255": {0xCA: "\u05ba"}}


def decode_page(data: bytes, codec: str) -> str:
    """`data` decoded with `codec` as a browser decodes that encoding; UnicodeDecodeError
    for a byte no browser reads in it."""
    if codec not in _WINDOWS_CODECS:
        return data.decode(codec)
    return data.decode(codec, errors=_windows_errors(codec))


@functools.cache
def _windows_errors(codec: str) -> str:
    """The name of an error handler reading `codec`'s undefined bytes as browsers do."""
    extra = _WINDOWS_EXTRA.get(codec, {})

    def undefined(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):
            raise error
        byte = error.object[error.start]
        if byte in extra:
            return extra[byte], error.start + 1
        if 0x80 <= byte <= 0x9F:
            return chr(byte), error.start + 1
        raise error

    name = f"translate-news-{codec}"
    codecs.register_error(name, undefined)
    return name
