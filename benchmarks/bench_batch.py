"""Benchmark: large archives (issue 19): ``mali-map batch``, the million-row map, distinct-name geocoding.

Sizes, chosen so the whole ``make bench`` fits its ten minutes on a shared two-core machine (documented in
the README's "Large archives" section, with the figures extrapolated where the issue asks for more):

- *articles*: ``--generated`` article-like texts from :func:`generated_articles` plus ``--corpus`` articles
  of the two bench corpora (``../shared/bench``), as JSON Lines, run serially, on one Dask worker and on two
  (a ``distributed.LocalCluster`` of worker processes): articles/s, peak memory per worker, and the
  scheduler's overhead per task (a run of empty tasks);
- *incidents*: an ACLED-like table of ``--table-rows`` rows, a tenth without coordinates
  (:mod:`incident_tables`), on the same three set-ups: rows/s;
- *map*: ``mali-map map`` on a ``--map-rows`` table (a tenth without coordinates): build time, peak memory
  (the whole process), page size and the first view drawn in headless Chromium;
- *geocoding*: ``geocode_many`` on 100,000 distinct names of the index, beside the code before this round
  measured in the same run, and beside the same code with the stored answers read by the Python loop (what an
  install without a C compiler runs: see ``hatch_build.py``), the two loops taking turns; and the time to
  build the index.

    .venv/bin/python benchmarks/bench_batch.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from before import ROUND_BASE_LABEL, measure_before, use_package_root  # noqa: E402
from recording import figure, own_peak_mb, peer, with_own_peak  # noqa: E402

BENCH = Path(os.environ.get("MALI_MAP_BENCH_DIR", ROOT.parent / "shared" / "bench"))
if not (BENCH / "lgl.xml").is_file():
    BENCH = Path("/work/shared/bench")


# -- geocoding ---------------------------------------------------------------------------------------


def geocode_measures(names: int, runs: int) -> dict:
    """Distinct-name ``geocode_many`` rate (fresh gazetteer each run) and the index build time.

    With this round's code, the stored answers' Python loop (``python_loop_rate``) takes turns with
    the compiled one (``rate``) once the first run has loaded the answers."""
    from mali_map.gazetteer import Gazetteer

    conn = Gazetteer(include_saved=False)._connections[0]
    every = sorted({name for (name,) in conn.execute("SELECT name FROM places")})
    distinct = random.Random(2020).sample(every, names)
    rates: dict[str, list[float]] = {"rate": [], "python_loop_rate": []}
    for _ in range(runs):
        for label, measured in rates.items():
            gazetteer = Gazetteer(include_saved=False)
            loaded = _loaded_answers(gazetteer)
            compiled = getattr(loaded, "_compiled", None)
            python_loop = label == "python_loop_rate"
            if python_loop:
                if compiled is None:  # the answers not loaded yet, no compiled loop, or the code before
                    continue
                loaded._compiled = None
            try:
                start = time.perf_counter()
                found = gazetteer.lookup_many(distinct)
                measured.append(names / (time.perf_counter() - start))
            finally:
                if python_loop:
                    loaded._compiled = compiled
            assert found.count(None) == 0
    build_s, build_cpu_s = index_build_seconds()
    measures = {label: statistics.median(values) for label, values in rates.items() if values}
    return {**measures, "build_s": build_s, "build_cpu_s": build_cpu_s}


_BUILD = """
import json, sys, tempfile, time
from pathlib import Path
from mali_map.gazetteer.embedded import build_embedded_index
with tempfile.TemporaryDirectory() as folder:
    start, cpu = time.perf_counter(), time.process_time()
    build_embedded_index(Path(folder) / "places.sqlite")
    print(json.dumps([time.perf_counter() - start, time.process_time() - cpu]))
"""


def index_build_seconds() -> tuple[float, float]:
    """Wall and CPU seconds to build the index, in a fresh process as a first ``mali-map`` run builds it
    (not in this one, whose heap the geocoding runs have grown), from the ``mali_map`` imported here."""
    import mali_map

    env = {**os.environ, "PYTHONPATH": str(Path(mali_map.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", _BUILD], env=env, capture_output=True, text=True, check=True)
    wall_s, cpu_s = json.loads(done.stdout.splitlines()[-1])
    return wall_s, cpu_s


def _loaded_answers(gazetteer):
    """The stored answers this process has loaded (``None`` before, or in code that has none)."""
    try:
        from mali_map.gazetteer import answers
    except ImportError:
        return None
    return answers.packed_answers(gazetteer._connections[0], load=False)


def _python_loop_peer(rate: float | None) -> dict:
    label = "the same code, the stored answers read by the Python loop (no C compiler), in turns"
    if rate is None:
        return peer(label, None, note="not measured: the compiled loop is not built here")
    return peer(label, rate)


# -- articles -----------------------------------------------------------------------------------------

_TOWNS = ("Kati", "Gao", "Mopti", "Sévaré", "Tombouctou", "Kidal", "Ségou", "Ménaka", "Douentza", "Bandiagara")
_EVENTS = (
    "Gunmen attacked an army post in {a} on {d}, killing {n} soldiers.",
    "A roadside bomb struck a convoy near {a} on {d}.",
    "Protesters gathered in {a} on {d} to demand better security.",
    "Residents of {a} said armed men stole cattle on {d}.",
)
_CLAIMS = (
    "{a} lies about {k} km from {b}.",
    "The attack took place less than {k} miles north of {b}.",
    "{a} is some {k} kilometres east of {b}.",
)


def generated_articles(count: int, seed: int = 19) -> list[str]:
    """Article-like texts: a dateline, events in Malian towns with dates, distance claims."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        a, b = rng.sample(_TOWNS, 2)
        day = f"{rng.randint(1, 28)} {rng.choice(('March', 'June', 'October'))} 20{rng.randint(15, 23)}"
        lines = [f"BAMAKO, {day} (Wire) -"]
        for _ in range(rng.randint(3, 8)):
            town = rng.choice(_TOWNS)
            lines.append(rng.choice(_EVENTS).format(a=town, d=day, n=rng.randint(1, 20)))
            if rng.random() < 0.4:
                lines.append(rng.choice(_CLAIMS).format(a=town, b=rng.choice(_TOWNS), k=rng.randint(5, 300)))
        texts.append(" ".join(lines))
    return texts


def corpus_articles(count: int) -> list[str]:
    texts = []
    for name in ("lgl", "gwn"):
        path = BENCH / f"{name}.xml"
        if path.is_file():
            texts += [a.findtext("text") or "" for a in ET.parse(path).getroot().iter("article")]
    return texts[:: max(1, len(texts) // count)][:count] if count else []


def run_setups(inputs: list[str], folder: Path, partitions: int) -> dict:
    """Serial, one worker, two workers: wall seconds and run records."""
    from mali_map.batch import run_batch

    measures = {}
    for label, options in (
        ("serial", {"scheduler": "serial"}),
        ("1 worker", {"scheduler": "local", "workers": 1}),
        ("2 workers", {"scheduler": "local", "workers": 2}),
    ):
        out = folder / label.replace(" ", "_")
        start = time.perf_counter()
        record = run_batch(inputs, out, partitions=partitions, **options).record
        measures[label] = {"seconds": time.perf_counter() - start, "record": record}
    return measures


def task_overhead_s(tasks: int = 200) -> float:
    """Seconds a Dask task costs beyond its work: empty tasks through a two-worker local cluster."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            client.gather(client.map(abs, range(-20, 0)))  # warm
            start = time.perf_counter()
            client.gather(client.map(abs, range(-tasks, 0), pure=False))
            return (time.perf_counter() - start) / tasks


# -- the map --------------------------------------------------------------------------------------------


def map_measures(rows: int, folder: Path) -> dict:
    from incident_tables import write_incidents

    table = write_incidents(folder / "incidents.csv", rows)
    page = folder / "map.html"
    peak_file = folder / "peak-kib"
    start = time.perf_counter()
    subprocess.run(
        with_own_peak(peak_file, "map", str(table), "-o", str(page)),
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    build_s = time.perf_counter() - start
    peak_mb = own_peak_mb(peak_file)
    return {
        "build_s": build_s,
        "peak_mb": peak_mb,
        "page_mb": page.stat().st_size / 1e6,
        "first_view_s": first_view(page),
    }


def first_view(page: Path) -> float | None:
    """Seconds from navigation to the first hexagons drawn, in headless Chromium (None without one)."""
    try:
        from playwright.sync_api import sync_playwright

        from mali_map.render.snapshot import CHROMIUM_ARGS, chromium_path
    except ImportError:
        return None
    chromium = chromium_path()
    if chromium is None:
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        start = time.perf_counter()
        tab.goto(page.as_uri())
        tab.wait_for_selector("body[data-ready]", timeout=60_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


# -- main -------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=200)
    parser.add_argument("--corpus", type=int, default=100)
    parser.add_argument("--table-rows", type=int, default=200_000)
    parser.add_argument("--map-rows", type=int, default=1_000_000)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--only", choices=("geocode", "articles", "incidents", "map"), nargs="+")
    parser.add_argument("--package-root", type=Path, help="measure the mali_map in DIR (geocoding only)")
    parser.add_argument("--json", action="store_true", help="print the geocoding measures as JSON only")
    args = parser.parse_args()
    if args.quick:
        args.generated, args.corpus, args.table_rows, args.map_rows, args.runs = 40, 20, 20_000, 100_000, 1
    if args.package_root is not None:
        use_package_root(args.package_root)
        print(json.dumps(geocode_measures(args.names, args.runs)))
        return
    only = set(args.only or ("geocode", "articles", "incidents", "map"))
    if "geocode" in only:
        ours = geocode_measures(args.names, args.runs)
        old = measure_before(Path(__file__), "--names", str(args.names), "--runs", str(args.runs))
        python_loop = ours.get("python_loop_rate")
        print(
            f"geocode_many {args.names:,} distinct names: {ours['rate']:,.0f}/s"
            f" (the Python loop: {f'{python_loop:,.0f}/s' if python_loop else 'not measured, no compiled loop'});"
            f" before: {old}"
        )
        print(f"index build: {ours['build_s']:.1f} s wall, {ours['build_cpu_s']:.1f} s CPU")
        before_peer = (
            peer(ROUND_BASE_LABEL, old["rate"]) if isinstance(old, dict) else peer(ROUND_BASE_LABEL, None, note=old)
        )
        figure(
            "batch.geocode_many_distinct",
            f"`geocode_many`, {args.names:,} distinct names (stored answers)",
            ours["rate"],
            "names/s",
            peers=[before_peer, _python_loop_peer(python_loop)],
            target="≥ 200,000/s per core",
            goal=(">=", 200_000),
        )
        build_peers = [peer(ROUND_BASE_LABEL, old["build_s"])] if isinstance(old, dict) else []
        figure(
            "batch.index_build",
            "building the offline index (with the stored answers)",
            ours["build_s"],
            "s",
            better="lower",
            peers=build_peers,
            target="< 15 s",
            goal=("<", 15),
            note=f"{ours['build_cpu_s']:.1f} s of CPU",
        )
    with tempfile.TemporaryDirectory(prefix="mali-map-batch-") as tmp:
        folder = Path(tmp)
        if "articles" in only:
            texts = generated_articles(args.generated) + corpus_articles(args.corpus)
            archive = folder / "articles.jsonl"
            archive.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
            measures = run_setups([str(archive)], folder / "articles", partitions=8)
            overhead = task_overhead_s()
            for label, m in measures.items():
                memory = m["record"]["peak_memory_mb_per_worker"]
                print(
                    f"articles ({len(texts)}): {label}: {len(texts) / m['seconds']:.1f}/s "
                    f"({m['seconds']:.1f} s), peak memory per worker {memory}"
                )
                figure(
                    f"batch.articles.{label.replace(' ', '_')}",
                    f"`batch`, {len(texts)} articles ({args.generated} generated, {args.corpus} of the bench "
                    f"corpora), {label}",
                    len(texts) / m["seconds"],
                    "articles/s",
                    note=f"peak memory per worker: {', '.join(f'{v:.0f} MB' for v in memory.values()) or 'n/a'}",
                    no_peer="the serial run beside it is the peer",
                )
            print(f"scheduler overhead per task: {overhead * 1000:.1f} ms")
            figure(
                "batch.task_overhead",
                "Dask scheduler overhead per task (empty tasks, two-worker local cluster)",
                overhead * 1000,
                "ms",
                better="lower",
                no_peer="a fixed cost per partition",
            )
        if "incidents" in only:
            from incident_tables import write_incidents

            table = write_incidents(folder / "table.csv", args.table_rows)
            measures = run_setups([str(table)], folder / "incidents", partitions=4)
            for label, m in measures.items():
                memory = m["record"]["peak_memory_mb_per_worker"]
                print(
                    f"incidents ({args.table_rows:,} rows): {label}: {args.table_rows / m['seconds']:,.0f} rows/s "
                    f"({m['seconds']:.1f} s), peak memory per worker {memory}"
                )
                figure(
                    f"batch.incidents.{label.replace(' ', '_')}",
                    f"`batch`, incident table of {args.table_rows:,} rows (a tenth geocoded by name), {label}",
                    args.table_rows / m["seconds"],
                    "rows/s",
                    note=f"peak memory per worker: {', '.join(f'{v:.0f} MB' for v in memory.values()) or 'n/a'}",
                    no_peer="the serial run beside it is the peer",
                )
        if "map" in only:
            m = map_measures(args.map_rows, folder)
            print(
                f"map of {args.map_rows:,} rows: build {m['build_s']:.1f} s, peak {m['peak_mb']:.0f} MB, "
                f"page {m['page_mb']:.1f} MB, first view {m['first_view_s']} s"
            )
            for key, label, value, unit, target, goal in (
                ("build", "build", m["build_s"], "s", "≤ 30 s", ("<=", 30)),
                ("memory", "peak memory (whole process)", m["peak_mb"], "MB", "≤ 1,000 MB", ("<=", 1000)),
                ("page", "page size", m["page_mb"], "MB", "≤ 10 MB", ("<=", 10)),
                ("first_view", "first view drawn in headless Chromium", m["first_view_s"], "s", "≤ 3 s", ("<=", 3)),
            ):
                figure(
                    f"batch.map.{key}",
                    f"`map` of {args.map_rows:,} incidents (hexagons): {label}",
                    value,
                    unit,
                    better="lower",
                    target=target,
                    goal=goal,
                    no_peer="the issue's target beside it",
                )


if __name__ == "__main__":
    main()
