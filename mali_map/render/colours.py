"""Colours of category values, the same on every map.

A value's colour never depends on its rank or its place in the file, so two maps of the
same data (or of two files in a different order) can be read side by side:

- ACLED's six event types have fixed colours from the Okabe-Ito set, which readers with
  the common colour-vision deficiencies can tell apart; each ACLED sub-event type has a
  shade of its event type's colour (darker and lighter steps, fixed by its place in
  ACLED's codebook list);
- the article pipeline's categories (:data:`mali_map.geoparse.events.CATEGORIES`, and the
  outbreak, disaster and displacement words) have fixed colours from Okabe-Ito and Paul
  Tol's muted scheme, close in hue to the ACLED type they resemble;
- any other value gets a colour computed from the value's own text (a hash of its
  case-folded form to a hue, at a lightness dark enough for a white count on a cluster);
- ``--colors FILE`` (:func:`read_colours`) overrides any of them.

Lookups ignore case and surrounding spaces.
"""

from __future__ import annotations

import colorsys
import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import BadInput

#: ACLED event types (codebook 2023) -> colour.
EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#d55e00",  # vermilion
    "Explosions/Remote violence": "#e69f00",  # orange
    "Violence against civilians": "#cc79a7",  # reddish purple
    "Protests": "#0072b2",  # blue
    "Riots": "#56b4e9",  # sky blue
    "Strategic developments": "#009e73",  # bluish green
}

#: ACLED sub-event types, by event type, in the codebook's order.
SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Remote explosive/landmine/IED",
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Looting/property destruction",
        "Arrests",
        "Agreement",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Non-violent transfer of territory",
        "Other",
    ),
}

#: Article categories (the article pipeline's event words) -> colour.
ARTICLE_CATEGORY_COLOURS: dict[str, str] = {
    "coup": "#332288",  # indigo
    "mutiny": "#882255",  # wine
    "explosion": "#e69f00",  # orange, as ACLED's explosions
    "attack": "#d55e00",  # vermilion, as ACLED's battles
    "clash": "#aa4499",  # purple
    "killing": "#cc6677",  # rose
    "arrest": "#0072b2",  # blue
    "protest": "#56b4e9",  # sky blue
    "evacuation": "#44aa99",  # teal
    "deployment": "#009e73",  # bluish green
    "outbreak": "#117733",  # green
    "disaster": "#999933",  # olive
    "displacement": "#8c564b",  # brown
}

#: Rows whose category column is empty.
NOT_RECORDED_COLOUR = "#888888"

#: Lightness steps of a sub-event type's shade of its event type's colour.
_SHADE_STEPS = (0.0, -0.12, 0.1, -0.22, 0.18, -0.3, 0.26, -0.36)
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED = re.compile(r"^[a-zA-Z]{3,30}$")


def _key(value: str) -> str:
    return " ".join(str(value).split()).casefold()


def _shade(colour: str, step: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    lightness = min(0.62, max(0.2, lightness + step))
    return _hex(colorsys.hls_to_rgb(hue, lightness, saturation))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _fixed() -> dict[str, str]:
    table = {_key(k): v for k, v in EVENT_TYPE_COLOURS.items()}
    for event_type, subs in SUB_EVENT_TYPES.items():
        base = EVENT_TYPE_COLOURS[event_type]
        for i, sub in enumerate(subs):
            table.setdefault(_key(sub), _shade(base, _SHADE_STEPS[i % len(_SHADE_STEPS)]))
    for name, colour in ARTICLE_CATEGORY_COLOURS.items():
        table.setdefault(_key(name), colour)
    table[_key("Not recorded")] = NOT_RECORDED_COLOUR
    return table


FIXED_COLOURS: dict[str, str] = _fixed()


def hashed_colour(value: str) -> str:
    """A colour made from the value's own text: the same value, the same colour, on every map."""
    digest = hashlib.sha256(_key(value).encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    saturation = 0.45 + digest[2] / 255 * 0.3
    lightness = 0.32 + digest[3] / 255 * 0.12
    return _hex(colorsys.hls_to_rgb(hue, lightness, saturation))


def colour_of(value: str, overrides: Mapping[str, str] | None = None) -> str:
    """The colour of one category value: the user's, else the fixed palette's, else its hash."""
    key = _key(value)
    if overrides:
        for name, colour in overrides.items():
            if _key(name) == key:
                return colour
    return FIXED_COLOURS.get(key) or hashed_colour(value)


def read_colours(path: str | Path) -> dict[str, str]:
    """``value -> colour`` from a JSON object or a two-column CSV (``value,colour``; a header is
    optional). Colours are ``#rgb``, ``#rrggbb`` or a CSS colour name; anything else is
    :class:`BadInput` naming the entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"--colors: no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"--colors: cannot read {path}: {error}") from None
    pairs: list[tuple[str, object]]
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise BadInput(f"--colors: {path} is not valid JSON: {error}") from None
        if not isinstance(loaded, dict):
            raise BadInput(f'--colors: {path} must hold one JSON object, {{"value": "#rrggbb", ...}}')
        pairs = [(str(k), v) for k, v in loaded.items()]
    else:
        pairs = []
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if len(cells) < 2:
                raise BadInput(f"--colors: {path} line {number}: expected 'value,colour', got {','.join(row)!r}")
            if number == 1 and cells[1].casefold() in ("colour", "color"):
                continue  # a header
            pairs.append((cells[0], cells[1]))
    colours: dict[str, str] = {}
    for value, colour in pairs:
        if not isinstance(colour, str) or not _is_colour(colour.strip()):
            raise BadInput(f"--colors: {path}: {colour!r} for {value!r} is not a colour (#rrggbb or a CSS name)")
        colours[value] = colour.strip()
    return colours


def _is_colour(text: str) -> bool:
    return bool(_HEX.match(text) or _NAMED.match(text))
