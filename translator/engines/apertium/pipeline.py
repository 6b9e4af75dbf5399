"""One running pipeline for one language pair: our stages, the taggers, and the relay.

* `apertium -z` drops the NUL separators; the pipeline printed by
  `apertium-wblank-mode -z MODE` keeps them: every stage flushes and echoes a NUL
  for each NUL it reads, so one NUL-terminated record in gives one out. We start
  its stages ourselves (no shell), so every process is ours to wait on.
* `$1` in a mode is the generator's flag: `-n` drops the `*`/`#`/`@` marks of
  unknown words, which is what `apertium -u` passes.
* The stages other than the tagger are stateless between records, so with the
  tagger kept in hand (translator.engines.apertium.tagger) a segment's
  translation depends neither on history nor on the job count.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from translator.engines import EngineError
from translator.engines.apertium.processes import Group, Records
from translator.engines.apertium.stream import space_hyphens
from translator.engines.apertium.tagger import Taggers

_TAGGER_WINDOW = 64  # records the relay takes at once from what the front has ready


@dataclass(frozen=True)
class Stages:
    """The commands of a mode's null-flush pipeline, split around the tagger."""

    front: list[list[str]]
    tagger: list[str] | None
    back: list[list[str]]


def load_stages(mode: Path) -> Stages:
    """Parse `apertium-wblank-mode -z MODE` into commands, with `-u`'s generator flag."""
    try:
        done = subprocess.run(
            ["apertium-wblank-mode", "-z", str(mode)],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as err:
        raise EngineError(f"{mode}: cannot build its null-flush pipeline: {err}") from err
    # $1 is the generator's flag (-n: no unknown-word marks), $2 the tagger's (none).
    words = shlex.split(done.stdout.replace("$1", "-n").replace("$2", ""))
    commands: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            commands.append([])
        else:
            commands[-1].append(word)
    # Its word-bound blank stages stay: they carry inline tags along with their words.
    commands = [c for c in commands if c]
    if not commands:
        raise EngineError(f"{mode}: the mode has no commands")
    for i, command in enumerate(commands):
        if Path(command[0]).name == "apertium-tagger":
            # -d makes the tagger report when it changes its own state (see module doc).
            tagger = [command[0], "-d", *command[1:]]
            return Stages(commands[:i], tagger, commands[i + 1 :])
    return Stages(commands, None, [])


class Pipeline:
    """One running pipeline for one pair: writer -> front | relay (taggers) | back -> reader.

    The relay is a thread of ours: it reads what the front has ready, a window at a
    time, has the taggers tag it, and writes their output to the back. The caller
    reads the back's records (`receive`).
    """

    def __init__(self, stages: Stages) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.group = Group(self.stderr)
        self.threads: list[threading.Thread] = []
        self.tagger: Taggers | None = None
        try:
            self._start(stages)
        except EngineError:
            self.close()
            raise

    def _start(self, stages: Stages) -> None:
        self.stdin, front_out = self.group.chain(stages.front)
        if stages.tagger is None:
            self.output = Records(front_out)
            return
        tagger = self.tagger = Taggers(stages.tagger, self.group)
        back_in, back_out = self.group.chain(stages.back)
        self.output = Records(back_out)
        self._thread(self._relay, Records(front_out), tagger, back_in)

    def _thread(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self.threads.append(thread)

    def send(self, records: list[bytes]) -> None:
        """Write records from a thread, so a full pipe never blocks the reading side."""
        self._thread(self._write, records)

    def _write(self, records: list[bytes]) -> None:
        # One write: the analyser reads the records in big blocks, not one wake-up each.
        with contextlib.suppress(OSError, ValueError):
            self.stdin.write(b"".join(records))
            self.stdin.flush()

    def _relay(self, front: Records, tagger: Taggers, back_in: IO[bytes]) -> None:
        """front -> tagger -> back, a window at a time from what the front has ready, each
        hyphen between words given blanks on the way (see stream.space_hyphens)."""
        window: list[bytes] = []
        try:
            while True:
                if not window:
                    first = front.next()
                    if first is None:
                        break
                    window.append(first)
                window += front.buffered(_TAGGER_WINDOW - len(window))
                tagged = tagger.tag(window)
                if tagged is None:
                    break
                back_in.write(b"".join(space_hyphens(output) + b"\0" for output in tagged))
                back_in.flush()
                window = window[len(tagged) :]
        except (OSError, ValueError, EngineError):
            pass
        finally:
            # Anything ending this loop is a fault (we never close stdin), a bug of ours
            # too: the back stages end, so that `receive` sees the end at once, not
            # after its timeout.
            with contextlib.suppress(OSError):
                back_in.close()

    def receive(self, timeout: float) -> bytes | None:
        """The next record, or None if the pipeline ended or said nothing for `timeout` s."""
        return self.output.next(timeout)

    def problem(self) -> str:
        """The end of what the stages wrote on stderr, for error messages."""
        self.stderr.seek(0, os.SEEK_END)
        size = self.stderr.tell()
        self.stderr.seek(max(0, size - 500))
        return self.stderr.read().decode("utf-8", "replace").strip()

    def close(self) -> None:
        # Kill first: each thread of ours waiting on a stage sees it end and stops;
        # only then do our ends of the pipes close (see Group.close).
        self.group.kill()
        for thread in self.threads:
            thread.join(timeout=5)
        if self.tagger is not None:
            self.tagger.close()
        self.group.close()
        self.stderr.close()
