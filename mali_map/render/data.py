"""Incidents as the page needs them: one compact JSON blob per category layer.

Each layer's blob is columnar: ``{"lon": [...], "lat": [...], "props": {column: values}}``,
where ``values`` is a plain list (null where missing) or, for columns that repeat a few
strings (event types, actors, towns), ``{"dict": [distinct strings], "codes": [index or -1]}``.
For 50,000 ACLED rows this is about half the size of a GeoJSON FeatureCollection (which
repeats every property name and most values per row) and it is built column by column,
without a Python object per row. The page's script reads it back (``MaliMap.properties``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadInput
from .colours import colour_of
from .popups import INTEGER_FIELDS, popup_fields
from .style import MAX_CATEGORIES, OTHER_COLOUR

#: Category given to rows whose layer column is empty.
NOT_RECORDED = "Not recorded"
#: Property holding the day number (days since 1970-01-01) used by the time slider.
DAY_PROPERTY = "_day"
_DEFAULT_LAYER_BY = "event_type"
_DEFAULT_TIME = "event_date"
_COORD_DECIMALS = 5  # about 1 m
#: Columns the page's search box reads besides the popup's (places below the region).
SEARCH_EXTRA = ("admin2", "admin3")
#: Most values a --filter-by column lists (the most frequent); the rest are reached by search.
MAX_FILTER_VALUES = 1000
#: Colour of the one layer of a table without categories.
SINGLE_COLOUR = "#d55e00"


@dataclass(frozen=True)
class PointTable:
    """Incidents as a pandas table without geometry and one point per row (``lon``, ``lat``, in
    EPSG:4326): all a map needs of a GeoDataFrame, for a caller that holds its points already.

    An article's map is built from one (:meth:`mali_map.article.Article.map`): a command that
    draws a few dozen places need not import geopandas, shapely and pyproj for them.
    """

    frame: Any  # pandas.DataFrame
    lon: Sequence[float]
    lat: Sequence[float]

    def __post_init__(self) -> None:
        if not len(self.lon) == len(self.lat) == len(self.frame):
            raise ValueError(f"{len(self.frame)} rows but {len(self.lon)} lon and {len(self.lat)} lat values")

    @property
    def columns(self) -> Any:
        """The table's columns (as a GeoDataFrame's, less its geometry): the map's source line reads them."""
        return self.frame.columns


@dataclass(frozen=True)
class IncidentLayerData:
    """One category: its name (raw text, escaped later), colour, size and columnar data."""

    name: str
    colour: str
    count: int
    blob: dict  # {"lon": [...], "lat": [...], "props": {column: list | {"dict": [...], "codes": [...]}}}


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
    #: days whose dates are known only to the month or year, with that text ({day: "2011"}):
    #: the time slider and the title show "2011", not a first of January nobody wrote
    day_labels: dict[int, str] = field(default_factory=dict)
    #: (column, [[value, count], ...] most frequent first) of each --filter-by column
    filters: tuple[tuple[str, list], ...] = ()
    #: every column the page carries per incident
    carried: tuple[str, ...] = ()
    #: the largest fatalities count (None: no fatalities column)
    max_fatalities: int | None = None
    #: the incidents' own places, most incidents first: {"name", "lat", "lon"} lists (map labels)
    places: dict = field(default_factory=lambda: {"name": [], "lat": [], "lon": []})


#: Columns the search box reads, in this order, when the page carries them.
SEARCH_COLUMNS = (
    "location",
    "admin1",
    "admin2",
    "admin3",
    "actor1",
    "actor2",
    "event_type",
    "sub_event_type",
    "notes",
    "source",
)


def search_columns(data: IncidentData) -> list[str]:
    """The columns of ``data`` the search box reads (place, actors, type, notes; the date apart)."""
    carried = set(data.carried)
    return [c for c in SEARCH_COLUMNS if c in carried]


def incident_data(
    incidents: Any,
    *,
    layer_by: str | None = None,
    time: str | None = None,
    filter_by: tuple[str, ...] | list[str] = (),
    colours: dict[str, str] | None = None,
) -> IncidentData:
    """Group ``incidents`` (a GeoDataFrame, or a :class:`PointTable`) into category layers.

    ``layer_by`` defaults to ``event_type`` when that column exists (else one layer);
    ``time`` defaults to ``event_date`` when it exists. ``filter_by``: columns the page
    offers as multi-select filters (their values travel with the incidents). ``colours``:
    value -> colour overriding the fixed and hashed ones (:mod:`.colours`). Naming a
    missing column is :class:`BadInput`. Rows without a usable point are left out.
    """
    import numpy as np

    table, lon, lat = _points_only(incidents)
    table = _with_geo_precision(table)
    geometry_name = None if isinstance(incidents, PointTable) else table.geometry.name
    columns = [str(c) for c in table.columns if c != geometry_name]
    layer_by = _choose_column(layer_by, _DEFAULT_LAYER_BY, columns, "--layer-by")
    time_column = _choose_column(time, _DEFAULT_TIME, columns, "--time")
    fields = popup_fields(columns, time_column)
    filter_columns = [_choose_column(name, name, columns, "--filter-by") for name in dict.fromkeys(filter_by)]
    carried = [name for name, _ in fields]
    carried += [c for c in (*SEARCH_EXTRA, *filter_columns) if c and c in columns and c not in carried]

    lon = np.round(np.asarray(lon, dtype=float), _COORD_DECIMALS)
    lat = np.round(np.asarray(lat, dtype=float), _COORD_DECIMALS)
    columns_out = {name: _clean(table[name], name) for name in carried}
    days = _day_numbers(table[time_column]) if time_column else None
    if days is not None:
        columns_out[DAY_PROPERTY] = days
        if time is not None and len(table) and days.isna().all():
            raise BadInput(f"--time: column {time_column!r} holds no dates (e.g. {_first_value(table[time_column])!r})")

    categories = _categories(table[layer_by]) if layer_by else [None] * len(table)
    layers = []
    for index, (name, rows) in enumerate(_group(categories)):
        picked = np.asarray(rows, dtype=np.int64)
        layers.append(
            IncidentLayerData(
                name=name if name is not None else "Incidents",
                colour=_colour(name, index, colours),
                count=len(rows),
                blob={
                    "lon": lon[picked].tolist(),
                    "lat": lat[picked].tolist(),
                    "props": {key: _encode(column.iloc[picked]) for key, column in columns_out.items()},
                },
            )
        )

    lat, lon = lat.tolist(), lon.tolist()
    known_days = days.dropna() if days is not None else None
    day_range = (int(known_days.min()), int(known_days.max())) if known_days is not None and len(known_days) else None
    bounds = ((min(lat), min(lon)), (max(lat), max(lon))) if lat else None
    return IncidentData(
        layers=tuple(layers),
        layer_by=layer_by,
        time_column=time_column if day_range else None,
        fields=tuple(fields),
        count=len(lat),
        day_range=day_range,
        bounds=bounds,
        day_labels=_day_labels(table[time_column], days) if day_range else {},
        filters=tuple((c, _value_counts(columns_out[c])) for c in filter_columns if c),
        max_fatalities=_max_int(columns_out.get("fatalities")),
        carried=tuple(columns_out),
        places=_places(columns_out.get("location"), lat, lon),
    )


#: Most incident places named on the map (the most incidents first).
MAX_PLACE_LABELS = 2000


def _places(names: Any, lat: list, lon: list) -> dict:
    """Distinct (place, point) pairs of the incidents, most incidents first."""
    import pandas as pd

    out: dict[str, list] = {"name": [], "lat": [], "lon": []}
    if names is None:
        return out
    counts: dict[tuple[str, float, float], int] = {}
    for name, y, x in zip(names.tolist(), lat, lon):
        if pd.isna(name) or not str(name).strip():
            continue
        key = (str(name), round(y, 3), round(x, 3))
        counts[key] = counts.get(key, 0) + 1
    for (name, y, x), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_PLACE_LABELS]:
        out["name"].append(name)
        out["lat"].append(y)
        out["lon"].append(x)
    return out


def _colour(name: str | None, index: int, colours: dict[str, str] | None) -> str:
    """A layer's colour, fixed by its value (never by its rank): see :mod:`.colours`."""
    if name is None:
        return SINGLE_COLOUR
    if name.startswith("Other (") and name.endswith(" kinds)") and index == MAX_CATEGORIES - 1:
        return OTHER_COLOUR
    return colour_of(name, colours)


def _value_counts(column: Any) -> list:
    """``[[value, count], ...]`` of a filter column, most frequent first (ties by value)."""
    counts = column.dropna().astype(str).value_counts()
    pairs = sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda p: (-p[1], p[0]))
    return [list(p) for p in pairs[:MAX_FILTER_VALUES]]


def _max_int(column: Any) -> int | None:
    if column is None:
        return None
    known = column.dropna()
    return int(known.max()) if len(known) else 0


#: The loader's precision words -> ACLED's geo_precision codes, which the page styles by.
#: A point geocoded from a place name is drawn as an approximate area.
_PRECISION_CODES = {"exact": 1, "near": 2, "region": 3, "approximate": 3}


def _with_geo_precision(table: Any) -> Any:
    """Fill ``geo_precision`` from the ``precision`` words where a row has no code (geocoded rows)."""
    if "precision" not in table.columns:
        return table
    import pandas as pd

    words = table["precision"].astype("string").str.lower().map(_PRECISION_CODES)
    codes = pd.to_numeric(table["geo_precision"], errors="coerce") if "geo_precision" in table.columns else None
    table = table.copy()
    table["geo_precision"] = words if codes is None else codes.where(codes.notna(), words)
    return table


def _points_only(incidents: Any) -> tuple[Any, Any, Any]:
    """(table, lon, lat) of the rows with a point, in EPSG:4326 (other shapes stand in by a point
    inside them). A :class:`PointTable` is taken as it is: every row has its point."""
    if isinstance(incidents, PointTable):
        return incidents.frame, incidents.lon, incidents.lat
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
    return table, table.geometry.x.to_numpy(dtype=float), table.geometry.y.to_numpy(dtype=float)


def _choose_column(asked: str | None, default: str, columns: list[str], option: str) -> str | None:
    if asked is None:
        return default if default in columns else None
    if asked not in columns:
        known = ", ".join(columns[:20]) or "none"
        raise BadInput(f"{option}: no column {asked!r} in the incidents (columns: {known})")
    return asked


def _first_value(column: Any) -> str:
    known = column.dropna()
    return str(known.iloc[0])[:40] if len(known) else ""


def _clean(column: Any, name: str) -> Any:
    """One column as a pandas Series of JSON-ready values (strings, ints, floats), NA where missing."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(column):
        return _date_strings(column)
    if name in INTEGER_FIELDS:
        numbers = pd.to_numeric(column, errors="coerce").astype(float)
        # "1e400" or 10**23 has no Int64: shown as missing rather than failing the whole map
        numbers = numbers.where(numbers.abs() < 2.0**53)
        return numbers.round().astype("Int64")
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return column
    text = column.astype("string").str.strip()
    return text.mask(text == "")


def _encode(column: Any) -> list | dict:
    """A column of one layer as a JSON list, or as a dictionary of its strings when they repeat."""
    import pandas as pd

    if pd.api.types.is_string_dtype(column) or column.dtype == object:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        if len(uniques) * 3 <= len(column):
            return {"dict": [str(u) for u in uniques], "codes": codes.tolist()}
        return [None if v is pd.NA or v is None or v != v else str(v) for v in column.tolist()]
    if pd.api.types.is_integer_dtype(column):  # nullable Int64
        return [None if v is pd.NA else int(v) for v in column.astype(object).tolist()]
    if pd.api.types.is_bool_dtype(column):
        return [None if v is pd.NA else bool(v) for v in column.astype(object).tolist()]
    values = pd.to_numeric(column, errors="coerce").astype(float).round(6).tolist()
    return [None if v != v else (int(v) if v.is_integer() else v) for v in values]


def _as_datetimes(column: Any) -> Any:
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(column):
        times = column
    else:
        times = pd.to_datetime(column, errors="coerce", format="mixed")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    return times


def _date_strings(column: Any) -> Any:
    times = _as_datetimes(column)
    known = times.dropna()
    has_time = bool((known != known.dt.normalize()).any())
    return times.dt.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d").astype("string")


def _day_labels(column: Any, days: Any) -> dict[int, str]:
    """The days all of whose dates are written only to the year or month ("2011", "2012-03"),
    with that text; a day that also has a full date, or two texts, keeps its full date.

    Only text columns can hold such dates (a datetime column is exact to the day), and the
    work is done on the distinct (text, day) pairs, not per row.
    """
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(column):
        return {}
    pairs = pd.DataFrame({"text": column.astype("string").str.strip(), "day": days}).dropna().drop_duplicates()
    parts = pairs["text"].str.extract(r"^(\d{4})(?:-(\d{1,2}))?$")
    labels: dict[int, str] = {}
    full: set[int] = set()
    for day, year, month in zip(pairs["day"].tolist(), parts[0].tolist(), parts[1].tolist()):
        if pd.isna(year):
            full.add(day)
            continue
        text = year if pd.isna(month) else f"{year}-{int(month):02d}"
        if labels.setdefault(day, text) != text:
            full.add(day)
    return {int(day): text for day, text in labels.items() if day not in full}


def _day_numbers(column: Any) -> Any:
    """Whole days since 1970-01-01 as nullable integers (NA where the date is missing or unreadable)."""
    import pandas as pd

    times = _as_datetimes(column)
    epoch = pd.Timestamp("1970-01-01")
    return ((times.dt.floor("D") - epoch).dt.days).astype("Int64")


def _categories(column: Any) -> list[str]:

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
    head, tail = ordered[: MAX_CATEGORIES - 1], ordered[MAX_CATEGORIES - 1 :]
    merged = sorted(i for _, indices in tail for i in indices)
    return head + [(f"Other ({len(tail)} kinds)", merged)]
