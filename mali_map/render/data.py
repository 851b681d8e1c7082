"""Incidents as the page needs them: one GeoJSON collection per category layer.

The GeoDataFrame is turned into plain, JSON-ready values column by column (fast for
50,000 rows), then into features grouped by the ``layer_by`` column. Values that are
missing are left out of a feature's properties, which keeps big maps small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import BadInput
from .popups import INTEGER_FIELDS, popup_fields
from .style import MAX_CATEGORIES, colour_for

#: Category given to rows whose layer column is empty.
NOT_RECORDED = "Not recorded"
#: Property holding the day number (days since 1970-01-01) used by the time slider.
DAY_PROPERTY = "_day"
_DEFAULT_LAYER_BY = "event_type"
_DEFAULT_TIME = "event_date"
_COORD_DECIMALS = 5  # about 1 m


@dataclass(frozen=True)
class IncidentLayerData:
    """One category: its name (raw text, escaped later), colour, size and features."""

    name: str
    colour: str
    count: int
    collection: dict


@dataclass(frozen=True)
class IncidentData:
    """Everything the map draws from the incident table."""

    layers: tuple[IncidentLayerData, ...]
    layer_by: str | None
    time_column: str | None
    fields: tuple[tuple[str, str], ...]
    count: int
    day_range: tuple[int, int] | None
    bounds: tuple[tuple[float, float], tuple[float, float]] | None  # ((south, west), (north, east))


def incident_data(incidents: Any, *, layer_by: str | None = None, time: str | None = None) -> IncidentData:
    """Group ``incidents`` (a GeoDataFrame in EPSG:4326) into category layers.

    ``layer_by`` defaults to ``event_type`` when that column exists (else one layer);
    ``time`` defaults to ``event_date`` when it exists. Naming a missing column is
    :class:`BadInput`. Rows without a usable point are left out.
    """
    import numpy as np

    table = _points_only(incidents)
    columns = [str(c) for c in table.columns if c != table.geometry.name]
    layer_by = _choose_column(layer_by, _DEFAULT_LAYER_BY, columns, "--layer-by")
    time_column = _choose_column(time, _DEFAULT_TIME, columns, "--time")
    fields = popup_fields(columns, time_column)

    lon = np.round(table.geometry.x.to_numpy(dtype=float), _COORD_DECIMALS).tolist()
    lat = np.round(table.geometry.y.to_numpy(dtype=float), _COORD_DECIMALS).tolist()
    values = {name: _json_values(table[name], name) for name, _ in fields}
    days = _day_numbers(table[time_column]) if time_column else None
    if days is not None:
        values[DAY_PROPERTY] = days

    categories = _categories(table[layer_by]) if layer_by else [None] * len(table)
    groups = _group(categories)
    layers = []
    for index, (name, rows) in enumerate(groups):
        features = [_feature(lon[i], lat[i], {k: v[i] for k, v in values.items() if v[i] is not None}) for i in rows]
        layers.append(IncidentLayerData(
            name=name if name is not None else "Incidents",
            colour=colour_for(index),
            count=len(rows),
            collection={"type": "FeatureCollection", "features": features},
        ))

    known_days = [d for d in (days or ()) if d is not None]
    bounds = ((min(lat), min(lon)), (max(lat), max(lon))) if lat else None
    return IncidentData(
        layers=tuple(layers),
        layer_by=layer_by,
        time_column=time_column if known_days else None,
        fields=tuple(fields),
        count=len(lat),
        day_range=(min(known_days), max(known_days)) if known_days else None,
        bounds=bounds,
    )


def _points_only(incidents: Any):
    """The rows with a point, in EPSG:4326 (other shapes stand in by a point inside them)."""
    geometry = getattr(incidents, "geometry", None)
    if geometry is None:
        raise BadInput("incidents must be a GeoDataFrame with a geometry column")
    table = incidents
    if table.crs is not None and table.crs.to_epsg() != 4326:
        table = table.to_crs(4326)
    geometry = table.geometry
    keep = geometry.notna() & ~geometry.is_empty
    table = table[keep]
    if len(table) and not (table.geometry.geom_type == "Point").all():
        table = table.copy()
        table.geometry = table.geometry.representative_point()
    return table


def _choose_column(asked: str | None, default: str, columns: list[str], option: str) -> str | None:
    if asked is None:
        return default if default in columns else None
    if asked not in columns:
        known = ", ".join(columns[:20]) or "none"
        raise BadInput(f"{option}: no column {asked!r} in the incidents (columns: {known})")
    return asked


def _json_values(column, name: str) -> list:
    """One column as JSON-ready Python values, None where missing."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(column):
        return _date_strings(column)
    if name in INTEGER_FIELDS:
        numbers = pd.to_numeric(column, errors="coerce")
        return [None if n != n else int(n) for n in numbers.tolist()]
    if pd.api.types.is_bool_dtype(column):
        return [bool(v) for v in column.tolist()]
    if pd.api.types.is_numeric_dtype(column):
        return [None if v != v else (int(v) if float(v).is_integer() else round(float(v), 6))
                for v in column.astype(float).tolist()]
    out = []
    for value in column.astype(object).tolist():
        if value is None or (isinstance(value, float) and value != value):
            out.append(None)
        else:
            text = str(value).strip()
            out.append(text or None)
    return out


def _as_datetimes(column):
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(column):
        times = column
    else:
        times = pd.to_datetime(column, errors="coerce", format="mixed")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    return times


def _date_strings(column) -> list:
    times = _as_datetimes(column)
    has_time = bool((times.dropna() != times.dropna().dt.normalize()).any())
    text = times.dt.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
    return [None if t != t else t for t in text.astype(object).tolist()]


def _day_numbers(column) -> list:
    """Whole days since 1970-01-01 (None where the date is missing or unreadable)."""
    import numpy as np

    times = _as_datetimes(column)
    days = times.dt.floor("D").to_numpy(dtype="datetime64[D]")
    mask = np.isnat(days)
    numbers = days.astype("int64")
    return [None if missing else int(n) for n, missing in zip(numbers.tolist(), mask.tolist())]


def _categories(column) -> list[str]:
    out = []
    for value in column.astype(object).tolist():
        if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
            out.append(NOT_RECORDED)
        else:
            out.append(str(value).strip())
    return out


def _group(categories: list) -> list[tuple[str | None, list[int]]]:
    """Row indices per category, most frequent first (ties by name); a long tail folds into 'Other'."""
    rows: dict = {}
    for i, name in enumerate(categories):
        rows.setdefault(name, []).append(i)
    ordered = sorted(rows.items(), key=lambda item: (-len(item[1]), str(item[0])))
    if len(ordered) <= MAX_CATEGORIES:
        return ordered
    head, tail = ordered[: MAX_CATEGORIES - 1], ordered[MAX_CATEGORIES - 1:]
    merged = sorted(i for _, indices in tail for i in indices)
    return head + [(f"Other ({len(tail)} kinds)", merged)]


def _feature(lon: float, lat: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}
