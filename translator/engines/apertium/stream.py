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

from translator.inline import MARKER_RANGE

_SPECIAL = frozenset("\\[]{}^$/@<>")  # escaped with a backslash, as apertium-destxt does
_HIDDEN_PERIOD = ".[]"  # destxt's sentence end; retxt removes ".[]"


# Backslash before the special characters; in text, `~` also goes into a superblank.
_ESCAPE_TEXT = str.maketrans({**{c: "\\" + c for c in _SPECIAL}, "~": "[~]"})
# What travels in a superblank: a run of inline markup markers, or whitespace other
# than one plain space.
_BLANK = re.compile(rf"[{MARKER_RANGE}]+|\s{{2,}}|[^\S ]")


def _blank(match: re.Match[str]) -> str:
    run = match.group()
    # A blank line inside a segment ends a sentence, as for destxt.
    return (_HIDDEN_PERIOD if run.count("\n") > 1 else "") + "[" + run + "]"


def encode_record(text: str, seq: int) -> bytes:
    """One segment as a NUL-terminated record of Apertium's stream format.

    Escaping first is safe: markers and whitespace hold no special character.
    """
    escaped = text.replace("\0", " ").translate(_ESCAPE_TEXT)
    record = _BLANK.sub(_blank, escaped) + _HIDDEN_PERIOD + f"[#{seq}]\0"
    return record.encode("utf-8")


class RecordMismatch(Exception):
    """A record came back without its sequence mark: a stage died or the stream slipped."""


# A translated record, token by token: an escaped character, a word-bound blank
# (never ours: dropped, to its end or the record's), a superblank, or plain text.
_OUTPUT_TOKEN = re.compile(
    r"\\(.)|\[\[(?:.*?\]\]|.*)|\[((?:\\.|[^\]\\])*\\?)(?:\]|$)|([^\\\[]+|\\)", re.DOTALL
)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_SPACES = re.compile(" {2,}")


def decode_record(out: str, seq: int) -> str:
    """Plain text from a translated record: unescape, open superblanks, drop `.[]`."""
    pieces: list[str] = []
    from_blank: list[bool] = []  # per piece: a superblank's content, or text?
    found = False
    plain_space = False  # did the last plain text end in a space Apertium produced?
    for token in _OUTPUT_TOKEN.finditer(out):
        escaped, blank, plain = token.group(1, 2, 3)
        if escaped is not None:
            pieces.append(escaped)
            from_blank.append(False)
            plain_space = False
        elif blank is not None:
            content = _ESCAPED.sub(r"\1", blank)
            if content == f"#{seq}":
                found = True
            elif content == "" and _ends_in_period(pieces, from_blank):
                pieces[-1] = pieces[-1][:-1]  # our hidden period
                if not pieces[-1]:
                    del pieces[-1], from_blank[-1]
            else:
                pieces.append(content)
                from_blank.append(True)
            plain_space = False
        elif plain is not None:
            # Deleted words leave doubled spaces behind; the source's own runs of
            # spaces came through as superblanks and are kept.
            text = _SPACES.sub(" ", plain)
            if plain_space and text.startswith(" "):
                text = text[1:]
            if text:
                pieces.append(text)
                from_blank.append(False)
            plain_space = plain.endswith(" ")
    if not found:
        raise RecordMismatch(f"record {seq} came back without its mark: {out[:200]!r}")
    return "".join(pieces)


def _ends_in_period(pieces: list[str], from_blank: list[bool]) -> bool:
    """Whether the text so far ends in a period of its own: a superblank's content
    counts whole, text a character at a time."""
    if not pieces:
        return False
    return pieces[-1] == "." if from_blank[-1] else pieces[-1].endswith(".")


def keep_edges(source: str, translation: str) -> str:
    """The translation with the source's leading and trailing whitespace."""
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + translation.strip() + trail
