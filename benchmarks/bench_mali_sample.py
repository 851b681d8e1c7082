"""Measure: geocoding a Mali incident table written as ``LOCATION, ADMIN1, Mali``.

``benchmarks/data/mali_sample.csv`` (written for this project) holds 106 places
the embedded data has (all its Malian places, ACLED's spelling of the regions,
a few other spellings, five under the region they had before the 2016 reform,
as older ACLED rows list them) with their true points, and 59 Malian villages the
embedded data lacks, for which the right answer is "not found". One true point
differs from the data's: Bamba, Gao, whose GeoNames record lies in the far south. Each row is asked as
``LOCATION, ADMIN1, Mali`` with the embedded data only, as ``mali-map map`` asks
for a row without coordinates.

Reports: the share of answers outside Mali (must be 0), the precision of the
answers (right: within 25 km of the point), the recall (right answers among
the places the data holds), and the same once answers below the map's
``--min-confidence`` default are set aside.

"Before": the same sample is answered, in the same run, by the code as it was
before the country constraint (:data:`BEFORE_COMMIT`, the last commit before
issue 7 was merged), taken from this checkout's git history into a temporary
folder with its own cache folder (its index is built there: about 10 s). Under
``run_all.py`` the figures are recorded in the "quality" table with the
before figure beside each. Without git or that commit (a shallow clone), the
before column says so; ``--no-before`` skips it.

    python benchmarks/bench_mali_sample.py [--no-before] [--package-root DIR --json]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "data" / "mali_sample.csv"
RIGHT_KM = 25.0
ROUND_BASE = "a78f754"
#: The code before issue 7 (honest geocoding): the first parent of its merge.
BEFORE_COMMIT = "60ab087ed795afb377902682de06e87a7ae17a65"
BEFORE_LABEL = "the code before the country constraint (commit 60ab087, measured in this run)"


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
    return {
        "answered": answered,
        "outside": outside,
        "right": right,
        "precision": right / answered if answered else float("nan"),
        "recall": right / known,
    }


def before(script: Path) -> dict | str:
    """The measures of the code at :data:`BEFORE_COMMIT` on the same sample, or why they are missing."""
    from before import measure_before

    return measure_before(script, commit=BEFORE_COMMIT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="ignored (run_all passes it)")
    parser.add_argument("--no-before", action="store_true", help="do not measure the code before issue 7")
    parser.add_argument("--package-root", type=Path, default=HERE.parent, help="the mali_map to measure")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON only (for --package-root)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.package_root))
    from mali_map.gazetteer import Gazetteer

    with SAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    queries = [f"{r['location']}, {r['admin1']}, {r['country']}" for r in rows]
    places = Gazetteer(include_saved=False).lookup_many(queries)
    if args.json:
        try:
            from mali_map.gazetteer.calibration import MIN_CONFIDENCE as threshold
        except ImportError:
            threshold = None
        strict = measure(rows, places, threshold) if threshold is not None else None
        print(json.dumps({**measure(rows, places), "strict": strict}))
        return 0
    known = sum(1 for r in rows if r["latitude"])
    print(
        f"Mali sample: {len(rows)} queries 'LOCATION, ADMIN1, Mali' ({known} places in the embedded data, "
        f"{len(rows) - known} villages it lacks)"
    )
    try:
        from mali_map.gazetteer.calibration import MIN_CONFIDENCE
    except ImportError:
        MIN_CONFIDENCE = None
    for label, threshold in (("all answers", 0.0), (f"confidence >= {MIN_CONFIDENCE}", MIN_CONFIDENCE)):
        if threshold is None:
            continue
        m = measure(rows, places, threshold)
        print(
            f"  {label}: answered {m['answered']}, outside Mali {m['outside']} "
            f"({m['outside'] / max(m['answered'], 1):.0%}), precision {m['precision']:.2f}, "
            f"recall {m['recall']:.2f}"
        )
    wrong = [
        (q, p)
        for q, r, p in zip(queries, rows, places)
        if p is not None
        and not (r["latitude"] and km((float(r["latitude"]), float(r["longitude"])), p.point) <= RIGHT_KM)
    ]
    for query, place in wrong[:8]:
        print(f"    wrong: {query!r} -> {place.name} ({place.country_code}) {place.confidence:.2f}")
    old = "not measured (--no-before)" if args.no_before else before(Path(__file__).resolve())
    round_old = "not measured (--no-before)" if args.no_before else round_before(Path(__file__).resolve())
    if isinstance(round_old, dict) and round_old.get("strict"):
        o = round_old["strict"]
        print(
            f"  before this round ({ROUND_BASE}), confidence >= {MIN_CONFIDENCE}: answered {o['answered']}, "
            f"outside Mali {o['outside']}, precision {o['precision']:.2f}, recall {o['recall']:.2f}"
        )
    else:
        print(f"  before this round: {round_old}")
    record_strict(rows, places, round_old, MIN_CONFIDENCE)
    if isinstance(old, dict):
        print(
            f"  before ({BEFORE_COMMIT[:7]}): answered {old['answered']}, outside Mali {old['outside']}, "
            f"precision {old['precision']:.2f}, recall {old['recall']:.2f}"
        )
    else:
        print(f"  before: {old}")
    record(rows, places, old, MIN_CONFIDENCE)
    return 0


def round_before(script: Path) -> dict | str:
    """The measures of the code before this round (``benchmarks/before.py``), or why they are missing."""
    sys.path.insert(0, str(HERE))
    from before import measure_before

    return measure_before(script)


def record_strict(rows: list[dict], places: list, old: dict | str, min_confidence: float | None) -> None:
    """The recall a map gets (answers at or above --min-confidence's default), and answers outside
    Mali, beside the code before this round."""
    if min_confidence is None:
        return
    sys.path.insert(0, str(HERE))
    from before import ROUND_BASE_LABEL
    from recording import figure, peer

    now = measure(rows, places, min_confidence)
    known = sum(1 for r in rows if r["latitude"])
    before_strict = old.get("strict") if isinstance(old, dict) else None
    figure(
        "mali_sample.recall_at_min_confidence",
        f"Mali sample: recall at confidence >= {min_confidence} (what a map keeps), answers outside Mali beside",
        now["recall"],
        "",
        section="quality",
        note=f"{now['right']} of {known}; {now['outside']} answers outside Mali",
        peers=[
            peer(
                ROUND_BASE_LABEL,
                before_strict["recall"] if before_strict else None,
                note=f"{before_strict['right']} of {known}; {before_strict['outside']} answers outside Mali"
                if before_strict
                else str(old),
            )
        ],
    )


def record(rows: list[dict], places: list, old: dict | str, min_confidence: float | None) -> None:
    """The sample's figures for ``results.json`` ("quality"), each with the code before issue 7 beside it."""
    sys.path.insert(0, str(HERE))
    from recording import figure, peer

    now = measure(rows, places)
    known = sum(1 for r in rows if r["latitude"])
    sample = "Mali sample"

    def before_peer(key: str, scale: float = 1.0, detail: str = "") -> list[dict]:
        if isinstance(old, str):
            return [peer(BEFORE_LABEL, None, note=old)]
        return [peer(BEFORE_LABEL, old[key] * scale, note=detail.format(**old) or None)]

    figure(
        "mali_sample.outside",
        f"{sample}: share of answers outside Mali",
        100 * now["outside"] / max(now["answered"], 1),
        "%",
        better="lower",
        target="0 %",
        goal=("==", 0),
        section="quality",
        note=f"{len(rows)} queries `LOCATION, ADMIN1, Mali`: {known} places the embedded data has, "
        f"{len(rows) - known} villages it lacks; {now['outside']} of {now['answered']} answers outside",
        peers=[peer(BEFORE_LABEL, None, note=old)]
        if isinstance(old, str)
        else [
            peer(
                BEFORE_LABEL,
                100 * old["outside"] / max(old["answered"], 1),
                note=f"{old['outside']} of {old['answered']} answers",
            )
        ],
    )
    strict = measure(rows, places, min_confidence) if min_confidence is not None else None
    figure(
        "mali_sample.precision",
        f"{sample}: precision (answers within {RIGHT_KM:.0f} km of the place)",
        now["precision"],
        "",
        section="quality",
        peers=before_peer("precision", detail="{right} of {answered}"),
        note=f"{now['right']} of {now['answered']}"
        + (f"; {strict['precision']:.2f} at confidence ≥ {min_confidence}" if strict else ""),
    )
    figure(
        "mali_sample.recall",
        f"{sample}: recall (right answers among the {known} places the data has)",
        now["recall"],
        "",
        section="quality",
        peers=before_peer("recall"),
        note=f"{now['right']} of {known}",
    )


if __name__ == "__main__":
    sys.exit(main())
