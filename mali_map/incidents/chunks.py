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

from ..csvrecords import MAX_FIELD_CHARS, csv_records
from ..errors import BadInput
from ..fileio import text_encoding
from .geocoding import BatchGeocoder
from .readers import MAX_COLUMNS, STRAY_QUOTE, RawTable, _delimiter, _unique

#: Rows per piece: about 100 MB of Python strings for an ACLED export.
PIECE_ROWS = 100_000


def iter_csv_tables(path: str | os.PathLike, rows: int = PIECE_ROWS) -> Iterator[RawTable]:
    """The CSV at ``path`` as tables of at most ``rows`` rows each, in file order.

    Pieces of plain lines (:func:`_plain`: one record a line, quotes only around whole values, no
    carriage return, no blank line, each line as wide as the header) are split by Arrow's CSV
    reader, which gives them the fields and numbers the record reader would; from the first piece
    that is not plain on, the rest of the file goes through :func:`~mali_map.csvrecords.csv_records`
    (notes over several lines, stray quotes, rows of the wrong width), as every line does without
    pyarrow.
    """
    import csv
    import itertools

    where = str(path)
    with open(path, "rb") as raw:
        encoding = text_encoding(raw.read(1 << 16), complete=False)
    with open(path, encoding=encoding, newline="", errors="strict") as handle:
        first = handle.readline()
        handle.seek(0)
        delimiter = _delimiter(first.lstrip("\ufeff"))
        header: list[str] | None = None
        width: int | None = None
        line = 1  # the number of the next line read
        while True:
            lines = list(itertools.islice(handle, rows + (header is None)))
            if not lines:
                break
            if header is None and _plain(lines[:1], lines[0], delimiter, None):
                fields = next(csv.reader([lines[0].rstrip("\n")], delimiter=delimiter))
                header, width = _header(fields, where), len(fields)
                lines, line = lines[1:], line + 1
                if not lines:
                    continue
            piece = _plain_piece(lines, delimiter, header, where, line) if header is not None else None
            if piece is None:  # the rest of the file, record by record
                yield from _records_pieces(itertools.chain(lines, handle), delimiter, header, width, where, rows, line)
                return
            if len(piece.rows):
                yield piece
            line += len(lines)
        if header is None:
            raise BadInput("empty file", where=where)


def _header(fields: list[str], where: str) -> list[str]:
    if len(fields) > MAX_COLUMNS:
        raise BadInput(f"{len(fields):,} columns; at most {MAX_COLUMNS:,} are read", where=where)
    return _unique([f.strip().lstrip("\ufeff") for f in fields])


def _plain(lines: list[str], text: str, delimiter: str, width: int | None) -> bool:
    """Whether each line is one record the csv module and Arrow's reader split alike: quotes only
    around whole values (doubled inside), no carriage return, no blank line, none too long.

    ``width`` is the header's (None for the header line itself, whose fields must not be all
    blank): a line of another width, or of blank values only (a record the reader skips), is not
    plain either, but :func:`_plain_piece` finds those.
    """
    if "\r" in text or max(map(len, lines), default=0) >= MAX_FIELD_CHARS:
        return False
    if '"' in text and not _wholly_quoted(text, delimiter + "\n"):
        return False
    if width is None:
        return all(line.rstrip("\n").replace('"', "").strip(delimiter) for line in lines)
    framed = "\n" + text + ("" if text.endswith("\n") else "\n")
    return "\n\n" not in framed


def _wholly_quoted(text: str, ends: str) -> bool:
    """Whether every quote in ``text`` opens or closes a value wholly quoted on one line, or is doubled
    inside one (``"a ""b"" c"``): what lies between quotes alternates outside and inside a value."""
    parts = text.split('"')
    if len(parts) % 2 == 0 or "\n" in "".join(parts[1::2]):
        return False
    first, last = parts[0], parts[-1]
    if (first and first[-1] not in ends) or (last and last[0] not in ends):
        return False
    # between two quoted values: nothing (a doubled quote), or the delimiter or line end on both sides
    return all(part[0] in ends and part[-1] in ends for part in parts[2:-1:2] if part)


def _plain_piece(lines: list[str], delimiter: str, header: list[str], where: str, first_line: int) -> RawTable | None:
    """The piece of plain ``lines`` (:func:`_plain`) read by Arrow, or None when they are not plain."""
    import io

    import pandas as pd

    try:
        import pyarrow as pa
        from pyarrow import csv
    except ImportError:  # an optional dependency (the parquet extra): the record reader reads every piece
        return None
    text = "".join(lines)
    if not _plain(lines, text, delimiter, len(header)):
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=csv.ReadOptions(column_names=names, block_size=1 << 26),
            parse_options=csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=csv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:  # a row of another width: the record reader says which
        return None
    if table.num_rows != len(lines) or _blank_rows(table):
        return None
    frame = pd.DataFrame(
        {name: column.to_numpy(zero_copy_only=False) for name, column in zip(header, table.columns)},
        dtype=object,
    )
    return RawTable(where, "csv", frame, list(range(first_line, first_line + len(lines))), broken=[])


def _blank_rows(table: Any) -> bool:
    """Whether some row of an Arrow table of text has only empty values (the record reader skips it)."""
    import pyarrow.compute as pc

    blank = None
    for column in table.columns:
        empty = pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    return blank is not None and bool(pc.any(blank).as_py())


def _records_pieces(
    lines: Iterator[str],
    delimiter: str,
    header: list[str] | None,
    width: int | None,
    where: str,
    rows: int,
    first_line: int,
) -> Iterator[RawTable]:
    """Tables of at most ``rows`` records of ``lines`` read by :func:`~mali_map.csvrecords.csv_records`."""
    import pandas as pd

    records: list[list[str]] = []
    numbers: list[int] = []
    broken: list[tuple[int, dict[str, Any], str]] = []
    for record in csv_records(lines, delimiter, width=width, first_line=first_line):
        fields, start = record.fields, record.start_line
        if record.error:
            broken.append((start, {}, f"unreadable CSV row: {record.error}"))
            continue
        if not any(fields):
            continue
        if header is None:
            header = _header(fields, where)
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
            yield RawTable(where, "csv", pd.DataFrame(records, columns=header, dtype=object), numbers, broken=broken)
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
