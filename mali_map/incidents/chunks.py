"""A large CSV incident table read in pieces: the rows of one piece at a time, never the whole file.

:func:`iter_csv_tables` yields :class:`~.readers.RawTable` pieces of at most
``rows`` rows, numbered by physical line as :func:`~.readers.read_table` numbers
them, with the same rules (the header, rows wider than it, stray quotes); each
piece goes through the loader on its own (:func:`load_in_pieces`). The map of a
million rows reads its table this way (:mod:`mali_map.render.hexbin`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from ..csvrecords import csv_records
from ..errors import BadInput
from ..fileio import text_encoding
from .geocoding import BatchGeocoder
from .readers import MAX_COLUMNS, STRAY_QUOTE, RawTable, _delimiter, _unique

#: Rows per piece: about 100 MB of Python strings for an ACLED export.
PIECE_ROWS = 100_000


def iter_csv_tables(path: str | os.PathLike, rows: int = PIECE_ROWS) -> Iterator[RawTable]:
    """The CSV at ``path`` as tables of at most ``rows`` rows each, in file order."""
    import pandas as pd

    where = str(path)
    with open(path, "rb") as raw:
        encoding = text_encoding(raw.read(1 << 16), complete=False)
    with open(path, encoding=encoding, newline="", errors="strict") as handle:
        first = handle.readline()
        handle.seek(0)
        header: list[str] | None = None
        records: list[list[str]] = []
        numbers: list[int] = []
        broken: list[tuple[int, dict[str, Any], str]] = []
        for record in csv_records(handle, _delimiter(first.lstrip("\ufeff"))):
            fields, start = record.fields, record.start_line
            if record.error:
                broken.append((start, {}, f"unreadable CSV row: {record.error}"))
                continue
            if not any(fields):
                continue
            if header is None:
                if len(fields) > MAX_COLUMNS:
                    raise BadInput(f"{len(fields):,} columns; at most {MAX_COLUMNS:,} are read", where=where)
                header = _unique([f.strip().lstrip("\ufeff") for f in fields])
                continue
            if len(fields) > len(header) or (record.stray_quote and len(fields) != len(header)):
                reason = (
                    STRAY_QUOTE if record.stray_quote else f"row has {len(fields)} fields, the header has {len(header)}"
                )
                broken.append((start, dict(zip(header, fields)), reason))
                continue
            records.append(fields + [""] * (len(header) - len(fields)))
            numbers.append(start)
            if len(records) >= rows:
                yield RawTable(
                    where, "csv", pd.DataFrame(records, columns=header, dtype=object), numbers, broken=broken
                )
                records, numbers, broken = [], [], []
        if header is None:
            raise BadInput("empty file", where=where)
        if records or broken:
            yield RawTable(where, "csv", pd.DataFrame(records, columns=header, dtype=object), numbers, broken=broken)


def count_lines(path: str | os.PathLike, *, stop_after: int | None = None) -> int:
    """Newlines in the file (a quick upper bound of its rows), counting no further than ``stop_after``."""
    count = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
            if stop_after is not None and count > stop_after:
                break
    return count


def load_in_pieces(
    path: str | os.PathLike,
    *,
    country: str | None,
    gazetteer: BatchGeocoder | None,
    min_confidence: float,
    rows: int = PIECE_ROWS,
) -> Iterator[tuple[Any, list[float], list[float], Any, list[str]]]:
    """``(incidents, latitudes, longitudes, rejects, notes)`` of each piece of a CSV table, loaded as
    :func:`~.load.load_incidents_with_rejects` loads a whole file (rows without coordinates geocoded),
    the points as two lists beside the incidents' other columns (:func:`~.load.load_columns`)."""
    from .load import load_columns

    for table in iter_csv_tables(path, rows):
        yield load_columns(table, country=country, gazetteer=gazetteer, min_confidence=min_confidence)
