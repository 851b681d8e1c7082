"""Calibration of geocoding confidence: is an answer of confidence c right about c of the time?

The calibration set is built from the embedded data itself, by leaving places
out (see ``docs`` in the README's "How sure is an answer" section):

- *present* queries ask for a place that is in the index, in one of the forms
  users write: ``NAME``, ``NAME, COUNTRY``, ``NAME, REGION, COUNTRY``,
  ``NAME, REGION, CC``, with the main name or one of its other names, the
  focus country being the place's own or another one;
- *left-out* queries ask, as ``NAME, REGION, COUNTRY``, ``NAME, COUNTRY`` or
  ``NAME``, for a place removed from the index for this run: the right answer
  is "not found", or another record of the same place (within 25 km). This is
  the everyday case of the villages a gazetteer lacks.

An answer is right when it lies within 25 km (or the place's extent) of the
place asked for. Places are sampled from two disjoint sets of countries: the
confidence table of :mod:`mali_map.gazetteer.calibration` is fitted on the
first (``--fit`` prints it) and this report is made on the second.

Reports: the expected calibration error (ECE, 10 bins), a reliability table,
how many wrong answers have confidence >= 0.9, and a PNG plot
(``benchmarks/calibration.png``, with matplotlib when installed). Under
``run_all.py`` these are recorded (:mod:`recording`) for ``results.json`` and
the README: the ECE and the confidently wrong answers in the "quality" table,
the reliability table and the plot in a section of their own.

    python benchmarks/bench_calibration.py [--per-country N] [--fit] [--plot PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from recording import figure  # noqa: E402

#: Countries whose places fit the table, and the other countries whose places test it.
FIT_COUNTRIES = ("ML", "NE", "SN", "GN", "CI", "FR", "IN", "BR", "NG", "DE", "MX", "CD")
REPORT_COUNTRIES = ("BF", "MR", "TD", "GH", "DZ", "US", "ID", "ES", "CM", "IT", "PH", "TZ")
#: Share of queries that ask for a place left out of the index.
LEFT_OUT_SHARE = 0.4
#: About this share of the sampled places are villages or of unknown size.
VILLAGE_SHARE = 0.75
RIGHT_KM = 25.0
SEED = 7


@dataclass
class Outcome:
    query: str
    country: str
    left_out: bool
    answered: bool
    right: bool
    confidence: float
    share: float
    group: str


def sample_places(conn, countries: tuple[str, ...], per_country: int, rng: random.Random) -> list[tuple]:
    """Populated places of each country with a region: ``(id, name, lat, lon, cc, admin1, radius, is_village)``."""
    from mali_map.places import radius_km_for

    rows = []
    for code in countries:
        found = conn.execute(
            "SELECT id, name, lat, lon, country_code, admin1, feature, population, area_km2 FROM places "
            "WHERE country_code = ? AND feature NOT IN ('country', 'admin1') AND admin1 IS NOT NULL",
            (code,),
        ).fetchall()
        for row in rng.sample(found, min(per_country, len(found))):
            rows.append(row[:6] + (radius_km_for(row[6], row[7], row[8]), row[6] in ("village", "place")))
    return rows


def other_names(conn, place_id: int) -> list[str]:
    """The place's alternate names (their keys) usable as queries."""
    return [
        key
        for (key,) in conn.execute("SELECT key FROM names WHERE place_id = ? AND kind = 1", (place_id,))
        if key.isascii() and len(key) > 2
    ]


def typo(name: str, rng: random.Random) -> str:
    """The name with one slip of the pen: a letter dropped, doubled or two letters swapped (not the first)."""
    at = rng.randrange(1, len(name) - 1)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        return name[:at] + name[at + 1 :]
    if slip == "double":
        return name[:at] + name[at] + name[at:]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def build_queries(conn, countries: tuple[str, ...], per_country: int, seed: int):
    """``(query, focus, place row, left_out)`` items and the ids left out."""
    from mali_map import geodata

    rng = random.Random(seed)
    names = {c["iso2"]: c["name"] for c in geodata.countries()}
    items, left_out = [], set()
    others = [c for c in FIT_COUNTRIES + REPORT_COUNTRIES]
    for row in sample_places(conn, countries, per_country, rng):
        place_id, name, _, _, code, admin1, _, _ = row
        # Gazetteers lack villages, not towns (cities500 lists every place of 500 people or
        # more that GeoNames knows): only villages and places of unknown size are left out.
        gone = row[7] and rng.random() < LEFT_OUT_SHARE / VILLAGE_SHARE
        label = name
        if not gone and rng.random() < 0.3:
            label = rng.choice(other_names(conn, place_id) or [name])
        elif not gone and rng.random() < 0.1 and len(label) > 5:
            label = typo(label, rng)
        form = rng.choice(
            ("name", "country", "region", "region_cc")
            if not gone
            else ("region", "region", "region_cc", "country", "name")
        )
        query = {
            "name": label,
            "country": f"{label}, {names[code]}",
            "region": f"{label}, {admin1}, {names[code]}",
            "region_cc": f"{label}, {admin1}, {code}",
        }[form]
        # Most queries naming no country are about the focus country (users set it for that).
        focus = code if rng.random() < 0.85 else rng.choice(others)
        if gone:
            left_out.add(place_id)
        items.append((query, focus, row, gone))
    return items, left_out


def run(countries: tuple[str, ...], per_country: int, seed: int) -> list[Outcome]:
    """Answer every query of the set; the raw share and group are recorded beside the confidence."""
    from mali_map.errors import PlaceNotFound
    from mali_map.gazetteer import Gazetteer, calibration, index
    from mali_map.gazetteer.embedded import embedded_index_path
    from mali_map.geodesy import distance_km

    conn = index.connect(embedded_index_path(), readonly=True)
    items, left_out = build_queries(conn, countries, per_country, seed)
    gazetteer = Gazetteer(include_saved=False, exclude_place_ids=frozenset((0, i) for i in left_out))
    seen: dict = {}
    original = calibration.calibrated

    def recording(share: float, group: str) -> float:
        seen["share"], seen["group"] = share, group
        return original(share, group)

    calibration.calibrated = recording
    outcomes = []
    try:
        for query, focus, row, gone in items:
            _, _, lat, lon, code, _, radius, _ = row
            seen.clear()
            try:
                place = gazetteer.lookup(query, country=focus)
            except PlaceNotFound:
                outcomes.append(Outcome(query, code, gone, False, gone, 0.0, 0.0, ""))
                continue
            km = distance_km((lat, lon), place.point)
            right = km <= max(RIGHT_KM, radius)
            outcomes.append(
                Outcome(query, code, gone, True, right, place.confidence, seen.get("share", 1.0), seen.get("group", ""))
            )
    finally:
        calibration.calibrated = original
    return outcomes


# -- fitting -----------------------------------------------------------------------------


def isotonic(points: list[tuple[float, bool]]) -> list[tuple[float, float, int, int]]:
    """Pool-adjacent-violators on ``(share, right)``.

    Returns blocks ``(share from, rights, n, wrong)`` whose rates never fall.
    """
    blocks: list[list] = []  # [share from, rights, n]
    for share, right in sorted(points):
        blocks.append([share, float(right), 1])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            top = blocks.pop()
            blocks[-1][1] += top[1]
            blocks[-1][2] += top[2]
    return [(b[0], b[1], b[2], b[2] - round(b[1])) for b in blocks]


#: A step of confidence >= 0.9 needs this many answers, none of them wrong, in the fitting set.
TOP_STEP_MIN_ANSWERS = 40
TOP_STEP_CAP = 0.89
#: No answer from a gazetteer is certain: its index may lack the place meant.
MAX_CONFIDENCE = 0.99


def fit(outcomes: list[Outcome]) -> dict[str, tuple[tuple[float, float], ...]]:
    """The calibration table: per group, isotonic steps of the rate of right answers."""
    by_group: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for o in outcomes:
        if o.answered:
            by_group[o.group].append((o.share, o.right))
    table = {}
    for group, points in sorted(by_group.items()):
        steps = []
        for start, rights, n, wrong in _merge_small(isotonic(points)):
            rate = round((rights + 1) / (n + 2), 2)  # Laplace: a step never claims more than its answers show
            # A village's namesake missing from the index is common in some countries and rare
            # in others: no village answer claims 0.9 or more, whatever the fitting countries show;
            # nor does an answer outside the focus country (the place meant may be a village at home).
            if rate >= 0.9 and (
                wrong or n < TOP_STEP_MIN_ANSWERS or group.endswith("_village") or group == "outside_focus"
            ):
                rate = TOP_STEP_CAP
            rate = round(min(rate, MAX_CONFIDENCE), 2)
            if steps and steps[-1][1] >= rate:
                continue
            steps.append((0.0 if not steps else round(start, 3), rate))
        table[group] = tuple(steps)
    return table


def _merge_small(blocks, min_n: int = 15):
    """Merge isotonic blocks of fewer than ``min_n`` answers into their left neighbour (fewer, steadier steps)."""
    merged: list[list] = []
    for start, rights, n, wrong in blocks:
        if merged and (n < min_n or merged[-1][2] < min_n):
            last = merged[-1]
            last[1] += rights
            last[2] += n
            last[3] += wrong
        else:
            merged.append([start, rights, n, wrong])
    return [tuple(b) for b in merged]


# -- reporting ---------------------------------------------------------------------------


def reliability(outcomes: list[Outcome], bins: int = 10):
    """Rows ``(lo, hi, n, mean confidence, rate right)`` and the ECE over answered queries."""
    answered = [o for o in outcomes if o.answered]
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [o for o in answered if lo <= o.confidence < hi or (b == bins - 1 and o.confidence == 1.0)]
        if not inside:
            continue
        mean = sum(o.confidence for o in inside) / len(inside)
        rate = sum(o.right for o in inside) / len(inside)
        rows.append((lo, hi, len(inside), mean, rate))
        ece += len(inside) / len(answered) * abs(mean - rate)
    return rows, ece


def plot(rows, ece: float, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
    ax.plot([r[3] for r in rows], [r[4] for r in rows], marker="o", label=f"mali-map (ECE {ece:.3f})")
    for r in rows:
        ax.annotate(str(r[2]), (r[3], r[4]), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("confidence given")
    ax.set_ylabel("share of answers right (within 25 km)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title("Geocoding confidence, held-out countries", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-country", type=int, default=250, help="places sampled per country")
    parser.add_argument("--fit", action="store_true", help="print the table fitted on the fitting countries")
    parser.add_argument("--plot", default=str(HERE / "calibration.png"))
    parser.add_argument("--seed", type=int, default=SEED, help="draw of places and query forms")
    parser.add_argument("--runs", type=int, default=1, help="ignored (run_all passes it)")
    args = parser.parse_args()
    if args.fit:
        outcomes = run(FIT_COUNTRIES, args.per_country, args.seed)
        for group, steps in fit(outcomes).items():
            members = [o for o in outcomes if o.answered and o.group == group]
            right = sum(o.right for o in members)
            print(f"    {group!r}: {steps},  # {len(members)} answers, {right} right")
        return 0
    outcomes = run(REPORT_COUNTRIES, args.per_country, args.seed + 1)
    rows, ece = reliability(outcomes)
    answered = [o for o in outcomes if o.answered]
    left = [o for o in outcomes if o.left_out]
    present = [o for o in outcomes if not o.left_out]
    confident_wrong = [o for o in answered if o.confidence >= 0.9 and not o.right]
    print(
        f"calibration set: {len(outcomes)} queries in {len(REPORT_COUNTRIES)} held-out countries "
        f"({', '.join(REPORT_COUNTRIES)}); {len(present)} for places present, {len(left)} for places left out"
    )
    print(
        f"answered: {len(answered)}; right: {sum(o.right for o in answered)}; "
        f"left-out answered wrongly: {sum(o.answered and not o.right for o in left)}"
    )
    print(f"ECE (10 bins): {ece:.3f}; wrong answers with confidence >= 0.9: {len(confident_wrong)}")
    print("| confidence | answers | mean confidence | right |")
    print("| --- | ---: | ---: | ---: |")
    for lo, hi, n, mean, rate in rows:
        print(f"| {lo:.1f}-{hi:.1f} | {n} | {mean:.2f} | {rate:.2f} |")
    for o in confident_wrong[:10]:
        print(f"  wrong at {o.confidence:.2f}: {o.query!r} ({'left out' if o.left_out else 'present'})")
    plotted = plot(rows, ece, Path(args.plot))
    print(f"plot: {args.plot}" if plotted else "plot: skipped (matplotlib not installed)")
    record(outcomes, rows, ece, confident_wrong, Path(args.plot) if plotted else None)
    return 0


def record(outcomes: list[Outcome], rows, ece: float, confident_wrong: list[Outcome], plot_path: Path | None) -> None:
    """The figures for ``results.json``: ECE and confidently wrong answers (quality), the reliability table."""
    answered = [o for o in outcomes if o.answered]
    confident = [o for o in answered if o.confidence >= 0.9]
    size = f"{len(outcomes):,} queries, {len(REPORT_COUNTRIES)} held-out countries"
    figure(
        "calibration.ece",
        f"geocoding confidence: expected calibration error (10 bins; {size})",
        ece,
        "",
        better="lower",
        target="< 0.05",
        goal=("<", 0.05),
        section="quality",
        no_peer="none: other geocoders give no calibrated confidence",
    )
    examples = "; ".join(
        f"`{o.query}` at {o.confidence:.2f} ({'left out' if o.left_out else 'present'})" for o in confident_wrong[:3]
    )
    figure(
        "calibration.confident_wrong",
        f"geocoding: wrong answers with confidence ≥ 0.9 ({size})",
        len(confident_wrong),
        "count",
        better="lower",
        target="0",
        goal=("==", 0),
        section="quality",
        note=f"of {len(confident):,} answers with confidence ≥ 0.9" + (f"; {examples}" if examples else ""),
        no_peer="none: other geocoders give no calibrated confidence",
    )
    try:
        shown = plot_path.relative_to(HERE.parent).as_posix() if plot_path else None
    except ValueError:
        shown = str(plot_path)
    detail = {
        "rows": [
            {"from": lo, "to": hi, "answers": n, "mean_confidence": mean, "right": rate}
            for lo, hi, n, mean, rate in rows
        ],
        "countries": list(REPORT_COUNTRIES),
        "fit_countries": list(FIT_COUNTRIES),
        "queries": len(outcomes),
        "left_out": sum(o.left_out for o in outcomes),
        "answered": len(answered),
        "right": sum(o.right for o in answered),
        "plot": shown,
    }
    figure(
        "calibration.reliability",
        "reliability of geocoding confidence",
        ece,
        "",
        better="lower",
        section="calibration",
        note=json.dumps(detail),
    )


if __name__ == "__main__":
    sys.exit(main())
