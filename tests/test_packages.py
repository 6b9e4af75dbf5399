"""`translate-news models`: installing, listing and removing Argos packages."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.argos_package import EN_ES, build_package
from tests.conftest import REPO
from translator.cli import main
from translator.packages import (
    PackageError,
    install_from_index,
    list_packages,
    packages_dir,
)


@pytest.fixture(scope="session")
def en_es(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("built"), "en", "es", EN_ES)


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated packages folder (and argostranslate data folder) for one test."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "packages"


def test_install_list_translate_remove_through_the_cli(
    runner: CliRunner, argos_home: Path, en_es: Path
) -> None:
    installed = runner.invoke(main, ["models", "install", str(en_es)])
    assert installed.exit_code == 0, installed.output
    assert installed.output.startswith("installed en->es 1.0 in ")

    listed = runner.invoke(main, ["models", "list"])
    assert listed.output == f"en->es\t1.0\t{argos_home / 'translate-en_es-1_0'}\n"
    assert sorted(p.name for p in argos_home.iterdir()) == ["translate-en_es-1_0"]

    from translator.engines.argos import ArgosEngine

    assert ArgosEngine().translate("en", "es", ["Share the World"]) == ["Compartir the Mundo"]

    removed = runner.invoke(main, ["models", "remove", "en", "es"])
    assert removed.exit_code == 0 and removed.output.startswith("removed en->es 1.0")
    assert list(argos_home.iterdir()) == []
    again = runner.invoke(main, ["models", "remove", "en", "es"])
    assert again.exit_code == 1 and "no Argos package installed for en→es" in again.output


def test_a_newer_package_replaces_the_old_one(argos_home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for version in ("1.0", "1.1"):
        archive = build_package(tmp_path / version, "en", "es", {"war": "guerra"}, version=version)
        assert runner.invoke(main, ["models", "install", str(archive)]).exit_code == 0
    assert [(p.source, p.target, p.version) for p in list_packages()] == [("en", "es", "1.1")]
    assert sorted(p.name for p in argos_home.iterdir()) == ["translate-en_es-1_1"]


def _rewrite(
    archive: Path, dest: Path, drop: str = "", add: dict[str, bytes] | None = None
) -> Path:
    """A copy of `archive` without members containing `drop`, plus `add`."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(dest, "w") as out:
        for item in src.infolist():
            if not drop or drop not in item.filename:
                out.writestr(item.filename, src.read(item))
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return dest


ROOT = "translate-en_es-1_0"
BROKEN = {
    "not-a-zip": ("", None, "not an Argos package (.argosmodel files are zip archives)"),
    "no-metadata": ("metadata.json", {}, "no metadata.json"),
    "bad-json": ("metadata.json", {f"{ROOT}/metadata.json": b"{oops"}, "not valid JSON"),
    "no-target": (
        "metadata.json",
        {f"{ROOT}/metadata.json": json.dumps({"from_code": "en"}).encode()},
        "needs to_code as a language code",
    ),
    "no-model": ("model/", {}, "no CTranslate2 model (model/model.bin)"),
    "no-tokenizer": ("sentencepiece.model", {}, "no tokenizer"),
    "zip-slip": ("", {"../evil.txt": b"x"}, "'../evil.txt': it would be written outside"),
    "zip-slip-nested": ("", {f"{ROOT}/../../evil.txt": b"x"}, "would be written outside"),
    "absolute-path": ("", {"/tmp/evil.txt": b"x"}, "would be written outside"),
    "two-folders": ("", {"other/file.txt": b"x"}, "single top-level package folder"),
    "garbage-model": (
        "model/model.bin",
        {f"{ROOT}/model/model.bin": b"not a model"},
        "the package does not load: ",
    ),
    "garbage-tokenizer": (
        "sentencepiece.model",
        {f"{ROOT}/sentencepiece.model": b"not a tokenizer"},
        "the package does not load: ",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_packages_are_refused(
    case: str, runner: CliRunner, argos_home: Path, en_es: Path, tmp_path: Path
) -> None:
    drop, add, message = BROKEN[case]
    path = tmp_path / f"{case}.argosmodel"
    if add is None:
        path.write_text("not a zip at all")
    else:
        _rewrite(en_es, path, drop, add)
    result = runner.invoke(main, ["models", "install", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output and message in result.output
    assert not argos_home.exists() or list(argos_home.iterdir()) == []
    assert not (tmp_path / "evil.txt").exists()


def test_a_damaged_archive_is_refused_naming_it(
    runner: CliRunner, argos_home: Path, en_es: Path, tmp_path: Path
) -> None:
    """A byte flipped in a member: zipfile's CRC check fails while extracting."""
    data = bytearray(en_es.read_bytes())
    with zipfile.ZipFile(en_es) as archive:
        member = archive.getinfo(f"{ROOT}/model/model.bin")
    at = member.header_offset + 30 + len(member.filename) + len(member.extra) + 10
    data[at] ^= 0xFF
    damaged = tmp_path / "damaged.argosmodel"
    damaged.write_bytes(bytes(data))
    result = runner.invoke(main, ["models", "install", str(damaged)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{damaged}: damaged archive" in result.output


def test_a_package_takes_its_folder_from_its_metadata_not_another_pairs(
    runner: CliRunner, argos_home: Path, en_es: Path, tmp_path: Path
) -> None:
    """An en->fr package zipped in a folder named like the en->es one (or a hidden one)
    must leave the en->es package where it is."""
    assert runner.invoke(main, ["models", "install", str(en_es)]).exit_code == 0
    for folder in (ROOT, ".hidden"):
        fr = build_package(tmp_path / folder.strip("."), "en", "fr", {"war": "guerre"})
        renamed = tmp_path / f"{folder.strip('.')}.argosmodel"
        with zipfile.ZipFile(fr) as src, zipfile.ZipFile(renamed, "w") as dst:
            for item in src.infolist():
                name = folder + item.filename[item.filename.index("/") :]
                dst.writestr(name, src.read(item))
        assert runner.invoke(main, ["models", "install", str(renamed)]).exit_code == 0
    pairs = sorted((p.source, p.target, p.path.name) for p in list_packages(argos_home))
    assert pairs == [("en", "es", ROOT), ("en", "fr", "translate-en_fr-1_0")]


def test_list_skips_folders_that_are_not_translation_packages(
    argos_home: Path, en_es: Path
) -> None:
    (argos_home / "stray").mkdir(parents=True)
    (argos_home / "sbd").mkdir()
    (argos_home / "sbd" / "metadata.json").write_text('{"type": "sbd", "from_code": "en"}')
    CliRunner().invoke(main, ["models", "install", str(en_es)])
    assert [p.path.name for p in list_packages()] == ["translate-en_es-1_0"]


def test_models_commands_have_help(runner: CliRunner) -> None:
    for command in ("install", "list", "remove"):
        result = runner.invoke(main, ["models", command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output


@pytest.mark.parametrize(
    ("env", "settings"),
    [
        ({"ARGOS_PACKAGES_DIR": "{tmp}/chosen"}, None),
        ({"XDG_DATA_HOME": "{tmp}/xdg-data"}, None),
        ({}, {"ARGOS_PACKAGES_DIR": "{tmp}/from-settings"}),
        ({}, None),
    ],
    ids=["env", "xdg-data-home", "settings-json", "home-default"],
)
def test_packages_live_where_argostranslate_keeps_them(
    tmp_path: Path, env: dict[str, str], settings: dict[str, str] | None
) -> None:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ARGOS_", "XDG_")) and k not in ("SNAP", "SNAP_USER_DATA")
    }
    environment["HOME"] = str(tmp_path / "home")
    environment["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    environment.update({k: v.format(tmp=tmp_path) for k, v in env.items()})
    if settings:
        config = tmp_path / "config" / "argos-translate"
        config.mkdir(parents=True)
        (config / "settings.json").write_text(
            json.dumps({k: v.format(tmp=tmp_path) for k, v in settings.items()})
        )
    script = (
        "from translator.packages import packages_dir; ours = packages_dir(); "
        "from argostranslate import settings; "
        "print(ours); print(settings.package_data_dir)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours, theirs = result.stdout.splitlines()
    assert ours == theirs


CLI = "from translator.cli import main; main()"


def test_install_from_index_offline_fails_fast(tmp_path: Path) -> None:
    # Port 9 on loopback refuses connections: what an offline machine sees, without a hang.
    environment = dict(os.environ)
    environment.update(
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
        ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    result = subprocess.run(
        [sys.executable, "-c", CLI, "models", "install", "en", "es"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,  # a hang fails the test here
    )
    assert result.returncode == 1
    assert "no network: cannot reach the Argos package index at 127.0.0.1:9" in result.stderr
    assert "translate-news models install FILE.argosmodel" in result.stderr


@pytest.fixture
def local_index(tmp_path: Path, en_es: Path) -> Iterator[str]:
    """A package index served on loopback, listing the built en->es package."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "en_es.argosmodel").write_bytes(en_es.read_bytes())
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(site)),
    )
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {
            "from_code": "en",
            "to_code": "es",
            "package_version": "1.0",
            "links": [base + "en_es.argosmodel"],
        }
    ]
    (site / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_install_from_index_downloads_and_installs(
    local_index: str, argos_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", local_index)
    info = install_from_index("en", "es")
    assert (info.source, info.target, info.version) == ("en", "es", "1.0")
    assert info.path == packages_dir() / "translate-en_es-1_0"
    assert (
        tmp_path / "data" / "argos-translate" / "index.json"
    ).is_file()  # argostranslate's cache
    with pytest.raises(PackageError, match="no package for en→de"):
        install_from_index("en", "de")


def test_the_index_is_searched_with_argos_codes_read_as_bcp_47(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index entry for "pb" is pt-BR's, asked for either way."""
    index = [{"from_code": "en", "to_code": "pb", "package_version": "1.9", "links": []}]
    (tmp_path / "index.json").write_text(json.dumps(index))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", tmp_path.as_uri() + "/")
    for asked in ("pt-BR", "pb"):
        with pytest.raises(PackageError) as raised:
            install_from_index("en", asked)
        assert "no package for" not in str(raised.value), asked  # found; it has no link
    with pytest.raises(PackageError, match="no package for en→de"):
        install_from_index("en", "de")


def test_argos_codes_of_its_own_are_read_as_bcp_47(
    runner: CliRunner, argos_home: Path, tmp_path: Path
) -> None:
    """Argos and LibreTranslate write Brazilian Portuguese "pb" and Traditional Chinese
    "zt": a run asks for pt-BR and zh-Hant, as a site's folders and catalogs spell them."""
    for code in ("pb", "zt"):
        package = build_package(tmp_path / code, "en", code, {"war": "guerra"})
        assert runner.invoke(main, ["models", "install", str(package)]).exit_code == 0
    assert sorted((p.source, p.target) for p in list_packages(argos_home)) == [
        ("en", "pt-br"),
        ("en", "zh-hant"),
    ]
    from translator.engines.argos import ArgosEngine

    assert ArgosEngine().translate("en", "pt-br", ["the war"]) == ["the guerra"]
