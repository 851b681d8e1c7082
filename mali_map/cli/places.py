"""``mali-map places FILE|-``: the places a text names, with offsets and coordinates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from .options import common_options, settings_from
from .output import EXIT_OK, EXIT_UNDECIDED, emit_lines, to_json_line
from .textinput import read_report

if TYPE_CHECKING:
    from ..geoparse import Mention

RECOGNISERS = ("rules", "spacy")


@click.command()
@click.argument("file", metavar="FILE|-")
@click.option(
    "--recogniser",
    type=click.Choice(RECOGNISERS),
    default="rules",
    show_default=True,
    help="How names are found: gazetteer rules (no model) or spaCy (the 'spacy' extra).",
)
@common_options
@click.pass_context
def places(ctx: click.Context, file: str, recogniser: str, **options: Any) -> int:
    """List the place mentions of a text (a file, or '-' for stdin): offsets, place, coordinates.
    Exit 3 when a mention could not be resolved."""
    settings = settings_from(ctx, options)
    text = read_report(file)
    mentions = settings.session().geoparse(text, recogniser=recogniser)
    if settings.json:
        emit_lines(to_json_line(m.to_dict()) for m in mentions)
    else:
        emit_lines(table(mentions))
    return EXIT_UNDECIDED if any(m.place is None for m in mentions) else EXIT_OK


def table(mentions: list[Mention]) -> list[str]:
    """The human output: one aligned row per mention."""
    rows = [("span", "text", "place", "cc", "lat", "lon", "feature", "conf")]
    for m in mentions:
        p = m.place
        rows.append(
            (
                f"{m.start}-{m.end}",
                m.text,
                p.name if p else "(unresolved)",
                (p.country_code or "") if p else "",
                f"{p.lat:.4f}" if p else "",
                f"{p.lon:.4f}" if p else "",
                p.feature if p else m.kind,
                f"{m.confidence:.2f}",
            )
        )
    if len(rows) == 1:
        return ["no place names found"]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
