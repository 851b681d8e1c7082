"""Stored answers: each bare name's ranked answer under the default focus, computed once at index build.

A distinct-name :meth:`~.search.Gazetteer.lookup_many` spends its time fetching
every candidate row of a name, ranking them and building a fresh
:class:`~mali_map.places.Place` (the README's profile). Most batches ask bare
names under the default focus (``ML``) with no context, so the embedded index
also holds, per name key, the answer that ranking gives: the chosen place, its
confidence, spread and alternatives. A large batch then reads answers, not
candidate rows.

Only the case the answers were built for reads them: the embedded index alone
(no saved or per-run gazetteers), the default focus, no ``only``, not online, no
left-out places. Context (``Kati, Mali``), other focuses and misspellings keep
the full ranking, and a name with no stored answer (no candidate, or none that
may answer) takes the full path too, so every answer is the one the full ranking
gives (``tests/test_answers.py`` checks that for every stored answer).

**Building** (:func:`write_answers`, about a third of the build): one SQL pass reads every
(name key, place) pair that may answer a bare name (:func:`~.scope.answerable`'s
rule, in SQL); a key with one such place (nine in ten) is answered by the ranking
of that lone candidate, which depends only on how the name matched, the feature and
whether the place lies in the focus country, so it is ranked once per such
combination; a key with several is ranked by :func:`~.matching.best_place` itself,
on the candidates in the order a query reads them.

**Storing**: one blob, written in one go (:data:`PACK_FORMAT`): one fixed-size
record per answer (:data:`_RECORD`: numbers, where its key and name lie in one
text, and indexes into small tables of the repeated strings); a hash table from
key to record (open addressing on the key's CRC-32, the same in every process,
so it is built once, with the index); and the alternatives as fixed-size records
too (:data:`_ALTERNATIVE`), with their own text. A place name whose lower-cased form
is not its key (``Ségou``, ``Saint-Louis``) also gets a record under that form (an
alias: see :meth:`_Packer.add_aliases`), so that a batch finds it without computing
its key.

**Reading**: a batch of :data:`LOAD_ALL_FROM` distinct names or more loads the blob
once per process (:func:`packed_answers`: the parts as they are, no object per
answer: about 0.1 s to read the 35 MB blob and as much to set it up); then each plain name costs its lower-cased
form, a slot of the hash table (both computed in C for the whole batch), one record
unpacked and checked against it, and one ``Place`` (:meth:`PackedAnswers.resolve`).
A smaller batch, such as ``mali-map geocode Kati``, loads nothing and takes the
full ranking, unless the answers are loaded already.

**Two loops, one answer**: that per-name work runs in C (``_packed.c``, compiled when
the package is installed: ``hatch_build.py``) where a compiler was at hand, and in
Python otherwise. In Python most of a name's time is the interpreter's own (about
5 µs a name; 200,000 names a second is 5 µs); in C the loop also starts the memory
reads of 32 names at once, so their waits overlap. Both make each ``Place`` as its
constructor does, and ``tests/test_answers.py`` holds both to the full ranking.
"""

from __future__ import annotations

import os
import pickle
import re
import sqlite3
import struct
import zlib
from array import array
from collections.abc import Callable, Sequence
from typing import Any

from ..collector import collector_paused
from ..countries import DEFAULT_COUNTRY
from ..places import Alternative, Place, radius_km_for
from ..textnorm import name_key
from .matching import Candidate, Context, best_place
from .scope import FOREIGN_ALTERNATE_MIN_POPULATION, answerable

try:
    from . import _packed
except ImportError:  # not built (no compiler when the package was installed): the Python loop answers
    _packed = None  # type: ignore[assignment]

#: A query that needs parsing (context after a comma, an offset with numbers) is no bare name:
#: it never reads a stored answer, so none is stored for a key with a digit.
NOT_PLAIN = re.compile(r"[,;\d]")

#: Bump when the packed layout changes (an index holding another layout is not read).
PACK_FORMAT = 4

_PACKED_SCHEMA = "CREATE TABLE answers_packed (format INTEGER NOT NULL, data BLOB NOT NULL)"

#: One answer, 64 bytes: place id; lat, lon, confidence, radius; population (-1: none); where its
#: key starts in the text, where its key ends and its name starts, where its name ends; its strings
#: (country, region, feature, source) as one combination of them; its extras (-1: none).
_RECORD = struct.Struct("<iddddqIIIIi")
#: A combination of strings: the index of each in its column's table.
_COMBINATION = struct.Struct("<IIII")
#: An answer's extras: spread, region mismatch, its first alternative and how many it has.
_EXTRA = struct.Struct("<d?II")
#: An alternative: lat, lon, score, outside, whether it has a country; where its name starts in
#: the alternatives' text, where its name ends and its country starts, where its country ends.
_ALTERNATIVE = struct.Struct("<ddd??III")

#: The compiled batch loop (``_packed.c``, built when the package is installed), when it was built
#: for this layout; ``None``: :meth:`PackedAnswers.resolve` runs its loop in Python, with the same answers.
COMPILED: Any = (
    _packed if _packed is not None and (_packed.LAYOUT, _packed.RECORD_SIZE) == (PACK_FORMAT, _RECORD.size) else None
)

#: Every (key, place) pair whose place may answer the bare key under ``:focus`` (the rule of
#: :func:`~.scope.answerable`; a place without a country is kept, and ranked the full way).
_ANSWERABLE = f"""
SELECT n.key, n.place_id, n.kind
FROM names n JOIN places p ON p.id = n.place_id
WHERE n.kind = 0 OR p.country_code = :focus OR p.country_code IS NULL OR p.feature IN ('country', 'capital')
   OR coalesce(p.population, 0) >= {FOREIGN_ALTERNATE_MIN_POPULATION}
"""

#: The places, as the first fields of a :class:`~.matching.Candidate`.
_PLACES = """
SELECT id, name, lat, lon, country_code, admin1, feature, population, area_km2, source, prominence
FROM places ORDER BY id
"""


def write_answers(
    conn: sqlite3.Connection, focus: str = DEFAULT_COUNTRY, *, places: Sequence[tuple[Any, ...]] | None = None
) -> None:
    """Store every name key's answer under ``focus`` (the index's names and places written already).

    ``places``: the rows of the places table in id order (as :func:`~.index.write_records`
    hands them out), to spare reading them back; read from the index when not given.
    """
    if places is None:
        places = conn.execute(_PLACES).fetchall()
    if not places:
        return
    first_id = places[0][0]
    by_key: dict[str, Any] = {}
    several: dict[str, list[Any]] = {}
    for row in conn.execute(_ANSWERABLE, {"focus": focus}):
        key = row[0]
        first = by_key.setdefault(key, row)
        if first is not row:
            several.setdefault(key, [first]).append(row)
    no_context = Context()
    lone_confidence: dict[tuple[int, str, bool], float] = {}
    packer = _Packer()
    for key, (_, place_id, kind) in by_key.items():
        if NOT_PLAIN.search(key):
            continue
        rows = several.get(key)
        place = places[place_id - first_id]
        if rows is None and place[4] is not None:
            # a lone candidate: its confidence depends on how it matched, its feature and its country
            _, name, lat, lon, cc, admin1, feature, population, area, source, _ = place
            situation = (kind, feature, cc == focus)
            confidence = lone_confidence.get(situation)
            if confidence is None:
                answer = best_place([Candidate(*place + (kind,))], focus=focus, context=no_context)
                assert answer is not None
                confidence = lone_confidence[situation] = answer.confidence
            packer.add(key, place_id, name, lat, lon, cc, admin1, feature, population, source,
                       _radius(feature, population, area), confidence, 0.0, False, ())  # fmt: skip
            continue
        # in the order a query reads them (the names index: place id, then kind): ties keep it
        candidates = [Candidate(*places[r[1] - first_id] + (r[2],)) for r in sorted(rows or [(key, place_id, kind)])]
        answer = best_place(answerable(candidates, focus, None), focus=focus, context=no_context)
        if answer is not None and answer.place_id is not None:
            packer.add(key, answer.place_id, answer.name, answer.lat, answer.lon, answer.country_code, answer.admin1,
                       answer.feature, answer.population, answer.source, answer.radius_km, answer.confidence,
                       answer.spread_km, answer.region_mismatch, answer.alternatives)  # fmt: skip
    packer.add_aliases([place[1] for place in places])
    conn.execute("DROP TABLE IF EXISTS answers_packed")
    conn.execute(_PACKED_SCHEMA)
    conn.execute("INSERT INTO answers_packed VALUES (?, ?)", (PACK_FORMAT, packer.blob()))
    conn.commit()


_RADIUS: dict[tuple[str, int | None, float | None], float] = {}


def _radius(feature: str, population: int | None, area: float | None) -> float:
    key = (feature, population, area)
    radius = _RADIUS.get(key)
    if radius is None:
        radius = _RADIUS[key] = radius_km_for(feature, population, area)
    return radius


class _Packer:
    """The answers as :class:`PackedAnswers` reads them, gathered one by one."""

    def __init__(self) -> None:
        self.keys: list[str] = []  # the keys, then the aliases (see :meth:`add_aliases`)
        self.records: list[bytes] = []
        self.text: list[str] = []  # each answer's key then its name
        self.length = 0
        self.combinations: dict[tuple[str | None, str | None, str, str], int] = {}
        self.extras: list[bytes] = []
        self.alternatives: list[bytes] = []
        self.alternative_text: list[str] = []  # each alternative's name then its country
        self.alternative_length = 0
        self.answers = 0  # records added by :meth:`add` (the aliases follow them)

    def add(self, key: str, place_id: int, name: str, lat: float, lon: float, country: str | None,
            admin1: str | None, feature: str, population: int | None, source: str, radius: float,
            confidence: float, spread: float, mismatch: bool, alternatives: tuple[Alternative, ...]
    ) -> None:  # fmt: skip
        if population is not None and population < 0:  # -1 stands for none: such a place is ranked
            return
        strings = (country, admin1, feature, source)
        combination = self.combinations.get(strings)
        if combination is None:
            combination = self.combinations[strings] = len(self.combinations)
        extra = -1
        if spread or mismatch or alternatives:
            extra = len(self.extras)
            self.extras.append(_EXTRA.pack(spread, mismatch, len(self.alternatives), len(alternatives)))
            for alternative in alternatives:
                self._add_alternative(alternative)
        self.answers += 1
        start = self.length
        middle = start + len(key)
        self.length = middle + len(name)
        self.text += (key, name)
        self.keys.append(key)
        self.records.append(
            _RECORD.pack(
                place_id,
                lat,
                lon,
                confidence,
                radius,
                -1 if population is None else population,
                start,
                middle,
                self.length,
                combination,
                extra,
            )  # fmt: skip
        )

    def add_aliases(self, names: Sequence[str]) -> None:
        """Store, for each name whose lower-cased form is not its key (``Ségou``, ``Saint-Louis``),
        that form beside its key's answer (a copy of it), so that a batch finds such a name as
        it finds ``Kati``: lower-cased, without ``name_key``.

        Sound because lower-casing never changes a name's key (``name_key(s.lower()) ==
        name_key(s)``, checked for every character in ``tests/test_answers.py``): a query that
        lower-cases to the alias has the alias's key. One with context (a comma, a digit) is
        none: such a query is not plain.
        """
        at = dict(zip(self.keys, range(len(self.keys))))
        aliases: dict[str, int] = {}
        for name, alias in zip(names, map(str.lower, names)):
            if alias in at or alias in aliases:
                continue
            index = at.get(name_key(name))
            if index is not None and not NOT_PLAIN.search(alias):
                aliases[alias] = index
        for alias, index in aliases.items():
            record = list(_RECORD.unpack(self.records[index]))
            name = self.text[2 * index + 1]
            start = self.length
            record[6:9] = (start, start + len(alias), start + len(alias) + len(name))
            self.length = record[8]
            self.text += (alias, name)
            self.keys.append(alias)
            self.records.append(_RECORD.pack(*record))

    def _add_alternative(self, alternative: Alternative) -> None:
        country = alternative.country_code
        start = self.alternative_length
        middle = start + len(alternative.name)
        self.alternative_length = middle + len(country or "")
        self.alternative_text += (alternative.name, country or "")
        self.alternatives.append(
            _ALTERNATIVE.pack(
                alternative.lat,
                alternative.lon,
                alternative.score,
                alternative.outside,
                country is not None,
                start,
                middle,
                self.alternative_length,
            )  # fmt: skip
        )

    def blob(self) -> bytes:
        # one table per string column, None first: a place's strings stay distinct objects, as from SQLite
        tables: list[dict[str | None, int]] = [{None: 0} for _ in range(4)]
        combinations = b"".join(
            _COMBINATION.pack(*(table.setdefault(value, len(table)) for table, value in zip(tables, strings)))
            for strings in self.combinations
        )
        for table in tables:
            if any("\n" in s for s in table if s):
                raise ValueError("a stored answer's string holds a line break")
        columns = tuple("\n".join(s for s in table if s is not None) for table in tables)
        return pickle.dumps(
            (
                self.answers,
                "".join(self.text),
                b"".join(self.records),
                _hash_table(self.keys).tobytes(),
                columns,
                combinations,
                b"".join(self.extras),
                "".join(self.alternative_text),
                b"".join(self.alternatives),
            ),
            protocol=5,
        )


def _slot_of(key: str) -> int:
    """Where a key's look-up starts in the hash table (before the mask): the same in every process,
    unlike ``hash(key)``, so the table is built once, with the index."""
    return zlib.crc32(key.encode())


def _hash_table(keys: list[str]) -> array[int]:
    """Open addressing, probing linearly: each key's record offset at the first free slot from its
    own; -1 in the free slots. A quarter full at most, so most keys sit in their own slot."""
    size = 1 << max(10, (4 * len(keys) - 1).bit_length())
    mask = size - 1
    table = array("i", [-1]) * size
    slots = map(mask.__and__, map(zlib.crc32, map(str.encode, keys)))  # _slot_of, in C
    for at, slot in zip(range(0, len(keys) * _RECORD.size, _RECORD.size), slots):
        while table[slot] >= 0:
            slot = (slot + 1) & mask
        table[slot] = at
    return table


_NO_EXTRA = (0.0, False, ())


class PackedAnswers:
    """Every stored answer, as the packed blob holds it: ``resolve`` builds one ``Place`` per query.

    Held: the blob's parts (about 25 MB), read as they are: loading makes no object per
    answer (a hash table built with the index finds a key's record). Alternatives (one
    answer in twelve has some) are read on first use, then shared.
    """

    __slots__ = ("_answers", "_text", "_records", "_table", "_mask", "_combinations", "_extras", "_alternative_text",
                 "_alternatives", "_extras_read", "_compiled")  # fmt: skip

    def __init__(self, data: bytes, *, compiled: Any = COMPILED):
        """``compiled``: the compiled batch loop to use (``None``: the Python loop, as tests and
        benchmarks ask to compare the two)."""
        (self._answers, self._text, self._records, table, tables, combinations, self._extras, self._alternative_text,
         self._alternatives) = pickle.loads(data)  # fmt: skip
        self._table = memoryview(table).cast("i")
        self._mask = len(self._table) - 1
        # each table from its own split: no string object is shared between two columns
        columns = [[None, *table.split("\n")] if table else [None] for table in tables]
        self._combinations = [
            tuple(column[at] for column, at in zip(columns, strings))
            for strings in _COMBINATION.iter_unpack(combinations)
        ]
        self._extras_read: dict[int, tuple[float, bool, tuple[Alternative, ...]]] = {}
        self._compiled = compiled

    def __len__(self) -> int:
        return self._answers

    def keys(self) -> list[str]:
        """Every key with a stored answer, in the order they are stored (not the aliases)."""
        return self._texts(self._records[: self._answers * _RECORD.size])

    def aliases(self) -> list[str]:
        """Every alias (a name lower-cased, when that is not its key: see :meth:`_Packer.add_aliases`)."""
        return self._texts(self._records[self._answers * _RECORD.size :])

    def _texts(self, records: bytes) -> list[str]:
        text = self._text
        return [text[record[6] : record[7]] for record in _RECORD.iter_unpack(records)]

    def __contains__(self, key: str) -> bool:
        return self._find(key) >= 0

    def _find(self, key: str) -> int:
        """The offset of ``key``'s record, or -1: the table from the key's slot on, to a free slot."""
        table = self._table
        mask = self._mask
        slot = _slot_of(key) & mask
        at = table[slot]
        while at >= 0:
            start, middle = _KEY_BOUNDS.unpack_from(self._records, at + _KEY_BOUNDS_AT)
            if self._text[start:middle] == key:
                return at
            slot = (slot + 1) & mask
            at = table[slot]
        return -1

    def _offset(self, query: str, key: str, plain: Callable[[str], object], *, probe: bool) -> int:
        """The offset of the record of ``query``'s key, or -1, when ``key`` (the query lower-cased)
        was not in its own slot: further on if ``probe`` (another key was there), else under
        the query's name key, when it has one of its own and no context."""
        at = self._find(key) if probe else -1
        if at < 0 and not (query.isascii() and key.isalnum()) and plain(query) is None:
            other = name_key(query)
            if other != key:
                at = self._find(other)
        return at

    def _extra(self, at: int) -> tuple[float, bool, tuple[Alternative, ...]]:
        """An answer's spread, region mismatch and alternatives, each ``Alternative`` made as its
        constructor makes it (fields in order; each string a fresh object, as from SQLite)."""
        spread, mismatch, first, count = _EXTRA.unpack_from(self._extras, at * _EXTRA.size)
        text = self._alternative_text
        new = object.__new__
        alternatives = []
        for lat, lon, score, outside, has_country, start, middle, end in _ALTERNATIVE.iter_unpack(
            self._alternatives[first * _ALTERNATIVE.size : (first + count) * _ALTERNATIVE.size]
        ):
            alternative = new(Alternative)
            fields = alternative.__dict__
            fields["name"] = text[start:middle]
            fields["lat"] = lat
            fields["lon"] = lon
            fields["country_code"] = text[middle:end] if has_country else None
            fields["score"] = score
            fields["outside"] = outside
            alternatives.append(alternative)
        read = self._extras_read[at] = (spread, mismatch, tuple(alternatives))
        return read

    def resolve(self, queries: list[str], memo: dict[str, Place | None], not_plain: re.Pattern[str]) -> list[str]:
        """Put in ``memo`` the answer of each plain query whose name key has a stored answer;
        return the other queries (context, offsets, names with no stored answer), in order.

        The compiled loop (:data:`COMPILED`), when built, answers each query found by its
        lower-cased form, making each ``Place`` as the dataclass's constructor does; the Python
        loop (:meth:`_resolve_here`) then takes the ones it hands back, and all of them when it
        was not built. The cyclic garbage collector is paused meanwhile, as in the Python loop.
        """
        if self._compiled is not None and queries:
            with collector_paused(promote=True):
                queries = self._compiled.resolve(
                    queries, self._records, self._text, self._table, self._combinations, self._extras_read,
                    self._extra, Place, _NO_EXTRA, memo,
                )  # fmt: skip
        return self._resolve_here(queries, memo, not_plain) if queries else []

    def _resolve_here(self, queries: list[str], memo: dict[str, Place | None], not_plain: re.Pattern[str]) -> list[str]:
        """:meth:`resolve` in Python.

        Each query's lower-cased form is looked up first, its slot computed in C for the whole
        batch: a stored key is words and single spaces without digits, so an ASCII query that
        lower-cases to one is plain and has that key (no ``name_key`` to call), and one that
        lower-cases to a stored alias has the alias's key. A query not found so takes
        :meth:`_offset`. Each place gets its fields in the dataclass's
        order (its pickle is the one its constructor makes), written into its fresh
        ``__dict__`` one by one: the instance keeps the class's shared keys, half the memory
        and time of assigning a new dictionary. The cyclic garbage collector is paused
        meanwhile: the loop makes no cycles, and with it running a third of the time went to
        scanning the new places again and again; after it, the new places go straight to the
        oldest generation (``gc.freeze`` then ``gc.unfreeze``) rather than being scanned once
        more by the next young collection, a tenth of the batch's time. The memo is filled in
        one ``update`` at the end.
        """
        rest: list[str] = []
        queries_answered: list[str] = []
        places: list[Place] = []
        answered = queries_answered.append
        found = places.append
        unpack = _RECORD.unpack_from
        records = self._records
        text = self._text
        combinations = self._combinations
        extras = self._extras_read
        read_extra = self._extra
        offset = self._offset
        plain = not_plain.search
        new = object.__new__
        keys = list(map(str.lower, queries))
        first = map(self._table.__getitem__, map(self._mask.__and__, map(zlib.crc32, map(str.encode, keys))))
        with collector_paused(promote=True):
            for query, key, at in zip(queries, keys, first):
                record = unpack(records, at) if at >= 0 else None
                if record is None or text[record[6] : record[7]] != key:
                    at = offset(query, key, plain, probe=record is not None)
                    if at < 0:
                        rest.append(query)
                        continue
                    record = unpack(records, at)
                place_id, lat, lon, confidence, radius, population, _, start, end, combination, extra = record
                country, admin1, feature, source = combinations[combination]
                spread, mismatch, alternatives = _NO_EXTRA if extra < 0 else (extras.get(extra) or read_extra(extra))
                place = new(Place)
                fields = place.__dict__
                fields["name"] = text[start:end]
                fields["lat"] = lat
                fields["lon"] = lon
                fields["country_code"] = country
                fields["admin1"] = admin1
                fields["feature"] = feature
                fields["population"] = None if population < 0 else population
                fields["source"] = source
                fields["confidence"] = confidence
                fields["radius_km"] = radius
                fields["spread_km"] = spread
                fields["alternatives"] = alternatives
                fields["query"] = query
                fields["place_id"] = place_id
                fields["region_mismatch"] = mismatch
                answered(query)
                found(place)
        memo.update(zip(queries_answered, places))
        return rest


#: Where a record's key starts and ends (after the place id, the four numbers and the population).
_KEY_BOUNDS = struct.Struct("<II")
_KEY_BOUNDS_AT = struct.calcsize("<iddddq")


#: A batch of this many distinct names or more loads every stored answer (once per process);
#: a smaller one takes the full ranking (about as long as loading, for this many names).
LOAD_ALL_FROM = 5_000

_LOADED: dict[tuple[str, int, int, int], PackedAnswers] = {}


def _file_identity(conn: sqlite3.Connection) -> tuple[str, int, int, int] | None:
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return None
    stat = os.stat(path)
    return (path, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def has_answers(conn: sqlite3.Connection) -> bool:
    """Whether this index holds stored answers of this layout (an index built before them does not)."""
    try:
        return conn.execute("SELECT 1 FROM answers_packed WHERE format = ?", (PACK_FORMAT,)).fetchone() is not None
    except sqlite3.OperationalError:  # no such table
        return False


def packed_answers(conn: sqlite3.Connection, *, load: bool) -> PackedAnswers | None:
    """This index's answers held in memory: loaded already in this process, or now if ``load``.

    ``None`` when not loaded and not ``load``, or when the index holds no packed answers of
    this format (an index built before them): the caller ranks instead.
    """
    identity = _file_identity(conn)
    if identity is None:
        return None
    packed = _LOADED.get(identity)
    if packed is None and load:
        if not has_answers(conn):
            return None
        (data,) = conn.execute("SELECT data FROM answers_packed WHERE format = ?", (PACK_FORMAT,)).fetchone()
        _LOADED.clear()  # one index per process at a time: a rebuilt one replaces the old
        packed = _LOADED[identity] = PackedAnswers(data)
    return packed
