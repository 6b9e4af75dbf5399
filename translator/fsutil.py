"""Writing files so that a crash never leaves half of one, and telling later whether
a file written is still as it was written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import threading
from pathlib import Path

TEMP_SUFFIX = ".tmp-translate-news"
# The longest file name, in bytes, on Linux's file systems (ext4, XFS, Btrfs, tmpfs).
NAME_MAX = 255

# No O_EXCL: the name is this process's and thread's own, and one a crash left behind
# is simply written over. O_NOFOLLOW: never write through a link planted there.
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC


def atomic_write(path: str | Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    The rename alone means no reader, and no crash of ours, ever sees half a file.
    `durable` also syncs the data to disk before the rename, so that a power cut
    cannot leave an empty file either: worth its cost for what cannot be made
    again (a translator's catalog), not for outputs a rerun rewrites.

    A new file gets the usual permissions (0666 less the umask), as with `open`; a
    file written over keeps its own, so a folder shared with a web server or a
    translators' group stays readable to them.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, temporary_name(name))
    try:
        _write_then_rename(tmp, str(path), payload, durable)
    except OSError as error:
        if error.filename not in (None, tmp):  # a folder that could not be made: its own
            raise
        # The file asked for, not our temporary: "a.txt: No space left on device".
        raise OSError(error.errno, error.strerror, str(path)) from error


def _write_then_rename(tmp: str, path: str, payload: bytes, durable: bool) -> None:
    try:
        fd = os.open(tmp, _TEMP_FLAGS, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(tmp) or os.curdir, exist_ok=True)
        fd = os.open(tmp, _TEMP_FLAGS, 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):  # a new file: the usual mode
            os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_if_changed(path: str | Path, data: str | bytes, *, durable: bool = True) -> bool:
    """`atomic_write`, unless the file holds these bytes already; whether it wrote. A
    rerun that changes nothing leaves the files, and the modification times that sync
    and deploy tools go by, alone."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(path, "rb") as existing:
            if os.fstat(existing.fileno()).st_size == len(payload) and existing.read() == payload:
                return False
    except OSError:  # none there yet, or unreadable: written
        pass
    atomic_write(path, payload, durable=durable)
    return True


def temporary_name(name: str) -> str:
    """ ".NAME.PID-THREAD.tmp-translate-news", this process's and thread's own, with as
    much of NAME as fits in NAME_MAX bytes (a thread writes one file at a time, so a
    shortened NAME is still unique). write.remove_stale_temporaries finds it by its
    leading dot and its suffix."""
    tag = f".{os.getpid()}-{threading.get_ident()}{TEMP_SUFFIX}"
    room = NAME_MAX - 1 - len(tag)  # the tag is ASCII: a byte a character
    borrowed = name
    while len(os.fsencode(borrowed)) > room:  # by characters: never half of one
        borrowed = borrowed[:-1]
    return f".{borrowed}{tag}"


def output_signature(path: str) -> list[int]:
    """A file as just written: size, modification and change times (ns), inode, and the
    first eight bytes of its SHA-256 as a number (JSON keeps it whole). Our writes
    replace a file (a new inode), an editor's changes its times (the change time even
    when the modification time is put back): either shows; the bytes then tell a copy
    from an edit (see as_written). Without them for a file we may write but not read."""
    try:
        with open(path, "rb") as file:
            stat = os.fstat(file.fileno())
            number = _content_number(file.read())
    except PermissionError:
        stat = os.stat(path)
        return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, number]


def as_written(path: str, written: list[int]) -> bool:
    """Whether the file at `path` holds what was written there (`written`: its
    output_signature then): the same signature, or, copied or touched since (another
    inode or time: OUT checked out from git, or copied), the same bytes. A file we
    cannot read is not known to be as written. OSError when it is gone."""
    now = os.stat(path)
    if len(written) == 3:  # a signature from before the change time and the bytes'
        return [now.st_size, now.st_mtime_ns, now.st_ino] == written
    if [now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino] == written[:4]:
        return True
    if len(written) < 5 or now.st_size != written[0]:
        return False
    try:
        with open(path, "rb") as file:
            return _content_number(file.read()) == written[4]
    except OSError:
        return False


def _content_number(data: bytes) -> int:
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")
