"""How incidents and claims look: colours, marker sizes, precision styles.

Kept in one place because the legend (built here in Python) and the markers (drawn
in the browser) must agree; the browser receives these numbers as configuration.
"""

from __future__ import annotations

import math

from ..vocabulary import Verdict

#: Category colours, distinct for colour-blind readers (Okabe-Ito, then Tableau),
#: dark enough for white cluster counts. Categories past the end share ``OTHER_COLOUR``.
PALETTE: tuple[str, ...] = (
    "#d55e00",  # vermilion
    "#0072b2",  # blue
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#8c564b",  # brown
    "#7f3c8d",  # purple
    "#b8860b",  # dark goldenrod
    "#2f4b7c",  # navy
    "#a05195",  # plum
    "#3a7d44",  # leaf green
)
OTHER_COLOUR = "#666666"

#: Most categories that get a layer of their own; the rest are folded into "Other".
MAX_CATEGORIES = len(PALETTE)

#: Line colour of a checked claim, by verdict.
VERDICT_COLOURS: dict[str, str] = {
    Verdict.SUPPORTED: "#1a9641",
    Verdict.CONTRADICTED: "#d7191c",
    Verdict.DEPENDS: "#e66101",
    Verdict.UNRESOLVED: "#7f7f7f",
}

#: geo_precision (ACLED: 1 the town itself, 2 near a town, 3 a wider area) -> words.
PRECISION_WORDS: dict[int, str] = {
    1: "exact town",
    2: "near a town",
    3: "approximate area",
}

#: How a marker shows its geo_precision, as Leaflet path options: the legend draws these and the
#: page's script applies them (over the defaults: fillOpacity 0.75, weight 1.5); 3 covers anything coarser.
PRECISION_STYLES: dict[int, dict[str, float | str]] = {
    1: {"fillOpacity": 0.75},
    2: {"fillOpacity": 0.4},
    3: {"fillOpacity": 0.12, "weight": 2, "dashArray": "3 3"},
}

#: Marker radius in pixels: BASE + SCALE * sqrt(fatalities), fatalities capped at CAP.
RADIUS_BASE_PX = 4.0
RADIUS_SCALE_PX = 1.6
RADIUS_FATALITIES_CAP = 200


def radius_px(fatalities: float | None) -> float:
    """Marker radius for an incident (area grows with the death toll)."""
    deaths = 0.0 if fatalities is None or fatalities != fatalities else max(0.0, float(fatalities))
    return RADIUS_BASE_PX + RADIUS_SCALE_PX * math.sqrt(min(deaths, RADIUS_FATALITIES_CAP))


def colour_for(index: int) -> str:
    """Colour of the ``index``-th category (0-based, most frequent first)."""
    return PALETTE[index] if index < len(PALETTE) else OTHER_COLOUR


def browser_style() -> dict:
    """The numbers the page's script needs to draw markers as the legend says."""
    return {
        "radius": {"base": RADIUS_BASE_PX, "scale": RADIUS_SCALE_PX, "cap": RADIUS_FATALITIES_CAP},
        "precision": {str(k): v for k, v in PRECISION_WORDS.items()},
        "precisionStyle": {str(k): v for k, v in PRECISION_STYLES.items()},
    }
