"""Checked distance claims as map features: a line from anchor to subject, and a ring.

For each claim the line runs from the anchor place to the subject place, coloured by
verdict and labelled with the measured distance; a dashed ring of the claimed radius
is drawn around the anchor, so a reader sees at once whether the subject falls inside.
Claims are read by duck typing (``ClaimResult`` from ``mali_map.claims`` or any object
with the same attributes), so this module does not import the claims code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..claims.records import COMPARATOR_LABELS as _COMPARATOR_WORDS
from ..geodesy import KM_PER_UNIT
from ..vocabulary import Verdict
from .style import VERDICT_COLOURS


def claim_records(claims: Iterable[Any]) -> list[dict]:
    """One JSON-ready record per claim that has at least one place on the map."""
    records = []
    for claim in claims:
        subject, anchor = _place(claim, "subject"), _place(claim, "anchor")
        if subject is None and anchor is None:
            continue
        verdict = str(getattr(claim, "verdict", None) or Verdict.UNRESOLVED)
        records.append(
            {
                "subject": subject,
                "anchor": anchor,
                "verdict": verdict,
                "colour": VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[Verdict.UNRESOLVED]),
                "radius_km": _claimed_km(claim),
                "label": claim_label(claim),
                "label_lines": list(claim_label_lines(claim)),
                "text": _text(getattr(claim, "text", None)),
                "explanation": _text(getattr(claim, "explanation", None)),
            }
        )
    return records


def claim_label(claim: Any) -> str:
    """Short text on the line, e.g. ``18.3 km (claim: under 10 mi) · contradicted``."""
    measured, claimed, verdict = claim_label_lines(claim)
    text = " ".join(p for p in (measured, f"({claimed})" if claimed else "") if p)
    return f"{text} · {verdict}" if verdict and text else (text or verdict)


def claim_label_lines(claim: Any) -> tuple[str, str, str]:
    """The label as three short lines (measured, claimed, verdict), narrow enough for the line
    between two nearby places: ``("18.3 km", "claim: under 10 mi", "contradicted")``; a part
    the claim lacks is empty."""
    distance_km = getattr(claim, "distance_km", None)
    measured = f"{distance_km:.1f} km" if isinstance(distance_km, (int, float)) else ""
    claimed = ""
    value, unit = getattr(claim, "value", None), getattr(claim, "unit", None)
    if isinstance(value, (int, float)) and math.isfinite(value):
        word = _COMPARATOR_WORDS.get(getattr(claim, "comparator", None) or "", "")
        claimed = "claim: " + " ".join(p for p in (word, f"{value:g}", unit or "km") if p)
    return measured, claimed, str(getattr(claim, "verdict", None) or "")


def _place(claim: Any, role: str) -> dict | None:
    end = getattr(claim, role, None)
    place = getattr(end, "place", None)
    lat, lon = getattr(place, "lat", None), getattr(place, "lon", None)
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return None
    mention = getattr(end, "mention", None)
    return {
        "lat": round(float(lat), 5),
        "lon": round(float(lon), 5),
        "name": _text(getattr(place, "name", None)) or "",
        "mention": _text(mention),
    }


def _claimed_km(claim: Any) -> float | None:
    value = getattr(claim, "value", None)
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:  # "1e400 km": no ring
        return None
    factor = KM_PER_UNIT.get(getattr(claim, "unit", None) or "km")
    return None if factor is None else round(float(value) * factor, 4)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
