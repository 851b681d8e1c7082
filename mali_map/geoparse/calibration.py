"""Calibrated mention confidence: what a resolved mention's raw score means in practice.

The geoparser's raw confidence multiplies two shares: that the words name a
place (by what supports them: a cue, a sentence start) and that it is this
place (the candidate's softmax share in the document). Neither is a probability:
on local news, mentions scored 0.95 were right about seven times in ten, since
some are names of people or organisations and some readings are wrong. Users
read ``confidence`` as a probability, as they do the geocoder's
(:mod:`mali_map.gazetteer.calibration`), so the raw score is mapped to the rate
at which mentions like it were right: overlapping a toponym a person marked and
lying within 161 km of it.

The map is a non-decreasing step function (isotonic regression by pooling
adjacent violators over raw scores rounded to 0.05, :func:`fit_steps`), fitted by
``benchmarks/geoparse.py --fit`` on the even-numbered articles of the LGL and GeoWebNews
corpora and checked on the odd-numbered ones (the README's geoparsing table).
Unresolved mentions keep their raw score: there is no answer to be right.

Two tables: one for *wide* readings (a country, a demonym's country), one for the rest
(towns, regions, features). Wide readings are right far more often at the same raw score (a
country's point is the one every gazetteer gives; a town has namesakes), so one table would
understate them and overstate towns. Both are fitted on the even-numbered articles of LGL and
GeoWebNews and checked on the odd-numbered ones.

A large country's point is one convention among several: "within 161 km of Canada" is a matter of
which gazetteer drew the point (LGL, from 2010, puts Canada at 60N 96W; GeoNames today and GeoWebNews
at 60.1N 113.6W, 1,300 km apart), not of reading the text right. So the wide table reaches 0.9 only for
a country whose whole extent lies within 161 km of its point, i.e. whose equal-area radius
(``sqrt(area / pi)``, the area from ``geodata/countries.json``) is at most 161 km; a larger country's
reading is capped at :data:`CONVENTION_CAP` (:func:`point_is_convention`).
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_right

#: Steps ``(raw score at least, confidence)``, raw scores increasing.
STEPS: tuple[tuple[float, float], ...] = (
    (0.0, 0.06),
    (0.275, 0.28),
    (0.425, 0.36),
    (0.575, 0.49),
    (0.725, 0.63),
    (0.875, 0.72),
)
#: Raw scores are rounded to this before fitting: coarse steps generalise beyond the corpus fitted on.
ROUND_TO = 0.05


#: The wide readings' steps (see the module docstring).
WIDE_STEPS: tuple[tuple[float, float], ...] = ((0.0, 0.81), (0.725, 0.86), (0.925, 0.96))
#: The anchored readings' steps (a town or region the text singles out: its region after a comma, or
#: its neighbours in the text's country; :func:`mali_map.geoparse.resolve.anchored_reading`).
ANCHORED_STEPS: tuple[tuple[float, float], ...] = ((0.0, 0.91), (0.875, 0.97))
#: Features of the wide readings.
WIDE_FEATURES = frozenset(("country",))


def is_wide(feature: str | None, source: str | None = None, demonym: bool = False) -> bool:
    """Whether a reading is wide: a country, or a demonym's country. (A first-level region is not:
    "New York" the state or the city, "Red Sea" the state or the sea; nor a continent or an area of the
    world, whose points are conventions that gazetteers place differently.)"""
    return demonym or feature in WIDE_FEATURES


#: Km within which a reading counts as right (the published tables' 100 miles).
WITHIN_KM = 161.0
#: The highest confidence of a country (or a demonym's country) whose point is a convention
#: (:func:`point_is_convention`): below 0.9, the level users read as "sure of the point".
CONVENTION_CAP = 0.89


@functools.lru_cache(maxsize=1)
def _equal_area_radius_km() -> dict[str, float]:
    """ISO code -> radius (km) of a disc of the country's area (``geodata/countries.json``)."""
    from .. import geodata

    return {c["iso2"]: math.sqrt(float(c["area_km2"]) / math.pi) for c in geodata.countries() if c.get("area_km2")}


def point_is_convention(feature: str | None, country_code: str | None, demonym: bool = False) -> bool:
    """Whether a wide reading's point is only one convention: a country (or a demonym's country) too
    large for all of it to lie within 161 km of one point (equal-area radius above :data:`WITHIN_KM`).
    Gazetteers place such a country's point hundreds of km apart; a text cannot say which one is meant."""
    if not (demonym or feature in WIDE_FEATURES) or not country_code:
        return False
    return _equal_area_radius_km().get(country_code, 0.0) > WITHIN_KM


def calibrated(raw: float, wide: bool = False, convention: bool = False, *, anchored: bool = False) -> float:
    """The confidence of a resolved mention whose raw score is ``raw`` (0..1); ``wide``: see :func:`is_wide`;
    ``convention``: the point is one convention (:func:`point_is_convention`), capped at :data:`CONVENTION_CAP`;
    ``anchored``: a reading the text singles out (not wide), read on :data:`ANCHORED_STEPS`."""
    steps = WIDE_STEPS if wide else ANCHORED_STEPS if anchored else STEPS
    index = bisect_right([start for start, _ in steps], raw) - 1
    value = steps[max(index, 0)][1]
    return min(value, CONVENTION_CAP) if convention else value


def fit_steps(judged: list[tuple[float, bool]], *, min_count: int = 30) -> tuple[tuple[float, float], ...]:
    """Isotonic steps from ``(raw score, right)`` pairs: pool adjacent violators over rounded scores.

    Groups with fewer than ``min_count`` members are pooled with their neighbour first, so no step
    rests on a handful of mentions.
    """
    groups: dict[float, list[int]] = {}
    for raw, right in judged:
        key = round(round(raw / ROUND_TO) * ROUND_TO, 2)
        total = groups.setdefault(key, [0, 0])
        total[0] += int(right)
        total[1] += 1
    # blocks of (first raw score, rights, count), merged while small or out of order
    blocks: list[list[float]] = []
    for key in sorted(groups):
        rights, count = groups[key]
        blocks.append([key, rights, count])
        while len(blocks) > 1 and (
            blocks[-2][2] < min_count or blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]
        ):
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    if len(blocks) > 1 and blocks[-1][2] < min_count:
        last = blocks.pop()
        blocks[-1][1] += last[1]
        blocks[-1][2] += last[2]
    steps = [
        (0.0 if k == 0 else round(start - ROUND_TO / 2, 3), round(rights / count, 2))
        for k, (start, rights, count) in enumerate(blocks)
    ]
    # neighbours that round to the same confidence are one step
    return tuple(step for k, step in enumerate(steps) if k == 0 or step[1] != steps[k - 1][1])
