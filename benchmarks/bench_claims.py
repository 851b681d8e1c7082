"""Benchmark: claim checking.

Targets:

1. 10,000 claim sentences through ``mali-map check --file F --json`` in under 5 s
   (wall clock, the whole process: start-up, gazetteer, parsing, verdicts, JSON).
2. The distance step of a batch of 1,000,000 parsed claims
   (:func:`mali_map.claims.verify.distances_by_index`, on the place numbers the
   checker hands out while resolving) within 2x of a bare
   ``pyproj.Geod.inv`` call on the same coordinate arrays, both measured in the
   same run, alternating, median of several runs (this machine is shared, so
   only the ratio is steady). Measured twice: claims over the few hundred
   places of real reports (pairs repeat, and each distinct pair is measured
   once), and the worst case of pairs drawn from 100,000 random places.

The sentences are written from templates over real Malian and neighbouring
places, with every comparator, unit, number form and direction the parser
reads, in English and French; about one in twenty names a misspelt place.

    .venv/bin/python benchmarks/bench_claims.py [--runs 5] [--lines 10000] [--batch 1000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from recording import figure, peer  # noqa: E402 (benchmarks/ is put on the path first)

PLACES = [
    "Kati",
    "Bamako",
    "Gao",
    "Kidal",
    "Timbuktu",
    "Tombouctou",
    "Mopti",
    "Ségou",
    "Sikasso",
    "Kayes",
    "Ménaka",
    "Douentza",
    "Koulikoro",
    "Bourem",
    "Djenné",
    "Bandiagara",
    "Koutiala",
    "Kolokani",
    "Markala",
    "San",
    "Ansongo",
    "Tessalit",
    "Ouagadougou",
    "Niamey",
    "Koudougou",
]
MISSPELT = ["Katti", "Bamakko", "Segou-ville", "Xyzzyville"]
TEMPLATES = [
    "{a} is less than {n} miles from {b}.",
    "{a} lies about {n} km north-east of {b}.",
    "{a}, a town some {n} kilometres ({m} miles) from {b}, was attacked on Tuesday.",
    "{a} is more than {n} km from the capital.",
    "{a} is within {n}km of the Malian capital.",
    "{a} lies between {n} and {n2} km to the south of {b}.",
    "{a} est à moins de {n} km de {b}.",
    "{a} se trouve à une quinzaine de kilomètres au nord de {b}.",
    "{a} lies north-west of {b}.",
    "{a} is a {n}-mile drive from {b}.",
    "{a} is nearly {n} km NNE of {b}.",
    "{a} and {b} are roughly {n} km apart.",
    "{a} is a few miles outside {b}.",
    "Soldiers in {a}, at least {n:,} km from {b}, mutinied.",
]


def claim_sentences(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        a, b = rng.sample(PLACES, 2)
        if rng.random() < 0.05:
            a = rng.choice(MISSPELT)
        n = rng.choice([5, 10, 12, 15, 18, 20, 50, 100, 150, 300, 700, 1000, 1200])
        lines.append(rng.choice(TEMPLATES).format(a=a, b=b, n=n, n2=n + 10, m=round(n / 1.6)))
    return lines


def bench_cli(lines: int, runs: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system) of the whole command."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.txt"
        path.write_text("\n".join(claim_sentences(lines)) + "\n", encoding="utf-8")
        command = [str(BIN / "mali-map"), "check", "--json", "--file", str(path)]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the index cache
        times, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            printed = done.stdout.count(b"\n")
            if done.returncode not in (0, 1, 3) or printed < lines:
                raise SystemExit(f"check failed: exit {done.returncode}, {printed} lines")
    return statistics.median(times), statistics.median(cpu)


def bench_distance_step(batch: int, runs: int) -> tuple[float, float]:
    """A million parsed claims over the places of the template sentences (pairs repeat)."""
    import numpy as np

    from mali_map.claims import ClaimChecker, extract_claims

    checker = ClaimChecker(country="ML")
    parsed = [c for line in claim_sentences(2000, seed=11) for c in extract_claims(line)]
    rng = random.Random(5)
    claims = [parsed[rng.randrange(len(parsed))] for _ in range(batch)]
    subject_ids, anchor_ids = [], []
    for claim in claims:  # resolution: once per claim, remembered per name (not timed)
        subject, anchor = checker._mentions(claim)
        if subject.place is not None and anchor.place is not None:
            subject_ids.append(checker.resolver.number(subject.place))
            anchor_ids.append(checker.resolver.number(anchor.place))
    lats, lons = checker.resolver.coordinates()
    return _time_step(np.array(subject_ids), np.array(anchor_ids), lats, lons, runs)


def bench_distance_step_distinct(batch: int, runs: int, places: int = 100_000) -> tuple[float, float]:
    """The worst case: claims between ``places`` random places, so nearly every pair is new."""
    import numpy as np

    rng = np.random.default_rng(7)
    lats, lons = rng.uniform(10.0, 25.0, places), rng.uniform(-12.0, 4.0, places)
    return _time_step(rng.integers(0, places, batch), rng.integers(0, places, batch), lats, lons, runs)


def _time_step(subject_ids, anchor_ids, lats, lons, runs: int) -> tuple[float, float]:
    """Median seconds of our distance step and of a bare Geod.inv on the same coordinates, alternating."""
    import numpy as np
    from pyproj import Geod

    from mali_map.claims.verify import distances_by_index

    lat1, lon1, lat2, lon2 = lats[anchor_ids], lons[anchor_ids], lats[subject_ids], lons[subject_ids]
    geod = Geod(ellps="WGS84")
    ours, bare = [], []
    for _ in range(runs):
        start = time.perf_counter()
        km, _ = distances_by_index(subject_ids, anchor_ids, lats, lons)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        _, _, metres = geod.inv(lon1, lat1, lon2, lat2)
        bare.append(time.perf_counter() - start)
        if not np.allclose(km, metres / 1000.0, atol=1e-6):
            raise SystemExit("the distance step disagrees with pyproj")
    return statistics.median(ours), statistics.median(bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000_000)
    args = parser.parse_args()

    cli_s, cli_cpu = bench_cli(args.lines, args.runs)
    print(
        f"check --file --json, {args.lines:,} sentences: median {cli_s:.2f} s wall, {cli_cpu:.2f} s CPU "
        f"({args.lines / cli_s:,.0f} claims/s; target < 5 s) {'OK' if cli_s < 5 else 'SLOW'}"
    )
    ours, bare = bench_distance_step(args.batch, args.runs)
    ratio = ours / bare
    print(
        f"distance step, {args.batch:,} claims: distance step median {ours:.3f} s, bare Geod.inv "
        f"{bare:.3f} s, ratio {ratio:.2f} (target <= 2) {'OK' if ratio <= 2 else 'SLOW'}"
    )
    worst_ours, worst_bare = bench_distance_step_distinct(args.batch, args.runs)
    worst = worst_ours / worst_bare
    print(
        f"distance step, {args.batch:,} claims over 100,000 places (pairs all distinct): distance step "
        f"median {worst_ours:.3f} s, bare Geod.inv {worst_bare:.3f} s, ratio {worst:.2f} (target <= 2) "
        f"{'OK' if worst <= 2 else 'SLOW'}"
    )
    figure(
        "claims.cli",
        f"`mali-map check --file --json`, {args.lines:,} claim sentences, whole process",
        cli_s,
        "s",
        better="lower",
        target="< 5 s",
        goal=("<", 5),
        note=f"{args.lines / cli_s:,.0f} claims/s, {cli_cpu:.2f} s CPU",
        no_peer="none: no other tool checks distance claims",
    )
    figure(
        "claims.distance_step",
        f"distance step of {args.batch:,} parsed claims over real places (each distinct pair measured once)",
        ours,
        "s",
        better="lower",
        target="≤ 2x the floor",
        goal=("<=", 2 * bare),
        peers=[peer("bare `pyproj.Geod.inv` on the same arrays (the floor)", bare)],
    )
    figure(
        "claims.distance_step_distinct",
        f"distance step of {args.batch:,} claims over 100,000 random places (pairs all distinct)",
        worst_ours,
        "s",
        better="lower",
        target="≤ 2x the floor",
        goal=("<=", 2 * worst_bare),
        peers=[peer("bare `pyproj.Geod.inv` on the same arrays (the floor)", worst_bare)],
    )
    if cli_s >= 5 or ratio > 2 or worst > 2:
        sys.exit(1)


if __name__ == "__main__":
    main()
