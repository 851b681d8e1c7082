"""The CSV reader: header and delimiter detection, then one record per row.

Handles what spreadsheets save: ``,`` ``;`` or tab delimiters, Windows-1252
text, old Mac line ends, quoted values running over several lines. A header
without the required columns is a :class:`~mali_map.errors.BadInput`; a bad
row is a :class:`~mali_map.gazetteer.records.RowError` naming its line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from ...csvrecords import check_unique_header, csv_records
from ...errors import BadInput
from ..records import PlaceRecord, RowError
from .detect import HEAD_BYTES, _Source, _text_encoding
from .values import _column_role, _record, _RowProblem

REQUIRED_COLUMNS = ("name", "lat", "lon")
_REQUIRED_HINT = "name, latitude (or lat), longitude (or lon, lng)"
_ROLE_WORDS = {"name": "name", "lat": "latitude", "lon": "longitude"}

_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class _CsvLayout:
    delimiter: str
    encoding: str
    header_line: int  # 1-based line number of the header
    columns: dict[str, int]  # role -> column index
    width: int  # number of header fields


def _csv_layout(source: _Source, name_field: str | None = None) -> _CsvLayout:
    """Find the header, the delimiter and the column roles; BadInput if a required column is missing."""
    encoding = _text_encoding(source.head)
    text = source.head.decode(encoding, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise BadInput("empty file", where=source.label)
    header = lines[header_index]
    delimiters = ("\t",) + _DELIMITERS if source.suffix == ".tsv" else _DELIMITERS
    best: tuple[int, str, list[str], dict[str, int]] | None = None
    for delimiter in delimiters:
        cells = next(csv.reader([header], delimiter=delimiter))
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            role = _column_role(cell, name_field)
            if role and role not in columns:
                columns[role] = index
        found = sum(role in columns for role in REQUIRED_COLUMNS)
        if best is None or (found, len(cells)) > (best[0], len(best[2])):
            best = (found, delimiter, cells, columns)
    assert best is not None
    found, delimiter, cells, columns = best
    missing = [role for role in REQUIRED_COLUMNS if role not in columns]
    if missing:
        if name_field is not None and "name" in missing:
            raise BadInput(f"no column {name_field!r} (--name-field)", where=f"{source.label}:{header_index + 1}")
        shown = ", ".join(repr(c.strip()) for c in cells[:8]) + (", ..." if len(cells) > 8 else "")
        what = "a GeoNames dump (19 tab-separated columns) nor a CSV" if source.suffix == ".txt" else "a CSV"
        raise BadInput(
            f"not {what} with a header naming {_REQUIRED_HINT}; "
            f"missing {', '.join(_ROLE_WORDS[role] for role in missing)} (header: {shown})",
            where=f"{source.label}:{header_index + 1}",
        )
    check_unique_header(
        cells, where=f"{source.label}:{header_index + 1}", matters=lambda cell: bool(_column_role(cell, name_field))
    )
    return _CsvLayout(delimiter, encoding, header_index + 1, columns, len(cells))


def _decoded_lines(raw: IO[bytes], encoding: str, label: str, errors: list[RowError]) -> Iterator[str]:
    """The lines of ``raw`` as text; an undecodable line is reported and replaced by a blank one.

    Replacing (not dropping) keeps the csv reader's line numbers true.
    """
    head = raw.peek(HEAD_BYTES)[:HEAD_BYTES] if hasattr(raw, "peek") else b""
    lines: Iterable[bytes] = raw
    if b"\r" in head and b"\n" not in head:  # old Mac line ends
        lines = _mac_lines(raw)
    for number, line in enumerate(lines, 1):
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as error:
            errors.append(RowError(f"{label}:{number}", f"not {encoding} text (byte {error.start + 1} of the line)"))
            text = "\n"
        if number == 1:
            text = text.lstrip("\ufeff")
        yield text


def _mac_lines(raw: IO[bytes], chunk_bytes: int = 1 << 20) -> Iterator[bytes]:
    """The lines of a file with old Mac line ends (``\\r``), read a chunk at a time (not whole)."""
    rest = b""
    while chunk := raw.read(chunk_bytes):
        parts = (rest + chunk).split(b"\r")
        rest = parts.pop()
        for part in parts:
            yield part + b"\n"
    if rest:
        yield rest


def _read_csv(source: _Source, layout: _CsvLayout, errors: list[RowError]) -> Iterator[PlaceRecord]:
    label = source.label
    roles = list(layout.columns.items())
    with source.open() as raw:
        lines = _decoded_lines(raw, layout.encoding, label, errors)
        for record in csv_records(lines, layout.delimiter, width=layout.width):
            row, start_line, end_line = record.fields, record.start_line, record.end_line
            if record.error:
                errors.append(RowError(f"{label}:{start_line}", f"unreadable CSV row: {record.error}"))
                continue
            if end_line <= layout.header_line or not any(cell.strip() for cell in row):
                continue
            if record.stray_quote:
                errors.append(
                    RowError(
                        f"{label}:{start_line}",
                        'unbalanced quote: a value opens with " and never closes (the lines after it are read as rows)',
                    )
                )
                continue
            try:
                if len(row) > layout.width and any(cell.strip() for cell in row[layout.width :]):
                    raise _RowProblem(
                        f"{len(row)} fields but the header has {layout.width} "
                        f"(a {layout.delimiter!r} inside an unquoted value?)"
                    )
                yield _record({role: row[index] if index < len(row) else "" for role, index in roles})
            except _RowProblem as problem:
                message = str(problem)
                if end_line > start_line:
                    message += f" (row runs from line {start_line} to {end_line}: unbalanced quote?)"
                errors.append(RowError(f"{label}:{start_line}", message))
