"""Reading an input file into a table of its own columns, whatever its format.

:func:`read_table` looks at the bytes, not the file name: a GeoPackage starts
with the SQLite header, GeoJSON with ``{``, anything else that decodes as text
is CSV. A file that is missing, empty, binary, or holds no rows fails with one
:class:`~mali_map.errors.BadInput` line naming the file. Rows are numbered as
the user would find them: the physical line of a CSV record (quoted notes may
span lines), the 1-based feature number of GeoJSON and GeoPackage layers.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..csvrecords import check_unique_header, csv_records, text_lines
from ..errors import BadInput
from ..fileio import decode_text, read_bytes

SQLITE_HEADER = b"SQLite format 3\x00"
#: the most columns an incident table may have (ACLED exports have about 30)
MAX_COLUMNS = 1000
_DELIMITERS = (",", ";", "\t", "|")
FORMATS_HINT = "expected CSV, GeoJSON or GeoPackage"
#: why a row with a quote that never closes is rejected (the rows after it are still read)
STRAY_QUOTE = 'unbalanced quote: a value opens with " and never closes (the lines after it are read as rows)'


@dataclass
class RawTable:
    """One input as read: its columns untouched, plus where each row came from.

    ``frame`` holds the file's own columns (text for CSV, typed for GeoJSON
    and GeoPackage properties). For geographic formats ``point_lat`` and
    ``point_lon`` hold each feature's point (``None`` when it has none);
    for CSV they are ``None`` and coordinates come from columns. ``broken``
    lists rows that could not even be split into columns:
    ``(row number, values by column, reason)``.
    """

    path: str
    kind: str
    frame: Any
    rows: list[int]
    point_lat: list[float | None] | None = None
    point_lon: list[float | None] | None = None
    broken: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_table(path: str | os.PathLike[str]) -> RawTable:
    """Read ``path`` (CSV, GeoJSON or GeoPackage) into a :class:`RawTable`."""
    where = str(path)
    data = read_bytes(path, where=where, binary_hint=FORMATS_HINT)
    if data.startswith(SQLITE_HEADER):
        return _read_geopackage(Path(path), where)
    text, notes = _decode(data, where)
    del data  # the text is all that is needed now: one copy of the file in memory, not two
    if text.lstrip()[:1] in ("{", "["):
        table = _read_geojson(Path(path), text, where)
    else:
        table = _read_csv(text, where)
    table.notes[:0] = notes
    return table


def _decode(data: bytes, where: str) -> tuple[str, list[str]]:
    """Text by the rule every reader shares (:func:`mali_map.fileio.decode_text`)."""
    return decode_text(data, where=where, binary_hint=FORMATS_HINT)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _read_csv(text: str, where: str) -> RawTable:
    import pandas as pd

    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    broken: list[tuple[int, dict[str, Any], str]] = []
    literal_rows: list[int] = []  # rows with a stray quote, kept with the quote read as a character
    shared = _SharedValues()
    known, learning = shared.known, True  # after the first rows, values are only looked up (inlined: hot loop)
    for record in csv_records(text_lines(text), _delimiter(first_line)):
        fields, start = record.fields, record.start_line
        if record.error:
            broken.append((start, {}, f"unreadable CSV row: {record.error}"))
            continue
        if not any(fields):  # a blank line
            continue
        if header is None:
            if len(fields) > MAX_COLUMNS:  # 100,000 columns took 12 s and 400 MB to map 5 rows
                raise BadInput(f"{len(fields):,} columns; at most {MAX_COLUMNS:,} are read", where=f"{where}:{start}")
            check_unique_header(fields, where=f"{where}:{start}")
            header = _unique([f.strip() for f in fields])
            continue
        if record.stray_quote and len(fields) != len(header):
            broken.append((start, dict(zip(header, fields)), STRAY_QUOTE))
            continue
        if record.stray_quote:
            literal_rows.append(start)
        if len(fields) > len(header):
            values = dict(zip(header, fields))
            broken.append((start, values, f"row has {len(fields)} fields, the header has {len(header)}"))
            continue
        fields += [""] * (len(header) - len(fields))
        records.append(shared(fields) if learning else [known(value, value) for value in fields])
        learning = learning and len(records) < _SharedValues.LEARN_ROWS
        rows.append(start)
    if header is None:
        raise BadInput("empty file", where=where)
    if not records and not broken:
        raise BadInput("no rows under the header", where=where)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    table = RawTable(where, "csv", frame, rows, broken=broken)
    if literal_rows:
        table.notes.append(
            f"{where}:{literal_rows[0]}: an unbalanced quote read as a plain character "
            f"({len(literal_rows)} row{'s' * (len(literal_rows) > 1)}); check the values"
        )
    return table


class _SharedValues:
    """One string object per repeated cell value ("Battles", "Koulikoro", a date).

    Incident tables repeat a few values in most columns; sharing them cuts the memory of a large table
    by about a quarter. The values of the first :attr:`LEARN_ROWS` rows are learnt; later rows only look
    them up (a dictionary lookup per cell, done in C), so the table of values never grows with the file.
    """

    LEARN_ROWS = 2000

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}
        self._rows = 0

    def __call__(self, fields: list[str]) -> list[str]:
        if self._rows < self.LEARN_ROWS:
            self._rows += 1
            learn = self._seen.setdefault
            return [learn(value, value) for value in fields]
        return [self.known(value, value) for value in fields]

    def known(self, value: str, default: str) -> str:
        """The shared object for ``value`` if it was learnt, else ``default``."""
        return self._seen.get(value, default)


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for number, name in enumerate(headers, start=1):
        name = name or f"column_{number}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _read_geojson(path: Path, text: str, where: str) -> RawTable:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"invalid JSON: {error.msg}", where=f"{where}:{error.lineno}") from None
    except RecursionError:  # [[[[...]]]] thousands deep
        raise BadInput("JSON nested too deeply", where=where) from None
    kind = document.get("type") if isinstance(document, dict) else None
    if kind not in ("FeatureCollection", "Feature"):
        raise BadInput("JSON but not a GeoJSON Feature or FeatureCollection", where=where)
    if kind == "FeatureCollection" and not document.get("features"):
        raise BadInput("no features in the FeatureCollection", where=where)
    return _from_geodataframe(_read_with_geopandas(path, where), where, "geojson")


def _read_geopackage(path: Path, where: str) -> RawTable:
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as error:  # pyogrio raises its own DataSourceError family
        raise BadInput(f"unreadable GeoPackage: {_first_line(error)}", where=where) from None
    if len(layers) == 0:
        raise BadInput("no layers in the GeoPackage", where=where)
    layer = str(layers[0][0])
    table = _from_geodataframe(_read_with_geopandas(path, where, layer=layer), where, "gpkg")
    if len(layers) > 1:
        table.notes.append(f"{where}: read layer {layer!r}, the first of {len(layers)}")
    return table


def _read_with_geopandas(path: Path, where: str, **options: Any) -> Any:
    import geopandas

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyogrio warns about columns it leaves as text
            gdf = geopandas.read_file(path, **options)
    except Exception as error:
        raise BadInput(f"unreadable file: {_first_line(error)}", where=where) from None
    if len(gdf) == 0:
        raise BadInput("no features", where=where)
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        unprojectable = _unprojectable(gdf)
        gdf = gdf.to_crs("EPSG:4326")
        gdf.attrs["unprojectable"] = unprojectable
    return gdf


def _unprojectable(gdf: Any) -> dict[int, str]:
    """Features (by position) whose point cannot be expressed in longitude and latitude.

    A projection asked for a point far outside its area (``[1e30, 1e30]`` in UTM) returns
    infinities, or a clamped (90, -180) that would be mapped as if real. A point is kept only
    when it projects to finite, in-range degrees and back to where it was.
    """
    import numpy as np
    from pyproj import Transformer

    points = gdf.geometry.representative_point()
    present = ~(points.isna() | points.is_empty).to_numpy()
    x = np.where(present, points.x.to_numpy(dtype=float, na_value=np.nan), 0.0)
    y = np.where(present, points.y.to_numpy(dtype=float, na_value=np.nan), 0.0)
    forward = Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
    with np.errstate(all="ignore"):
        lon, lat = forward.transform(x, y, errcheck=False)
        x_back, y_back = forward.transform(lon, lat, direction="INVERSE", errcheck=False)
        tolerance = 1e-6 * np.maximum(1.0, np.maximum(np.abs(x), np.abs(y))) + 1.0
        good = (
            np.isfinite(lon)
            & np.isfinite(lat)
            & (np.abs(lat) <= 90)
            & (np.abs(lon) <= 180)
            & (np.abs(x_back - x) <= tolerance)
            & (np.abs(y_back - y) <= tolerance)
        )
    code = gdf.crs.to_string()
    return {
        int(i): f"coordinates ({x[i]:.6g}, {y[i]:.6g}) cannot be projected from {code} to longitude and latitude"
        for i in np.flatnonzero(present & ~good)
    }


def _from_geodataframe(gdf: Any, where: str, kind: str) -> RawTable:
    """Split features into their properties and one point each."""
    lats: list[float | None] = []
    lons: list[float | None] = []
    areas = 0
    for geometry in gdf.geometry:
        if geometry is None or geometry.is_empty:
            lats.append(None)
            lons.append(None)
            continue
        if geometry.geom_type != "Point":
            areas += 1
            geometry = geometry.representative_point()
        lats.append(geometry.y)
        lons.append(geometry.x)
    frame = gdf.drop(columns=gdf.geometry.name).reset_index(drop=True)
    frame = frame.astype(object)
    unprojectable = gdf.attrs.get("unprojectable") or {}
    broken = []
    if unprojectable:  # rejected with their reason, not mapped at a clamped corner of the world
        keep = [i for i in range(len(frame)) if i not in unprojectable]
        broken = [(i + 1, frame.iloc[i].to_dict(), reason) for i, reason in sorted(unprojectable.items())]
        frame = frame.iloc[keep].reset_index(drop=True)
        lats, lons = [lats[i] for i in keep], [lons[i] for i in keep]
        rows_kept = [i + 1 for i in keep]
    else:
        rows_kept = None
    notes = []
    if areas:
        what = "1 feature is a line or area" if areas == 1 else f"{areas} features are lines or areas"
        notes.append(f"{where}: {what}, mapped at a point inside")
    rows = rows_kept if rows_kept is not None else list(range(1, len(frame) + 1))
    return RawTable(where, kind, frame, rows, point_lat=lats, point_lon=lons, notes=notes, broken=broken)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
