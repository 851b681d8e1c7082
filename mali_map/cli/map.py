"""``mali-map map INPUT... -o OUT.html``: incident files to one interactive map.

A thin shell over :func:`mali_map.mapjob.write_map` (``mali_map.write_map``), which
reads the inputs, checks any ``--claim``, writes the page atomically, the rejects
file ``OUT.rejects.csv`` beside it, and the ``--export`` and ``--png`` extras. When
every row is rejected there is no map to make: the rejects are written, the previous
map is left alone, and the exit code is 2.

Exit codes: 0 when the map is written, even with rejected rows (counted on
stderr) and whatever the claims' verdicts (drawn on the map, listed on stderr
and in ``--json``); 2 for an input that is missing, empty, binary or has no
usable columns, a bad option, or a ``--claim`` with no claim in it.
"""

from __future__ import annotations

from typing import Any

import click

from ..mapjob import REJECTS_SUFFIX, rejects_path_for
from .options import common_options, settings_from
from .output import EXIT_OK, counted, emit, say, shorten, warn

__all__ = ["REJECTS_SUFFIX", "map_command", "rejects_path_for"]


@click.command("map")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="OUT.html", help="The map page to write.")
@click.option("--layer-by", metavar="COLUMN", help="One layer per value of COLUMN (default: event_type).")
@click.option("--time", "time_column", metavar="COLUMN", help="Date column for the time slider (default: event_date).")
@click.option("--title", metavar="T", help="Title of the page.")
@click.option("--cdn", is_flag=True, help="Link Leaflet and the other assets from a CDN instead of inlining them.")
@click.option(
    "--claim",
    "claims",
    multiple=True,
    metavar="TEXT",
    help='A distance claim to check and draw, e.g. "Kati is less than 10 miles from Bamako" (repeatable).',
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    metavar="C",
    help="Reject rows geocoded by name with a confidence below C (default 0.5, from the calibration).",
)
@click.option(
    "--basemap", metavar="NAME", help="The base layer shown first: offline (default), osm, light or satellite."
)
@click.option(
    "--export",
    "export_path",
    metavar="FILE",
    help="Also write the mapped incidents to FILE.geojson, .gpkg or .parquet.",
)
@click.option(
    "--png", "png_path", metavar="FILE", help="Also save a PNG figure of the first view, without controls (Chromium)."
)
@click.option(
    "--filter-by",
    "filter_by",
    multiple=True,
    metavar="COLUMN",
    help="Offer a multi-select filter on COLUMN's values (repeatable), e.g. actor1.",
)
@click.option("--colors", "colors_path", metavar="FILE", help="Colours of values: JSON or CSV of value -> colour.")
@click.option("--size", "size", metavar="WxH", help="Size of the --png figure in CSS pixels (default 1280x800).")
@click.option(
    "--scale",
    type=click.FloatRange(0.5, 4.0),
    default=None,
    metavar="S",
    help="Pixels per CSS pixel of the --png figure (2 for print; default 1).",
)
@common_options
@click.pass_context
def map_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: str,
    layer_by: str | None,
    time_column: str | None,
    title: str | None,
    cdn: bool,
    claims: tuple[str, ...],
    min_confidence: float | None,
    basemap: str | None = None,
    export_path: str | None = None,
    png_path: str | None = None,
    filter_by: tuple[str, ...] = (),
    colors_path: str | None = None,
    size: str | None = None,
    scale: float | None = None,
    **options: Any,
) -> int:
    """Map incidents from CSV (ACLED exports recognised), GeoJSON or GeoPackage files.

    Rows without coordinates are geocoded from their place columns; rows
    without a valid point go to OUT.rejects.csv with the reason.
    """
    from ..mapjob import write_map

    settings = settings_from(ctx, options)
    written = write_map(
        inputs,
        output,
        layer_by=layer_by,
        time=time_column,
        title=title,
        cdn=cdn,
        claims=claims,
        min_confidence=min_confidence,
        basemap=basemap,
        export=export_path,
        png=png_path,
        filter_by=filter_by,
        colours=colors_path,
        size=size,
        scale=scale,
        session=settings.session(),
    )
    for note in written.notes:
        warn(note)
    summary = written.to_dict()
    if settings.json:
        emit(summary, as_json=True)
    else:
        for item in summary["claims"]:
            say(f"claim {item['verdict']}: {shorten(item['text'])} - {item['explanation']}")
        say(_summary_line(summary))
        for key, what in (("export", "the mapped incidents"), ("png", "the first view")):
            if key in summary:
                say(f"wrote {summary[key]}: {what}")
    return EXIT_OK


def _summary_line(summary: dict) -> str:
    drawn = "as hexagons" if summary.get("hexagons") else f"in {counted(summary['layers'], 'layer')}"
    line = f"wrote {summary['output']}: {counted(summary['incidents'], 'incident')} {drawn}; "
    if summary["rejected"]:
        kinds = ", ".join(f"{count} {kind}" for kind, count in summary["rejected_by_reason"].items())
        return line + f"{counted(summary['rejected'], 'row')} rejected: {kinds} (see {summary['rejects_path']})"
    return line + "no rows rejected"
