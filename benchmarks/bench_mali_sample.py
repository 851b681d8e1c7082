"""Measure: geocoding a Mali incident table written as ``LOCATION, ADMIN1, Mali``.

``benchmarks/data/mali_sample.csv`` (written for this project) holds 101 places
the embedded data has (all its Malian places, ACLED's spelling of the regions,
a few other spellings) with their true points, and 59 Malian villages the
embedded data lacks, for which the right answer is "not found". One true point
differs from the data's: Bamba, Gao, whose GeoNames record lies in the far south. Each row is asked as
``LOCATION, ADMIN1, Mali`` with the embedded data only, as ``mali-map map`` asks
for a row without coordinates.

Reports: the share of answers outside Mali (must be 0), the precision of the
answers (right: within 25 km of the point), the recall (right answers among
the places the data holds), and the same once answers below the map's
``--min-confidence`` default are set aside. Works with any version of the
package on ``PYTHONPATH``, so the numbers before a change can be measured too.

    python benchmarks/bench_mali_sample.py
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
SAMPLE = HERE / "data" / "mali_sample.csv"
RIGHT_KM = 25.0


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (a sphere is plenty at 25 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def measure(rows: list[dict], places: list, min_confidence: float = 0.0) -> dict:
    answered = right = outside = 0
    known = sum(1 for r in rows if r["latitude"])
    for row, place in zip(rows, places):
        if place is None or place.confidence < min_confidence:
            continue
        answered += 1
        outside += place.country_code != "ML"
        if row["latitude"] and km((float(row["latitude"]), float(row["longitude"])), place.point) <= RIGHT_KM:
            right += 1
    return {"answered": answered, "outside": outside, "right": right,
            "precision": right / answered if answered else float("nan"), "recall": right / known}


def main() -> int:
    import argparse

    from mali_map.gazetteer import Gazetteer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="ignored (run_all passes it)")
    parser.parse_args()
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    queries = [f"{r['location']}, {r['admin1']}, {r['country']}" for r in rows]
    places = Gazetteer(include_saved=False).lookup_many(queries)
    known = sum(1 for r in rows if r["latitude"])
    print(f"Mali sample: {len(rows)} queries 'LOCATION, ADMIN1, Mali' ({known} places in the embedded data, "
          f"{len(rows) - known} villages it lacks)")
    try:
        from mali_map.gazetteer.calibration import MIN_CONFIDENCE
    except ImportError:
        MIN_CONFIDENCE = None
    for label, threshold in (("all answers", 0.0), (f"confidence >= {MIN_CONFIDENCE}", MIN_CONFIDENCE)):
        if threshold is None:
            continue
        m = measure(rows, places, threshold)
        print(f"  {label}: answered {m['answered']}, outside Mali {m['outside']} "
              f"({m['outside'] / max(m['answered'], 1):.0%}), precision {m['precision']:.2f}, "
              f"recall {m['recall']:.2f}")
    wrong = [(q, p) for q, r, p in zip(queries, rows, places) if p is not None
             and not (r["latitude"] and km((float(r["latitude"]), float(r["longitude"])), p.point) <= RIGHT_KM)]
    for query, place in wrong[:8]:
        print(f"    wrong: {query!r} -> {place.name} ({place.country_code}) {place.confidence:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
