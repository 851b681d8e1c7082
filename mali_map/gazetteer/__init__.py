"""The gazetteer: place names to places, offline first.

:class:`Gazetteer` searches, in one ranking, the embedded index (GeoNames
cities, countries, regions; see :mod:`.embedded`), the gazetteers the user has
imported (:mod:`.userstore`), files given for one run (``--gazetteer PATH``)
and, only when asked, an online geocoder. It also works as a geopy geocoder::

    >>> from mali_map import Gazetteer
    >>> Gazetteer().geocode("Kati").point[:2]
    (12.74409, -8.07257)

so ``geopandas.tools.geocode(names, provider=Gazetteer())`` can use it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ..countries import DEFAULT_COUNTRY, country_code as _country_code, focus_country
from ..errors import BadInput, PlaceNotFound
from ..geodesy import destination
from ..places import Place
from ..textnorm import name_key
from . import index, integrity
from .fuzzy import SUGGESTION_SIMILARITY, FuzzyNames
from .matching import FUZZY_KIND, Candidate, Context, best_place, rank
from .query import Offset, parse_query
from .records import RowError

if TYPE_CHECKING:
    from ..geocoders.base import OnlineGeocoder

_UNSET = object()

_CANDIDATES_SQL = (
    "SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population, "
    "p.area_km2, p.source, p.prominence, n.kind FROM names n JOIN places p ON p.id = n.place_id "
    "WHERE n.key = ?")
_CANDIDATES_MANY_SQL = _CANDIDATES_SQL.replace("SELECT ", "SELECT n.key, ", 1).replace("n.key = ?", "n.key IN ({marks})")
_COUNTRY_SQL = (_CANDIDATES_SQL.replace("WHERE n.key = ?", "WHERE p.country_code = ? AND p.feature = 'country'")
                + " ORDER BY n.kind LIMIT 1")
#: Queries that need parsing (context after a comma, offsets with numbers) take the one-by-one path.
_NOT_PLAIN = re.compile(r"[,;\d]")


class Gazetteer:
    """Every place source of a run, searched as one.

    ``extra_paths``: files to add for this run only (CSV, GeoJSON, GeoNames
    dump). ``country``: the default focus (``None``: ``ML``; ``""`` for none). ``online``:
    ``True`` to also ask Nominatim (see :mod:`mali_map.geocoders.online`), or the online
    geocoder to ask (anything with the :class:`~mali_map.geocoders.base.OnlineGeocoder`
    method ``lookup(query, *, country_code=None, limit=5) -> list[Place]``).
    ``include_saved``: search the user's imported gazetteers too. Methods that take
    ``country=`` use this focus when it is left out; given, it means what it means
    everywhere (``None``: ``ML``, ``""``: none).
    ``warn``: where one-line warnings go (an online geocoder that failed);
    by default the ``mali_map`` logger, or stderr when logging is not set up.
    """

    def __init__(self, extra_paths: Iterable[str | Path] = (), *, country: str | None = DEFAULT_COUNTRY,
                 online: bool | OnlineGeocoder = False, include_saved: bool = True, embedded: bool = True,
                 warn: Callable[[str], None] | None = None):
        from .embedded import embedded_index_path

        self.default_country = focus_country(country)
        self.online = online is not False
        self.warn = warn
        self._connections: list[sqlite3.Connection] = []
        if embedded:
            self._connections.append(index.connect(embedded_index_path(), readonly=True))
        if include_saved or extra_paths:
            from . import userstore

            if include_saved:
                self._connections += [conn for conn in map(self._open_saved, userstore.saved_index_paths()) if conn]
            for path in extra_paths:
                errors: list[RowError] = []
                self._connections.append(userstore.load_temporary(path, errors))
                if errors:
                    self._warn(f"{path}: skipped {len(errors)} bad row{'s' * (len(errors) > 1)} "
                               f"(first: {errors[0]})")
        self._fuzzy = FuzzyNames(self._connections)
        self._memo: dict[tuple[str, str | None], Place | None] = {}
        self._online_geocoder = None if isinstance(online, bool) else online

    # -- lookups -------------------------------------------------------------------------

    def lookup(self, query: str, *, country: str | None = _UNSET) -> Place:  # type: ignore[assignment]
        """The best place for ``query``, with confidence and alternatives.

        Understands context (``Siby, Koulikoro, Mali``) and offsets
        (``Gao 50km W``, ``50 km west of Gao``). Raises :class:`PlaceNotFound`
        with suggestions when nothing matches.
        """
        focus = self._focus(country)
        parsed = parse_query(query)
        if parsed.context or parsed.offset:
            # Commas and numbers can belong to a name ("San Andrés, Providencia y Santa
            # Catalina", "Kilometre 8"): a place named by the whole text comes first.
            whole = self._exact(name_key(query))
            if whole:
                return best_place(whole, focus=focus, context=Context(), query=query)
        if self.online:
            # An exact online answer beats an offline guess at a misspelling: fuzzy comes last.
            places = self.candidates(parsed.name, country=focus or "", context=parsed.context, fuzzy=False)
            places = self._with_online(query, parsed.name, focus, places)
            places = places or self.candidates(parsed.name, country=focus or "", context=parsed.context)
            place = places[0].with_(query=query) if places else None
        else:
            place = best_place(self._matches(name_key(parsed.name), focus), focus=focus,
                               context=self._context(parsed.context), query=query)
        if place is None:
            raise PlaceNotFound(query, self.suggest(parsed.name, country=focus or ""))
        return _offset_place(place, parsed.offset) if parsed.offset else place

    def lookup_many(self, queries: Sequence[str], *, country: str | None = _UNSET) -> list[Place | None]:  # type: ignore[assignment]
        """:meth:`lookup` for many queries, same order; ``None`` where nothing matched.

        Distinct queries are resolved once (repeats come from memory), and
        plain names are fetched from the index in batches rather than one
        query at a time.
        """
        focus = self._focus(country)
        memo = self._memo
        pending = [q for q in dict.fromkeys(queries) if (q, focus) not in memo]
        if pending:
            self._resolve_batch(pending, focus)
        return [memo[(q, focus)] for q in queries]

    def candidates(self, name: str, *, country: str | None = _UNSET, context: Sequence[str] = (),  # type: ignore[assignment]
                   limit: int = 10, fuzzy: bool = True) -> list[Place]:
        """Ranked places for a bare name, best first, each with its confidence.

        For callers that disambiguate with more context themselves (the claim
        checker uses the other places of a sentence). Falls back to fuzzy
        matches (lower confidence) when no name matches exactly.
        """
        focus = self._focus(country)
        found = self._matches(name_key(name), focus, fuzzy=fuzzy)
        return rank(found, focus=focus, context=self._context(context), limit=limit)

    def suggest(self, name: str, *, country: str | None = _UNSET, limit: int = 5) -> tuple[str, ...]:  # type: ignore[assignment]
        """Names close to ``name`` ("did you mean"), most likely first."""
        focus = self._focus(country)
        names: list[str] = []
        for similar, score in self._fuzzy.similar(name_key(name), focus, limit=limit * 2,
                                                  min_similarity=SUGGESTION_SIMILARITY):
            for place in rank(self._exact(similar, kind=FUZZY_KIND, similarity=score), focus=focus,
                              context=Context(), limit=1):
                label = f"{place.name} ({place.country_code})" if place.country_code else place.name
                if label not in names:
                    names.append(label)
        return tuple(names[:limit])

    def country(self, text: str) -> Place | None:
        """The country a text names: ISO code (``ML``), name (``Mali``, ``Côte d'Ivoire``) or demonym (``Malian``, ``malienne``)."""
        code = _country_code(text)
        if code is None:
            return None
        for conn in self._connections:
            row = conn.execute(_COUNTRY_SQL, (code,)).fetchone()
            if row:
                return rank([Candidate(*row)], focus=None, context=Context())[0]
        return None

    def capital(self, country_code: str) -> Place:
        """The capital of a country (``"ML"`` -> Bamako). Raises :class:`PlaceNotFound`."""
        from .. import geodata

        code = country_code.upper()
        info = next((c for c in geodata.countries() if c["iso2"] == code), None)
        if info and info.get("capital_geonameid"):
            for conn in self._connections[:1]:
                row = conn.execute(_CANDIDATES_SQL.replace("WHERE n.key = ?", "WHERE p.geonameid = ? AND n.kind = 0"),
                                   (info["capital_geonameid"],)).fetchone()
                if row:
                    return rank([Candidate(*row)], focus=None, context=Context())[0]
        raise PlaceNotFound(f"capital of {country_code}")

    # -- geopy protocol --------------------------------------------------------------------

    def geocode(self, query: str, exactly_one: bool = True, **_ignored):
        """geopy's geocoder protocol: a ``geopy.location.Location`` (or a list), ``None`` if not found."""
        from geopy.location import Location

        try:
            place = self.lookup(query)
        except PlaceNotFound:
            return None
        found = [place] + [Place(a.name, a.lat, a.lon, a.country_code, confidence=a.score) for a in place.alternatives]
        locations = [Location(_address(p), (p.lat, p.lon), p.to_dict()) for p in found]
        return locations[0] if exactly_one else locations

    def __call__(self, **_settings) -> "Gazetteer":
        """Return this gazetteer: geopandas calls its ``provider`` to make a geocoder,
        so ``geopandas.tools.geocode(names, provider=gazetteer)`` works with an instance too."""
        return self

    # -- internals -------------------------------------------------------------------------

    def _open_saved(self, path: Path) -> sqlite3.Connection | None:
        """A saved gazetteer, or ``None`` with a warning when its file is damaged (the rest still work)."""
        damage = integrity.problem(path)
        if damage:
            self._warn(f"saved gazetteer {path.stem!r} is damaged and unreadable ({damage}); skipped. "
                       f"Import it again, or 'mali-map gazetteer remove {path.stem}' deletes it")
            return None
        try:
            conn = index.connect(path, readonly=True)
            conn.execute("SELECT key FROM names LIMIT 1").fetchall()
            return conn
        except sqlite3.DatabaseError as error:
            self._warn(f"saved gazetteer {path.stem!r} is unreadable ({error}); skipped. "
                       f"'mali-map gazetteer remove {path.stem}' deletes it")
            return None

    def _warn(self, message: str) -> None:
        if self.warn:
            self.warn(message)
        else:
            import logging

            logging.getLogger("mali_map").warning("%s", message)

    def _focus(self, country) -> str | None:
        if country is _UNSET:
            return self.default_country
        return focus_country(country)

    def _matches(self, key: str, focus: str | None, *, fuzzy: bool = True) -> list[Candidate]:
        """Exact matches of a name key, else fuzzy ones (marked as such)."""
        if not key:
            return []
        found = self._exact(key)
        if not found and fuzzy:
            found = [c for similar, score in self._fuzzy.similar(key, focus)
                     for c in self._exact(similar, kind=FUZZY_KIND, similarity=score)]
        return found

    def _resolve_batch(self, queries: list[str], focus: str | None) -> None:
        """Resolve distinct queries into the memo: plain names in batches, the rest one by one."""
        plain: dict[str, list[str]] = {}
        for query in queries:
            if self.online or _NOT_PLAIN.search(query):
                self._memo[(query, focus)] = self._lookup_or_none(query, focus)
            else:
                plain.setdefault(name_key(query), []).append(query)
        found = self._exact_many(list(plain))
        no_context = Context()
        for key, key_queries in plain.items():
            candidates = found.get(key)
            for query in key_queries:
                if candidates:
                    place = best_place(candidates, focus=focus, context=no_context, query=query)
                else:
                    place = self._lookup_or_none(query, focus)
                self._memo[(query, focus)] = place

    def _lookup_or_none(self, query: str, focus: str | None) -> Place | None:
        try:
            return self.lookup(query, country=focus or "")
        except (PlaceNotFound, BadInput):
            return None

    def _exact_many(self, keys: list[str], chunk: int = 500) -> dict[str, list[Candidate]]:
        """Exact matches of many keys at once: ``{key: candidates}``."""
        found: dict[str, list[Candidate]] = {}
        for conn in self._connections:
            for start in range(0, len(keys), chunk):
                part = keys[start:start + chunk]
                sql = _CANDIDATES_MANY_SQL.format(marks=",".join("?" * len(part)))
                for row in conn.execute(sql, part):
                    found.setdefault(row[0], []).append(Candidate(*row[1:]))
        return found

    def _exact(self, key: str, *, kind: int | None = None, similarity: float = 1.0) -> list[Candidate]:
        found = []
        for conn in self._connections:
            for row in conn.execute(_CANDIDATES_SQL, (key,)):
                candidate = Candidate(*row)
                if kind is not None:
                    candidate = Candidate(*row[:-1], kind, similarity)
                found.append(candidate)
        return found

    def _context(self, parts: Sequence[str]) -> Context:
        if not parts:
            return Context()
        regions, countries = set(), set()
        for part in parts:
            code = _country_code(part)
            if code:
                countries.add(code)
            else:
                regions.add(name_key(part))
        return Context(frozenset(regions), frozenset(countries))

    def _with_online(self, query: str, name: str, focus: str | None, places: list[Place]) -> list[Place]:
        from ..geocoders.online import default_geocoder, online_candidates

        if self._online_geocoder is None:
            self._online_geocoder = default_geocoder()
        parsed = parse_query(query)
        text = ", ".join(part for part in (parsed.name, *parsed.context) if part)  # never the offset
        return online_candidates(self._online_geocoder, text, focus, places, warn=self.warn)


def _offset_place(anchor: Place, offset: Offset) -> Place:
    """The point ``offset`` away from ``anchor``, with a radius that grows with the distance.

    A compass point is precise to about ±20° and a quoted distance to about
    ±10 %, so the uncertainty is about 0.36 times the distance, on top of the
    anchor's own extent.
    """
    lat, lon = destination(anchor.point, offset.bearing_deg, offset.distance_km)
    return anchor.with_(name=offset.label(anchor.name), lat=lat, lon=lon, feature="offset", population=None,
                        radius_km=anchor.radius_km + 0.36 * offset.distance_km,
                        confidence=round(anchor.confidence * 0.8, 3), alternatives=())


def _address(place: Place) -> str:
    return ", ".join(part for part in (place.name, place.admin1, place.country_code) if part)


_OPEN: dict[tuple, Gazetteer] = {}


def open_gazetteer(extra_paths: Iterable[str | Path] = (), country: str | None = DEFAULT_COUNTRY,
                   online: bool | OnlineGeocoder = False, warn: Callable[[str], None] | None = None) -> Gazetteer:
    """A shared :class:`Gazetteer` for these settings (opened once per process).

    Reopened when the user's saved gazetteers change, so an import is seen at once.
    """
    from . import userstore

    saved = tuple((str(p), p.stat().st_mtime_ns) for p in userstore.saved_index_paths())
    key = (tuple(str(p) for p in extra_paths), focus_country(country), online, saved)
    gazetteer = _OPEN.get(key)
    if gazetteer is None:
        gazetteer = _OPEN[key] = Gazetteer(extra_paths, country=country, online=online, warn=warn)
    gazetteer.warn = warn
    return gazetteer


__all__ = ["Gazetteer", "open_gazetteer", "DEFAULT_COUNTRY"]
