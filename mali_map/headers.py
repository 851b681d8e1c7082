"""Column headers and what they mean: the one home of the header words every reader accepts.

A gazetteer file (``--gazetteer``, ``gazetteer import``) and an incident table
(``mali-map map``) both find their latitude in ``latitude`` or ``lat``, their
region in ``admin1`` or ``region``; the words are written here once and both
vocabularies are built from them. Headers are compared by :func:`header_key`:
stripped, lower case, spaces and hyphens read as ``_``, so "Event Date",
"event-date" and "EVENT_DATE" are the same column.

>>> header_key(" Event Date")
'event_date'
"""

from __future__ import annotations

import re

LATITUDE = ("latitude", "lat")
LONGITUDE = ("longitude", "lon", "lng", "long")
ADMIN1 = ("admin1", "region")

#: gazetteer files: column role -> header names accepted for it (compared by :func:`header_key`)
PLACE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nom"),
    "lat": LATITUDE,
    "lon": LONGITUDE,
    "feature": ("feature",),
    "population": ("population",),
    "country_code": ("country_code", "countrycode", "cc"),
    "admin1": ADMIN1,
    "alternatenames": ("alternatenames", "alternate_names"),
}

#: incident tables: canonical field (as ACLED names it) -> header names that mean it, best first
INCIDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "latitude": LATITUDE,
    "longitude": LONGITUDE,
    "event_date": ("event_date", "date", "datetime"),  # never ACLED's `timestamp`: that is the upload time
    "location": ("location", "place", "place_name", "placename", "locality", "town", "city", "village", "commune"),
    "admin1": ADMIN1,
    "country": ("country",),
    "event_type": ("event_type", "category", "type", "incident_type"),
    "notes": ("notes", "description", "summary", "details"),
    "fatalities": ("fatalities", "deaths", "killed"),
    "precision": ("geo_precision", "precision", "location_precision"),
    "source": ("source", "sources"),
}

_SEPARATORS = re.compile(r"[\s\-]+")


def header_key(header: str) -> str:
    """The comparison form of a header: stripped (a byte-order mark too), lower case, ``_`` for spaces."""
    return _SEPARATORS.sub("_", str(header).strip().lstrip("\ufeff").lower())
