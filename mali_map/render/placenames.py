"""Town, village and region names for the offline base layer, from the gazetteer.

At town zoom the outlines alone say nothing: a reader needs the names around the
incidents. The page carries the most prominent places of the gazetteer (the embedded
GeoNames data and the user's saved gazetteers) inside the data's bounding box plus a
margin, and the names of first-level regions (``geodata/admin1.json`` has their centres,
not their outlines). The browser decides which names fit at each zoom (bigger places
first, no two labels overlapping; see ``MaliMap.outlineLayer``), so more names appear as
one zooms in. The box and :data:`PLACE_LIMIT` bound what the page carries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

#: At most this many places travel in a page (about 30 bytes each).
PLACE_LIMIT = 3000
#: The box of names is the data's box widened by this share of its size, and at least MIN_MARGIN_DEG.
MARGIN_SHARE, MIN_MARGIN_DEG = 0.3, 1.0
#: Place kinds in the page, most prominent first: the browser shows the later ones only closer in.
KINDS = ("capital", "city", "town", "village")
_FEATURE_KIND = {"capital": 0, "city": 1, "town": 2, "village": 3, "place": 3}
_DECIMALS = 4  # about 10 m: a label's anchor


def names_box(bounds: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the names carried for data within ``bounds``."""
    (south, west), (north, east) = bounds
    margin_lat = max(MIN_MARGIN_DEG, (north - south) * MARGIN_SHARE)
    margin_lon = max(MIN_MARGIN_DEG, (east - west) * MARGIN_SHARE)
    return (
        max(-90.0, south - margin_lat),
        max(-180.0, west - margin_lon),
        min(90.0, north + margin_lat),
        min(180.0, east + margin_lon),
    )


def place_names(
    bounds: Sequence[Sequence[float]], *, limit: int = PLACE_LIMIT, index_paths: list[Path] | None = None
) -> dict:
    """``{"name": [...], "lat": [...], "lon": [...], "kind": [...]}``, most prominent first.

    ``kind`` indexes :data:`KINDS`. ``index_paths``: the gazetteer files to read (default:
    the embedded index and every saved gazetteer). The same place in several files is
    carried once. Without a readable index the lists are empty: the map still works.
    """
    box = names_box(bounds)
    rows = []
    for path in _default_index_paths() if index_paths is None else index_paths:
        rows += _places_in(path, box, limit)
    rows.sort(key=lambda r: (-r[4], r[0], r[1], r[2]))
    out: dict[str, list] = {"name": [], "lat": [], "lon": [], "kind": []}
    seen = set()
    for name, lat, lon, kind, _ in rows:
        key = (name.casefold(), round(lat, 1), round(lon, 1))
        if key in seen:
            continue
        seen.add(key)
        out["name"].append(name)
        out["lat"].append(round(lat, _DECIMALS))
        out["lon"].append(round(lon, _DECIMALS))
        out["kind"].append(kind)
        if len(out["name"]) >= limit:
            break
    return out


def region_names(bounds: Sequence[Sequence[float]]) -> dict:
    """First-level regions whose centre lies in the names box: ``{"name", "lat", "lon"}`` lists."""
    south, west, north, east = names_box(bounds)
    picked = [(name, lat, lon) for name, lat, lon in _region_centres() if south <= lat <= north and west <= lon <= east]
    return {"name": [p[0] for p in picked], "lat": [p[1] for p in picked], "lon": [p[2] for p in picked]}


@lru_cache(maxsize=1)
def _region_centres() -> tuple[tuple[str, float, float], ...]:
    """(name, lat, lon) of every first-level region, sorted: read once per process."""
    try:
        from ..geodata import admin1_regions

        regions = admin1_regions()
    except (ImportError, FileNotFoundError):
        regions = []
    return tuple(
        sorted(
            (str(r["name"]), round(float(r["lat"]), _DECIMALS), round(float(r["lon"]), _DECIMALS))
            for r in regions
            if r.get("level", 1) == 1 and r.get("lat") is not None and r.get("lon") is not None
        )
    )


def _default_index_paths() -> list[Path]:
    from ..gazetteer.embedded import embedded_index_path
    from ..gazetteer.userstore import saved_index_paths

    try:
        paths = [embedded_index_path()]
    except (OSError, RuntimeError):
        paths = []
    return paths + saved_index_paths()


#: (path, modification time) -> how many maps of this process asked it for names
_ASKED: dict[tuple[str, int], int] = {}


def _places_in(
    path: Path, box: tuple[float, float, float, float], limit: int
) -> list[tuple[str, float, float, int, float]]:
    """(name, lat, lon, kind, prominence) of the most prominent places of one index file in ``box``.

    The first map of a process asks the index (one scan, about 0.1 s); a process that draws
    many maps (a batch, a test over a corpus) reads the places once, on its second map, and
    picks each box from memory in a few milliseconds, in the same order as the query.
    """
    try:
        key = (str(path), Path(path).stat().st_mtime_ns)
    except OSError:
        return []
    _ASKED[key] = _ASKED.get(key, 0) + 1
    if _ASKED[key] >= 2:
        table = _all_places(*key)
        if table is not None:
            return _pick(table, box, limit)
    return _query_places(path, box, limit)


@lru_cache(maxsize=2)
def _all_places(path: str, _mtime_ns: int) -> tuple[list[str], Any, Any, list[int], Any] | None:
    """Every nameable place of the index, in no order: (names, lat, lon, kinds, prominence) with
    numpy arrays for the coordinates and prominence (:func:`_pick` orders what a box holds)."""
    import numpy as np

    rows = _query_places(Path(path), (-90.0, -180.0, 90.0, 180.0), -1, ordered=False)
    if not rows:
        return None
    return (
        [r[0] for r in rows],
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows]),
        [r[3] for r in rows],
        np.array([r[4] for r in rows]),
    )


def _pick(
    table: tuple[list[str], Any, Any, list[int], Any], box: tuple[float, float, float, float], limit: int
) -> list[tuple[str, float, float, int, float]]:
    """The ``limit`` most prominent places of ``table`` in ``box``, most prominent first (then by
    name): what :func:`_query_places` answers, picked from memory. Only the places at least as
    prominent as the ``limit``-th are sorted."""
    import numpy as np

    names, lat, lon, kinds, prominence = table
    south, west, north, east = box
    rows = np.flatnonzero((lat >= south) & (lat <= north) & (lon >= west) & (lon <= east))
    if len(rows) > limit >= 1:
        weights = prominence[rows]
        floor = np.partition(weights, len(rows) - limit)[len(rows) - limit]
        rows = rows[weights >= floor]
    picked = [(names[i], float(lat[i]), float(lon[i]), kinds[i], float(prominence[i])) for i in rows.tolist()]
    picked.sort(key=lambda r: (-r[4], r[0], r[1], r[2]))
    return picked[:limit] if limit >= 0 else picked


def _query_places(
    path: Path, box: tuple[float, float, float, float], limit: int, *, ordered: bool = True
) -> list[tuple[str, float, float, int, float]]:
    """(name, lat, lon, kind, prominence) of the places of one index file in ``box``: the ``limit``
    most prominent, most prominent first (then by name), or with ``ordered=False`` all of them
    in no order (sorting a whole index costs three times the query)."""
    south, west, north, east = box
    features = tuple(_FEATURE_KIND)
    marks = ", ".join("?" * len(features))
    order = "ORDER BY prominence DESC, name LIMIT ?" if ordered else ""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        found = conn.execute(
            f"SELECT name, lat, lon, feature, prominence FROM places "
            f"WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND feature IN ({marks}) {order}",
            (south, north, west, east, *features, *((limit,) if ordered else ())),
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [
        (str(name), float(lat), float(lon), _FEATURE_KIND[feature], float(prominence))
        for name, lat, lon, feature, prominence in found
        if name
    ]
