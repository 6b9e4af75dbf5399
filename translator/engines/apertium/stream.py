"""Apertium's stream format: our records in, plain text out.

* We do `apertium-destxt`'s job: escape the stream's special characters, wrap
  other whitespace and `~` (the post-generation mark) in superblanks, and end each
  record with a hidden period `.[]` so the tagger sees a sentence end (without it
  a record's final period is dropped); like `apertium-retxt` we remove `.[]` again
  on the way out.
* Each record ends with a superblank carrying a sequence number, `[#12]`: a stage
  that dies makes the next one flush NULs at end of input, and the check keeps
  such empty records from being taken for translations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SPECIAL = frozenset("\\[]{}^$/@<>")  # escaped with a backslash, as apertium-destxt does
_HIDDEN_PERIOD = ".[]"  # destxt's sentence end; retxt removes ".[]"


def _is_marker(char: str) -> bool:
    """Inline markup markers live in the Private Use Area; they travel as superblanks."""
    return "\ue000" <= char <= "\uf8ff"


# Backslash before the special characters; in text, `~` also goes into a superblank.
_ESCAPE = str.maketrans({c: "\\" + c for c in _SPECIAL})
_ESCAPE_TEXT = str.maketrans({**{c: "\\" + c for c in _SPECIAL}, "~": "[~]"})


def _blank(text: str) -> str:
    return "[" + text.translate(_ESCAPE) + "]"


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """Split text into ("marker"|"space"|"text", run) pieces."""
    for match in re.finditer(r"[\ue000-\uf8ff]+|\s+|[^\s\ue000-\uf8ff]+", text):
        run = match.group()
        if _is_marker(run[0]):
            yield "marker", run
        elif run.isspace():
            yield "space", run
        else:
            yield "text", run


def encode_record(text: str, seq: int) -> bytes:
    """One segment as a NUL-terminated record of Apertium's stream format."""
    parts: list[str] = []
    for kind, run in _tokens(text.replace("\0", " ")):
        if kind == "marker":
            parts.append(_blank(run))
        elif kind == "space":
            if run == " ":
                parts.append(" ")
            else:
                # A blank line inside a segment ends a sentence, as for destxt.
                parts.append((_HIDDEN_PERIOD if run.count("\n") > 1 else "") + _blank(run))
        else:
            parts.append(run.translate(_ESCAPE_TEXT))
    parts.append(_HIDDEN_PERIOD + f"[#{seq}]")
    return "".join(parts).encode("utf-8") + b"\0"


class RecordMismatch(Exception):
    """A record came back without its sequence mark: a stage died or the stream slipped."""


def _read_blank(out: str, start: int) -> tuple[str, int]:
    """The unescaped content of the superblank opening at `start`, and the index after it."""
    content: list[str] = []
    i = start + 1
    while i < len(out) and out[i] != "]":
        if out[i] == "\\" and i + 1 < len(out):
            i += 1
        content.append(out[i])
        i += 1
    return "".join(content), i + 1


def decode_record(out: str, seq: int) -> str:
    """Plain text from a translated record: unescape, open superblanks, drop `.[]`."""
    text: list[str] = []
    found = False
    plain_space = False  # was the last character a space Apertium produced (not ours)?
    i = 0
    while i < len(out):
        char = out[i]
        if char == "\\" and i + 1 < len(out):
            text.append(out[i + 1])
            plain_space = False
            i += 2
        elif out.startswith("[[", i):
            # A word-bound blank; we never send them, so drop any that appear.
            end = out.find("]]", i)
            i = len(out) if end < 0 else end + 2
        elif char == "[":
            content, i = _read_blank(out, i)
            if content == f"#{seq}":
                found = True
            elif content == "" and text and text[-1] == ".":
                text.pop()  # our hidden period
            else:
                text.append(content)
            plain_space = False
        else:
            # Deleted words leave doubled spaces behind; the source's own runs
            # of spaces came through as superblanks and are kept.
            if not (char == " " and plain_space):
                text.append(char)
            plain_space = char == " "
            i += 1
    if not found:
        raise RecordMismatch(f"record {seq} came back without its mark: {out[:200]!r}")
    return "".join(text)


def keep_edges(source: str, translation: str) -> str:
    """The translation with the source's leading and trailing whitespace."""
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + translation.strip() + trail
