"""What a popup and a tooltip show, and in which words.

The page builds popups in the browser from each incident's properties (one popup
object per click, not one per incident: 50,000 prebuilt popups would not load
fast), writing every value with ``textContent`` so hostile text stays text. This
module decides which columns travel to the page and how they are labelled.
"""

from __future__ import annotations

from collections.abc import Iterable

#: (column, label) in popup order; columns missing from a file are skipped.
POPUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("event_date", "Date"),
    ("event_type", "Type"),
    ("sub_event_type", "Sub-type"),
    ("actor1", "Actor"),
    ("actor2", "Other actor"),
    ("location", "Location"),
    ("admin1", "Region"),
    ("fatalities", "Fatalities"),
    ("geo_precision", "Precision"),
    ("geocoded_from", "Placed by name"),
    ("geocode_confidence", "Name match confidence"),
    ("notes", "Notes"),
    ("source", "Source"),
)

#: Columns joined (with " · ") into the hover tooltip, in order.
TOOLTIP_FIELDS: tuple[str, ...] = ("event_date", "event_type", "location")

#: Columns whose values must be whole numbers in the page.
INTEGER_FIELDS = frozenset({"fatalities", "geo_precision"})


def popup_fields(columns: Iterable[str], time_column: str | None = None) -> list[tuple[str, str]]:
    """The (column, label) pairs present in ``columns``, plus the time column if it is another one."""
    present = set(columns)
    fields = [(name, label) for name, label in POPUP_FIELDS if name in present]
    if time_column and time_column in present and all(name != time_column for name, _ in fields):
        fields.insert(0, (time_column, time_column.replace("_", " ").capitalize()))
    return fields


def browser_config(fields: list[tuple[str, str]]) -> dict:
    """The popup and tooltip layout as the page's script reads it."""
    names = {name for name, _ in fields}
    return {
        "fields": [[name, label] for name, label in fields],
        "tooltip": [name for name in TOOLTIP_FIELDS if name in names],
        "title": [name for name in ("event_type", "location") if name in names],
    }
