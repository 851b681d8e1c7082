"""The outputs of a batch: the checkpoints merged into GeoParquet, a summary map, ``report.md`` and ``run.json``.

Each output is the partitions' files joined in partition order (each already
sorted by source), streamed through one Parquet writer, so the client never holds
more than one partition. Points become a WKB ``geometry`` column with GeoParquet
metadata (lon/lat on WGS84); a row without a point has a null geometry.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import checkpoint
from .checkpoint import OUTPUTS
from .plan import Plan

if TYPE_CHECKING:
    from .run import BatchResult
    from .work import PartitionResult

#: Rows per row group of the merged files: fixed, so the files do not depend on the partitioning.
ROW_GROUP = 65_536
MAP_NAME = "map.html"


def finish(
    out: Path,
    plan: Plan,
    results: Sequence[PartitionResult],
    *,
    seconds: dict[str, float],
    scheduler: str,
    workers: int | None,
    inputs: list[str],
    index_path: Path,
) -> BatchResult:
    from .run import BatchResult

    started = time.perf_counter()
    count = len(plan.partitions)
    written = {name: merge(out, name, count) for name in OUTPUTS}
    seconds["merge"] = time.perf_counter() - started
    started = time.perf_counter()
    from ..render.hexbin import write_summary_map

    map_path = out / MAP_NAME
    write_summary_map(written["incidents"], map_path, title=f"{_total_rows(written['incidents']):,} incidents")
    seconds["map"] = time.perf_counter() - started
    record = run_record(out, plan, results, seconds, scheduler=scheduler, workers=workers, inputs=inputs)
    record["index"] = str(index_path)
    _write_text(out / "run.json", json.dumps(record, indent=1, sort_keys=True) + "\n")
    _write_text(out / "report.md", report_markdown(record))
    outputs = {**written, "map": map_path, "report": out / "report.md", "run": out / "run.json"}
    return BatchResult(out, record, outputs)


def merge(out: Path, name: str, partitions: int) -> Path:
    """``OUT/NAME.parquet``: the partitions' rows in order, as GeoParquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = [checkpoint.part_path(out, i, name) for i in range(partitions)]
    present = [p for p in paths if p.exists()]
    schemas = [pq.read_schema(p) for p in present]
    schemas = [s for s in schemas if len(s)]
    schema = pa.unify_schemas(schemas, promote_options="permissive") if schemas else pa.schema([])
    schema = pa.schema([_not_null_type(f) for f in schema])
    target = out / f"{name}.parquet"
    tmp = target.with_name(f".{target.name}.tmp")
    columns = list(schema)
    final = pa.schema([*columns, pa.field("geometry", pa.binary())], metadata={b"geo": _geo_metadata()})
    writer = pq.ParquetWriter(tmp, final)
    pending: list = []
    pending_rows = 0
    try:
        for path in present:
            table = pq.read_table(path)
            if not table.num_rows:
                continue
            pending.append(_conform(table, schema, final))
            pending_rows += table.num_rows
            while pending_rows >= ROW_GROUP:
                whole = pa.concat_tables(pending)
                writer.write_table(whole.slice(0, ROW_GROUP), row_group_size=ROW_GROUP)
                rest = whole.slice(ROW_GROUP)
                pending, pending_rows = ([rest] if rest.num_rows else []), rest.num_rows
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP)
    finally:
        writer.close()
    tmp.replace(target)
    return target


def _not_null_type(field: Any) -> Any:
    import pyarrow as pa

    return field.with_type(pa.string()) if pa.types.is_null(field.type) else field


def _conform(table: Any, schema: Any, final: Any) -> Any:
    """A partition's table in the merged schema, its lat/lon as a WKB point."""
    import numpy as np
    import pyarrow as pa
    import shapely

    arrays = []
    for field in final:
        if field.name == "geometry":
            continue
        if field.name in table.column_names:
            arrays.append(table[field.name].cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    lat = table["lat"].to_numpy(zero_copy_only=False).astype(float) if "lat" in table.column_names else None
    lon = table["lon"].to_numpy(zero_copy_only=False).astype(float) if "lon" in table.column_names else None
    if lat is None or lon is None:
        geometry = pa.nulls(table.num_rows, pa.binary())
    else:
        points = shapely.points(lon, lat)
        missing = np.isnan(lat) | np.isnan(lon)
        wkb = shapely.to_wkb(points)
        geometry = pa.array([None if m else w for m, w in zip(missing, wkb)], pa.binary())
    arrays.append(geometry)
    return pa.Table.from_arrays(arrays, schema=final)


def _geo_metadata() -> bytes:
    """GeoParquet 1.0 metadata: WKB points on EPSG:4326 (given in full, as readers expect)."""
    from pyproj import CRS

    return json.dumps(
        {
            "version": "1.0.0",
            "primary_column": "geometry",
            "columns": {
                "geometry": {
                    "encoding": "WKB",
                    "geometry_types": ["Point"],
                    "crs": CRS.from_epsg(4326).to_json_dict(),
                }
            },
        }
    ).encode()


def _total_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def run_record(
    out: Path,
    plan: Plan,
    results: Sequence[PartitionResult],
    seconds: dict[str, float],
    *,
    scheduler: str,
    workers: int | None,
    inputs: list[str],
) -> dict:
    """``run.json``: counts, rejects by reason, failed inputs, seconds per stage, peak memory per worker."""
    counts: dict[str, int] = {}
    rejects: dict[str, int] = {}
    failures: list[dict] = []
    stage_seconds: dict[str, float] = {}
    memory: dict[str, float] = {}
    skipped = 0
    for result in results:
        if result.skipped:  # done by an earlier run: its record is in its checkpoint
            skipped += 1
            done = checkpoint.read_done(out, result.index)
        else:
            from dataclasses import asdict

            done = asdict(result)
        for key, value in done["counts"].items():
            counts[key] = counts.get(key, 0) + value
        for key, value in done["rejects"].items():
            rejects[key] = rejects.get(key, 0) + value
        failures += done["failures"]
        for key, value in done["seconds"].items():
            stage_seconds[key] = round(stage_seconds.get(key, 0.0) + value, 3)
        if not result.skipped and done["peak_memory_mb"]:
            worker = done["worker"]
            memory[worker] = round(max(memory.get(worker, 0.0), done["peak_memory_mb"]), 1)
    for name in OUTPUTS:
        counts[f"{name}_rows"] = _total_rows(out / f"{name}.parquet")
    return {
        "inputs": inputs,
        "kind": plan.kind,
        "scheduler": scheduler,
        "workers": workers,
        "partitions": len(plan.partitions),
        "partitions_resumed": skipped,
        "counts": counts,
        "rejects_by_reason": dict(sorted(rejects.items())),
        "failed_inputs": sorted(failures, key=lambda f: f["input"]),
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "seconds_in_tasks": stage_seconds,
        "peak_memory_mb_per_worker": dict(sorted(memory.items())),
        "python": platform.python_version(),
    }


def report_markdown(record: dict) -> str:
    """``report.md``: the run record for a reader."""
    lines = [f"# Batch run: {record['kind']}", ""]
    workers = f", {record['workers']} workers" if record["workers"] else ""
    lines += [
        f"Inputs: {', '.join(record['inputs'])}. Scheduler: {record['scheduler']}{workers}; "
        f"{record['partitions']} partitions ({record['partitions_resumed']} done by an earlier run).",
        "",
        "## Counts",
        "",
        "| what | count |",
        "| --- | --- |",
    ]
    lines += [f"| {key} | {value:,} |" for key, value in sorted(record["counts"].items())]
    lines += ["", "## Rejected rows by reason", ""]
    lines += [f"- {reason}: {count:,}" for reason, count in record["rejects_by_reason"].items()] or ["- none"]
    lines += ["", "## Failed inputs", ""]
    lines += [f"- `{f['input']}`: {f['error']}" for f in record["failed_inputs"]] or ["- none"]
    lines += ["", "## Seconds", ""]
    lines += [f"- {stage}: {value}" for stage, value in record["seconds"].items()]
    lines += [f"- in tasks, {stage}: {value}" for stage, value in sorted(record["seconds_in_tasks"].items())]
    lines += ["", "## Peak memory per worker (MB)", ""]
    lines += [f"- {w}: {mb}" for w, mb in record["peak_memory_mb_per_worker"].items()] or ["- none measured"]
    return "\n".join(lines) + "\n"


def _write_text(path: Path, text: str) -> None:
    from ..fileio import atomic_write_text

    atomic_write_text(path, text)
