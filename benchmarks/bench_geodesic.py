"""Benchmark: geodesic distances, ours against what a user would otherwise write.

On the same random pairs of points over the Sahel, pairs per second of:

- ours: :func:`mali_map.geodesy.inverse_many` (the batch path the claim checker
  uses: one pyproj call on whole arrays, km and bearing);
- a Python loop over ``geopy.distance.geodesic`` (what most scripts do; run on
  the first pairs only, since it is slow, and reported as a rate);
- a bare ``pyproj.Geod(ellps="WGS84").inv`` on the same arrays: the floor.

All three are GeographicLib on WGS84; the answers are checked to agree.
Medians of several runs, taking turns::

    .venv/bin/python benchmarks/bench_geodesic.py [--pairs 1000000] [--loop-pairs 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from recording import alternating_medians, figure, peer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--loop-pairs", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    import numpy as np
    from geopy.distance import geodesic
    from pyproj import Geod

    from mali_map.geodesy import inverse_many

    rng = np.random.default_rng(11)
    lat1, lat2 = rng.uniform(10.0, 25.0, args.pairs), rng.uniform(10.0, 25.0, args.pairs)
    lon1, lon2 = rng.uniform(-12.0, 4.0, args.pairs), rng.uniform(-12.0, 4.0, args.pairs)
    loop = min(args.loop_pairs, args.pairs)
    points1 = list(zip(lat1[:loop].tolist(), lon1[:loop].tolist()))
    points2 = list(zip(lat2[:loop].tolist(), lon2[:loop].tolist()))
    geod = Geod(ellps="WGS84")

    ours_km, _ = inverse_many(lat1, lon1, lat2, lon2)
    looped_km = np.array([geodesic(a, b).km for a, b in zip(points1, points2)])
    _, _, bare_m = geod.inv(lon1, lat1, lon2, lat2)
    if not (np.allclose(ours_km[:loop], looped_km, atol=1e-6) and np.allclose(ours_km, bare_m / 1000, atol=1e-6)):
        raise SystemExit("the three ways disagree on the distances")

    seconds = alternating_medians(
        {
            "ours": lambda: inverse_many(lat1, lon1, lat2, lon2),
            "geopy": lambda: [geodesic(a, b).km for a, b in zip(points1, points2)],
            "bare": lambda: geod.inv(lon1, lat1, lon2, lat2),
        },
        args.runs,
    )
    ours, looped, bare = args.pairs / seconds["ours"], loop / seconds["geopy"], args.pairs / seconds["bare"]
    print(
        f"geodesic distances ({args.pairs:,} pairs; geopy loop on {loop:,}): ours {ours:,.0f} pairs/s, "
        f"geopy.distance.geodesic loop {looped:,.0f} pairs/s ({ours / looped:,.0f}x), "
        f"bare pyproj Geod.inv {bare:,.0f} pairs/s ({ours / bare:.2f}x)"
    )
    figure(
        "geodesic.batch",
        f"geodesic distance and bearing, {args.pairs:,} pairs (`geodesy.inverse_many`)",
        ours,
        "pairs/s",
        peers=[
            peer("Python loop over `geopy.distance.geodesic`", looped, note=f"on the first {loop:,} pairs"),
            peer("bare `pyproj.Geod.inv` on the same arrays (the floor)", bare),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
