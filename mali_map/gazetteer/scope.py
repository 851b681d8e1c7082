"""Where an answer may come from: the countries a query allows, and the regions it names.

A query's scope narrows the candidates before ranking (:mod:`.matching`): the
countries of ``--only``, the country a query names (``Kati, Mali``), and, with
no country named, which foreign places a name may send a reader to at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from .matching import Candidate, country_of

#: A place abroad answers a query naming no country by one of its other names (not its main
#: name) only if it is this big, or a capital: "Londres" is London, but "Boni" is no reason
#: to send a reader to Bonn, one of whose many transliterations it is.
FOREIGN_ALTERNATE_MIN_POPULATION = 1_000_000


def answerable(candidates: list[Candidate], focus: str | None, allowed: frozenset[str] | None) -> list[Candidate]:
    """The candidates that may answer: without a named country, a place outside the focus
    matched by an alternate name only when it is prominent (see :data:`FOREIGN_ALTERNATE_MIN_POPULATION`)."""
    if allowed is not None or not focus:
        return candidates
    return [
        c
        for c in candidates
        if c.kind == 0
        or country_of(c) == focus
        or c.feature in ("country", "capital")
        or (c.population or 0) >= FOREIGN_ALTERNATE_MIN_POPULATION
    ]


def country_set(codes: Iterable[str | None] | str | None) -> frozenset[str] | None:
    """Upper-case ISO codes as a set; ``None`` for no codes."""
    if codes is None:
        return None
    if isinstance(codes, str):
        codes = [codes]
    found = frozenset(c.strip().upper() for c in codes if c and c.strip())
    return found or None


def region_meant(country_code: str, key: str) -> str | None:
    """The region of a country a name key stands for: an exact spelling, else a close one."""
    from .regions import region_named, region_names

    named = region_named(country_code, key)
    if named or len(key) < 4:
        return named
    from rapidfuzz import fuzz, process

    best = process.extractOne(key, region_names(country_code), scorer=fuzz.ratio, score_cutoff=85)
    return region_named(country_code, best[0]) if best else None
