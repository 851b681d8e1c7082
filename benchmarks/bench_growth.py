"""Benchmark: how time and memory grow with the input, 1,000 to 1,000,000 rows.

Four steps, each at 1,000, 10,000, 100,000 and 1,000,000 rows:

- ``geocode``: ``Gazetteer.lookup_many`` on names drawn at random, with repeats,
  from every name of the embedded index (about 200,000 names: at a million
  rows every name comes up, several times);
- ``claims``: ``check_claims`` on one-claim sentences (``bench_claims.py``'s);
- ``incidents``: ``load_incidents_with_rejects`` on an ACLED-like CSV
  (``bench_incidents.py``'s: 1 % of rows geocoded by name, 0.2 % rejected);
- ``map``: ``build_map`` + ``map_html`` on incidents (``bench_map.py``'s).

Each (step, size) runs in a fresh process, so its peak resident memory
(Linux's ``VmHWM``, else ``ru_maxrss`` from ``wait4``) is its own: the input made in memory and the
step itself, on top of the interpreter and the imports. Only the step is timed
(median of 3 runs up to 10,000 rows, one run above). A size is skipped, and the
reason recorded, when it is over the step's limit in :data:`MAX_ROWS` or when
the measured growth projects it past ``--max-seconds`` (or ``--max-mb`` of
memory): the 10-minute budget of ``make bench`` on a shared two-core machine
decides which million-row points are measured.

The fitted exponent is the slope of log(time) over log(rows) by least squares
(1.0: linear; below 1 where fixed costs or repeated names still weigh, as at
small sizes); the slope between the two largest sizes measured is printed too.
The curves go to ``benchmarks/growth.png``::

    .venv/bin/python benchmarks/bench_growth.py [--sizes 1000 10000 100000 1000000] [--steps geocode map]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from recording import figure  # noqa: E402 (benchmarks/ is on the path first)

from mali_map.batch.work import peak_memory_mb  # noqa: E402 (its own peak: Linux VmHWM)

STEPS = ("geocode", "claims", "incidents", "map")
#: The largest size each step runs at in ``make bench``: claim checking and incident loading at a million rows
#: take over a minute each on the two shared cores here (claims: 76 s and 1.75 GB peak, measured once on
#: 2026-11-30; incidents: some 60 s and 4 GB projected), past the 10-minute budget.
#: Geocoding is not projected well (at a million draws the distinct names stop growing), so it runs on.
MAX_ROWS = {"claims": 100_000, "incidents": 100_000}
UNITS = {"geocode": "names", "claims": "claims", "incidents": "rows", "map": "incidents"}


# -- one step, in the child process ---------------------------------------------------------


def _step_geocode(rows: int):
    from mali_map.gazetteer import Gazetteer

    gazetteer = Gazetteer(include_saved=False)
    names = [name for (name,) in gazetteer._connections[0].execute("SELECT DISTINCT name FROM places")]
    rng = random.Random(rows)
    queries = [rng.choice(names) for _ in range(rows)]
    return lambda: Gazetteer(include_saved=False).lookup_many(queries)


def _step_claims(rows: int):
    from bench_claims import claim_sentences

    from mali_map.claims import check_claims
    from mali_map.gazetteer import Gazetteer

    texts = claim_sentences(rows, seed=rows)
    return lambda: check_claims(texts, gazetteer=Gazetteer(include_saved=False))


def _step_incidents(rows: int):
    from bench_incidents import write_export

    from mali_map.incidents import load_incidents_with_rejects

    folder = tempfile.mkdtemp(prefix="mali-map-growth-")
    path = Path(folder) / "acled.csv"
    write_export(path, rows, geocode_share=0.01, bad_share=0.002)
    return lambda: load_incidents_with_rejects(path)


def _step_map(rows: int):
    from bench_map import build_once, incidents

    build_once(incidents(10))  # imports and asset cache out of the timing
    frame = incidents(rows)
    return lambda: build_once(frame)


def run_step(step: str, rows: int, runs: int) -> None:
    """Child: prepare the input, time the step, print the seconds as JSON."""
    action = globals()[f"_step_{step}"](rows)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": statistics.median(times), "peak_mb": peak_memory_mb()}))


# -- the parent: sizes, projection, fit, plot ----------------------------------------------


def measure(step: str, rows: int) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one step at one size, in its own process."""
    runs = 3 if rows <= 10_000 else 1
    command = [sys.executable, str(Path(__file__).resolve()), "--child", step, str(rows), str(runs)]
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH")])),
        },
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{step} at {rows:,} rows failed (exit {child.returncode})")
    measured = json.loads(out.decode().strip().splitlines()[-1])
    # the child's own high-water mark where Linux gives one (ru_maxrss starts at this process's peak)
    peak_mb = measured["peak_mb"] or (
        usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    )
    return measured["seconds"], peak_mb


def projected(points: list[tuple[int, float, float]], rows: int) -> tuple[float, float]:
    """Seconds and MB expected at ``rows`` from the last two points (at least linear growth)."""
    (r1, s1, m1), (r2, s2, m2) = points[-2], points[-1]
    exponent = max(1.0, math.log(s2 / s1) / math.log(r2 / r1)) if s1 > 0 and s2 > 0 else 1.0
    growth_mb = max(0.0, (m2 - m1) / (r2 - r1))
    return s2 * (rows / r2) ** exponent, m2 + growth_mb * (rows - r2)


def slope(points: list[tuple[int, float, float]]) -> float | None:
    """Least-squares slope of log(seconds) over log(rows)."""
    if len(points) < 2:
        return None
    xs, ys = [math.log(r) for r, _, _ in points], [math.log(s) for _, s, _ in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def plot(results: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for step, result in results.items():
        rows = [p[0] for p in result["points"]]
        if not rows:
            continue
        left.loglog(
            rows,
            [p[1] for p in result["points"]],
            "o-",
            label=f"{step} (exponent {result['exponent']:.2f})" if result["exponent"] else step,
        )
        right.semilogx(rows, [p[2] for p in result["points"]], "o-", label=step)
    every = sorted({p[0] for r in results.values() for p in r["points"]})
    if every:
        left.loglog(every, [1e-5 * r for r in every], "k:", linewidth=1, label="linear (10 µs a row)")
    left.set(xlabel="rows", ylabel="seconds", title="Time of the step (log-log)")
    right.set(xlabel="rows", ylabel="MB", title="Peak memory of the process")
    for axes in (left, right):
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument(
        "--no-limits",
        dest="limits",
        action="store_false",
        help="ignore the per-step size limits (the projection still applies)",
    )
    parser.add_argument(
        "--max-seconds", type=float, default=60.0, help="skip a size whose step is projected to take longer"
    )
    parser.add_argument("--max-mb", type=float, default=6000.0, help="skip a size projected to need more memory")
    parser.add_argument("--plot", type=Path, default=HERE / "growth.png")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "ROWS", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_step(args.child[0], int(args.child[1]), int(args.child[2]))
        return 0

    results: dict[str, dict] = {}
    for step in args.steps:
        points: list[tuple[int, float, float]] = []
        skipped: dict[int, str] = {}
        for rows in sorted(args.sizes):
            if len(points) >= 2:
                seconds, mb = projected(points, rows)
                limit = MAX_ROWS.get(step) if args.limits else None
                if limit is not None and rows > limit:
                    skipped[rows] = (
                        f"over this step's limit of {limit:,} rows in `make bench` (projected from "
                        f"the measured growth: {seconds:.0f} s and {mb:,.0f} MB)"
                    )
                elif seconds > args.max_seconds or mb > args.max_mb:
                    skipped[rows] = (
                        f"projected {seconds:.0f} s and {mb:,.0f} MB, over the budget of "
                        f"{args.max_seconds:.0f} s / {args.max_mb:,.0f} MB a point"
                    )
                if rows in skipped:
                    print(f"{step:>9} {rows:>9,}: skipped, {skipped[rows]}", flush=True)
                    continue
            seconds, mb = measure(step, rows)
            points.append((rows, seconds, mb))
            print(
                f"{step:>9} {rows:>9,}: {seconds:8.3f} s  {rows / seconds:>12,.0f} {UNITS[step]}/s  peak {mb:6,.0f} MB",
                flush=True,
            )
        exponent = slope(points)
        last = slope(points[-2:]) if len(points) >= 2 else None
        results[step] = {"points": points, "skipped": skipped, "exponent": exponent, "exponent_last": last}
        if exponent is not None:
            print(
                f"{step:>9}: fitted exponent {exponent:.2f} (between the two largest sizes {last:.2f}; 1.0 = linear)",
                flush=True,
            )
        figure(
            f"growth.{step}",
            f"growth of {step}",
            exponent,
            "exponent",
            better="lower",
            section="growth",
            note=json.dumps(
                {
                    "points": [{"rows": r, "seconds": s, "peak_mb": m} for r, s, m in points],
                    "skipped": {str(k): v for k, v in skipped.items()},
                    "exponent_last": last,
                }
            ),
        )
    plot(results, args.plot)
    print(f"plot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
