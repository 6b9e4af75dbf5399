"""The processes of a pipeline: started in one group, read a NUL-ended record at a time."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
import time
from collections import deque
from typing import IO

from translator.engines import EngineError


class Group:
    """Processes started in one process group, so a kill reaches all of them."""

    def __init__(self, stderr: IO[bytes]) -> None:
        self.stderr = stderr
        self.pgid: int | None = None
        self.procs: list[subprocess.Popen[bytes]] = []
        # The relay thread restarts the tagger while the owner may be killing the group.
        self.lock = threading.Lock()
        self.killed = False

    def spawn(
        self, command: list[str], stdin: int | IO[bytes], stderr: int | IO[bytes]
    ) -> subprocess.Popen[bytes]:
        with self.lock:
            if self.killed:
                raise EngineError("pipeline is shutting down")
            return self._spawn(command, stdin, stderr)

    def _spawn(
        self, command: list[str], stdin: int | IO[bytes], stderr: int | IO[bytes]
    ) -> subprocess.Popen[bytes]:
        try:
            proc = subprocess.Popen(
                command,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=stderr,
                # The first process leads a new group (0) that the others join.
                process_group=0 if self.pgid is None else self.pgid,
            )
        except OSError as err:
            raise EngineError(f"cannot start {command[0]}: {err}") from err
        if self.pgid is None:
            self.pgid = proc.pid
        self.procs.append(proc)
        return proc

    def chain(self, commands: list[list[str]]) -> tuple[IO[bytes], IO[bytes]]:
        """Start commands piped into each other; return (stdin of the first, stdout of the last)."""
        first = self.spawn(commands[0], subprocess.PIPE, self.stderr)
        last = first
        for command in commands[1:]:
            assert last.stdout is not None
            proc = self.spawn(command, last.stdout, self.stderr)
            last.stdout.close()  # the next stage owns it now
            last = proc
        assert first.stdin is not None and last.stdout is not None
        return first.stdin, last.stdout

    def kill(self) -> None:
        """Kill every process of the group and reap it. Our ends of their pipes stay
        open (see `close`): a thread of ours waiting on one sees its process end."""
        with self.lock:
            self.killed = True
            procs = list(self.procs)
        if self.pgid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pgid, signal.SIGKILL)
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()  # reap: no zombies

    def close(self) -> None:
        """Close our ends of the pipes, once no thread of ours waits on them: epoll
        forgets a descriptor closed under it, and the thread would wait for ever."""
        with self.lock:
            procs = list(self.procs)
        for proc in procs:
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()


class Records:
    """NUL-terminated records read from a pipe."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.fd = stream.fileno()
        self.ready: deque[bytes] = deque()
        self.partial = b""  # the start of the next record
        self.poll = select.poll()
        self.poll.register(self.fd, select.POLLIN)

    def next(self, timeout: float | None = None) -> bytes | None:
        """The next record; None at the end of the stream, on an error, or when none
        came within `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.ready:
            if deadline is not None and not self._readable(deadline - time.monotonic()):
                return None
            if not self._read():
                return None
        return self.ready.popleft()

    def buffered(self, most: int) -> list[bytes]:
        """Up to `most` more records, of those the pipe holds already: no waiting."""
        while len(self.ready) < most and self._readable(0) and self._read():
            pass
        return [self.ready.popleft() for _ in range(min(most, len(self.ready)))]

    def _readable(self, seconds: float) -> bool:
        return bool(self.poll.poll(max(0, int(seconds * 1000))))

    def _read(self) -> bool:
        """Read what the pipe holds, up to 64 KiB; False at its end or on an error."""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        *records, self.partial = (self.partial + chunk).split(b"\0")
        self.ready.extend(records)
        return bool(chunk)
