"""A map past a point count (``mali-map map``, :func:`mali_map.write_map`): read in pieces, drawn as hexagons.

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
from typing import Any

from .errors import BadInput

CSV_SUFFIXES = (".csv", ".tsv")


def is_large(inputs: Sequence[str]) -> bool:
    """Whether the inputs are CSV tables with more rows in all than a page of points holds."""
    from .incidents.chunks import count_lines
    from .render.hexbin import POINT_LIMIT

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
    gazetteer: Any,
    min_confidence: float | None,
    layer_by: str | None,
    time_column: str | None,
    title: str | None,
    refused: dict[str, object],
) -> tuple[str, int, Any, list[str]]:
    """``(page html, incidents mapped, rejects frame, notes)``; ``refused`` options are bad input here."""
    import pandas as pd

    from .gazetteer.calibration import MIN_CONFIDENCE
    from .incidents.chunks import load_in_pieces
    from .incidents.columns import resolve_column
    from .render.hexbin import HexCounts, add_frame, hexagon_page

    for option, value in refused.items():
        if value:
            raise BadInput(f"{option} is not available for a map of hexagons (a large table): use mali-map batch")
    counts = HexCounts()
    rejects, notes, mapped = [], [], 0
    layer = time = ""
    for path in inputs:
        for incidents, lats, lons, rejected, piece_notes in load_in_pieces(
            path, country=country, gazetteer=gazetteer, min_confidence=min_confidence or MIN_CONFIDENCE
        ):
            columns = list(incidents.columns)
            if not layer:
                layer = resolve_column(layer_by, columns) if layer_by else "event_type"
                time = resolve_column(time_column, columns) if time_column else "event_date"
            add_frame(counts, incidents, layer_by=layer, time=time, points=(lats, lons))
            mapped += len(incidents)
            if len(rejected):
                rejects.append(rejected)
            notes += piece_notes
    page = hexagon_page(counts, title=title or f"{mapped:,} incidents")
    return page, mapped, (pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame()), notes
