"""The candidate ranker: a linear model over what a document says of each reading of a name.

A reading's score is the weighted sum of its features (:data:`FEATURES`, computed by
:func:`mali_map.geoparse.resolve.candidate_features`); the resolver turns the scores of a
name's readings into shares (softmax). The weights are a conditional logit fitted by
``benchmarks/train_ranker.py`` on the even-numbered articles of two public news corpora (LGL and
GeoWebNews, gold toponyms with GeoNames points); the odd-numbered ones are kept for the
benchmark. They live in ``ranker.json`` beside this module: a few numbers, read once, no
model runtime. Without the file the hand-set weights of :data:`HAND_WEIGHTS` apply.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")

#: Km over which a reading's closeness to the text's other places decays (``exp(-km / this)``).
COHERENCE_KM = 300.0

#: The features, in order, with the hand-set weight each had before the ranker was fitted.
_FEATURES_AND_HAND_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("prior", 0.6),  # log10 population + feature rank + own name (3) or other name (-0.5)
    ("in_document_country", 2.5),  # lies in the country the text is about
    ("region_of_document_country", 1.5),  # is a first-level region of that country
    ("in_focus_country", 0.5),  # lies in the --country focus
    ("region_named", 2.0),  # its first-level region is named elsewhere in the text
    ("comma_context", 4.0),  # its region or country follows it after a comma ("Lexington, Ky.")
    ("shared_regions", 0.8),  # other names that could lie in its region (up to 4)
    ("neighbours", 0.7),  # other names' first-pass readings within 150 km (up to 3)
    ("coherence", 0.0),  # exp(-km / COHERENCE_KM) from the centre of the other readings
    ("is_country", 0.0),
    ("is_admin1", 0.0),
    ("is_capital", 0.0),
    ("gazetteer_share", 0.0),  # the gazetteer's own share of this reading for the bare name
    ("in_named_country", 0.0),  # lies in a country the text names (not its main one)
    ("no_population", 0.0),  # a populated place of unknown size
    ("town_with_cue", 0.0),  # a town-level reading of a name the text introduces with "in", "near"
    # a region of the text's country whose name its capital or a city of a million shares ("Washington")
    ("region_beside_great_city", 0.0),
    # other names that could lie in its region, each counted 1 / the number of regions its readings span
    ("specific_regions", 0.0),
    # other names whose first-pass reading lies in its region (up to 4)
    ("picked_region", 0.0),
    # a US county another name of the text names holds it, or it holds a town another name names
    ("county_pair", 0.0),
    # a first-level region outside the text's country (or of a text whose country is unknown)
    ("region_abroad", 0.0),
)
FEATURES: tuple[str, ...] = tuple(name for name, _ in _FEATURES_AND_HAND_WEIGHTS)
HAND_WEIGHTS: tuple[float, ...] = tuple(weight for _, weight in _FEATURES_AND_HAND_WEIGHTS)


@functools.lru_cache(maxsize=1)
def ranker_weights() -> tuple[float, ...]:
    """The fitted weights of :data:`FEATURES` (``ranker.json``), else :data:`HAND_WEIGHTS`."""
    try:
        stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return HAND_WEIGHTS
    weights = stored.get("weights", {})
    if set(weights) != set(FEATURES):
        raise ValueError(f"{WEIGHTS_FILE.name} does not weigh the features {FEATURES}; rebuild it")
    return tuple(float(weights[name]) for name in FEATURES)
