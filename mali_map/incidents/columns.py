"""Which input column means what: ACLED export names and common generic names.

An incident file can call its place ``location`` (ACLED), ``place`` (ours) or
``town``; :func:`recognise` finds, for each of our canonical fields (named as
ACLED names them, the vocabulary most conflict data uses), the first
column whose normalised header matches one of the field's names. The header
words and how headers compare live in :mod:`mali_map.headers`.

>>> layout = recognise(["event_date", "event_type", "location", "latitude", "longitude"])
>>> layout.name, layout.source_of["location"], layout.source_of["event_date"]
('acled', 'location', 'event_date')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..headers import INCIDENT_COLUMNS as FIELD_NAMES, header_key

#: Headers that mark an ACLED export (the full export has about 30 columns).
ACLED_MARKERS = frozenset({"event_date", "event_type", "location"})
#: Properties written by ``mali-map article`` in ``incidents.geojson``.
OWN_MARKERS = frozenset({"date", "place", "description", "category", "precision"})


@dataclass(frozen=True)
class Layout:
    """What an input's columns mean.

    ``name`` is ``acled``, ``incidents`` (our own GeoJSON) or ``generic``;
    ``source_of`` maps each recognised canonical field to the input column
    that holds it.
    """

    name: str
    source_of: dict[str, str]

    @property
    def has_coordinates(self) -> bool:
        return "latitude" in self.source_of and "longitude" in self.source_of

    @property
    def has_place(self) -> bool:
        return "location" in self.source_of


def recognise(headers: Iterable[str]) -> Layout:
    """Map canonical fields to ``headers`` and name the layout."""
    headers = [h for h in headers if h is not None]
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    source_of = {}
    for field, names in FIELD_NAMES.items():
        for name in names:
            if name in by_key:
                source_of[field] = by_key[name]
                break
    # x/y mean coordinates only as a pair, and only when nothing clearer is there.
    if "latitude" not in source_of and "longitude" not in source_of and {"x", "y"} <= set(by_key):
        source_of["latitude"], source_of["longitude"] = by_key["y"], by_key["x"]
    keys = set(by_key)
    if ACLED_MARKERS <= keys:
        name = "acled"
    elif OWN_MARKERS <= keys:
        name = "incidents"
    else:
        name = "generic"
    return Layout(name, source_of)


def resolve_column(name: str, columns: Iterable[str]) -> str:
    """The incidents column a user means by ``name`` (for ``--layer-by`` and ``--time``).

    An exact name wins; then the same header spelled another way ("Event Type");
    then a name that one of our canonical columns was read from ("category" or
    "place" mean ``event_type`` and ``location``). Anything else comes back
    unchanged, for the caller to report with the list of columns.

    >>> resolve_column("category", ["event_date", "event_type", "location"])
    'event_type'
    """
    columns = [str(c) for c in columns]
    if name in columns:
        return name
    key = header_key(name)
    for column in columns:
        if header_key(column) == key:
            return column
    for field, names in FIELD_NAMES.items():
        if key in names and field in columns:
            return field
    return name
