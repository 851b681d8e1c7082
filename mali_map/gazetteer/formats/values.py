"""The values of one row, whatever the format: column roles, cells checked and converted, a PlaceRecord.

Shared by the CSV and GeoJSON readers (and, for coordinates and feature
words, the GeoNames reader) so that a latitude, a population or a feature
code means the same in every file. A value that cannot be used raises
:class:`_RowProblem`; the reader turns it into a
:class:`~mali_map.gazetteer.records.RowError` and skips the row.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import BadInput
from ...headers import PLACE_COLUMNS as COLUMN_NAMES
from ...places import FEATURES, check_latlon, feature_for_population
from ..records import PlaceRecord

_ALT_SEPARATORS = re.compile(r"[|,]")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_GAZETTEER_FEATURES = frozenset(FEATURES) - {"offset", "coordinates"}
_COUNTRY_CODES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLIX", "PCLS"})


class _RowProblem(ValueError):
    """Raised inside a reader for a row it must skip; becomes a RowError."""


def _coordinates(lat_value: Any, lon_value: Any) -> tuple[float, float]:
    lat = _number(lat_value, "latitude")
    lon = _number(lon_value, "longitude")
    try:
        check_latlon(lat, lon)
    except BadInput as error:
        hint = " (latitude and longitude swapped?)" if abs(lon) <= 90 < abs(lat) <= 180 else ""
        raise _RowProblem(error.message + hint) from None
    return lat, lon


def _number(value: Any, what: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _RowProblem(f"no {what}")
    if not isinstance(value, str):
        raise _RowProblem(f"{what} {value!r} is not a number")
    text = value.strip()
    if "," in text and "." not in text:  # decimal comma, as French spreadsheets write it
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise _RowProblem(f"{what} {value.strip()!r} is not a number") from None


def _population(value: Any) -> int | None:
    """A head count, or None when empty or 0 (GeoNames writes 0 for unknown)."""
    if value is None or value == "":
        return None
    number: float
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = re.sub(r"[\s_\u00a0\u202f]", "", value)
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise _RowProblem(f"population {value.strip()!r} is not a number") from None
    else:
        raise _RowProblem(f"population {value!r} is not a number")
    if not number == number or number < 0 or number != int(number):  # NaN, negative, fractional
        raise _RowProblem(f"population {value!r} is not a whole number >= 0")
    return int(number) or None


def _country_code(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    if not text:
        return None
    if not _COUNTRY_CODE.match(text):
        raise _RowProblem(f"country_code {value!r} is not a two-letter ISO 3166 code")
    return text


def _feature(value: Any, population: int | None) -> str:
    text = str(value or "").strip()
    if not text:
        return feature_for_population(population)
    word = text.lower()
    if word in _GAZETTEER_FEATURES:
        return word
    return geonames_feature(text.upper(), population)


def _alternatenames(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = value if isinstance(value, (list, tuple)) else _ALT_SEPARATORS.split(str(value))
    seen = {name}
    names = []
    for part in parts:
        alt = str(part).strip()
        if alt and alt not in seen:
            seen.add(alt)
            names.append(alt)
    return tuple(names)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _record(fields: dict[str, Any]) -> PlaceRecord:
    """Build a record from the values of one row, by column role; raises _RowProblem."""
    name = _text(fields.get("name"))
    if name is None:
        raise _RowProblem("no name")
    lat, lon = _coordinates(fields.get("lat"), fields.get("lon"))
    population = _population(fields.get("population"))
    return PlaceRecord(
        name=name,
        lat=lat,
        lon=lon,
        feature=_feature(fields.get("feature"), population),
        population=population,
        country_code=_country_code(fields.get("country_code")),
        admin1=_text(fields.get("admin1")),
        alternatenames=_alternatenames(fields.get("alternatenames"), name),
    )


def _column_role(header: str, name_field: str | None = None) -> str | None:
    """The role of a column by its header; ``name_field`` (``--name-field``) names the name column,
    and then no other column is the name."""
    key = re.sub(r"[\s\-]+", "_", header.strip().strip("\ufeff").lower())
    if name_field is not None:
        if key == re.sub(r"[\s\-]+", "_", name_field.strip().lower()):
            return "name"
        if key in COLUMN_NAMES["name"]:
            return None
    for role, names in COLUMN_NAMES.items():
        if key in names:
            return role
    return None


def geonames_feature(code: str, population: int | None) -> str:
    """Our feature word for a GeoNames feature code.

    PPLC is a capital; other populated places (PPL, PPLA, PPLA2 ...) are named
    by population (city, town, village); without a population an admin seat
    (PPLA*) is a town and any other a village, which is what most unpopulated
    GeoNames places in Mali are. A section of a place (PPLX) is a ``place``.
    ADM1 is an admin1 region, PCLI (and the other PCL codes) a country;
    anything else is a ``place``.
    """
    if code == "PPLC":
        return "capital"
    if code.startswith("PPL") and code != "PPLX":
        if population:
            return feature_for_population(population)
        return "town" if code.startswith("PPLA") else "village"
    if code == "ADM1":
        return "admin1"
    if code in _COUNTRY_CODES:
        return "country"
    return "place"
