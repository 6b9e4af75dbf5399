"""The text of a .po file checked, and put in the form polib reads as msgfmt does.

polib and Babel read some broken catalogs without complaint, and misread some valid
ones: `msgstr "Compartir` loses its last letter, `msgid broken` reads as "roke",
`"Mun\\qdo"` keeps a backslash msgfmt refuses, an entry missing its msgstr hands its
comments to the next entry, `msgstr "Mun" "do"` (two strings on a line, valid) is
refused, and an obsolete entry's previous msgid (`#~|`) is dropped. Rewriting such a
file would damage a translator's work, so `prepared` refuses what msgfmt refuses,
with its line, and gives polib valid catalogs in the one form it reads right. This
is checked on the text rather than by running `msgfmt --check` on every catalog
read: that needs gettext's programs installed wherever the library runs, costs a
process per catalog on every run, and its findings would have to be parsed back out
of its messages. The rest of the syntax polib refuses itself (unknown keywords,
stray text, unescaped quotes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from translator.catalog.model import CatalogError

# Obsolete (#~) and previous (#|) lines hold the same syntax as the others, behind a mark.
_MARKS = re.compile(r"^(?:#[~|]\s*)*")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?![\w\[])\s*")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*')
_ESCAPE = re.compile(r"\\(.)")
# The escapes polib reads, and the other ones gettext knows: bell, backspace, form
# feed, vertical tab, octal and hexadecimal codes.
_READ_BY_POLIB = frozenset('nrt\\"')
_NOT_READ_BY_POLIB = frozenset("abfv01234567x")
# Characters Python's str.splitlines ends a line at, as polib reads a catalog; to
# gettext only a line feed ends one.
_POLIB_LINE_BREAKS = re.compile("[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_OTHER_COMMENTS = frozenset(".:,|~")  # after "#": extracted, reference, flags, previous, obsolete


@dataclass(frozen=True)
class Layout:
    """What polib does not keep of a catalog's text: where each entry's translation
    (msgstr, msgstr[0]) starts, and its translator comments as written (polib strips
    their trailing blanks, which msgcat keeps: a rerun would change the lines)."""

    translation_lines: list[int]  # in order
    comments: dict[int, tuple[str, ...]]  # by the line of the entry's translation


@dataclass(frozen=True)
class _Line:
    """One line of a catalog as read: what polib is to read there, and what it holds."""

    text: str  # for polib, line ending included
    keyword: str | None = None  # "msgid", "msgstr[0]"... when the line starts with one
    previous: bool = False  # a "#|" line: the string a fuzzy entry was made from
    comment: str | None = None  # a translator comment, as written
    strings: bool = False  # the line holds strings (of its keyword, or continued)
    # A comment after the strings ('msgstr "Mundo" # note'): the next entry's, to msgfmt.
    trailing: str | None = None


def prepared(path: Path, text: str) -> tuple[str, Layout]:
    """`text` for polib to read, line for line, and its `Layout`; CatalogError where
    msgfmt refuses it."""
    # Only a line feed ends a line to gettext: a U+2028 or a form feed is in a string.
    lines = [_read_line(path, line, n) for n, line in enumerate(text.split("\n"), 1)]
    translation_lines: list[int] = []
    comments: dict[int, tuple[str, ...]] = {}
    pending: list[str] = []  # translator comments waiting for their entry
    awaiting: int | None = None  # the line of a msgid whose msgstr has not come yet
    in_msgstr = False  # the strings read last are a msgstr's: an entry may end there
    ended = False  # a comment after the strings ended the entry
    for number, line in enumerate(lines, 1):
        if line.strings and line.keyword is None and ended:
            raise CatalogError(path, "syntax error: a string after a comment", number)
        ended = False
        if line.comment is not None:
            pending.append(line.comment)
        if line.keyword is not None and not line.previous:  # previous strings stand apart
            in_msgstr = line.keyword.startswith("msgstr")
            if in_msgstr:
                if line.keyword in ("msgstr", "msgstr[0]"):
                    translation_lines.append(number)
                    comments[number], pending = tuple(pending), []
                awaiting = None
            elif line.keyword in ("msgctxt", "msgid") and awaiting is not None:
                raise CatalogError(path, "missing 'msgstr' section", awaiting)
            elif line.keyword == "msgid":
                awaiting = number
        if line.trailing is not None:
            if not in_msgstr or line.previous:
                raise CatalogError(path, "syntax error: a comment before the msgstr", number)
            pending.append(line.trailing)
            ended = True
    if awaiting is not None:
        raise CatalogError(path, "missing 'msgstr' section", awaiting)
    polib_text = "\n".join(line.text for line in lines)
    return polib_text, Layout(translation_lines, comments)


def _read_line(path: Path, line: str, number: int) -> _Line:
    """A line checked as msgfmt reads it, and put as polib reads it right: an obsolete
    entry's previous msgid "#~|" as "#|" (polib skips it), a comment "#TODO" as "# TODO"
    (msgcat writes it so; polib refuses it), strings written on one line ("Mun" "do") as
    one, a comment after the strings kept apart (see `_Line.trailing`)."""
    cr = "\r" if line.endswith("\r") else ""
    if breaking := _POLIB_LINE_BREAKS.search(line.removesuffix("\r")):
        name = unicodedata.name(breaking.group(), "").lower() or "a control character"
        raise CatalogError(
            path,
            f"the line holds {name} (U+{ord(breaking.group()):04X}), valid gettext that "
            "translate-news cannot read: polib ends a line there",
            number,
        )
    content = line.strip()
    if content.startswith("#~|"):
        line = line.replace("#~|", "#|", 1)
        content = "#|" + content[3:]
    indent = line[: len(line) - len(line.lstrip())]
    rest = _MARKS.sub("", content, count=1)
    head = content[: len(content) - len(rest)]  # the marks, then the keyword
    keyword = _KEYWORD.match(rest)
    if keyword:
        head += keyword.group(1) + " "  # 'msgstr"X"' is read by msgfmt, not by polib
        rest = rest[keyword.end() :]
        if not rest.startswith('"'):
            raise CatalogError(
                path, f"{keyword.group(1)} is not followed by a quoted string", number
            )
    if rest.startswith('"'):
        strings, trailing = _strings(path, rest, number)
        return _Line(
            f'{indent}{head}"{"".join(strings)}"{cr}',
            keyword.group(1) if keyword else None,
            previous=content.startswith("#|"),
            strings=True,
            trailing=trailing,
        )
    if content.startswith("#") and content[1:2] not in _OTHER_COMMENTS:
        written = line.lstrip().removesuffix("\r")[1:].removeprefix(" ")
        return _Line(f"{indent}# {written}{cr}", comment=written)
    return _Line(line)


def _strings(path: Path, rest: str, number: int) -> tuple[list[str], str | None]:
    """The quoted strings of a line, as written (escapes and all), each escape checked;
    and the comment after them ("# ..."), if any, as written."""
    strings: list[str] = []
    position = 0
    while position < len(rest):
        if rest[position] == "#":
            return strings, rest[position + 1 :].removeprefix(" ")
        found = _STRING.match(rest, position)
        if found is None:
            if rest[position] == '"':
                problem = "string not closed by a quote (end of line within string)"
            else:
                problem = f"unexpected text after the string: {rest[position:]!r}"
            raise CatalogError(path, problem, number)
        for escape in _ESCAPE.finditer(found.group(1)):
            _check_escape(path, escape.group(0), number)
        strings.append(found.group(1))
        position = found.end()
    return strings, None


def _check_escape(path: Path, escape: str, number: int) -> None:
    if escape[1] in _READ_BY_POLIB:
        return
    if escape[1] in _NOT_READ_BY_POLIB:
        raise CatalogError(
            path,
            f"escape {escape!r} is valid gettext that translate-news cannot keep as it is; "
            "write the character itself",
            number,
        )
    raise CatalogError(path, f"invalid control sequence {escape!r}", number)
