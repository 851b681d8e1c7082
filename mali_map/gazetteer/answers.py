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

A small batch reads its rows from the ``answers`` table (:func:`read_answers`).
A large one (:data:`LOAD_ALL_FROM` names or more) reads every answer once per
process instead, from one packed blob written beside the table
(:class:`PackedAnswers`: a few tenths of a second, then a dictionary look-up and
one ``Place`` per name), so ``mali-map geocode Kati`` never pays for it.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import sqlite3
from array import array
from itertools import product
from typing import Any

from ..countries import DEFAULT_COUNTRY
from ..places import Place, radius_km_for
from ..textnorm import name_key
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
    write_packed(conn)
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


# -- every answer at once, for large batches ----------------------------------------------

#: A batch of this many distinct plain names or more loads every stored answer (once per process).
LOAD_ALL_FROM = 5_000

#: Bump when the packed layout changes (an index holding another layout is read row by row).
PACK_FORMAT = 1

_PACKED_SCHEMA = "CREATE TABLE answers_packed (format INTEGER NOT NULL, data BLOB NOT NULL)"


def _shared_within(column: tuple[Any, ...]) -> list[Any]:
    """``column`` with equal values as one object: the pickle stores each once. Each column
    keeps its own objects, as rows read from SQLite do (pickled places stay byte-identical)."""
    first = {value: value for value in set(column)}
    return list(map(first.__getitem__, column))


def write_packed(conn: sqlite3.Connection) -> None:
    """Store the ``answers`` table again as one blob of columns (see :class:`PackedAnswers`)."""
    rows = conn.execute("SELECT * FROM answers ORDER BY key").fetchall()
    if not rows:
        return
    (keys, ids, names, lats, lons, countries, admin1s, features, populations, sources, radii, confidences, spreads,
     mismatches, alternatives) = zip(*rows)  # fmt: skip
    columns = (
        list(keys),
        array("q", ids).tobytes(),
        list(names),
        array("d", lats).tobytes(),
        array("d", lons).tobytes(),
        _shared_within(countries),
        _shared_within(admin1s),
        _shared_within(features),
        list(populations),
        _shared_within(sources),
        array("d", radii).tobytes(),
        array("d", confidences).tobytes(),
        array("d", spreads).tobytes(),
        bytes(mismatches),
        {i: blob for i, blob in enumerate(alternatives) if blob},
    )
    conn.execute(_PACKED_SCHEMA)
    conn.execute("INSERT INTO answers_packed VALUES (?, ?)", (PACK_FORMAT, pickle.dumps(columns, protocol=5)))


_BOOLS = (False, True)


class PackedAnswers:
    """Every stored answer in memory, in columns: ``resolve`` builds one ``Place`` per query.

    About 60 MB for the 227,000 answers of the embedded index: keys and names as
    strings, numbers in arrays, the few repeated strings (country, region, feature,
    source) once each. Alternatives (one answer in twelve has some) are unpickled on
    first use and then shared.
    """

    __slots__ = ("_rows", "_columns", "_alternatives")

    def __init__(self, data: bytes):
        columns = pickle.loads(data)
        self._rows = {key: row for row, key in enumerate(columns[0])}
        self._columns = tuple(array(code, column) if code else column for code, column in zip(_CODES, columns))
        self._alternatives: dict[int, tuple[Any, ...]] = {}

    def resolve(self, queries: list[str], memo: dict[str, Place | None], not_plain: re.Pattern[str]) -> list[str]:
        """Put in ``memo`` the answer of each plain query whose name key has a stored answer;
        return the other queries (context, offsets, names with no stored answer), in order.

        The cyclic garbage collector is paused meanwhile: the loop makes no cycles, and
        with it running a third of the time went to scanning the new places again and again.
        """
        rest: list[str] = []
        rows = self._rows
        (_, ids, names, lats, lons, countries, admin1s, features, populations, sources, radii, confidences, spreads,
         mismatches, blobs) = self._columns  # fmt: skip
        alternatives = self._alternatives
        new = object.__new__
        set_fields = object.__setattr__
        plain = not_plain.search
        key_of = name_key
        collecting = gc.isenabled()
        gc.disable()
        try:
            for query in queries:
                row = None
                if plain(query) is None:
                    if query.isascii():  # name_key's own fast path, without the call
                        key = query.lower()
                        row = rows.get(key if key.isalnum() else key_of(query))
                    else:
                        row = rows.get(key_of(query))
                if row is None:
                    rest.append(query)
                    continue
                if row in blobs:
                    alts = alternatives.get(row)
                    if alts is None:
                        alts = alternatives[row] = pickle.loads(blobs[row])
                else:
                    alts = ()
                place = new(Place)
                # the dataclass's field order: the pickled place is the one its constructor makes
                set_fields(
                    place,
                    "__dict__",
                    {
                        "name": names[row],
                        "lat": lats[row],
                        "lon": lons[row],
                        "country_code": countries[row],
                        "admin1": admin1s[row],
                        "feature": features[row],
                        "population": populations[row],
                        "source": sources[row],
                        "confidence": confidences[row],
                        "radius_km": radii[row],
                        "spread_km": spreads[row],
                        "alternatives": alts,
                        "query": query,
                        "place_id": ids[row],
                        "region_mismatch": _BOOLS[mismatches[row]],
                    },
                )
                memo[query] = place
        finally:
            if collecting:
                gc.enable()
        return rest


#: The array type of each packed column ("" for lists, bytes and the alternatives).
_CODES = ("", "q", "", "d", "d", "", "", "", "", "", "d", "d", "d", "", "")

_LOADED: dict[tuple[str, int, int, int], PackedAnswers] = {}


def _file_identity(conn: sqlite3.Connection) -> tuple[str, int, int, int] | None:
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return None
    stat = os.stat(path)
    return (path, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def packed_answers(conn: sqlite3.Connection, *, load: bool) -> PackedAnswers | None:
    """This index's answers held in memory: loaded already in this process, or now if ``load``.

    ``None`` when not loaded and not ``load``, or when the index holds no packed answers of
    this format (an index built before them): the caller reads rows instead.
    """
    identity = _file_identity(conn)
    if identity is None:
        return None
    packed = _LOADED.get(identity)
    if packed is None and load:
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'answers_packed'").fetchone()
        row = (
            conn.execute("SELECT data FROM answers_packed WHERE format = ?", (PACK_FORMAT,)).fetchone()
            if has_table
            else None
        )
        if row is None:
            return None
        _LOADED.clear()  # one index per process at a time: a rebuilt one replaces the old
        packed = _LOADED[identity] = PackedAnswers(row[0])
    return packed
