"""The README documents the interface: every command, option and exit code that scripts rely on."""

import re
from pathlib import Path

import click
import pytest

from mali_map.cli import COMMANDS, cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented(name):
    assert re.search(rf"^### `mali-map {name}\b", README, re.MULTILINE), f"no README section for {name}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_of_every_command_is_documented(name):
    command = cli.get_command(click.Context(cli), name)
    commands = [command] + (list(command.commands.values()) if isinstance(command, click.Group) else [])
    for each in commands:
        for param in each.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option not in ("--help", "--progress", "--no-progress"):
                    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README), (
                        f"{each.name} {option} is not in the README"
                    )


@pytest.mark.parametrize("code", ["0", "1", "2", "3"])
def test_exit_codes_are_documented(code):
    assert re.search(rf"^\| {code} \| ", README, re.MULTILINE)


def test_no_placeholder_is_left():
    assert not re.search(r"\b[A-Z]+_SECTION\b", README)
