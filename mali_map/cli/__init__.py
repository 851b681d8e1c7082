"""The ``mali-map`` command line: a thin layer over the library.

Each command lives in its own module and is imported only when it runs, so
``mali-map geocode Kati`` never pays for geopandas or folium. Every command
takes the common options (``--country``, ``--gazetteer``, ``--online``,
``--json``) before or after its name; errors become one line on stderr and
the exit codes of the interface (see :mod:`mali_map.cli.output`).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from .options import common_options, settings_from
from .output import run_safely

#: command name -> "module:function", imported on first use.
COMMANDS = {
    "geocode": "mali_map.cli.geocode:geocode",
    "distance": "mali_map.cli.distance:distance",
    "gazetteer": "mali_map.cli.gazetteer:gazetteer",
    "check": "mali_map.cli.check:check",
    "map": "mali_map.cli.map:map_command",
    "places": "mali_map.cli.places:places",
    "article": "mali_map.cli.article:article",
    "batch": "mali_map.cli.batch:batch",
    "serve": "mali_map.cli.serve:serve",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first used (fast start-up)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in COMMANDS.items() if _importable(target))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None or not _importable(target):
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


def _importable(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.version_option(package_name="mali-map")
@click.pass_context
def cli(ctx: click.Context, **options: Any) -> None:
    """Geocode place names, check distance claims and map incidents, offline by default."""
    settings_from(ctx, options)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mali-map`` console script; returns the exit code."""
    return run_safely(cli, argv if argv is not None else sys.argv[1:])
