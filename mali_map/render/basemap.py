"""Base layers: three online tile sets and one offline map of country outlines.

The offline layer is the default. A page opened in Bamako on a dead connection, or
in CI with no network, must still show where things are: the outlines come from the
embedded ``geodata/outlines.geojson`` and travel inside the page, so the first view
never waits on a tile server. Readers online switch to OpenStreetMap, the light map
or satellite imagery in the layer control.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Countries whose outline box lies within this many degrees of the data are embedded.
OUTLINE_MARGIN_DEG = 15.0
_OUTLINE_DECIMALS = 3  # about 100 m: plenty for a country border at country zoom


@dataclass(frozen=True)
class TileSource:
    """An online base layer; ``key`` is its name for ``--basemap``."""

    key: str
    name: str
    url: str
    attribution: str
    max_zoom: int


OFFLINE_NAME = "Country outlines (offline)"

#: Online base layers, in the order of the layer control. None needs an API key.
TILE_SOURCES: tuple[TileSource, ...] = (
    TileSource(
        "osm",
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        19,
    ),
    TileSource(
        "light",
        "Light grey (Esri)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/Canvas/World_Light_Gray_Base/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Esri, DeLorme, NAVTEQ",
        16,
    ),
    TileSource(
        "satellite",
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
        19,
    ),
)


OFFLINE_KEY = "offline"


def basemap_name(name: str) -> str:
    """The ``--basemap`` key for ``name`` (a key or a layer's full name, any case), else :class:`BadInput`."""
    from ..errors import BadInput

    wanted = name.strip().lower()
    choices = {OFFLINE_KEY: OFFLINE_KEY, OFFLINE_NAME.lower(): OFFLINE_KEY}
    for source in TILE_SOURCES:
        choices[source.key] = choices[source.name.lower()] = source.key
    if wanted not in choices:
        keys = ", ".join([OFFLINE_KEY] + [source.key for source in TILE_SOURCES])
        raise BadInput(f"--basemap: no base layer {name!r} (choose one of {keys})")
    return choices[wanted]


def default_outlines_path() -> Path | None:
    """The embedded outlines file, or None while the geodata is not built."""
    try:
        from ..geodata import outlines_path
    except ImportError:
        return None
    path = Path(outlines_path())
    return path if path.is_file() else None


def offline_basemap(
    bounds: Sequence[Sequence[float]] | None, path: Path | str | None = None, *, names: bool = True
) -> dict:
    """What the offline base layer draws: ``{"outlines", "capitals", "places", "regions"}``.

    Country names are placed at a point inside each country (``label``: [lat, lon]);
    capitals come from the embedded country table, towns and villages from the gazetteer
    and region names from ``geodata/`` (see :mod:`.placenames`), so a reader can orient
    with no tiles. ``names=False`` leaves the gazetteer out (outlines and capitals only).
    """
    from .placenames import place_names, region_names

    outlines = outline_collection(bounds, path)
    shown = {f["properties"].get("iso2") for f in outlines["features"]}
    empty: dict[str, list[Any]] = {"name": [], "lat": [], "lon": [], "kind": []}
    return {
        "outlines": outlines,
        "capitals": _capitals(shown),
        "places": place_names(bounds) if names and bounds else empty,
        "regions": region_names(bounds) if bounds else {"name": [], "lat": [], "lon": []},
    }


def outline_collection(bounds: Sequence[Sequence[float]] | None, path: Path | str | None = None) -> dict:
    """Country outlines near ``bounds`` ((south, west), (north, east)) as a small GeoJSON.

    Only countries within :data:`OUTLINE_MARGIN_DEG` of the data travel in the page,
    with coordinates rounded to about 100 m; ``name``, ``iso2`` and a ``label`` point
    are the only properties kept. Without an outlines file the collection is empty.
    """
    path = default_outlines_path() if path is None else Path(path)
    if path is None or not Path(path).is_file():
        return {"type": "FeatureCollection", "features": []}
    box = _padded(bounds)
    where, mtime_ns = str(path), path.stat().st_mtime_ns
    features = [
        _prepared_outline(where, mtime_ns, k)
        for k, extent in enumerate(_outline_extents(where, mtime_ns))
        if box is None or _overlaps(extent, box)
    ]
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}


#: The start of a feature line of ``geodata/outlines.geojson``: its bbox, written first
#: (``geodata/build_geodata.py``), so a map finds the countries near its data without
#: parsing the other countries' coordinates.
_BBOX_LINE = re.compile(r'\{"bbox":\[([-\d.eE]+),([-\d.eE]+),([-\d.eE]+),([-\d.eE]+)\]')


@lru_cache(maxsize=2)
def _outline_lines(path: str, _mtime_ns: int) -> tuple[tuple[str, ...], tuple[tuple[float, float, float, float], ...]]:
    """(feature texts, their (south, west, north, east) boxes) of an outlines file laid out
    one feature a line, each starting with its bbox; ((), ()) for any other file."""
    from ..geodata import feature_lines

    features = feature_lines(Path(path)) or ()
    boxes = [_BBOX_LINE.match(line) for line in features]
    if not features or not all(boxes):
        return (), ()
    return features, tuple((float(b[2]), float(b[1]), float(b[4]), float(b[3])) for b in boxes if b is not None)


@lru_cache(maxsize=2)
def _outline_shapes(path: str, _mtime_ns: int) -> tuple[dict, ...]:
    """The (Multi)Polygon features of the outlines file, read once per process. The modification
    time in the key reads a rebuilt file again."""
    source = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        feature
        for feature in source.get("features", ())
        if (feature.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")
    )


@lru_cache(maxsize=2)
def _outline_extents(path: str, mtime_ns: int) -> tuple[tuple[float, float, float, float], ...]:
    """The (south, west, north, east) box of each outline, in order: from the boxes the file
    writes, else from the coordinates of :func:`_outline_shapes`."""
    lines, boxes = _outline_lines(path, mtime_ns)
    if lines:
        return boxes
    return tuple(_bbox(_polygons(feature["geometry"])) for feature in _outline_shapes(path, mtime_ns))


def _outline_feature(path: str, mtime_ns: int, k: int) -> dict | None:
    """Outline ``k`` as GeoJSON (parsed alone from a one-feature-a-line file); None if not a polygon."""
    lines, _ = _outline_lines(path, mtime_ns)
    if not lines:
        return _outline_shapes(path, mtime_ns)[k]
    feature = json.loads(lines[k])
    return feature if (feature.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon") else None


@lru_cache(maxsize=1024)
def _prepared_outline(path: str, mtime_ns: int, k: int) -> dict | None:
    """Outline ``k`` rounded and labelled, once per process and only when a map shows it (rounding
    and labelling every country took most of a one-map command's map). Callers must not mutate it."""
    feature = _outline_feature(path, mtime_ns, k)
    if feature is None:
        return None
    geometry = feature["geometry"]
    properties = feature.get("properties") or {}
    kept: dict[str, Any] = {key: str(properties[key]) for key in ("name", "iso2") if properties.get(key) is not None}
    kept["label"] = _label_point(geometry)
    rounded = [rings for rings in (_rounded(p) for p in _polygons(geometry)) if rings]
    return {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": rounded}, "properties": kept}


def _polygons(geometry: dict) -> list:
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def _label_point(geometry: dict) -> list[float]:
    """[lat, lon] of a point well inside the country's largest part (see :func:`_inside_point`).

    Plain Python over the coordinates: a map of a few places need not load shapely for this.
    """
    largest = max(_polygons(geometry), key=_area)
    x, y = _inside_point(largest)
    return [round(y, 3), round(x, 3)]


def _area(rings: list) -> float:
    """Planar area of a polygon (outer ring less its holes), in square degrees."""
    outer, *holes = rings
    return abs(_signed_area(outer)) - sum(abs(_signed_area(hole)) for hole in holes)


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])) / 2


def _inside_point(rings: list) -> tuple[float, float]:
    """(x, y) inside the polygon: the middle of the widest span of the horizontal line through
    it between two vertex heights near its vertical middle (so the line meets no vertex).

    The same idea as a GIS's "point on surface": unlike the centroid, it is inside a crescent
    or a country wrapped round a lake.
    """
    ys = [point[1] for point in rings[0]]
    middle = (min(ys) + max(ys)) / 2
    below = max((y for ring in rings for _, y, *_ in ring if y <= middle), default=middle)
    above = min((y for ring in rings for _, y, *_ in ring if y > middle), default=middle)
    line = (below + above) / 2
    crossings = sorted(
        x0 + (line - y0) * (x1 - x0) / (y1 - y0)
        for ring in rings
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])
        if (y0 > line) != (y1 > line)
    )
    spans = list(zip(crossings[::2], crossings[1::2]))
    if not spans:  # a degenerate ring: its first vertex
        return rings[0][0][0], rings[0][0][1]
    west, east = max(spans, key=lambda span: span[1] - span[0])
    return (west + east) / 2, line


def _capitals(iso2_codes: set) -> list[dict]:
    try:
        from ..geodata import countries

        table = countries()
    except (ImportError, FileNotFoundError):
        return []
    out = []
    for country in table:
        if country.get("iso2") in iso2_codes and country.get("capital") and country.get("capital_lat") is not None:
            out.append(
                {
                    "name": str(country["capital"]),
                    "lat": round(float(country["capital_lat"]), 4),
                    "lon": round(float(country["capital_lon"]), 4),
                }
            )
    return sorted(out, key=lambda c: c["name"])


def _padded(bounds: Sequence[Sequence[float]] | None) -> tuple[float, float, float, float] | None:
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    m = OUTLINE_MARGIN_DEG
    return (south - m, west - m, north + m, east + m)


def _bbox(polygons: list) -> tuple[float, float, float, float]:
    lons = [pt[0] for polygon in polygons for ring in polygon for pt in ring]
    lats = [pt[1] for polygon in polygons for ring in polygon for pt in ring]
    return (min(lats), min(lons), max(lats), max(lons))


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _rounded(polygon: list) -> list[list[list[float]]]:
    rings = []
    for ring in polygon:
        out: list[list[float]] = []
        for lon, lat, *_ in ring:
            point = [round(lon, _OUTLINE_DECIMALS), round(lat, _OUTLINE_DECIMALS)]
            if not out or out[-1] != point:
                out.append(point)
        if len(out) >= 4:
            rings.append(out)
        elif not rings:
            return []  # the outer ring vanished at this precision: drop the whole polygon
    return rings
