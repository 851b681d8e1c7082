"""Geoparsing: find the places a text names and resolve them with the whole document.

>>> [(m.text, m.place.name) for m in geoparse("Soldiers mutinied in Kati, near Bamako.")]  # doctest: +SKIP
[('Kati', 'Kati'), ('Bamako', 'Bamako')]

Recognition (:mod:`.recognise`) finds names the gazetteer knows, demonyms and
descriptors; resolution (:mod:`.resolve`) picks a place for each with what
the document says (its country, its regions, its other places). Dates are in
:mod:`.dates`, incidents in :mod:`.events`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import statistics
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..places import Place
from ..textnorm import name_key
from ..vocabulary import Feature
from .calibration import calibrated, is_wide, point_is_convention
from .continents import continent
from .counties import county_places, county_states
from .recognise import DEMONYM, DESCRIPTOR, NAME, Span, recognise
from .resolve import Mention, document_country, metonymic, resolve_names, spelled_out
from .words import COUNTY_WORDS
from .world_regions import world_region

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..session import Session

#: "BAMAKO, Aug 18 (Sahel Desk) -": the credit in brackets names an agency, not a place.
_DATELINE_CREDIT = re.compile(
    r"^\s*(?:date\s*[:=]?\s*\d{4}-\d\d-\d\d\s+)?[A-Z][A-Z .'’-]+,[^(\n]{0,30}"
    r"\(([^)\n]{1,40})\)\s*[-–—]",
    re.IGNORECASE,
)
#: Confidence of a county or district placed only at the region it lies in.
AREA_CONFIDENCE = 0.3
#: Places of the text in a region needed to place one of its counties among them (see :func:`_area_in`).
LOCAL_MIN_PLACES = 2
#: How many candidates of a name the resolver weighs.
CANDIDATE_LIMIT = 25
#: Recognition's share of a mention's confidence, by what supports the words being a place.
_RECOGNITION = {"cue": 0.95, "plain": 0.85, "sentence_start": 0.75}


#: New runs of capitalised words in a text from which the index is asked about them in one batch
#: (:meth:`Geoparser._note_unknown`); a shorter text asks for each name it looks up.
BATCH_LOOKUPS_FROM = 2_000


class Geoparser:
    """Geoparses texts against one gazetteer, remembering each name's candidates for the run.

    ``gazetteer``: a :class:`mali_map.gazetteer.Gazetteer` (default: the shared
    one); ``country``: the focus, a weak prior (``None`` for the default ML,
    ``""`` for none). ``recogniser``: ``"rules"`` (default, no model) or
    ``"spacy"`` (needs the ``spacy`` extra, see :mod:`.spacy_recogniser`).
    ``calibrate``: report a resolved mention's confidence as the rate at which
    such mentions were right (:mod:`.calibration`); ``False`` keeps the raw score.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        country: str | None = None,
        recogniser: str = "rules",
        calibrate: bool = True,
    ) -> None:
        from ..countries import focus_country
        from ..gazetteer import open_gazetteer

        self.focus = focus_country(country)
        self.gazetteer = gazetteer if gazetteer is not None else open_gazetteer(country=self.focus)
        self.recogniser = recogniser
        self.calibrate = calibrate
        self._candidates: dict[str, list[Place]] = {}
        # the same memos by the words as written: recognition asks again for every capitalised word
        self._by_name: dict[str, list[Place]] = {}
        self._recognised: dict[str, list[Place]] = {}
        self._capitals: dict[str, Place | None] = {}
        #: name keys the index does not know (see :meth:`_note_unknown`)
        self._unknown: set[str] = set()
        self._countries: dict[str, Place | None] = {}
        self._spacy = None

    def candidates(self, name: str) -> list[Place]:
        """The gazetteer's exact candidates for ``name``, ranked without focus (memoised by name key);
        a continent first when ``name`` is one (the gazetteer lists only its namesakes)."""
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = self._key_candidates(name)
        return found

    def _key_candidates(self, name: str) -> list[Place]:
        key = name_key(name)
        found = self._candidates.get(key)
        if found is None:
            known = key and key not in self._unknown
            found = self._candidates[key] = (
                self.gazetteer.candidates(name, country="", limit=CANDIDATE_LIMIT, fuzzy=False) if known else []
            )
            land = continent(name) or world_region(name)
            if land is not None:  # a continent's or region's name means it, its namesake villages only with a cue
                found.insert(0, land)
        return found

    def readings(self, name: str) -> list[Place]:
        """The readings the resolver weighs for ``name``: its :meth:`candidates`, with the US counties of
        that name first (the gazetteer has their towns, not them) and, for a name written with an
        abbreviation ("Mt. Pleasant"), the places of the name spelled out (memoised by name key)."""
        key = "\x00readings " + name_key(name)
        found = self._candidates.get(key)
        if found is None:
            found = list(self.candidates(name))
            spelled = spelled_out(name_key(name))
            if spelled != name_key(name):
                known = {(p.name, p.lat, p.lon) for p in found}
                found += [p for p in self.candidates(spelled) if (p.name, p.lat, p.lon) not in known]
            found[:0] = county_places(name)
            self._candidates[key] = found
        return found

    def _online_candidates(self, name: str) -> list[Place]:
        """:meth:`candidates` with the online geocoder's answer merged in (``--online``), once per name."""
        key = "\x00online " + name_key(name)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = self.gazetteer.candidates(
                name, country="", limit=CANDIDATE_LIMIT, fuzzy=False, online=True
            )
        return found

    def _recognition_lookup(self, name: str) -> list[Place]:
        """Candidates as recognition sees them: with the regions the gazetteer hides behind a town
        that lists their name (see :func:`_hidden_regions`), so "for Minnesota" is the state's own
        name, not only another name of the town Minneota (which would need a cue). Memoised by name."""
        found = self._recognised.get(name)
        if found is None:
            found = self.candidates(name)
            hidden = _hidden_regions(name, found) if found else []
            found = self._recognised[name] = found + hidden if hidden else found
        return found

    def _note_unknown(self, names: Iterable[str]) -> None:
        """Ask the index in one batch which of ``names`` it knows; the others get no candidates
        from it without a query each (a long report has thousands of capitalised runs, most of
        them no place). Names asked before, as written or by key, are not asked again.

        Only for a long text: the runs are several times the names recognition looks up (it
        stops at the longest known one), so below :data:`BATCH_LOOKUPS_FROM` new runs, a query
        each for the few it asks is quicker (a news article of a few KB).
        """
        asked = self._by_name
        fresh = [name for name in names if name not in asked]
        if len(fresh) < BATCH_LOOKUPS_FROM:
            return
        keys = {name_key(name) for name in fresh} - self._candidates.keys() - self._unknown
        keys.discard("")
        if keys:
            self._unknown |= keys - self.gazetteer.known_keys(keys)

    def spans(self, text: str) -> list[Span]:
        """What the recogniser finds in ``text`` (not the news agency credited in a wire dateline)."""
        if self.recogniser == "spacy":
            from .spacy_recogniser import recognise_with_spacy

            spans = recognise_with_spacy(text, self.candidates, demonyms())
        else:
            spans = recognise(text, self._recognition_lookup, demonyms(), self.focus, prefetch=self._note_unknown)
        credit = _DATELINE_CREDIT.search(text[:400])
        if credit:
            spans = [s for s in spans if not (credit.start(1) <= s.start < credit.end(1))]
        return _with_counties(text, spans)

    def parse(self, text: str) -> list[Mention]:
        """Every place mention of ``text``, in order, resolved with the whole document."""
        spans = self.spans(text)
        candidates = {name_key(s.text): self._span_candidates(s) for s in spans if s.kind == NAME}
        country = document_country(spans, candidates, self.focus)
        anchored: set[str] = set()
        resolved = resolve_names(spans, candidates, country=country, focus=self.focus, anchored=anchored)
        region: Place | None | bool = None  # None: not looked for yet; False: looked for, none
        local: list[Place] | None = None  # the resolved places in that region, found once
        mentions = []
        for span in spans:
            single = False
            if span.kind == NAME:
                place, share = resolved[name_key(span.text)]
                confidence = share * _recognition_share(span)
                single = name_key(span.text) in anchored
                found = candidates.get(name_key(span.text))
                if place is None and span.text.split()[-1] in COUNTY_WORDS and (not found or county_places(span.text)):
                    # a county the readings cannot tell apart, or that no gazetteer holds: the one of that name
                    # in the region the text's places lie in, else the area of that region
                    if region is None:
                        region = self._document_region(span, resolved, country) or False
                    if isinstance(region, Place):
                        local = _places_in(region, resolved) if local is None else local
                        place = _county_in(span, region) or _area_in(span, region, local)
                    else:
                        place = None
                    confidence = AREA_CONFIDENCE if place else 0.0
                    single = False
            elif span.kind == DEMONYM:
                place = self._country(span.country) if span.country else None
                confidence = 0.9 if place else 0.0
            else:
                place = self._descriptor_place(span, country)
                confidence = 0.8 if place else 0.0
            if place is not None and self.calibrate:
                demonym = span.kind == DEMONYM
                confidence = calibrated(
                    confidence,
                    is_wide(place.feature, place.source, demonym),
                    point_is_convention(place.feature, place.country_code, demonym),
                    anchored=single,
                )
            figurative = span.kind == NAME and metonymic(text, span.start, span.end, place)
            mentions.append(
                Mention(span.start, span.end, span.text, place, round(confidence, 3), span.kind, figurative, single)
            )
        return mentions

    def _span_candidates(self, span: Span) -> list[Place]:
        found = self.readings(span.name)
        if getattr(self.gazetteer, "online", False):  # --online: the names the text names are asked online too
            found = self._online_candidates(span.name)
        if span.feature == "admin1":
            return [p for p in found if p.feature == "admin1"] or admin1_places(span.name) or found
        return found + _hidden_regions(span.name, found)

    def document_country(self, text: str) -> str | None:
        """The country ``text`` is about (see :func:`.resolve.document_country`)."""
        spans = self.spans(text)
        candidates = {name_key(s.text): self.candidates(s.name) for s in spans if s.kind == NAME}
        return document_country(spans, candidates, self.focus)

    def _document_region(self, span: Span, resolved: dict, country: str | None) -> Place | None:
        """The first-level region the text's places lie in: named after the area ("Walker County,
        Georgia"), else the only state with a county of that name (:mod:`.counties`), else the one most
        of its resolved places share in the document's country (for a US county's name, among the states
        that have a county of that name)."""
        if span.context:
            found = [p for p in self.candidates(span.context) if p.feature == "admin1"]
            if found:
                return found[0]
        states = county_states(span.text)
        if len(states) == 1:  # only one state has a county of that name
            state = next(iter(states))
            found = [p for p in self.candidates(state) if p.feature == "admin1" and p.country_code == "US"]
            if found:
                return found[0]
        counts: dict[str, int] = {}
        for place, _ in resolved.values():
            if place is not None and place.country_code == country and place.admin1:
                if states and (country != "US" or place.admin1 not in states):
                    continue  # a US county's name: only a state that has a county of that name
                counts[place.admin1] = counts.get(place.admin1, 0) + 1
        if not counts:
            return None
        name = max(counts, key=lambda admin1: counts[admin1])
        return next((p for p in self.candidates(name) if p.feature == "admin1" and p.country_code == country), None)

    def _country(self, code: str) -> Place | None:
        """The country's place (memoised: the gazetteer's country query is slow)."""
        if code not in self._countries:
            self._countries[code] = self.gazetteer.country(code)
        return self._countries[code]

    def _descriptor_place(self, span: Span, country: str | None) -> Place | None:
        code = span.country or country
        if not code:
            return None
        if span.descriptor == "capital":
            if code not in self._capitals:
                from ..errors import PlaceNotFound

                try:
                    self._capitals[code] = self.gazetteer.capital(code)
                except PlaceNotFound:
                    self._capitals[code] = None
            return self._capitals[code]
        from .areas import country_part

        return country_part(code, span.descriptor)


#: "County" or "Parish" right after a name: the county's own name goes on ("Tarrant County Sheriff").
_COUNTY_AFTER = re.compile(r"[ \t]+(?:County|Parish|COUNTY|PARISH)\b")


def _with_counties(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each name that a US county's name continues ("Tarrant" of "Tarrant County
    Sheriff's Office", cut there by recognition) extended to the county's whole name."""
    found = []
    for k, span in enumerate(spans):
        after = _COUNTY_AFTER.match(text, span.end) if span.kind == NAME and not span.query else None
        if after is not None and (k + 1 == len(spans) or spans[k + 1].start >= after.end()):
            whole = text[span.start : after.end()]
            if county_places(whole):
                span = dataclasses.replace(span, end=after.end(), text=whole, context=None, feature=None)
        found.append(span)
    return found


def _county_in(span: Span, region: Place) -> Place | None:
    """The US county named by ``span`` that lies in ``region`` (a state), if there is one."""
    return next(
        (
            county.with_(confidence=AREA_CONFIDENCE)
            for county in county_places(span.text)
            if region.country_code == "US" and name_key(county.admin1 or "") == name_key(region.name)
        ),
        None,
    )


def _places_in(region: Place, resolved: dict[str, tuple[Place | None, float]]) -> list[Place]:
    """The resolved places of a document that lie in ``region`` (not countries or regions themselves)."""
    return [
        place
        for place, _ in resolved.values()
        if place is not None
        and place.feature not in ("country", "admin1")
        and place.country_code == region.country_code
        and place.admin1
        and name_key(place.admin1) == name_key(region.name)
    ]


def _area_in(span: Span, region: Place, local: list[Place]) -> Place:
    """A second-level area placed in its region, with the region's extent: honest, if coarse.

    Its point is where the text's own places in that region (``local``, :func:`_places_in`) lie
    (the middle of their latitudes and longitudes, from :data:`LOCAL_MIN_PLACES` of them): local
    news names a county among its towns, so that is a better guess than the region's centre, which
    stays the point when the text names too few places there.
    """
    lat, lon = region.lat, region.lon
    if len(local) >= LOCAL_MIN_PLACES:
        lat = statistics.median(p.lat for p in local)
        lon = statistics.median(p.lon for p in local)
    return region.with_(
        lat=lat,
        lon=lon,
        name=f"{span.text} (in {region.name})",
        feature=Feature.AREA,
        confidence=AREA_CONFIDENCE,
        population=None,
        alternatives=(),
    )


def _recognition_share(span: Span) -> float:
    if span.cue or span.context:
        return _RECOGNITION["cue"]
    return _RECOGNITION["sentence_start"] if span.sentence_start else _RECOGNITION["plain"]


def _hidden_regions(name: str, found: list[Place]) -> list[Place]:
    """Regions called ``name`` that the gazetteer's answer hides behind a town.

    For a bare query the gazetteer answers with a town that matches the name and lies
    in the region ("Kayes" the town, not the region), even when the town only matches
    through another of its names (Minneota, listed as "Minnesota"). In a text, a
    region's own name usually means the region, so a region is added back unless a
    town of exactly its name lies in it (then the town stands, as the gazetteer decided).
    """
    regions = admin1_places(name)
    if not regions:
        return []
    key = name_key(name)

    def stands_for(place: Place, region: Place) -> bool:
        """The region itself, or a town of exactly its name inside it."""
        if place.country_code != region.country_code:
            return False
        if place.feature == "admin1":
            return name_key(place.name) == name_key(region.name)
        return name_key(place.name) == key and place.admin1 == region.name

    return [region for region in regions if not any(stands_for(place, region) for place in found)]


@functools.lru_cache(maxsize=1)
def _regions_by_key() -> dict[str, list[dict]]:
    """Name key -> the ``geodata/admin1.json`` regions that have it as a name (built once)."""
    from .. import geodata

    index: dict[str, list[dict]] = {}
    for region in geodata.admin1_regions():
        if region.get("lat") is None or region.get("lon") is None:
            continue
        for key in {name_key(n) for n in (region["name"], *region.get("names", ()))}:
            index.setdefault(key, []).append(region)
    return index


@functools.lru_cache(maxsize=4096)
def admin1_places(name: str) -> list[Place]:
    """First-level regions called ``name`` (``geodata/admin1.json``), as places: the gazetteer
    folds a region into its namesake capital ("Mopti"), but "the Mopti region" means the region."""
    from ..places import radius_km_for

    found = _regions_by_key().get(name_key(name), [])
    share = 1.0 / len(found) if found else 0.0
    return [
        Place(
            name=r["name"],
            lat=r["lat"],
            lon=r["lon"],
            country_code=r["country_code"],
            admin1=r["name"],
            feature="admin1",
            source="geodata",
            confidence=share,
            radius_km=radius_km_for("admin1"),
        )
        for r in found
    ]


def demonyms() -> dict[str, str]:
    """Name key of every demonym -> ISO code ("malian" -> "ML"): the one country-word table's
    demonyms (:func:`mali_map.countries.demonym_words`; a shared word names the most populous country)."""
    from ..countries import demonym_words

    return demonym_words()


def geoparse(
    text: str, *, country: str | None = None, recogniser: str = "rules", session: Session | None = None
) -> list[Mention]:
    """Every place mention of ``text`` (``start``, ``end``, ``text``, ``place``, ``lat``, ``lon``, ``confidence``).

    ``country``: the focus country, a weak prior that the text's own evidence
    overrides (``None``: the default, ML; ``""``: none). ``session``: the
    :class:`~mali_map.session.Session` whose geoparser reads the text (default: the
    default session of ``country``, which sees a gazetteer imported meanwhile).
    """
    if session is None:
        from ..session import default_session

        session = default_session(country)
    return session.geoparse(text, recogniser=recogniser)


__all__ = ["DEMONYM", "DESCRIPTOR", "NAME", "Geoparser", "Mention", "Span", "geoparse"]
