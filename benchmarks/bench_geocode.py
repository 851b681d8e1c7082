"""Benchmark: offline geocoding speed and memory (issue "foundation").

Targets: cold start of ``mali-map geocode Kati`` at most 0.5 s wall;
``geocode_many`` on 100,000 known names at least 200,000 queries/s after load;
the CLI with ``--file`` and ``--json`` on 100,000 lines under 5 s; peak memory
under 500 MB. Every timing is the median of several runs, next to a peer
measured in the same run (a bare ``python -c pass`` for the start-up; the
same lookups one at a time for the batch), because this machine is shared.

The 100,000 names are drawn from the embedded index itself (so all are known):

- *incident column*: 100,000 draws from 2,000 names of West African places,
  with the repeats a real ACLED location column has;
- *all distinct*: 100,000 different names drawn from the whole index (the
  worst case: every name is looked up and ranked afresh);
- *warm*: the incident column again on the same gazetteer (answers remembered).

    .venv/bin/python benchmarks/bench_geocode.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WEST_AFRICA = ("ML", "BF", "NE", "SN", "GN", "CI", "MR", "DZ")


def median_wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def known_names(gazetteer, rng: random.Random) -> tuple[list[str], list[str]]:
    conn = gazetteer._connections[0]
    regional = [name for (name,) in conn.execute(
        f"SELECT name FROM places WHERE country_code IN ({','.join('?' * len(WEST_AFRICA))})", WEST_AFRICA)]
    every = sorted({name for (name,) in conn.execute("SELECT name FROM places")})
    column = rng.sample(regional, 2000)
    return [rng.choice(column) for _ in range(100_000)], rng.sample(every, 100_000)


def rate(gazetteer_factory, names: list[str], runs: int, *, warm: bool = False) -> float:
    rates = []
    for _ in range(runs):
        gazetteer = gazetteer_factory()
        if warm:
            gazetteer.lookup_many(names)
        start = time.perf_counter()
        found = gazetteer.lookup_many(names)
        rates.append(len(names) / (time.perf_counter() - start))
        assert found.count(None) == 0, "all names are known"
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from mali_map.gazetteer import Gazetteer

    def gazetteer_factory():
        return Gazetteer(include_saved=False)

    mali_map = str(BIN / "mali-map")
    subprocess.run([mali_map, "geocode", "Kati"], check=True, capture_output=True)  # builds the index once
    cold = median_wall([mali_map, "geocode", "Kati"], args.runs * 2)
    bare = median_wall([sys.executable, "-c", "pass"], args.runs * 2)
    print(f"cold start  mali-map geocode Kati: median {cold:.3f} s (target <= 0.5 s); "
          f"bare python start {bare:.3f} s, ratio {cold / bare:.1f}x")

    rng = random.Random(2020)
    column, distinct = known_names(gazetteer_factory(), rng)
    one_by_one = gazetteer_factory()
    start = time.perf_counter()
    for name in distinct[:5000]:
        one_by_one.lookup(name)
    single_rate = 5000 / (time.perf_counter() - start)
    for label, names, warm in (("incident column (2,000 names, repeated)", column, False),
                               ("all distinct", distinct, False),
                               ("incident column, warm", column, True)):
        per_second = rate(gazetteer_factory, names, max(1, args.runs // 2), warm=warm)
        print(f"geocode_many 100,000 {label}: median {per_second:,.0f} queries/s (target >= 200,000)")
    print(f"  peer: lookup() one at a time on distinct names: {single_rate:,.0f} queries/s")

    with tempfile.TemporaryDirectory() as folder:
        queries = Path(folder) / "queries.txt"
        queries.write_text("\n".join(column) + "\n", encoding="utf-8")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = subprocess.run([mali_map, "geocode", "--file", str(queries), "--json"],
                                    check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        lines = result.stdout.decode().splitlines()
        assert len(lines) == 100_000 and json.loads(lines[0])["status"] == "ok"
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"CLI geocode --file (100,000 lines) --json: median {statistics.median(times):.2f} s (target < 5 s); "
          f"peak RSS of the CLI {peak_mb:.0f} MB (target < 500 MB)")
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (gazetteers and 200,000 answers held): {own_mb:.0f} MB")


if __name__ == "__main__":
    main()
