"""``mali-map map INPUT... -o OUT.html``: incident files to one interactive map.

The command reads the inputs (:func:`mali_map.incidents.load_incidents_with_rejects`),
checks any ``--claim``, builds the page (:mod:`mali_map.render`) and writes it
atomically, so a run that fails leaves the previous map as it was. Rows without
a valid point go to ``OUT.rejects.csv`` (``outputs/kati.html`` ->
``outputs/kati.rejects.csv``) with their reason; a run without rejects deletes
a rejects file left by an earlier run, so the file always describes the map
beside it. When every row is rejected there is no map to make: the rejects
are written, the previous map is left alone, and the exit code is 2.

Exit codes: 0 when the map is written, even with rejected rows (counted on
stderr) and whatever the claims' verdicts (drawn on the map, listed on stderr
and in ``--json``); 2 for an input that is missing, empty, binary or has no
usable columns, a bad option, or a ``--claim`` with no claim in it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import BadInput
from .options import Settings, common_options, settings_from
from .output import EXIT_OK, counted, emit, shorten, warn

REJECTS_SUFFIX = ".rejects.csv"


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
@click.option("--png", "png_path", metavar="FILE", help="Also save a PNG of the first view (needs Chromium).")
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
    **options,
) -> int:
    """Map incidents from CSV (ACLED exports recognised), GeoJSON or GeoPackage files.

    Rows without coordinates are geocoded from their place columns; rows
    without a valid point go to OUT.rejects.csv with the reason.
    """
    from ..fileio import remove_if_exists
    from ..incidents import load_incidents_with_rejects
    from ..incidents.columns import resolve_column
    from ..spreadsheet import safe_csv

    settings = settings_from(ctx, options)
    out = _output_path(output)
    rejects_path = rejects_path_for(out)
    _check_outputs(out, rejects_path, inputs)  # before any work: nothing is written over an input
    _check_extras(basemap, export_path, png_path)  # a bad option fails fast
    results = _check_claims(claims, settings)  # first: a --claim without a claim fails fast

    from .hexmap import is_large, write_hexagon_map

    if is_large(inputs):  # past a point count: read in pieces, drawn as hexagons (cli/hexmap.py)
        return write_hexagon_map(
            inputs,
            out,
            rejects_path,
            settings,
            min_confidence,
            layer_by,
            time_column,
            title,
            {"--claim": claims, "--export": export_path, "--png": png_path, "--cdn": cdn},
        )
    loaded = load_incidents_with_rejects(
        inputs, country=settings.country, gazetteer=_LazyGazetteer(settings), min_confidence=min_confidence
    )
    for note in loaded.notes:
        warn(note)
    incidents, rejects = loaded.incidents, loaded.rejects
    if len(incidents) == 0:
        _write(rejects_path, safe_csv(rejects))
        raise BadInput(
            f"no incidents to map: all {len(rejects)} rows rejected (see {rejects_path})", where=", ".join(inputs)
        )

    columns = list(incidents.columns)
    from ..render import build_map, incident_layer_count, map_html

    page = build_map(
        incidents,
        claims=results,
        layer_by=resolve_column(layer_by, columns) if layer_by else None,
        time=resolve_column(time_column, columns) if time_column else None,
        title=title,
        **({"basemap": basemap} if basemap else {}),
    )
    _write(out, map_html(page, cdn=cdn))
    if len(rejects):
        _write(rejects_path, safe_csv(rejects))
    else:
        remove_if_exists(rejects_path)

    extras = _write_extras(incidents, out, export_path, png_path, page if cdn else None)
    layers = incident_layer_count(page)
    summary: dict[str, Any] = {
        "output": str(out),
        "incidents": len(incidents),
        "layers": layers,
        "rejected": len(rejects),
        "rejected_by_reason": _by_reason(rejects),
        "rejects_path": str(rejects_path) if len(rejects) else None,
        "claims": [result.to_dict() for result in results],
        **extras,
    }
    if settings.json:
        emit(summary, as_json=True)
    else:
        for item in summary["claims"]:
            click.echo(f"claim {item['verdict']}: {shorten(item['text'])} - {item['explanation']}", err=True)
        click.echo(_summary_line(summary), err=True)
        for key, what in (("export", "the mapped incidents"), ("png", "the first view")):
            if key in summary:
                click.echo(f"wrote {summary[key]}: {what}", err=True)
    return EXIT_OK


def _check_extras(basemap: str | None, export_path: str | None, png_path: str | None) -> None:
    """``--basemap``, ``--export`` and ``--png`` checked before the inputs are read."""
    if basemap:
        from ..render.basemap import basemap_name

        basemap_name(basemap)
    if export_path:
        from ..render.export import export_format

        export_format(export_path)
    if png_path:
        from ..render.snapshot import require_browser

        if Path(png_path).suffix.lower() != ".png":
            raise BadInput(f"--png: the picture's file name must end in .png, got {png_path!r}")
        require_browser()


def _write_extras(
    incidents: Any, page_path: Path, export_path: str | None, png_path: str | None, linked_page: Any = None
) -> dict:
    """The ``--export`` file and the ``--png`` picture; their paths for the summary (only those asked).

    The picture is taken offline: a page written with ``--cdn`` (``linked_page``) is
    photographed from a self-contained copy in a temporary folder.
    """
    written = {}
    if export_path:
        from ..render.export import export_incidents

        written["export"] = str(export_incidents(incidents, export_path))
    if png_path:
        import tempfile

        from ..render import map_html
        from ..render.snapshot import snapshot_png

        if linked_page is None:
            written["png"] = str(snapshot_png(page_path, png_path))
        else:
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / page_path.name
                copy.write_text(map_html(linked_page), encoding="utf-8")
                written["png"] = str(snapshot_png(copy, png_path))
    return written


def rejects_path_for(output: Path) -> Path:
    """Where the rejects of ``output`` go: ``kati.html`` -> ``kati.rejects.csv``."""
    if output.suffix.lower() in (".html", ".htm"):
        return output.with_suffix(REJECTS_SUFFIX)
    return output.with_name(output.name + REJECTS_SUFFIX)


def _output_path(output: str) -> Path:
    out = Path(output)
    if out.is_dir():
        raise BadInput("is a folder; give the page's file name, e.g. outputs/map.html", where=output)
    return out


def _check_outputs(out: Path, rejects_path: Path, inputs: Sequence[str]) -> None:
    """BadInput when an output would overwrite an input, or the rejects file's name is a folder."""
    for name, path in (("-o", out), ("the rejects file", rejects_path)):
        for given in inputs:
            if _same_file(path, Path(given)):
                raise BadInput(f"{name} {path} is the input file {given}; choose another output name")
    if rejects_path.is_dir():
        raise BadInput(f"the rejects file {rejects_path} is a folder; choose another -o name")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet
        return os.path.realpath(a) == os.path.realpath(b)


def _write(path: Path, text: str) -> None:
    """Write atomically, making the folder first (only once there is something to write).

    A write that fails (a full disk, a read-only folder) is one line naming the file, exit 2."""
    from ..errors import CannotWrite
    from ..fileio import atomic_write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
    except OSError as error:
        raise CannotWrite(f"{path}: cannot write: {error.strerror or error}") from None


def _check_claims(texts: Sequence[str], settings: Settings) -> list:
    """Every claim of every ``--claim`` text, checked with the run's gazetteer."""
    if not texts:
        return []
    from ..claims import ClaimChecker

    return ClaimChecker(settings.gazetteer(), country=settings.country).results_for(texts)


def _summary_line(summary: dict) -> str:
    line = (
        f"wrote {summary['output']}: {counted(summary['incidents'], 'incident')} "
        f"in {counted(summary['layers'], 'layer')}; "
    )
    if summary["rejected"]:
        kinds = ", ".join(f"{count} {kind}" for kind, count in summary["rejected_by_reason"].items())
        return line + f"{counted(summary['rejected'], 'row')} rejected: {kinds} (see {summary['rejects_path']})"
    return line + "no rows rejected"


def _by_reason(rejects) -> dict[str, int]:
    """How many rows were rejected for each kind of reason, most first."""
    from collections import Counter

    from ..incidents.load import reject_kind

    counts = Counter(reject_kind(str(reason)) for reason in rejects["reason"]) if len(rejects) else Counter()
    return dict(counts.most_common())


class _LazyGazetteer:
    """Opens the run's gazetteer only if some row needs geocoding (most ACLED files do not)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def lookup_many(self, queries: Sequence[str], *, country: str | None = None):
        return self.settings.gazetteer().lookup_many(queries, country=country)

    @property
    def only(self) -> tuple[str, ...]:
        return self.settings.only

    def unconstrained(self):
        gazetteer = self.settings.gazetteer()
        return gazetteer.unconstrained() if hasattr(gazetteer, "unconstrained") else gazetteer
