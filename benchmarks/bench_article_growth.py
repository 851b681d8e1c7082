"""Benchmark: ``mali-map article``'s work grows linearly with the report (issue 15).

Ordinary reporting: the articles of ``../shared/bench/gwn.xml`` then ``lgl.xml``, one
after the other under one dateline line, cut at each size (default 250,000, 500,000,
1,000,000 and 2,000,000 characters). At each size, CPU seconds of this process for
:func:`mali_map.process_article` and for the four outputs rendered as text (the map
page, GeoJSON, claims JSON, report), after the gazetteer is open. Printed: the seconds,
the slope of log(time) over log(size) (1.0: linear; 2.0: quadratic). Recorded: the
seconds at the largest size (target: 2 MB in at most 10 s) and the slope, beside the
code before this round at the two smallest sizes (the old code took minutes beyond).
Without the corpora it says so and records nothing::

    .venv/bin/python benchmarks/bench_article_growth.py [--sizes 250000 500000 ...] [--no-before]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_DIRS = (HERE.parent.parent / "shared" / "bench", Path("/work/shared/bench"))


def reporting(folder: Path, chars: int) -> str:
    texts = [
        a.findtext("text") or ""
        for corpus in ("gwn", "lgl")
        for a in ET.parse(folder / f"{corpus}.xml").getroot().iter("article")
    ]
    out, n = ["date 2018-04-05\n\n"], 0
    size = len(out[0])
    while size < chars:
        piece = texts[n % len(texts)].strip() + "\n\n"
        out.append(piece)
        size += len(piece)
        n += 1
    return "".join(out)[:chars]


def measure(folder: Path, sizes: list[int]) -> dict[int, float]:
    from mali_map import process_article
    from mali_map.article import outputs
    from mali_map.gazetteer import open_gazetteer

    gazetteer = open_gazetteer()
    process_article("date 2020-08-18\nGunmen attacked Gao.", gazetteer=gazetteer, country="").map()
    seconds = {}
    for size in sizes:
        text = reporting(folder, size)
        start = time.process_time()
        article = process_article(text, gazetteer=gazetteer, country="")
        for writer in (outputs.map_page, outputs.incidents_geojson, outputs.claims_json, outputs.report_markdown):
            writer(article)
        seconds[size] = time.process_time() - start
    return seconds


def slope(seconds: dict[int, float]) -> float:
    xs, ys = [math.log(s) for s in seconds], [math.log(max(t, 1e-6)) for t in seconds.values()]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000, 2_000_000])
    parser.add_argument("--runs", type=int, default=1, help="ignored (run_all passes it)")
    parser.add_argument("--no-before", action="store_true", help="do not measure the code before this round")
    parser.add_argument("--package-root", type=Path, default=None, help="the mali_map to measure")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON only (for --package-root)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.package_root or HERE.parent))
    folder = next((d for d in BENCH_DIRS if (d / "gwn.xml").is_file() and (d / "lgl.xml").is_file()), None)
    if folder is None:
        print("skipped: ../shared/bench/gwn.xml and lgl.xml are absent")
        return 0
    seconds = measure(folder, sorted(args.sizes))
    if args.json:
        print(json.dumps({"seconds": {str(k): v for k, v in seconds.items()}, "slope": slope(seconds)}))
        return 0
    for size, cpu in seconds.items():
        print(f"article on {size:>9,} characters of reporting: {cpu:6.2f} s CPU")
    print(f"slope of log(time) over log(size): {slope(seconds):.2f} (1.0 linear, 2.0 quadratic)")
    sys.path.insert(0, str(HERE))
    from before import ROUND_BASE_LABEL, measure_before
    from recording import figure, peer

    small = [str(s) for s in sorted(args.sizes)[:2]]
    old = (
        "not measured (--no-before)" if args.no_before else measure_before(Path(__file__).resolve(), "--sizes", *small)
    )
    if isinstance(old, dict):
        print(f"  before, at {' and '.join(small)} characters: {old['seconds']}, slope {old['slope']:.2f}")
    else:
        print(f"  before: {old}")
    largest = max(seconds)
    figure(
        "article.growth.largest",
        f"article on {largest / 1e6:g} M characters of ordinary reporting (CPU)",
        seconds[largest],
        "s",
        better="lower",
        target="≤ 10 s for 2 MB",
        note="process_article and the four outputs rendered, after the gazetteer is open",
        no_peer="the code before this round is measured at the two smallest sizes (its slope, below)",
    )
    figure(
        "article.growth.slope",
        "article: slope of log(time) over log(size)",
        slope(seconds),
        "",
        better="lower",
        target="≈ 1 (linear)",
        section="speed",
        peers=[
            peer(
                ROUND_BASE_LABEL,
                old["slope"] if isinstance(old, dict) else None,
                note=None if isinstance(old, dict) else old,
            )
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
