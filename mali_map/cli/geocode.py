"""``mali-map geocode QUERY... | --file F``: place names to points."""

from __future__ import annotations

import click

from ..places import Place
from .inputs import gather
from .options import common_options, settings_from
from .output import EXIT_OK, EXIT_UNDECIDED, emit_lines, to_json_line, warn

#: Alternatives below this score are left out of the human output (they stay in --json).
SHOWN_ALTERNATIVE_SCORE = 0.05


@click.command()
@click.argument("queries", nargs=-1)
@click.option("--file", "file", metavar="F", help="Read one query a line ('-' for stdin).")
@common_options
@click.pass_context
def geocode(ctx: click.Context, queries: tuple[str, ...], file: str | None, **options) -> int:
    """Geocode place names: 'Kati', 'Siby, Koulikoro, Mali', 'Gao 50km W', '50 km west of Gao'."""
    settings = settings_from(ctx, options)
    items = gather(queries, file, "place name")
    gazetteer = settings.gazetteer()
    places = gazetteer.lookup_many(items)
    describe = _json_line if settings.json else _text_line
    lines: dict[str, str] = {}  # a query repeated in a file is described once
    missing = 0
    for query, place in zip(items, places):
        if place is None:
            missing += 1
        if query not in lines:
            suggestions = gazetteer.suggest(query) if place is None else ()
            if place is None:
                warn(f"place not found: {query!r}" + (f"; did you mean {', '.join(suggestions)}?" if suggestions else ""))
            lines[query] = describe(query, place, suggestions)
    emit_lines(lines[query] for query in items)
    return EXIT_UNDECIDED if missing else EXIT_OK


def _json_line(query: str, place: Place | None, suggestions: tuple[str, ...]) -> str:
    return to_json_line(found_dict(query, place) if place else not_found_dict(query, suggestions))


def _text_line(query: str, place: Place | None, suggestions: tuple[str, ...]) -> str:
    return _found_line(query, place) if place else f"{query}: not found"


def found_dict(query: str, place: Place) -> dict:
    """The JSON object of a found query."""
    return {"query": query, "status": "ok", **place.to_dict()}


def not_found_dict(query: str, suggestions: tuple[str, ...]) -> dict:
    """The JSON object of a query that matched nothing."""
    fields = dict.fromkeys(("name", "lat", "lon", "country_code", "admin1", "feature", "population",
                            "source", "confidence"))
    return {"query": query, "status": "not_found", **fields, "alternatives": [],
            "suggestions": list(suggestions)}


def _found_line(query: str, place: Place) -> str:
    where = ", ".join(p for p in (place.admin1, place.country_code) if p)
    size = f", pop. {place.population:,}" if place.population else ""
    line = (f"{query}: {place.name} ({where}) {place.lat:.5f}, {place.lon:.5f}  "
            f"{place.feature}{size}  [{place.source}, confidence {place.confidence:.2f}]")
    if place.region_mismatch:
        line += "  (in another region than the query names)"
    others = [f"{a.name} ({a.country_code}) {a.score:.2f}" for a in place.alternatives
              if a.score >= SHOWN_ALTERNATIVE_SCORE]
    if others:
        line += "\n    also possible: " + "; ".join(others)
    outside = [f"{a.name} ({a.country_code})" for a in place.alternatives if a.outside]
    if outside:
        line += "\n    same name outside the country asked for: " + "; ".join(outside)
    return line
