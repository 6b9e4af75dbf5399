"""Pass 1's plumbing: which files are articles, and the processes that read them."""

from __future__ import annotations

import os
from pathlib import Path

from translator import collect
from translator.collect import collect_files
from translator.options import RunOptions
from translator.pipeline import run
from translator.workers import worker_pool


def test_hidden_files_and_folders_are_left_out(tmp_path: Path) -> None:
    for relative in (
        ".git/README.md",
        ".github/workflows/notes.md",
        ".hidden.md",
        "news/.draft.md",
        "news/.cache/old.txt",
        "news/story.md",
        "front.txt",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("Peace talks resume in Geneva.\n", "utf-8")
    files, skipped = collect_files(tmp_path)
    assert files == [Path("front.txt"), Path("news/story.md")]
    assert skipped == []  # not even named: they were never candidates


def test_links_to_folders_are_named_as_skipped(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    for folder in (root / "news", elsewhere):
        folder.mkdir(parents=True)
    (root / "news" / "story.md").write_text("Peace talks resume in Geneva.\n", "utf-8")
    (elsewhere / "secret.txt").write_text("Not for translation.\n", "utf-8")
    (root / "linked").symlink_to(elsewhere)
    files, skipped = collect_files(root)
    assert files == [Path("news/story.md")]
    assert skipped == [{"path": "linked", "reason": "symbolic link to a folder: not followed"}]


def test_a_named_pipe_or_a_dangling_link_is_skipped_not_read(tmp_path: Path) -> None:
    """Reading a pipe named like an article would wait for a writer and hold up the run."""
    (tmp_path / "ok.txt").write_text("Peace talks resume in Geneva.\n", "utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "piped.txt").symlink_to(tmp_path / "pipe.txt")
    (tmp_path / "gone.md").symlink_to(tmp_path / "deleted.md")
    (tmp_path / "loop-a.txt").symlink_to(tmp_path / "loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to(tmp_path / "loop-a.txt")
    files, skipped = collect_files(tmp_path)
    assert files == [Path("ok.txt")]
    nothing = "symbolic link to nothing (or a loop of links)"
    special = "not a regular file (a pipe, socket or device): not read"
    assert skipped == [
        {"path": "gone.md", "reason": nothing},
        {"path": "loop-a.txt", "reason": nothing},
        {"path": "loop-b.txt", "reason": nothing},
        {"path": "pipe.txt", "reason": special},
        {"path": "piped.txt", "reason": special},
    ]


def _parent(args: tuple[RunOptions, Path, frozenset[str]]) -> collect.Collected:
    """Stands for _collect in a worker: says which process started the worker."""
    return collect.Collected(args[1], format=str(os.getppid()))


def test_readers_are_not_forks_of_the_run(tmp_path: Path) -> None:
    """With --jobs the engines are already running (threads, pipes to their processes),
    so the workers reading articles come from a fork server, as the writers do."""
    options = RunOptions(tmp_path, tmp_path / "out", ("es",), jobs=2)
    items = [(options, Path(f"{n}.txt"), frozenset[str]()) for n in range(4)]
    read = list(collect._map(options, _parent, items, lambda *_: None))
    assert [item.path for item in read] == [Path(f"{n}.txt") for n in range(4)]
    parents = {item.format for item in read}
    assert str(os.getpid()) not in parents and len(parents) == 1


def test_the_pool_starts_its_workers_from_the_fork_server() -> None:
    with worker_pool(2) as pool:
        parents = set(pool.map(_ppid, range(4)))
    assert os.getpid() not in parents


def _ppid(_: int) -> int:
    return os.getppid()


def test_names_no_report_or_catalog_can_hold_are_skipped_and_the_rest_translated(
    tmp_path: Path,
) -> None:
    """Bytes that are no UTF-8 (Latin-1 "café") stopped the run in its SQLite state; a
    line break split a catalog reference and made every later run fail."""
    source = tmp_path / "in"
    source.mkdir()
    root = os.fsencode(source)
    for name in (b"caf\xe9.txt", b"new\nline.txt", "a\u2028b.txt".encode(), b"ok.txt"):
        (Path(os.fsdecode(root + b"/" + name))).write_text("Prices rose sharply.\n", "utf-8")
    os.mkdir(root + b"/bad\xffdir")
    Path(os.fsdecode(root + b"/bad\xffdir/x.txt")).write_text("Hello, friends.\n", "utf-8")

    files, skipped = collect_files(source)

    assert files == [Path("ok.txt")]
    line_break = "name holds a control character or a line break: rename it"
    assert skipped == [
        {"path": "a\u2028b.txt", "reason": line_break},  # polib ends a line there
        {"path": "bad\ufffddir", "reason": "name is not valid UTF-8: rename it"},
        {"path": "caf\ufffd.txt", "reason": "name is not valid UTF-8: rename it"},
        {"path": "new\nline.txt", "reason": line_break},
    ]
    result = run(RunOptions(source, tmp_path / "out", ("es",), source_language="en"))
    assert result.report["totals"]["articles"] == 1
    assert (tmp_path / "out" / "es" / "ok.txt").is_file()
