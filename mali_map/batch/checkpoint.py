"""Checkpoints in ``OUT_DIR/.parts``: each finished partition's rows, written so a rerun can skip it.

A partition writes ``part-NNNNN.places.parquet``, ``.incidents.parquet`` and
``.claims.parquet`` (each through a temporary file renamed into place), then
``part-NNNNN.done.json`` with what it did, last and atomically too: a partition
is done exactly when its ``done`` file exists, so a run killed at any moment
(Ctrl-C, a worker lost) leaves either a whole partition or none of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .plan import PARTS

if TYPE_CHECKING:
    from .work import PartitionResult

OUTPUTS = ("places", "incidents", "claims")


def parts_dir(out_dir: Path) -> Path:
    return Path(out_dir) / PARTS


def part_path(out_dir: Path, index: int, name: str) -> Path:
    suffix = "done.json" if name == "done" else f"{name}.parquet"
    return parts_dir(out_dir) / f"part-{index:05d}.{suffix}"


def is_done(out_dir: Path, index: int) -> bool:
    return part_path(out_dir, index, "done").exists()


def write_partition(out_dir: Path, index: int, tables: dict[str, list[dict]], result: PartitionResult) -> None:
    """The partition's rows, sorted by source, then its ``done`` record (last)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = parts_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        rows = sorted(tables.get(name, []), key=source_key)  # stable: the pipeline's own order within a source
        table = pa.table(_columns(rows)) if rows else pa.table({})
        _atomic(part_path(out_dir, index, name), lambda tmp, t=table: pq.write_table(t, tmp))
    record = json.dumps(asdict(result), sort_keys=True)
    _atomic(part_path(out_dir, index, "done"), lambda tmp: Path(tmp).write_text(record, encoding="utf-8"))


def _columns(rows: list[dict]) -> dict[str, list]:
    """Rows as columns, each of one type: numbers with ints and floats mixed become floats, any
    other mix becomes text (a column of a table may hold "12" in one row and 12 in another)."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        kinds = {type(v) for v in values if v is not None}
        if kinds == {int, float}:
            values = [None if v is None else float(v) for v in values]
        elif len(kinds) > 1:
            values = [None if v is None else str(v) for v in values]
        columns[name] = values
    return columns


def read_done(out_dir: Path, index: int) -> dict:
    return json.loads(part_path(out_dir, index, "done").read_text(encoding="utf-8"))


def source_key(row: dict) -> tuple:
    """The stable sort key of every output: file, line (JSON Lines), row (tables), offsets."""

    def number(value: Any) -> int:
        return -1 if value is None else int(value)

    return (
        row["input_file"],
        number(row.get("input_line")),
        number(row.get("input_row")),
        number(row.get("start")),
        number(row.get("end")),
    )


def _atomic(path: Path, write: Callable[..., object]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(str(tmp))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
