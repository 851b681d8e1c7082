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

import functools
import sqlite3
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import BadInput, PlaceNotFound
from ..geodesy import destination
from ..places import Place
from ..textnorm import name_key
from . import index
from .fuzzy import FuzzyNames
from .matching import FUZZY_KIND, Candidate, Context, rank
from .query import Offset, parse_query
from .records import RowError

DEFAULT_COUNTRY = "ML"
_UNSET = object()

_CANDIDATES_SQL = (
    "SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population, "
    "p.area_km2, p.source, p.prominence, n.kind FROM names n JOIN places p ON p.id = n.place_id "
    "WHERE n.key = ?")


class Gazetteer:
    """Every place source of a run, searched as one.

    ``extra_paths``: files to add for this run only (CSV, GeoJSON, GeoNames
    dump). ``country``: the default focus (``None`` for none). ``online``:
    also ask Nominatim (see :mod:`mali_map.geocoders.online`).
    ``include_saved``: search the user's imported gazetteers too.
    """

    def __init__(self, extra_paths: Iterable[str | Path] = (), *, country: str | None = DEFAULT_COUNTRY,
                 online: bool = False, include_saved: bool = True, embedded: bool = True):
        from .embedded import embedded_index_path

        self.country = (country or "").upper() or None
        self.online = online
        self.row_errors: list[RowError] = []
        self._connections: list[sqlite3.Connection] = []
        if embedded:
            self._connections.append(index.connect(embedded_index_path(), readonly=True))
        if include_saved or extra_paths:
            from . import userstore

            if include_saved:
                self._connections += [index.connect(p, readonly=True) for p in userstore.saved_index_paths()]
            for path in extra_paths:
                self._connections.append(userstore.load_temporary(path, self.row_errors))
        self._fuzzy = FuzzyNames(self._connections)
        self._memo: dict[tuple[str, str | None], Place | None] = {}
        self._online_geocoder = None

    # -- lookups -------------------------------------------------------------------------

    def lookup(self, query: str, *, country: str | None = _UNSET) -> Place:  # type: ignore[assignment]
        """The best place for ``query``, with confidence and alternatives.

        Understands context (``Siby, Koulikoro, Mali``) and offsets
        (``Gao 50km W``, ``50 km west of Gao``). Raises :class:`PlaceNotFound`
        with suggestions when nothing matches.
        """
        focus = self._focus(country)
        parsed = parse_query(query)
        places = self.candidates(parsed.name, country=focus, context=parsed.context, limit=10)
        if self.online:
            places = self._with_online(query, parsed.name, focus, places)
        if not places:
            raise PlaceNotFound(query, self.suggest(parsed.name, country=focus))
        place = places[0].with_(query=query)
        return _offset_place(place, parsed.offset) if parsed.offset else place

    def lookup_many(self, queries: Sequence[str], *, country: str | None = _UNSET) -> list[Place | None]:  # type: ignore[assignment]
        """:meth:`lookup` for many queries, same order; ``None`` where nothing matched.

        Repeated queries are answered from memory, so a column of 100,000
        incident locations costs one lookup per distinct name.
        """
        focus = self._focus(country)
        memo = self._memo
        results: list[Place | None] = []
        append = results.append
        for query in queries:
            key = (query, focus)
            place = memo.get(key, _UNSET)
            if place is _UNSET:
                try:
                    place = self.lookup(query, country=focus)
                except (PlaceNotFound, BadInput):
                    place = None
                memo[key] = place
            append(place)
        return results

    def candidates(self, name: str, *, country: str | None = _UNSET, context: Sequence[str] = (),  # type: ignore[assignment]
                   limit: int = 10, fuzzy: bool = True) -> list[Place]:
        """Ranked places for a bare name, best first, each with its confidence.

        For callers that disambiguate with more context themselves (the claim
        checker uses the other places of a sentence). Falls back to fuzzy
        matches (lower confidence) when no name matches exactly.
        """
        focus = self._focus(country)
        key = name_key(name)
        if not key:
            return []
        found = self._exact(key)
        if not found and fuzzy:
            found = [c for similar, score in self._fuzzy.similar(key, focus)
                     for c in self._exact(similar, kind=FUZZY_KIND, similarity=score)]
        return rank(found, focus=focus, context=self._context(context), limit=limit)

    def suggest(self, name: str, *, country: str | None = _UNSET, limit: int = 5) -> tuple[str, ...]:  # type: ignore[assignment]
        """Names close to ``name`` ("did you mean"), most likely first."""
        focus = self._focus(country)
        names: list[str] = []
        for similar, score in self._fuzzy.similar(name_key(name), focus, limit=limit * 2):
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
        for candidate in self._exact(name_key(code)):
            if candidate.feature == "country" and candidate.country_code == code:
                return rank([candidate], focus=None, context=Context())[0]
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

    # -- internals -------------------------------------------------------------------------

    def _focus(self, country) -> str | None:
        if country is _UNSET:
            return self.country
        return (country or "").upper() or None

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
        from ..geocoders.online import online_candidates

        return online_candidates(self, query, focus, places)


def _offset_place(anchor: Place, offset: Offset) -> Place:
    """The point ``offset`` away from ``anchor``, with a radius that grows with the distance.

    A compass point is precise to about ±20° and a quoted distance to about
    ±10 %, so the uncertainty is about 0.36 times the distance, on top of the
    anchor's own extent.
    """
    lat, lon = destination(anchor.point, offset.bearing_deg, offset.distance_km)
    label = f"{offset.distance_km:g} km {offset.direction} of {anchor.name}"
    return anchor.with_(name=label, lat=lat, lon=lon, feature="offset", population=None,
                        radius_km=anchor.radius_km + 0.36 * offset.distance_km,
                        confidence=round(anchor.confidence * 0.8, 3), alternatives=())


def _address(place: Place) -> str:
    return ", ".join(part for part in (place.name, place.admin1, place.country_code) if part)


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """name key of every country name, ISO3 code and demonym -> ISO2 code."""
    from .. import geodata

    names: dict[str, str] = {}
    for country in geodata.countries():
        for name in [country["name"], country["iso3"], *country.get("names", ()), *country.get("demonyms", ())]:
            names.setdefault(name_key(name), country["iso2"])
    return names


def _country_code(text: str) -> str | None:
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isalpha() and stripped.isupper():
        return stripped if name_key(stripped) in _country_codes() else None
    return _country_names().get(name_key(stripped))


@functools.lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    from .. import geodata

    return frozenset(name_key(c["iso2"]) for c in geodata.countries())


_OPEN: dict[tuple, Gazetteer] = {}


def open_gazetteer(extra_paths: Iterable[str | Path] = (), country: str | None = DEFAULT_COUNTRY,
                   online: bool = False) -> Gazetteer:
    """A shared :class:`Gazetteer` for these settings (opened once per process).

    Reopened when the user's saved gazetteers change, so an import is seen at once.
    """
    from . import userstore

    saved = tuple((str(p), p.stat().st_mtime_ns) for p in userstore.saved_index_paths())
    key = (tuple(str(p) for p in extra_paths), (country or "").upper() or None, online, saved)
    gazetteer = _OPEN.get(key)
    if gazetteer is None:
        gazetteer = _OPEN[key] = Gazetteer(extra_paths, country=country, online=online)
    return gazetteer


__all__ = ["Gazetteer", "open_gazetteer", "DEFAULT_COUNTRY"]
