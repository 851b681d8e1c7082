"""Benchmark: incidents a coder would record, on 40 hand-coded articles (issue 15).

``benchmarks/data/incidents_dev.json`` holds, for the first 20 odd-numbered
articles of ``../shared/bench/lgl.xml`` and of ``gwn.xml``, the incidents an
ACLED-style coder would record (category, place and point, date at the
precision the text gives), coded by hand before the extraction was tuned; its
``selection``, ``scope`` and ``match`` fields say how. Each article goes
through :func:`mali_map.process_article` (LGL texts with their download date on
a first line ``date YYYY-MM-DD``, standing in for the dateline a report's page
shows) and its incidents are matched to the coded ones:

- same article; the found category in the coded one's family (``families``);
- the found place within ``within_km`` (default 50 km) of the coded point, or
  bearing the coded place's name;
- the coded date null, or the found date agreeing at the coded precision;
- each coded incident matched at most once: a second report of one event is a
  false incident.

Precision is matched found incidents over all found; recall is matched coded
incidents over all coded. Beside them, the code before this round, measured in
the same run (:mod:`before`). The corpora are read in place and never copied;
without them the benchmark says so and records nothing::

    .venv/bin/python benchmarks/bench_incidents_dev.py [--verbose] [--no-before] [--package-root DIR --json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV_SET = HERE / "data" / "incidents_dev.json"
BENCH_DIRS = (HERE.parent.parent / "shared" / "bench", Path("/work/shared/bench"))
DEFAULT_KM = 50.0


def bench_dir() -> Path | None:
    return next((d for d in BENCH_DIRS if (d / "lgl.xml").is_file() and (d / "gwn.xml").is_file()), None)


def read_texts(folder: Path, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """``{(corpus, index): text}`` of the coded articles, LGL ones with their download date as a dateline."""
    texts = {}
    for corpus, indices in wanted.items():
        for index, article in enumerate(ET.parse(folder / f"{corpus}.xml").getroot().iter("article")):
            if index not in indices:
                continue
            text = article.findtext("text") or ""
            downloaded = (article.findtext("dltime") or "")[:10]
            texts[(corpus, index)] = f"date {downloaded}\n\n{text}" if downloaded else text
    return texts


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def family_of(category: str, families: dict[str, list[str]]) -> str:
    return next((name for name, members in families.items() if category in members), category)


def matches(found: dict, coded: dict, families: dict[str, list[str]]) -> bool:
    if family_of(found["category"], families) != family_of(coded["category"], families):
        return False
    if found["lat"] is None:
        return False
    near = km((found["lat"], found["lon"]), (coded["lat"], coded["lon"])) <= coded.get("within_km", DEFAULT_KM)
    if not near and (found["place"] or "").casefold() != coded["place"].casefold():
        return False
    return coded["date"] is None or (found["date"] or "").startswith(coded["date"])


def found_incidents(texts: dict[tuple[str, int], str]) -> dict[tuple[str, int], list[dict]]:
    from mali_map import process_article
    from mali_map.gazetteer import open_gazetteer

    gazetteer = open_gazetteer()
    out = {}
    for key, text in texts.items():
        article = process_article(text, gazetteer=gazetteer, country="")
        out[key] = [
            {
                "category": i.category,
                "place": i.place.name if i.place else None,
                "lat": i.place.lat if i.place else None,
                "lon": i.place.lon if i.place else None,
                "date": i.date.iso if i.date else None,
                "description": i.description,
            }
            for i in article.incidents
        ]
    return out


def score(dev: dict, found: dict[tuple[str, int], list[dict]]) -> dict:
    """Precision and recall, with the unmatched incidents of each side (for ``--verbose``)."""
    families = dev["families"]
    matched_found = matched_coded = total_found = total_coded = 0
    false, missed = [], []
    for entry in dev["articles"]:
        key = (entry["corpus"], entry["index"])
        coded, predictions = entry["incidents"], found.get(key, [])
        taken = [False] * len(coded)
        for prediction in predictions:
            hit = next((n for n, c in enumerate(coded) if not taken[n] and matches(prediction, c, families)), None)
            if hit is None:
                false.append((key, prediction))
            else:
                taken[hit] = True
                matched_found += 1
        matched_coded += sum(taken)
        missed += [(key, c) for c, t in zip(coded, taken) if not t]
        total_found += len(predictions)
        total_coded += len(coded)
    return {
        "precision": matched_found / total_found if total_found else 0.0,
        "recall": matched_coded / total_coded if total_coded else 0.0,
        "found": total_found,
        "coded": total_coded,
        "matched": matched_coded,
        "false": false,
        "missed": missed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="ignored (run_all passes it)")
    parser.add_argument("--verbose", action="store_true", help="list the false and the missed incidents")
    parser.add_argument("--no-before", action="store_true", help="do not measure the code before this round")
    parser.add_argument("--package-root", type=Path, default=None, help="the mali_map to measure")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON only (for --package-root)")
    args = parser.parse_args()
    if args.package_root is not None:
        sys.path.insert(0, str(args.package_root))
    else:
        sys.path.insert(0, str(HERE.parent))
    folder = bench_dir()
    if folder is None:
        print("skipped: ../shared/bench/lgl.xml and gwn.xml are absent")
        return 0
    dev = json.loads(DEV_SET.read_text(encoding="utf-8"))
    wanted: dict[str, set[int]] = {}
    for entry in dev["articles"]:
        wanted.setdefault(entry["corpus"], set()).add(entry["index"])
    result = score(dev, found_incidents(read_texts(folder, wanted)))
    if args.json:
        print(json.dumps({k: result[k] for k in ("precision", "recall", "found", "coded", "matched")}))
        return 0
    print(
        f"incidents on {len(dev['articles'])} hand-coded articles: precision {result['precision']:.2f} "
        f"({result['found']} found), recall {result['recall']:.2f} ({result['matched']} of {result['coded']} coded)"
    )
    if args.verbose:
        for (corpus, index), item in result["false"]:
            print(
                f"  false  {corpus} {index}: {item['category']} {item['place']} {item['date']} | "
                f"{item['description'][:90]}"
            )
        for (corpus, index), item in result["missed"]:
            print(f"  missed {corpus} {index}: {item['category']} {item['place']} {item['date']}")
    sys.path.insert(0, str(HERE))
    from before import ROUND_BASE_LABEL, measure_before
    from recording import figure, peer

    old = "not measured (--no-before)" if args.no_before else measure_before(Path(__file__).resolve())
    if isinstance(old, dict):
        print(f"  before: precision {old['precision']:.2f} ({old['found']} found), recall {old['recall']:.2f}")
    else:
        print(f"  before: {old}")
    note = f"{result['coded']} incidents coded by hand in 40 articles (20 LGL, 20 GeoWebNews, odd-numbered)"
    for key, label in (("precision", "precision"), ("recall", "recall")):
        figure(
            f"incidents_dev.{key}",
            f"Incidents a coder would record: {label} on 40 hand-coded articles",
            result[key],
            "",
            section="quality",
            note=f"{note}; {result['found']} found, {result['matched']} matched",
            peers=[
                peer(
                    ROUND_BASE_LABEL,
                    old[key] if isinstance(old, dict) else None,
                    note=None if isinstance(old, dict) else old,
                )
            ],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
