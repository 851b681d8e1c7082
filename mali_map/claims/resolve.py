"""Claim mentions -> places, through the gazetteer, with a memory per run.

Disambiguation uses only what the text and the run say: the focus country
(``--country``), the countries the sentence names ("Burkinabe", "Niger") and
the gazetteer's prominence ranking. It never looks at the claim's numbers, so
no candidate is ever chosen because it makes the claim true.

- The anchor is resolved first; the subject is the nearest name before the
  claim that the gazetteer knows, with the anchor's country as context
  (demonyms such as "Malian" are skipped: they name a people, not a place).
- "the capital" is the capital of the country the claim names ("the Malian
  capital", "Mali's capital"), else of the one foreign country the sentence
  names, else of the focus country.
- Only exact names count; a near miss ("Katti") is unresolved, with suggestions.
- Each place keeps its *plausible readings* (:mod:`mali_map.claims.readings`): the
  candidates its calibrated confidence does not rule out, namesakes in one country
  included. A country the text names beside a place ("Bamako, Senegal") binds it.
"""

from __future__ import annotations

from typing import Any

from ..countries import country_code_of, focus_country, is_demonym
from ..errors import PlaceNotFound
from ..gazetteer.query import MAX_QUERY_CHARS
from ..places import Place
from ..textnorm import name_key
from .language import NAME_RE
from .readings import Candidate, plausible_readings
from .records import Claim, PlaceMention

#: the most words of a mention tried on their own when the whole mention is not a place (NAME's limit)
_MAX_NAME_WORDS = 4


class PlaceResolver:
    """Resolves the subject and anchor of claims; remembers every answer for the run.

    ``gazetteer``: anything with ``candidates(name, country=, context=, limit=, fuzzy=, codes=)``,
    ``suggest(name, country=)`` and ``capital(code)`` (a :class:`mali_map.gazetteer.Gazetteer`).
    """

    def __init__(self, gazetteer: Any, country: str | None = None) -> None:
        self.gazetteer = gazetteer
        self.focus = focus_country(country)
        self._places: dict[tuple[str, tuple[str, ...], str | None], tuple[Place, ...]] = {}
        self._suggestions: dict[str, tuple[str, ...]] = {}
        self._readings: dict[tuple, PlaceMention] = {}
        self._capitals: dict[str, Place | None] = {}
        self._sentence_countries: dict[str, tuple[str, ...]] = {}
        self._numbers: dict[int, int] = {}
        self._table: list[Place] = []

    # -- public ------------------------------------------------------------------------------

    def subject(self, claim: Claim, anchor: Place | PlaceMention | None = None) -> PlaceMention:
        """The first subject candidate the gazetteer knows, nearest to the claim first, with its
        plausible readings (``mention.readings``; none when no reading is plausible).

        The anchor's country joins the sentence's countries as context: in
        "Gao is 100 km from Ouagadougou" the Gao of Burkina Faso gains weight.
        """
        other = anchor.place if isinstance(anchor, PlaceMention) else anchor
        context = self.sentence_countries(claim.text)
        if other is not None and other.country_code and other.country_code not in context:
            context = context + (other.country_code,)
        first: str | None = None
        for mention in claim.subject_candidates:
            if is_demonym(mention):
                continue
            first = first or mention
            found = self.read(mention, claim, context, claim.subject_country, other)
            if found.readings or found.guess is not None:
                return found
        if first is None:
            return PlaceMention(None, None)
        return self.read(first, claim, context, claim.subject_country, other)

    def anchor(self, claim: Claim) -> PlaceMention:
        """The anchor place: a named place, or a country's capital, with its plausible readings."""
        if claim.anchor_kind == "capital":
            code = self.capital_country(claim)
            capital = self.capital(code) if code else None
            if capital is None:
                return PlaceMention(claim.anchor_mention, None, ())
            return PlaceMention(claim.anchor_mention, capital, readings=(capital,))
        return self.read(
            claim.anchor_mention, claim, self.sentence_countries(claim.text), claim.anchor_country_code, None
        )

    def mentions(self, claim: Claim) -> tuple[PlaceMention, PlaceMention]:
        """Subject and anchor of ``claim``; a place the other one and the focus put at home is not
        read abroad (see :func:`~mali_map.claims.readings.plausible_readings`)."""
        anchor = self.anchor(claim)
        subject = self.subject(claim, anchor)
        if claim.anchor_kind == "place" and subject.place is not None:
            countries = self.sentence_countries(claim.text)
            anchor = self.read(claim.anchor_mention, claim, countries, claim.anchor_country_code, subject.place)
        return subject, anchor

    def read(
        self, mention: str, claim: Claim, context: tuple[str, ...], required: str | None, other: Place | None
    ) -> PlaceMention:
        """``mention`` with its plausible readings, or with its best guess (``guess``) and why not.

        The candidates of the run's focus country, of a country the text names or binds the place
        to, and of the other place's country are weighed with that country as the focus ("Gao is
        about 100 km from Ouagadougou": the Gao of Burkina Faso as much as Mali's); any other
        country's candidates stay weighed as abroad.
        """
        named = self.sentence_countries(claim.text)
        key = (name_key(mention), context, required, other.country_code if other is not None else None, named)
        found = self._readings.get(key)
        if found is None:
            found = self._readings[key] = self._read(mention, context, required, other, named)
        return found

    def _read(
        self,
        mention: str,
        context: tuple[str, ...],
        required: str | None,
        other: Place | None,
        named: tuple[str, ...],
    ) -> PlaceMention:
        ranking = self.places(mention, context)
        entries = [Candidate(p, share, p.country_code == self.focus) for p, share in _with_shares(ranking)]
        for code in dict.fromkeys((*named, required, other.country_code if other is not None else None)):
            if code and code != self.focus and any(e.place.country_code == code for e in entries):
                there = [Candidate(p, share, True) for p, share in _with_shares(self.places(mention, context, code))]
                there = [e for e in there if e.place.country_code == code]
                entries = [e for e in entries if e.place.country_code != code] + there
        entries.sort(key=lambda e: -e.share)
        home = self.focus if other is not None and other.country_code == self.focus else None
        readings, guess, why = plausible_readings(entries, required=required, home=home, named=named)
        if readings:
            return PlaceMention(mention, readings[0], readings=readings)
        suggestions = () if ranking else self.suggest(mention)
        return PlaceMention(mention, None, suggestions, guess=guess, why=why)

    def capital_country(self, claim: Claim) -> str | None:
        """Whose capital "the capital" is: the claim's own country word, the sentence's foreign country, the focus."""
        if claim.anchor_country:
            code = country_code_of(claim.anchor_country)
            if code:
                return code
            place = self.place(claim.anchor_country, ())  # "the capital of Azawad"? only a country counts
            return place.country_code if place is not None and place.feature == "country" else None
        foreign = [c for c in self.sentence_countries(claim.text) if c != self.focus]
        if len(set(foreign)) == 1:
            return foreign[0]
        return self.focus

    def sentence_countries(self, sentence: str) -> tuple[str, ...]:
        """ISO2 codes of the countries a sentence names, in order ("Burkinabe troops" -> ('BF',))."""
        found = self._sentence_countries.get(sentence)
        if found is None:
            codes: list[str] = []
            for match in NAME_RE.finditer(sentence):
                words = match.group().split()
                for text in (match.group(), *words):
                    code = country_code_of(text.removesuffix("'s").removesuffix("’s"))
                    if code and code not in codes:
                        codes.append(code)
            found = self._sentence_countries[sentence] = tuple(codes)
        return found

    def place(self, mention: str, context: tuple[str, ...] = ()) -> Place | None:
        """The best exact match for ``mention`` (a multi-word name may fall back to its first words)."""
        found = self.places(mention, context)
        return found[0] if found else None

    def places(self, mention: str, context: tuple[str, ...] = (), focus: str | None = None) -> tuple[Place, ...]:
        """Every exact candidate for ``mention``, best first (a multi-word name may fall back to its
        first words); with ``--online``, the online answer merged in. ``focus``: another focus than
        the run's (a country the text names)."""
        focus = focus or self.focus
        key = (name_key(mention), context, focus)
        if key in self._places:
            return self._places[key]
        found: tuple[Place, ...] = ()
        if len(mention) > MAX_QUERY_CHARS:  # no place is named by a page of text (and a page costs a query a word)
            self._places[key] = found
            return found
        words = mention.split()
        online = bool(getattr(self.gazetteer, "online", False))
        # the whole mention, then its first words: a place name has at most four capitalised words
        for size in dict.fromkeys([len(words), *range(min(len(words) - 1, _MAX_NAME_WORDS), 0, -1)]):
            text = " ".join(words[:size])
            # a short code (ABC is Albacete's airport) counts only written in capitals: "Abc" is a word
            options = dict(country=focus or "", context=context, limit=10, fuzzy=False, codes=text.isupper())
            if online:
                options["online"] = True
            found = tuple(self.gazetteer.candidates(text, **options))
            if found:
                break
        self._places[key] = found
        return found

    def number(self, place: Place) -> int:
        """A small integer for ``place``, the same each time: rows of :meth:`coordinates`."""
        key = id(place)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self._table)
            self._table.append(place)  # keeps the place alive, so its id stays its own
        return found

    def coordinates(self) -> tuple[Any, Any]:
        """``(lats, lons)`` numpy arrays of the numbered places, in number order."""
        import numpy as np

        return (
            np.fromiter((p.lat for p in self._table), float, len(self._table)),
            np.fromiter((p.lon for p in self._table), float, len(self._table)),
        )

    def capital(self, code: str) -> Place | None:
        if code not in self._capitals:
            try:
                self._capitals[code] = self.gazetteer.capital(code)
            except PlaceNotFound:
                self._capitals[code] = None
        return self._capitals[code]

    def suggest(self, mention: str) -> tuple[str, ...]:
        if mention not in self._suggestions:
            self._suggestions[mention] = tuple(self.gazetteer.suggest(mention, country=self.focus or ""))
        return self._suggestions[mention]


def _with_shares(ranking: tuple[Place, ...]) -> list[tuple[Place, float]]:
    """Each candidate of a ranking with its raw share of the ranking: the runners-up carry theirs as
    their confidence; the best one (whose confidence is calibrated) has what they leave."""
    if not ranking:
        return []
    rest = sum(p.confidence for p in ranking[1:])
    return [(ranking[0], max(0.0, 1.0 - rest))] + [(p, p.confidence) for p in ranking[1:]]
