"""Our note on machine output: a translator comment naming the engine, with a checksum.

A *msgstr* is ours to replace while it is still exactly what an engine gave. Machine
output carries a translator comment naming the engine that made that entry and a
checksum of the text it gave (`# machine translation: apertium (...); output
sha256:1a2b3c4d5e6f`). A fuzzy entry whose msgstr no longer has that checksum is a
translator's work in progress: kept, still fuzzy. The note is found whole however a
tool wrapped it: from the line starting "machine translation:" to the line ending
in the checksum.
"""

from __future__ import annotations

import hashlib
import re
import textwrap

from translator.catalog.model import Entry, MachineTranslation

MACHINE_NOTE = "machine translation:"  # starts our translator comment on machine output
NOTE_WIDTH = 72  # columns of a note's lines, "# " included (see machine_note)

# Ends our note: a checksum of the msgstr the engine gave. One word, which no wrapping
# tool splits, so the note's last line is known however the note was wrapped.
_CHECKSUM = re.compile(r"sha256:([0-9a-f]{12})$")


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def machine_note(machine: MachineTranslation) -> tuple[str, ...]:
    """Our translator comment on `machine`, in lines no tool wraps again.

    Wrapped here already, so the entry read back from disk equals the one in memory,
    and narrower than polib wraps comments (78 columns, when a translator's script
    saves; gettext and our writer wrap none), so that a save by either changes no line.
    """
    note = " ".join(f"{MACHINE_NOTE} {machine.engine}; output sha256:".split())
    note += _checksum(machine.text)
    wrapped = textwrap.wrap(
        note, NOTE_WIDTH, initial_indent="# ", subsequent_indent="# ", break_long_words=False
    )
    return tuple(line.removeprefix("# ") for line in wrapped)


def _note_span(comments: tuple[str, ...]) -> range:
    """Where our note is among an entry's comment lines (empty when it has none)."""
    start = next((i for i, line in enumerate(comments) if line.startswith(MACHINE_NOTE)), None)
    if start is None:
        return range(0)
    ends = (i for i in range(start, len(comments)) if _CHECKSUM.search(comments[i]))
    # A note from before the checksum was the last comment, however many lines it took.
    return range(start, next(ends, len(comments) - 1) + 1)


def without_note(comments: tuple[str, ...]) -> tuple[str, ...]:
    span = _note_span(comments)
    note = [comments[i] for i in span]
    # The release before the checksum removed only a note's first line on a rerun, so
    # each rerun left the wrapped tail behind, above the new note: those copies go too.
    left_behind = set(note[1:]) if note and not _CHECKSUM.search(note[-1]) else set()
    return tuple(
        line for i, line in enumerate(comments) if i not in span and line not in left_behind
    )


def still_machine_output(entry: Entry, fresh: str) -> bool:
    """Fuzzy, with our note, and its msgstr still the engine's text: ours to refresh.

    Any other fuzzy translation is a translator's work in progress, which we keep.
    """
    recorded = _recorded_checksum(entry)
    if recorded == "":  # a note from before the checksum: only the same text is surely ours
        return entry.msgstr == fresh
    return recorded == _checksum(entry.msgstr)


def is_machine_output(entry: Entry) -> bool:
    """Fuzzy, with our note, and its msgstr what the engine gave as far as the note tells
    (one from before the checksum tells nothing against it): not a translator's draft."""
    return _recorded_checksum(entry) in ("", _checksum(entry.msgstr))


def _recorded_checksum(entry: Entry) -> str | None:
    """The checksum our note on a fuzzy entry records: "" for a note from before the
    checksum, None for an entry not fuzzy or without our note."""
    span = _note_span(entry.comments)
    if not entry.fuzzy or not span:
        return None
    recorded = _CHECKSUM.search(entry.comments[span[-1]])
    return recorded.group(1) if recorded else ""
