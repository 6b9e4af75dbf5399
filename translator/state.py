"""What the last run wrote, so that a rerun skips articles whose outputs are up to date.

An article is up to date when its bytes, the run's settings (targets, engines and
their model versions, glossary, options) and the catalogs its UI strings render
from are all as they were when its outputs were written. Everything else is
done again; translations still come from the cache, so that costs little.

The state lives in OUT/.translate-news/state.sqlite, beside the outputs it
describes. Rows are written once an article's outputs are in place, so a run
killed midway leaves rows only for articles it finished.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.store import chunks, connect, sqlite_errors

# 2: entries kept with their "failed" flag; 3: signatures, report lines; 4: outputs;
# 5: labels with their lines
STATE_FORMAT = 5


def digest(*parts: object) -> str:
    """A stable hash of JSON-serialisable parts."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


@functools.cache
def code_digest() -> str:
    """A hash of this package's own source: a change of ours, within one version, may
    change what a run writes (what it protects, how it segments), so outputs written
    by other code are not up to date. Read once per process: a few milliseconds."""
    root = Path(__file__).parent
    hashed = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if path.name.startswith("."):  # an editor's lock or backup file
            continue
        with contextlib.suppress(OSError):  # unreadable: what runs is the rest
            hashed.update(path.read_bytes())
            hashed.update(f"{path.relative_to(root).as_posix()}\0".encode())
    return hashed.hexdigest()


@functools.lru_cache(maxsize=8)
def _stamp(fingerprint: str) -> str:
    """What a row stores of the run's fingerprint: the format of this state is part of it."""
    return digest(STATE_FORMAT, fingerprint)


@dataclass(frozen=True)
class Remembered:
    """An article as the last run left it: what the first pass found, and its report
    entry, with the line report.json showed it in (the report shows it so again)."""

    collected: dict[str, Any]
    entry: dict[str, Any]
    entry_line: str
    # Each output as it was written: path relative to OUT -> its signature (see
    # fsutil.output_signature). One changed since (an editor's hand) is written again.
    outputs: dict[str, list[int]]


class RunState:
    """Articles done by earlier runs into one output folder, and the outputs they wrote."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._errors():
            self._db = connect(
                path,
                "CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, "
                "digest TEXT NOT NULL, fingerprint TEXT NOT NULL, collected TEXT NOT NULL, "
                "entry TEXT NOT NULL, outputs TEXT NOT NULL DEFAULT '{}')",
                "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            )
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
            if "outputs" not in columns:  # a state from before STATE_FORMAT 4
                with self._db:
                    self._db.execute(
                        "ALTER TABLE articles ADD COLUMN outputs TEXT NOT NULL DEFAULT '{}'"
                    )

    def _errors(self) -> AbstractContextManager[None]:
        """SQLite's errors as a StoreError naming this file (see sqlite_errors)."""
        return sqlite_errors(
            self.path,
            "the run state",
            "the next run then writes every article again",
            "write into another output folder",
        )

    def recall_all(self, fingerprint: str) -> dict[str, tuple[str, Remembered]]:
        """Every article remembered under the run's fingerprint: path -> (content_digest,
        what it was), content_digest being the SHA-256 of its bytes. One query: a rerun
        over thousands of articles asks once."""
        with self._errors():
            rows = self._db.execute(
                # Rows kept for unreadable articles (no digest) are for last_collected only.
                "SELECT path, digest, collected, entry, outputs FROM articles "
                "WHERE fingerprint = ? AND digest != ''",
                (_stamp(fingerprint),),
            )
            return {
                path: (
                    content_digest,
                    Remembered(
                        json.loads(collected), json.loads(entry), entry, json.loads(outputs)
                    ),
                )
                for path, content_digest, collected, entry, outputs in rows
            }

    def remember(
        self,
        articles: list[tuple[str, str, dict[str, Any], str, dict[str, list[int]]]],
        fingerprint: str,
    ) -> None:
        """Store (path, content digest, collected, entry line, outputs) rows, in one
        transaction; the entry as report.json's line shows it (see report.entry_line),
        the outputs as Remembered.outputs."""
        if not articles:
            return
        stamp = _stamp(fingerprint)
        with self._errors(), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (path, digest, stamp, json.dumps(collected), line, json.dumps(outputs))
                    for path, digest, collected, line, outputs in articles
                ),
            )

    def update_collected(self, articles: list[tuple[str, dict[str, Any]]]) -> None:
        """Store what the first pass now knows of remembered articles (path, collected):
        a signature it took (see collect.new_signatures). Their entries, digests and
        fingerprints stay as they are. One transaction."""
        if not articles:
            return
        with self._errors(), self._db:
            self._db.executemany(
                "UPDATE articles SET collected = ? WHERE path = ?",
                ((json.dumps(collected), path) for path, collected in articles),
            )

    def last_collected(self, paths: list[str]) -> dict[str, dict[str, Any]]:
        """What a run last collected of each of `paths` (see Collected.to_state), under
        any fingerprint: what the article was, whatever the settings are now."""
        found: dict[str, dict[str, Any]] = {}
        for chunk in chunks(paths):
            marks = ",".join("?" * len(chunk))
            with self._errors():
                rows = self._db.execute(
                    f"SELECT path, collected FROM articles WHERE path IN ({marks})", chunk
                ).fetchall()
            found.update((path, json.loads(collected)) for path, collected in rows)
        return found

    def keep_unreadable(self, articles: list[tuple[str, dict[str, Any]]]) -> None:
        """Store (path, collected) of articles that could not be read, for `last_collected`
        only: with no digest and no signature, a later run never takes one for done. The
        outputs an earlier run wrote stay known (see `last_outputs`)."""
        self.not_done(
            [(path, {**collected, "signature": None}) for path, collected in articles], keep=True
        )

    def not_done(
        self,
        articles: list[tuple[str, dict[str, Any]]],
        outputs: dict[str, dict[str, list[int]]] | None = None,
        *,
        keep: bool = False,
    ) -> None:
        """Mark (path, collected) articles as not done: no later run recalls them until
        they are written in full again. Their outputs as last written stay known, or
        become `outputs[path]` where given: what a run wrote of an article that failed.
        An article with no row gets one only with outputs, or with `keep` (see
        keep_unreadable)."""
        if not articles:
            return
        outputs = outputs or {}
        with self._errors(), self._db:
            self._db.executemany(
                "UPDATE articles SET digest = '', collected = ?, outputs = "
                "CASE WHEN ? THEN ? ELSE outputs END WHERE path = ?",
                (
                    (json.dumps(c), p in outputs, json.dumps(outputs.get(p, {})), p)
                    for p, c in articles
                ),
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO articles VALUES (?, '', '', ?, '{}', ?)",
                (
                    (p, json.dumps(c), json.dumps(outputs.get(p, {})))
                    for p, c in articles
                    if keep or p in outputs
                ),
            )

    def prune(self, present: set[str]) -> None:
        """Forget the articles no longer in the input (not among `present`) of which no
        output is known: empty or unreadable ones, which nothing else would remove."""
        with self._errors():
            rows = self._db.execute("SELECT path FROM articles WHERE outputs = '{}'").fetchall()
        self.forget([path for (path,) in rows if path not in present])

    def last_outputs(self) -> dict[str, dict[str, list[int]]]:
        """Every article earlier runs wrote outputs of, under any fingerprint, done or
        not, with its outputs as written (see Remembered.outputs), in path order."""
        with self._errors():
            rows = self._db.execute(
                "SELECT path, outputs FROM articles WHERE outputs != '{}' ORDER BY path"
            ).fetchall()
        return {path: json.loads(outputs) for path, outputs in rows}

    def forget(self, paths: list[str]) -> None:
        if not paths:
            return
        with self._errors(), self._db:
            self._db.executemany("DELETE FROM articles WHERE path = ?", ((p,) for p in paths))

    def setting(self, name: str) -> str | None:
        with self._errors():
            query = "SELECT value FROM settings WHERE name = ?"
            row = self._db.execute(query, (name,)).fetchone()
        return str(row[0]) if row else None

    def set_setting(self, name: str, value: str) -> None:
        if self.setting(name) == value:
            return
        with self._errors(), self._db:
            self._db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (name, value))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RunState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
