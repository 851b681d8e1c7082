"""The verdict rules: what a claim accepts, and how a range of distances or bearings meets it.

Pure arithmetic on kilometres and degrees, no places and no I/O, so every rule
of ``docs/claims.md`` can be tested on numbers alone.

- :func:`accepted_km`: the distances a claim accepts, ``(A, B)`` in km.
- :func:`about_tolerance`: the slack of "about N".
- :func:`judge_distance`: a range ``lo <= centre <= hi`` against ``(A, B)`` (bounds: "less than", "more than").
- :func:`judge_about`: "about N" against ``(A, B)``: centre to centre, the usual measure between towns.
- :func:`judge_direction`: a bearing against a compass sector widened by the extents.
- :func:`weaker`: the weaker of two verdicts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..geodesy import KM_PER_UNIT, angle_diff_deg, compass_bearing, sector_half_width_deg
from ..vocabulary import Comparator, Verdict
from .records import Claim

SUPPORTED, CONTRADICTED, DEPENDS, UNRESOLVED = (
    Verdict.SUPPORTED,
    Verdict.CONTRADICTED,
    Verdict.DEPENDS,
    Verdict.UNRESOLVED,
)
#: "about N" holds within at least this fraction of N ...
ABOUT_MIN_FRACTION = 0.10
#: ... and at most this fraction, however round N looks
ABOUT_MAX_FRACTION = 0.25


@dataclass(frozen=True)
class Judgement:
    """A verdict and the reading under which a ``depends`` holds.

    ``reading``: ``"edge"`` (holds only edge to edge), ``"centre"`` (only centre to
    centre), ``"between"`` (only part-way between the two), ``"source"`` (only for
    some sources' points), or ``None``.
    """

    verdict: Verdict
    reading: str | None = None


def about_tolerance(value: float, step: float) -> float:
    """The slack of "about ``value``": the larger of 10 % and half the rounding step, capped at 25 %.

    >>> about_tolerance(15, 5)   # "about 15": 12.5..17.5
    2.5
    >>> about_tolerance(18, 1)   # "about 18": 16.2..19.8
    1.8
    >>> about_tolerance(10, 10)  # "about 10": 7.5..12.5, not 5..15
    2.5
    """
    value = abs(value)
    return max(ABOUT_MIN_FRACTION * value, min(ABOUT_MAX_FRACTION * value, step / 2.0))


def accepted_km(claim: Claim) -> tuple[float, float]:
    """The distances ``(A, B)`` in km that make the claim true (``B`` may be infinite).

    - ``<``, ``<=``: 0..N; "nearly N" and "just under N": 0.9 N..N;
    - ``>``, ``>=``: N..infinity; "just over N": N..1.1 N;
    - ``~`` N: N ± slack (:func:`about_tolerance`);
    - ``~`` with ``value_hi`` (a range, a vague amount): low..high, each end
      widened by the rounding of its last digit (0.5 for whole numbers).

    Strict and non-strict bounds are read alike: distances are not exact enough to tell.
    """
    if claim.comparator is None or claim.value is None or claim.unit is None:
        raise ValueError("a direction-only claim accepts every distance")
    per_unit = KM_PER_UNIT[claim.unit]
    value, step = claim.value, claim.step
    slack = about_tolerance(value, step)
    tight_slack = ABOUT_MIN_FRACTION * abs(value)
    comparator = Comparator(claim.comparator)
    if comparator.is_upper_bound:
        low, high = (value - tight_slack if claim.tight else 0.0), value
    elif comparator.is_lower_bound:
        low, high = value, (value + tight_slack if claim.tight else math.inf)
    elif claim.value_hi is not None:
        half_digit = min(step, 1.0) / 2.0
        low, high = claim.value - half_digit, claim.value_hi + half_digit
    else:
        low, high = value - slack, value + slack
    return max(0.0, low) * per_unit, high * per_unit


def judge_distance(accepted: tuple[float, float], lo_km: float, centre_km: float, hi_km: float) -> Judgement:
    """Where the range ``lo..hi`` (edge to edge .. centre plus spread) meets the accepted distances.

    supported: all of it fits; contradicted: none of it; depends: a part, and
    the reading says which.
    """
    low, high = accepted
    if low <= lo_km and hi_km <= high:
        return Judgement(SUPPORTED)
    if hi_km < low or lo_km > high:
        return Judgement(CONTRADICTED)
    centre_fits = low <= centre_km <= high
    edge_fits = low <= lo_km <= high
    if centre_fits and edge_fits:
        return Judgement(DEPENDS, "source")
    if centre_fits:
        return Judgement(DEPENDS, "centre")
    if edge_fits:
        return Judgement(DEPENDS, "edge")
    # neither reading fits, yet part of the range does: part-way between, or only within the sources' spread
    return Judgement(DEPENDS, "source" if low > centre_km else "between")


def judge_about(
    accepted: tuple[float, float], lo_km: float, centre_km: float, hi_km: float, spread_km: float
) -> Judgement:
    """ "About N" between two places: judged on the usual measure, centre to centre.

    A reader of "Kati is about 18 km from Bamako" means the distance between the towns'
    centres, not from Bamako's outskirts; so the places' extents do not widen it, only the
    sources' disagreement on where the centres are (``spread_km``, both places' together):

    - supported: centre to centre, within the sources' spread, lies within ``(A, B)``;
    - contradicted: no measure of the full range ``lo..hi`` (edge to edge .. centre plus
      spread) comes within ``(A, B)``;
    - depends: centre to centre is outside, yet part of the full range is within (the
      reading says which part: ``"edge"``, ``"between"`` or ``"source"``).

    >>> def judged(*args):
    ...     j = judge_about(*args)
    ...     return j.verdict.value, j.reading
    >>> judged((16.2, 19.8), 4.8, 18.3, 18.3, 0.0)    # Kati, "about 18 km" from Bamako
    ('supported', None)
    >>> judged((12.5, 17.5), 4.8, 18.3, 18.3, 0.0)    # "about 15 km": only part-way
    ('depends', 'between')
    >>> judged((25.0, 35.0), 4.8, 18.3, 18.3, 0.0)    # "about 30 km": no measure fits
    ('contradicted', None)
    """
    low, high = accepted
    near_lo, near_hi = max(0.0, centre_km - spread_km), centre_km + spread_km
    if low <= near_lo and near_hi <= high:
        return Judgement(SUPPORTED)
    if hi_km < low or lo_km > high:
        return Judgement(CONTRADICTED)
    if near_lo <= high and near_hi >= low:  # within the sources' spread of the centres, not all of it
        return Judgement(DEPENDS, "source")
    if low <= lo_km <= high:
        return Judgement(DEPENDS, "edge")
    return Judgement(DEPENDS, "between")


@dataclass(frozen=True)
class Sector:
    """A compass sector: centre bearing, half width, and the widening the extents allow (degrees)."""

    centre_deg: float
    half_width_deg: float
    widening_deg: float


def sector_for(direction: str, centre_km: float, reach_km: float) -> Sector:
    """The sector a compass point names, widened by the angle the places' extents cover.

    Seen from the anchor, two places whose reaches add up to ``reach_km`` at
    ``centre_km`` apart cover ``asin(reach / distance)`` either side of the
    centre bearing; when they overlap any bearing is possible.
    """
    if centre_km <= reach_km:
        widening = 180.0
    else:
        widening = math.degrees(math.asin(reach_km / centre_km))
    return Sector(compass_bearing(direction), sector_half_width_deg(direction), widening)


def judge_direction(sector: Sector, bearing_deg: float) -> Judgement:
    """supported: the centre bearing is in the sector; depends: only in the widened sector
    (it holds edge to edge); contradicted: outside even that."""
    off = angle_diff_deg(bearing_deg, sector.centre_deg)
    if off <= sector.half_width_deg:
        return Judgement(SUPPORTED)
    if off <= sector.half_width_deg + sector.widening_deg:
        return Judgement(DEPENDS, "edge")
    return Judgement(CONTRADICTED)


def weaker(a: str, b: str) -> Verdict:
    """The weaker verdict: contradicted < unresolved < depends < supported."""
    return Verdict(a).weaker(b)
