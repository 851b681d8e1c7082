"""Calibrated confidence: what the ranking's raw share means in practice.

The ranking (:mod:`.matching`) gives the best candidate a *raw share*: its
softmax weight among the candidates, times the quality of the name match. A
share of 1.0 only says no other place of that name competes; it does not say
the place asked for is in the index at all. Users read ``confidence`` as a
probability, so we map the share to the rate at which answers like it were
right on a calibration set (``benchmarks/bench_calibration.py``): queries
for places present in the index mixed with queries for places left out of it
(where only not-found, or a duplicate within 25 km, is right), across several
countries and name forms.

The map depends on the situation of the answer (:func:`situation`): whether
the query's region agrees, whether the match is fuzzy, whether the answer lies
outside the focus country. Each situation has a non-decreasing step function of
the share (isotonic regression, fitted on one half of the countries and
checked on the other), stored below as ``(share at least, confidence)`` steps.
"""

from __future__ import annotations

from bisect import bisect_right

#: situation -> steps ``(share at least, confidence)``, shares increasing.
#: Fitted by ``benchmarks/bench_calibration.py --fit``; see the README's calibration table.
TABLE: dict[str, tuple[tuple[float, float], ...]] = {
    "region_match": ((0.0, 0.89), (1.0, 0.99)),
    "region_match_village": ((0.0, 0.36), (0.95, 0.82), (1.0, 0.89)),
    "plain": ((0.0, 0.38), (0.93, 0.89), (1.0, 0.99)),
    "plain_village": ((0.0, 0.34), (0.95, 0.72), (1.0, 0.89)),
    "region_mismatch": ((0.0, 0.1),),
    "outside_focus": ((0.0, 0.41), (1.0, 0.89)),
    "area": ((0.0, 0.67),),
    "fuzzy": ((0.0, 0.14), (0.643, 0.51), (0.682, 0.85), (0.706, 0.89)),
}
SITUATIONS = tuple(TABLE)
#: Default of ``--min-confidence``: on the calibration set, answers given below 0.5 are
#: wrong more often than right (region mismatches, far-fetched misspellings, namesakes).
MIN_CONFIDENCE = 0.5


#: Answers that are villages (or of unknown size) are kept apart from towns: a village
#: missing from the index often has a namesake in the same region, a town rarely does.
VILLAGE_FEATURES = frozenset({"village", "place"})
AREA_FEATURES = frozenset({"admin1", "country"})


def situation(*, fuzzy: bool, region: str | None, outside_focus: bool, feature: str = "town") -> str:
    """The calibration group of an answer (see :data:`TABLE`)."""
    if fuzzy:
        return "fuzzy"
    if region == "mismatch":
        return "region_mismatch"
    if outside_focus:
        return "outside_focus"
    if feature in AREA_FEATURES:
        return "area"
    group = "region_match" if region == "match" else "plain"
    return group + "_village" if feature in VILLAGE_FEATURES else group


_STARTS = {group: [lo for lo, _ in steps] for group, steps in TABLE.items()}


def calibrated(share: float, group: str) -> float:
    """The confidence of an answer with raw ``share`` (0..1) in situation ``group``."""
    at = bisect_right(_STARTS[group], share) - 1
    return TABLE[group][max(at, 0)][1]
