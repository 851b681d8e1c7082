"""A million incidents on one readable page: H3 hexagons whose size follows the zoom, points where few.

Past :data:`POINT_LIMIT` rows a page cannot hold every point (a browser stalls on
a million markers, and the page would weigh hundreds of MB). The incidents are
counted instead into H3 cells (the ``h3`` package) at several resolutions, per
event type and per month, with their fatalities, and the page draws the cells of
the resolution that suits the zoom, summing only the event types ticked and the
months inside the time slider's range. At the finest resolution, a cell holding
at most :data:`POINTS_PER_CELL` incidents carries its points, which replace the
hexagon once the reader zooms in that far; dense cells stay hexagons.

The table is read in Arrow batches (:class:`HexCounts` adds one batch at a time),
so memory stays bounded whatever the number of rows. The page's payload has a
budget (:data:`PAYLOAD_BUDGET_BYTES`): finer resolutions and points are added
while they fit, coarsest first.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Above this many incidents a map shows hexagons (below it, every point as usual).
POINT_LIMIT = 20_000
#: H3 resolutions drawn, coarsest first, with the zoom from which each is used.
RESOLUTIONS = ((2, 0), (3, 5), (4, 6), (5, 7), (6, 9))
#: A finest-resolution cell with at most this many incidents carries its points.
POINTS_PER_CELL = 30
#: The zoom from which sparse cells show their points.
POINT_ZOOM = 10
#: What the data in the page may weigh (the page itself adds Leaflet, ~150 kB, and outlines).
PAYLOAD_BUDGET_BYTES = 8_000_000
_COORD_SCALE = 10_000  # coordinates as integers of 1e-4 degree (about 11 m)
_KEYS = ["cell", "layer", "month"]


@dataclass
class HexCounts:
    """Incidents counted into H3 cells by event type and month, one batch at a time."""

    layers: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    _parts: list = field(default_factory=list)
    _points: list = field(default_factory=list)
    rows: int = 0

    def add(self, lat: Any, lon: Any, layer: Any, month: Any, fatalities: Any) -> None:
        """Add a batch: arrays of latitude, longitude, layer name, month (``YYYY-MM`` or ``""``), fatalities."""
        import numpy as np
        import pandas as pd

        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        keep = np.isfinite(lat) & np.isfinite(lon)
        lat, lon = lat[keep], lon[keep]
        finest = RESOLUTIONS[-1][0]
        frame = pd.DataFrame(
            {
                "lat": lat,
                "lon": lon,
                "layer": _codes(layer, keep, self.layers),
                "month": _codes(month, keep, self.months),
                "fatalities": pd.to_numeric(pd.Series(fatalities)[keep], errors="coerce").fillna(0).to_numpy(),
                "cell": _cells(lat, lon, finest),
            }
        )
        self.rows += len(frame)
        grouped = frame.groupby(_KEYS, sort=False, as_index=False).agg(
            count=("lat", "size"), fatalities=("fatalities", "sum")
        )
        self._parts.append(grouped)
        # points of cells sparse in this batch may be sparse overall: kept until the totals are known
        per_cell = frame.groupby("cell")["lat"].transform("size")
        self._points.append(frame[per_cell <= POINTS_PER_CELL])
        if len(self._parts) > 8:
            self._parts = [self._combined()]

    def _combined(self) -> Any:
        import pandas as pd

        parts = pd.concat(self._parts, ignore_index=True)
        return parts.groupby(_KEYS, sort=False, as_index=False)[["count", "fatalities"]].sum()

    def payload(self, budget_bytes: int = PAYLOAD_BUDGET_BYTES) -> dict:
        """The page's data: per resolution, cell outlines and ``[cell, layer, period, count, fatalities]``
        records; points of sparse finest cells; all within ``budget_bytes``.

        The time slider's step is the month when the data spans at most :data:`MAX_PERIODS` of them,
        else the quarter, else the year: a cell's records grow with the steps, and a slider of a
        hundred positions is no easier to read than one of ten.
        """
        import numpy as np
        import pandas as pd
        from h3.api.basic_int import cell_to_parent

        labels, period_of_month = _periods(self.months)
        levels: list[dict] = []
        used = 0
        totals = None
        if self._parts:
            fine = self._combined()
            fine["month"] = fine["month"].map(period_of_month)
            fine = fine.groupby(_KEYS, sort=True, as_index=False)[["count", "fatalities"]].sum()
            totals = fine.groupby("cell")["count"].sum()
            # each resolution summed from the next finer one's records (fewer rows than the finest's)
            tables = {RESOLUTIONS[-1][0]: fine}
            for (resolution, _), (finer, _) in zip(RESOLUTIONS[-2::-1], RESOLUTIONS[:0:-1]):
                table = tables[finer]
                parents = {c: cell_to_parent(c, resolution) for c in table["cell"].unique().tolist()}
                tables[resolution] = (
                    table.assign(cell=table["cell"].map(parents))
                    .groupby(_KEYS, sort=True, as_index=False)[["count", "fatalities"]]
                    .sum()
                )
            for resolution, zoom in RESOLUTIONS:
                level, size = _level(tables[resolution], resolution, zoom)
                if levels and used + size > budget_bytes:
                    break
                levels.append(level())
                used += size
        points: list = []
        finest_drawn = levels and levels[-1]["resolution"] == RESOLUTIONS[-1][0]
        if finest_drawn and totals is not None and self._points:
            sparse = set(totals.index[totals <= POINTS_PER_CELL])
            frame = pd.concat(self._points)
            frame = frame[frame["cell"].isin(sparse)].sort_values(["cell", "lat", "lon", "layer", "month"])
            cells = {int(c, 16): i for i, c in enumerate(levels[-1]["cells"])}
            rows = np.column_stack(
                [
                    np.round(frame["lat"].to_numpy() * _COORD_SCALE).astype(np.int64),
                    np.round(frame["lon"].to_numpy() * _COORD_SCALE).astype(np.int64),
                    frame["layer"].to_numpy(dtype=np.int64),
                    frame["month"].map(period_of_month).to_numpy(dtype=np.int64),
                    frame["fatalities"].to_numpy().round().astype(np.int64),
                    frame["cell"].map(cells).to_numpy(dtype=np.int64),
                ]
            )
            size = _json_size(rows)
            if used + size <= budget_bytes:
                points = rows.tolist()
                used += size
        return {
            "rows": self.rows,
            "layers": list(self.layers),
            "months": labels,
            "levels": levels,
            "points": points,
            "pointZoom": POINT_ZOOM,
            "pointsPerCell": POINTS_PER_CELL,
            "scale": _COORD_SCALE,
        }


def _cells(lat: Any, lon: Any, resolution: int) -> Any:
    """Each point's H3 cell as a 64-bit integer (grouped and sorted as numbers, in the order of their hex
    names), computed once per distinct point: incidents geocoded to a place share its coordinates."""
    import numpy as np
    import pandas as pd
    from h3.api.basic_int import latlng_to_cell

    found, distinct = pd.factorize(lat + 1j * lon)
    cells = np.fromiter(
        map(latlng_to_cell, distinct.real.tolist(), distinct.imag.tolist(), itertools.repeat(resolution)),
        dtype=np.int64,
        count=len(distinct),
    )
    return cells[found]


def _codes(values: Any, keep: Any, codes: dict[str, int]) -> Any:
    """Each kept value's number in ``codes`` by its text (``""`` for a missing value; a new text gets the
    next number, in order of first appearance)."""
    import numpy as np
    import pandas as pd

    series = pd.Series(values)[keep]
    if not _text_or_dates(series):  # numbers: 1 and True, 0.0 and -0.0 are equal values with two texts
        series = series.fillna("").astype(str)
    found, distinct = pd.factorize(series, use_na_sentinel=False)  # each distinct value turned into text once
    texts = pd.Series(distinct, dtype=object).fillna("").astype(str)
    numbers = np.array([codes.setdefault(text, len(codes)) for text in texts], dtype=np.int64)
    return numbers[found] if len(found) else np.zeros(0, dtype=np.int64)


def _text_or_dates(series: Any) -> bool:
    """Whether equal values of ``series`` always have one text: text, or dates and times."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
        return series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")
    return False


#: The most steps the time slider has before it counts quarters, then years.
MAX_PERIODS = 36


def _periods(months: dict[str, int]) -> tuple[list[str], dict[int, int]]:
    """The slider's steps (labels in order, undated last) and each month code's step."""
    dated = sorted(m for m in months if m)
    step = lambda m: m  # noqa: E731
    if len(dated) > MAX_PERIODS:
        step = lambda m: f"{m[:4]} Q{(int(m[5:7]) - 1) // 3 + 1}" if m[5:7].isdigit() else m[:4]  # noqa: E731
        if len({step(m) for m in dated}) > MAX_PERIODS:
            step = lambda m: m[:4]  # noqa: E731
    labels = sorted({step(m) for m in dated}) + ([""] if "" in months else [])
    index = {label: i for i, label in enumerate(labels)}
    return labels, {code: index[step(m) if m else ""] for m, code in months.items()}


def _json_size(rows: Any) -> int:
    """The length of ``json.dumps(rows.tolist(), separators=(",", ":"))`` for an integer matrix, counted."""
    import numpy as np

    if rows.size == 0:
        return 2
    digits = np.floor(np.log10(np.maximum(np.abs(rows), 1))).astype(np.int64) + 1 + (rows < 0)
    return int(digits.sum()) + rows.size - rows.shape[0] + 2 * rows.shape[0] + rows.shape[0] - 1 + 2


def _level(table: Any, resolution: int, zoom: int) -> tuple[Callable[[], dict], int]:
    """One resolution's cells (ids, outlines) and records, made when called, with their size in the page
    (a level over the budget is measured, not made)."""
    import numpy as np
    import pandas as pd
    from h3.api.basic_int import cell_to_boundary, int_to_str

    codes, cells = pd.factorize(table["cell"], sort=True)
    cells = cells.tolist()
    # six corners a cell (five for the twelve pentagons), as integers of 1e-4 degree
    ring_lists = [[round(v * _COORD_SCALE) for corner in cell_to_boundary(c) for v in corner] for c in cells]
    records = np.column_stack(
        [
            codes.astype(np.int64),
            table["layer"].to_numpy(dtype=np.int64),
            table["month"].to_numpy(dtype=np.int64),
            table["count"].to_numpy(dtype=np.int64),
            table["fatalities"].to_numpy().round().astype(np.int64),
        ]
    )
    size = _json_size(records) + sum(len(str(r)) for r in ring_lists) + 20 * len(cells)  # a little over

    def level() -> dict:
        return {
            "resolution": resolution,
            "zoom": zoom,
            "cells": [int_to_str(c) for c in cells],
            "outlines": ring_lists,
            "records": records.tolist(),
        }

    return level, size


# -- reading a table in batches ---------------------------------------------------------------------


def counts_from_parquet(path: str | Path, *, layer_by: str = "event_type", time: str = "event_date") -> HexCounts:
    """Count a GeoParquet/Parquet table with ``lat``/``lon`` columns, one Arrow batch at a time."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    names = set(file.schema_arrow.names)
    wanted = [c for c in ("lat", "lon", layer_by, time, "fatalities") if c in names]
    counts = HexCounts()
    for batch in file.iter_batches(batch_size=131_072, columns=wanted):
        add_frame(counts, batch.to_pandas(), layer_by=layer_by, time=time)
    return counts


def add_frame(
    counts: HexCounts,
    frame: Any,
    *,
    layer_by: str = "event_type",
    time: str = "event_date",
    points: tuple[Any, Any] | None = None,
) -> None:
    """Add a pandas frame (``lat``, ``lon`` or a point ``geometry``, unless ``points`` gives the rows'
    latitudes and longitudes; layer, date, fatalities columns)."""
    import pandas as pd

    if points is not None:
        lat, lon = (pd.Series(values, dtype=float) for values in points)
    elif "lat" in frame and "lon" in frame:
        lat, lon = frame["lat"], frame["lon"]
    else:
        lat, lon = frame.geometry.y, frame.geometry.x
    blank = pd.Series([""] * len(frame), index=frame.index)
    layer = frame[layer_by] if layer_by in frame else blank
    dates = _months(frame[time]) if time in frame else blank
    fatalities = frame["fatalities"] if "fatalities" in frame else pd.Series([0] * len(frame), index=frame.index)
    counts.add(lat.to_numpy(), lon.to_numpy(), layer.to_numpy(), dates.to_numpy(), fatalities.to_numpy())


def _months(dates: Any) -> Any:
    """``dates.astype("string").str.slice(0, 7)``, each distinct value sliced once (a million rows hold a
    few thousand dates)."""
    import pandas as pd

    if not _text_or_dates(dates):
        return dates.astype("string").str.slice(0, 7)
    found, distinct = pd.factorize(dates, use_na_sentinel=False)
    months = pd.Series(distinct).astype("string").str.slice(0, 7).to_numpy(dtype=object)
    return pd.Series(months[found] if len(found) else months[:0], index=dates.index, dtype=object)


def hexagon_page(counts: HexCounts, *, title: str) -> str:
    """The self-contained HTML page of hexagons (Leaflet inlined from its installed package)."""
    from html import escape

    from .assets import ASSETS, inline_css, inline_js
    from .basemap import outline_collection
    from .hexbin_page import PAGE_SCRIPT, PAGE_STYLE

    payload = counts.payload()
    bounds = _bounds(payload)
    outlines = outline_collection(bounds) if bounds else {"type": "FeatureCollection", "features": []}
    leaflet = {a.name: a for a in ASSETS}
    data = json.dumps({**payload, "bounds": bounds, "outlines": outlines}, separators=(",", ":"))
    data = data.replace("</", "<\\/")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'/>"
        f"<title>{escape(title)}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'/>"
        f"<style>{inline_css(leaflet['leaflet_css'])}</style><style>{PAGE_STYLE}</style>"
        f"<script>{inline_js(leaflet['leaflet_js'])}</script>"
        f"</head><body><div id='map'></div><div id='panel'><h1>{escape(title)}</h1>"
        "<div id='layers'></div><div id='time'></div><div id='status'></div></div>"
        f"<script>const HEX_DATA = {data};</script><script>{PAGE_SCRIPT}</script></body></html>\n"
    )


def _bounds(payload: dict) -> tuple[tuple[float, float], tuple[float, float]] | None:
    levels = payload["levels"]
    if not levels:
        return None
    scale = payload["scale"]
    lats = [v / scale for ring in levels[0]["outlines"] for v in ring[0::2]]
    lons = [v / scale for ring in levels[0]["outlines"] for v in ring[1::2]]
    return ((min(lats), min(lons)), (max(lats), max(lons)))


def write_summary_map(parquet_path: str | Path, out_html: str | Path, *, title: str) -> str:
    """The summary map of a merged ``incidents.parquet``: every point up to :data:`POINT_LIMIT`
    rows (the usual map), hexagons past it. Returns which (``"points"`` or ``"hexagons"``)."""
    import pyarrow.parquet as pq

    from ..fileio import atomic_write_text

    rows = pq.ParquetFile(parquet_path).metadata.num_rows
    if 0 < rows <= POINT_LIMIT:
        import geopandas

        from . import build_map, map_html

        frame = geopandas.read_parquet(parquet_path)
        frame = frame[frame.geometry.notna()]
        if len(frame):
            atomic_write_text(out_html, map_html(build_map(frame, title=title)))
            return "points"
    atomic_write_text(out_html, hexagon_page(counts_from_parquet(parquet_path), title=title))
    return "hexagons"
