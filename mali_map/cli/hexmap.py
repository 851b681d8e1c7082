"""``mali-map map`` past a point count: the table read in pieces and drawn as hexagons.

A CSV input of more than :data:`~mali_map.render.hexbin.POINT_LIMIT` rows is
loaded one piece at a time (:mod:`mali_map.incidents.chunks`: rows without
coordinates geocoded, rejects kept with their reason) and counted into H3 cells
(:mod:`mali_map.render.hexbin`), so a million rows take a bounded amount of memory
and make a page a browser can open. Other formats, and smaller tables, take the
usual path of every point.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import BadInput

CSV_SUFFIXES = (".csv", ".tsv")


def is_large(inputs: Sequence[str]) -> bool:
    """Whether the inputs are CSV tables with more rows in all than a page of points holds."""
    from ..incidents.chunks import count_lines
    from ..render.hexbin import POINT_LIMIT

    if not inputs or not all(Path(p).suffix.lower() in CSV_SUFFIXES and Path(p).is_file() for p in inputs):
        return False
    total = 0
    for path in inputs:
        total += count_lines(path, stop_after=POINT_LIMIT + 1)
        if total > POINT_LIMIT + 1:
            return True
    return False


def hexagon_map(
    inputs: Sequence[str],
    *,
    country: str | None,
    gazetteer,
    min_confidence: float | None,
    layer_by: str | None,
    time_column: str | None,
    title: str | None,
    refused: dict[str, object],
):
    """``(page html, incidents mapped, rejects frame, notes)``; ``refused`` options are bad input here."""
    import pandas as pd

    from ..gazetteer.calibration import MIN_CONFIDENCE
    from ..incidents.chunks import load_in_pieces
    from ..incidents.columns import resolve_column
    from ..render.hexbin import HexCounts, add_frame, hexagon_page

    for option, value in refused.items():
        if value:
            raise BadInput(f"{option} is not available for a map of hexagons (a large table): use mali-map batch")
    counts = HexCounts()
    rejects, notes, mapped = [], [], 0
    layer = time = ""
    for path in inputs:
        for incidents, rejected, piece_notes in load_in_pieces(
            path, country=country, gazetteer=gazetteer, min_confidence=min_confidence or MIN_CONFIDENCE
        ):
            columns = list(incidents.columns)
            if not layer:
                layer = resolve_column(layer_by, columns) if layer_by else "event_type"
                time = resolve_column(time_column, columns) if time_column else "event_date"
            add_frame(counts, incidents, layer_by=layer, time=time)
            mapped += len(incidents)
            if len(rejected):
                rejects.append(rejected)
            notes += piece_notes
    page = hexagon_page(counts, title=title or f"{mapped:,} incidents")
    return page, mapped, (pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame()), notes


def write_hexagon_map(
    inputs, out, rejects_path, settings, min_confidence, layer_by, time_column, title, refused
) -> int:
    """The ``map`` command's run for a large table: the page of hexagons, the rejects, the summary."""
    import click

    from ..fileio import remove_if_exists
    from ..spreadsheet import safe_csv
    from .map import _by_reason, _LazyGazetteer, _summary_line, _write
    from .output import EXIT_OK, emit, warn

    page, mapped, rejects, notes = hexagon_map(
        inputs,
        country=settings.country,
        gazetteer=_LazyGazetteer(settings),
        min_confidence=min_confidence,
        layer_by=layer_by,
        time_column=time_column,
        title=title,
        refused=refused,
    )
    for note in notes:
        warn(note)
    if not mapped:
        _write(rejects_path, safe_csv(rejects))
        raise BadInput(f"no incidents to map: all {len(rejects)} rows rejected (see {rejects_path})")
    _write(out, page)
    if len(rejects):
        _write(rejects_path, safe_csv(rejects))
    else:
        remove_if_exists(rejects_path)
    summary = {
        "output": str(out),
        "incidents": mapped,
        "layers": 0,
        "hexagons": True,
        "rejected": len(rejects),
        "rejected_by_reason": _by_reason(rejects) if len(rejects) else {},
        "rejects_path": str(rejects_path) if len(rejects) else None,
        "claims": [],
    }
    if settings.json:
        emit(summary, as_json=True)
    else:
        click.echo(_summary_line(summary).replace(" in 0 layers", " as hexagons"), err=True)
    return EXIT_OK
