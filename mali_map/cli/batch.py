"""``mali-map batch INPUT... -o OUT_DIR``: articles or a large incident table, in parallel on Dask.

A thin command over :func:`mali_map.batch.run_batch`: it parses the options,
runs the batch, and prints what was written (one JSON object with ``--json``).
Ctrl-C stops the run; the partitions already finished stay in OUT_DIR and the
same command resumes from them.
"""

from __future__ import annotations

from typing import Any

import click

from .options import common_options, settings_from
from .output import counted, emit, warn


@click.command("batch")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", required=True, metavar="OUT_DIR", help="The folder to write into.")
@click.option(
    "--scheduler",
    metavar="local|tcp://HOST:PORT|FILE|serial",
    help="Dask scheduler: a local cluster (default when Dask is installed), an address, a scheduler file; or serial.",
)
@click.option("--workers", type=int, metavar="N", help="Worker processes of the local cluster (default: CPUs).")
@click.option("--partitions", type=int, metavar="N", help="Cut the inputs into N partitions (default: by size).")
@common_options
@click.pass_context
def batch(
    ctx: click.Context,
    inputs: tuple[str, ...],
    out_dir: str,
    scheduler: str | None,
    workers: int | None,
    partitions: int | None,
    **options: Any,
) -> int:
    """Process folders or globs of articles (.txt, .jsonl) or one incident table (CSV, Parquet, GeoPackage).

    Writes incidents.parquet, claims.parquet, places.parquet (GeoParquet), map.html,
    report.md and run.json to OUT_DIR; a rerun into OUT_DIR resumes.
    """
    from ..batch import run_batch

    settings = settings_from(ctx, options)
    try:
        result = run_batch(
            list(inputs),
            out_dir,
            scheduler=scheduler,
            workers=workers,
            partitions=partitions,
            country=settings.country,
            only=settings.only,
            gazetteers=settings.gazetteers,
            say=lambda line: click.echo(f"mali-map: {line}", err=True),
        )
    except KeyboardInterrupt:
        click.echo(
            f"mali-map: interrupted; the finished partitions are kept in {out_dir}: "
            "run the same command again to resume",
            err=True,
        )
        raise click.exceptions.Exit(130) from None
    record = result.record
    for failure in record["failed_inputs"][:5]:
        warn(f"failed twice: {failure['input']}: {failure['error']}")
    counts = record["counts"]
    summary = {
        "output": str(result.out_dir),
        **{name: str(path) for name, path in result.outputs.items()},
        "incidents": counts.get("incidents_rows", 0),
        "claims": counts.get("claims_rows", 0),
        "places": counts.get("places_rows", 0),
        "failed": len(record["failed_inputs"]),
        "rejected_by_reason": record["rejects_by_reason"],
    }
    text = (
        f"{result.out_dir}: {counted(summary['incidents'], 'incident')}, {counted(summary['claims'], 'claim')}, "
        f"{counted(summary['places'], 'place')} in {record['partitions']} partitions; "
        f"{counted(summary['failed'], 'failed input')} (see run.json)"
    )
    emit(summary, text, as_json=settings.json)
    return 0
