"""What a batch run will do: its inputs, cut into partitions, and a fingerprint to resume by.

Articles are units of work: a ``.txt`` file, or one line of a ``.jsonl`` file
(found by byte offset, so the client never holds an archive's texts). A large
incident table is staged once into ``OUT_DIR/.parts/input.parquet``, read in
Arrow batches and written as text columns with one row group per partition, so
each worker reads only its own rows.

Partitions are contiguous runs of units in a fixed order (files sorted by path,
lines in file order), which is what makes the outputs independent of the
partitioning: each partition's rows are sorted by source, and the partitions are
joined in order.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BadInput

if TYPE_CHECKING:
    from ..incidents.readers import RawTable

ARTICLE_SUFFIXES = (".txt", ".jsonl")
TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".gpkg", ".geojson")
#: The JSON Lines fields that may hold an article's text, in order of preference.
TEXT_FIELDS = ("text", "body", "content", "article")
PARTS = ".parts"
STAGED_TABLE = "input.parquet"
#: Rows per partition of an incident table when ``--partitions`` is not given.
TABLE_ROWS_PER_PARTITION = 100_000
#: Articles per partition when ``--partitions`` is not given.
ARTICLES_PER_PARTITION = 50


@dataclass(frozen=True)
class Unit:
    """One article: a file, or the line of a JSON Lines file starting at byte ``offset``."""

    path: str
    line: int | None = None
    offset: int = 0
    length: int = -1
    label: str = ""  # how reports name it: ``FILE``, ``FILE:LINE``, or the table's ``FILE rows A-B``


@dataclass
class Plan:
    """The partitions of a run: article units, or row groups of the staged table."""

    kind: str  # "articles" or "table"
    partitions: list[list[Unit]] = field(default_factory=list)
    table: str | None = None  # the input table (kind "table")
    table_kind: str = "csv"
    rows: int = 0
    options: dict = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Changes whenever the inputs, their partitioning or the options change (a resume must not mix runs)."""
        stamp: list[Any] = [
            self.kind,
            self.table,
            self.rows,
            self.options,
            [[asdict(u) for u in p] for p in self.partitions],
        ]
        files = sorted({u.path for p in self.partitions for u in p} | ({self.table} if self.table else set()))
        stamp.append([(f, os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files])
        return hashlib.sha256(json.dumps(stamp, sort_keys=True, default=str).encode()).hexdigest()[:16]


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Folders (searched recursively), globs and files, as one sorted list of files."""
    found: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        elif path.is_file():
            found.add(path)
        else:
            matches = [Path(m) for m in glob.glob(item, recursive=True) if Path(m).is_file()]
            if not matches:
                raise BadInput(f"no such file, folder or matching files: {item}")
            found.update(matches)
    if not found:
        raise BadInput(f"no article files (.txt, .jsonl) in {', '.join(inputs)}")
    for path in found:
        if not os.access(path, os.R_OK):
            raise BadInput(f"cannot read {path}")
    return sorted(found, key=lambda p: str(p))


def plan_run(inputs: list[str], out_dir: Path, *, partitions: int | None, options: dict) -> Plan:
    """The plan for ``inputs``: articles, or one incident table (staged into ``out_dir``)."""
    files = expand_inputs(inputs)
    tables = [f for f in files if f.suffix.lower() in TABLE_SUFFIXES]
    if tables:
        if len(files) > 1:
            raise BadInput("give one incident table, or article files (.txt, .jsonl), not both or several tables")
        return _table_plan(tables[0], out_dir, partitions=partitions, options=options)
    odd = [f for f in files if f.suffix.lower() not in ARTICLE_SUFFIXES]
    if odd:
        raise BadInput(f"not an article (.txt, .jsonl) or incident table (.csv, .parquet, .gpkg): {odd[0]}")
    units = [unit for f in files for unit in _units(f)]
    if not units:
        raise BadInput(f"no articles in {', '.join(inputs)}")
    count = partitions or max(1, -(-len(units) // ARTICLES_PER_PARTITION))
    return Plan("articles", _split(units, count), options=options)


def _units(path: Path) -> list[Unit]:
    if path.suffix.lower() == ".txt":
        return [Unit(str(path), label=str(path))]
    units, offset = [], 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                units.append(Unit(str(path), number, offset, len(line), f"{path}:{number}"))
            offset += len(line)
    return units


def _split(units: list, count: int) -> list[list]:
    count = max(1, min(count, len(units)))
    size, extra = divmod(len(units), count)
    parts, start = [], 0
    for n in range(count):
        stop = start + size + (n < extra)
        parts.append(units[start:stop])
        start = stop
    return parts


def read_unit(unit: Unit) -> str:
    """The text of an article unit (a JSON Lines record's text field)."""
    if unit.line is None:
        from ..fileio import read_text

        return read_text(unit.path)[0]
    with open(unit.path, "rb") as handle:
        handle.seek(unit.offset)
        record = json.loads(handle.read(unit.length))
    if isinstance(record, str):
        return record
    if isinstance(record, dict):
        for name in TEXT_FIELDS:
            if isinstance(record.get(name), str):
                return record[name]
    raise BadInput(f"no text field ({', '.join(TEXT_FIELDS)}) in line {unit.line}", where=unit.path)


# -- incident tables ------------------------------------------------------------------------


def _table_plan(path: Path, out_dir: Path, *, partitions: int | None, options: dict) -> Plan:
    """Stage the table as text columns (plus ``__row`` and, for geographic formats, the point) in row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    staged = out_dir / PARTS / STAGED_TABLE
    plan = Plan("table", table=str(path), options=options)
    batches, kind = _table_batches(path)
    plan.table_kind = kind
    marker = staged.with_suffix(".fingerprint")
    source_stamp = f"{path.resolve()}:{os.stat(path).st_size}:{os.stat(path).st_mtime_ns}:{partitions}"
    if not (staged.exists() and marker.exists() and marker.read_text() == source_stamp):
        _stage(batches, staged, partitions=partitions, pa=pa, pq=pq)
        marker.write_text(source_stamp)
    metadata = pq.ParquetFile(staged).metadata
    plan.rows = metadata.num_rows
    first = 1
    for group in range(metadata.num_row_groups):
        last = first + metadata.row_group(group).num_rows - 1
        plan.partitions.append([Unit(str(staged), line=group, label=f"{path} rows {first}-{last}")])
        first = last + 1
    return plan


def _stage(batches: Iterable[Any], staged: Path, *, partitions: int | None, pa: Any, pq: Any) -> tuple[int, int]:
    """Write the staged table: every column as text, fixed-size row groups; returns (rows, row groups)."""
    from ..fileio import remove_if_exists

    staged.parent.mkdir(parents=True, exist_ok=True)
    tmp = staged.with_name(staged.name + ".tmp")
    writer = None
    pending: list = []
    pending_rows = rows = groups = 0
    per_group = TABLE_ROWS_PER_PARTITION
    if partitions:
        batches = list(batches)  # the row count must be known to cut N partitions
        total = sum(b.num_rows for b in batches)
        per_group = max(1, -(-total // partitions))

    def flush(final: bool) -> None:
        nonlocal writer, pending, pending_rows, groups
        if not pending:
            return
        table = pa.Table.from_batches(pending)
        while table.num_rows >= per_group or (final and table.num_rows):
            part, table = table.slice(0, per_group), table.slice(per_group)
            if writer is None:
                writer = pq.ParquetWriter(tmp, part.schema)
            writer.write_table(part, row_group_size=per_group)
            groups += 1
        pending = [table.combine_chunks().to_batches()[0]] if table.num_rows else []
        pending_rows = table.num_rows

    for batch in batches:
        batch = _with_row_numbers(batch, rows, pa)
        rows += batch.num_rows
        pending.append(batch)
        pending_rows += batch.num_rows
        if pending_rows >= per_group:
            flush(False)
    flush(True)
    if writer is None:
        raise BadInput("no rows in the incident table")
    writer.close()
    os.replace(tmp, staged)
    remove_if_exists(tmp)
    return rows, groups


def _with_row_numbers(batch: Any, first: int, pa: Any) -> Any:
    """The batch's columns as text (as a CSV export has them), with ``__row``: 1-based record numbers."""
    import pyarrow.compute as pc

    columns, names = [], []
    for name, column in zip(batch.schema.names, batch.columns):
        if name in ("__lat", "__lon"):
            columns.append(column)
        else:
            columns.append(column if pa.types.is_string(column.type) else pc.cast(column, pa.string()))
        names.append(name)
    columns.append(pa.array(range(first + 1, first + 1 + batch.num_rows), pa.int64()))
    names.append("__row")
    return pa.RecordBatch.from_arrays(columns, names=names)


def _table_batches(path: Path) -> tuple[Iterable[Any], str]:
    """Arrow record batches of the table, and its kind (``csv`` or ``geo``: points in ``__lat``/``__lon``)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return _csv_batches(path), "csv"
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        file = pq.ParquetFile(path)
        if b"geo" not in (file.schema_arrow.metadata or {}):
            return file.iter_batches(batch_size=65_536), "csv"
    # GeoPackage, GeoJSON, GeoParquet: read through the incident reader, whole (documented limit)
    import pyarrow as pa

    from ..incidents.readers import read_table

    table = read_table(path) if suffix != ".parquet" else _geoparquet_table(path)
    frame = table.frame.astype(str).where(table.frame.notna(), None)
    frame["__lat"] = table.point_lat
    frame["__lon"] = table.point_lon
    return pa.Table.from_pandas(frame, preserve_index=False).to_batches(65_536), "geo"


def _geoparquet_table(path: Path) -> RawTable:
    import geopandas

    from ..incidents.readers import _from_geodataframe

    return _from_geodataframe(geopandas.read_parquet(path).to_crs("EPSG:4326"), str(path), "gpkg")


def _csv_batches(path: Path) -> Iterable[Any]:
    """CSV read in Arrow blocks, every column as text; delimiter from the header line."""
    import pyarrow as pa
    from pyarrow import csv

    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    delimiter = max((",", ";", "\t", "|"), key=header.count)
    import csv as pycsv

    names = next(pycsv.reader([header], delimiter=delimiter))
    try:
        reader = csv.open_csv(
            path,
            read_options=csv.ReadOptions(block_size=8 << 20, encoding="utf8"),
            parse_options=csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=csv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid as error:
        raise BadInput(f"unreadable CSV: {str(error).splitlines()[0]}", where=str(path)) from None
    return reader
