"""GeoPackage and Shapefile point layers, through pyogrio (GDAL).

Settlement lists of humanitarian agencies often come as a GeoPackage or a
Shapefile. The first point layer is read whole (pyogrio returns columns, not
rows), its attribute columns take the roles of the CSV columns (``name``,
``population``, ``admin1`` ...; ``--name-field`` for another name column),
and its points are brought to WGS84 when the layer says it uses another
coordinate system. A feature that is not a point, or has no name, is a bad
row. A point without a country gets the one whose outline holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import BadInput
from ..records import PlaceRecord, RowError
from .values import _column_role, _record, _RowProblem

LAYER_SUFFIXES = (".gpkg", ".shp")


def _point_layer(path: Path) -> str:
    import pyogrio
    import pyogrio.errors

    try:
        layers = pyogrio.list_layers(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as error:
        raise BadInput(f"cannot read as a GeoPackage or Shapefile: {_first_line(error)}", where=str(path)) from None
    for name, geometry_type in layers:
        if geometry_type and "point" in str(geometry_type).lower():
            return str(name)
    for name, geometry_type in layers:  # a layer of mixed geometries: its points are read, the rest reported
        if str(geometry_type).lower() in ("unknown", "geometry", "geometrycollection"):
            return str(name)
    shown = ", ".join(f"{n} ({t})" for n, t in layers) or "none"
    raise BadInput(f"no point layer (layers: {shown})", where=str(path))


def _read_layer(path: str | Path, errors: list[RowError], name_field: str | None = None) -> Iterator[PlaceRecord]:
    """The places of the first point layer; BadInput at once for an unreadable file or one without points."""
    import pyogrio
    import pyogrio.errors
    import shapely

    path = Path(path)
    if not path.exists():
        raise BadInput("no such file", where=str(path))
    layer = _point_layer(path)
    try:
        meta, _, geometry, values = pyogrio.raw.read(path, layer=layer)
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
        pyogrio.errors.GeometryError,
        pyogrio.errors.CRSError,
        OSError,
    ) as error:
        raise BadInput(f"cannot read layer {layer!r}: {_first_line(error)}", where=str(path)) from None
    roles: dict[str, Any] = {}
    for field, column in zip(meta["fields"], values):
        role = _column_role(str(field), name_field)
        if role and role not in roles and role not in ("lat", "lon"):
            roles[role] = column.tolist()
    if "name" not in roles:
        wanted = repr(name_field) if name_field else "name (or nom)"
        raise BadInput(
            f"layer {layer!r} has no column {wanted}; columns: {', '.join(map(str, meta['fields']))}"
            + ("" if name_field else "; use --name-field"),
            where=str(path),
        )
    points = shapely.from_wkb(geometry)
    xs, ys = _to_wgs84(points, meta.get("crs"))

    def rows() -> Iterator[PlaceRecord]:
        for i, point in enumerate(points):
            where = f"{path}:feature {i + 1}"
            try:
                if point is None or shapely.get_type_id(point) != 0 or point.is_empty:
                    kind = "nothing" if point is None else point.geom_type
                    raise _RowProblem(f"geometry is {kind}, not a Point")
                fields = {role: column[i] for role, column in roles.items()}
                fields["lat"], fields["lon"] = float(ys[i]), float(xs[i])
                if fields.get("name") is not None and not isinstance(fields["name"], str):
                    fields["name"] = str(fields["name"])
                record = _record(fields)
            except _RowProblem as problem:
                errors.append(RowError(where, str(problem)))
                continue
            yield _with_country(record)

    return rows()


def _to_wgs84(points: Any, crs: str | None) -> tuple[Any, Any]:
    """Longitudes and latitudes of the points (NaN where there is no point)."""
    import numpy as np
    import shapely

    xs = np.array([shapely.get_x(p) if p is not None and shapely.get_type_id(p) == 0 else np.nan for p in points])
    ys = np.array([shapely.get_y(p) if p is not None and shapely.get_type_id(p) == 0 else np.nan for p in points])
    if crs and crs.upper() not in ("EPSG:4326", "OGC:CRS84"):
        from pyproj import Transformer

        xs, ys = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(xs, ys)
    return xs, ys


def _with_country(record: PlaceRecord) -> PlaceRecord:
    """The record with the country whose outline holds its point, when it names none."""
    if record.country_code:
        return record
    from ..regions import country_at

    code = country_at(record.lat, record.lon)
    return record._replace(country_code=code) if code else record


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
