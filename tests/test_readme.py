"""The README documents every command and gives the two fresh-machine commands."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from wiqnet.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "wiqnet") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, path))
        else:
            names.append(path)
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_is_documented_with_an_example(command: str) -> None:
    assert f"### `{command}" in README, f"README has no section '### `{command}...`'"
    section = README.split(f"### `{command}", 1)[1].split("\n### ", 1)[0]
    assert "$ " + command.split()[0] in section or "$ wiqnet" in section, (
        f"the README section for {command} shows no example run"
    )


def test_every_command_has_an_example_in_its_help() -> None:
    missing = []
    for command in _commands(main):
        parts = command.split()[1:]
        cmd: click.Command = main
        for part in parts:
            assert isinstance(cmd, click.Group)
            cmd = cmd.commands[part]
        if "Example" not in (cmd.help or "") and "example" not in (cmd.help or ""):
            missing.append(command)
    assert not missing, f"--help without an example: {missing}"


def test_readme_gives_the_two_fresh_machine_commands() -> None:
    assert "bash .ci/setup && .venv/bin/wiqnet serve --production" in README
    assert "bash .ci/setup --test && .venv/bin/python -m pytest -n 2" in README
