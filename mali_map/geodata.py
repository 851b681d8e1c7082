"""The embedded reference data: countries, first-level regions and country outlines.

The files are built by ``geodata/build_geodata.py`` from pinned registry packages (see
``geodata/SOURCES.md``) and ship with the package, so nothing here touches the network.

>>> mali = next(c for c in countries() if c["iso2"] == "ML")
>>> mali["capital"], mali["capital_geonameid"]
('Bamako', 2460596)

Records are plain dicts (read-only by convention: they are cached and shared):

- ``countries()``: ``iso2, iso3, name, names`` (every known spelling, ``name`` included),
  ``demonyms, capital, capital_geonameid, capital_lat, capital_lon, lat, lon`` (a point inside
  the country), ``area_km2, population, continent``;
- ``us_counties()``: see :func:`us_counties`;
- ``admin1_regions()``: ``country_code, name, names, iso_code`` (ISO 3166-2), ``type, level``
  (1: the level GeoNames' admin1 codes use; 2: a finer or parallel division), ``lat, lon`` and
  ``geonames_code``, the ``admin1code`` GeoNames places carry (None where unknown).

Only json, re and pathlib are imported here; shapely loads in :func:`country_outline`.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

COUNTRIES_FILE = "countries.json"
ADMIN1_FILE = "admin1.json"
OUTLINES_FILE = "outlines.geojson"
US_COUNTIES_FILE = "us_counties.json"
DATA_FILES = (COUNTRIES_FILE, ADMIN1_FILE, OUTLINES_FILE, US_COUNTIES_FILE)


@lru_cache(maxsize=1)
def geodata_dir() -> Path:
    """The folder holding the data: ``mali_map/_geodata`` when installed from a wheel,
    ``<repo>/geodata`` in a source or editable checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_geodata", here.parent / "geodata"):
        if (candidate / COUNTRIES_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"mali-map's geodata folder is missing (looked in {here / '_geodata'} and "
        f"{here.parent / 'geodata'}); rebuild it with geodata/build_geodata.py"
    )


def _load(name: str) -> Any:
    with (geodata_dir() / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def countries() -> list[dict]:
    """Every country, sorted by ISO 3166-1 alpha-2 code."""
    return _load(COUNTRIES_FILE)


@lru_cache(maxsize=1)
def admin1_regions() -> list[dict]:
    """Every first-level region (and the finer divisions listed with them), by country."""
    return _load(ADMIN1_FILE)


@lru_cache(maxsize=1)
def admin1_names_by_code() -> dict[tuple[str, str], str]:
    """``(country_code, GeoNames admin1 code) -> region name``: ``("ML", "07") -> "Koulikoro"``.

    GeoNames files name a place's region by code only; this turns the code
    into the name reports use, so "Siby, Koulikoro" can match on region.
    """
    return {(r["country_code"], r["geonames_code"]): r["name"] for r in admin1_regions() if r.get("geonames_code")}


@lru_cache(maxsize=1)
def us_counties() -> list[dict]:
    """Every US county (parish, borough, census area): ``state, state_code, name, lat, lon, radius_km``,
    its point a median of its ZIP codes' GeoNames postal points, sorted by state code and name."""
    return _load(US_COUNTIES_FILE)


def outlines_path() -> Path:
    """The GeoJSON FeatureCollection of country outlines (properties ``iso2``, ``adm0_a3``,
    ``name``): the offline basemap for HTML maps."""
    return geodata_dir() / OUTLINES_FILE


#: A country's code in its line of the outlines file (``"iso2":null`` for the other features).
_ISO2_OF_LINE = re.compile(r'"iso2":"([A-Z]{2})"')


def feature_lines(path: Path) -> tuple[str, ...] | None:
    """The features of a GeoJSON FeatureCollection written one a line, as ``geodata/build_geodata.py``
    writes ``outlines.geojson`` (each without its comma), or None for a file laid out otherwise:
    a reader that wants a few features parses their lines, not the whole file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 3 or not lines[0].endswith('"features":[') or not lines[-1].startswith("]"):
        return None
    return tuple(line.removesuffix(",") for line in lines[1:-1])


@lru_cache(maxsize=1)
def _outline_lines() -> dict[str, str]:
    """iso2 -> the text of that country's feature (:func:`feature_lines`): a claim naming one
    country parses one line, not 250."""
    found = ((_ISO2_OF_LINE.search(line), line) for line in feature_lines(outlines_path()) or ())
    return {match[1]: line for match, line in found if match}


@lru_cache(maxsize=512)
def country_outline(iso2: str) -> Any:
    """The country's simplified polygon (a shapely geometry), or None for an unknown code.

    Used as a country's extent when a distance claim names a country.
    """
    line = _outline_lines().get(iso2.strip().upper()) if iso2 else None
    if line is None:
        return None
    from shapely.geometry import shape

    return shape(json.loads(line)["geometry"])


@lru_cache(maxsize=1)
def data_version() -> str:
    """A short hash of the four files' contents: changes whenever the data is rebuilt, so
    caches derived from it (the place index) know to rebuild."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update((geodata_dir() / name).read_bytes())
    return digest.hexdigest()[:12]
