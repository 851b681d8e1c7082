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
- A row geocoded by name is rejected, with the candidate found, when that
  candidate lies outside the row's country (or the run's ``--only``), or when
  its confidence is below ``min_confidence``: a doubtful point on a map is
  read as a fact. The reason names the region the row expected and the one
  found. Regions before and after a reform are one region (Talataye under Gao);
  an exact name in the row's country, in a neighbouring region close to the one
  named, is kept with a lowered confidence (:mod:`.regions`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import BadInput, MaliMapError
from ..places import Place, check_latlon
from .columns import FIELD_NAMES, Layout, header_key, recognise
from .geocoding import BatchGeocoder, geocode_queries, queries_for
from .readers import RawTable, read_table
from .regions import NEIGHBOUR_CONFIDENCE, exact_name, is_close_neighbour, mismatch_words, named_region
from .values import GEOCODED_PRECISION, is_blank, parse_coordinate, parse_date, parse_fatalities, precision_word

#: Columns every incidents table has, in this order, before the input's own columns.
COLUMNS = (
    "event_date",
    "event_type",
    "location",
    "notes",
    "fatalities",
    "precision",
    "source",
    "geocoded_from",
    "geocode_confidence",
    "input_file",
    "input_row",
)
#: Columns of the rejects table, before the input's own columns.
REJECT_COLUMNS = ("input_file", "input_row", "reason")
_SHOW_ROWS = 5
#: How a reject's reason begins, by kind (for the counts a run prints).
NOT_FOUND, OUTSIDE, LOW_CONFIDENCE = "place not found", "outside its country", "below --min-confidence"


def reject_kind(reason: str) -> str:
    """The kind of a reject's reason: one of the three geocoding kinds, else ``"invalid coordinates"``."""
    for kind in (NOT_FOUND, OUTSIDE, LOW_CONFIDENCE):
        if reason.startswith(kind):
            return kind
    return "invalid coordinates"


def _default_min_confidence() -> float:
    from ..gazetteer.calibration import MIN_CONFIDENCE

    return MIN_CONFIDENCE


@dataclass(frozen=True)
class LoadedIncidents:
    """What :func:`load_incidents_with_rejects` found.

    ``incidents``: a GeoDataFrame of points in EPSG:4326 with :data:`COLUMNS`
    then the inputs' own columns. ``rejects``: a DataFrame with
    :data:`REJECT_COLUMNS` then the rejected rows' own columns, as text.
    ``notes``: one line each about what was read in an unexpected way.

    It unpacks as the pair ``incidents, rejects = load_incidents_with_rejects(path)``.
    """

    incidents: Any
    rejects: Any
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.incidents, self.rejects))


def load_incidents_with_rejects(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    country: str | None = None,
    gazetteer: BatchGeocoder | None = None,
    min_confidence: float | None = None,
) -> LoadedIncidents:
    """Read incident files (CSV, ACLED CSV, GeoJSON, GeoPackage) into one table.

    Rows without coordinates are geocoded from their place columns with
    ``gazetteer.lookup_many`` (or :func:`mali_map.api.geocode_many`), using
    ``country`` as the focus and the row's own country column as a constraint.
    Answers below ``min_confidence`` (default: the calibration's
    :data:`~mali_map.gazetteer.calibration.MIN_CONFIDENCE`) are rejected with
    the candidate found. Raises :class:`~mali_map.errors.BadInput` for a
    file that is missing, empty, binary or has no usable columns.
    """
    if min_confidence is None:
        min_confidence = _default_min_confidence()
    if not 0.0 <= min_confidence <= 1.0:
        raise BadInput(f"min_confidence {min_confidence!r} is outside 0..1")
    import geopandas
    import pandas as pd

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    frames, reject_frames, notes = [], [], []
    for path in paths:
        good, rejected, file_notes = _load_one(
            read_table(path), country=country, gazetteer=gazetteer, min_confidence=min_confidence
        )
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
    country: str | None = None,
    gazetteer: BatchGeocoder | None = None,
    min_confidence: float | None = None,
) -> Any:
    """Read incident files into a GeoDataFrame of points (EPSG:4326).

    As :func:`load_incidents_with_rejects`, but returns the incidents only; when
    rows were rejected a ``UserWarning`` says how many, so none vanish unseen.

    >>> gdf = load_incidents("examples/kati-incidents.csv")       # doctest: +SKIP
    >>> gdf[["event_date", "location", "event_type"]].head(1)     # doctest: +SKIP
    """
    import warnings

    loaded = load_incidents_with_rejects(paths, country=country, gazetteer=gazetteer, min_confidence=min_confidence)
    if len(loaded.rejects):
        warnings.warn(
            f"{len(loaded.rejects)} rows rejected (no valid point); "
            "load_incidents_with_rejects() returns them with their reasons",
            UserWarning,
            stacklevel=2,
        )
    return loaded.incidents


# -- one file -----------------------------------------------------------------------------


def _load_one(
    table: RawTable, *, country: str | None, gazetteer: BatchGeocoder | None, min_confidence: float
) -> tuple[Any, Any, list[str]]:
    import geopandas

    frame, lats, lons, rejects, notes = load_columns(
        table, country=country, gazetteer=gazetteer, min_confidence=min_confidence
    )
    gdf = geopandas.GeoDataFrame(frame, geometry=geopandas.points_from_xy(lons, lats), crs="EPSG:4326")
    return gdf, rejects, notes


def load_columns(
    table: RawTable, *, country: str | None, gazetteer: BatchGeocoder | None, min_confidence: float
) -> tuple[Any, list[float], list[float], Any, list[str]]:
    """One table's incidents as :func:`_load_one` loads them, with their points as two lists
    ``(frame, latitudes, longitudes, rejects, notes)`` instead of a geometry column: a caller
    that only counts points (the hexagon map of a million rows) skips making a shapely point each."""
    import pandas as pd

    layout = recognise(table.frame.columns)
    if table.kind == "csv" and not layout.has_coordinates and not layout.has_place:
        columns = ", ".join(map(str, table.frame.columns))
        raise BadInput(
            "no coordinate columns (latitude, longitude) and no place column (location, place); "
            f"columns are: {columns}",
            where=table.path,
        )
    # Column by column (lists), not row dicts: 50,000 rows x 30 columns of dicts cost seconds.
    blank = [None] * len(table.frame)
    cells = {
        field: (table.frame[column].tolist() if column else blank)
        for field, column in ((f, layout.source_of.get(f)) for f in FIELD_NAMES)
    }
    points, reasons, requests, point_notes = _points(table, cells)
    geocoded: dict[int, tuple[str, float]] = {}
    if requests:
        found, refused, geocoded = _geocode(
            requests, cells, country=country, gazetteer=gazetteer, min_confidence=min_confidence
        )
        for i, point in found.items():  # rows without a point until now
            points[i] = point
        for i, reason in refused.items():
            reasons[i] = reason

    good = [i for i, point in enumerate(points) if point is not None]
    bad = [i for i, reason in enumerate(reasons) if reason is not None]
    frame, value_notes = _canonical(table, cells, good, geocoded)
    notes = [*table.notes, *point_notes, *value_notes]
    own = table.frame.iloc[good].reset_index(drop=True)
    replaced = _replaced_columns(layout)
    own = own.drop(columns=[c for c in own.columns if c in replaced])
    frame = pd.concat([frame, own], axis=1)
    lats = [point[0] for point in points if point is not None]  # the rows of ``good``, in order
    lons = [point[1] for point in points if point is not None]
    return frame, lats, lons, _rejects(table, bad, reasons), notes


def _replaced_columns(layout: Layout) -> set[str]:
    """Input columns the canonical ones replace: coordinates, and each field's source column.

    ACLED's numeric ``geo_precision`` stays beside our ``precision`` word: it is
    a code readers of ACLED data know, not the same value.
    """
    replaced = {c for f, c in layout.source_of.items() if f in COLUMNS or f in ("latitude", "longitude")}
    precision = layout.source_of.get("precision")
    if precision is not None and header_key(precision) != "precision":
        replaced.discard(precision)
    return replaced | set(COLUMNS)


def _points(
    table: RawTable, cells: dict[str, list]
) -> tuple[list[tuple[float, float] | None], list[str | None], dict[int, tuple[str, ...]], list[str]]:
    """Each row's point, or the reason it has none, or the queries that may find one; and a note
    naming the rows whose ``0, 0`` was read as missing."""
    count = len(table.rows)
    points, unusual = _plain_points(table, cells)
    reasons: list[str | None] = [None] * count
    requests: dict[int, tuple[str, ...]] = {}
    zeros = []
    for i in unusual:
        try:
            lat, lon = _raw_point(table, cells, i)
        except ValueError as error:
            reasons[i] = str(error)
            continue
        if lat == 0 and lon == 0:
            zeros.append(table.rows[i])
            lat = lon = None
        if lat is None or lon is None:  # both or neither (_raw_point)
            place = cells["location"][i]
            if is_blank(place):
                reasons[i] = "no coordinates and no place name"
            else:
                requests[i] = queries_for(str(place), cells["admin1"][i], cells["country"][i])
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
    notes = [f"{table.path}: {_count(zeros)} with coordinates 0, 0 read as missing{_rows(zeros)}"] if zeros else []
    return points, reasons, requests, notes


def _plain_points(table: RawTable, cells: dict[str, list]) -> tuple[list[tuple[float, float] | None], list[int]]:
    """The points of the plain rows, whose coordinates are text ``float()`` reads, finite, in range and
    not ``0, 0`` (None for the others), and the other rows, to be read one by one by :func:`_points`.

    A plain row gets the point :func:`_raw_point` and :func:`~mali_map.places.check_latlon` would give it
    (``float`` is what :func:`~.values.parse_coordinate` tries first on text); done column-wise, the
    million rows of a large map skip a Python loop over every row.
    """
    count = len(table.rows)
    if table.kind != "csv" or table.point_lat is not None or count == 0:
        return [None] * count, list(range(count))
    import numpy as np

    lat, lon = _text_floats(cells["latitude"]), _text_floats(cells["longitude"])
    with np.errstate(invalid="ignore"):
        plain = (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0) & ((lat != 0) | (lon != 0))
    points: list[tuple[float, float] | None] = list(zip(lat.tolist(), lon.tolist()))
    unusual = np.flatnonzero(~plain).tolist()
    for i in unusual:
        points[i] = None
    return points, unusual


def _text_floats(values: list) -> Any:
    """``float(value)`` of each cell of a CSV column (text, or None for a column the table lacks) as an
    array; NaN for a blank or anything else ``float`` refuses."""
    import numpy as np

    try:  # blanks are NaN; any other cell float() refuses sends the column the slow way
        return np.fromiter(map(float, [value or "nan" for value in values]), dtype=float, count=len(values))
    except (TypeError, ValueError):
        return np.fromiter(map(_text_float, values), dtype=float, count=len(values))


def _text_float(value: Any) -> float:
    """``float(value)`` of a text cell; NaN for anything else (blank, not a number, not text)."""
    if type(value) is str:
        try:
            return float(value)
        except ValueError:
            pass
    return float("nan")


def _raw_point(table: RawTable, cells: dict[str, list], i: int) -> tuple[float | None, float | None]:
    """The row's coordinates as numbers, ``(None, None)`` when it has none; ValueError says why not."""
    if table.point_lat is not None and table.point_lon is not None and table.point_lat[i] is not None:
        return table.point_lat[i], table.point_lon[i]
    values = []
    for field in ("latitude", "longitude"):
        try:
            values.append(parse_coordinate(cells[field][i]))
        except ValueError as error:
            raise ValueError(f"{field} is {error}") from None
    lat, lon = values
    if (lat is None) != (lon is None):
        given, missing = ("latitude", "longitude") if lon is None else ("longitude", "latitude")
        raise ValueError(f"{given} given without {missing}")
    return lat, lon


def _query_problem(place: str) -> str | None:
    from ..gazetteer.query import parse_query

    try:
        parse_query(place)
    except BadInput as error:
        return str(error)
    return None


def _geocode(
    requests: dict[int, tuple[str, ...]],
    cells: dict[str, list],
    *,
    country: str | None,
    gazetteer: BatchGeocoder | None,
    min_confidence: float,
) -> tuple[dict[int, tuple[float, float]], dict[int, str], dict[int, tuple[str, float]]]:
    """Points for the rows in ``requests``.

    Returns three maps by row: the point found, the reason a row has none, and
    the query that worked with its confidence (for the rows that got a point).
    """
    rows = list(requests)
    try:
        found = geocode_queries([requests[i] for i in rows], country=country, gazetteer=gazetteer)
    except MaliMapError as error:  # e.g. the online geocoder is down: reject, keep the rest
        found = [None] * len(rows)
        failure = f"; geocoder failed: {error}"
    else:
        failure = ""
    missing = [i for i, result in zip(rows, found) if result is None]
    elsewhere = _found_elsewhere(missing, cells, country=country, gazetteer=gazetteer) if not failure else {}
    points: dict[int, tuple[float, float]] = {}
    reasons: dict[int, str] = {}
    geocoded: dict[int, tuple[str, float]] = {}
    for i, result in zip(rows, found):
        name = str(cells["location"][i]).strip()
        if result is None:
            outside = elsewhere.get(i)
            if outside is not None:
                only = getattr(gazetteer, "only", None)
                allowed = " and ".join(
                    filter(None, (_row_country(cells, i), f"--only {','.join(only)}" if only else ""))
                )
                reasons[i] = (
                    f"{OUTSIDE}: place {name!r} was not found within {allowed}; the candidate found "
                    f"lies in {outside.country_code}: {_candidate(outside)}"
                )
            elif unreadable := _query_problem(name):  # an impossible offset is not a place "not found"
                reasons[i] = f"{NOT_FOUND}: no coordinates, and place {name!r} cannot be looked up: {unreadable}"
            else:
                reasons[i] = f"{NOT_FOUND}: no coordinates, and place {name!r} was not found{failure}"
            continue
        place, query = result
        confidence = float(place.confidence)
        if confidence < min_confidence:
            code = _country_code(_row_country(cells, i) or country)
            asked_region = cells["admin1"][i]
            if (
                place.region_mismatch
                and NEIGHBOUR_CONFIDENCE >= min_confidence
                and exact_name(place, name)
                and is_close_neighbour(place, code, named_region(code, asked_region))
            ):
                confidence = NEIGHBOUR_CONFIDENCE  # listed under the region next door: kept, less sure
            else:
                reasons[i] = (
                    f"{LOW_CONFIDENCE} {min_confidence:g}: {_candidate(place)}"
                    f"{mismatch_words(code, asked_region, place)}"
                )
                continue
        points[i] = (place.lat, place.lon)
        geocoded[i] = (query, confidence)
    return points, reasons, geocoded


def _country_code(text: str | None) -> str | None:
    if not text:
        return None
    from ..countries import country_code

    return country_code(text)  # None for a country spelled in a way we do not know: no region check


def _row_country(cells: dict[str, list], i: int) -> str:
    value = cells["country"][i]
    return "" if is_blank(value) else str(value).strip()


def _candidate(place: Place) -> str:
    where = ", ".join(p for p in (place.admin1, place.country_code) if p)
    return f"{place.name} ({where}) at {place.lat:.5f}, {place.lon:.5f}, confidence {place.confidence:.2f}"


def _found_elsewhere(
    rows: list[int], cells: dict[str, list], *, country: str | None, gazetteer: BatchGeocoder | None
) -> dict:
    """For rows not found under their constraints, the candidate the bare name finds without them.

    Only to say what was found and why it was refused; never a point on the map.
    """
    unconstrained = getattr(gazetteer, "unconstrained", None)
    if not rows or unconstrained is None:
        return {}
    from ..countries import country_code as country_code_for

    only = getattr(gazetteer, "only", None)
    names = sorted({str(cells["location"][i]).strip() for i in rows})
    places = dict(zip(names, unconstrained().lookup_many(names, country=country)))
    found = {}
    for i in rows:
        place = places.get(str(cells["location"][i]).strip())
        if place is None:
            continue
        if place.country_code != country_code_for(_row_country(cells, i)) or (only and place.country_code not in only):
            found[i] = place
    return found


def _canonical(
    table: RawTable, cells: dict[str, list], good: list[int], geocoded: dict[int, tuple[str, float]]
) -> tuple[Any, list[str]]:
    """The canonical columns of the rows kept (``good``), and notes naming the rows whose date or
    fatalities count could not be read."""
    import pandas as pd

    def column(field: str, parse: Callable[[Any], Any]) -> list:
        values = cells[field]
        return _each_distinct(parse, [values[i] for i in good])

    raw_dates = [cells["event_date"][i] for i in good]
    dates = _each_distinct(parse_date, raw_dates)
    raw_counts = [cells["fatalities"][i] for i in good]
    counts = _each_distinct(parse_fatalities, raw_counts)
    rows = [table.rows[i] for i in good]
    bad_dates = [r for r, d, raw in zip(rows, dates, raw_dates) if d is None and not is_blank(raw)]
    bad_counts = [r for r, c, raw in zip(rows, counts, raw_counts) if c is None and not is_blank(raw)]
    notes: list[str] = []
    if bad_dates:
        notes.append(f"{table.path}: {_count(bad_dates)} without a readable date, kept undated{_rows(bad_dates)}")
    if bad_counts:
        notes.append(
            f"{table.path}: {_count(bad_counts)} with an unreadable fatalities count, left blank{_rows(bad_counts)}"
        )

    found = [geocoded.get(i) for i in good]
    precision = column("precision", precision_word)
    frame = pd.DataFrame(
        {
            "event_date": pd.to_datetime(pd.Series(dates, dtype=object)),
            **{field: column(field, _text) for field in ("event_type", "location", "notes")},
            # float64 with NaN, as pandas reads a count with gaps: nullable Int64 trips
            # code that tests `value != value` (pd.NA has no truth value).
            "fatalities": pd.Series([float("nan") if c is None else float(c) for c in counts], dtype=float),
            "precision": [GEOCODED_PRECISION if g else p for g, p in zip(found, precision)],
            "source": column("source", _text),
            "geocoded_from": [g[0] if g else None for g in found],
            "geocode_confidence": pd.Series([g[1] if g else float("nan") for g in found], dtype=float),
            "input_file": [table.path] * len(good),
            "input_row": pd.Series(rows, dtype=int),
        }
    )
    return frame, notes


def _text(value: Any) -> str | None:
    return None if is_blank(value) else str(value).strip()


def _each_distinct(parse: Callable[[Any], Any], values: list) -> list:
    """``[parse(v) for v in values]``, parsing each distinct value once (dates and counts repeat)."""
    try:
        # the first of equal values is kept, as the loop below keeps it; the lookups run in C
        memo = {value: parse(value) for value in set(values)} if len(values) > 64 else None
    except TypeError:  # unhashable, e.g. a list from a GeoJSON property
        memo = None
    if memo is not None:
        return list(map(memo.__getitem__, values))
    memo = {}
    out = []
    for value in values:
        try:
            result = memo[value]
        except KeyError:
            result = memo[value] = parse(value)
        except TypeError:  # unhashable, e.g. a list from a GeoJSON property
            result = parse(value)
        out.append(result)
    return out


def _rejects(table: RawTable, bad: list[int], reasons: list[str | None]) -> Any:
    import pandas as pd

    records = table.frame.iloc[bad].to_dict("records")
    rows = [
        {
            "input_file": table.path,
            "input_row": table.rows[i],
            "reason": reasons[i],
            **_as_text(_with_point(table, i, record)),
        }
        for i, record in zip(bad, records)
    ]
    rows += [
        {"input_file": table.path, "input_row": row, "reason": reason, **_as_text(values)}
        for row, values, reason in table.broken
    ]
    rows.sort(key=lambda r: r["input_row"])
    frame = pd.DataFrame(rows, columns=list(REJECT_COLUMNS) + _own_columns(table, rows))
    return frame.astype({"input_row": int}) if len(frame) else frame


def _with_point(table: RawTable, i: int, record: dict) -> dict:
    """A geographic row's own point goes with it into the rejects, so nothing is lost."""
    if table.point_lat is None or table.point_lon is None or table.point_lat[i] is None:
        return record
    return {**record, "feature_latitude": table.point_lat[i], "feature_longitude": table.point_lon[i]}


def _own_columns(table: RawTable, rows: list[dict]) -> list[str]:
    columns = [str(c) for c in table.frame.columns]
    extra = sorted({k for r in rows for k in r} - set(columns) - set(REJECT_COLUMNS))
    return columns + extra


def _as_text(record: dict) -> dict:
    return {str(k): ("" if is_blank(v) else str(v)) for k, v in record.items()}


def _count(rows: Sequence[int]) -> str:
    return "1 row" if len(rows) == 1 else f"{len(rows)} rows"


def _rows(rows: Sequence[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:_SHOW_ROWS])
    more = f" and {len(rows) - _SHOW_ROWS} more" if len(rows) > _SHOW_ROWS else ""
    return f" ({'row' if len(rows) == 1 else 'rows'} {shown}{more})"
