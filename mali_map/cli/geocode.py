"""``mali-map geocode QUERY... | --file F``: place names to points."""

from __future__ import annotations

from typing import Any

import click

from ..api import geocode_many
from ..errors import BadInput
from ..places import Place
from .inputs import gather
from .options import NegativeNumbersAsArguments, common_options, settings_from
from .output import EXIT_OK, EXIT_UNDECIDED, emit_lines, shorten, to_json_line, warn

#: Alternatives below this score are left out of the human output (they stay in --json).
SHOWN_ALTERNATIVE_SCORE = 0.05


@click.command(cls=NegativeNumbersAsArguments)
@click.argument("queries", nargs=-1)
@click.option("--file", "file", metavar="F", help="Read one query a line ('-' for stdin).")
@common_options
@click.pass_context
def geocode(ctx: click.Context, queries: tuple[str, ...], file: str | None, **options: Any) -> int:
    """Geocode place names: 'Kati', 'Siby, Koulikoro, Mali', 'Gao 50km W', '50 km west of Gao'."""
    settings = settings_from(ctx, options)
    for number, query in enumerate(queries, 1):  # an empty query, an impossible offset or point: bad input, exit 2
        _check_query(query, f"QUERY {number}" if len(queries) > 1 else "QUERY")
    items = gather(queries, file, "place name")
    gazetteer = settings.gazetteer()
    places = geocode_many(items, gazetteer=gazetteer)
    describe = _json_line if settings.json else _text_line
    lines: dict[str, str] = {}  # a query repeated in a file is described once
    missing = 0
    for query, place in zip(items, places):
        if place is None:
            missing += 1
        if query not in lines:
            suggestions = gazetteer.suggest(query) if place is None else ()
            if place is None and (problem := _query_problem(query)):
                warn(f"{shorten(query)!r}: {problem}")
            elif place is None:
                warn(
                    f"place not found: {shorten(query)!r}"
                    + (f"; did you mean {', '.join(suggestions)}?" if suggestions else "")
                )
            lines[query] = describe(query, place, suggestions)
    emit_lines(lines[query] for query in items)
    return EXIT_UNDECIDED if missing else EXIT_OK


def _query_problem(query: str) -> str | None:
    """Why ``query`` cannot be looked up at all (empty, an impossible offset or point), or ``None``."""
    from ..api import as_place, is_coordinate_text
    from ..gazetteer.query import parse_query

    try:
        if is_coordinate_text(query):
            as_place(query)
        else:
            parse_query(query)
    except BadInput as error:
        return str(error)
    return None


def _check_query(query: str, where: str) -> None:
    problem = _query_problem(query)
    if problem:
        raise BadInput(problem, where=where)


def _json_line(query: str, place: Place | None, suggestions: tuple[str, ...]) -> str:
    return to_json_line(found_dict(query, place) if place else not_found_dict(query, suggestions))


def _text_line(query: str, place: Place | None, suggestions: tuple[str, ...]) -> str:
    return _found_line(query, place) if place else f"{shorten(query)}: not found"


def found_dict(query: str, place: Place) -> dict:
    """The JSON object of a found query."""
    return {"query": query, "status": "ok", **place.to_dict()}


def not_found_dict(query: str, suggestions: tuple[str, ...]) -> dict:
    """The JSON object of a query that matched nothing."""
    fields = dict.fromkeys(
        ("name", "lat", "lon", "country_code", "admin1", "feature", "population", "source", "confidence")
    )
    return {
        "query": shorten(query, 1000),
        "status": "not_found",
        **fields,
        "alternatives": [],
        "suggestions": list(suggestions),
    }


def _found_line(query: str, place: Place) -> str:
    if place.feature == "coordinates":
        return f"{query}: {place.lat:.5f}, {place.lon:.5f}  coordinates (read as latitude, longitude)"
    size = f", pop. {place.population:,}" if place.population else ""
    line = (
        f"{query}: {_named(place.name, place.admin1, place.country_code)} {place.lat:.5f}, {place.lon:.5f}  "
        f"{place.feature}{size}  [{place.source}, confidence {place.confidence:.2f}]"
    )
    if place.region_mismatch:
        line += "  (in another region than the query names)"
    others = [
        f"{_named(a.name, a.country_code)} {a.score:.2f}"
        for a in place.alternatives
        if a.score >= SHOWN_ALTERNATIVE_SCORE
    ]
    if others:
        line += "\n    also possible: " + "; ".join(others)
    outside = [f"{a.name} ({a.country_code})" for a in place.alternatives if a.outside]
    if outside:
        line += "\n    same name outside the country asked for: " + "; ".join(outside)
    return line


def _named(name: str, *where: str | None) -> str:
    """``Kati (Koulikoro, ML)``; just the name when nothing is known of where it is."""
    known = ", ".join(part for part in where if part)
    return f"{name} ({known})" if known else name
