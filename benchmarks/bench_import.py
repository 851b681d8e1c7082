"""Benchmark: import a 100,000-row GeoNames dump as a saved gazetteer.

Target (issue "user gazetteers"): at least 50,000 rows/s, peak memory under 500 MB.

Writes a synthetic dump in the 19-column GeoNames layout (Mali-like village
names, coordinates inside Mali, a few alternate names, mostly no population,
as in the real per-country file) to a temporary folder, imports it with
:func:`mali_map.gazetteer.userstore.import_gazetteer` several times into a
temporary data folder, and prints the median rows/s and the peak RSS of the
process (``resource.getrusage``). On a shared machine the wall-clock rate
varies with the load; the rate by CPU time of this process is printed too::

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--runs 5] [--zip]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from recording import figure

_SYLLABLES = (
    "ba",
    "bou",
    "di",
    "dia",
    "do",
    "ga",
    "ka",
    "ko",
    "kou",
    "la",
    "ma",
    "mo",
    "na",
    "ni",
    "ou",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "ti",
    "to",
    "wa",
    "ya",
    "zé",
    "ké",
    "ré",
    "gou",
    "rou",
    "fa",
    "fé",
)
_SUFFIXES = ("", "", "", "bougou", "koro", "dougou", "-Coura", "-Sud", "-Nord", "ra")


def _village_name(rng: random.Random) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(_SUFFIXES)
    return name[:1].upper() + name[1:]


def write_dump(path: Path, rows: int, seed: int = 20240) -> None:
    """A synthetic GeoNames dump of ``rows`` lines (deterministic for a seed)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for n in range(rows):
            name = _village_name(rng)
            ascii_name = name.replace("é", "e")
            alternates = ",".join(_village_name(rng) for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))
            lat = rng.uniform(10.2, 24.9)
            lon = rng.uniform(-12.2, 4.2)
            code = rng.choices(("PPL", "PPLA3", "PPLX", "STM", "HLL"), weights=(90, 3, 2, 3, 2))[0]
            feature_class = "P" if code.startswith("PPL") else ("H" if code == "STM" else "T")
            population = rng.choice((0,) * 8 + (rng.randint(200, 40000),))
            out.write(
                "\t".join(
                    (
                        str(2_450_000 + n),
                        name,
                        ascii_name,
                        alternates,
                        f"{lat:.5f}",
                        f"{lon:.5f}",
                        feature_class,
                        code,
                        "ML",
                        "",
                        f"{rng.randint(1, 10):02d}",
                        "",
                        "",
                        "",
                        str(population),
                        "",
                        str(rng.randint(250, 500)),
                        "Africa/Bamako",
                        "2023-01-01",
                    )
                )
                + "\n"
            )


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zip", action="store_true", help="import the dump from a .zip, as GeoNames ships it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mali-map-bench-") as folder:
        os.environ["MALI_MAP_DATA_DIR"] = str(Path(folder) / "data")
        from mali_map.gazetteer.userstore import import_gazetteer

        dump = Path(folder) / "ML.txt"
        write_dump(dump, args.rows)
        if args.zip:
            archive = Path(folder) / "ML.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(dump, "ML.txt")
            dump = archive
        size_mb = dump.stat().st_size / 1e6
        rates: list[float] = []
        cpu_rates: list[float] = []
        for run in range(1, args.runs + 1):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_gazetteer(dump, "bench")
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            rates.append(report.rows / seconds)
            cpu_rates.append(report.rows / cpu_seconds)
            print(
                f"run {run}: {report.rows:,} rows in {seconds:.2f} s = {report.rows / seconds:,.0f} rows/s "
                f"(CPU {cpu_seconds:.2f} s = {report.rows / cpu_seconds:,.0f} rows/s; "
                f"{len(report.skipped)} skipped)"
            )
        print(
            f"{dump.name} ({size_mb:.1f} MB, {args.rows:,} rows): median {statistics.median(rates):,.0f} rows/s "
            f"over {args.runs} runs (by CPU time {statistics.median(cpu_rates):,.0f} rows/s); "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )
        figure(
            "import.geonames",
            f"`gazetteer import` of a {args.rows:,}-row GeoNames dump",
            statistics.median(rates),
            "rows/s",
            target="≥ 50,000 rows/s",
            goal=(">=", 50_000),
            note=f"{statistics.median(cpu_rates):,.0f} rows/s by CPU time; peak RSS {peak_rss_mb():.0f} MB",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
