"""The tagger stage, kept from carrying one record's tagging into the next.

`apertium-tagger` keeps state across records: when a word has an ambiguity class
its model lacks, `find_similar_ambiguity_class` (tagger_utils.cc) assigns the
stand-in it found to the model's *open class* through a reference, so every later
unknown word, and every later word of a missing class, may be tagged differently.
That is why a sentence's translation depended on what the process translated
before. We run the tagger with `-d`, which reports each word of a missing class
and its class, and keep every record's tagging equal to what a pristine tagger
gives it alone: a tagger changed by class c is reused only for records that its
change cannot affect, and the others go to a pristine one (see `Taggers`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import selectors
import subprocess
import threading

from translator.engines import EngineError
from translator.engines.apertium.processes import Group

# What `apertium-tagger -d` says when a word's ambiguity class is missing from its model.
_REPORT = re.compile(rb"Word '(.*?)'\.\nNew ambiguity class: (\S*)")
_UNKNOWN = b"/*"  # an unknown word in the analyser's output: ^word/*word$
_SEVERAL = b"several"  # a tagger's state after more than one missing class
_CLASS_TAGGERS = 8  # taggers kept for records of one missing class each
_SPARE_TAGGERS = 2  # fresh taggers kept ready for the next change of state


class Taggers:
    """The taggers of one pipeline, each reused for as long as its state cannot matter.

    A tagger is pristine until it meets a word of an ambiguity class its model
    lacks (class c); from then on its open class is c's stand-in (see the module
    docstring). Such a tagger still tags a record exactly as a pristine one would
    when every word of a missing class in it is of class c and no unknown word
    comes before the first of them: the stand-in search gives class c the same
    stand-in again, and nothing else reads the open class. So a record goes to:

    * the tagger of class c, when that is the record's only missing class and its
      unknown words all come after the first word of that class;
    * else the pristine tagger. Should the record change its state, it becomes
      the tagger of that class (or is retired when there is one, or when the
      record held several classes), and a spare takes its place.

    Which words have a missing class is learnt from the taggers' reports (`-d`).
    A report the routing did not foresee marks where exactness ends: the records
    before it are kept, the tagger is retired, and the rest are routed again.
    Spare taggers are started ahead, so they have loaded their model by the time
    they are needed.
    """

    def __init__(self, command: list[str], group: Group) -> None:
        self.command = command
        self.group = group
        self.pristine = self._start()
        self.of_class: dict[bytes, subprocess.Popen[bytes]] = {}  # most recently used last
        self.classes: dict[bytes, bytes] = {}  # learnt: stream form "^word/" -> its class
        # Fresh taggers wait ready (model loaded) in `spares`; a worker thread stops
        # the ones retired and starts a spare for each one taken, off the relay's path.
        self.spares: queue.Queue[subprocess.Popen[bytes]] = queue.Queue()
        self.chores: queue.Queue[subprocess.Popen[bytes] | str] = queue.Queue()
        for _ in range(_SPARE_TAGGERS):
            self.spares.put(self._start())
        threading.Thread(target=self._do_chores, daemon=True).start()

    def _start(self) -> subprocess.Popen[bytes]:
        proc = self.group.spawn(self.command, subprocess.PIPE, subprocess.PIPE)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            assert stream is not None
            os.set_blocking(stream.fileno(), False)
        return proc

    def _retire(self, proc: subprocess.Popen[bytes]) -> None:
        self.chores.put(proc)

    def _take_spare(self) -> subprocess.Popen[bytes]:
        self.chores.put("start")
        return self.spares.get()

    def close(self) -> None:
        for proc in [self.pristine, *self.of_class.values()]:
            self._retire(proc)
        self.chores.put("stop")

    def _do_chores(self) -> None:
        while (chore := self.chores.get()) != "stop":
            if chore == "start":
                try:
                    self.spares.put(self._start())
                except EngineError:  # the pipeline is shutting down
                    return
            elif isinstance(chore, subprocess.Popen):
                with self.group.lock:
                    if chore in self.group.procs:
                        self.group.procs.remove(chore)
                chore.kill()
                for stream in (chore.stdin, chore.stdout, chore.stderr):
                    if stream is not None:
                        stream.close()
                chore.wait()

    def _missing(self, record: bytes) -> dict[bytes, int]:
        """The missing classes the record is known to hold, with where each first occurs."""
        found: dict[bytes, int] = {}
        for unit, cls in self.classes.items():
            at = record.find(unit)
            if at >= 0 and at < found.get(cls, len(record)):
                found[cls] = at
        return found

    def _route(self, record: bytes) -> tuple[bytes | None, bytes | None]:
        """(class of the tagger to use, None for the pristine one; what the pristine one
        becomes after this record: None for unchanged, a class, or _SEVERAL)."""
        missing = self._missing(record)
        if not missing:
            return None, None
        if len(missing) > 1:
            return None, _SEVERAL
        [(cls, first)] = missing.items()
        unknown = record.find(_UNKNOWN)
        if cls in self.of_class and not 0 <= unknown < first:
            return cls, None
        return None, cls

    def tag(self, records: list[bytes]) -> list[bytes] | None:
        """Tag the first records of a window, each tagger taking its share in one
        exchange; return the outputs of those certainly tagged as a pristine tagger
        would (none, at times), None if a tagger died."""
        shares: dict[bytes | None, list[int]] = {}  # tagger (by class) -> its records
        end, after = len(records), None
        for i, record in enumerate(records):
            target, after = self._route(record)
            shares.setdefault(target, []).append(i)
            if after is not None:  # the pristine tagger changes here: the rest must wait
                end = i + 1
                break
        outputs: list[bytes] = [b""] * end
        retired: set[bytes | None] = set()
        for target, share in shares.items():
            proc = self.pristine if target is None else self.of_class[target]
            exchanged = exchange(proc, [records[i] for i in share])
            if exchanged is None:
                return None
            done, err = exchanged
            changer = records[share[-1]] if target is None and after is not None else None
            unforeseen = self._learn(err, target, changer, after)
            kept = len(share)
            if unforeseen:
                # The record that changed the state is still exact on a pristine tagger.
                kept = first_holding([records[i] for i in share], unforeseen)
                kept += target is None
                retired.add(target)
                if kept < len(share):
                    end = min(end, share[kept])
            for i, output in zip(share[:kept], done, strict=False):
                outputs[i] = output
        # The pristine tagger last: a class it now takes may push the least recently used
        # tagger out of `of_class`, which must not be one of this window still to come.
        for target in sorted(shares, key=lambda target: target is None):
            if target in retired:
                self._replace(target, None)
            elif target is not None:
                self.of_class[target] = self.of_class.pop(target)  # most recently used
            elif after is not None:
                self._replace(None, after)
        return outputs[:end]

    def _learn(
        self, err: bytes, target: bytes | None, changer: bytes | None, after: bytes | None
    ) -> list[bytes]:
        """Learn from a tagger's reports; return the stream forms of the words whose
        report the routing did not foresee. Foreseen are, from the tagger of class c,
        words of class c; from the pristine tagger, words of the class `after` (any,
        after _SEVERAL) in the record routed to change it (`changer`). Judged against
        the routing, not against what is known now: another tagger's report in the
        same window may have taught a word's class since this record was routed."""
        unforeseen: list[bytes] = []
        for word, cls in _REPORT.findall(err):
            unit = b"^" + word + b"/"
            self.classes[unit] = cls
            if target is not None:
                foreseen = cls == target
            else:
                foreseen = changer is not None and unit in changer and after in (cls, _SEVERAL)
            if not foreseen:
                unforeseen.append(unit)
        return unforeseen

    def _replace(self, target: bytes | None, became: bytes | None) -> None:
        """Retire a tagger whose state is no longer known, or keep the pristine one
        as the tagger of the class it `became`; a spare becomes the pristine one."""
        if target is not None:
            self._retire(self.of_class.pop(target))
            return
        if became is None or became == _SEVERAL or became in self.of_class:
            self._retire(self.pristine)
        else:
            self.of_class[became] = self.pristine
            if len(self.of_class) > _CLASS_TAGGERS:
                self._retire(self.of_class.pop(next(iter(self.of_class))))
        self.pristine = self._take_spare()


def first_holding(records: list[bytes], units: list[bytes]) -> int:
    """The first record holding one of these words, which may have changed the tagger's
    state; 0 when none does as far as we can see (a word written differently)."""
    return next((i for i, record in enumerate(records) if any(u in record for u in units)), 0)


def exchange(
    proc: subprocess.Popen[bytes], records: list[bytes]
) -> tuple[list[bytes], bytes] | None:
    """Write the records and read their NUL-ended outputs, both at once: a big window
    must not deadlock on a full pipe. Also return what the tagger said on stderr."""
    assert proc.stdin and proc.stdout and proc.stderr
    count = len(records)
    pending = memoryview(b"".join(record + b"\0" for record in records))
    out = b""
    err = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdin.fileno(), selectors.EVENT_WRITE, "in")
        sel.register(proc.stdout.fileno(), selectors.EVENT_READ, "out")
        sel.register(proc.stderr.fileno(), selectors.EVENT_READ, "err")
        while out.count(b"\0") < count:
            for key, _ in sel.select():
                try:
                    if key.data == "in":
                        pending = pending[os.write(key.fd, pending) :]
                        if not pending:
                            sel.unregister(key.fd)
                        continue
                    chunk = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                except OSError:
                    return None
                if not chunk:
                    if key.data == "out":
                        return None
                    sel.unregister(key.fd)
                elif key.data == "out":
                    out += chunk
                else:
                    err += chunk
    # The tagger reports on stderr before it flushes the record, so every report
    # about these records is in the pipe by now.
    with contextlib.suppress(BlockingIOError, OSError):
        while chunk := os.read(proc.stderr.fileno(), 1 << 16):
            err += chunk
    return out.split(b"\0")[:count], err
