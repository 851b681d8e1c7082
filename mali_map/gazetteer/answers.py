"""Stored answers: each bare name's ranked answer under the default focus, computed once at index build.

A distinct-name :meth:`~.search.Gazetteer.lookup_many` spends its time fetching
every candidate row of a name, ranking them and building a fresh
:class:`~mali_map.places.Place` (the README's profile). Most batches ask bare
names under the default focus (``ML``) with no context, so the embedded index
also holds, per name key, the answer that ranking gives: the chosen place's id,
its confidence, spread and alternatives. A batch then reads one row per name.

Only the case the answers were built for reads them: the embedded index alone
(no saved or per-run gazetteers), the default focus, no ``only``, not online, no
left-out places. Context (``Kati, Mali``), other focuses and misspellings keep
the full ranking, and a name with no stored answer (no candidate, or none that
may answer) takes the full path too, so every answer is the one the full ranking
gives (``tests/test_answers.py`` checks that on a large sample).

Names with one candidate (nine in ten) are answered in SQL: their confidence
depends only on how the name matched, the feature and whether the place lies in
the focus country, so it is ranked once per such combination. Names with several
candidates are ranked in Python, with the same code a query uses.
"""

from __future__ import annotations

import pickle
import sqlite3
from itertools import product
from typing import Any

from ..countries import DEFAULT_COUNTRY
from ..places import Place, radius_km_for
from .index import NAME_ALTERNATE, NAME_CODE, NAME_MAIN
from .matching import Candidate, Context, best_place
from .scope import FOREIGN_ALTERNATE_MIN_POPULATION, answerable

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    place_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    feature TEXT NOT NULL,
    population INTEGER,
    source TEXT NOT NULL,
    radius_km REAL NOT NULL,
    confidence REAL NOT NULL,
    spread_km REAL NOT NULL,
    region_mismatch INTEGER NOT NULL,
    alternatives BLOB
) WITHOUT ROWID
"""

_CANDIDATE_COLUMNS = """p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence, n.kind"""

#: How a lone candidate is answered, by (kind, feature, in focus): computed by the ranking itself.
_SINGLE_CONFIDENCE = (
    "CREATE TEMP TABLE single_confidence (kind INTEGER, feature TEXT, in_focus INTEGER, confidence REAL)"
)

#: Every name key with how many places it names (and, for a lone one, which and how).
_KEY_COUNTS = "CREATE TEMP TABLE key_counts AS SELECT key, count(*) AS places, place_id, kind FROM names GROUP BY key"

_SINGLES = f"""
INSERT INTO answers
SELECT k.key, p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population, p.source,
       radius_km(p.feature, p.population, p.area_km2), s.confidence, 0.0, 0, NULL
FROM key_counts k JOIN places p ON p.id = k.place_id
JOIN single_confidence s ON s.kind = k.kind AND s.feature = p.feature AND s.in_focus = (p.country_code = :focus)
WHERE k.places = 1
  AND p.country_code IS NOT NULL
  AND (k.kind = 0 OR p.country_code = :focus OR p.feature IN ('country', 'capital')
       OR coalesce(p.population, 0) >= {FOREIGN_ALTERNATE_MIN_POPULATION})
"""

_SHARED = f"""
SELECT n.key, {_CANDIDATE_COLUMNS}
FROM key_counts k JOIN names n ON n.key = k.key JOIN places p ON p.id = n.place_id
WHERE k.places > 1
"""


def write_answers(conn: sqlite3.Connection, focus: str = DEFAULT_COUNTRY) -> None:
    """Store every name key's answer under ``focus`` (the index's names and places written already)."""
    conn.execute(SCHEMA)
    conn.create_function("radius_km", 3, radius_km_for, deterministic=True)
    conn.execute(_SINGLE_CONFIDENCE)
    features = [feature for (feature,) in conn.execute("SELECT DISTINCT feature FROM places")]
    rows = []
    for kind, feature, in_focus in product((NAME_MAIN, NAME_ALTERNATE, NAME_CODE), features, (0, 1)):
        lone = Candidate(0, "x", 0.0, 0.0, focus if in_focus else "ZZ", None, feature, None, None, "", 0.0, kind)
        place = best_place([lone], focus=focus, context=Context())
        if place is not None:
            rows.append((kind, feature, in_focus, place.confidence))
    conn.executemany("INSERT INTO single_confidence VALUES (?, ?, ?, ?)", rows)
    conn.execute(_KEY_COUNTS)
    conn.execute(_SINGLES, {"focus": focus})
    rows_by_key: dict[str, list[Any]] = {}
    for row in conn.execute(_SHARED):
        rows_by_key.setdefault(row[0], []).append(row[1:])
    no_context = Context()
    shared = []
    for key, rows in rows_by_key.items():
        # in the order a query reads them (the names index: place id, then kind): ties keep it
        ordered: list[Any] = sorted(rows, key=lambda row: (row[0], row[-1]))
        candidates = [Candidate(*row) for row in ordered]
        place = best_place(answerable(candidates, focus, None), focus=focus, context=no_context)
        if place is not None:
            alternatives = pickle.dumps(place.alternatives, protocol=5) if place.alternatives else None
            shared.append(
                (
                    key,
                    place.place_id,
                    place.name,
                    place.lat,
                    place.lon,
                    place.country_code,
                    place.admin1,
                    place.feature,
                    place.population,
                    place.source,
                    place.radius_km,
                    place.confidence,
                    place.spread_km,
                    place.region_mismatch,
                    alternatives,
                )
            )
    conn.executemany(f"INSERT INTO answers VALUES ({','.join('?' * 15)})", shared)
    conn.execute("DROP TABLE single_confidence")
    conn.execute("DROP TABLE key_counts")
    conn.commit()


def has_answers(conn: sqlite3.Connection) -> bool:
    """Whether this index holds stored answers (an index built before them does not)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'answers'").fetchone() is not None


def _answers_by_keys(count: int) -> str:
    return f"SELECT * FROM answers WHERE key IN ({','.join('?' * count)})"


def read_answers(conn: sqlite3.Connection, queries_by_key: dict[str, list[str]], chunk: int = 500) -> dict[str, Place]:
    """``{query: Place}`` for the queries whose key has a stored answer (the others are left out).

    Keys are read in sorted order (neighbours share B-tree pages: three times faster than
    in the order given). The places are built without the dataclass ``__init__`` (which
    sets fifteen frozen fields one by one): same fields, same values, a third of the cost.
    """
    found: dict[str, Place] = {}
    keys = sorted(queries_by_key)
    new = object.__new__
    loads = pickle.loads
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        for (
            key,
            pid,
            name,
            lat,
            lon,
            cc,
            admin1,
            feature,
            population,
            source,
            radius,
            conf,
            spread,
            mismatch,
            alts,
        ) in conn.execute(_answers_by_keys(len(part)), part):
            alternatives = loads(alts) if alts else ()
            for query in queries_by_key[key]:
                place = new(Place)
                place.__dict__.update(
                    {
                        "name": name,
                        "lat": lat,
                        "lon": lon,
                        "country_code": cc,
                        "admin1": admin1,
                        "feature": feature,
                        "population": population,
                        "source": source,
                        "confidence": conf,
                        "radius_km": radius,
                        "spread_km": spread,
                        "alternatives": alternatives,
                        "query": query,
                        "place_id": pid,
                        "region_mismatch": bool(mismatch),
                    }
                )
                found[query] = place
    return found
