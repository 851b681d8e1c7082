"""Benchmark: load a 50,000-row ACLED export with :func:`load_incidents_with_rejects`.

Writes a synthetic export in ACLED's column layout (dates such as "22 February
2019", coordinates inside Mali, notes of a realistic length, some quoted notes
with commas) to a temporary folder. By default 1 % of the rows name a town but
give no coordinates (geocoded with the embedded gazetteer: a dozen distinct
names) and 0.2 % have a latitude out of range (rejected). Prints the median
wall-clock and CPU time over the runs, rows/s, and the peak RSS::

    .venv/bin/python benchmarks/bench_incidents.py [--rows 50000] [--runs 3] [--no-geocode]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from recording import figure

HEADER = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
)
TOWNS = (
    "Kati",
    "Bamako",
    "Gao",
    "Mopti",
    "Timbuktu",
    "Segou",
    "Sikasso",
    "Kidal",
    "Menaka",
    "Djenne",
    "Bandiagara",
    "Koutiala",
)
EVENT_TYPES = (
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Looting/property destruction"),
    ("Riots", "Mob violence"),
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def write_export(path: Path, rows: int, *, geocode_share: float, bad_share: float, seed: int = 2019) -> None:
    """A synthetic ACLED export of ``rows`` events (deterministic for a seed)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            event_type, sub_type = rng.choice(EVENT_TYPES)
            year = rng.randint(2012, 2023)
            town = rng.choice(TOWNS)
            lat, lon = f"{rng.uniform(10.2, 24.9):.4f}", f"{rng.uniform(-12.2, 4.2):.4f}"
            draw = rng.random()
            if draw < geocode_share:
                lat = lon = ""
            elif draw < geocode_share + bad_share:
                lat = "95.0"
            notes = (
                f"On {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}, armed men attacked a position near "
                f"{town}, {rng.choice(('Mopti', 'Gao', 'Segou'))} region; casualties were reported, "
                f"and {rng.randint(2, 40)} people fled to nearby villages."
            )
            writer.writerow(
                (
                    f"MLI{n + 1}",
                    f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}",
                    year,
                    1,
                    "Political violence",
                    event_type,
                    sub_type,
                    "Military Forces of Mali",
                    "Unidentified Armed Group (Mali)",
                    466,
                    "Western Africa",
                    "Mali",
                    "Mopti",
                    town,
                    town,
                    town,
                    lat,
                    lon,
                    rng.choice((1, 1, 1, 2, 3)),
                    "Test Wire",
                    "National",
                    notes,
                    rng.choice((0, 0, 0, 1, 2, 5)),
                    1700000000,
                )
            )


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-geocode", action="store_true", help="every row has coordinates")
    args = parser.parse_args(argv)

    from mali_map.incidents import load_incidents_with_rejects

    with tempfile.TemporaryDirectory(prefix="mali-map-bench-") as folder:
        export = Path(folder) / "acled.csv"
        write_export(export, args.rows, geocode_share=0.0 if args.no_geocode else 0.01, bad_share=0.002)
        size_mb = export.stat().st_size / 1e6
        walls, cpus = [], []
        for run in range(1, args.runs + 1):
            started, cpu_started = time.perf_counter(), time.process_time()
            loaded = load_incidents_with_rejects(export)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            walls.append(wall)
            cpus.append(cpu)
            geocoded = int(loaded.incidents["geocoded_from"].notna().sum())
            print(
                f"run {run}: {len(loaded.incidents):,} incidents ({geocoded:,} geocoded), "
                f"{len(loaded.rejects):,} rejected in {wall:.2f} s (CPU {cpu:.2f} s)"
            )
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"{export.name} ({size_mb:.1f} MB, {args.rows:,} rows): median {wall:.2f} s = "
            f"{args.rows / wall:,.0f} rows/s over {args.runs} runs "
            f"(CPU {cpu:.2f} s = {args.rows / cpu:,.0f} rows/s); "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )
        figure(
            "incidents.load",
            f"load {args.rows:,} ACLED rows (`load_incidents_with_rejects`; "
            f"{geocoded:,} geocoded by name, {len(loaded.rejects):,} rejected)",
            args.rows / wall,
            "rows/s",
            note=f"median {wall:.2f} s; peak RSS {peak_rss_mb():.0f} MB",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
