"""Run every benchmark in this folder, one after the other (``make bench``).

Benchmarks are not tests: they print numbers (medians of several runs, with the
peer measured in the same run) for the README's table. Each runs in its own
process so one's memory does not weigh on the next. The machine and the date
are printed first, since numbers mean little without them.

    .venv/bin/python benchmarks/run_all.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: script -> arguments (full, quick)
BENCHMARKS = {
    "bench_geocode.py": (["--runs", "5"], ["--runs", "2"]),
    "bench_import.py": (["--runs", "5"], ["--runs", "2"]),
    "bench_claims.py": (["--runs", "5"], ["--runs", "2"]),
    "bench_incidents.py": (["--runs", "3"], ["--runs", "1"]),
    "bench_map.py": (["--runs", "3"], ["--runs", "1"]),
    "bench_calibration.py": (["--per-country", "300"], ["--per-country", "100"]),
    "bench_mali_sample.py": ([], []),
    "geoparse.py": (["--recogniser", "all"], ["--recogniser", "rules"]),
}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{datetime.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average {load:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs each")
    args = parser.parse_args()
    print(f"# {machine()}", flush=True)
    failed = []
    for script, (full, quick) in BENCHMARKS.items():
        print(f"\n## {script}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / script), *(quick if args.quick else full)])
        if result.returncode:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
