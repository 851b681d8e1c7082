"""Benchmark: can a fact-checker publish the claim checker's verdicts? (issue 16)

True and false claims between real Malian places, written by this script (no
hand-picked results) and checked with ``check --country ML`` on the embedded
data. A claim's truth comes from the places' true points, not from the
gazetteer:

- the places of ``benchmarks/data/mali_sample.csv`` (true points; those the
  embedded data has), the places of ``examples/kati-incidents.csv``, and among
  them those whose name the embedded gazetteer also holds elsewhere
  (namesakes: Gao, Kati, Bamba... in other countries), drawn in pairs with a
  fixed seed;
- for each pair, claims a reader could write: "less than" and "more than" with
  a clear margin (half or 1.6 times the distance), "about" the distance rounded
  to two figures and "about" 2.5 times it, a compass direction (when the
  bearing lies well inside its sector) and the opposite one, a denial ("isn't
  about"), a compound range ("more than ... but less than ..."), amounts with
  thousands separators as they come;
- claims about the villages the sample lists as missing from the embedded
  data (Boni, Hombori, Diabaly...): the data cannot know where they are, so any
  decided verdict on them rests on a guess ("unfounded").

Reported: wrong verdicts (a true claim ``contradicted``, a false one
``supported``; target 0), unfounded verdicts (target 0), decided verdicts, and
the ``unresolved`` and ``depends`` counts, each beside the code before this
round (:mod:`before`), measured in the same run. Then the plausibility
threshold swept from 0 to 0.95: how the wrong-verdict rate and the decided
rate move with it (the README explains the choice of 0.5).

    python benchmarks/bench_claim_trust.py [--pairs 120] [--seed 16] [--package-root DIR --json]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "data" / "mali_sample.csv"
INCIDENTS = HERE.parent / "examples" / "kati-incidents.csv"
COMPASS8 = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def geodesic(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """(km, bearing from ``a`` to ``b``) on WGS84, as the checker measures (pyproj is a dependency)."""
    from pyproj import Geod

    bearing, _, metres = Geod(ellps="WGS84").inv(a[1], a[0], b[1], b[0])
    return metres / 1000.0, bearing % 360.0


def two_figures(value: float) -> int:
    """``value`` rounded to two significant figures, as a reporter rounds a distance."""
    if value < 10:
        return max(1, round(value))
    scale = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / scale) * scale)


def amount(value: float) -> str:
    """An amount as written in English reports, thousands separated: 1,200."""
    return f"{int(value):,}"


def places() -> tuple[list[dict], list[str]]:
    """Known places ``{name, point}`` (sample and incident file, one per name) and the missing villages."""
    known: dict[str, dict] = {}
    missing: list[str] = []
    with SAMPLE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["location"]
            if not row["latitude"]:
                missing.append(name)
            elif "spelling" not in row["note"] and name not in ("Bamba",):  # Bamba's GeoNames point is off
                known.setdefault(name, {"name": name, "point": (float(row["latitude"]), float(row["longitude"]))})
    with INCIDENTS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geo_precision"] == "1":
                point = (float(row["latitude"]), float(row["longitude"]))
                known.setdefault(row["location"], {"name": row["location"], "point": point})
    return sorted(known.values(), key=lambda p: p["name"]), sorted(set(missing))


def namesakes(known: list[dict]) -> set[str]:
    """The names the embedded gazetteer also holds outside Mali."""
    from mali_map.gazetteer import open_gazetteer

    gazetteer = open_gazetteer(country="ML")
    held = set()
    for place in known:
        found = gazetteer.candidates(place["name"], country="ML", limit=10, fuzzy=False)
        if len({p.country_code for p in found}) > 1:
            held.add(place["name"])
    return held


def claims_for(a: dict, b: dict) -> list[tuple[str, bool]]:
    """Claims about ``a`` seen from ``b``, each with its truth."""
    km, bearing = geodesic(b["point"], a["point"])
    if km < 5:
        return []
    x, y = a["name"], b["name"]
    about = two_figures(km)
    written = [
        (f"{x} is less than {amount(math.ceil(km * 1.6))} km from {y}.", True),
        (f"{x} is less than {amount(max(1, math.floor(km * 0.5)))} km from {y}.", False),
        (f"{x} is more than {amount(max(1, math.floor(km * 0.6)))} km from {y}.", True),
        (f"{x} is more than {amount(math.ceil(km * 1.6))} km from {y}.", False),
        (f"{x} is about {amount(about)} km from {y}.", True),
        (f"{x} is about {amount(two_figures(km * 2.5))} km from {y}.", False),
        (f"{x} is not about {amount(two_figures(km * 2.5))} km from {y}.", True),
        (f"{x} isn't about {amount(about)} km from {y}.", False),
        (
            f"{x} is more than {amount(max(1, math.floor(km * 0.6)))} but less than "
            f"{amount(math.ceil(km * 1.6))} km from {y}.",
            True,
        ),
    ]
    sector = round(bearing / 45.0) % 8
    if abs(((bearing - sector * 45.0 + 180) % 360) - 180) <= 12:  # well inside its sector
        written.append((f"{x} lies {COMPASS8[sector]} of {y}.", True))
        written.append((f"{x} lies {COMPASS8[(sector + 4) % 8]} of {y}.", False))
        written.append((f"{x} lies {COMPASS8[(sector + 4) % 8]} of {y}, some {amount(about)} km away.", False))
    return written


def build(pairs: int, seed: int) -> tuple[list[tuple[str, bool | None, str]], dict]:
    """The claims ``(text, truth, kind)``; truth ``None`` for claims about a missing village."""
    known, missing = places()
    held = namesakes(known)
    rng = random.Random(seed)
    claims: list[tuple[str, bool | None, str]] = []
    with_namesake = [p for p in known if p["name"] in held]
    for i in range(pairs):
        # one pair in three has a place the gazetteer also holds abroad
        a = rng.choice(with_namesake) if with_namesake and i % 3 == 0 else rng.choice(known)
        b = rng.choice(known)
        if a is b:
            continue
        kind = "namesake" if a["name"] in held or b["name"] in held else "plain"
        claims.extend((text, truth, kind) for text, truth in claims_for(a, b))
    for name in missing:
        b = rng.choice(known)
        claims.append((f"{name} is about {rng.choice((40, 75, 120, 250, 400))} km from {b['name']}.", None, "missing"))
        claims.append((f"{name} lies {rng.choice(COMPASS8)} of {b['name']}.", None, "missing"))
    sizes = {"known places": len(known), "namesakes": len(held), "missing villages": len(missing)}
    return claims, sizes


def score(claims: list[tuple[str, bool | None, str]], verdicts: list[str]) -> dict:
    """Counts of wrong, unfounded, decided, unresolved and depends verdicts."""
    counts = {"claims": len(claims), "wrong": 0, "unfounded": 0, "decided": 0, "unresolved": 0, "depends": 0}
    counts["wrong_namesake"] = 0
    for (_, truth, kind), verdict in zip(claims, verdicts):
        if verdict in ("unresolved", "depends"):
            counts[verdict] += 1
            continue
        counts["decided"] += 1
        if truth is None:
            counts["unfounded"] += 1
        elif (verdict == "supported") != truth:
            counts["wrong"] += 1
            counts["wrong_namesake"] += kind == "namesake"
    return counts


def verdicts_of(claims: list[tuple[str, bool | None, str]], country: str = "ML") -> list[str]:
    from mali_map.claims import check_claims
    from mali_map.gazetteer import open_gazetteer

    gazetteer = open_gazetteer(country=country)
    out = []
    for entry in check_claims([text for text, _, _ in claims], country=country, gazetteer=gazetteer):
        out.append(entry.claims[0].verdict if entry.claims else "unread")
    return out


def sweep(claims: list[tuple[str, bool | None, str]], country: str) -> list[dict]:
    """The counts at each plausibility threshold (the threshold is read at call time), with the focus
    ``country`` ("": none, so no place is held at home and the threshold alone guards)."""
    from mali_map.claims import readings

    chosen, rows = readings.PLAUSIBLE, []
    try:
        for threshold in THRESHOLDS:
            readings.PLAUSIBLE = threshold
            rows.append({"threshold": threshold, "country": country, **score(claims, verdicts_of(claims, country))})
    finally:
        readings.PLAUSIBLE = chosen
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=120, help="place pairs drawn (about 10 claims each)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--runs", type=int, default=1, help="ignored (run_all passes it)")
    parser.add_argument("--no-before", action="store_true", help="do not measure the code before this round")
    parser.add_argument("--no-sweep", action="store_true", help="do not sweep the threshold")
    parser.add_argument("--package-root", type=Path, default=None, help="the mali_map to measure")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON only (for --package-root)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from before import measure_before, use_package_root

    use_package_root(args.package_root)
    if args.package_root is None:
        sys.path.insert(0, str(HERE.parent))
    claims, sizes = build(args.pairs, args.seed)
    now = score(claims, verdicts_of(claims))
    if args.json:
        print(json.dumps(now))
        return 0
    print(
        f"Claim trust: {len(claims)} claims ({sizes['known places']} known places, {sizes['namesakes']} with "
        f"namesakes abroad, {sizes['missing villages']} villages the data lacks), check --country ML"
    )
    report("now", now)
    if args.no_before:
        old: dict | str = "not measured (--no-before)"
    else:
        old = measure_before(Path(__file__).resolve(), "--pairs", str(args.pairs), "--seed", str(args.seed))
    if isinstance(old, dict):
        report("before", old)
    else:
        print(f"  before: {old}")
    rows = [] if args.no_sweep else sweep(claims, "ML") + sweep(claims, "")
    for row in rows:
        truth_decided = row["decided"] - row["unfounded"]
        focus = row["country"] or "''"
        print(
            f"  --country {focus} threshold {row['threshold']:.2f}: wrong {row['wrong']} of {truth_decided} "
            f"decided with a known truth ({row['wrong'] / max(truth_decided, 1):.1%}), "
            f"unfounded {row['unfounded']}, decided {row['decided']} of {row['claims']} "
            f"({row['decided'] / row['claims']:.0%})"
        )
    record(now, old, rows)
    return 0


def report(label: str, counts: dict) -> None:
    print(
        f"  {label}: wrong {counts['wrong']} (namesake pairs {counts['wrong_namesake']}), unfounded "
        f"{counts['unfounded']}, decided {counts['decided']} of {counts['claims']}, unresolved "
        f"{counts['unresolved']}, depends {counts['depends']}"
    )


def record(now: dict, old: dict | str, rows: list[dict]) -> None:
    from before import ROUND_BASE_LABEL
    from recording import figure, peer

    def before(key: str) -> list[dict]:
        if isinstance(old, str):
            return [peer(ROUND_BASE_LABEL, None, note=old)]
        return [peer(ROUND_BASE_LABEL, old[key], note=f"of {old['claims']} claims")]

    claims = f"of {now['claims']} generated claims between real Malian places"
    figure(
        "claim_trust.wrong",
        "Claim trust: wrong verdicts (a true claim contradicted, a false one supported)",
        now["wrong"],
        "",
        better="lower",
        target="0",
        goal=("==", 0),
        section="quality",
        peers=before("wrong"),
        note=claims,
    )
    figure(
        "claim_trust.unfounded",
        "Claim trust: decided verdicts about places the data lacks (resting on a guess)",
        now["unfounded"],
        "",
        better="lower",
        target="0",
        goal=("==", 0),
        section="quality",
        peers=before("unfounded"),
        note=claims,
    )
    figure(
        "claim_trust.decided",
        "Claim trust: decided verdicts (supported or contradicted)",
        now["decided"],
        "",
        section="quality",
        peers=before("decided"),
        note=f"{claims}; unresolved {now['unresolved']}, depends {now['depends']}",
    )
    for row in rows:
        if row["threshold"] in (0.0, 0.4, 0.5, 0.6, 0.9):
            focus = row["country"] or "none"
            figure(
                f"claim_trust.threshold_{row['threshold']:.2f}.focus_{focus}",
                f"Claim trust at plausibility threshold {row['threshold']:.2f}, focus {focus}: wrong verdicts",
                row["wrong"] + row["unfounded"],
                "",
                better="lower",
                section="quality",
                no_peer="a sweep of today's code",
                note=f"decided {row['decided']} of {row['claims']}; wrong {row['wrong']}, unfounded {row['unfounded']}",
            )


if __name__ == "__main__":
    sys.exit(main())
