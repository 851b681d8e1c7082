"""A row's region against the region of the place found for it.

Incident tables name the first-level region of their time, and a border village may be listed
under the region next door. When the gazetteer finds the row's place by its exact name, inside
the row's country, but in another region, two cases differ:

- the region named is a neighbour, close to the place (its centre among the two nearest region
  centres of the point, within :data:`NEAR_KM`): the row is accepted with the lowered
  confidence :data:`NEIGHBOUR_CONFIDENCE` (a border village listed on the other side, or a
  region boundary that moved);
- otherwise the answer stays with its own (low) confidence, and a reject's reason names the
  region the row expected and the one where the place lies.

Regions that covered the same ground before and after a reform are already the same region
for the gazetteer (:mod:`mali_map.gazetteer.region_history`).
"""

from __future__ import annotations

from typing import Any

from ..textnorm import name_key

#: Confidence given to a row accepted in a neighbouring region: the calibration's default
#: threshold, so it passes the map's default --min-confidence but no stricter one.
NEIGHBOUR_CONFIDENCE = 0.5
#: The named region's centre must lie within this many km of the place.
NEAR_KM = 350.0


def named_region(country_code: str | None, text: Any) -> str | None:
    """The region (as the region data spells it) that a row's admin1 cell names, if any."""
    if not country_code or text is None:
        return None
    value = str(text).strip()
    if not value or value.lower() == "nan":
        return None
    from ..gazetteer.region_history import SPELLINGS
    from ..gazetteer.scope import region_meant

    key = name_key(value)
    spelled = SPELLINGS.get(country_code, {}).get(key)
    return region_meant(country_code, name_key(spelled) if spelled else key)


def is_close_neighbour(place: Any, country_code: str | None, region: str | None) -> bool:
    """Whether ``region`` is a neighbour of the place's point, close to it (see the module doc)."""
    if not country_code or not region or place.country_code != country_code:
        return False
    from ..gazetteer.regions import _by_distance

    ranked = _by_distance(country_code, place.lat, place.lon)
    return any(name == region and km <= NEAR_KM for km, name in ranked[:2])


def exact_name(place: Any, asked: str) -> bool:
    """Whether the place was found by its own name, spelled as the row spells it (accents aside)."""
    from ..gazetteer.query import parse_query

    try:
        name = parse_query(asked).name
    except Exception:  # an unreadable query found nothing exact
        return False
    return name_key(place.name) == name_key(name)


def mismatch_words(country_code: str | None, asked_region: Any, place: Any) -> str:
    """``"; the row names region 'Gao', the place found lies in Kidal"`` (empty when not a mismatch)."""
    if not getattr(place, "region_mismatch", False) or asked_region is None:
        return ""
    asked = str(asked_region).strip()
    if not asked or asked.lower() == "nan":
        return ""
    found = place.admin1
    if not found:
        from ..gazetteer.regions import estimate_region

        found = estimate_region(place.country_code, place.lat, place.lon)
    return f"; the row names region {asked!r}, the place found lies in {found or 'another region'}"
