"""The docs are tested: every command has help with an example, the README's commands exist."""

from __future__ import annotations

import re
import shlex

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


def test_readme_names_the_two_commands() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    assert "make demo" in text and "make test" in text
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
