"""Benchmark: maps of 1,000, 10,000 and 50,000 incidents, ours against plain folium.

For each size, the median over the runs of: build time (``build_map`` +
``map_html``; imports and the asset cache warmed first), the page size, and the
time from navigation to the first incident markers in headless Chromium with
the network cut off. Beside ours, in the same run on the same incidents, the
way a folium user would write it: one ``folium.Marker`` per row (with its notes
as the popup) in a ``FeatureGroup``, and the same inside a ``MarkerCluster``.
Folium's pages link Leaflet and Leaflet.markercluster from CDNs: the browser is
handed the same files from the installed XStatic packages instead (the other
CDN files, not needed for markers, are refused), so both load their scripts
from disk. Folium's popups parse their HTML with jQuery: it is served from
Debian's ``libjs-jquery`` when installed, else by a few lines of ours that do
the same for this one use (``$(html)[0]``). A page that shows no marker within ``--timeout`` seconds is
reported as such: that is its result. For ours, also the time to all
markers (the page's ``data-mm-ready``) and whether every run gave the same bytes. The plain pages take tens of
seconds to build at 50,000, so they run once at sizes of 10,000 and more.

Targets: 50,000 incidents in <= 10 s and <= 20 MB, first markers
<= 5 s; 1,000 incidents in <= 1 s::

    .venv/bin/python benchmarks/bench_map.py [--sizes 1000 10000 50000] [--runs 3] [--no-browser] [--no-peers]
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

from recording import figure, peer

from mali_map.render.snapshot import CHROMIUM_ARGS

CHROMIUM = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")
TARGETS = {50_000: (10.0, 6_000_000, 3.0), 1_000: (1.0, None, None)}
OURS_MARKERS = ".mm-cluster, .mm-incident, .marker-cluster"
PLAIN_MARKERS = ".leaflet-marker-icon"
PEERS = {
    "one `folium.Marker` per row in a `FeatureGroup`": False,
    "one `folium.Marker` per row in a `MarkerCluster`": True,
}


def incidents(count: int, seed: int = 2019):
    """ACLED-like incidents over Mali with notes of a realistic length (about 230 characters)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    types = np.array(
        [
            "Battles",
            "Violence against civilians",
            "Explosions/Remote violence",
            "Protests",
            "Riots",
            "Strategic developments",
        ]
    )
    towns = np.array(["Kati", "Gao", "Mopti", "Tombouctou", "Kidal", "Ségou", "Sikasso", "Ménaka", "Djenné"])
    town = towns[rng.integers(0, len(towns), count)]
    deaths = rng.poisson(2.0, count)
    frame = pd.DataFrame(
        {
            "event_date": pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 12 * 365, count), unit="D"),
            "event_type": types[rng.choice(len(types), count, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05])],
            "sub_event_type": rng.choice(["Armed clash", "Attack", "Remote explosive/landmine/IED"], count),
            "actor1": rng.choice(["JNIM", "ISSP", "Military Forces of Mali (2021-)", "Wagner Group"], count),
            "actor2": rng.choice(["Civilians (Mali)", "Unidentified Armed Group (Mali)"], count),
            "location": town,
            "admin1": rng.choice(["Mopti", "Gao", "Tombouctou", "Segou"], count),
            "fatalities": deaths,
            "geo_precision": rng.choice([1, 2, 3], count, p=[0.6, 0.3, 0.1]),
            "notes": [
                f"On {d % 28 + 1} March, armed men on motorbikes attacked a position near {t}; "
                f"{k} people were killed and several houses and granaries were burned. Residents fled "
                f"to nearby villages. Report {i}."
                for i, (d, t, k) in enumerate(zip(range(count), town, deaths))
            ],
            "source": rng.choice(["Studio Tamani", "Le Journal du Mali; Twitter", "ACLED"], count),
        }
    )
    points = gpd.points_from_xy(rng.uniform(-11.5, 4.0, count), rng.uniform(10.5, 24.5, count))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def build_once(frame) -> tuple[float, str]:
    from mali_map.render import build_map, map_html

    start = time.perf_counter()
    html = map_html(build_map(frame))
    return time.perf_counter() - start, html


def build_plain(frame, *, cluster: bool) -> tuple[float, str]:
    """The plain folium way: a Marker per row with its notes as the popup; seconds and page."""
    import folium
    from folium.plugins import MarkerCluster

    start = time.perf_counter()
    m = folium.Map(location=[17.5, -4.0], zoom_start=5)
    group = folium.FeatureGroup(name="incidents").add_to(m)
    target = MarkerCluster().add_to(group) if cluster else group
    for lat, lon, notes in zip(frame.geometry.y.tolist(), frame.geometry.x.tolist(), frame["notes"]):
        folium.Marker([lat, lon], popup=notes).add_to(target)
    html = m.get_root().render()
    return time.perf_counter() - start, html


def _local_assets() -> dict[str, bytes]:
    """The files folium links from CDNs, by file name, from the installed XStatic packages."""
    import xstatic.pkg.leaflet_markercluster as cluster
    from xstatic.pkg import leaflet

    jquery = Path("/usr/share/javascript/jquery/jquery.min.js")
    files = {"jquery-3.7.1.min.js": jquery.read_bytes() if jquery.exists() else _JQUERY_STAND_IN}
    for base, names in (
        (leaflet.BASE_DIR, ("leaflet.js", "leaflet.css")),
        (cluster.BASE_DIR, ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")),
    ):
        for name in names:
            files[name] = (Path(base) / name).read_bytes()
    return files


#: What folium's popups ask of jQuery, ``$(html)[0]``, when Debian's jQuery is not installed.
_JQUERY_STAND_IN = b"""window.$ = window.jQuery = function (html) {
  var t = document.createElement('template'); t.innerHTML = html.trim(); return [t.content.firstChild];
};"""

_WATCH_FIRST_MARKER = """
  window.__firstMarkerMs = null;
  window.__allMarkersMs = null;
  new MutationObserver(function () {
    if (window.__firstMarkerMs === null && document.querySelector(%r)) {
      window.__firstMarkerMs = performance.now();
    }
    if (window.__allMarkersMs === null && document.body && document.body.hasAttribute('data-mm-ready')) {
      window.__allMarkersMs = performance.now();
    }
  }).observe(document, {subtree: true, childList: true, attributes: true});
"""


def first_markers_s(
    browser, path: Path, selector: str, timeout_s: float, assets: dict[str, bytes]
) -> tuple[float | None, float | None]:
    """Seconds from the page's navigation start to its first marker and, for our pages (which mark
    themselves ``data-mm-ready``), to all of them, on the browser's clock; None for what never came."""

    def route(request_route):
        url = request_route.request.url
        name = url.rsplit("/", 1)[-1]
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        elif name in assets:
            kind = "text/css" if name.endswith(".css") else "application/javascript"
            request_route.fulfill(status=200, body=assets[name], content_type=kind)
        else:
            request_route.abort()

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.route("**/*", route)
        page.add_init_script(_WATCH_FIRST_MARKER % selector)
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_selector(selector, timeout=timeout_s * 1000)
        first_ms = page.evaluate("window.__firstMarkerMs")
        if selector != OURS_MARKERS:
            return first_ms / 1000, None
        page.wait_for_selector("body[data-mm-ready]", timeout=timeout_s * 1000)
        return first_ms / 1000, page.evaluate("window.__allMarkersMs") / 1000
    except Exception as error:  # a timeout, or a page that crashed under its weight: the result is "none"
        print(f"    {path.name}: no marker within {timeout_s:.0f} s ({error.__class__.__name__})", flush=True)
        return None, None
    finally:
        page.close()


def measure(
    build, frame, runs: int, browser, folder: Path, name: str, selector: str, timeout_s: float, assets: dict[str, bytes]
) -> dict[str, float | None]:
    """Median build seconds, page bytes, first- and all-marker seconds (None when a page showed none),
    and whether every run built the same bytes."""
    builds, sizes, firsts, alls, digests = [], [], [], [], set()
    for run in range(runs):
        seconds, html = build(frame)
        builds.append(seconds)
        sizes.append(len(html.encode("utf-8")))
        digests.add(hashlib.sha256(html.encode("utf-8")).hexdigest())
        if browser is not None:
            path = folder / f"{name}_{run}.html"
            path.write_text(html, encoding="utf-8")
            first_s, all_s = first_markers_s(browser, path, selector, timeout_s, assets)
            firsts.append(first_s)
            alls.append(all_s)
            path.unlink()
        del html
    shown = [f for f in firsts if f is not None]
    return {
        "build_s": statistics.median(builds),
        "bytes": statistics.median(sizes),
        "first_s": statistics.median(shown) if shown and len(shown) == len(firsts) else None,
        "all_s": statistics.median(alls) if alls and None not in alls else None,
        "identical": len(digests) == 1,
        "browser": browser is not None,
    }


def _first_text(result) -> str:
    if not result["browser"]:
        return ""
    if result["first_s"] is None:
        return "first markers: none"
    text = f"first markers {result['first_s']:5.2f} s"
    return text + (f"  all {result['all_s']:5.2f} s" if result.get("all_s") is not None else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a page gets to show its first marker")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-peers", action="store_true", help="ours only")
    args = parser.parse_args(argv)

    build_once(incidents(10))  # imports and asset cache out of the timings
    build_plain(incidents(10), cluster=True)
    assets = _local_assets()
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
            ours = measure(
                build_once, frame, args.runs, browser, Path(folder), f"ours_{size}", OURS_MARKERS, args.timeout, assets
            )
            line = f"{size:>6} incidents: ours build {ours['build_s']:6.2f} s  size {ours['bytes'] / 1e6:6.2f} MB  "
            if args.runs > 1:
                line += "identical  " if ours["identical"] else "NOT IDENTICAL  "
                failed |= not ours["identical"]
            print(line + _first_text(ours), flush=True)
            max_s, max_b, max_first = TARGETS.get(size, (None, None, None))
            misses = [
                name
                for name, value, limit in (
                    ("build", ours["build_s"], max_s),
                    ("size", ours["bytes"], max_b),
                    ("first markers", ours["first_s"], max_first),
                )
                if limit is not None and value is not None and value > limit
            ]
            if misses:
                print(f"  MISSED: {', '.join(misses)}", flush=True)
            failed |= bool(misses)
            plain = {}
            if not args.no_peers:
                for label, cluster in PEERS.items():
                    plain[label] = measure(
                        lambda f, c=cluster: build_plain(f, cluster=c),
                        frame,
                        args.runs if size < 10_000 else 1,
                        browser,
                        Path(folder),
                        f"plain_{cluster}_{size}",
                        PLAIN_MARKERS,
                        args.timeout,
                        assets,
                    )
                    result = plain[label]
                    print(
                        f"        peer {label}: build {result['build_s']:6.2f} s  "
                        f"size {result['bytes'] / 1e6:6.2f} MB  {_first_text(result)}",
                        flush=True,
                    )
            _record(size, ours, plain, args.timeout)
            del frame
    if browser is not None:
        browser.close()
        playwright.stop()
    return 1 if failed else 0


def _record(size: int, ours: dict, plain: dict, timeout_s: float) -> None:
    labels = {label: label for label in plain}
    figure(
        f"map.{size}.build",
        f"map of {size:,} incidents: build (`build_map` + `map_html`)",
        ours["build_s"],
        "s",
        better="lower",
        section="maps",
        peers=[peer(labels[k], v["build_s"]) for k, v in plain.items()],
    )
    figure(
        f"map.{size}.size",
        f"map of {size:,} incidents: page size",
        ours["bytes"] / 1e6,
        "MB",
        better="lower",
        section="maps",
        peers=[peer(labels[k], v["bytes"] / 1e6) for k, v in plain.items()],
    )
    if ours["browser"]:
        none = f"no marker within {timeout_s:.0f} s"
        figure(
            f"map.{size}.first_markers",
            f"map of {size:,} incidents: first markers in headless Chromium",
            ours["first_s"],
            "s",
            better="lower",
            section="maps",
            note=None if ours["first_s"] is not None else none,
            peers=[
                peer(labels[k], v["first_s"], note=None if v["first_s"] is not None else none) for k, v in plain.items()
            ],
        )
        if ours.get("all_s") is not None:
            figure(
                f"map.{size}.all_markers",
                f"map of {size:,} incidents: all markers in headless Chromium",
                ours["all_s"],
                "s",
                better="lower",
                section="maps",
                no_peer="plain folium pages do not mark when all their markers are drawn",
            )


if __name__ == "__main__":
    sys.exit(main())
