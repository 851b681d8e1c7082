"""``mali-map article FILE -o DIR``: a news report -> map, incidents, checked claims, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .options import common_options, settings_from
from .output import counted, emit
from .places import RECOGNISERS
from .textinput import read_report


@click.command()
@click.argument("file", metavar="FILE|-")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    metavar="DIR",
    help="Folder for map.html, incidents.geojson, claims.json and report.md.",
)
@click.option(
    "--recogniser",
    type=click.Choice(RECOGNISERS),
    default="rules",
    show_default=True,
    help="How place names are found (see 'places').",
)
@click.option(
    "--title",
    metavar="T",
    default=None,
    help="Title of the map and the report (default: the main incident, e.g. 'Mutiny in Kati, 18 August 2020').",
)
@common_options
@click.pass_context
def article(ctx: click.Context, file: str, output: str, recogniser: str, title: str | None, **options: Any) -> int:
    """Read a news report (a file, or '-' for stdin) and write its map, incidents, checked claims and
    a report into DIR. Exit 1 if a claim is contradicted, 3 if one depends or is unresolved."""
    settings = settings_from(ctx, options)
    from ..article.outputs import FILES, write_outputs
    from ..outputs import check_outputs

    check_outputs([("-o", Path(output) / name) for name in FILES], [file])  # before any work
    text = read_report(file)
    result = settings.session().process_article(text, recogniser=recogniser, title=title)
    paths = write_outputs(result, output, inputs=[file])
    verdicts = [c.verdict for c in result.claims]
    placed = sorted(
        (i for i in result.incidents if i.place is not None), key=lambda i: i.date.date if i.date else dt.date.max
    )
    layers = list(dict.fromkeys(i.layer for i in placed))  # oldest first
    summary = {
        "output": str(paths["map.html"].parent),
        "title": result.title,
        "files": {k: str(v) for k, v in paths.items()},
        "places": len(result.places),
        "incidents": len(result.incidents),
        "layers": layers,
        "claims": len(result.claims),
        "verdicts": verdicts,
        "notes": result.notes(),
    }
    counts = (
        f"{counted(len(result.places), 'place mention')}, {counted(len(result.incidents), 'incident')} on "
        f"{counted(len(layers), 'layer')} ({'; '.join(layers)}), {counted(len(result.claims), 'claim')}"
    )
    text_lines = [f"wrote {', '.join(str(p) for p in paths.values())}", counts, *result.notes()]
    text_lines += [f"{c.verdict}: {' '.join(c.text.split())} — {c.explanation}" for c in result.claims]
    emit(summary, "\n".join(text_lines), as_json=settings.json)
    from ..vocabulary import Verdict

    return Verdict.exit_code_of(verdicts)
