"""Finding points for incident rows that name a place but give no coordinates.

Each row asks with its most specific query ("Kati, Koulikoro, Mali": place,
then admin1 and country as context). The row's country is a constraint the
gazetteer keeps, so there is no fallback once a country is given; without
one, the bare place name is tried next, because a region spelled differently
in the file than in the gazetteer must not lose an otherwise plain match.
Queries go in batches of distinct texts, so a file that names Gao a thousand
times looks it up once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..places import Place


class BatchGeocoder(Protocol):
    """What we need from a gazetteer: :meth:`mali_map.gazetteer.Gazetteer.lookup_many`."""

    def lookup_many(self, queries: Sequence[str], *, country: str | None = ...) -> list[Place | None]: ...


def queries_for(place: str, admin1: Any = None, country: Any = None) -> tuple[str, ...]:
    """The queries to try for a row, most specific first.

    >>> queries_for("Kati", "Koulikoro", "Mali")
    ('Kati, Koulikoro, Mali',)
    >>> queries_for("Kati", "Koulikoro", None)
    ('Kati, Koulikoro', 'Kati')
    >>> queries_for("Gao", None, "")
    ('Gao',)
    """
    parts = [place.strip()]
    for value in (admin1, country):
        text = _cell_text(value)
        if text and text.lower() not in (p.lower() for p in parts):
            parts.append(text)
    full = ", ".join(parts)
    if _cell_text(country) or full == parts[0]:
        return (full,)
    return (full, parts[0])


def _cell_text(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return "" if text.lower() == "nan" else text


def geocode_queries(
    requests: Sequence[tuple[str, ...]], *, country: str | None, gazetteer: BatchGeocoder | None = None
) -> list[tuple[Place, str] | None]:
    """For each request (queries, best first), the first place found and the query that found it."""
    found: list[tuple[Place, str] | None] = [None] * len(requests)
    depth = max((len(r) for r in requests), default=0)
    for level in range(depth):
        pending = [i for i, r in enumerate(requests) if found[i] is None and len(r) > level]
        distinct = sorted({requests[i][level] for i in pending})
        if not distinct:
            continue
        # Any: mypy does not narrow ``places[query]`` by the ``places.get(query) is not None`` test
        places: dict[str, Any] = dict(zip(distinct, _lookup_many(distinct, country=country, gazetteer=gazetteer)))
        for i in pending:
            query = requests[i][level]
            if places.get(query) is not None:
                found[i] = (places[query], query)
    return found


def _lookup_many(queries: list[str], *, country: str | None, gazetteer: BatchGeocoder | None) -> list[Place | None]:
    if gazetteer is not None:
        return gazetteer.lookup_many(queries, country=country)
    from ..api import geocode_many

    return geocode_many(queries, country=country)
