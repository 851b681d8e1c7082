"""Incident tables and stand-in claims for the map tests (written for these tests)."""

from __future__ import annotations

from dataclasses import dataclass

HOSTILE_NOTE = '<img src=x onerror="window.__pwned=1"> </script><script>window.__pwned=2</script>'
HOSTILE_ACTOR = "<b onmouseover=alert(1)>Militia</b> & co"
HOSTILE_TYPE = "<svg onload=alert(1)>Riots"


def incident_frame(rows):
    """A GeoDataFrame (EPSG:4326) from dicts with lat/lon and ACLED-like columns."""
    import geopandas as gpd
    import pandas as pd

    table = pd.DataFrame(rows)
    points = gpd.points_from_xy(table.pop("lon"), table.pop("lat"))
    if "event_date" in table:
        table["event_date"] = pd.to_datetime(table["event_date"])
    return gpd.GeoDataFrame(table, geometry=points, crs="EPSG:4326")


def small_incidents():
    """Four incidents in three towns, one with hostile text in every text field."""
    return incident_frame(
        [
            {
                "lat": 12.74409,
                "lon": -8.07257,
                "event_date": "2024-01-03",
                "event_type": "Battles",
                "actor1": "FAMa",
                "actor2": "JNIM",
                "location": "Kati",
                "admin1": "Koulikoro",
                "fatalities": 3,
                "geo_precision": 1,
                "notes": "Clash near the camp.",
                "source": "Local radio",
            },
            {
                "lat": 16.27167,
                "lon": -0.04472,
                "event_date": "2024-02-10",
                "event_type": HOSTILE_TYPE,
                "actor1": HOSTILE_ACTOR,
                "actor2": None,
                "location": "Gao",
                "admin1": "Gao",
                "fatalities": 0,
                "geo_precision": 2,
                "notes": HOSTILE_NOTE,
                "source": "<i>Twitter</i>",
            },
            {
                "lat": 14.4843,
                "lon": -4.18296,
                "event_date": "2024-03-01",
                "event_type": "Battles",
                "actor1": "JNIM",
                "actor2": None,
                "location": "Mopti",
                "admin1": "Mopti",
                "fatalities": 40,
                "geo_precision": 3,
                "notes": "Approximate: somewhere in the district.",
                "source": "ACLED",
            },
            {
                "lat": 16.7735,
                "lon": -3.0074,
                "event_date": "2024-03-20",
                "event_type": "Explosions/Remote violence",
                "actor1": "Unknown",
                "actor2": None,
                "location": "Tombouctou",
                "admin1": "Tombouctou",
                "fatalities": 1,
                "geo_precision": 1,
                "notes": "IED on the road.",
                "source": "ACLED",
            },
        ]
    )


def synthetic_incidents(count: int, seed: int = 7):
    """``count`` random incidents over Mali (deterministic for a seed)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    types = np.array(
        [
            "Battles",
            "Violence against civilians",
            "Explosions/Remote violence",
            "Protests",
            "Riots",
            "Strategic developments",
        ]
    )
    towns = np.array(["Kati", "Gao", "Mopti", "Tombouctou", "Kidal", "Ségou", "Sikasso", "Ménaka"])
    days = rng.integers(0, 3 * 365, count)
    return incident_frame(
        {
            "lat": np.round(rng.uniform(11.0, 20.0, count), 5),
            "lon": np.round(rng.uniform(-11.0, 3.5, count), 5),
            "event_date": pd.Timestamp("2021-01-01") + pd.to_timedelta(days, unit="D"),
            "event_type": types[rng.choice(len(types), count, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05])],
            "actor1": rng.choice(["JNIM", "ISSP", "FAMa", "Wagner Group", "Dozo militia"], count),
            "location": towns[rng.integers(0, len(towns), count)],
            "fatalities": rng.poisson(2.0, count),
            "geo_precision": rng.choice([1, 2, 3], count, p=[0.6, 0.3, 0.1]),
            "notes": [
                f"Report {i}: armed men attacked the village market; several houses burned." for i in range(count)
            ],
            "source": rng.choice(["ACLED", "Local radio", "Studio Tamani"], count),
        }
    )


@dataclass(frozen=True)
class StubPlace:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class StubEnd:
    mention: str
    place: StubPlace | None


@dataclass(frozen=True)
class StubClaim:
    """Has the attributes of mali_map.claims.ClaimResult that the map reads."""

    text: str
    subject: StubEnd
    anchor: StubEnd
    verdict: str
    distance_km: float | None
    range_km: tuple[float, float] | None
    value: float | None
    unit: str | None
    comparator: str | None
    explanation: str


KATI = StubPlace("Kati", 12.74409, -8.07257)
BAMAKO = StubPlace("Bamako", 12.60915, -7.97522)


def claims():
    """One contradicted claim (Kati under 10 mi of Bamako: 18.3 km), one unresolved."""
    return [
        StubClaim(
            "Kati, less than 10 miles from Bamako",
            StubEnd("Kati", KATI),
            StubEnd("Bamako", BAMAKO),
            "contradicted",
            18.29,
            (7.0, 29.0),
            10.0,
            "mi",
            "<",
            "18.3 km apart <script>x</script>",
        ),
        StubClaim(
            "Xyzville, 5 km from Bamako",
            StubEnd("Xyzville", None),
            StubEnd("Bamako", BAMAKO),
            "unresolved",
            None,
            None,
            5.0,
            "km",
            "<",
            "Xyzville was not found.",
        ),
    ]
