"""Ranking candidates for a name: how we choose among homonyms, and how sure we are.

A candidate's score adds up what we know in its favour:

- how the name matched: the place's main name, an alternate name, a short
  code (IATA and the like), or a fuzzy match (scaled by similarity);
- prominence: log10 of population plus a bonus for countries, capitals and
  regions, so Bamako the capital outranks a hamlet called Bamako;
- the country focus (``--country``, default ML): a prior, not a filter;
- context from the query ("Kayes, Mali"): a strong pull towards places in the
  named region or country, and a push away from places outside a named country.

Confidence is the best candidate's share of the total weight (a softmax of the
scores) times the quality of the name match, so a name shared by two towns of
similar size gets a low confidence and the alternatives show why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..geodesy import distance_km
from ..places import Alternative, Place, radius_km_for
from ..textnorm import name_key
from . import calibration
from .index import NAME_ALTERNATE, NAME_CODE, NAME_MAIN

#: How much each kind of name match is worth, and how much we trust it (0..1).
MATCH_WEIGHT = {NAME_MAIN: 3.0, NAME_ALTERNATE: -0.5, NAME_CODE: -1.0}
MATCH_QUALITY = {NAME_MAIN: 1.0, NAME_ALTERNATE: 0.95, NAME_CODE: 0.8}
FUZZY_KIND = 9
PROMINENCE_WEIGHT = 1.0
FOCUS_BONUS = 2.0
CONTEXT_BONUS = 3.0
CONTEXT_COUNTRY_MISMATCH = -3.0
CONTEXT_REGION_MISMATCH = -1.5
USER_SOURCE_BONUS = 0.3
#: Softmax temperature: a score gap of 1 makes the better candidate ~7 times as likely, so a
#: town of 130,000 keeps ~97 % of the share against a hamlet of the same name (the raw share is
#: then mapped to a calibrated confidence, see :mod:`.calibration`).
TEMPERATURE = 0.5
#: Points of the same name from different sources within this many km are one place.
SAME_PLACE_KM = 25.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A row of the index that matched a name, with how it matched."""

    place_id: int
    name: str
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    feature: str
    population: int | None
    area_km2: float | None
    source: str
    prominence: float
    kind: int
    similarity: float = 1.0  # 0..1, below 1 only for fuzzy matches


@dataclass(frozen=True)
class Context:
    """What the query's trailing parts tell us: region keys and country codes.

    ``region_keys`` are the name keys of the regions the query names (every
    spelling we could resolve, see :mod:`.regions`); ``country_codes`` the
    countries it names, which are a hard constraint (see :func:`inside`).
    """

    region_keys: frozenset[str] = frozenset()
    country_codes: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.region_keys or self.country_codes)


REGION_MATCH, REGION_MISMATCH, REGION_UNKNOWN = "match", "mismatch", "unknown"


def region_status(candidate: Candidate, context: Context) -> str | None:
    """How a candidate's region compares with the region the query names.

    ``None`` when the query names no region; ``"unknown"`` when the candidate's
    region is not known (none given and none estimable, or one stated but
    implausible for its point, see :mod:`.regions`); else ``"match"`` or
    ``"mismatch"``. A country or admin region candidate is never a mismatch of itself.
    """
    if not context.region_keys:
        return None
    if candidate.feature == "country":
        return REGION_UNKNOWN
    admin1 = trusted_region(candidate)
    if admin1 is None:
        return REGION_UNKNOWN
    return REGION_MATCH if name_key(admin1) in context.region_keys else REGION_MISMATCH


def trusted_region(candidate: Candidate) -> str | None:
    """The candidate's region if we believe it: the stated one when plausible, else an estimate."""
    from .regions import estimate_region, region_is_plausible

    country_code = country_of(candidate)
    if candidate.admin1 and (
        candidate.feature == "admin1"
        or region_is_plausible(country_code, candidate.admin1, candidate.lat, candidate.lon)
    ):
        return candidate.admin1
    return estimate_region(country_code, candidate.lat, candidate.lon)


def country_of(candidate: Candidate) -> str | None:
    """The candidate's country: as its source gives it, else the one whose outline holds its point
    (a user's list without a country column)."""
    if candidate.country_code:
        return candidate.country_code
    from .regions import country_at

    return country_at(candidate.lat, candidate.lon)


def inside(candidate: Candidate, allowed: frozenset[str] | None) -> bool:
    """Whether a candidate lies in one of the ``allowed`` countries (``None``: no constraint)."""
    return allowed is None or country_of(candidate) in allowed


def score(candidate: Candidate, *, focus: str | None, context: Context) -> float:
    """The ranking score of one candidate (higher is better)."""
    if candidate.kind == FUZZY_KIND:
        total = MATCH_WEIGHT[NAME_MAIN] * candidate.similarity**4
    else:
        total = MATCH_WEIGHT[candidate.kind]
    total += PROMINENCE_WEIGHT * candidate.prominence
    if focus and candidate.country_code == focus:
        total += FOCUS_BONUS
    if context:
        # A part that names the candidate's region pulls hard; a candidate known to lie in
        # another region is pushed back (a part may also name a district we cannot check).
        status = region_status(candidate, context)
        if status == REGION_MATCH:
            total += CONTEXT_BONUS
        elif status == REGION_MISMATCH:
            total += CONTEXT_REGION_MISMATCH
        if context.country_codes:
            total += CONTEXT_BONUS if candidate.country_code in context.country_codes else CONTEXT_COUNTRY_MISMATCH
    if candidate.source != "geonames":
        total += USER_SOURCE_BONUS
    return total


def match_quality(candidate: Candidate) -> float:
    """How much the name match alone is worth as confidence (0..1)."""
    if candidate.kind == FUZZY_KIND:
        return 0.75 * candidate.similarity
    return MATCH_QUALITY[candidate.kind]


def rank(
    candidates: list[Candidate],
    *,
    focus: str | None,
    context: Context,
    limit: int = 10,
    allowed: frozenset[str] | None = None,
) -> list[Place]:
    """Rank candidates into places, best first, each with its confidence.

    The first place carries the others as its ``alternatives``. Only
    candidates in the ``allowed`` countries are ranked (``None``: all).
    """
    if allowed is not None:
        candidates = [c for c in candidates if inside(c, allowed)]
    groups = _weighted_groups(candidates, focus, context)
    if not groups:
        return []
    best = best_place(candidates, focus=focus, context=context, limit=limit, groups=groups)
    if best is None:  # not reached: best_place answers whenever there are groups
        return []
    rest = [
        to_place(head, confidence=confidence, spread_km=_spread_km(head, members))
        for head, members, confidence in groups[1:limit]
    ]
    return [best] + rest


def best_place(
    candidates: list[Candidate],
    *,
    focus: str | None,
    context: Context,
    limit: int = 10,
    query: str | None = None,
    groups: list[tuple[Candidate, list[Candidate], float]] | None = None,
    allowed: frozenset[str] | None = None,
) -> Place | None:
    """The best-ranked place with the runners-up as ``alternatives`` (``None`` without candidates).

    ``allowed``: the countries the answer must lie in (the query's country, the
    run's ``--only``); candidates elsewhere are never the answer, only
    alternatives marked ``outside``. The confidence is calibrated (see
    :mod:`.calibration`) from the raw share and the answer's situation.
    """
    if allowed is not None:
        outside = [c for c in candidates if not inside(c, allowed)]
        candidates = [c for c in candidates if inside(c, allowed)]
        groups = None
    else:
        outside = []
    groups = groups if groups is not None else _weighted_groups(candidates, focus, context)
    if not groups:
        return None
    head, members, share = groups[0]
    status = region_status(head, context)
    confidence = raw_to_confidence(head, share, focus=focus, status=status, constrained=allowed is not None)
    alternatives = tuple(
        Alternative(c.name, c.lat, c.lon, c.country_code, round(min(1.0, conf), 3)) for c, _, conf in groups[1:limit]
    )
    room = max(0, limit - 1 - len(alternatives))
    alternatives += tuple(
        Alternative(c.name, c.lat, c.lon, c.country_code, 0.0, outside=True) for c in _distinct(outside)[:room]
    )
    return to_place(
        head,
        confidence=confidence,
        spread_km=_spread_km(head, members),
        alternatives=alternatives,
        query=query,
        region_mismatch=status == REGION_MISMATCH,
    )


def raw_to_confidence(
    head: Candidate, share: float, *, focus: str | None, status: str | None, constrained: bool
) -> float:
    """The calibrated confidence of ``head`` answering with raw ``share``."""
    outside_focus = not constrained and bool(focus) and country_of(head) != focus
    group = calibration.situation(
        fuzzy=head.kind == FUZZY_KIND, region=status, outside_focus=outside_focus, feature=head.feature
    )
    return calibration.calibrated(min(1.0, share), group)


def _distinct(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates by prominence, one per place (points of a place from two sources shown once)."""
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.prominence, c.place_id)):
        if not any(_same_place(k, candidate) for k in kept):
            kept.append(candidate)
    return kept


def _weighted_groups(
    candidates: list[Candidate], focus: str | None, context: Context
) -> list[tuple[Candidate, list[Candidate], float]]:
    """Candidates grouped into distinct places, best first, with each place's confidence.

    Points of the same name close to each other in one country are one place
    seen twice (a town and its district, or one town in two sources), not
    rivals: they are merged, the best-scored point representing them, before
    confidence is shared out.
    """
    if len(candidates) == 1:  # the common case, kept cheap
        only = candidates[0]
        return [(only, [only], match_quality(only))]
    scored = sorted(
        ((score(c, focus=focus, context=context), c) for c in candidates), key=lambda sc: (-sc[0], sc[1].place_id)
    )
    groups: list[tuple[float, Candidate, list[Candidate]]] = []
    for value, candidate in scored:
        for _, head, members in groups:
            if _same_place(head, candidate):
                members.append(candidate)
                break
        else:
            groups.append((value, candidate, [candidate]))
    if not groups:
        return []
    # A region and the town it is named after are one place; reports mean the town.
    groups = [(value, _town_first(head, members), members) for value, head, members in groups]
    top = groups[0][0]
    weights = [math.exp((value - top) / TEMPERATURE) for value, _, _ in groups]
    total = sum(weights)
    return [
        (head, members, match_quality(head) * weight / total) for (_, head, members), weight in zip(groups, weights)
    ]


def _same_place(a: Candidate, b: Candidate) -> bool:
    """Same name, same country, within :data:`SAME_PLACE_KM`: one place (a town and its
    district, or one town in two sources). Countries are never merged with towns."""
    if a.country_code != b.country_code or ("country" in (a.feature, b.feature) and a.feature != b.feature):
        return False
    if _region_of(a, b) or _region_of(b, a):
        return True
    return _rough_km(a, b) <= SAME_PLACE_KM


def _town_first(head: Candidate, members: list[Candidate]) -> Candidate:
    if head.feature == "admin1":
        return next((m for m in members if _region_of(head, m)), head)
    return head


def _region_of(region: Candidate, town: Candidate) -> bool:
    """Whether ``region`` is the admin region that ``town`` lies in (both matched one name:
    Tombouctou the region and Timbuktu the town named in it, or Kayes and Kayes)."""
    return region.feature == "admin1" and town.feature != "admin1" and town.admin1 == region.name


def _rough_km(a: Candidate, b: Candidate) -> float:
    """Distance on a local flat approximation: within 0.5 % of the geodesic at 25 km, 100x faster."""
    dlat = a.lat - b.lat
    dlon = (a.lon - b.lon + 180.0) % 360.0 - 180.0
    return 111.2 * math.hypot(dlat, dlon * math.cos(math.radians((a.lat + b.lat) / 2)))


def _spread_km(head: Candidate, members: list[Candidate]) -> float:
    """How far apart other sources put the same populated place (0 when only one source)."""
    if len(members) == 1:
        return 0.0
    return max(
        (
            distance_km((head.lat, head.lon), (m.lat, m.lon))
            for m in members
            if m.source != head.source and "admin1" not in (m.feature, head.feature) and m.feature != "country"
        ),
        default=0.0,
    )


def to_place(
    candidate: Candidate,
    *,
    confidence: float,
    spread_km: float = 0.0,
    alternatives: tuple[Alternative, ...] = (),
    query: str | None = None,
    region_mismatch: bool = False,
) -> Place:
    """The public :class:`Place` of a candidate."""
    return Place(
        name=candidate.name,
        lat=candidate.lat,
        lon=candidate.lon,
        country_code=candidate.country_code,
        admin1=candidate.admin1,
        feature=candidate.feature,
        population=candidate.population,
        source=candidate.source,
        confidence=round(min(1.0, confidence), 3),
        radius_km=radius_km_for(candidate.feature, candidate.population, candidate.area_km2),
        spread_km=round(spread_km, 3),
        alternatives=alternatives,
        query=query,
        place_id=candidate.place_id,
        region_mismatch=region_mismatch,
    )
