"""The docs are tested: every command has help with an example, the README's commands exist."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from translator.cli import main


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", commands(main), ids=" ".join)
def test_every_command_has_help_with_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and command.help.strip()
    if not isinstance(command, click.Group):
        assert "Example" in result.output, path
        for option in command.params:
            if isinstance(option, click.Option) and not option.hidden:
                assert option.help, (path, option.name)


def readme_commands() -> list[list[str]]:
    text = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", text, re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("translate-news ")]


@pytest.mark.parametrize("args", readme_commands(), ids=" ".join)
def test_readme_commands_exist(runner: CliRunner, args: list[str]) -> None:
    words = [a for a in args if not a.startswith("-")]
    group: click.Command = main
    path: list[str] = []
    for word in words:
        if not isinstance(group, click.Group) or word not in group.commands:
            break
        group = group.commands[word]
        path.append(word)
    result = runner.invoke(main, [*(path or ["translate"]), "--help"])
    assert result.exit_code == 0, result.output
    options = {o for o in args if o.startswith("--")}
    for option in options:
        assert option in result.output, (args, option)


def readme_translations() -> list[list[str]]:
    return [args for args in readme_commands() if args and args[0] not in main.commands]


@pytest.mark.parametrize("args", readme_translations(), ids=" ".join)
def test_readme_translations_work_with_the_engines_make_installs(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    """Each translation the README shows succeeds on samples/ (English, French and
    Spanish articles) with the Apertium pairs `make` installs, through real Apertium."""
    shutil.copytree(REPO / "samples", tmp_path / "in")
    paths = {
        "in/": str(tmp_path / "in"),
        "out/": str(tmp_path / "out"),
        "glossaries/news.yml": str(REPO / "glossaries" / "news.yml"),
    }
    result = runner.invoke(main, [*(paths.get(arg, arg) for arg in args), "-q"])
    assert result.exit_code == 0, result.output


def test_detect_names_a_bad_file_by_the_path_given(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the README promises, a problem is named `path: problem`: the path as typed."""
    monkeypatch.chdir(tmp_path)
    Path("sub").mkdir()
    Path("sub/bad.txt").write_bytes(b"NATO\x00\x01")
    result = runner.invoke(main, ["detect", "sub/bad.txt"])
    assert result.exit_code == 1
    assert "sub/bad.txt: binary file" in result.output


def test_readme_names_the_two_commands() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    assert "make demo" in text and "make test" in text
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
