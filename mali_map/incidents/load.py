"""From input files to one table of incidents, and the rows we could not map.

The steps, per file: read the table (:mod:`.readers`), recognise what its
columns mean (:mod:`.columns`), take each row's point from its geometry or
coordinate columns, geocode the rows that only name a place
(:mod:`.geocoding`), and set apart the rows that have no valid point, each
with its reason. Cell values are read by :mod:`.values`.

Decisions, so that nothing is lost silently:

- A row with an unreadable date is kept with ``event_date`` missing (NaT); a note
  names its rows. Its place and story are still worth mapping.
- An unreadable fatalities count becomes missing, never 0; a note names the rows.
- Coordinates ``0, 0`` are a placeholder, not a place in the Gulf of Guinea:
  they count as missing, and the row is geocoded from its place if it has one.
- A row with coordinates out of range or not numbers, half a coordinate pair,
  or no coordinates and a place we cannot find is rejected with its reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..errors import BadInput, MaliMapError
from ..places import check_latlon
from .columns import Layout, header_key, recognise
from .geocoding import BatchGeocoder, geocode_queries, queries_for
from .readers import RawTable, read_table
from .values import GEOCODED_PRECISION, is_blank, parse_coordinate, parse_date, parse_fatalities, precision_word

#: Columns every incidents table has, in this order, before the input's own columns.
COLUMNS = (
    "event_date", "event_type", "location", "notes", "fatalities", "precision", "source",
    "geocoded_from", "geocode_confidence", "input_file", "input_row",
)
#: Columns of the rejects table, before the input's own columns.
REJECT_COLUMNS = ("input_file", "input_row", "reason")
_TEXT_FIELDS = ("event_type", "location", "notes", "source")
_SHOW_ROWS = 5


@dataclass(frozen=True)
class LoadedIncidents:
    """What :func:`load_incidents_with_rejects` found.

    ``incidents``: a GeoDataFrame of points in EPSG:4326 with :data:`COLUMNS`
    then the inputs' own columns. ``rejects``: a DataFrame with
    :data:`REJECT_COLUMNS` then the rejected rows' own columns, as text.
    ``notes``: one line each about what was read in an unexpected way.
    """

    incidents: Any
    rejects: Any
    notes: tuple[str, ...] = ()


def load_incidents_with_rejects(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    country: str | None = "ML",
    gazetteer: BatchGeocoder | None = None,
) -> LoadedIncidents:
    """Read incident files (CSV, ACLED CSV, GeoJSON, GeoPackage) into one table.

    Rows without coordinates are geocoded from their place columns with
    ``gazetteer.lookup_many`` (or :func:`mali_map.api.geocode_many`), using
    ``country`` as the focus. Raises :class:`~mali_map.errors.BadInput` for a
    file that is missing, empty, binary or has no usable columns.
    """
    import geopandas
    import pandas as pd

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    frames, reject_frames, notes = [], [], []
    for path in paths:
        good, rejected, file_notes = _load_one(read_table(path), country=country, gazetteer=gazetteer)
        frames.append(good)
        reject_frames.append(rejected)
        notes.extend(file_notes)
    if not frames:
        raise BadInput("no input files")
    incidents = geopandas.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    rejects = pd.concat(reject_frames, ignore_index=True)
    return LoadedIncidents(incidents, rejects, tuple(notes))


def load_incidents(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    country: str | None = "ML",
    gazetteer: BatchGeocoder | None = None,
):
    """Read incident files into a GeoDataFrame of points (EPSG:4326).

    As :func:`load_incidents_with_rejects`, but returns the incidents only; when
    rows were rejected a ``UserWarning`` says how many, so none vanish unseen.

    >>> gdf = load_incidents("examples/kati-incidents.csv")   # doctest: +SKIP
    >>> gdf[["event_date", "location", "event_type"]].head(1)             # doctest: +SKIP
    """
    import warnings

    loaded = load_incidents_with_rejects(paths, country=country, gazetteer=gazetteer)
    if len(loaded.rejects):
        warnings.warn(
            f"{len(loaded.rejects)} rows rejected (no valid point); "
            "load_incidents_with_rejects() returns them with their reasons",
            UserWarning, stacklevel=2,
        )
    return loaded.incidents


# -- one file -----------------------------------------------------------------------------


def _load_one(table: RawTable, *, country: str | None, gazetteer: BatchGeocoder | None):
    import geopandas
    import pandas as pd

    layout = recognise(table.frame.columns)
    if table.kind == "csv" and not layout.has_coordinates and not layout.has_place:
        columns = ", ".join(map(str, table.frame.columns))
        raise BadInput(
            "no coordinate columns (latitude, longitude) and no place column (location, place); "
            f"columns are: {columns}", where=table.path)
    notes = list(table.notes)
    records = table.frame.to_dict("records")
    points, reasons, requests = _points(table, layout, records, notes)
    if requests:
        _geocode(requests, records, layout, points, reasons, country=country, gazetteer=gazetteer)

    good = [i for i, point in enumerate(points) if point is not None]
    bad = [i for i, reason in enumerate(reasons) if reason is not None]
    frame = _canonical(table, layout, records, good, points, notes)
    own = table.frame.iloc[good].reset_index(drop=True)
    replaced = _replaced_columns(layout)
    own = own.drop(columns=[c for c in own.columns if c in replaced])
    frame = pd.concat([frame, own], axis=1)
    lats = [points[i][0] for i in good]
    lons = [points[i][1] for i in good]
    gdf = geopandas.GeoDataFrame(frame, geometry=geopandas.points_from_xy(lons, lats), crs="EPSG:4326")
    return gdf, _rejects(table, records, bad, reasons), notes


def _replaced_columns(layout: Layout) -> set[str]:
    """Input columns the canonical ones replace: coordinates, and each field's source column.

    ACLED's numeric ``geo_precision`` stays beside our ``precision`` word: it is
    a code readers of ACLED data know, not the same value.
    """
    replaced = {c for f, c in layout.source_of.items()
                if f in COLUMNS or f in ("latitude", "longitude")}
    precision = layout.source_of.get("precision")
    if precision is not None and header_key(precision) != "precision":
        replaced.discard(precision)
    return replaced | set(COLUMNS)


def _points(table: RawTable, layout: Layout, records: list[dict], notes: list[str]):
    """Each row's point, or the reason it has none, or the queries that may find one."""
    points: list[tuple[float, float] | None] = [None] * len(records)
    reasons: list[str | None] = [None] * len(records)
    requests: dict[int, tuple[str, ...]] = {}
    zeros = []
    for i, record in enumerate(records):
        try:
            lat, lon = _raw_point(table, layout, i, record)
        except ValueError as error:
            reasons[i] = str(error)
            continue
        if lat == 0 and lon == 0:
            zeros.append(table.rows[i])
            lat = lon = None
        if lat is None:
            place = record.get(layout.source_of.get("location"))
            if is_blank(place):
                reasons[i] = "no coordinates and no place name"
            else:
                requests[i] = queries_for(str(place), record.get(layout.source_of.get("admin1")),
                                          record.get(layout.source_of.get("country")))
            continue
        if lat != lat or lon != lon:
            reasons[i] = f"{'latitude' if lat != lat else 'longitude'} is NaN"
            continue
        try:
            check_latlon(lat, lon)
        except BadInput as error:
            reasons[i] = error.message
            continue
        points[i] = (lat, lon)
    if zeros:
        notes.append(f"{table.path}: {_count(zeros)} with coordinates 0, 0 read as missing{_rows(zeros)}")
    return points, reasons, requests


def _raw_point(table: RawTable, layout: Layout, i: int, record: dict) -> tuple[float | None, float | None]:
    """The row's coordinates as numbers, ``(None, None)`` when it has none; ValueError says why not."""
    if table.point_lat is not None and table.point_lat[i] is not None:
        return table.point_lat[i], table.point_lon[i]
    if not layout.has_coordinates:
        return None, None
    values = []
    for field in ("latitude", "longitude"):
        try:
            values.append(parse_coordinate(record.get(layout.source_of[field])))
        except ValueError as error:
            raise ValueError(f"{field} is {error}") from None
    lat, lon = values
    if (lat is None) != (lon is None):
        given, missing = ("latitude", "longitude") if lon is None else ("longitude", "latitude")
        raise ValueError(f"{given} given without {missing}")
    return lat, lon


def _geocode(requests, records, layout, points, reasons, *, country, gazetteer) -> None:
    rows = list(requests)
    try:
        found = geocode_queries([requests[i] for i in rows], country=country, gazetteer=gazetteer)
    except MaliMapError as error:  # e.g. the online geocoder is down: reject, keep the rest
        found = [None] * len(rows)
        failure = f"; geocoder failed: {error}"
    else:
        failure = ""
    for i, result in zip(rows, found):
        if result is None:
            place = str(records[i].get(layout.source_of["location"])).strip()
            reasons[i] = f"no coordinates, and place {place!r} was not found{failure}"
            continue
        place, query = result
        points[i] = (place.lat, place.lon)
        records[i]["__geocoded__"] = (query, place.confidence)


def _canonical(table: RawTable, layout: Layout, records: list[dict], good: list[int],
               points, notes: list[str]):
    import pandas as pd

    def cell(i: int, field: str):
        column = layout.source_of.get(field)
        return None if column is None else records[i].get(column)

    columns: dict[str, list] = {name: [] for name in COLUMNS}
    bad_dates, bad_counts = [], []
    for i in good:
        row = table.rows[i]
        raw_date = cell(i, "event_date")
        date = parse_date(raw_date)
        if date is None and not is_blank(raw_date):
            bad_dates.append(row)
        raw_count = cell(i, "fatalities")
        count = parse_fatalities(raw_count)
        if count is None and not is_blank(raw_count):
            bad_counts.append(row)
        geocoded = records[i].get("__geocoded__")
        columns["event_date"].append(date)
        for field in _TEXT_FIELDS:
            value = cell(i, field)
            columns[field].append(None if is_blank(value) else str(value).strip())
        columns["fatalities"].append(count)
        columns["precision"].append(GEOCODED_PRECISION if geocoded else precision_word(cell(i, "precision")))
        columns["geocoded_from"].append(geocoded[0] if geocoded else None)
        columns["geocode_confidence"].append(float(geocoded[1]) if geocoded else float("nan"))
        columns["input_file"].append(table.path)
        columns["input_row"].append(row)
    if bad_dates:
        notes.append(f"{table.path}: {_count(bad_dates)} without a readable date, kept undated{_rows(bad_dates)}")
    if bad_counts:
        notes.append(f"{table.path}: {_count(bad_counts)} with an unreadable fatalities count, "
                     f"left blank{_rows(bad_counts)}")
    frame = pd.DataFrame(columns)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    # float64 with NaN, as pandas reads a count column with gaps: nullable Int64 trips
    # code that tests `value != value` (pd.NA has no truth value).
    frame["fatalities"] = frame["fatalities"].astype(float)
    frame["geocode_confidence"] = frame["geocode_confidence"].astype(float)
    frame["input_row"] = frame["input_row"].astype(int)
    return frame


def _rejects(table: RawTable, records: list[dict], bad: list[int], reasons: list[str | None]):
    import pandas as pd

    rows = [
        {"input_file": table.path, "input_row": table.rows[i], "reason": reasons[i],
         **_as_text(_with_point(table, i, records[i]))}
        for i in bad
    ]
    rows += [{"input_file": table.path, "input_row": row, "reason": reason, **_as_text(values)}
             for row, values, reason in table.broken]
    rows.sort(key=lambda r: r["input_row"])
    frame = pd.DataFrame(rows, columns=list(REJECT_COLUMNS) + _own_columns(table, rows))
    return frame.astype({"input_row": int}) if len(frame) else frame


def _with_point(table: RawTable, i: int, record: dict) -> dict:
    """A geographic row's own point goes with it into the rejects, so nothing is lost."""
    if table.point_lat is None or table.point_lat[i] is None:
        return record
    return {**record, "feature_latitude": table.point_lat[i], "feature_longitude": table.point_lon[i]}


def _own_columns(table: RawTable, rows: list[dict]) -> list[str]:
    columns = [str(c) for c in table.frame.columns]
    extra = sorted({k for r in rows for k in r} - set(columns) - set(REJECT_COLUMNS))
    return columns + extra


def _as_text(record: dict) -> dict:
    return {str(k): ("" if is_blank(v) else str(v)) for k, v in record.items() if not str(k).startswith("__")}


def _count(rows: Sequence[int]) -> str:
    return "1 row" if len(rows) == 1 else f"{len(rows)} rows"


def _rows(rows: Sequence[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:_SHOW_ROWS])
    more = f" and {len(rows) - _SHOW_ROWS} more" if len(rows) > _SHOW_ROWS else ""
    return f" ({'row' if len(rows) == 1 else 'rows'} {shown}{more})"
