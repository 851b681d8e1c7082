"""The on-disk place index: one SQLite file, written once, read fast.

Parsing GeoNames' 80 MB JSON takes seconds; a lookup in an indexed SQLite
file takes microseconds. The embedded index is built on first use into the
user's cache folder (see :mod:`mali_map.paths`) and rebuilt when
its data version changes. Imported gazetteers use the same schema, one file
each, so every source is searched the same way.

Schema:

- ``places``: one row per place (point, feature, population, country, admin1,
  source, ``prominence`` used to rank homonyms);
- ``names``: ``(key, place_id, kind)``, indexed by key: every name and alternate name under its
  :func:`~mali_map.textnorm.name_key`; ``kind`` is 0 for the main name, 1 for an
  alternate name, 2 for a short code (IATA and the like);
- ``meta``: ``data_version`` and where the data came from.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote  # a "?" or "#" in a folder name must not end the URI's path

from ..textnorm import name_key
from .records import PlaceRecord

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    feature TEXT NOT NULL,
    population INTEGER,
    area_km2 REAL,
    geonameid INTEGER,
    source TEXT NOT NULL,
    prominence REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    kind INTEGER NOT NULL
);
"""

#: The index every lookup uses; dropped during a bulk write and rebuilt after it
#: (sorting once is several times faster than inserting into a B-tree row by row).
NAMES_INDEX = "CREATE INDEX IF NOT EXISTS names_key ON names (key, place_id, kind)"

#: Secondary indexes of the embedded index, created after its bulk load.
INDEXES = """
CREATE INDEX IF NOT EXISTS places_country ON places (country_code, feature);
CREATE INDEX IF NOT EXISTS places_geonameid ON places (geonameid);
"""

NAME_MAIN, NAME_ALTERNATE, NAME_CODE = 0, 1, 2
PLACE_COLUMNS = 12

UNKNOWN_POPULATION = 1000
_FEATURE_PROMINENCE = {"country": 3.0, "capital": 2.0, "admin1": 1.5}


def prominence(feature: str, population: int | None) -> float:
    """How prominent a place is, to rank homonyms: log10 of population plus a bonus for rank.

    A country outranks its capital, a capital outranks other cities, an admin
    region outranks towns of a similar size. A populated place of unknown
    population counts as 1,000 people: gazetteers list places that size or bigger.
    """
    if not population and feature not in ("country", "admin1"):
        population = UNKNOWN_POPULATION
    return math.log10((population or 0) + 10) + _FEATURE_PROMINENCE.get(feature, 0.0)


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open an index file (``":memory:"`` for a temporary one)."""
    if readonly and str(path) != ":memory:":
        conn = sqlite3.connect(f"file:{quote(Path(path).as_posix())}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.executescript(SCHEMA)
    conn.execute("PRAGMA query_only = 1" if readonly else "PRAGMA journal_mode = OFF")
    return conn


def _name_kind(alternate: str) -> int:
    """NAME_CODE for a short all-capitals name (IATA and the like), else NAME_ALTERNATE."""
    return NAME_CODE if (len(alternate) <= 4 and alternate.isupper() and alternate.isalpha()) else NAME_ALTERNATE


def write_records(
    conn: sqlite3.Connection,
    records: Iterable[PlaceRecord],
    source: str,
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 5000,
    places_out: list[tuple[Any, ...]] | None = None,
) -> int:
    """Append ``records`` to an open index under ``source``; return how many were written.

    Writes in batches inside one transaction (fast), calling ``progress(n)``
    after each batch with the count written so far. The ``names_key``
    index is dropped and built once at the end. ``places_out``: a list that gets each
    place as the places table returns it (id, name, lat, lon, country, admin1, feature,
    population, area, source, prominence), so the stored answers need not read them back.
    """
    start = conn.execute("SELECT COALESCE(MAX(id), 0) FROM places").fetchone()[0]
    place_values: list = []  # the rows of a batch, one after the other: PLACE_COLUMNS values each
    name_values: list = []  # 3 values a row
    unknown_population: dict[str, float] = {}  # feature -> prominence, for the many places without population
    count = 0

    def flush() -> None:
        _insert_rows(conn, "places", PLACE_COLUMNS, place_values)
        _insert_rows(conn, "names", 3, name_values)
        place_values.clear()
        name_values.clear()
        if progress:
            progress(count)

    with conn:
        conn.execute("DROP INDEX IF EXISTS names_key")
        for name, lat, lon, feature, population, country_code, admin1, alternatenames, geonameid, area_km2 in records:
            count += 1
            place_id = start + count
            if population is None:
                rank = unknown_population.get(feature) or unknown_population.setdefault(
                    feature, prominence(feature, None)
                )
            else:
                rank = prominence(feature, population)
            place_values += (
                place_id,
                name,
                lat,
                lon,
                country_code,
                admin1,
                feature,
                population,
                area_km2,
                geonameid,
                source,
                rank,
            )
            if places_out is not None:  # the values as the columns' affinities store them
                places_out.append(
                    (place_id, name, float(lat), float(lon), country_code, admin1, feature,
                     int(population) if isinstance(population, float) and population.is_integer() else population,
                     None if area_km2 is None else float(area_km2), source, rank)
                )  # fmt: skip
            main = name_key(name)
            if main:
                name_values += (main, place_id, NAME_MAIN)
            if alternatenames:
                seen = {main}  # an empty key is never written, so seeing it changes nothing
                for alternate in alternatenames:
                    if alternate == name:  # most lists repeat the main name: its key is seen already
                        continue
                    key = name_key(alternate)
                    if key and key not in seen:
                        seen.add(key)
                        name_values += (key, place_id, _name_kind(alternate))
            if count % batch == 0:
                flush()
        flush()
        conn.execute(NAMES_INDEX)
    return count


#: The most values one statement binds (the limit of SQLite before 3.32).
_MAX_VALUES = 999


def _insert_rows(conn: sqlite3.Connection, table: str, width: int, values: list) -> None:
    """Insert ``values``, rows of ``width`` values one after the other, into ``table``, in order.

    Each statement inserts as many rows as 999 values allow: ``executemany``
    spends more time per row (reset, step, Python bookkeeping) than per
    value, so one statement per 83 places or 333 names is about a quarter
    cheaper than one per row (100,000 GeoNames places and their 250,000
    names: 0.75 s -> 0.55 s of CPU).
    """
    rows_per_statement = _MAX_VALUES // width
    step = rows_per_statement * width
    whole = len(values) - len(values) % step
    if whole:
        conn.executemany(
            _insert_sql(table, width, rows_per_statement),
            [values[offset : offset + step] for offset in range(0, whole, step)],
        )
    if whole < len(values):
        conn.execute(_insert_sql(table, width, (len(values) - whole) // width), values[whole:])


@lru_cache(maxsize=64)
def _insert_sql(table: str, width: int, rows: int) -> str:
    row = "(" + ",".join("?" * width) + ")"
    return f"INSERT INTO {table} VALUES " + ",".join([row] * rows)


def finish(conn: sqlite3.Connection) -> None:
    """Create the secondary indexes and statistics once all records are written."""
    conn.executescript(INDEXES)
    conn.execute("ANALYZE")
    conn.commit()


def set_meta(conn: sqlite3.Connection, **values: str) -> None:
    """Record facts about an index (``data_version``, ``source`` ...)."""
    with conn:
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())


def get_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """All facts recorded about an index."""
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.DatabaseError:
        return {}
