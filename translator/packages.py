"""Argos Translate packages: where they live, install (file or index), list, remove.

Packages live where argostranslate keeps them, so both tools see the same ones.
The folder is worked out here the way `argostranslate.settings` does it rather
than by importing it: that import creates folders in the home directory and sets
environment variables, which a `models list` has no business doing. We also
never call `argostranslate.package.install_from_path` (it imports
argostranslate.translate, hence stanza and torch) nor `get_available_packages`
(with no cached index and no network it recurses without end).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from translator.fsutil import atomic_write
from translator.languages import LANGUAGE_CODE, normalise_language
from translator.model import TranslatorError

# Every run lists the packages; only `models` commands install, remove or download
# them, so the modules for that are imported where they are used.
if TYPE_CHECKING:
    import zipfile

    from packaging.version import Version

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
NETWORK_TIMEOUT = 5.0  # seconds: offline must fail fast, not hang
_TEMP_PREFIX = ".translate-news-"  # hidden: argostranslate and list_packages skip it


class PackageError(TranslatorError):
    """A package cannot be installed, found or removed; the message says why and what to do."""


@dataclass(frozen=True)
class PackageInfo:
    """An installed Argos package, read from its metadata.json."""

    source: str
    target: str
    version: str
    path: Path  # the package folder
    argos_version: str = ""
    target_prefix: str = ""  # a token every translation starts with (multilingual models)
    tokenizer: str = "sentencepiece"  # "sentencepiece" or "bpe"

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def tokenizer_file(self) -> Path:
        return self.path / ("bpe.model" if self.tokenizer == "bpe" else "sentencepiece.model")


# --- where packages live (mirrors argostranslate.settings) ---


def _home() -> Path:
    if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def data_dir() -> Path:
    """argostranslate's data folder: $XDG_DATA_HOME/argos-translate."""
    return Path(os.getenv("XDG_DATA_HOME", str(_home() / ".local" / "share"))) / "argos-translate"


def _setting(key: str) -> str | None:
    """An argostranslate setting: the environment first, then its settings.json."""
    if key in os.environ:
        return os.environ[key]
    config = Path(os.getenv("XDG_CONFIG_HOME", str(_home() / ".config")))
    settings_file = config / "argos-translate" / "settings.json"
    try:
        value = json.loads(settings_file.read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None  # argostranslate also ignores a missing or broken settings.json
    return str(value) if value is not None else None


def packages_dir() -> Path:
    """The folder installed packages live in: ARGOS_PACKAGES_DIR or <data dir>/packages."""
    return Path(_setting("ARGOS_PACKAGES_DIR") or data_dir() / "packages")


def index_url() -> str:
    """The package index (argostranslate appends index.json to ARGOS_PACKAGE_INDEX)."""
    return (_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX) + "index.json"


# --- reading packages ---


# Codes of Argos's (and LibreTranslate's) own, for what BCP 47 writes otherwise: a run
# asks for pt-BR, writes OUT/pt-br/ and a pt_BR catalog, and finds the package.
ARGOS_CODES = {"pb": "pt-br", "zt": "zh-hant"}


def read_metadata(data: bytes, where: str) -> dict[str, Any]:
    """Parse and check a metadata.json; `where` names it in errors."""
    try:
        metadata = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PackageError(f"{where}: metadata.json is not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise PackageError(f"{where}: metadata.json must hold a JSON object")
    for key in ("from_code", "to_code"):
        code = metadata.get(key)
        if not isinstance(code, str) or not LANGUAGE_CODE.match(normalise_language(code)):
            raise PackageError(
                f"{where}: metadata.json needs {key} as a language code, got {code!r}"
            )
        # As the command line spells it; Argos's own codes as BCP 47 has them.
        code = normalise_language(code)
        metadata[key] = ARGOS_CODES.get(code, code)
    for key in ("package_version", "argos_version", "target_prefix"):
        if not isinstance(metadata.get(key, ""), str):
            raise PackageError(f"{where}: metadata.json field {key} must be a string")
    if metadata.get("type", "translate") != "translate":
        raise PackageError(f"{where}: a {metadata['type']!r} package is not a translation package")
    return metadata


def _info(path: Path) -> PackageInfo:
    metadata = read_metadata((path / "metadata.json").read_bytes(), str(path))
    return PackageInfo(
        source=metadata["from_code"],
        target=metadata["to_code"],
        version=metadata.get("package_version", ""),
        path=path,
        argos_version=metadata.get("argos_version", ""),
        target_prefix=metadata.get("target_prefix", ""),
        tokenizer="sentencepiece" if (path / "sentencepiece.model").exists() else "bpe",
    )


def _version_key(info: PackageInfo) -> tuple[Version, str]:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(info.version), info.path.name
    except InvalidVersion:
        return Version("0"), info.path.name


def list_packages(directory: Path | None = None) -> list[PackageInfo]:
    """Installed translation packages, sorted by pair then version (newest last).

    Folders that are not translation packages (sentence-boundary packages,
    unfinished installs, stray folders) are skipped.
    """
    root = directory or packages_dir()
    found = []
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if path.name.startswith(".") or not (path / "metadata.json").is_file():
                continue
            try:
                found.append(_info(path))
            except PackageError:
                continue  # not ours to judge here: `models install` validates
    return sorted(found, key=lambda p: (p.source, p.target, _version_key(p)))


# --- installing from a file ---


def _package_root(archive: zipfile.ZipFile, where: str) -> str:
    """The one top-level folder of the archive (Argos packages zip their folder)."""
    names = archive.namelist()
    if not names:
        raise PackageError(f"{where}: the archive is empty")
    for name in names:
        parts = PurePosixPath(name).parts
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or ".." in parts
            or (parts and ":" in parts[0])
        ):
            raise PackageError(
                f"{where}: refusing archive member {name!r}: it would be written outside "
                "the packages folder"
            )
    tops = {PurePosixPath(name).parts[0] for name in names}
    if len(tops) != 1 or f"{next(iter(tops))}/metadata.json" not in names:
        raise PackageError(f"{where}: no metadata.json in a single top-level package folder")
    return tops.pop()


def validate_archive(path: Path) -> tuple[dict[str, Any], str]:
    """Check an .argosmodel file without extracting it; return (metadata, folder name)."""
    import zipfile

    where = str(path)
    if not path.is_file():
        raise PackageError(f"{where}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{where}: not an Argos package (.argosmodel files are zip archives)")
    with zipfile.ZipFile(path) as archive:
        root = _package_root(archive, where)
        names = set(archive.namelist())
        metadata = read_metadata(archive.read(f"{root}/metadata.json"), where)
        if f"{root}/model/model.bin" not in names:
            raise PackageError(f"{where}: no CTranslate2 model (model/model.bin) in the package")
        if not {f"{root}/sentencepiece.model", f"{root}/bpe.model"} & names:
            raise PackageError(f"{where}: no tokenizer (sentencepiece.model or bpe.model)")
    return metadata, root


def install_package(path: Path, directory: Path | None = None) -> PackageInfo:
    """Validate and install an .argosmodel file; it replaces any package for the same pair.

    Extraction goes to a hidden temporary folder inside the packages folder, where the
    package is loaded once (a package that cannot load is refused here, not at every
    run), and is renamed into place, so a crash never leaves half a package behind. The
    folder is named from the package's metadata, not from the archive, so a package
    never takes another pair's folder.
    """
    import shutil
    import tempfile
    import zipfile
    import zlib

    metadata, root = validate_archive(path)
    target_dir = directory or packages_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=target_dir))
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(staging)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise PackageError(f"{path}: damaged archive: {error}") from None
        _check_loads(path, staging / root)
        replaced = [
            p
            for p in list_packages(target_dir)
            if (p.source, p.target) == (metadata["from_code"], metadata["to_code"])
        ]
        final = target_dir / _folder_name(metadata)
        for old in replaced:
            if old.path != final:
                shutil.rmtree(old.path)
        if final.exists():
            # Swap via a hidden name: the old folder disappears in one rename.
            trash = staging / ".old"
            final.rename(trash)
        (staging / root).rename(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _info(final)


def _folder_name(metadata: dict[str, Any]) -> str:
    """The installed folder of a package, named as argostranslate names one
    (translate-en_es-1_9), from its pair as a run spells it (translate-en_pt-br-1_9)."""
    version = str(metadata.get("package_version", "")).replace(".", "_") or "0"
    return f"translate-{metadata['from_code']}_{metadata['to_code']}-{version}"


def _check_loads(path: Path, folder: Path) -> None:
    """Load the extracted package once, as a run would; PackageError naming `path` if it
    cannot load (a model or tokenizer file that is no such thing)."""
    from translator.engines import EngineError
    from translator.engines.argos import load_package  # the one module owning CTranslate2

    try:
        load_package(_info(folder))
    except EngineError as error:
        raise PackageError(f"{path}: the package does not load: {error}") from None


def remove_package(source: str, target: str, directory: Path | None = None) -> list[PackageInfo]:
    """Remove every installed package for the pair; error when there is none."""
    import shutil

    source, target = normalise_language(source), normalise_language(target)
    removed = [p for p in list_packages(directory) if (p.source, p.target) == (source, target)]
    if not removed:
        raise PackageError(
            f"no Argos package installed for {source}→{target} (see `translate-news models list`)"
        )
    for package in removed:
        shutil.rmtree(package.path)
    return removed


# --- installing from the Argos index ---


def _fetch(url: str) -> bytes:
    """Download with a timeout; any failure becomes a PackageError that explains offline use."""
    import urllib.error  # only here: every run lists packages, few download them
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=NETWORK_TIMEOUT) as response:
            data: bytes = response.read()
            return data
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise PackageError(
            f"cannot reach the Argos package index ({url}: {reason}). Without a network, "
            "download the .argosmodel file elsewhere and run "
            "`translate-news models install FILE.argosmodel`"
        ) from None


def _check_reachable(url: str) -> None:
    """Fail fast when the index host does not answer (no DNS, no route, refused)."""
    import socket
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname or "", port), timeout=NETWORK_TIMEOUT).close()
    except OSError as error:
        raise PackageError(
            f"no network: cannot reach the Argos package index at {parts.hostname}:{port} "
            f"({error}). Download the .argosmodel file elsewhere and run "
            "`translate-news models install FILE.argosmodel`"
        ) from None


def install_from_index(source: str, target: str, directory: Path | None = None) -> PackageInfo:
    """Download the pair's package from the Argos index and install it.

    The index is fetched fresh (and cached where argostranslate caches it); every
    network step has a short timeout, so offline this fails within seconds.
    """
    import tempfile

    source, target = (_code(code) or code for code in (source, target))
    url = index_url()
    _check_reachable(url)
    data = _fetch(url)
    try:
        index = json.loads(data)
    except ValueError:
        raise PackageError(f"the Argos package index at {url} is not valid JSON") from None
    entries = [
        e
        for e in index
        if isinstance(e, dict)
        and (_code(e.get("from_code")), _code(e.get("to_code"))) == (source, target)
        and e.get("type", "translate") == "translate"
    ]
    if not entries:
        raise PackageError(f"the Argos package index has no package for {source}→{target}")
    entry = max(entries, key=lambda e: _parse_version(str(e.get("package_version", "0"))))
    links = [str(link) for link in entry.get("links", [])]
    if not links:
        raise PackageError(f"the Argos index lists no download link for {source}→{target}")
    _cache_index(data)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / f"{source}_{target}.argosmodel"
        archive.write_bytes(_fetch(links[0]))
        return install_package(archive, directory)


def _parse_version(text: str) -> Version:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def _cache_index(data: bytes) -> None:
    """Keep the index where argostranslate looks for it (best effort: a cache)."""
    with contextlib.suppress(OSError):
        atomic_write(data_dir() / "index.json", data)


def _code(value: object) -> str | None:
    """An index entry's language code as a run spells it (Argos's "pb" is "pt-br");
    None when it has none."""
    if not isinstance(value, str):
        return None
    code = normalise_language(value)
    return ARGOS_CODES.get(code, code)
