"""Synthetic incident tables for the large-archive benchmarks: ACLED-like rows around real places.

Rows are drawn (seeded) from 2,000 West African places of the embedded index, their points jittered by up to
0.05 degrees, six ACLED event types, dates over 2018-2023 and small fatality counts; ``missing`` of them (a
tenth by default) have no coordinates, only the place name, so loading them geocodes by name.
"""

from __future__ import annotations

import random
from pathlib import Path

EVENT_TYPES = (
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Protests",
    "Riots",
    "Strategic developments",
)
WEST_AFRICA = ("ML", "BF", "NE", "SN", "GN", "CI", "MR")


def west_african_places(count: int = 2000, seed: int = 19) -> list[tuple[str, float, float, str]]:
    """``(name, lat, lon, country)`` of towns and villages with plain names (no comma or digit)."""
    from mali_map.gazetteer import Gazetteer

    conn = Gazetteer(include_saved=False)._connections[0]
    marks = ",".join("?" * len(WEST_AFRICA))
    rows = conn.execute(
        f"SELECT name, lat, lon, country_code FROM places WHERE country_code IN ({marks}) "
        "AND feature IN ('city', 'town', 'capital') ORDER BY id",
        WEST_AFRICA,
    ).fetchall()
    rows = [r for r in rows if not any(c in r[0] for c in ',;0123456789"')]
    return random.Random(seed).sample(rows, min(count, len(rows)))


def write_incidents(path: Path, rows: int, *, missing: float = 0.1, seed: int = 19) -> Path:
    """An ACLED-like CSV of ``rows`` incidents, ``missing`` of them without coordinates."""
    rng = random.Random(seed)
    places = west_african_places()
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("event_date,event_type,country,location,latitude,longitude,fatalities,notes\n")
        for _ in range(rows):
            name, lat, lon, country = rng.choice(places)
            date = f"{rng.randint(2018, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            kind = rng.choice(EVENT_TYPES)
            dead = rng.choice((0, 0, 0, 1, 2, 5))
            if rng.random() < missing:
                out.write(f"{date},{kind},{country},{name},,,{dead},\n")
            else:
                lat += rng.uniform(-0.05, 0.05)
                lon += rng.uniform(-0.05, 0.05)
                out.write(f"{date},{kind},{country},{name},{lat:.5f},{lon:.5f},{dead},\n")
    return path
