"""Fit the candidate ranker's weights (``mali_map/geoparse/ranker.json``) on the even halves of LGL and GWN.

For every gold toponym with a point that the recogniser finds, the readings the resolver weighs
for its name (:func:`mali_map.geoparse.resolve.candidate_features`) form one choice; the readings
within 161 km of the gold point are right. The weights maximise the likelihood of choosing a
right reading (a conditional logit: softmax over the readings of a name, as the resolver scores
them), with a small L2 penalty pulling towards the hand-set weights, by full-batch gradient ascent
(Adam). The second-pass features depend on the first pass's picks, which depend on the weights:
the fit is repeated ``--rounds`` times, each round's features computed with the last weights.

Only the even-numbered articles (0, 2, ...) are read; the odd-numbered ones stay held out for
``benchmarks/geoparse.py``. Needs numpy (already installed with geopandas); the package reads the
result with plain Python.

    .venv/bin/python benchmarks/train_ranker.py [--rounds 2] [--out mali_map/geoparse/ranker.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpora import read_corpora  # noqa: E402
from geoscore import WITHIN_KM, _km  # noqa: E402

#: L2 pull towards the hand-set weights, per choice (a prior on the weights, not a target).
PENALTY = 0.002
STEPS = 1500
LEARNING_RATE = 0.05


def choices(articles, weights) -> list[tuple[list[list[float]], list[bool]]]:
    """``(feature rows, right)`` per recognised gold toponym whose readings hold a right and a wrong one."""
    from mali_map.gazetteer import open_gazetteer
    from mali_map.geoparse import NAME, Geoparser
    from mali_map.geoparse.resolve import candidate_features, document_country
    from mali_map.textnorm import name_key

    parser = Geoparser(open_gazetteer(), country="", calibrate=False)
    found = []
    for text, gold in articles:
        spans = parser.spans(text)
        candidates = {name_key(s.text): parser._span_candidates(s) for s in spans if s.kind == NAME}
        country = document_country(spans, candidates, parser.focus)
        features = candidate_features(spans, candidates, country=country, focus=parser.focus, weights=weights)
        names = [s for s in spans if s.kind == NAME]
        for start, end, lat, lon, *_ in gold:
            if math.isnan(lat):
                continue
            span = next((s for s in names if s.start < end and start < s.end), None)
            if span is None:
                continue
            rows = features.get(name_key(span.text), [])
            right = [_km((lat, lon), (p.lat, p.lon)) <= WITHIN_KM for _, p in rows]
            if any(right) and not all(right):
                found.append(([list(row) for row, _ in rows], right))
    return found


def fit(data, start: tuple[float, ...]) -> tuple[float, ...]:
    """Weights maximising the log-likelihood of a right reading, L2-pulled towards ``start``."""
    import numpy as np

    rows = np.array([row for features, _ in data for row in features], dtype=float)
    right = np.array([r for _, rights in data for r in rights], dtype=float)
    group = np.repeat(np.arange(len(data)), [len(features) for features, _ in data])
    anchor = np.array(start, dtype=float)
    w = anchor.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        scores = rows @ w
        top = np.full(len(data), -np.inf)
        np.maximum.at(top, group, scores)
        e = np.exp(scores - top[group])
        all_sum = np.bincount(group, weights=e, minlength=len(data))
        right_sum = np.bincount(group, weights=e * right, minlength=len(data))
        p_all = e / all_sum[group]
        p_right = e * right / right_sum[group]
        gradient = ((p_right - p_all)[:, None] * rows).sum(axis=0) / len(data) - PENALTY * (w - anchor)
        m = 0.9 * m + 0.1 * gradient
        v = 0.999 * v + 0.001 * gradient**2
        w = w + LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    scores = rows @ w
    top = np.full(len(data), -np.inf)
    np.maximum.at(top, group, scores)
    e = np.exp(scores - top[group])
    likelihood = np.log(np.bincount(group, weights=e * right) / np.bincount(group, weights=e)).mean()
    best = np.zeros(len(data))
    np.maximum.at(best, group, np.where(scores == top[group], right, 0))
    print(f"  {len(data):,} choices, mean log-likelihood {likelihood:.3f}, top reading right {best.mean():.1%}")
    return tuple(float(x) for x in w)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rounds", type=int, default=2)
    arguments.add_argument("--out", type=Path, default=HERE.parent / "mali_map" / "geoparse" / "ranker.json")
    args = arguments.parse_args()
    from mali_map.geoparse.ranker import FEATURES, HAND_WEIGHTS

    corpora = read_corpora()
    if not corpora:
        print("skipped: no corpus in ../shared/bench")
        return 0
    even = [article for articles in corpora.values() for article in articles[0::2]]
    weights = HAND_WEIGHTS
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_}: features with the weights so far")
        weights = fit(choices(even, weights), HAND_WEIGHTS)
    stored = {
        "about": "weights of mali_map.geoparse.ranker.FEATURES, fitted by benchmarks/train_ranker.py on the "
        f"even-numbered articles of {' and '.join(corpora)}",
        "weights": {name: round(w, 4) for name, w in zip(FEATURES, weights)},
    }
    args.out.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")
    for name, w in stored["weights"].items():
        print(f"  {name:<28} {w:+.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
