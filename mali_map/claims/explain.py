"""The one sentence a reporter can paste: what the distance is and why the verdict.

Examples of what :func:`explain` writes::

    Centre to centre 18.3 km (11.4 mi), outside "less than 10 mi"; edge to edge
    about 4.8 km (3.0 mi), within it: the claim holds only edge to edge.

    Kidal is north-east of Gao (bearing 33°), inside the NE sector (±22.5°): the claim holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..geodesy import KM_PER_UNIT, compass16
from ..vocabulary import Compass, Verdict
from .records import COMPARATOR_WORDS, Claim
from .rules import Judgement, Sector

if TYPE_CHECKING:
    from ..places import Place
    from .records import ClaimResult, PlaceMention

_READING_ENDINGS = {
    "edge": "the claim holds only edge to edge",
    "centre": "the claim holds only centre to centre",
    "between": "the claim holds only part-way between edge and centre",
    "source": "the claim holds only for some sources' points",
}


def number(value: float) -> str:
    """A quoted number as a reader would write it: 10, 2.5, 1,200."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def length(km: float, unit: str | None) -> str:
    """``18.3 km (11.4 mi)``: km always, and the claim's unit when it is another one (miles when km)."""
    other = unit if unit in ("mi", "nmi", "m") else "mi"
    main = f"{round(km * 1000):,} m" if unit == "m" else _km(km)
    if unit == "m":
        return f"{main} ({_km(km)})"
    return f"{main} ({km / KM_PER_UNIT[other]:,.1f} {other})"


def _km(km: float) -> str:
    return f"{km:,.1f} km" if km < 100 else f"{km:,.0f} km"


def claim_phrase(claim: Claim) -> str:
    """What the claim says, in plain words: 'less than 10 mi', 'about 15 km', 'between 2 and 5 mi'."""
    unit = claim.unit or ""
    if claim.comparator is None or claim.value is None:
        raise ValueError("a direction-only claim states no distance")
    if claim.value_hi is not None:
        return f"between {number(claim.value)} and {number(claim.value_hi)} {unit}"
    words = COMPARATOR_WORDS[claim.comparator]
    if claim.tight:
        words = "nearly" if claim.comparator in ("<", "<=") else "just over"
    return f"{words} {number(claim.value)} {unit}"


def _side(km: float, accepted: tuple[float, float]) -> str:
    """Where ``km`` falls against the accepted range: "below", "within" or "above"."""
    low, high = accepted
    return "below" if km < low else ("above" if km > high else "within")


def accepted_phrase(accepted: tuple[float, float]) -> str:
    low, high = accepted
    if math.isinf(high):
        return f"{_km(low)} or more"
    if low <= 0:
        return f"up to {_km(high)}"
    return f"{_km(low).removesuffix(' km')}–{_km(high)}"


def distance_part(
    claim: Claim, accepted: tuple[float, float], lo_km: float, centre_km: float, judgement: Judgement
) -> str:
    """The distance half of the sentence, ending with what the verdict means."""
    phrase = f'"{claim_phrase(claim)}"'
    if claim.comparator == "~" or claim.tight:
        phrase += f" ({accepted_phrase(accepted)})"
    centre = f"Centre to centre {length(centre_km, claim.unit)}"
    if centre_km - lo_km < 0.05:  # points without extent: one reading only
        fits = judgement.verdict == Verdict.SUPPORTED
        return f"{centre}, {'within' if fits else 'outside'} {phrase}"
    edge = f"edge to edge about {length(lo_km, claim.unit)}"
    if judgement.verdict == Verdict.SUPPORTED:
        return f"{centre} and {edge}: within {phrase} either way"
    if judgement.verdict == Verdict.CONTRADICTED:
        return f"{centre} and {edge}: outside {phrase} either way"
    if judgement.reading == "edge":
        return f"{centre}, outside {phrase}; {edge}, within it"
    if judgement.reading == "centre":
        return f"{centre}, within {phrase}; {edge}, outside it"
    return f"{centre}, {_side(centre_km, accepted)} {phrase}; {edge}, {_side(lo_km, accepted)} it"


#: what an "about N" claim is measured by, said in the sentence
USUAL_MEASURE = "the usual measure between towns"


def about_part(
    claim: Claim,
    accepted: tuple[float, float],
    lo_km: float,
    centre_km: float,
    spread_km: float,
    judgement: Judgement,
) -> str:
    """The distance half of the sentence for "about N" between towns, judged centre to centre
    (:func:`mali_map.claims.rules.judge_about`); the edges are named only when they are what fits
    or what the verdict rests on."""
    phrase = f'"{claim_phrase(claim)}" ({accepted_phrase(accepted)})'
    centre = f"Centre to centre ({USUAL_MEASURE}) {length(centre_km, claim.unit)}"
    if spread_km >= 0.05:
        centre += f", give or take {_km(spread_km)} where the sources disagree"
    has_edge = centre_km - lo_km >= 0.05
    edge = f"edge to edge about {length(lo_km, claim.unit)}"
    if judgement.verdict == Verdict.SUPPORTED:
        return f"{centre}, within {phrase}"
    if judgement.verdict == Verdict.CONTRADICTED:
        return f"{centre}{f' and {edge}' if has_edge else ''}: outside {phrase} however it is measured"
    if judgement.reading == "source":
        return f"{centre}: only partly within {phrase}"
    return f"{centre}, {_side(centre_km, accepted)} {phrase}; {edge}, {_side(lo_km, accepted)} it"


def direction_part(
    subject: str, anchor: str, direction: str, bearing_deg: float, sector: Sector, judgement: Judgement
) -> str:
    """The direction half: where the subject lies as seen from the anchor, and the sector."""
    seen = f"{subject} lies {compass_words(compass16(bearing_deg))} of {anchor} (bearing {bearing_deg:.0f}°)"
    named = f"the {direction} sector (±{sector.half_width_deg:g}°)"
    if judgement.verdict == Verdict.SUPPORTED:
        return f"{seen}, inside {named}"
    if judgement.verdict == Verdict.DEPENDS:
        widened = sector.half_width_deg + sector.widening_deg
        return f"{seen}, outside {named} but inside it widened by the places' extents (±{widened:.0f}°)"
    return f"{seen}, outside {named} even allowing for the places' extents"


def ending(verdict: str, reading: str | None) -> str:
    if verdict == Verdict.SUPPORTED:
        return "the claim holds"
    if verdict == Verdict.CONTRADICTED:
        return "the claim fails"
    return _READING_ENDINGS.get(reading or "", "the claim holds only under some readings")


def compass_words(letters: str) -> str:
    """'NNE' -> 'north-north-east'."""
    return Compass(letters).words


def join(parts: list[str], verdict: str, reading: str | None) -> str:
    """One sentence: the parts joined by semicolons, then the verdict in words."""
    return "; ".join(parts) + ": " + ending(verdict, reading) + "."


def unresolved_sentence(missing: Sequence[tuple[str, PlaceMention]]) -> str:
    """Why a claim was not checked, for each place not found or not trusted (``missing``: the
    :class:`~mali_map.claims.records.PlaceMention` objects without a place).

    'Could not find "Katti" (did you mean Kati (ML)?), so the claim was not checked.'
    '"Konna" has no plausible reading: the best guess, Conna, Munster (IE), has confidence 0.41,
    below 0.5; ...'
    """
    from .readings import PLAUSIBLE

    parts = []
    settle = False
    for role, found in missing:
        mention = found.mention
        if mention is None:
            parts.append(f"the sentence names no {role} place")
            continue
        shown = mention if len(mention) <= 80 else mention[:79] + "…"  # never a page of text echoed
        guess = found.guess
        if guess is not None and found.why and found.why.startswith("abroad "):
            code = found.why.removeprefix("abroad ")
            parts.append(
                f'no "{shown}" in {_country_name(code)} ({code}) is known, where the focus country and the other '
                f"place put it (the one found is {label(guess)}, confidence {guess.confidence:.2f})"
            )
            settle = True
            continue
        if guess is not None and found.why and found.why.startswith("not in "):
            code = found.why.removeprefix("not in ")
            parts.append(f'no "{shown}" in {_country_name(code)} ({code}) is known (the one found is {label(guess)})')
            continue
        if guess is not None:
            parts.append(
                f'"{shown}" has no plausible reading: the best guess, {label(guess)}, has confidence '
                f"{guess.confidence:.2f}, below {PLAUSIBLE:g}"
            )
            settle = True
            continue
        text = f'could not find "{shown}"'
        if found.suggestions:
            text += f" (did you mean {', '.join(found.suggestions[:3])}?)"
        parts.append(text)
        settle = True
    sentence = " and ".join(parts)
    sentence = sentence[0].upper() + sentence[1:] + ", so the claim was not checked."
    if settle:
        sentence += (
            " Naming the place's region or country, or a gazetteer that holds it (mali-map gazetteer download,"
            " --gazetteer FILE), would settle it."
        )
    return sentence


def label(place: Place) -> str:
    """A place with its region and country: 'Bamba, Gao (ML)'."""
    from .readings import label as reading_label

    return reading_label(place)


def readings_named(subject: PlaceMention, anchor: PlaceMention) -> str:
    """The readings of whichever places have more than one, for "the same on every reading (...)"."""
    named = []
    for found in (subject, anchor):
        if len(found.readings) > 1:
            named.append(f"{found.mention}: " + " or ".join(label(p) for p in found.readings))
        elif found.place is not None:
            named.append(label(found.place))
    return "; ".join(named)


def depends_on_readings(
    subject: PlaceMention,
    anchor: PlaceMention,
    pairs: Sequence[tuple[Place, Place]],
    results: Sequence[ClaimResult],
) -> str:
    """'Depends on which Bamba: Bamba, Gao (ML) or Bamba, Kayes (ML). On Bamba, Gao (ML): ...'"""
    which = [
        f"{found.mention}: " + " or ".join(label(p) for p in found.readings)
        for found in (subject, anchor)
        if len(found.readings) > 1
    ]
    head = "Depends on which " + "; and which ".join(which) + "."
    lines = []
    for (s, a), result in zip(pairs, results):
        distance = "" if result.distance_km is None else f", {length(result.distance_km, result.unit)} centre to centre"
        lines.append(f"{label(a)} to {label(s)}: {result.verdict}{distance}")
    return head + " " + "; ".join(lines) + "."


def _country_name(code: str) -> str:
    from .. import geodata

    return next((c["name"] for c in geodata.countries() if c["iso2"] == code), code)


def notes(claim: Claim) -> str:
    """Extra words for what the check did not use: a conversion in brackets, a road distance."""
    extra = []
    if claim.also_stated:
        extra.append(f"the text also gives {claim.also_stated}; the first figure was checked")
    if claim.modifier and any(
        w in claim.modifier for w in ("road", "drive", "journey", "trip", "walk", "ride", "route")
    ):
        extra.append("stated as a journey, checked as the straight line")
    return f" ({'; '.join(extra)})" if extra else ""
