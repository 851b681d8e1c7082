"""The SQL that reads candidates out of a place index (the schema is in :mod:`.index`).

Every query but :data:`PROBE` returns the columns of a
:class:`~.matching.Candidate`, in its field order, so a row becomes one with
``Candidate(*row)``; :func:`candidates_by_keys` puts the matched key first.
"""

from __future__ import annotations

#: The places a name key names, one row per (place, way it is named).
CANDIDATES_BY_KEY = """
SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence, n.kind
FROM names n JOIN places p ON p.id = n.place_id
WHERE n.key = ?
"""

#: A country's own row, by ISO code: its main name first.
COUNTRY_BY_CODE = """
SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence, n.kind
FROM names n JOIN places p ON p.id = n.place_id
WHERE p.country_code = ? AND p.feature = 'country'
ORDER BY n.kind LIMIT 1
"""

#: A country's places by ISO code, through the ``places_country`` index (:data:`COUNTRY_BY_CODE`
#: joins every name to find the kind, a scan of the whole names table: 0.15 s a country).
COUNTRY_PLACES = """
SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence
FROM places p
WHERE p.country_code = ? AND p.feature = 'country'
"""

#: Places by GeoNames id, through the ``places_geonameid`` index (:data:`PLACE_BY_GEONAMEID` scans
#: every name to find the main one, as :data:`COUNTRY_BY_CODE` does).
PLACES_BY_GEONAMEID = """
SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence
FROM places p
WHERE p.geonameid = ?
"""

#: Whether a place is named by a key as its main name (kind 0), through the ``names_key`` index.
MAIN_NAME = "SELECT 1 FROM names WHERE key = ? AND place_id = ? AND kind = 0 LIMIT 1"

#: A place by its GeoNames id, under its main name.
PLACE_BY_GEONAMEID = """
SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence, n.kind
FROM names n JOIN places p ON p.id = n.place_id
WHERE p.geonameid = ? AND n.kind = 0
"""

#: The cheapest read that fails on a damaged or foreign file.
PROBE = "SELECT key FROM names LIMIT 1"


def known_keys(count: int) -> str:
    """Which of ``count`` name keys some place has."""
    return f"SELECT DISTINCT key FROM names WHERE key IN ({','.join('?' * count)})"


def candidates_by_keys(count: int) -> str:
    """The places ``count`` name keys name, each row led by the key it matched."""
    marks = ",".join("?" * count)
    return f"""
SELECT n.key, p.id, p.name, p.lat, p.lon, p.country_code, p.admin1, p.feature, p.population,
       p.area_km2, p.source, p.prominence, n.kind
FROM names n JOIN places p ON p.id = n.place_id
WHERE n.key IN ({marks})
"""
