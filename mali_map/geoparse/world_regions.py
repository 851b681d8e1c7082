"""Regions of the world that news names and no gazetteer row holds: "West Africa", "the Sahel", "Darfur".

Each is derived from the embedded reference data (``geodata/``), by a rule written here:

- a group of countries (the UN M49 sub-regions of Africa and Asia, as the UN Statistics
  Division lists their members; the Sahel as the states of its semi-arid belt from the
  Atlantic to the Red Sea, the G5 Sahel states and their neighbours in the belt; the Middle
  East as the states news usually means; the European Union as its 27 member states since
  2020): the mean of the countries' points, with a radius reaching the farthest of them;
- a group of first-level regions named after the region ("Darfur": North, South, East, West and
  Central Darfur in ``geodata/admin1.json``): the mean of their points, likewise.

The point is a centre, honestly vague: the place's ``radius_km`` covers its members, so a
distance claim measured to "the Sahel" comes out as the range it is. Its feature is ``area``.
"""

from __future__ import annotations

import functools

from ..geodesy import great_circle_km
from ..places import Place
from ..textnorm import name_key

#: name -> member countries (ISO 3166-1 alpha-2)
_COUNTRY_GROUPS: dict[str, tuple[str, ...]] = {
    "West Africa": tuple("BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG".split()),
    "East Africa": tuple("BI KM DJ ER ET KE MG MW MU MZ RW SC SO SS TZ UG ZM ZW".split()),
    "North Africa": tuple("DZ EG LY MA SD TN".split()),
    "Central Africa": tuple("AO CM CF TD CG CD GQ GA ST".split()),
    "Southern Africa": tuple("BW SZ LS NA ZA".split()),
    "Horn of Africa": tuple("DJ ER ET SO".split()),
    "Maghreb": tuple("DZ LY MA MR TN".split()),
    "Sahel": tuple("SN MR ML BF NE TD SD ER".split()),
    "Middle East": tuple("BH CY EG IR IQ IL JO KW LB OM PS QA SA SY TR AE YE".split()),
    "Central Asia": tuple("KZ KG TJ TM UZ".split()),
    "Southeast Asia": tuple("BN KH ID LA MY MM PH SG TH TL VN".split()),
    "Balkans": tuple("AL BA BG HR XK ME MK RS SI".split()),
    "European Union": tuple("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()),
}
#: other names of the regions above
_ALIASES = {
    "Western Africa": "West Africa",
    "Afrique de l'Ouest": "West Africa",
    "Eastern Africa": "East Africa",
    "Northern Africa": "North Africa",
    "Sahara-Sahel": "Sahel",
    "Mideast": "Middle East",
    "Moyen-Orient": "Middle East",
    "South-East Asia": "Southeast Asia",
    "South East Asia": "Southeast Asia",
    "Maghrib": "Maghreb",
    "EU": "European Union",
    "Union européenne": "European Union",
}
#: name -> (country, word every member region's name holds)
_REGION_GROUPS: dict[str, tuple[str, str]] = {
    "Darfur": ("SD", "darfur"),
    "Kordofan": ("SD", "kordofan"),
}


def _area(name: str, points: list[tuple[float, float]], people: int, country: str | None) -> Place | None:
    if not points:
        return None
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    radius = max(100.0, max(great_circle_km((lat, lon), p) for p in points))
    return Place(
        name=name,
        lat=round(lat, 4),
        lon=round(lon, 4),
        country_code=country,
        feature="area",
        population=people or None,
        source="world-region",
        radius_km=round(radius, 1),
    )


@functools.lru_cache(maxsize=1)
def _by_key() -> dict[str, Place]:
    from .. import geodata

    countries = {c["iso2"]: c for c in geodata.countries()}
    found: dict[str, Place] = {}
    for name, members in _COUNTRY_GROUPS.items():
        known = [countries[code] for code in members if code in countries and countries[code].get("lat") is not None]
        people = sum(int(c.get("population") or 0) for c in known)
        area = _area(name, [(c["lat"], c["lon"]) for c in known], people, None)
        if area is not None:
            found[name_key(name)] = area
    for name, (code, word) in _REGION_GROUPS.items():
        regions = [
            r
            for r in geodata.admin1_regions()
            if r["country_code"] == code and word in name_key(r["name"]) and r.get("lat") is not None
        ]
        share = (
            int(countries.get(code, {}).get("population") or 0)
            * len(regions)
            // max(1, sum(1 for r in geodata.admin1_regions() if r["country_code"] == code))
        )
        area = _area(name, [(r["lat"], r["lon"]) for r in regions], share, code)
        if area is not None:
            found[name_key(name)] = area
    for alias, name in _ALIASES.items():
        if name_key(name) in found:
            found[name_key(alias)] = found[name_key(name)]
    return found


def world_region(name: str) -> Place | None:
    """The region of the world called ``name`` ("West Africa", "the Sahel", "Darfur"), else ``None``."""
    key = name_key(name)
    if key.startswith("the "):
        key = key[4:]
    return _by_key().get(key)
