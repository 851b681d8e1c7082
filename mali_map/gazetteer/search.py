"""The :class:`Gazetteer`: every place source of a run, searched as one ranking.

The sources are the embedded index (GeoNames cities, countries, regions; see
:mod:`.embedded`), the gazetteers the user has imported (:mod:`.userstore`),
files given for one run (``--gazetteer PATH``) and, only when asked, an online
geocoder. Reading a query is :mod:`.query`'s job, ranking candidates
:mod:`.matching`'s, narrowing them to the countries a query allows
:mod:`.scope`'s; the SQL is in :mod:`.sql`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..countries import DEFAULT_COUNTRY, check_country_codes, country_code as _country_code, focus_country
from ..errors import BadInput, PlaceNotFound
from ..places import Place
from ..textnorm import name_key
from . import answers, index, integrity, sql
from .fuzzy import ANSWER_SIMILARITY, SUGGESTION_SIMILARITY, UNAIDED_FEATURES, UNAIDED_MIN_LETTERS, FuzzyNames
from .geopy_adapter import GeopyGeocoder
from .matching import (
    FUZZY_KIND,
    REGION_MATCH,
    REGION_MISMATCH,
    Candidate,
    Context,
    best_place,
    country_of,
    inside,
    rank,
    region_status,
)
from .query import offset_place, parse_query
from .records import RowError, RowErrors
from .region_history import widened
from .scope import answerable, region_meant

if TYPE_CHECKING:
    from ..geocoders.base import OnlineGeocoder

#: ``country=`` left out: the gazetteer's own focus (``None`` already means ``ML``).
_UNSET: Any = object()

#: Queries that need parsing (context after a comma, offsets with numbers) take the one-by-one path.
_NOT_PLAIN = answers.NOT_PLAIN


class Gazetteer(GeopyGeocoder):
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
    ``only``: country codes; when given, no answer ever comes from another
    country (``--only``). ``exclude_place_ids``: ``(source number, place id)``
    pairs to ignore (source 0 is the embedded index), for leave-out
    evaluation (``benchmarks/bench_calibration.py``).

    A country the query names (``Kati, Mali``) is a constraint too: the answer
    lies there or there is none.

    It is also a geopy geocoder (``geocode``, see :class:`~.geopy_adapter.GeopyGeocoder`).
    """

    def __init__(
        self,
        extra_paths: Iterable[str | Path] = (),
        *,
        country: str | None = DEFAULT_COUNTRY,
        online: bool | OnlineGeocoder = False,
        include_saved: bool = True,
        embedded: bool = True,
        warn: Callable[[str], None] | None = None,
        only: Iterable[str] | None = None,
        exclude_place_ids: frozenset[tuple[int, int]] = frozenset(),
    ):
        from .embedded import embedded_index_path

        self.default_country = focus_country(country)
        self.only = check_country_codes(only, where="only")
        self._excluded = exclude_place_ids
        self.online = online is not False
        self.warn = warn
        self._connections: list[sqlite3.Connection] = []
        self._embedded = embedded
        self._stored_answers: bool | None = None
        if embedded:
            self._connections.append(index.connect(embedded_index_path(), readonly=True))
        if include_saved or extra_paths:
            from . import userstore

            if include_saved:
                self._connections += [conn for conn in map(self._open_saved, userstore.saved_index_paths()) if conn]
            for path in extra_paths:
                errors: list[RowError] = RowErrors()
                self._connections.append(userstore.load_temporary(path, errors))
                if errors:
                    self._warn(f"{path}: skipped {len(errors)} bad row{'s' * (len(errors) > 1)} (first: {errors[0]})")
        self._fuzzy = FuzzyNames(self._connections)
        # answers remembered, by focus then query (no tuple to build per query in a large batch)
        self._memo: dict[str | None, dict[str, Place | None]] = {}
        self._guess_misspellings = True  # False in :meth:`unconstrained`
        self._online_geocoder = None if isinstance(online, bool) else online

    # -- lookups -------------------------------------------------------------------------

    def lookup(self, query: str, *, country: str | None = _UNSET) -> Place:
        """The best place for ``query``, with confidence and alternatives.

        Understands context (``Siby, Koulikoro, Mali``) and offsets
        (``Gao 50km W``, ``50 km west of Gao``). Raises :class:`PlaceNotFound`
        with suggestions when nothing matches.
        """
        return self._lookup(query, self._focus(country))

    def _lookup(self, query: str, focus: str | None, *, suggest: bool = True) -> Place:
        """:meth:`lookup` for a resolved focus; ``suggest=False`` skips the "did you mean"
        search when the caller drops it (a batch of thousands of unknown names)."""
        parsed = parse_query(query)
        context = self._context(parsed.context, focus)
        allowed = self._allowed(context)
        if parsed.context or parsed.offset:
            # Commas and numbers can belong to a name ("San Andrés, Providencia y Santa
            # Catalina", "Kilometre 8"): a place named by the whole text comes first.
            whole = self._exact(name_key(query))
            place = best_place(whole, focus=focus, context=Context(), query=query, allowed=self.only)
            if place is not None:
                return place
        if self.online:
            # An exact online answer beats an offline guess at a misspelling: fuzzy comes last.
            places = [
                p
                for p in self.candidates(parsed.name, country=focus or "", context=parsed.context, fuzzy=False)
                if allowed is None or p.country_code in allowed
            ]
            places = [
                p
                for p in self._with_online(query, parsed.name, focus, places)
                if allowed is None or p.country_code in allowed
            ]
            place = places[0].with_(query=query) if places else None
            if place is None:
                place = self._answer(parsed.name, focus, context, allowed, query)
        else:
            place = self._answer(parsed.name, focus, context, allowed, query)
        if place is None:
            raise PlaceNotFound(query, self._suggest(parsed.name, focus, context, allowed) if suggest else ())
        return offset_place(place, parsed.offset) if parsed.offset else place

    def lookup_many(self, queries: Sequence[str], *, country: str | None = _UNSET) -> list[Place | None]:
        """:meth:`lookup` for many queries, same order; ``None`` where nothing matched.

        Distinct queries are resolved once (repeats come from memory), and
        plain names are fetched from the index in batches rather than one
        query at a time.
        """
        focus = self._focus(country)
        memo = self._memo.get(focus)
        distinct: dict[str, Place | None] = dict.fromkeys(queries)
        if not memo:
            # nothing remembered: the distinct queries, answered in place, become the memo (no
            # second dictionary to grow), once every one of them has its answer
            if distinct:
                self._resolve_batch(list(distinct), focus, distinct)
            self._memo[focus] = memo = distinct
            if len(distinct) == len(queries):  # no repeats: the answers are in the queries' order
                return list(distinct.values())
        else:
            pending = [q for q in distinct if q not in memo]
            if pending:
                self._resolve_batch(pending, focus, memo)
        return list(map(memo.__getitem__, queries))

    def candidates(
        self,
        name: str,
        *,
        country: str | None = _UNSET,
        context: Sequence[str] = (),
        limit: int = 10,
        fuzzy: bool = True,
        codes: bool = True,
        online: bool = False,
    ) -> list[Place]:
        """Ranked places for a bare name, best first, each with its confidence.

        ``online=True`` on a gazetteer opened with ``--online`` also asks the online
        geocoder for ``name`` (same deadline, rate limit and cache as :meth:`lookup`)
        and merges its answer in (:func:`~mali_map.geocoders.online.online_candidates`).

        For callers that disambiguate with more context themselves (the claim
        checker uses the other places of a sentence). Falls back to fuzzy
        matches (lower confidence) when no name matches exactly. Countries
        among ``context`` pull (a sentence may name several); only ``only``
        restricts. ``codes=False`` leaves out matches by a short code only
        (IATA and the like): in running text "Abc" is a word, "ABC" may be a code.
        """
        focus = self._focus(country)
        resolved = self._context(context, focus)
        allowed = self.only
        found = [
            c
            for c in self._matches(name_key(name), focus, fuzzy=fuzzy, within=allowed)
            if inside(c, allowed) and (codes or c.kind != index.NAME_CODE)
        ]
        ranked = rank(found, focus=focus, context=resolved, limit=limit)
        if online and self.online and name.strip():
            merged = self._with_online_candidates(name, focus, ranked)
            ranked = [p for p in merged if allowed is None or p.country_code in allowed][:limit]
        return ranked

    def suggest(self, name: str, *, country: str | None = _UNSET, limit: int = 5) -> tuple[str, ...]:
        """Names close to ``name`` ("did you mean"), most likely first.

        ``name`` may carry context (``Diabaly, Segou, Mali``): suggestions then
        come from the named country only, those in the named region first.
        """
        focus = self._focus(country)
        try:
            parsed = parse_query(name)
        except BadInput:
            return ()
        context = self._context(parsed.context, focus)
        return self._suggest(parsed.name, focus, context, self._allowed(context), limit=limit)

    def known_keys(self, keys: Iterable[str], chunk: int = 500) -> set[str]:
        """The name keys among ``keys`` that some place of this gazetteer has (in any of its files).

        One query per ``chunk`` keys: a caller about to look up thousands of names, most of
        them unknown (every run of capitalised words in a long report), asks this first and
        skips the unknown ones. A key known only for an excluded place still counts as known.
        """
        keys = list(dict.fromkeys(keys))
        known: set[str] = set()
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            for conn in self._connections:
                known.update(key for (key,) in conn.execute(sql.known_keys(len(part)), part))
        return known

    def country(self, text: str) -> Place | None:
        """The country a text names: ISO code (``ML``), name (``Mali``, ``Côte d'Ivoire``)
        or demonym (``Malian``, ``malienne``)."""
        code = _country_code(text)
        if code is None:
            return None
        for conn in self._connections:
            row = _main_name_row(conn, sql.COUNTRY_PLACES, sql.COUNTRY_BY_CODE, code)
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
                row = _main_name_row(conn, sql.PLACES_BY_GEONAMEID, sql.PLACE_BY_GEONAMEID, info["capital_geonameid"])
                if row:
                    return rank([Candidate(*row)], focus=None, context=Context())[0]
        raise PlaceNotFound(f"capital of {country_code}")

    def unconstrained(self) -> Gazetteer:
        """This gazetteer without ``only`` (same sources): to say what a refused name would have been.

        It answers exact names only: a misspelling guessed elsewhere says nothing about the
        refused name, and guessing for thousands of unknown names took most of a map's time.
        """
        import copy

        other = copy.copy(self)
        other.only = None
        other._memo = {}
        other._guess_misspellings = False
        return other

    def close(self) -> None:
        """Close the gazetteer's SQLite connections (a closed gazetteer raises on every search).

        A :class:`mali_map.Session` closes its gazetteer when it ends; a gazetteer made by hand
        can be closed with this, or used as a context manager (``with Gazetteer() as g: ...``).
        """
        for conn in self._connections:
            conn.close()
        self._memo.clear()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------

    def _open_saved(self, path: Path) -> sqlite3.Connection | None:
        """A saved gazetteer, or ``None`` with a warning when its file is damaged (the rest still work)."""
        damage = integrity.problem(path)
        if damage:
            self._warn(
                f"saved gazetteer {path.stem!r} is damaged and unreadable ({damage}); skipped. "
                f"Import it again, or 'mali-map gazetteer remove {path.stem}' deletes it"
            )
            return None
        try:
            conn = index.connect(path, readonly=True)
            conn.execute(sql.PROBE).fetchall()
            return conn
        except sqlite3.DatabaseError as error:
            self._warn(
                f"saved gazetteer {path.stem!r} is unreadable ({error}); skipped. "
                f"'mali-map gazetteer remove {path.stem}' deletes it"
            )
            return None

    def _warn(self, message: str) -> None:
        if self.warn:
            self.warn(message)
        else:
            import logging

            logging.getLogger("mali_map").warning("%s", message)

    def _focus(self, country: str | None) -> str | None:
        if country is _UNSET:
            return self.default_country
        return focus_country(country)

    def _matches(
        self, key: str, focus: str | None, *, fuzzy: bool = True, within: frozenset[str] | None = None
    ) -> list[Candidate]:
        """Exact matches of a name key, else fuzzy ones (marked as such)."""
        if not key:
            return []
        found = self._exact(key)
        if fuzzy and not any(inside(c, within) for c in found):
            found += self._fuzzy_matches(key, focus, within)
        return found

    def _fuzzy_matches(
        self,
        key: str,
        focus: str | None,
        within: frozenset[str] | None,
        *,
        limit: int = 5,
        min_similarity: float | None = None,
    ) -> list[Candidate]:
        extra = {} if min_similarity is None else {"min_similarity": min_similarity}
        return [
            c
            for similar, score in self._fuzzy.similar(key, focus, limit=limit, within=within, **extra)
            for c in self._exact(similar, kind=FUZZY_KIND, similarity=score)
        ]

    def _answer(
        self, name: str, focus: str | None, context: Context, allowed: frozenset[str] | None, query: str
    ) -> Place | None:
        """The answer for a name: an exact match in the allowed countries, else a plausible misspelling."""
        key = name_key(name)
        if not key:
            return None
        exact = self._exact(key)
        place = best_place(
            answerable(exact, focus, allowed), focus=focus, context=context, query=query, allowed=allowed
        )
        if place is not None:
            return place
        plausible = [
            c
            for c in (self._fuzzy_matches(key, focus, allowed) if self._guess_misspellings else ())
            if self._plausible_fuzzy(c, key, focus, context, allowed)
        ]
        # With a constraint, ``exact`` holds only places outside it here: listed, marked outside.
        outside = exact if allowed is not None else []
        return best_place(plausible + outside, focus=focus, context=context, query=query, allowed=allowed)

    @staticmethod
    def _plausible_fuzzy(
        candidate: Candidate, key: str, focus: str | None, context: Context, allowed: frozenset[str] | None
    ) -> bool:
        """A misspelling is answered only when close and where the query points: in the named
        country (or, naming none, the focus country), not in another named region; and, with
        no named region that agrees, only for a town or bigger, a name of some length and the
        same first letter (a country alone is too wide: random village names would be answered)."""
        if candidate.similarity < ANSWER_SIMILARITY or candidate.feature == "country":
            return False
        if allowed is None and focus and country_of(candidate) != focus:
            return False
        if allowed is None and not focus and candidate.similarity < 0.9:
            return False
        status = region_status(candidate, context)
        if status == REGION_MATCH:
            return True
        return (
            status != REGION_MISMATCH
            and candidate.feature in UNAIDED_FEATURES
            and len(key) >= UNAIDED_MIN_LETTERS
            and name_key(candidate.name)[:1] == key[:1]
        )

    def _suggest(
        self, name: str, focus: str | None, context: Context, allowed: frozenset[str] | None, *, limit: int = 5
    ) -> tuple[str, ...]:
        """Did-you-mean labels: from the allowed countries only, the named region's first."""
        scored: list[tuple[int, float, str]] = []
        for candidate in self._fuzzy_matches(
            name_key(name), focus, allowed, limit=limit * 2, min_similarity=SUGGESTION_SIMILARITY
        ):
            if not inside(candidate, allowed):
                continue
            label = f"{candidate.name} ({candidate.country_code})" if candidate.country_code else candidate.name
            in_region = region_status(candidate, context) == REGION_MATCH
            in_focus = bool(focus) and candidate.country_code == focus
            scored.append((-(2 * in_region + in_focus), -candidate.similarity - candidate.prominence / 100, label))
        names: list[str] = []
        for _, _, label in sorted(scored):
            if label not in names:
                names.append(label)
        return tuple(names[:limit])

    def _allowed(self, context: Context) -> frozenset[str] | None:
        """The countries an answer may come from: those the query names, within ``only``."""
        if context.country_codes:
            return context.country_codes & self.only if self.only is not None else context.country_codes
        return self.only

    def _resolve_batch(self, queries: list[str], focus: str | None, memo: dict[str, Place | None]) -> None:
        """Resolve distinct queries into ``memo``: stored answers first (a large batch, see
        :mod:`.answers`), then plain names in batches, the rest one by one."""
        if self._answers_apply(focus):
            packed = answers.packed_answers(self._connections[0], load=len(queries) >= answers.LOAD_ALL_FROM)
            if packed is not None:
                queries = packed.resolve(queries, memo, _NOT_PLAIN)
        plain: dict[str, list[str]] = {}
        for query in queries:
            if self.online or _NOT_PLAIN.search(query):
                memo[query] = self._lookup_or_none(query, focus)
            else:
                plain.setdefault(name_key(query), []).append(query)
        found = self._exact_many(list(plain))
        no_context = Context()
        for key, key_queries in plain.items():
            candidates = found.get(key)
            for query in key_queries:
                place = None
                if candidates:
                    place = best_place(
                        answerable(candidates, focus, self.only),
                        focus=focus,
                        context=no_context,
                        query=query,
                        allowed=self.only,
                    )
                if place is None:
                    place = self._lookup_or_none(query, focus)
                memo[query] = place

    def _answers_apply(self, focus: str | None) -> bool:
        """Whether the stored answers (see :mod:`.answers`) are the answers here: the embedded
        index alone, searched under the focus they were built for, with nothing narrowed or added."""
        if self._stored_answers is None:
            self._stored_answers = (
                self._embedded
                and len(self._connections) == 1
                and not self._excluded
                and answers.has_answers(self._connections[0])
            )
        return self._stored_answers and focus == DEFAULT_COUNTRY and self.only is None and not self.online

    def _lookup_or_none(self, query: str, focus: str | None) -> Place | None:
        try:
            return self._lookup(query, focus, suggest=False)
        except (PlaceNotFound, BadInput):
            return None

    def _exact_many(self, keys: list[str], chunk: int = 500) -> dict[str, list[Candidate]]:
        """Exact matches of many keys at once: ``{key: candidates}``."""
        found: dict[str, list[Candidate]] = {}
        for conn in self._connections:
            for start in range(0, len(keys), chunk):
                part = keys[start : start + chunk]
                for row in conn.execute(sql.candidates_by_keys(len(part)), part):
                    if self._excluded and (id(conn), row[1]) in self._excluded_keys():
                        continue
                    found.setdefault(row[0], []).append(Candidate(*row[1:]))
        return found

    def _exact(self, key: str, *, kind: int | None = None, similarity: float = 1.0) -> list[Candidate]:
        found = []
        excluded = self._excluded_keys() if self._excluded else ()
        for conn in self._connections:
            for row in conn.execute(sql.CANDIDATES_BY_KEY, (key,)):
                if excluded and (id(conn), row[0]) in excluded:
                    continue
                candidate = Candidate(*row)
                if kind is not None:
                    candidate = replace(candidate, kind=kind, similarity=similarity)
                found.append(candidate)
        return found

    def _excluded_keys(self) -> frozenset[tuple[int, int]]:
        """``exclude_place_ids`` as ``(id(connection), place id)``: index 0 is the first connection."""
        keys = getattr(self, "_excluded_cache", None)
        if keys is None:
            keys = self._excluded_cache = frozenset(
                (id(self._connections[n]), place_id) for n, place_id in self._excluded
            )
        return keys

    def _context(self, parts: Sequence[str], focus: str | None = None) -> Context:
        """The countries and regions the query's trailing parts name.

        A region is known by every spelling the region data has (``Segou`` ->
        ``Ségou``), by a close spelling of one, or as the region of a city of
        that name (``Timbuktu`` -> ``Tombouctou``), in the named country or, naming
        none, the focus country.
        """
        if not parts:
            return Context()
        countries = {code for code in map(_country_code, parts) if code}
        regions: set[str] = set()
        for part in parts:
            if _country_code(part):
                continue
            key = name_key(part)
            regions.add(key)
            for code in countries or ({focus} if focus else set()):
                named = region_meant(code, key) or self._region_of_city(code, key)
                if named:
                    regions.add(name_key(named))
        for code in countries or ({focus} if focus else set()):
            regions |= widened(code, regions)  # a region named as it was before a reform (Talataye, Gao)
        return Context(frozenset(regions), frozenset(countries))

    def _region_of_city(self, country_code: str, key: str) -> str | None:
        """The region of the biggest town of that name in the country (``timbuktu`` -> Tombouctou)."""
        cities = [
            c
            for c in self._exact(key)
            if c.country_code == country_code and c.feature in ("city", "capital", "town") and c.admin1
        ]
        return max(cities, key=lambda c: c.prominence).admin1 if cities else None

    def _with_online_candidates(self, name: str, focus: str | None, places: list[Place]) -> list[Place]:
        """``places`` with the online answers for ``name``: one that agrees with an offline candidate
        is merged into it (spread, confidence); any other is a candidate of its own, not only an
        alternative (a caller weighing every reading must see it). Best confidence first."""
        from ..geocoders.merge import AGREE_KM, merge_online
        from ..geodesy import distance_km

        def agree(place: Place, answer: Place) -> bool:
            gap_km = distance_km(place.point, answer.point)
            return gap_km <= max(AGREE_KM, place.radius_km + answer.radius_km)

        merged = list(places)
        for answer in self._with_online(name, name, focus, []):
            answer = answer.with_(alternatives=())
            at = next((i for i, place in enumerate(merged) if agree(place, answer)), None)
            if at is None:
                merged.append(answer)
            else:
                merged[at] = merge_online(merged[at], [answer]) or merged[at]
        return sorted(merged, key=lambda p: -p.confidence)

    def _with_online(self, query: str, name: str, focus: str | None, places: list[Place]) -> list[Place]:
        from ..geocoders.online import default_geocoder, online_candidates

        if self._online_geocoder is None:
            self._online_geocoder = default_geocoder()
        parsed = parse_query(query)
        text = ", ".join(part for part in (parsed.name, *parsed.context) if part)  # never the offset
        return online_candidates(self._online_geocoder, text, focus, places, warn=self.warn)


def _main_name_row(conn: sqlite3.Connection, places: str, full: str, value: object) -> tuple | None:
    """The row the query ``full`` gives for ``value`` (:data:`sql.COUNTRY_BY_CODE`,
    :data:`sql.PLACE_BY_GEONAMEID`: a place under its main name), read through the indexes.

    Those queries join every name of the index to find the place's main name (kind 0), a
    scan of the whole names table: 0.15-0.3 s for one country or capital, most of geoparsing
    1,000 articles. The usual case, one place (``places``, the same search without the
    names) named by its main name, is the row they give, in two indexed reads; any other
    case is left to ``full`` itself.
    """
    found = conn.execute(places, (value,)).fetchall()
    if not found:
        return None  # the join finds nothing either
    if len(found) == 1:
        place = found[0]
        if conn.execute(sql.MAIN_NAME, (name_key(place[1]), place[0])).fetchone():
            return (*place, index.NAME_MAIN)
    return conn.execute(full, (value,)).fetchone()
