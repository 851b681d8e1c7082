"""How incidents and claims look: colours, marker sizes, precision styles.

Kept in one place because the legend (built here in Python) and the markers (drawn
in the browser) must agree; the browser receives these numbers as configuration.
"""

from __future__ import annotations

import math

from ..vocabulary import Verdict

#: Colour of the layer that gathers the categories past :data:`MAX_CATEGORIES`. Every other
#: category's colour is fixed by its value (see :mod:`.colours`), the same on every map.
OTHER_COLOUR = "#666666"

#: Most categories that get a layer of their own; the rest are folded into "Other".
MAX_CATEGORIES = 12

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


def browser_style() -> dict:
    """The numbers the page's script needs to draw markers as the legend says."""
    return {
        "radius": {"base": RADIUS_BASE_PX, "scale": RADIUS_SCALE_PX, "cap": RADIUS_FATALITIES_CAP},
        "precision": {str(k): v for k, v in PRECISION_WORDS.items()},
        "precisionStyle": {str(k): v for k, v in PRECISION_STYLES.items()},
    }
