"""Run every benchmark in this folder, one after the other (``make bench``).

Benchmarks are not tests: they print numbers (medians of several runs, with the
peer measured in the same run) for the README's tables. Each runs in its own
process so one's memory does not weigh on the next. The machine, the date and
the load average come first, since numbers mean little without them.

A full run writes ``benchmarks/results.json`` (the machine, the date, the load
average before and after, how long each script took, and every figure each
script recorded through :mod:`recording`), ``benchmarks/growth.png``, and then
regenerates the README's benchmark tables from the results
(``readme_table.py``). ``--quick`` (fewer runs, smaller sizes, for trying
changes) writes its results to a temporary folder and leaves the README alone::

    .venv/bin/python benchmarks/run_all.py [--quick] [--only bench_map.py ...]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
#: A full run must fit in 10 minutes on a 2-core machine, from a fresh clone (issue 11).
BUDGET_S = 600
#: script -> arguments (full, quick)
BENCHMARKS = {
    "bench_geocode.py": (["--runs", "5"], ["--runs", "2", "--slow-peer-queries", "5"]),
    "bench_import.py": (["--runs", "5"], ["--runs", "2"]),
    "bench_claims.py": (["--runs", "5"], ["--runs", "2", "--batch", "200000"]),
    "bench_incidents.py": (["--runs", "3"], ["--runs", "1"]),
    "bench_geodesic.py": (["--runs", "5"], ["--runs", "2", "--pairs", "200000", "--loop-pairs", "5000"]),
    "bench_text.py": (["--runs", "3"], ["--runs", "1", "--paragraphs", "500"]),
    "bench_map.py": (["--runs", "3"], ["--runs", "1", "--sizes", "1000", "10000"]),
    "bench_map_search.py": (["--runs", "3"], ["--runs", "1", "--size", "10000"]),
    "bench_growth.py": ([], ["--sizes", "1000", "10000"]),
    "profile_geocode.py": (["--runs", "2"], ["--runs", "1", "--names", "20000"]),
    "bench_calibration.py": (["--per-country", "300"], ["--per-country", "100"]),
    "bench_mali_sample.py": ([], ["--no-before"]),
    "bench_claim_trust.py": ([], ["--pairs", "40", "--no-sweep"]),
    "bench_incidents_dev.py": ([], []),
    "bench_article_growth.py": ([], ["--sizes", "100000", "200000", "400000"]),
    "bench_serve.py": ([], ["--seconds", "5"]),
    "geoparse.py": (["--recogniser", "all", "--runs", "5"], ["--recogniser", "rules", "--runs", "1"]),
    "bench_batch.py": ([], ["--quick"]),
}


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory_gib = round(pages * size / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def load_average() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller sizes; results to a temp folder")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these scripts")
    parser.add_argument("--no-readme", action="store_true", help="do not regenerate the README tables")
    parser.add_argument(
        "--update",
        action="store_true",
        help="with --only: put these scripts' new figures into results.json in place of their old ones",
    )
    args = parser.parse_args()
    if args.update and not args.only:
        parser.error("--update goes with --only")
    scratch = Path(tempfile.mkdtemp(prefix="mali-map-bench-"))
    results_path = scratch / "results.json" if args.quick or args.only else RESULTS

    started = datetime.datetime.now(datetime.UTC)
    results = {
        "date": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_start": load_average(),
        "quick": args.quick,
        "scripts": [],
        "figures": [],
    }
    print(
        f"# {results['date']}, {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"Python {results['machine']['python']}, load average {results['load_average_start']}",
        flush=True,
    )
    failed = []
    clock = time.perf_counter()
    for script, (full, quick) in BENCHMARKS.items():
        if args.only and script not in args.only:
            continue
        print(f"\n## {script}", flush=True)
        record = scratch / f"{script}.jsonl"
        plots = {"bench_growth.py": "growth.png", "bench_calibration.py": "calibration.png"}
        extra = ["--plot", str(scratch / plots[script])] if script in plots and args.quick else []
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(HERE / script), *(quick if args.quick else full), *extra],
            check=False,
            env={**os.environ, "MALI_MAP_BENCH_RECORD": str(record)},
        )
        results["scripts"].append(
            {
                "script": script,
                "seconds": round(time.perf_counter() - start, 1),
                "returncode": done.returncode,
                "load_average_after": load_average(),
            }
        )
        if done.returncode:
            failed.append(script)
        if record.exists():
            results["figures"] += [
                {**json.loads(line), "script": script} for line in record.read_text(encoding="utf-8").splitlines()
            ]
    results["seconds"] = round(time.perf_counter() - clock, 1)
    results["load_average_end"] = load_average()
    results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nall benchmarks: {results['seconds']:.0f} s; results in {results_path}", flush=True)
    if results["seconds"] > BUDGET_S and not (args.quick or args.only):
        print(
            f"warning: over the budget of {BUDGET_S} s for a full run (see the README's Benchmarks section)",
            file=sys.stderr,
        )
    if args.update:
        results_path = RESULTS
        results_path.write_text(json.dumps(updated(results), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"updated {results_path} with the figures of {', '.join(args.only)}", flush=True)
    if not (args.quick or (args.only and not args.update) or args.no_readme):
        import readme_table

        readme_table.main([str(results_path)])
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def updated(partial: dict) -> dict:
    """``results.json`` with the scripts of a partial run (``--only ... --update``) measured anew: their old
    figures and timings replaced, each new figure keeping the date and load it was measured at."""
    whole = json.loads(RESULTS.read_text(encoding="utf-8"))
    rerun = {entry["script"] for entry in partial["scripts"]}
    stamp = {"measured": partial["date"], "load_average_start": partial["load_average_start"]}
    whole["scripts"] = [e for e in whole["scripts"] if e["script"] not in rerun] + [
        {**e, **stamp} for e in partial["scripts"]
    ]
    fresh = {f["key"] for f in partial["figures"]}
    whole["figures"] = [
        f for f in whole["figures"] if f.get("script") not in rerun and f["key"] not in fresh
    ] + partial["figures"]
    whole["updated"] = sorted(set(whole.get("updated", [])) | rerun)
    return whole


if __name__ == "__main__":
    sys.exit(main())
