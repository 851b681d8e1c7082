"""The records of claim checking: what a sentence claims, and what we found.

:class:`Claim` is the parse of one claim (no places resolved, no verdict);
:class:`ClaimResult` is the verdict with the fields of the ``check`` JSON of
the interface; :class:`PlaceMention` ties the words of the text to the place
they were resolved to (or to suggestions when none was found), and carries the
place's fields itself, as the JSON does (``result.subject.name``);
:class:`TextClaims` is what one input text of a batch gave: its claims or its error.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import MaliMapError
from ..places import Place
from ..vocabulary import Comparator, Verdict


@functools.lru_cache(maxsize=4096)
def _place_dict(place: Place) -> dict[str, Any]:
    """``place.to_dict()``, remembered: a batch names the same few places thousands of times."""
    return place.to_dict()


#: how each comparator reads in a sentence ("less than 10 mi") and on a map label ("under 10 mi")
COMPARATOR_WORDS: dict[str, str] = {
    Comparator.LESS: "less than",
    Comparator.AT_MOST: "at most",
    Comparator.MORE: "more than",
    Comparator.AT_LEAST: "at least",
    Comparator.ABOUT: "about",
}
COMPARATOR_LABELS: dict[str, str] = {
    Comparator.LESS: "under",
    Comparator.AT_MOST: "at most",
    Comparator.MORE: "over",
    Comparator.AT_LEAST: "at least",
    Comparator.ABOUT: "about",
}

#: verdicts from weakest to strongest; a claim with distance and direction takes the weaker
VERDICT_ORDER = tuple(sorted(Verdict, key=lambda verdict: verdict.strength))


@dataclass(frozen=True)
class Claim:
    """One distance or direction claim read from text.

    - ``comparator``: ``"<"``, ``"<="``, ``">"``, ``">="``, ``"~"`` (about, a bare
      "15 km from", a range or a vague amount), or ``None`` for a direction-only claim.
    - ``value`` / ``value_hi``: the number in ``unit``; ``value_hi`` is set only for
      ranges ("between 10 and 15 km") and vague amounts ("a few miles" -> 2..5),
      whose comparator is then ``"~"`` and which hold anywhere between the two.
    - ``step``: the rounding the quoted number shows (15 -> 5, 18 -> 1), for the
      tolerance of "about"; ``tight``: "nearly", "just over" and the like, which
      bound the distance on the other side too.
    - ``anchor_kind``: ``"place"`` (a named place) or ``"capital"`` (the capital of
      ``anchor_country``, a country name or demonym as written, or of the focus
      country when ``anchor_country`` is ``None``).
    - ``subject_candidates``: the names before the claim, nearest first; the first
      one the gazetteer knows becomes the subject (``subject_mention`` is the first).
    - ``start`` / ``end``: the sentence's offsets in the text; ``span``: the claim's.
    - ``negated``: the claim is denied ("isn't about 500 km") and its comparator has no
      opposite, so its verdict is the inverse of the affirmed claim's (a denied bound is read
      as the opposite bound instead: "not more than 20 km" is ``"<="``).
    - ``subject_country`` / ``anchor_country_code``: the ISO code of a country the text names
      beside the place ("Bamako, Senegal"): the place must lie there.
    - ``problem``: why the claim cannot be checked as stated (a negative distance,
      one beyond half the Earth's circumference), else ``None``.
    """

    text: str
    subject_mention: str | None
    anchor_mention: str
    comparator: str | None
    value: float | None
    unit: str | None
    value_hi: float | None = None
    direction: str | None = None
    also_stated: str | None = None
    start: int = 0
    end: int = 0
    span: tuple[int, int] = (0, 0)
    anchor_kind: str = "place"
    anchor_country: str | None = None
    subject_candidates: tuple[str, ...] = ()
    step: float = 1.0
    tight: bool = False
    modifier: str | None = None
    problem: str | None = None
    negated: bool = False
    subject_country: str | None = None
    anchor_country_code: str | None = None

    @property
    def is_direction_only(self) -> bool:
        return self.comparator is None


def _place_field(name: str) -> property:
    """A property that reads the resolved place's field ``name`` (``None`` while unresolved)."""

    def get(self: PlaceMention) -> Any:
        return None if self.place is None else getattr(self.place, name)

    get.__name__ = name
    get.__doc__ = f"The place's ``{name}``, as in the JSON; ``None`` when the place was not found."
    return property(get)


@dataclass(frozen=True)
class PlaceMention:
    """The words of the text (``mention``), the place they name, and near names if none.

    ``readings``: the place's plausible readings (:mod:`mali_map.claims.readings`), ``place``
    first; ``guess``: the untrusted best candidate of an unresolved place.
    The place's fields read directly, as in the ``check`` JSON: ``subject.name``,
    ``subject.lat``, ``subject.country_code``... (``None`` when not found);
    ``subject.place`` is the :class:`~mali_map.places.Place` itself.
    """

    mention: str | None
    place: Place | None
    suggestions: tuple[str, ...] = ()
    #: every plausible reading, best first (``place`` is the first); empty when unresolved
    readings: tuple[Place, ...] = field(default=(), compare=False)
    #: when unresolved: the best candidate that was not trusted, and why ("below", "not in SN")
    guess: Place | None = field(default=None, compare=False)
    why: str | None = field(default=None, compare=False)
    #: how sure the reader of the whole document is of ``place`` (its mention's confidence), if it chose it
    trust: float | None = field(default=None, compare=False)

    name = _place_field("name")
    lat = _place_field("lat")
    lon = _place_field("lon")
    country_code = _place_field("country_code")
    admin1 = _place_field("admin1")
    feature = _place_field("feature")
    population = _place_field("population")
    source = _place_field("source")
    confidence = _place_field("confidence")
    radius_km = _place_field("radius_km")
    spread_km = _place_field("spread_km")
    region_mismatch = _place_field("region_mismatch")

    @property
    def alternatives(self) -> tuple:
        """The candidates that ranked below the place (empty when not found)."""
        return () if self.place is None else self.place.alternatives

    def to_dict(self) -> dict[str, Any] | None:
        """The interface's place object plus ``mention``; ``None`` fields when unresolved."""
        if self.place is None:
            return {
                "mention": self.mention,
                "name": None,
                "lat": None,
                "lon": None,
                "country_code": None,
                "admin1": None,
                "feature": None,
                "population": None,
                "source": None,
                "confidence": None,
                "radius_km": None,
                "spread_km": None,
                "region_mismatch": None,
                "alternatives": [],
                "suggestions": list(self.suggestions),
            }
        return {"mention": self.mention, **_place_dict(self.place)}


@dataclass(frozen=True)
class ClaimResult:
    """A claim with its verdict: the fields of the ``check`` JSON.

    ``distance_km`` is centre to centre; ``range_km`` is ``(lo, hi)``: from the
    nearest edges (extents and source spread) to the centres (plus source spread).
    ``bearing_deg`` is from the anchor to the subject.
    """

    text: str
    subject: PlaceMention
    anchor: PlaceMention
    comparator: str | None
    value: float | None
    unit: str | None
    direction: str | None
    verdict: str
    distance_km: float | None
    range_km: tuple[float, float] | None
    bearing_deg: float | None
    explanation: str
    value_hi: float | None = None
    claim: Claim | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``check`` JSON object of the interface (plus ``value_hi`` for ranges)."""
        return {
            "text": self.text,
            "subject": self.subject.to_dict(),
            "anchor": self.anchor.to_dict(),
            "comparator": self.comparator,
            "value": _finite_or_none(self.value),
            "value_hi": _finite_or_none(self.value_hi),
            "unit": self.unit,
            "direction": self.direction,
            "verdict": self.verdict,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
            "range_km": None if self.range_km is None else [round(self.range_km[0], 2), round(self.range_km[1], 2)],
            "bearing_deg": None if self.bearing_deg is None else round(self.bearing_deg, 1),
            "explanation": self.explanation,
        }


def _finite_or_none(number: float | None) -> float | None:
    """JSON has no infinity: a number too large to read (``problem`` says so) is written as null."""
    return number if number is None or math.isfinite(number) else None


@dataclass(frozen=True)
class TextClaims:
    """What one input text of :func:`~mali_map.claims.check_claims` gave, in input order.

    ``claims``: the text's checked claims (empty when it has none); ``error``: why
    it has none (a :class:`~mali_map.errors.NoClaimFound`), else ``None``. So
    ``zip(texts, check_claims(texts))`` pairs every text with its own results.
    """

    text: str
    claims: tuple[ClaimResult, ...] = ()
    error: MaliMapError | None = None

    @property
    def ok(self) -> bool:
        """True when the text held at least one claim."""
        return self.error is None
