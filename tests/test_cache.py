"""The translation cache: what changes misses, what does not hits, sharing is safe."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from translator.cache import SCHEMA_VERSION, Scope, TranslationCache

SCOPE = Scope("apertium", "apertium 3.8.3; apertium-eng-spa 1.0", "en", "es", "beam=2")


@pytest.mark.parametrize(
    "text",
    ["Share", 'say "hi"\n\t\\', "é \u2028 \x00 😀", ""],
    ids=["plain", "escapes", "unicode", "empty"],
)
def test_a_key_is_still_the_hash_of_its_json_list(text: str) -> None:
    """So that caches written by earlier versions keep answering."""
    scope = Scope("apertium", 'apertium "3.8"; é', "en", "es", "beam=2")
    parts = [SCHEMA_VERSION, scope.engine, scope.version, "en", "es", "beam=2", text]
    expected = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
    assert scope.key(text) == expected


def test_hit_after_put(tmp_path: Path) -> None:
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many(SCOPE, [("Share", "Compartir"), ("World", "Mundo")])
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        assert cache.get_many(SCOPE, ["Share", "World", "War"]) == {
            "Share": "Compartir",
            "World": "Mundo",
        }


@pytest.mark.parametrize(
    "changed",
    [
        Scope("argos", SCOPE.version, "en", "es", SCOPE.settings),
        Scope("apertium", "apertium 3.8.3; apertium-eng-spa 1.1", "en", "es", SCOPE.settings),
        Scope("apertium", SCOPE.version, "en", "fr", SCOPE.settings),
        Scope("apertium", SCOPE.version, "fr", "es", SCOPE.settings),
        Scope("apertium", SCOPE.version, "en", "es", "beam=4"),
    ],
    ids=["engine", "model-version", "target", "source", "settings"],
)
def test_any_change_of_scope_misses(changed: Scope) -> None:
    with TranslationCache(None) as cache:
        cache.put_many(SCOPE, [("Share", "Compartir")])
        assert cache.get_many(changed, ["Share"]) == {}
        assert cache.get_many(SCOPE, ["Share"]) == {"Share": "Compartir"}


def _writer(path: str, worker: int) -> None:
    with TranslationCache(Path(path)) as cache:
        for batch in range(20):
            pairs = [(f"text {worker} {batch} {i}", f"texto {i}") for i in range(50)]
            cache.put_many(SCOPE, pairs)
            cache.get_many(SCOPE, [text for text, _ in pairs])


def test_two_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    TranslationCache(path).close()
    workers = [multiprocessing.Process(target=_writer, args=(str(path), n)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    with TranslationCache(path) as cache:
        assert len(cache) == 2 * 20 * 50
    (status,) = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()
    assert status == "ok"


def test_a_new_cache_file_takes_the_umask_as_every_output_does(tmp_path: Path) -> None:
    """SQLite alone makes 0644 files: a group sharing --cache could not write them."""
    folder = tmp_path / "shared"
    old = os.umask(0o002)
    try:
        with TranslationCache(folder / "cache.sqlite") as cache:
            cache.put_many(SCOPE, [("Hello.", "Hola.")])
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    finally:
        os.umask(old)
    assert modes == {"cache.sqlite": 0o664, "cache.sqlite-wal": 0o664, "cache.sqlite-shm": 0o664}
