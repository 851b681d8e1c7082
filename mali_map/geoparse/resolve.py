"""Resolution: recognised spans -> places, using the whole document.

Each distinct name is resolved once per document, and every candidate the
gazetteer offers is scored with what the document says:

- the gazetteer's own prior (name match and prominence: population, capitals,
  regions, countries);
- the country the text is about (:func:`document_country`: the countries,
  demonyms and confidently known places it names), a strong pull; the focus
  country (``--country``) is only a weak prior, so a story plainly about
  Kentucky is read as one;
- a region or country named right after the name ("Lexington, Kentucky") or
  anywhere in the text (a state named nearby decides which Lexington);
- the other places of the text: candidates close to the others' best readings
  gain (local news names places near each other).

The candidates' scores become a share (softmax); a name whose best share is
low, or whose only readings are small places abroad that nothing in the text
supports, is reported unresolved rather than forced, unless its best reading
still leads the next one by far (seven times as likely): then it is answered
with half the confidence, an honest guess rather than a silence. Balanced
namesakes stay unresolved. Nothing here looks at
distance claims: no candidate is chosen because it makes a claim true.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from dataclasses import dataclass
from typing import Any

from ..geodesy import great_circle_km
from ..places import Place
from ..textnorm import name_key
from .counties import county_states
from .ranker import FEATURES
from .recognise import DEMONYM, DESCRIPTOR, NAME, Span

#: The gazetteer's prior (name match, prominence) is flattened: in one document, a state named
#: nearby or the text's country says more than a city's size.
PRIOR_WEIGHT = 0.6
#: People of a city whose name, shared with a region of its country, keeps the region from the
#: region-in-country bonus (see :func:`_great_city`).
GREAT_CITY_PEOPLE = 1_000_000
#: A first-level region without population (the embedded regions have none) counts for its country's
#: population shared among its regions, up to this: a region holds many towns, and news naming a bare
#: "Oregon" means the state, not a town of 20,000 named after it, while a parish of Bermuda is small;
#: cities of a million or more always outrank a region.
REGION_POPULATION_CAP = 1_000_000
#: A text's words that are a place's own name, or one of its other names (as the gazetteer weighs them).
OWN_NAME_WEIGHT, OTHER_NAME_WEIGHT = 3.0, -0.5
DOCUMENT_COUNTRY_BONUS = 2.5
REGION_IN_COUNTRY_BONUS = 1.5
FOCUS_BONUS = 0.5
REGION_NAMED_BONUS = 2.0
COMMA_CONTEXT_BONUS = 4.0
#: Other names of the text that could lie in the same region (any of their readings) support a reading:
#: "Georgia" with Jackson, Barrow and Madison is the US state, each of them having a Georgia reading.
SHARED_REGION_BONUS = 0.8
SHARED_REGION_CAP = 4
NEIGHBOUR_KM = 150.0
NEIGHBOUR_BONUS = 0.7
NEIGHBOUR_CAP = 2.1
#: A reading abroad (outside the text's country) smaller than this, with no reading in that country and
#: nothing in the text placing it ("in", a region after a comma), is left unresolved.
ABROAD_PEOPLE = 100_000
#: A foreign country's name that a place of the text's country shares keeps this much of its share.
NAMESAKE_DOUBT = 0.75
#: Below this share of the candidates' weight a name is reported unresolved.
MIN_SHARE = 0.2
#: A name below MIN_SHARE, or unsupported, is still answered when its best reading's score leads the
#: next one's by this much (e to the margin: over seven times as likely), its confidence scaled by GUESS_FACTOR.
CLEAR_MARGIN = 2.0
GUESS_FACTOR = 0.5
#: A reading is *anchored* (:func:`anchored_reading`) when the text singles it out: its region or country
#: follows it after a comma, or it lies in the text's country with this many other names' readings
#: within :data:`NEIGHBOUR_KM`; and no namesake in its country farther than :data:`NAMESAKE_KM` scores
#: within :data:`ANCHOR_MARGIN` of it (e to the margin: over seven times less likely).
ANCHOR_NEIGHBOURS = 2
ANCHOR_MARGIN = 2.0
NAMESAKE_KM = 161.0
#: Country votes needed before the text's own evidence overrides the focus country.
MIN_VOTES = 1.5
#: The focus country's own vote, once the text has named a place there: a tie goes to the focus.
FOCUS_VOTE = 0.5
#: A first-level region named by its own name ("Illinois") votes for its country as a demonym does:
#: its share of the name's readings in that country, times this.
REGION_VOTE = 1.5
#: A US county's name ("Edgar County", :mod:`.counties`) votes this much for the United States.
COUNTY_VOTE = 1.5


@dataclass(frozen=True)
class Mention:
    """A place named in a text: where (``start``, ``end``, ``text``) and what (``place``).

    ``kind``: ``name`` (a toponym), ``demonym`` ("Malian") or ``descriptor``
    ("the capital", "the north"). ``place`` is ``None`` when no candidate was
    good enough (unresolved). ``confidence`` (0..1) covers both steps: that
    the words name a place, and that it is this place. ``metonymic``: the
    place stands for its government or people rather than the ground
    ("Washington said", "Mali's government"): GeoWebNews' *Metonymic* type. It
    is still the place (its point is right); a map of events may leave it out.
    ``anchored``: the text singles the reading out (:func:`anchored_reading`); such readings have
    their own confidence table (:mod:`.calibration`).
    """

    start: int
    end: int
    text: str
    place: Place | None
    confidence: float
    kind: str = NAME
    metonymic: bool = False
    anchored: bool = False

    @property
    def lat(self) -> float | None:
        return self.place.lat if self.place else None

    @property
    def lon(self) -> float | None:
        return self.place.lon if self.place else None

    @property
    def resolved(self) -> bool:
        return self.place is not None

    def to_dict(self) -> dict[str, Any]:
        """The ``places`` JSON record of the interface (plus ``kind``)."""
        place = self.place
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "name": place.name if place else None,
            "lat": round(place.lat, 6) if place else None,
            "lon": round(place.lon, 6) if place else None,
            "country_code": place.country_code if place else None,
            "feature": place.feature if place else None,
            "confidence": round(self.confidence, 3),
            "kind": self.kind,
            "metonymic": self.metonymic,
        }


#: After a country, capital or region, words that make it its government speaking ("Washington said",
#: "Moscow has denied", "Mali's government").
_METONYMY = re.compile(
    r"(?:['’]s\s+(?:government|administration|regime|authorities|leaders|leadership|officials|junta)\b)"
    r"|(?:\s+(?:has\s+|had\s+|have\s+|also\s+|then\s+|later\s+)?"
    r"(?:said|says|told|announced|denied|denies|accused|accuses|warned|warns|demanded|demands|insisted|"
    r"rejected|rejects|condemned|condemns|urged|urges|vowed|vows|threatened|threatens|responded|insists|"
    r"claimed|claims|agreed|agrees|refused|refuses|recognised|recognized|imposed|imposes|sanctioned|"
    r"retaliated|blamed|blames)\b)"
)
_METONYMIC_FEATURES = frozenset(("country", "capital", "admin1"))


_LITERAL_BEFORE = re.compile(r"\b(?:in|at|near|from|to|into|outside|across|around|of)\s+$", re.IGNORECASE)


def metonymic(text: str, start: int, end: int, place: Place | None) -> bool:
    """Whether the place named at ``start:end`` stands for its government: a country, capital or region
    followed by a reporting or acting verb ("Washington said", "Paris has condemned") or by
    "'s government", and not placed by a preposition ("officials in Washington said")."""
    return (
        place is not None
        and place.feature in _METONYMIC_FEATURES
        and bool(_METONYMY.match(text, end))
        and not _LITERAL_BEFORE.search(text[max(0, start - 12) : start])
    )


def document_country(spans: list[Span], candidates: dict[str, list[Place]], focus: str | None) -> str | None:
    """The country a text is about: the one its countries, demonyms and clear places vote for.

    A country name counts 2 (1 when a region shares it: "Georgia"), a demonym 1.5, a US county's name
    ("Edgar County") 1 for the United States, a place the share of its candidates' weight that lies in
    one country (when above 0.4), a first-level region named by its own name 1.5 times that share
    ("Illinois" says American as plainly as "American"); each distinct name votes once. Without
    enough votes the focus country stands.
    """
    votes: dict[str, float] = {}
    seen: set[str] = set()
    for span in spans:
        key = name_key(span.text)
        if key in seen:
            continue
        seen.add(key)
        if span.kind == DEMONYM and span.country:
            votes[span.country] = votes.get(span.country, 0.0) + 1.5
        elif span.kind == NAME and county_states(span.text):
            votes["US"] = votes.get("US", 0.0) + COUNTY_VOTE
        elif span.kind == NAME and candidates.get(key):
            top = candidates[key][0]
            if top.feature == "country" and top.country_code:
                shared = any(p.feature == "admin1" for p in candidates[key][1:])
                votes[top.country_code] = votes.get(top.country_code, 0.0) + (1.0 if shared else 2.0)
            else:
                # the name's share in each country, over all its readings: an "Alexandria" with many
                # American namesakes and one Egyptian city says "United States" even if no reading leads
                total = sum(p.confidence for p in candidates[key]) or 1.0
                by_country: dict[str, float] = {}
                for place in candidates[key]:
                    if place.country_code:
                        by_country[place.country_code] = by_country.get(place.country_code, 0.0) + place.confidence
                code, weight = max(by_country.items(), key=lambda item: item[1], default=(None, 0.0))
                if code and weight / total >= 0.4:
                    region = top.feature == "admin1" and top.country_code == code and name_key(top.name) == key
                    votes[code] = votes.get(code, 0.0) + weight / total * (REGION_VOTE if region else 1.0)
    if not votes:
        return focus
    if focus in votes:
        votes[focus] += FOCUS_VOTE
    best = max(votes.values())
    if best < MIN_VOTES:
        return focus
    leaders = [code for code, count in votes.items() if count == best]
    return focus if focus in leaders else leaders[0]


def candidate_features(
    spans: list[Span],
    candidates: dict[str, list[Place]],
    *,
    country: str | None,
    focus: str | None,
    weights: tuple[float, ...] | None = None,
) -> dict[str, list[tuple[list[float], Place]]]:
    """``{name key: [(features, place), ...]}``: what the document says of each reading of each name.

    Two passes, as the best open geoparsers do: the first scores every reading without the other
    names' readings (prior, the text's country, the regions and countries it names, a region after a
    comma); its best readings then give the context of the second: how many of the other names'
    readings lie within :data:`NEIGHBOUR_KM`, and how close the reading lies to where the others
    lie (coherence decaying with distance). ``weights`` (default: the ranker's, :mod:`.ranker`) pick
    the first pass's readings. The features are :data:`.ranker.FEATURES`, in order.
    """
    from .ranker import COHERENCE_KM, ranker_weights

    weights = weights or ranker_weights()
    groups: dict[str, list[Span]] = {}
    for span in spans:
        if span.kind == NAME:
            groups.setdefault(name_key(span.text), []).append(span)
    region_keys = _named_regions(groups, candidates, country)
    contexts = {key: {name_key(s.context) for s in members if s.context} for key, members in groups.items()}
    regions_of = {key: {_region_of(p) for p in candidates.get(key, ())} for key in groups}
    for key in groups:  # a US county's name could lie in each state that has one of that name
        regions_of[key] |= {("US", name_key(state)) for state in county_states(key)}
    named_countries = {
        readings[0].country_code
        for key in groups
        if (readings := candidates.get(key)) and readings[0].feature == "country" and name_key(readings[0].name) == key
    }
    cues = {key: any(s.cue or s.context for s in members) for key, members in groups.items()}
    naming: dict[tuple[str | None, str | None], int] = {}  # region -> how many names may lie in it
    weight: dict[tuple[str | None, str | None], float] = {}  # region -> those names, each 1 / its regions
    for lying_in in regions_of.values():
        for area in lying_in:
            naming[area] = naming.get(area, 0) + 1
            weight[area] = weight.get(area, 0.0) + 1.0 / len(lying_in)
    size = len(FEATURES)
    paired = _county_pairs(groups, candidates)
    first: dict[str, list[tuple[list[float], Place]]] = {}
    for key in groups:
        rows = []
        found: list[Place] = candidates.get(key) or []
        great = {p.country_code for p in found if _great_city(p)}
        nation = any(p.feature == "country" and name_key(p.name) == key for p in found)
        total_share = sum(p.confidence for p in found) or 1.0
        for place in found:
            if nation and place.feature not in _NATION_READINGS and not contexts[key] & _names_of(place):
                continue  # "Russia" is the country; a town of that name needs its state after a comma
            row = [0.0] * size
            row[0] = prior(place, key)
            if country and place.country_code == country:
                if place.feature == "admin1" and country in great:
                    # "Washington" in American news: the text's country speaks for its capital, not for
                    # the region of that name, which needs its own support (named as a state, its towns)
                    row[16] = 1.0
                else:
                    row[1] = 1.0
                    if place.feature == "admin1":
                        row[2] = 1.0
            if focus and place.country_code == focus:
                row[3] = 1.0
            if (
                place.feature != "admin1"
                and place.admin1
                and (
                    _named_by_another(region_keys, (place.country_code, name_key(place.admin1)), key)
                    or _named_by_another(region_keys, (None, name_key(place.admin1)), key)
                )
            ):
                row[4] = 1.0
            if contexts[key] & _names_of(place):
                row[5] = 1.0
            region = _region_of(place)
            if region[1]:
                own = region in regions_of[key]
                row[6] = float(min(naming.get(region, 0) - own, SHARED_REGION_CAP))  # the other names'
                # a name whose readings lie in one region says more of it than one found in thirty
                others = weight[region] - (1.0 / len(regions_of[key]) if own else 0.0) if row[6] else 0.0
                row[17] = min(max(others, 0.0), SHARED_REGION_CAP)
            row[19] = 1.0 if id(place) in paired else 0.0
            row[20] = 1.0 if place.feature == "admin1" and place.country_code != country else 0.0
            row[9] = 1.0 if place.feature == "country" else 0.0
            row[10] = 1.0 if place.feature == "admin1" else 0.0
            row[11] = 1.0 if place.feature == "capital" else 0.0
            row[12] = place.confidence / total_share
            row[13] = 1.0 if place.country_code in named_countries and place.country_code != country else 0.0
            row[14] = 1.0 if place.feature not in ("country", "admin1") and not place.population else 0.0
            row[15] = 1.0 if cues[key] and place.feature not in ("country", "admin1", "capital") else 0.0
            rows.append((row, place))
        first[key] = rows

    picks = {key: max(rows, key=lambda item: _dot(weights, item[0]))[1] for key, rows in first.items() if rows}
    grid = _NeighbourGrid({key: p for key, p in picks.items() if p.feature not in ("country", "admin1")})
    centre = _Centre({key: p for key, p in picks.items() if p.feature not in ("country", "continent")})
    cap = round(NEIGHBOUR_CAP / NEIGHBOUR_BONUS)
    # the regions the other names' first readings lie in: a text's places cluster in one state
    picked: dict[tuple[str | None, str | None], set[str]] = {}
    for key, place in picks.items():
        if place.feature != "country":
            picked.setdefault(_region_of(place), set()).add(key)
    for key, rows in first.items():
        for row, place in rows:
            row[7] = float(min(grid.neighbours(place, key), cap))
            km = centre.km_from(place, key)
            row[8] = math.exp(-km / COHERENCE_KM) if km is not None else 0.0
            region = _region_of(place)
            if region[1]:
                row[18] = float(min(len(picked.get(region, set()) - {key}), SHARED_REGION_CAP))
    return first


#: A town lies in a county when within the county's reach (90 % of its ZIP points) and this much more.
COUNTY_SLACK_KM = 10.0


def _county_pairs(groups: dict[str, list[Span]], candidates: dict[str, list[Place]]) -> set[int]:
    """``id()`` of the readings that pair with another name's: a US county (:mod:`.counties`) and a town
    of the same state inside it ("Paris" and "Henry County": Paris, Tennessee, lies in Henry County,
    Tennessee; the other nine Henry Counties hold no Paris). Empty when the text names no county."""
    counties: dict[tuple[str | None, str], list[tuple[str, Place]]] = {}
    for key in groups:
        for place in candidates.get(key, ()):
            if place.feature == "area" and place.source == "geodata" and place.admin1:
                counties.setdefault((place.country_code, name_key(place.admin1)), []).append((key, place))
    paired: set[int] = set()
    if not counties:
        return paired
    for key in groups:
        for place in candidates.get(key, ()):
            if place.feature in ("country", "admin1", "area") or not place.admin1:
                continue
            for other, county in counties.get((place.country_code, name_key(place.admin1)), ()):
                if other != key and _rough_km(place, county) <= county.radius_km + COUNTY_SLACK_KM:
                    paired.add(id(place))
                    paired.add(id(county))
    return paired


def resolve_names(
    spans: list[Span],
    candidates: dict[str, list[Place]],
    *,
    country: str | None,
    focus: str | None,
    anchored: set[str] | None = None,
) -> dict[str, tuple[Place | None, float]]:
    """``{name key: (place or None, share)}`` for the name spans of one document.

    Each reading's score is the ranker's weighted sum of its features (:func:`candidate_features`,
    weights fitted on the even halves of two news corpora, :mod:`.ranker`); the scores become a
    share (softmax). ``anchored``, when given, receives the keys of the names answered with an
    anchored reading (:func:`anchored_reading`).
    """
    from .ranker import ranker_weights

    weights = ranker_weights()
    groups: dict[str, list[Span]] = {}
    for span in spans:
        if span.kind == NAME:
            groups.setdefault(name_key(span.text), []).append(span)
    features = candidate_features(spans, candidates, country=country, focus=focus, weights=weights)
    # the text itself names its country (a demonym, the country or one of its regions), not only the focus
    named_country = any(s.kind == DEMONYM and s.country == country for s in spans) or any(
        (found := candidates.get(key))
        and found[0].country_code == country
        and found[0].feature in ("country", "admin1")
        for key in groups
    )
    results: dict[str, tuple[Place | None, float]] = {}
    for key in groups:
        rows = features.get(key, [])
        if not rows:
            results[key] = (None, 0.0)
            continue
        final = [(_dot(weights, row), place) for row, place in rows]
        top = max(value for value, _ in final)
        total = sum(math.exp(value - top) for value, _ in final)
        best = max(final, key=lambda item: item[0])[1]
        share = 1.0 / total
        if best.feature == "country" and (
            (
                country
                and best.country_code != country
                and any(p.country_code == country for p in candidates.get(key, ()))
            )
            or (
                (
                    not country
                    or (country == best.country_code and not _other_support(key, country, groups, spans, candidates))
                )
                and any(
                    p.country_code != best.country_code and p.feature != "country" and name_key(p.name) == key
                    for p in candidates.get(key, ())
                )
            )
        ):
            # "Lebanon" in a story about Tennessee: the country's name wins, but a town of the text's
            # country shares it; the reading is likely, not certain. So too where the text's country
            # is unknown, or rests on this name alone, and a town abroad has the country's own name
            # (Lebanon, Indiana; Malta, Illinois: nothing else in the text is Lebanese or Maltese).
            share *= NAMESAKE_DOUBT
        runner_up = sorted((value for value, _ in final), reverse=True)[1:2]
        margin = top - runner_up[0] if runner_up else math.inf
        supported = (
            best.country_code == country
            or any(s.context for s in groups[key])
            or best.feature in ("country", "admin1", "capital")
            or (best.population or 0) >= 20_000
            or any(s.cue for s in groups[key])
        )
        cued = any(s.cue or s.context for s in groups[key])
        abroad = (
            named_country
            and best.country_code != country
            and best.feature not in ("country", "admin1", "capital", "area")
            and (best.population or 0) < ABROAD_PEOPLE
            and not cued
        )
        if abroad and not any(p.country_code == country for _, p in final):
            # "Fighters attacked Kona, the Malian army said": the text is about Mali, the gazetteer
            # knows only a village abroad; a silence is honest, the village would be a confident error.
            results[key] = (None, share)
        elif _unplaced_county(best, rows):
            # "the Henry County sheriff" in a story about Dallas: ten states have one, Texas none
            results[key] = (None, share)
        elif share >= MIN_SHARE and supported:
            results[key] = (best.with_(confidence=round(share, 3)), share)
            if anchored is not None and anchored_reading(rows, weights, best, country):
                anchored.add(key)
        elif margin >= CLEAR_MARGIN:
            # Not supported by the text, or shared among many namesakes, yet far likelier than the
            # next reading: answered, with the lower confidence such a guess deserves.
            guess = share * GUESS_FACTOR
            results[key] = (best.with_(confidence=round(guess, 3)), guess)
        else:
            results[key] = (None, share)
    return results


def anchored_reading(
    rows: list[tuple[list[float], Place]], weights: tuple[float, ...], best: Place, country: str | None
) -> bool:
    """Whether the text singles out ``best`` among a name's readings ``rows`` (features, place).

    Its region or country follows it after a comma ("Lexington, Ky."), or it lies in the text's
    country with :data:`ANCHOR_NEIGHBOURS` or more of the text's other places around it; and no
    namesake in its own country lies farther than :data:`NAMESAKE_KM` that is its capital or a
    first-level region or scores within :data:`ANCHOR_MARGIN` of it: the text's places around one
    reading do not tell Washington the capital from the state, or a town from either.
    Such readings are right far more often than others of the same share (the even halves of
    LGL and GeoWebNews: 99 % at a share of 0.85), so they get their own confidence table.
    """
    row = next((r for r, place in rows if place is best), None)
    if row is None:
        return False
    single = row[_COLUMN["comma_context"]] > 0 or (
        country is not None and best.country_code == country and row[_COLUMN["neighbours"]] >= ANCHOR_NEIGHBOURS
    )
    if not single:
        return False
    top = _dot(weights, row)
    return not any(
        place is not best
        and place.country_code == best.country_code
        and (place.feature in _SEATS or _dot(weights, other) > top - ANCHOR_MARGIN)
        and _rough_km(place, best) > NAMESAKE_KM
        for other, place in rows
    )


#: Readings a name's other readings in the same country never rule out: the capital or a first-level
#: region of that name ("Washington" in American news: the capital, the state or a town).
_SEATS = frozenset(("admin1", "capital"))


def _unplaced_county(best: Place, rows: list[tuple[list[float], Place]]) -> bool:
    """Whether ``best`` is one of several US counties of its name (:mod:`.counties`) and nothing in the
    text places it in its state: the state named, another name read there, a town of the text inside
    it, or its state after a comma. Then no state is singled out; the parser falls back to the state
    the text's places lie in, when that state has a county of the name."""
    if best.feature != "area" or best.source != "geodata":
        return False
    if sum(1 for _, place in rows if place.feature == "area" and place.source == "geodata") < 2:
        return False
    row = next((r for r, place in rows if place is best), None)
    return row is not None and not any(row[_COLUMN[name]] for name in _PLACING_FEATURES)


#: Where each ranker feature sits in a reading's row (:func:`candidate_features`).
_COLUMN = {name: k for k, name in enumerate(FEATURES)}
#: The features that place a county in its state (:func:`_unplaced_county`).
_PLACING_FEATURES = ("region_named", "comma_context", "picked_region", "county_pair")


def _other_support(
    key: str, code: str, groups: dict[str, list[Span]], spans: list[Span], candidates: dict[str, list[Place]]
) -> bool:
    """Whether something in the text besides the name ``key`` lies in country ``code``: a demonym of it,
    or another name whose leading reading lies there."""
    return any(s.kind == DEMONYM and s.country == code for s in spans) or any(
        other != key and (found := candidates.get(other)) and found[0].country_code == code for other in groups
    )


def _dot(weights: tuple[float, ...], row: list[float]) -> float:
    return sum(map(operator.mul, weights, row))  # the same products summed in the same order, without a generator


class _Centre:
    """Where a text's places lie: the mean of their unit vectors, one name left out on demand (O(1))."""

    def __init__(self, picks: dict[str, Place]):
        self.vectors = {key: _unit(p) for key, p in picks.items()}
        self.total = [sum(v[k] for v in self.vectors.values()) for k in range(3)]

    def km_from(self, place: Place, key: str) -> float | None:
        """Km from ``place`` to the centre of the other names' readings (``None`` when there are none)."""
        own = self.vectors.get(key)
        rest = [t - (own[k] if own else 0.0) for k, t in enumerate(self.total)]
        count = len(self.vectors) - (1 if own else 0)
        norm = math.sqrt(sum(x * x for x in rest))
        if count == 0 or norm < 1e-9:
            return None
        x, y, z = _unit(place)
        cosine = max(-1.0, min(1.0, (x * rest[0] + y * rest[1] + z * rest[2]) / norm))
        return 6371.0 * math.acos(cosine)


def _unit(place: Place) -> tuple[float, float, float]:
    lat, lon = math.radians(place.lat), math.radians(place.lon)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


#: The readings a country's own name keeps without a comma context: the country, and a region or
#: capital of that name ("Georgia" the state, "Djibouti" the city).
_NATION_READINGS = frozenset(("country", "admin1", "capital"))


def _great_city(place: Place) -> bool:
    """A capital or a city of a million people or more: in a text about its country, a bare name it
    shares with a region is the city ("Washington" is the capital where the story is American, as
    "Mexico" would be the country) — the region wins only with its own support (named as a state,
    with its towns around)."""
    return place.feature == "capital" or (place.feature == "city" and (place.population or 0) >= GREAT_CITY_PEOPLE)


def prior(place: Place, key: str) -> float:
    """What we know of a reading before the text speaks: how prominent the place is, and whether
    the words are its own name or another one of its names.

    Prominence is log10 of the population plus a bonus for countries, capitals and
    regions (the gazetteer's own ranking, :func:`mali_map.gazetteer.index.prominence`).
    It is computed here rather than read from the gazetteer's confidence, which is
    calibrated for a bare query: it gives a Paris in Texas about 0 beside the
    capital of France, where a text about Texas should still be able to choose it.
    """
    from ..gazetteer.index import prominence

    own_name = name_key(place.name) == key or spelled_out(name_key(place.name)) == spelled_out(key)
    population = place.population
    if place.feature == "admin1" and not population:
        population = region_population(place.country_code)
    return prominence(place.feature, population) + (OWN_NAME_WEIGHT if own_name else OTHER_NAME_WEIGHT)


#: Abbreviations a place's name is written with, spelled out: "St. Petersburg" is Saint Petersburg's own name.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


@functools.lru_cache(maxsize=4096)
def spelled_out(key: str) -> str:
    """A name key with its abbreviated words spelled out ("st petersburg" -> "saint petersburg")."""
    words = key.split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words) if len(words) > 1 else key


@functools.lru_cache(maxsize=512)
def region_population(country_code: str | None) -> int:
    """The people of a typical first-level region of a country: its population over its regions
    (``geodata/``), at most :data:`REGION_POPULATION_CAP`; 0 when unknown."""
    from .. import geodata

    regions = sum(1 for r in geodata.admin1_regions() if r["country_code"] == country_code)
    country = next((c for c in geodata.countries() if c["iso2"] == country_code), None)
    if not regions or country is None or not country.get("population"):
        return 0
    return min(int(country["population"]) // regions, REGION_POPULATION_CAP)


def _region_of(place: Place) -> tuple[str | None, str | None]:
    """(country, region key) a place lies in; a region lies in itself."""
    region = place.name if place.feature == "admin1" else place.admin1
    return (place.country_code, name_key(region) if region else None)


def _named_regions(
    groups: dict[str, list[Span]], candidates: dict[str, list[Place]], country: str | None
) -> dict[tuple[str | None, str], set[str]]:
    """(country, region key) of every first-level region the text names -> the names that name it,
    in the document's country when it has one there ("Georgia" in a story about the US is the state),
    and the state of a US county name that only one state has ("Edgar County": Illinois)."""
    regions: dict[tuple[str | None, str], set[str]] = {}
    for key, members in groups.items():
        found = [p for p in candidates.get(key, ()) if p.feature == "admin1"]
        local = [p for p in found if p.country_code == country]
        for place in local or found[:2]:
            regions.setdefault((place.country_code, name_key(place.name)), set()).add(key)
        for span in members:
            if span.context:
                regions.setdefault((None, name_key(span.context)), set()).add(f"{key}, {span.context}")
        states = county_states(key)
        if len(states) == 1:  # "Edgar County" is only in Illinois: the text names Illinois
            regions.setdefault(("US", name_key(next(iter(states)))), set()).add(key)
    return regions


def _named_by_another(
    regions: dict[tuple[str | None, str], set[str]], region: tuple[str | None, str], key: str
) -> bool:
    """Whether a name other than ``key`` names ``region``: "Minnesota" does not vouch for a town
    of its own that the gazetteer lists as "Minnesota" (the region is a reading of the same words)."""
    return bool(regions.get(region, set()) - {key})


def _names_of(place: Place) -> set[str]:
    names = {name_key(place.admin1)} if place.admin1 else set()
    if place.country_code:
        names |= _country_keys(place.country_code)
    return names


@functools.lru_cache(maxsize=512)
def _country_keys(code: str) -> frozenset[str]:
    """Name keys of a country's names, demonyms and code ("ml", "mali", "malian")."""
    from ..countries import country_words

    return frozenset([code.lower()] + [word for word, other in country_words().items() if other == code])


class _NeighbourGrid:
    """The best readings of a text's names in cells of 1.5 degrees, to count a candidate's neighbours.

    A long text names hundreds of places; comparing every candidate with every
    other name would be quadratic. Within 150 km of a point lie only the cells
    next to its own (more of them across longitude towards the poles).
    """

    CELL_DEG = 1.5

    def __init__(self, picks: dict[str, Place]):
        self.cells: dict[tuple[int, int], list[tuple[str, Place]]] = {}
        for key, place in picks.items():
            self.cells.setdefault(self._cell(place.lat, place.lon), []).append((key, place))

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.CELL_DEG), math.floor(lon / self.CELL_DEG))

    def neighbours(self, place: Place, key: str) -> int:
        """How many other names' readings lie within :data:`NEIGHBOUR_KM` of ``place`` (counted up to the cap)."""
        cap = round(NEIGHBOUR_CAP / NEIGHBOUR_BONUS)
        row, column = self._cell(place.lat, place.lon)
        columns = int(360 / self.CELL_DEG)
        reach_lat = abs(place.lat) + self.CELL_DEG  # 150 km is 1.35 degrees of latitude
        # Near a pole, 150 km may cross it: every column counts.
        span = columns // 2 if reach_lat >= 88.5 else math.ceil(1 / math.cos(math.radians(reach_lat)))
        found = 0
        wrapped = {(c + columns // 2) % columns - columns // 2 for c in range(column - span, column + span + 1)}
        for r in (row - 1, row, row + 1):
            for c in wrapped:
                for other_key, other in self.cells.get((r, c), ()):
                    if other_key != key and _rough_km(place, other) <= NEIGHBOUR_KM:
                        found += 1
                        if found >= cap:
                            return found
        return found


__all__ = ["DEMONYM", "DESCRIPTOR", "NAME", "Mention", "anchored_reading", "document_country", "resolve_names"]


def _rough_km(a: Place, b: Place) -> float:
    """Great-circle km (:func:`~mali_map.geodesy.great_circle_km`): enough to tell neighbours (within 150 km)
    from strangers, and fast."""
    return great_circle_km((a.lat, a.lon), (b.lat, b.lon))


def document_country_of(mentions: list[Mention], focus: str | None) -> str | None:
    """The country most resolved mentions lie in (countries and demonyms count double), else ``focus``."""
    votes: dict[str, float] = {}
    for mention in mentions:
        if mention.place is None or not mention.place.country_code:
            continue
        weight = 2.0 if mention.kind == "demonym" or mention.place.feature == "country" else 1.0
        code = mention.place.country_code
        votes[code] = votes.get(code, 0.0) + weight * max(mention.confidence, 0.3)
    if not votes:
        return focus
    best = max(votes.values())
    leaders = [code for code, count in votes.items() if count == best]
    return focus if focus in leaders else leaders[0]
