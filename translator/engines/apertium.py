"""The Apertium engine: long-lived null-flush pipelines, deterministic, restarted on faults.

Facts this module is built on (all checked against Apertium 3.8 on Debian):

* `apertium -z` drops the NUL separators; the pipeline printed by
  `apertium-wblank-mode -z MODE` keeps them: every stage flushes and echoes a
  NUL for each NUL it reads, so one NUL-terminated record in gives one out.
  We start its stages ourselves (no shell), so every process is ours to wait on.
* We do `apertium-destxt`'s job in Python: escape the stream's special
  characters, wrap other whitespace and `~` (the post-generation mark) in
  superblanks, and end each record with a hidden period `.[]` so the tagger sees
  a sentence end (without it a record's final period is dropped); like
  `apertium-retxt` we remove `.[]` again on the way out.
* `$1` in a mode is the generator's flag: `-n` drops the `*`/`#`/`@` marks of
  unknown words, which is what `apertium -u` passes.
* `apertium-tagger` keeps state across records: when a word has an ambiguity
  class its model lacks, `find_similar_ambiguity_class` (tagger_utils.cc) assigns
  the stand-in it found to the model's *open class* through a reference, so every
  later unknown word, and every later word of a missing class, may be tagged
  differently. That is why a sentence's translation depended on what the process
  translated before. We run the tagger with `-d`, which reports each word of a
  missing class and its class, and keep every record's tagging equal to what a
  pristine tagger gives it alone: a tagger changed by class c is reused only for
  records that its change cannot affect, and the others go to a pristine one
  (see `_Tagger`). The other stages are stateless between records, so a
  segment's translation depends neither on history nor on the job count.
* Each record ends with a superblank carrying a sequence number, `[#12]`: a
  stage that dies makes the next one flush NULs at end of input, and the check
  keeps such empty records from being taken for translations.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import queue
import re
import selectors
import shlex
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from translator.engines import Engine, EngineError

DEFAULT_MODES_DIR = Path("/usr/share/apertium/modes")
DPKG_DATABASE = Path("/var/lib/dpkg")
_STATUS_FIELD = re.compile(r"^(Package|Status|Version): (.*)$", re.MULTILINE)

# Apertium names languages with ISO 639-3 codes (eng, spa) or ISO 639-1 (fr, es);
# the rest of the tool speaks ISO 639-1. Codes without a 639-1 form (ast) stay as they are.
ISO_639_3_TO_1 = {
    "afr": "af", "ara": "ar", "arg": "an", "aze": "az", "bak": "ba", "bel": "be",
    "ben": "bn", "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca", "ces": "cs",
    "cor": "kw", "cym": "cy", "dan": "da", "deu": "de", "ell": "el", "eng": "en",
    "epo": "eo", "est": "et", "eus": "eu", "fao": "fo", "fas": "fa", "fin": "fi",
    "fra": "fr", "fry": "fy", "gla": "gd", "gle": "ga", "glg": "gl", "glv": "gv",
    "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy", "ind": "id",
    "isl": "is", "ita": "it", "jpn": "ja", "kat": "ka", "kaz": "kk", "kir": "ky",
    "kor": "ko", "kur": "ku", "lat": "la", "lav": "lv", "lit": "lt", "ltz": "lb",
    "mkd": "mk", "mlt": "mt", "msa": "ms", "nld": "nl", "nno": "nn", "nob": "nb",
    "oci": "oc", "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru", "sme": "se",
    "slk": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "srp": "sr", "swe": "sv",
    "tat": "tt", "tgk": "tg", "tur": "tr", "ukr": "uk", "urd": "ur", "uzb": "uz",
    "vie": "vi", "zho": "zh",
}  # fmt: skip

# A plain mode is "xx-yy" or "xxx-yyy". Variant modes ("spa-eng_US", a regional
# spelling) and other dictionaries ("eco-fr-es", a domain variant) are left out:
# `pairs()` promises one engine per language pair, and the plain mode is the
# pair's default.
_PLAIN_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")

_WORDBOUND_BLANK_STAGES = ("apertium-wblank-attach", "apertium-wblank-detach")
_SPECIAL = frozenset("\\[]{}^$/@<>")  # escaped with a backslash, as apertium-destxt does
_HIDDEN_PERIOD = ".[]"  # destxt's sentence end; retxt removes ".[]"
# What `apertium-tagger -d` says when a word's ambiguity class is missing from its model.
_REPORT = re.compile(rb"Word '(.*?)'\.\nNew ambiguity class: (\S*)")
_UNKNOWN = b"/*"  # an unknown word in the analyser's output: ^word/*word$
_SEVERAL = b"several"  # a tagger's state after more than one missing class
_CLASS_TAGGERS = 8  # taggers kept for records of one missing class each
_TAGGER_WINDOW = 64  # records the relay takes at once from what the front has ready
_SPARE_TAGGERS = 2  # fresh taggers kept ready for the next change of state


def _is_marker(char: str) -> bool:
    """Inline markup markers live in the Private Use Area; they travel as superblanks."""
    return "\ue000" <= char <= "\uf8ff"


def iso_code(code: str) -> str:
    """ISO 639-1 code for an Apertium language code (`eng` -> `en`, `fr` -> `fr`)."""
    return ISO_639_3_TO_1.get(code, code)


# --- the stream format ------------------------------------------------------


# Backslash before the special characters; in text, `~` also goes into a superblank.
_ESCAPE = str.maketrans({c: "\\" + c for c in _SPECIAL})
_ESCAPE_TEXT = str.maketrans({**{c: "\\" + c for c in _SPECIAL}, "~": "[~]"})


def _blank(text: str) -> str:
    return "[" + text.translate(_ESCAPE) + "]"


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """Split text into ("marker"|"space"|"text", run) pieces."""
    for match in re.finditer(r"[\ue000-\uf8ff]+|\s+|[^\s\ue000-\uf8ff]+", text):
        run = match.group()
        if _is_marker(run[0]):
            yield "marker", run
        elif run.isspace():
            yield "space", run
        else:
            yield "text", run


def encode_record(text: str, seq: int) -> bytes:
    """One segment as a NUL-terminated record of Apertium's stream format."""
    parts: list[str] = []
    for kind, run in _tokens(text.replace("\0", " ")):
        if kind == "marker":
            parts.append(_blank(run))
        elif kind == "space":
            if run == " ":
                parts.append(" ")
            else:
                # A blank line inside a segment ends a sentence, as for destxt.
                parts.append((_HIDDEN_PERIOD if run.count("\n") > 1 else "") + _blank(run))
        else:
            parts.append(run.translate(_ESCAPE_TEXT))
    parts.append(_HIDDEN_PERIOD + f"[#{seq}]")
    return "".join(parts).encode("utf-8") + b"\0"


class RecordMismatch(Exception):
    """A record came back without its sequence mark: a stage died or the stream slipped."""


def _read_blank(out: str, start: int) -> tuple[str, int]:
    """The unescaped content of the superblank opening at `start`, and the index after it."""
    content: list[str] = []
    i = start + 1
    while i < len(out) and out[i] != "]":
        if out[i] == "\\" and i + 1 < len(out):
            i += 1
        content.append(out[i])
        i += 1
    return "".join(content), i + 1


def decode_record(out: str, seq: int) -> str:
    """Plain text from a translated record: unescape, open superblanks, drop `.[]`."""
    text: list[str] = []
    found = False
    plain_space = False  # was the last character a space Apertium produced (not ours)?
    i = 0
    while i < len(out):
        char = out[i]
        if char == "\\" and i + 1 < len(out):
            text.append(out[i + 1])
            plain_space = False
            i += 2
        elif out.startswith("[[", i):
            # A word-bound blank; we never send them, so drop any that appear.
            end = out.find("]]", i)
            i = len(out) if end < 0 else end + 2
        elif char == "[":
            content, i = _read_blank(out, i)
            if content == f"#{seq}":
                found = True
            elif content == "" and text and text[-1] == ".":
                text.pop()  # our hidden period
            else:
                text.append(content)
            plain_space = False
        else:
            # Deleted words leave doubled spaces behind; the source's own runs
            # of spaces came through as superblanks and are kept.
            if not (char == " " and plain_space):
                text.append(char)
            plain_space = char == " "
            i += 1
    if not found:
        raise RecordMismatch(f"record {seq} came back without its mark: {out[:200]!r}")
    return "".join(text)


def _keep_edges(source: str, translation: str) -> str:
    """The translation with the source's leading and trailing whitespace."""
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + translation.strip() + trail


# --- modes ------------------------------------------------------------------


@dataclass(frozen=True)
class Mode:
    """An installed translation direction."""

    name: str  # "eng-spa"
    path: Path
    source: str  # ISO 639-1
    target: str


@dataclass(frozen=True)
class Stages:
    """The commands of a mode's null-flush pipeline, split around the tagger."""

    front: list[list[str]]
    tagger: list[str] | None
    back: list[list[str]]


def find_modes(modes_dir: Path) -> dict[tuple[str, str], Mode]:
    modes: dict[tuple[str, str], Mode] = {}
    for path in sorted(modes_dir.glob("*.mode")):
        match = _PLAIN_MODE.match(path.stem)
        if not match:
            continue
        pair = (iso_code(match.group(1)), iso_code(match.group(2)))
        modes.setdefault(pair, Mode(path.stem, path, *pair))
    return modes


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
    # Word-bound blanks ([[...]]) are never in our records: their two stages would only
    # copy every record once more each.
    commands = [c for c in commands if c and Path(c[0]).name not in _WORDBOUND_BLANK_STAGES]
    if not commands:
        raise EngineError(f"{mode}: the mode has no commands")
    for i, command in enumerate(commands):
        if Path(command[0]).name == "apertium-tagger":
            # -d makes the tagger report when it changes its own state (see module doc).
            tagger = [command[0], "-d", *command[1:]]
            return Stages(commands[:i], tagger, commands[i + 1 :])
    return Stages(commands, None, [])


# --- processes --------------------------------------------------------------


class _Group:
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
        with self.lock:
            self.killed = True
            procs = list(self.procs)
        if self.pgid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pgid, signal.SIGKILL)
        for proc in procs:
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()  # reap: no zombies


class _Records:
    """NUL-terminated records read from a pipe."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.fd = stream.fileno()
        self.buffer = b""

    def next(self) -> bytes | None:
        while b"\0" not in self.buffer:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        record, self.buffer = self.buffer.split(b"\0", 1)
        return record


class _Tagger:
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

    def __init__(self, command: list[str], group: _Group) -> None:
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
            exchanged = _exchange(proc, [records[i] for i in share])
            if exchanged is None:
                return None
            done, err = exchanged
            unforeseen = self._learn(err)
            kept = len(share)
            if unforeseen:
                # The record that changed the state is still exact on a pristine tagger.
                kept = _first_holding([records[i] for i in share], unforeseen)
                kept += target is None
                retired.add(target)
                if kept < len(share):
                    end = min(end, share[kept])
            for i, output in zip(share[:kept], done, strict=False):
                outputs[i] = output
        for target in shares:
            if target in retired:
                self._replace(target, None)
            elif target is not None:
                self.of_class[target] = self.of_class.pop(target)  # most recently used
            elif after is not None:
                self._replace(None, after)
        return outputs[:end]

    def _learn(self, err: bytes) -> list[bytes]:
        """Learn from the reports; return the stream forms of the words not foreseen."""
        unforeseen: list[bytes] = []
        for word, cls in _REPORT.findall(err):
            unit = b"^" + word + b"/"
            if self.classes.get(unit) != cls:
                self.classes[unit] = cls
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


def _first_holding(records: list[bytes], units: list[bytes]) -> int:
    """The first record holding one of these words, which may have changed the tagger's
    state; 0 when none does as far as we can see (a word written differently)."""
    return next((i for i, record in enumerate(records) if any(u in record for u in units)), 0)


def _exchange(
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


class _Pipeline:
    """One running pipeline for one pair: writer -> front | tagger | back -> reader threads."""

    def __init__(self, stages: Stages) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.group = _Group(self.stderr)
        self.results: queue.Queue[bytes | None] = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.tagger: _Tagger | None = None
        try:
            self._start(stages)
        except EngineError:
            self.close()
            raise

    def _start(self, stages: Stages) -> None:
        self.stdin, front_out = self.group.chain(stages.front)
        if stages.tagger is None:
            self._thread(self._read, front_out)
            return
        tagger = self.tagger = _Tagger(stages.tagger, self.group)
        back_in, back_out = self.group.chain(stages.back)
        self._thread(self._relay, front_out, tagger, back_in)
        self._thread(self._read, back_out)

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

    def _relay(self, front_out: IO[bytes], tagger: _Tagger, back_in: IO[bytes]) -> None:
        """front -> tagger -> back, a window at a time from what the front has ready."""
        ready: queue.Queue[bytes | None] = queue.Queue()
        self._thread(self._collect, front_out, ready)
        window: list[bytes] = []
        try:
            while True:
                if not window:
                    first = ready.get()
                    if first is None:
                        break
                    window.append(first)
                while len(window) < _TAGGER_WINDOW:
                    try:
                        more = ready.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        ready.put(None)  # seen again once this window is done
                        break
                    window.append(more)
                tagged = tagger.tag(window)
                if tagged is None:
                    break
                back_in.write(b"".join(output + b"\0" for output in tagged))
                back_in.flush()
                window = window[len(tagged) :]
        except (OSError, ValueError, EngineError):
            pass
        self.results.put(None)  # anything ending this loop is a fault (we never close stdin)

    def _collect(self, out: IO[bytes], ready: queue.Queue[bytes | None]) -> None:
        records = _Records(out)
        while (record := records.next()) is not None:
            ready.put(record)
        ready.put(None)

    def _read(self, out: IO[bytes]) -> None:
        records = _Records(out)
        while (record := records.next()) is not None:
            self.results.put(record)
        self.results.put(None)

    def receive(self, timeout: float) -> bytes | None:
        """The next record, or None if the pipeline died or said nothing for `timeout` s."""
        try:
            return self.results.get(timeout=timeout)
        except queue.Empty:
            return None

    def problem(self) -> str:
        """The end of what the stages wrote on stderr, for error messages."""
        self.stderr.seek(0, os.SEEK_END)
        size = self.stderr.tell()
        self.stderr.seek(max(0, size - 500))
        return self.stderr.read().decode("utf-8", "replace").strip()

    def close(self) -> None:
        if self.tagger is not None:
            self.tagger.close()
        self.group.kill()
        for thread in self.threads:
            thread.join(timeout=5)
        self.stderr.close()


# --- the engine -------------------------------------------------------------


class ApertiumEngine(Engine):
    """Apertium through long-lived null-flush pipelines, `jobs` per language pair."""

    name = "apertium"
    streaming = True

    def __init__(
        self,
        jobs: int = 1,
        timeout: float = 60.0,
        modes_dir: Path = DEFAULT_MODES_DIR,
    ) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self.timeout = timeout
        self.modes_dir = modes_dir
        self._modes = find_modes(modes_dir) if modes_dir.is_dir() else {}
        self._stages: dict[tuple[str, str], Stages] = {}
        self._pipes: dict[tuple[str, str], list[_Pipeline | None]] = {}
        self._versions: dict[str, str] = {}  # mode path (and "apertium") -> version
        self._seq = itertools.count()
        self._lock = threading.Lock()
        # Why segments of the last translate() call failed: "text[:60]: reason".
        self.failures: list[str] = []

    def pairs(self) -> set[tuple[str, str]]:
        return set(self._modes)

    def _mode(self, source: str, target: str) -> Mode:
        mode = self._modes.get((source, target))
        if mode is None:
            installed = ", ".join(f"{s}->{t}" for s, t in sorted(self._modes)) or "none"
            raise EngineError(
                f"Apertium has no {source}->{target} pair in {self.modes_dir} "
                f"(installed: {installed}). Install its Debian package, for example "
                f"`apt-get install apertium-eng-spa` for en->es; `apt-cache search apertium` "
                f"lists the pairs."
            )
        return mode

    def version(self, source: str, target: str) -> str:
        """Apertium's and the pair's Debian package versions: an upgrade invalidates the cache."""
        mode = self._mode(source, target)
        if not self._versions:
            self._versions = _installed_versions([m.path for m in self._modes.values()])
        data = self._versions.get(str(mode.path))
        if data is None:
            digest = hashlib.sha256(mode.path.read_bytes()).hexdigest()[:12]
            data = f"{mode.name} mode sha256:{digest}"
        return f"apertium {self._versions.get('apertium', 'unknown')}; {data}"

    def translate(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> list[str | None]:
        """Translate `texts` in order; `required` is ignored (the glossary layer repairs)."""
        mode = self._mode(source, target)
        pair = (source, target)
        with self._lock:
            if pair not in self._stages:
                self._stages[pair] = load_stages(mode.path)
                self._pipes[pair] = [None] * self.jobs
        self.failures = []
        results: list[str | None] = list(texts)
        work = [(i, t) for i, t in enumerate(texts) if t.strip()]
        # Segment i goes to pipeline i % jobs: a fixed split, and since no
        # translation depends on what its pipeline did before, any split gives
        # the same output.
        shares = [work[slot :: self.jobs] for slot in range(self.jobs)]
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            done = pool.map(
                lambda slot: self._translate_share(pair, slot, shares[slot]), range(self.jobs)
            )
            for share, translations in zip(shares, done, strict=True):
                for (i, _), translation in zip(share, translations, strict=True):
                    results[i] = translation
        self.failures.sort()  # threads finish in any order
        return results

    def _pipeline(self, pair: tuple[str, str], slot: int) -> _Pipeline:
        pipe = self._pipes[pair][slot]
        if pipe is None:
            pipe = _Pipeline(self._stages[pair])
            self._pipes[pair][slot] = pipe
        return pipe

    def _discard(self, pair: tuple[str, str], slot: int) -> None:
        pipe = self._pipes[pair][slot]
        if pipe is not None:
            pipe.close()
            self._pipes[pair][slot] = None

    def _translate_share(
        self, pair: tuple[str, str], slot: int, items: list[tuple[int, str]]
    ) -> list[str | None]:
        """Translate items through one pipeline; a fault restarts it and retries once."""
        results: list[str | None] = [None] * len(items)
        pos = 0
        failures = 0  # of the item at `pos`
        while pos < len(items):
            pipe = self._pipeline(pair, slot)
            seqs = [next(self._seq) for _ in items[pos:]]
            pipe.send([encode_record(t, s) for (_, t), s in zip(items[pos:], seqs, strict=True)])
            for seq in seqs:
                translation = self._answer(pipe, seq, items[pos][1])
                if translation is not None:
                    results[pos] = translation
                    pos += 1
                    failures = 0
                    continue
                reason = pipe.problem() or f"no answer within {self.timeout:g}s, or a stage died"
                self._discard(pair, slot)
                failures += 1
                if failures == 2:  # failed again after a restart: give up on this one
                    self.failures.append(f"{items[pos][1][:60]!r}: {reason}")
                    pos += 1
                    failures = 0
                break
        return results

    def _answer(self, pipe: _Pipeline, seq: int, source: str) -> str | None:
        record = pipe.receive(self.timeout)
        if record is None:
            return None
        try:
            return _keep_edges(source, decode_record(record.decode("utf-8", "replace"), seq))
        except RecordMismatch:
            return None

    def close(self) -> None:
        for pair, pipes in self._pipes.items():
            for slot in range(len(pipes)):
                self._discard(pair, slot)

    def __enter__(self) -> ApertiumEngine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _installed_versions(modes: list[Path], dpkg: Path = DPKG_DATABASE) -> dict[str, str]:
    """ "PACKAGE VERSION" of the package owning each mode file, and apertium's own version.

    Read from dpkg's database, as `dpkg-query -S` and `-W` would answer but without
    their start-up (two calls cost ~80 ms, and every run asks). Debian names every
    Apertium package apertium-*, so only those file lists are searched. Off Debian,
    or for a mode no package owns, nothing.
    """
    wanted = {str(mode) for mode in modes}
    owners: dict[str, str] = {}
    for listing in sorted((dpkg / "info").glob("apertium*.list")):
        package = listing.name.removesuffix(".list").split(":")[0]
        with contextlib.suppress(OSError, UnicodeDecodeError):
            for path in wanted.intersection(listing.read_text("utf-8").splitlines()):
                owners[path] = package
    versions = _package_versions(dpkg / "status", {"apertium", *owners.values()})
    result = {
        path: f"{package} {versions.get(package, 'unknown')}" for path, package in owners.items()
    }
    if "apertium" in versions:
        result["apertium"] = versions["apertium"]
    return result


def _package_versions(status: Path, packages: set[str]) -> dict[str, str]:
    """The versions of those `packages` that dpkg's status file lists as installed."""
    try:
        text = status.read_text("utf-8", errors="replace")
    except OSError:
        return {}
    versions: dict[str, str] = {}
    for stanza in text.split("\n\n"):
        # Every stanza opens with its Package field; most are skipped on that alone.
        if stanza.partition("\n")[0].removeprefix("Package: ") not in packages:
            continue
        fields = dict(_STATUS_FIELD.findall(stanza))
        if fields.get("Status", "").endswith(" installed"):
            versions[fields["Package"]] = fields.get("Version", "unknown")
    return versions
