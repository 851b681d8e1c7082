"""Which readings of a place a verdict must hold for: the plausible ones.

A claim between two places is only as sure as the places are. A name the
gazetteer knows only abroad at confidence 0.41 ("Konna" read as Conna, Ireland)
is a guess, and a verdict resting on it is a guess too; a name with two places
in one country (two Bambas, hundreds of km apart) has two readings, and the
claim may hold for one and fail for the other. So each place is judged over its
*plausible readings*:

- a candidate whose calibrated confidence reaches :data:`PLAUSIBLE`;
- namesakes in one country: the ranking shares the confidence out among
  same-named places, so each may fall below the threshold although together
  they are sure. Their combined share is calibrated as an answer of that share
  would be (:func:`group_confidence`); when it reaches :data:`PLAUSIBLE`, each
  namesake holding at least :data:`NAMESAKE_SHARE` of it is a reading;
- points closer than :data:`SAME_PLACE_KM` (or their radii) are one place
  given by two sources, one reading.

Constraints come first: a country the text names beside the place ("Bamako,
Senegal") keeps only candidates there; a place whose other place lies in the
focus country is not read abroad unless the text names that country (``home``),
or the reading is a country or a national capital, which news names without
its country ("Ouagadougou").

Why 0.5: the confidence is calibrated (:mod:`mali_map.gazetteer.calibration`),
so it is the rate at which such answers were right on the calibration set;
below 0.5 an answer is wrong more often than right, and a verdict resting on it
would be too. ``benchmarks/bench_claim_trust.py`` shows how the wrong and the
decided verdicts move as the threshold moves.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from ..gazetteer.calibration import MIN_CONFIDENCE, VILLAGE_FEATURES, calibrated
from ..places import Place

#: the least calibrated confidence a reading needs (that of ``--min-confidence``; see the module text)
PLAUSIBLE = MIN_CONFIDENCE
#: a namesake counts when it holds at least this share of its country's combined confidence
NAMESAKE_SHARE = 0.05
#: two candidates closer than this (or than their radii together) are one place from two sources
SAME_PLACE_KM = 5.0
#: the most readings a place keeps (best first); the rest are ignored as far-fetched
MAX_READINGS = 4


class Candidate(NamedTuple):
    """A candidate place, its raw share of its ranking, and whether it was ranked as at home
    (its country the focus: the run's, or one the text names or the other place lies in)."""

    place: Place
    share: float
    at_home: bool


def group_confidence(members: Sequence[Candidate]) -> float:
    """How sure the ranking is that the place is *one of* ``members`` (namesakes in one country):
    their combined raw share, calibrated as an answer of that share would be
    (:func:`mali_map.gazetteer.calibration.calibrated`), and never less than the best member's own."""
    best = max(members, key=lambda c: c.place.confidence)
    if len(members) == 1:  # no namesake: the place's own calibrated confidence
        return best.place.confidence
    share = min(1.0, round(sum(c.share for c in members), 6))
    village = best.place.feature in VILLAGE_FEATURES
    table = "outside_focus" if not best.at_home else ("plain_village" if village else "plain")
    return max(best.place.confidence, calibrated(share, table))


def plausible_readings(
    candidates: Sequence[Candidate],
    *,
    required: str | None = None,
    home: str | None = None,
    named: Sequence[str] = (),
    threshold: float | None = None,
) -> tuple[tuple[Place, ...], Place | None, str | None]:
    """``(readings, guess, why)``: the plausible readings of a place, best first; when there are
    none, the best guess (``None`` if no candidate) and why it is not trusted.

    ``candidates``: best first; ``required``: the ISO code the text binds the place to; ``home``:
    the country the focus and the other place share; ``named``: the countries the text names;
    ``threshold``: :data:`PLAUSIBLE` unless given.
    """
    threshold = PLAUSIBLE if threshold is None else threshold
    found = list(candidates)
    if not found:
        return (), None, None
    if required:
        inside = [c for c in found if c.place.country_code == required]
        if not inside:
            return (), found[0].place, f"not in {required}"
        found = inside
    if home:
        at_home = [c for c in found if _at_home(c.place, home, named)]
        if not at_home:  # a guess below the threshold is said to be one; a sure one abroad, to be abroad
            best = found[0].place
            return (), best, "below" if best.confidence < threshold else f"abroad {home}"
        found = at_home
    groups: dict[tuple[str | None, str], list[Candidate]] = {}
    for c in found:
        groups.setdefault(_namesakes_key(c.place), []).append(c)
    sure = {key: group_confidence(members) for key, members in groups.items()}
    combined = {key: sum(c.share for c in members) for key, members in groups.items()}
    readings: list[Place] = []
    for c in found:
        key = _namesakes_key(c.place)
        namesake = sure[key] >= threshold and c.share >= NAMESAKE_SHARE * combined[key]
        if (c.place.confidence >= threshold or namesake) and not any(_same_place(c.place, r) for r in readings):
            readings.append(c.place)
    if not readings:
        return (), found[0].place, "below"
    return tuple(readings[:MAX_READINGS]), None, None


def _at_home(place: Place, home: str, named: Sequence[str]) -> bool:
    """Whether ``place`` may be read when the focus and the other place put it in ``home``: it lies
    there, or in a country the text names, or it is a country or a national capital (known by its
    name alone: "Ouagadougou lies south-east of Mopti" needs no "Burkina Faso")."""
    return place.country_code == home or place.country_code in named or place.feature in ("country", "capital")


def _namesakes_key(place: Place) -> tuple[str | None, str]:
    """Namesakes are places of one name in one country."""
    return place.country_code, _key(place.name)


@functools.lru_cache(maxsize=8192)
def _key(name: str) -> str:
    from ..textnorm import name_key

    return name_key(name)


def _same_place(a: Place, b: Place) -> bool:
    if a.country_code != b.country_code:
        return False
    from ..geodesy import distance_km

    return distance_km(a.point, b.point) <= max(SAME_PLACE_KM, a.radius_km + b.radius_km)


@functools.lru_cache(maxsize=8192)
def label(place: Place) -> str:
    """How an explanation names a place: 'Bamba, Gao (ML)', 'Lexington, Kentucky (US)', 'Mali (ML)'."""
    parts = [place.name]
    if place.admin1 and _key(place.admin1) != _key(place.name) and place.feature != "country":
        parts.append(place.admin1)
    code = f" ({place.country_code})" if place.country_code else ""
    return ", ".join(parts) + code
