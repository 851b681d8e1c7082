"""Figures of a geoparser on gold toponyms (LGL, GeoWebNews): recognition and resolution.

- recognition: a predicted name or demonym mention matches a gold toponym when the spans
  overlap (each gold toponym and each prediction matched once); descriptors ("the capital")
  are not scored;
- resolution, over the gold toponyms with a point: the share of *recognised* ones (matched by a
  prediction) placed within 161 km (an unresolved mention counts as wrong: the terms of the
  published tables), the share of *all* of them (a miss counts as wrong), mean and median error
  of those placed;
- honesty: the share of answers at confidence >= 0.9 more than 161 km from the gold toponym
  they match (answers matching no gold toponym are left out: the corpora do not mark every
  place);
- metonymy (GeoWebNews types it): of the recognised toponyms flagged ``metonymic``, the share
  GWN types *Metonymic* (precision), and of those it types so, the share flagged (recall);
- the missing-candidate share: gold toponyms whose right place (within 161 km) is not among
  the candidates the resolver weighs at all (a recognised toponym's own candidates, else those
  of its gold text), so no ranking could have found it.

Works with the code before this round too (``benchmarks/before.py``): it reads only the
``Mention`` fields every version has.
"""

from __future__ import annotations

import math
import statistics

WITHIN_KM = 161.0
CONFIDENT = 0.9


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def match(gold, mentions) -> list[int | None]:
    """For each gold toponym, the index of the name/demonym mention matching it (or ``None``)."""
    used: set[int] = set()
    found: list[int | None] = []
    for start, end, *_ in gold:
        k = next(
            (
                k
                for k, m in enumerate(mentions)
                if k not in used and m.kind != "descriptor" and m.start < end and start < m.end
            ),
            None,
        )
        if k is not None:
            used.add(k)
        found.append(k)
    return found


def figures(articles, parsed, candidates_of=None) -> dict:
    """Every figure of the module docstring for ``articles`` and their ``parsed`` mentions.

    ``candidates_of(text, mention_or_None, gold)`` -> the candidate places weighed for a gold
    toponym (for the missing-candidate share; left out when ``None``).
    """
    true_positive = predicted = gold_total = 0
    pointed = recognised = recognised_within = within = 0
    confident = confident_wrong = 0
    missing = judged_candidates = 0
    errors: list[float] = []
    metonymic_gold = metonymic_flagged = metonymic_both = 0
    for (text, gold), mentions in zip(articles, parsed):
        names = [m for m in mentions if m.kind != "descriptor"]
        predicted += len(names)
        gold_total += len(gold)
        matched = match(gold, mentions)
        true_positive += sum(k is not None for k in matched)
        for (*_, kind), k in zip(gold, matched):
            if k is None:
                continue
            flagged = bool(getattr(mentions[k], "metonymic", False))  # the code before had no such field
            metonymic_gold += kind == "Metonymic"
            metonymic_flagged += flagged
            metonymic_both += flagged and kind == "Metonymic"
        for (start, end, lat, lon, *_), k in zip(gold, matched):
            if math.isnan(lat):
                continue
            pointed += 1
            mention = mentions[k] if k is not None else None
            if candidates_of is not None:
                judged_candidates += 1
                places = candidates_of(text[start:end], mention)
                missing += not any(_km((lat, lon), (p.lat, p.lon)) <= WITHIN_KM for p in places)
            if mention is None:
                continue
            recognised += 1
            if mention.place is None:
                continue
            error = _km((lat, lon), (mention.place.lat, mention.place.lon))
            errors.append(error)
            right = error <= WITHIN_KM
            recognised_within += right
            within += right
            if mention.confidence >= CONFIDENT:
                confident += 1
                confident_wrong += not right
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
        "pointed": pointed,
        "recognised": recognised,
        "recognised_within": recognised_within / recognised if recognised else 0.0,
        "all_within": within / pointed if pointed else 0.0,
        "mean_error_km": statistics.fmean(errors) if errors else float("nan"),
        "median_error_km": statistics.median(errors) if errors else float("nan"),
        "confident": confident,
        "confident_wrong": confident_wrong / confident if confident else float("nan"),
        "metonymy_precision": metonymic_both / metonymic_flagged if metonymic_flagged else float("nan"),
        "metonymy_recall": metonymic_both / metonymic_gold if metonymic_gold else float("nan"),
        "missing_candidates": missing / judged_candidates if judged_candidates else float("nan"),
    }


def judged_mentions(
    articles, parsed, wide: bool | None = None, anchored: bool | None = None
) -> list[tuple[float, bool]]:
    """``(confidence, right)`` of every resolved name or demonym mention: right when it overlaps a gold
    toponym and lies within 161 km of it (gold toponyms without a point are left out). ``wide``: only
    the wide readings (True) or only the others (False), as :mod:`mali_map.geoparse.calibration` splits them;
    ``anchored``: likewise, only the readings the text singles out (True) or only the others (False)."""
    from mali_map.geoparse.calibration import is_wide

    judged = []
    for (_, gold), mentions in zip(articles, parsed):
        for mention in mentions:
            if mention.kind == "descriptor" or mention.place is None:
                continue
            place = mention.place
            if wide is not None and is_wide(place.feature, place.source, mention.kind == "demonym") != wide:
                continue
            if anchored is not None and bool(getattr(mention, "anchored", False)) != anchored:
                continue
            hit = next((g for g in gold if mention.start < g[1] and g[0] < mention.end), None)
            if hit is not None and math.isnan(hit[2]):
                continue
            right = hit is not None and _km((hit[2], hit[3]), (mention.place.lat, mention.place.lon)) <= WITHIN_KM
            judged.append((mention.confidence, right))
    return judged
