"""``mali-map gazetteer import|download|list|remove``: keep the user's own gazetteers.

Thin commands over :mod:`mali_map.gazetteer.userstore`. Results go to stdout
(one JSON object per line with ``--json``); the progress bar and the bad rows
go to stderr, so stdout stays clean for scripts.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

import click

from .options import common_options, settings_from
from .output import EXIT_OK, emit, warn

#: How many bad rows an import lists on stderr (``--json`` gives them all).
SHOWN_BAD_ROWS = 10


@click.group("gazetteer")
@common_options
@click.pass_context
def gazetteer(ctx: click.Context, **options: Any) -> None:
    """Import, list and remove your own gazetteers (CSV, GeoJSON, GeoNames dumps).

    Saved gazetteers are searched on every run beside the built-in places;
    use --gazetteer PATH instead to add a file for one run only.
    """
    settings_from(ctx, options)


@gazetteer.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--name", "name", default=None, metavar="N", help="Name to save it under (default: the file's name).")
@click.option(
    "--name-field",
    "name_field",
    default=None,
    metavar="F",
    help="The column (or OSM tag) holding the place name, when it is not 'name'.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar on stderr (default: when stderr is a terminal)."
)
@common_options
@click.pass_context
def import_command(
    ctx: click.Context, path: str, name: str | None, name_field: str | None, progress: bool | None, **options: Any
) -> int:
    """Import PATH (CSV, GeoJSON of points, GeoNames .txt/.zip, GeoPackage, Shapefile, OSM .osm.pbf)
    as a saved gazetteer.

    CSV needs a header with name, latitude (or lat) and longitude (or lon,
    lng); optional columns: feature, population, country_code, admin1,
    alternatenames (separated by | or ,). Importing a name again replaces it.
    Bad rows are reported by line and skipped.
    """
    from ..gazetteer.userstore import import_gazetteer

    settings = settings_from(ctx, options)
    show_progress = progress if progress is not None else sys.stderr.isatty()
    bar = ProgressBar(sys.stderr, f"importing {click.format_filename(path)}") if show_progress else None
    try:
        report = import_gazetteer(path, name, progress=bar.update if bar else None, name_field=name_field)
    finally:
        if bar:
            bar.close()
    summary = (
        f"imported {report.rows:,} places into {report.name}; "
        f"skipped {len(report.skipped):,} bad row{'s' if len(report.skipped) != 1 else ''}"
    )
    if not settings.json:
        for error in report.skipped[:SHOWN_BAD_ROWS]:
            warn(f"skipped {error}")
        hidden = len(report.skipped) - SHOWN_BAD_ROWS
        if hidden > 0:
            warn(f"... and {hidden:,} more bad rows (--json lists them all)")
    emit(
        {
            "name": report.name,
            "rows": report.rows,
            "skipped": len(report.skipped),
            "path": str(report.path),
            "seconds": round(report.seconds, 3),
            "bad_rows": [{"where": e.where, "message": e.message} for e in report.skipped],
        },
        summary,
        as_json=settings.json,
    )
    return EXIT_OK


@gazetteer.command("download")
@click.argument("codes", metavar="CC...", nargs=-1, required=True)
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar on stderr (default: when stderr is a terminal)."
)
@common_options
@click.pass_context
def download_command(ctx: click.Context, codes: tuple[str, ...], progress: bool | None, **options: Any) -> int:
    """Download the GeoNames dump of each country CC (e.g. ML) and save it as gazetteer geonames-CC.

    The server is MALI_MAP_GEONAMES_URL (default: GeoNames' export service).
    Every file is checked before anything is imported; a broken or
    interrupted download imports nothing (exit 2).
    """
    from ..gazetteer.download import download_countries

    settings = settings_from(ctx, options)
    show_progress = progress if progress is not None else sys.stderr.isatty()
    bars: dict[str, ProgressBar] = {}

    def on_bytes(label: str, done: int, expected: int | None) -> None:
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = ProgressBar(sys.stderr, f"downloading {label}", unit="bytes")
        bar.update(done, expected)

    try:
        reports = download_countries(codes, progress=on_bytes if show_progress else None)
    finally:
        for bar in bars.values():
            bar.close()
    for report in reports:
        emit(
            {
                "name": report.name,
                "rows": report.rows,
                "skipped": len(report.skipped),
                "path": str(report.path),
                "seconds": round(report.seconds, 3),
            },
            f"imported {report.rows:,} places into {report.name}; skipped {len(report.skipped):,} bad rows",
            as_json=settings.json,
        )
    return EXIT_OK


@gazetteer.command("list")
@common_options
@click.pass_context
def list_command(ctx: click.Context, **options: Any) -> int:
    """List the saved gazetteers: name, places, source file, import date; a damaged one is flagged."""
    from ..gazetteer.userstore import list_gazetteers

    settings = settings_from(ctx, options)
    infos = list_gazetteers()
    if not infos and not settings.json:
        click.echo("no saved gazetteers (add one with: mali-map gazetteer import FILE)")
    for info in infos:
        line = f"{info.name}\t{info.rows:,} places\t{info.source_file or '?'}\t{info.imported_at or '?'}"
        if info.damage:  # its figures are unknown: say what is wrong and what to do instead
            line = (
                f"{info.name}\tDAMAGED, skipped by every search: {info.damage}. Import it again, "
                f"or 'mali-map gazetteer remove {info.name}' deletes it"
            )
        emit(
            {
                "name": info.name,
                "rows": info.rows,
                "skipped": info.skipped,
                "source_file": info.source_file,
                "imported_at": info.imported_at,
                "path": str(info.path),
                "damaged": info.damage is not None,
                "damage": info.damage,
            },
            line,
            as_json=settings.json,
        )
    return EXIT_OK


@gazetteer.command("remove")
@click.argument("name")
@common_options
@click.pass_context
def remove_command(ctx: click.Context, name: str, **options: Any) -> int:
    """Delete the saved gazetteer NAME."""
    from ..gazetteer.userstore import remove_gazetteer

    settings = settings_from(ctx, options)
    path = remove_gazetteer(name)
    emit({"name": path.stem, "removed": True, "path": str(path)}, f"removed {path.stem}", as_json=settings.json)
    return EXIT_OK


class ProgressBar:
    """A one-line progress bar for stderr: redrawn in place on a terminal, a line per few seconds elsewhere.

    ``update(done, expected)`` matches the progress callback of
    :func:`~mali_map.gazetteer.userstore.import_gazetteer`; ``expected`` may be None.
    """

    WIDTH = 30

    def __init__(self, stream: IO[str], label: str, *, interval_s: float | None = None, unit: str = "rows"):
        self.stream = stream
        self.label = label
        self.unit = unit
        self.tty = stream.isatty()
        self.interval_s = interval_s if interval_s is not None else (0.1 if self.tty else 2.0)
        self.started = time.monotonic()
        self.last_drawn = float("-inf")
        self.done = 0
        self.expected: int | None = None

    def update(self, done: int, expected: int | None = None) -> None:
        self.done, self.expected = done, expected
        now = time.monotonic()
        if now - self.last_drawn >= self.interval_s:
            self.last_drawn = now
            self._draw()

    def close(self) -> None:
        if self.done:
            self.expected = self.done  # finished: whatever the estimate said, this is 100 %
            self._draw()
        if self.tty and self.done:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        if self.expected:
            share = min(self.done / self.expected, 1.0)
            filled = round(share * self.WIDTH)
            bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} "
        else:
            bar = ""
        text = f"{self.label} {bar}{self.done:,} {self.unit} ({rate:,.0f}/s)"
        self.stream.write(f"\r{text}\x1b[K" if self.tty else text + "\n")
        self.stream.flush()
