"""Installed Apertium modes (translation directions) and the Debian packages behind them."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from translator.languages import ISO_639_3_TO_1

DEFAULT_MODES_DIR = Path("/usr/share/apertium/modes")
DPKG_DATABASE = Path("/var/lib/dpkg")
_STATUS_FIELD = re.compile(r"^(Package|Status|Version): (.*)$", re.MULTILINE)

# Apertium names languages with ISO 639-3 codes (eng, spa) or ISO 639-1 (fr, es); the
# rest of the tool speaks ISO 639-1 (see translator.languages.ISO_639_3_TO_1).
# A plain mode is "xx-yy" or "xxx-yyy". Variant modes ("spa-eng_US", a regional
# spelling) and other dictionaries ("eco-fr-es", a domain variant) are left out:
# `pairs()` promises one engine per language pair, and the plain mode is the
# pair's default.
_PLAIN_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")


def iso_code(code: str) -> str:
    """The code this tool uses for an Apertium language code (`eng` -> `en`, `fr` -> `fr`,
    `srd` -> `srd`): its ISO 639-1 code where it has one."""
    return ISO_639_3_TO_1.get(code, code)


@dataclass(frozen=True)
class Mode:
    """An installed translation direction."""

    name: str  # "eng-spa"
    path: Path
    source: str  # ISO 639-1
    target: str


def find_modes(modes_dir: Path) -> dict[tuple[str, str], Mode]:
    modes: dict[tuple[str, str], Mode] = {}
    for path in sorted(modes_dir.glob("*.mode")):
        match = _PLAIN_MODE.match(path.stem)
        if not match:
            continue
        pair = (iso_code(match.group(1)), iso_code(match.group(2)))
        modes.setdefault(pair, Mode(path.stem, path, *pair))
    return modes


def installed_versions(modes: list[Path], dpkg: Path = DPKG_DATABASE) -> dict[str, str]:
    """What each mode's output depends on, for the cache key: "apertium VERSION; " then
    "PACKAGE VERSION" of every other package owning a file the mode uses (see
    `mode_files`: its stages' programs, lttoolbox's lt-proc for one, and the data
    they read), and a SHA-256 of those files no package owns (a pair built by hand).

    Owners and versions are read from dpkg's database, as `dpkg-query -S` and `-W`
    would answer but without their start-up (two calls cost ~80 ms, and every run
    asks). Off Debian, every file is hashed.
    """
    used = {str(mode): mode_files(mode) for mode in modes}
    owners = _owners({path for paths in used.values() for path in paths}, dpkg / "info")
    versions = package_versions(dpkg / "status", {"apertium", *owners.values()})
    keys: dict[str, str] = {}
    for mode, paths in used.items():
        packages = sorted({owners[path] for path in paths if path in owners} - {"apertium"})
        parts = [f"apertium {versions.get('apertium', 'unknown')}"]
        parts += [f"{package} {versions.get(package, 'unknown')}" for package in packages]
        unowned = [path for path in paths if path not in owners]
        if unowned:
            parts.append(f"unpackaged sha256:{_digest(unowned)}")
        keys[mode] = "; ".join(parts)
    return keys


def mode_files(mode: Path) -> list[str]:
    """The files a mode uses: the mode itself, each stage's program (as found on PATH)
    and each file its arguments name (.bin, .prob, .t1x...). Read from the mode's
    text, not from `apertium-wblank-mode`: no process to start."""
    try:
        words = _words(mode.read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return [str(mode)]
    files = {str(mode): None}
    program = True  # the next word starts a stage
    for word in words:
        if word == "|":
            program = True
            continue
        if program:
            found = word if "/" in word else shutil.which(word)
            if found:
                files[found] = None
            program = False
        elif word.startswith("/") and os.path.isfile(word):
            files[word] = None
    return list(files)


# A mode's words, as the shell splits its one pipeline: 'quoted' or bare (shlex.split
# gives the same for what modes hold, at a tenth of the cost: every run asks).
_MODE_WORD = re.compile(r"'([^']*)'|\"([^\"]*)\"|([^\s'\"]+)")


def _words(text: str) -> list[str]:
    return ["".join(parts) for parts in _MODE_WORD.findall(text)]


def _owners(paths: set[str], info: Path) -> dict[str, str]:
    """The package whose file list holds each of `paths`, for those one holds.

    Apertium's packages and lttoolbox own what the modes Debian ships use, so their
    lists are read first; the other lists only when a file is still unaccounted for.
    """
    try:
        lists = sorted(entry.name for entry in os.scandir(info) if entry.name.endswith(".list"))
    except OSError:
        return {}
    likely = [name for name in lists if name.startswith(("apertium", "lttoolbox"))]
    others = [name for name in lists if not name.startswith(("apertium", "lttoolbox"))]
    owners: dict[str, str] = {}
    for name in likely + others:
        missing = paths.difference(owners)
        if not missing:
            break
        package = name.removesuffix(".list").split(":")[0]
        with contextlib.suppress(OSError, UnicodeDecodeError):
            for path in missing.intersection((info / name).read_text("utf-8").splitlines()):
                owners[path] = package
    return owners


def _digest(paths: list[str]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        with contextlib.suppress(OSError), open(path, "rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()[:12]


def package_versions(status: Path, packages: set[str]) -> dict[str, str]:
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
