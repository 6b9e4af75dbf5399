"""The persistent translation cache: SQLite, shared safely between runs.

A translation is reused only when everything that shaped it is the same: the
request sent to the engine, the language pair, the engine and its model
version, and the decoding settings. Each of these is part of the key, so
changing one retranslates exactly what it affects and nothing else.

The glossary is in the key the precise way: what is cached is the engine's raw
output for the exact request, which carries the protected text and the required
target forms of the terms in that segment. Editing a term changes the requests
of the segments containing it, and only those; restoring terms happens after the
cache, on every run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from json.encoder import encode_basestring  # what json.dumps uses for a str
from pathlib import Path

from translator.store import chunks, connect, sqlite_errors

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Scope:
    """Everything besides the text that decides a translation."""

    engine: str
    version: str
    source: str
    target: str
    settings: str = ""  # decoding settings that change output (beam size...)

    def key(self, text: str) -> str:
        """SHA-256 of the JSON list [SCHEMA_VERSION, engine, version, source, target,
        settings, text]: the list is written out by hand, its head once per scope."""
        data = self._head + encode_basestring(text) + "]"
        return hashlib.sha256(data.encode()).hexdigest()

    @functools.cached_property
    def _head(self) -> str:
        parts = [SCHEMA_VERSION, self.engine, self.version, self.source, self.target]
        return json.dumps([*parts, self.settings], ensure_ascii=False)[:-1] + ", "


class TranslationCache:
    """Cached translations keyed by `Scope.key`; `path=None` keeps them in memory only.

    Two runs may share one cache file (see store.connect). Each batch is committed
    as it arrives, so an interrupted run keeps what it finished.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        # A run translates in background threads, one per language pair, while it
        # writes: the lock gives the connection to one of them at a time.
        self._lock = threading.Lock()
        with self._errors():
            self._db = connect(
                path,
                "CREATE TABLE IF NOT EXISTS translations "
                "(key TEXT PRIMARY KEY, translation TEXT NOT NULL) WITHOUT ROWID",
            )

    def _errors(self) -> AbstractContextManager[None]:
        """SQLite's errors as a StoreError naming this file (see sqlite_errors)."""
        return sqlite_errors(
            self.path,
            "the translation cache",
            "only translations the engines make again are lost",
            "run with --cache PATH elsewhere, or with --no-cache",
        )

    def get_many(self, scope: Scope, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations of `texts` that exist, by text."""
        found: dict[str, str] = {}
        for chunk in chunks(texts):
            keys = {scope.key(text): text for text in chunk}
            marks = ",".join("?" * len(keys))
            with self._lock, self._errors():
                rows = self._db.execute(
                    f"SELECT key, translation FROM translations WHERE key IN ({marks})", list(keys)
                ).fetchall()
            for key, translation in rows:
                found[keys[key]] = translation
        return found

    def put_many(self, scope: Scope, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (text, translation) pairs in one transaction."""
        rows = [(scope.key(text), translation) for text, translation in pairs]
        with self._lock, self._errors(), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (key, translation) VALUES (?, ?)", rows
            )

    def __len__(self) -> int:
        with self._lock, self._errors():
            (count,) = self._db.execute("SELECT COUNT(*) FROM translations").fetchone()
        return int(count)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
