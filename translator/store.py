"""The run's SQLite files (its state, the translation cache): opened alike, errors alike."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from translator.model import TranslatorError

T = TypeVar("T")

# One statement per chunk keeps SQLite's variable limit (32766) far away.
CHUNK = 500


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """`items` in slices of CHUNK, one `IN (...)` query each."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class StoreError(TranslatorError):
    """A SQLite file of the run (its state, or the translation cache) cannot be used:
    locked by another run, damaged, no database at all, on a failing disk."""

    def __init__(self, path: Path | None, message: str) -> None:
        super().__init__(message)
        self.path = path


def connect(path: Path | None, *tables: str) -> sqlite3.Connection:
    """The database at `path` (in memory for None) with `tables` (CREATE TABLE IF NOT
    EXISTS statements), shareable between threads and between runs.

    WAL journaling lets two runs share a file: readers never block, writers wait
    (busy timeout) instead of failing. A power cut may lose the last rows, never
    corrupt the rest (synchronous=NORMAL): what they held is simply done again.
    Call it inside `sqlite_errors`.
    """
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Made here, not by SQLite: it would give 0644 whatever the umask, and a cache a
        # group shares (--cache) must be theirs to write. Its journals take its mode.
        # Whatever stops this (a folder there, no right to write) SQLite names below.
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666))
    db = sqlite3.connect(str(path) if path else ":memory:", timeout=60.0, check_same_thread=False)
    if path is not None:
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for table in tables:
        db.execute(table)
    db.commit()
    return db


@contextlib.contextmanager
def sqlite_errors(path: Path | None, what: str, lost: str, instead: str) -> Iterator[None]:
    """SQLite's errors inside, as a StoreError naming the file (holding `what`), the
    problem and how to get past it: wait for the run holding it, delete it (losing
    `lost`), or `instead`."""
    try:
        yield
    except (sqlite3.ProgrammingError, sqlite3.IntegrityError):
        raise  # bugs of ours, not the file's
    except sqlite3.DatabaseError as error:  # locked, I/O error, no database, damaged...
        where = path or "(in memory)"
        problem = f"{where}: cannot use {what}: {error}."
        # Set on errors SQLite reports, not on the sqlite3 module's own.
        code = getattr(error, "sqlite_errorname", "")
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            fix = f"Another run is using it: wait for it to end, or {instead}."
        elif code.startswith(("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_PERM")):
            fix = (
                "The file and its folder must be writable, with room to spare: fix their "
                f"permissions or free some space, and run again; or {instead}."
            )
        else:
            fix = f"If the file is damaged or no database, delete it ({lost}); or {instead}."
        raise StoreError(path, f"{problem} {fix}") from error
