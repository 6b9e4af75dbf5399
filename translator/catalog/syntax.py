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
# "#TODO ask the desk" is a translator comment to msgfmt and msgcat (which write it
# "# TODO ..."), a syntax error to polib.
_COMMENT_WITHOUT_SPACE = re.compile(r"^#([^\s.:,|~])")


def prepared(path: Path, text: str) -> str:
    """`text` for polib to read, line for line; CatalogError where msgfmt refuses it."""
    lines = text.splitlines(keepends=True)
    awaiting: int | None = None  # the line of a msgid whose msgstr has not come yet
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("#~|"):  # polib skips an obsolete entry's previous msgid
            line = lines[number - 1] = line.replace("#~|", "#|", 1)
        stripped = line.strip()
        rest = _MARKS.sub("", stripped, count=1)
        keyword = _KEYWORD.match(rest)
        if keyword:
            rest = rest[keyword.end() :]
            if not rest.startswith('"'):
                raise CatalogError(
                    path, f"{keyword.group(1)} is not followed by a quoted string", number
                )
            if not stripped.startswith("#|"):  # previous strings stand apart
                awaiting = _next_awaiting(path, keyword.group(1), awaiting, number)
        if rest.startswith('"'):
            strings = _strings(path, rest, number)
            if len(strings) > 1:  # "Mun" "do": one string to polib, on the same line
                start = len(line) - len(line.lstrip()) + (len(stripped) - len(rest))
                ending = line[len(line.rstrip("\r\n")) :]
                lines[number - 1] = f'{line[:start]}"{"".join(strings)}"{ending}'
        else:
            lines[number - 1] = _COMMENT_WITHOUT_SPACE.sub(r"# \1", line)
    if awaiting is not None:
        raise CatalogError(path, "missing 'msgstr' section", awaiting)
    return "".join(lines)


def _next_awaiting(path: Path, keyword: str, awaiting: int | None, number: int) -> int | None:
    """Entries in order: a msgid (or msgctxt) may not start while another waits for its
    msgstr."""
    if keyword.startswith("msgstr"):
        return None
    if keyword in ("msgctxt", "msgid") and awaiting is not None:
        raise CatalogError(path, "missing 'msgstr' section", awaiting)
    return number if keyword == "msgid" else awaiting


def _strings(path: Path, rest: str, number: int) -> list[str]:
    """The quoted strings of a line, as written (escapes and all), each escape checked."""
    strings: list[str] = []
    position = 0
    while position < len(rest):
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
    return strings


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


_TRANSLATION = re.compile(r"^(?:#~\s*)?msgstr(?:\[0\])?\s")


@dataclass(frozen=True)
class Layout:
    """What polib does not keep of a catalog's text: where each entry's translation
    (msgstr, msgstr[0]) starts, and its translator comments as written (polib strips
    their trailing blanks, which msgcat keeps: a rerun would change the lines)."""

    translation_lines: list[int]  # in order
    comments: dict[int, tuple[str, ...]]  # by the line of the entry's translation


def layout(text: str) -> Layout:
    """The `Layout` of a catalog's text, as `prepared` gives it."""
    lines: list[int] = []
    comments: dict[int, tuple[str, ...]] = {}
    pending: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if _TRANSLATION.match(line):
            lines.append(number)
            comments[number], pending = tuple(pending), []
        elif line.startswith("#") and line[1:2] not in (".", ":", ",", "|", "~"):
            pending.append(line[2:] if line.startswith("# ") else line[1:])
    return Layout(lines, comments)
