"""Geoparsing: find the places a text names and resolve them with the whole document.

>>> [(m.text, m.place.name) for m in geoparse("Soldiers mutinied in Kati, near Bamako.")]  # doctest: +SKIP
[('Kati', 'Kati'), ('Bamako', 'Bamako')]

Recognition (:mod:`.recognise`) finds names the gazetteer knows, demonyms and
descriptors; resolution (:mod:`.resolve`) picks a place for each with what
the document says (its country, its regions, its other places). Dates are in
:mod:`.dates`, incidents in :mod:`.events`.
"""

from __future__ import annotations

import functools
from typing import Callable

from ..places import Place
from ..textnorm import name_key
from .words import COUNTY_WORDS
from .recognise import DEMONYM, DESCRIPTOR, NAME, Span, recognise
from .resolve import Mention, document_country, resolve_names

#: Confidence of a county or district placed only at the region it lies in.
AREA_CONFIDENCE = 0.3
#: How many candidates of a name the resolver weighs.
CANDIDATE_LIMIT = 25
#: Recognition's share of a mention's confidence, by what supports the words being a place.
_RECOGNITION = {"cue": 0.95, "plain": 0.85, "sentence_start": 0.75}


class Geoparser:
    """Geoparses texts against one gazetteer, remembering each name's candidates for the run.

    ``gazetteer``: a :class:`mali_map.gazetteer.Gazetteer` (default: the shared
    one); ``country``: the focus, a weak prior (``None`` for the default ML,
    ``""`` for none). ``recogniser``: ``"rules"`` (default, no model) or
    ``"spacy"`` (needs the ``spacy`` extra, see :mod:`.spacy_recogniser`).
    """

    def __init__(self, gazetteer=None, *, country: str | None = None, recogniser: str = "rules"):
        from ..gazetteer import DEFAULT_COUNTRY, open_gazetteer

        focus = DEFAULT_COUNTRY if country is None else country
        self.focus = (focus or "").upper() or None
        self.gazetteer = gazetteer if gazetteer is not None else open_gazetteer(country=self.focus)
        self.recogniser = recogniser
        self._candidates: dict[str, list[Place]] = {}
        self._capitals: dict[str, Place | None] = {}
        self._countries: dict[str, Place | None] = {}
        self._spacy = None

    def candidates(self, name: str) -> list[Place]:
        """The gazetteer's exact candidates for ``name``, ranked without focus (memoised by name key)."""
        key = name_key(name)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = (
                self.gazetteer.candidates(name, country="", limit=CANDIDATE_LIMIT, fuzzy=False) if key else [])
        return found

    def spans(self, text: str) -> list[Span]:
        """What the recogniser finds in ``text``."""
        if self.recogniser == "spacy":
            from .spacy_recogniser import recognise_with_spacy

            return recognise_with_spacy(text, self.candidates, demonyms())
        return recognise(text, self.candidates, demonyms())

    def parse(self, text: str) -> list[Mention]:
        """Every place mention of ``text``, in order, resolved with the whole document."""
        spans = self.spans(text)
        candidates = {name_key(s.text): self.candidates(s.name) for s in spans if s.kind == NAME}
        country = document_country(spans, candidates, self.focus)
        resolved = resolve_names(spans, candidates, country=country, focus=self.focus)
        region = None
        mentions = []
        for span in spans:
            if span.kind == NAME:
                place, share = resolved[name_key(span.text)]
                confidence = share * _recognition_share(span)
                if place is None and not candidates.get(name_key(span.text)) and span.text.split()[-1] in COUNTY_WORDS:
                    if region is None:
                        region = self._document_region(span, resolved, country) or False
                    place = _area_in(span, region) if region else None
                    confidence = AREA_CONFIDENCE if place else 0.0
            elif span.kind == DEMONYM:
                place = self._country(span.country) if span.country else None
                confidence = 0.9 if place else 0.0
            else:
                place = self._descriptor_place(span, country)
                confidence = 0.8 if place else 0.0
            mentions.append(Mention(span.start, span.end, span.text, place, round(confidence, 3), span.kind))
        return mentions

    def document_country(self, text: str) -> str | None:
        """The country ``text`` is about (see :func:`.resolve.document_country`)."""
        spans = self.spans(text)
        candidates = {name_key(s.text): self.candidates(s.name) for s in spans if s.kind == NAME}
        return document_country(spans, candidates, self.focus)

    def _document_region(self, span: Span, resolved: dict, country: str | None) -> Place | None:
        """The first-level region the text's places lie in: named after the area ("Walker County,
        Georgia"), else the one most of its resolved places share in the document's country."""
        if span.context:
            found = [p for p in self.candidates(span.context) if p.feature == "admin1"]
            if found:
                return found[0]
        counts: dict[str, int] = {}
        for place, _ in resolved.values():
            if place is not None and place.country_code == country and place.admin1:
                counts[place.admin1] = counts.get(place.admin1, 0) + 1
        if not counts:
            return None
        name = max(counts, key=counts.get)
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


def _area_in(span: Span, region: Place) -> Place:
    """A second-level area placed at its region, with the region's extent: honest, if coarse."""
    return region.with_(name=f"{span.text} (in {region.name})", feature="area", confidence=AREA_CONFIDENCE,
                        population=None, alternatives=())


def _recognition_share(span: Span) -> float:
    if span.cue or span.context:
        return _RECOGNITION["cue"]
    return _RECOGNITION["sentence_start"] if span.sentence_start else _RECOGNITION["plain"]


@functools.lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Name key of every demonym of ``geodata/countries.json`` -> ISO code ("malian" -> "ML")."""
    from .. import geodata

    found: dict[str, str] = {}
    for country in geodata.countries():
        for word in country.get("demonyms", ()):
            for part in word.split(","):
                if part.strip():
                    found.setdefault(name_key(part), country["iso2"])
    return found


_PARSERS: dict[tuple, Geoparser] = {}


def geoparse(text: str, *, country: str | None = None, recogniser: str = "rules") -> list[Mention]:
    """Every place mention of ``text`` (``start``, ``end``, ``text``, ``place``, ``lat``, ``lon``, ``confidence``).

    ``country``: the focus country, a weak prior that the text's own evidence
    overrides (``None``: the default, ML; ``""``: none).
    """
    key = (country, recogniser)
    parser = _PARSERS.get(key)
    if parser is None:
        parser = _PARSERS[key] = Geoparser(country=country, recogniser=recogniser)
    return parser.parse(text)


__all__ = ["geoparse", "Geoparser", "Mention", "Span", "NAME", "DEMONYM", "DESCRIPTOR"]
