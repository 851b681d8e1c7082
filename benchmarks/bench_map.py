"""Benchmark: build maps of 50,000 and 1,000 synthetic incidents and open them in Chromium.

For each size, prints the medians over the runs of: ``build_map`` + ``map_html`` wall
time (imports and the asset cache warmed first), the page size, and the time from
navigation to the first incident markers (clusters or circles) and to all of them in
headless Chromium with the network cut off; and whether every run gave the same bytes. Targets: 50,000
incidents built in <= 10 s (issue 4), a page of <= 6 MB with first markers <= 3 s
(issue 9); 1,000 incidents in <= 1 s::

    .venv/bin/python benchmarks/bench_map.py [--sizes 50000 1000] [--runs 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

CHROMIUM = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGETS = {50_000: (10.0, 6_000_000, 3.0), 1_000: (1.0, None, None)}


def incidents(count: int, seed: int = 2019):
    """ACLED-like incidents over Mali with notes of a realistic length (about 230 characters)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    types = np.array(["Battles", "Violence against civilians", "Explosions/Remote violence", "Protests",
                      "Riots", "Strategic developments"])
    towns = np.array(["Kati", "Gao", "Mopti", "Tombouctou", "Kidal", "Ségou", "Sikasso", "Ménaka", "Djenné"])
    town = towns[rng.integers(0, len(towns), count)]
    deaths = rng.poisson(2.0, count)
    frame = pd.DataFrame({
        "event_date": pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 12 * 365, count), unit="D"),
        "event_type": types[rng.choice(len(types), count, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05])],
        "sub_event_type": rng.choice(["Armed clash", "Attack", "Remote explosive/landmine/IED"], count),
        "actor1": rng.choice(["JNIM", "ISSP", "Military Forces of Mali (2021-)", "Wagner Group"], count),
        "actor2": rng.choice(["Civilians (Mali)", "Unidentified Armed Group (Mali)"], count),
        "location": town,
        "admin1": rng.choice(["Mopti", "Gao", "Tombouctou", "Segou"], count),
        "fatalities": deaths,
        "geo_precision": rng.choice([1, 2, 3], count, p=[0.6, 0.3, 0.1]),
        "notes": [f"On {d % 28 + 1} March, armed men on motorbikes attacked a position near {t}; "
                  f"{k} people were killed and several houses and granaries were burned. Residents fled "
                  f"to nearby villages. Report {i}." for i, (d, t, k) in enumerate(zip(range(count), town, deaths))],
        "source": rng.choice(["Studio Tamani", "Le Journal du Mali; Twitter", "ACLED"], count),
    })
    points = gpd.points_from_xy(rng.uniform(-11.5, 4.0, count), rng.uniform(10.5, 24.5, count))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def build_once(frame) -> tuple[float, str]:
    from mali_map.render import build_map, map_html

    start = time.perf_counter()
    html = map_html(build_map(frame))
    return time.perf_counter() - start, html


_WATCH_FIRST_MARKER = """
  window.__firstMarkerMs = null;
  window.__allMarkersMs = null;
  new MutationObserver(function () {
    if (window.__firstMarkerMs === null && document.querySelector('.mm-cluster, .mm-incident')) {
      window.__firstMarkerMs = performance.now();
    }
    if (window.__allMarkersMs === null && document.body && document.body.hasAttribute('data-mm-ready')) {
      window.__allMarkersMs = performance.now();
    }
  }).observe(document, {subtree: true, childList: true, attributes: true});
"""


def first_markers_s(browser, path: Path) -> tuple[float, float]:
    """Seconds from the page's navigation start to its first incident marker, and to all of them
    (the page's ``data-mm-ready``), on the browser's clock."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.add_init_script(_WATCH_FIRST_MARKER)
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector(".mm-cluster, .mm-incident", timeout=60_000)
    page.wait_for_selector("body[data-mm-ready]", timeout=60_000)
    first_ms, all_ms = page.evaluate("[window.__firstMarkerMs, window.__allMarkersMs]")
    page.close()
    return first_ms / 1000, all_ms / 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 1_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)

    build_once(incidents(10))  # imports and asset cache out of the timings
    browser = playwright = None
    if not args.no_browser:
        try:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as error:  # no Playwright or no browser: report build numbers only
            print(f"browser timing skipped: {error.__class__.__name__}: {str(error).splitlines()[0]}")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            frame = incidents(size)
            builds, sizes, firsts, alls, digests = [], [], [], [], set()
            for run in range(args.runs):
                seconds, html = build_once(frame)
                builds.append(seconds)
                sizes.append(len(html.encode("utf-8")))
                digests.add(hashlib.sha256(html.encode("utf-8")).hexdigest())
                if browser is not None:
                    path = Path(folder) / f"map_{size}_{run}.html"
                    path.write_text(html, encoding="utf-8")
                    first_s, all_s = first_markers_s(browser, path)
                    firsts.append(first_s)
                    alls.append(all_s)
            build_s, size_b = statistics.median(builds), statistics.median(sizes)
            line = f"{size:>6} incidents: build {build_s:6.2f} s  size {size_b / 1e6:6.2f} MB"
            if firsts:
                line += f"  first markers {statistics.median(firsts):5.2f} s  all {statistics.median(alls):5.2f} s"
            if args.runs > 1:
                line += "  identical" if len(digests) == 1 else "  NOT IDENTICAL"
                failed |= len(digests) != 1
            max_s, max_b, max_first = TARGETS.get(size, (None, None, None))
            misses = [name for name, value, limit in (("build", build_s, max_s), ("size", size_b, max_b),
                      ("first markers", statistics.median(firsts) if firsts else None, max_first))
                      if limit is not None and value is not None and value > limit]
            print(line + (f"  MISSED: {', '.join(misses)}" if misses else ""), flush=True)
            failed |= bool(misses)
    if browser is not None:
        browser.close()
        playwright.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
