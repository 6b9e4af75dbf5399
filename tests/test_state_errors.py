"""The run's SQLite files (state, cache) failing: each error names the file and a way on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from translator.state import RunState
from translator.store import StoreError, sqlite_errors


def test_a_locked_database_names_the_run_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE translations (key TEXT)")
    holder.execute("BEGIN EXCLUSIVE")  # another run, writing
    waiting = sqlite3.connect(path, timeout=0)
    try:
        with (
            pytest.raises(StoreError) as raised,
            sqlite_errors(path, "the translation cache", "nothing", "use another"),
        ):
            waiting.execute("SELECT * FROM translations").fetchall()
    finally:
        waiting.close()
        holder.close()
    assert str(raised.value) == (
        f"{path}: cannot use the translation cache: database is locked. "
        "Another run is using it: wait for it to end, or use another."
    )
    assert raised.value.path == path


def test_a_state_that_is_no_database_says_what_deleting_it_costs(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_text("Not a database.\n" * 20, "utf-8")
    with pytest.raises(StoreError) as raised:
        RunState(path)
    assert str(raised.value) == (
        f"{path}: cannot use the run state: file is not a database. If the file is "
        "damaged or no database, delete it (the next run then writes every article "
        "again); or write into another output folder."
    )


def test_our_own_mistakes_stay_bugs(tmp_path: Path) -> None:
    """Using a closed connection is no fault of the file: no advice about it."""
    state = RunState(tmp_path / "state.sqlite")
    state.close()
    with pytest.raises(sqlite3.ProgrammingError):
        state.setting("ui strings")


@pytest.mark.parametrize("code", ["SQLITE_READONLY", "SQLITE_FULL", "SQLITE_CANTOPEN"])
def test_a_folder_that_cannot_be_written_is_no_reason_to_delete_the_state(
    tmp_path: Path, code: str
) -> None:
    """Deleting the state would only make the next run write every article again."""
    error = sqlite3.OperationalError("attempt to write a readonly database")
    error.sqlite_errorname = code
    with pytest.raises(StoreError) as raised, sqlite_errors(tmp_path, "the run state", "x", "y"):
        raise error
    assert "fix their permissions or free some space, and run again" in str(raised.value)
    assert "delete it" not in str(raised.value)
