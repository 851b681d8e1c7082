"""Reading an input file into a table of its own columns, whatever its format.

:func:`read_table` looks at the bytes, not the file name: a GeoPackage starts
with the SQLite header, GeoJSON with ``{``, anything else that decodes as text
is CSV. A file that is missing, empty, binary, or holds no rows fails with one
:class:`~mali_map.errors.BadInput` line naming the file. Rows are numbered as
the user would find them: the physical line of a CSV record (quoted notes may
span lines), the 1-based feature number of GeoJSON and GeoPackage layers.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..csvrecords import csv_records
from ..errors import BadInput
from ..fileio import decode_text

SQLITE_HEADER = b"SQLite format 3\x00"
_DELIMITERS = (",", ";", "\t", "|")
FORMATS_HINT = "expected CSV, GeoJSON or GeoPackage"
#: why a row with a quote that never closes is rejected (the rows after it are still read)
STRAY_QUOTE = "unbalanced quote: a value opens with \" and never closes (the lines after it are read as rows)"


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
    data = _read_bytes(Path(path), where)
    if data.startswith(SQLITE_HEADER):
        return _read_geopackage(Path(path), where)
    text, notes = _decode(data, where)
    if text.lstrip()[:1] in ("{", "["):
        table = _read_geojson(Path(path), text, where)
    else:
        table = _read_csv(text, where)
    table.notes[:0] = notes
    return table


def _read_bytes(path: Path, where: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput("no such file", where=where) from None
    except IsADirectoryError:
        raise BadInput(f"is a folder, {FORMATS_HINT}", where=where) from None
    except PermissionError:
        raise BadInput("cannot read (permission denied)", where=where) from None
    if not data.strip():
        raise BadInput("empty file", where=where)
    return data


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
    for record in csv_records(io.StringIO(text, newline=""), _delimiter(first_line)):
        fields, start = record.fields, record.start_line
        if record.error:
            broken.append((start, {}, f"unreadable CSV row: {record.error}"))
            continue
        if not any(fields):  # a blank line
            continue
        if header is None:
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
        records.append(fields)
        rows.append(start)
    if header is None:
        raise BadInput("empty file", where=where)
    if not records and not broken:
        raise BadInput("no rows under the header", where=where)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    table = RawTable(where, "csv", frame, rows, broken=broken)
    if literal_rows:
        table.notes.append(f"{where}:{literal_rows[0]}: an unbalanced quote read as a plain character "
                           f"({len(literal_rows)} row{'s' * (len(literal_rows) > 1)}); check the values")
    return table


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


def _read_with_geopandas(path: Path, where: str, **options: Any):
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
        gdf = gdf.to_crs("EPSG:4326")
    return gdf


def _from_geodataframe(gdf, where: str, kind: str) -> RawTable:
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
    notes = []
    if areas:
        what = "1 feature is a line or area" if areas == 1 else f"{areas} features are lines or areas"
        notes.append(f"{where}: {what}, mapped at a point inside")
    rows = list(range(1, len(frame) + 1))
    return RawTable(where, kind, frame, rows, point_lat=lats, point_lon=lons, notes=notes)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
