"""CSV records with their line numbers, where one stray quote cannot swallow the rest of the file.

A quote that opens a value and never closes makes a CSV reader read every later line into that
one value: a file of 1,000 incidents with ``"`` typed in row 2 mapped 2 incidents and reported
nothing. :func:`csv_records` notices the pattern (a record spanning several lines, of the wrong
width or running to the end of the file, whose swallowed lines read as rows on their own), reads
the line with the stray quote literally (quotes as plain characters), reports it, and reads the
swallowed lines again as the rows they are.

It also lifts the csv module's 128 KB limit on a value (to :data:`MAX_FIELD_CHARS`): one long note
must not fail the whole file. Both CSV readers (incident tables, gazetteer imports) use it.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

#: the longest value read; a longer one fails only its own row (``csv.Error``)
MAX_FIELD_CHARS = 16 * 1024 * 1024
#: how many swallowed lines are looked at to decide that a quote is a stray one
_LINES_LOOKED_AT = 3
_LINE_ENDS = ("\n", "\r")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends (``\\n``, ``\\r\\n`` or ``\\r``), as ``io.StringIO(text, newline="")``
    gives them, without the copy StringIO makes (four bytes a character: 200 MB for a 50 MB table)."""
    return (match.group() for match in _LINE.finditer(text))


class CsvRecord(NamedTuple):
    """One record: its fields, the lines it came from, and ``stray_quote`` when it was read literally
    because a quote on its line never closed (the reader should say so)."""

    fields: list[str]
    start_line: int
    end_line: int
    stray_quote: bool = False
    error: str | None = None  # the record could not be read at all (a value over MAX_FIELD_CHARS)


def csv_records(
    lines: Iterable[str], delimiter: str, *, width: int | None = None, first_line: int = 1
) -> Iterator[CsvRecord]:
    """The records of ``lines`` (text lines with their line ends), numbered from ``first_line``.

    ``width`` is the number of header fields when known; otherwise the first non-blank record is
    taken for the header and sets it. A record the csv module cannot read (a value over
    :data:`MAX_FIELD_CHARS`) comes with ``error`` set and no fields; reading goes on after it.
    """
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    source: Iterator[str] = iter(lines)
    before = first_line - 1  # the number of the line before the current reader's first line
    while True:
        # the reader reads one copy of the lines; the other is kept only while a record spans several
        # lines, so that they can be read again after a stray quote (a C-level tee: no cost per line)
        lines_read, shadow = itertools.tee(source)
        reader = csv.reader(lines_read, delimiter=delimiter)
        seen = 0  # lines this reader has consumed
        restart = None
        while restart is None:
            try:
                fields = next(reader)
                error = None
            except StopIteration:
                return
            except csv.Error as problem:
                fields, error = [], str(problem)
            line_num = reader.line_num
            count, seen = line_num - seen, line_num
            start = before + line_num - count + 1
            if count == 1 and not (fields and fields[-1][-1:] in _LINE_ENDS):  # the common case, kept cheap
                next(shadow, None)
                if width is None and any(fields):
                    width = len(fields)
                yield CsvRecord(fields, start, start, False, error)
                continue
            used = list(itertools.islice(shadow, count))
            if error is None and (count == 1 or _swallowed(fields, used, delimiter, width)):
                literal = _literal(used[0], delimiter)
                if width is None:
                    width = len(literal)
                yield CsvRecord(literal, start, start, stray_quote=True)
                restart = itertools.chain(used[1:], shadow)
                before = start
                continue
            if width is None and any(fields):
                width = len(fields)
            yield CsvRecord(fields, start, start + count - 1, error=error)
        source = restart


def _swallowed(fields: list[str], used: list[str], delimiter: str, width: int | None) -> bool:
    """Whether a record over several lines is a stray quote eating rows rather than a quoted note.

    It is when its swallowed lines read as rows of the file's width, and the record itself does not
    fit: a wrong number of fields, or a quote that never closes. A record of the right width is a
    stray quote only when most of the lines it swallowed look like rows (a note rarely has several
    lines each with exactly the file's number of fields).
    """
    ran_to_end = bool(fields) and fields[-1].endswith(("\n", "\r"))  # the quote never closed
    expected = width if width is not None else len(_literal(used[0], delimiter))
    if expected < 2:
        return False
    looked_at = used[1 : 1 + _LINES_LOOKED_AT]
    row_like = sum(1 for line in looked_at if line.strip() and len(_alone(line, delimiter)) == expected)
    if width is None or len(fields) != width or ran_to_end:
        return row_like > 0
    return expected > 2 and row_like >= 2


def _alone(line: str, delimiter: str) -> list[str]:
    """``line`` read as a record of its own."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])


def _literal(line: str, delimiter: str) -> list[str]:
    """``line`` split on the delimiter with quotes taken as plain characters (and dropped at the ends)."""
    cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
    return [cell.strip().strip('"') for cell in cells]


def check_unique_header(cells: list[str], *, where: str, matters: Callable[[str], bool] | None = None) -> None:
    """:class:`~mali_map.errors.BadInput` naming the column when a header names one column twice.

    Reading the first of two ``lat`` columns and dropping the other silently would map the wrong
    values; the user is asked to rename one instead. Names are compared as typed, ignoring case and
    surrounding spaces; empty names are not names. ``matters(name)`` limits the check to the
    columns a reader uses (a gazetteer import ignores the others).
    """
    from .errors import BadInput

    first: dict[str, int] = {}
    for number, cell in enumerate(cells, start=1):
        key = cell.strip().strip("\ufeff").casefold()
        if not key or (matters is not None and not matters(cell)):
            continue
        if key in first:
            raise BadInput(
                f"the header names column {cell.strip()!r} twice (columns {first[key]} and {number}); "
                "rename one so it is clear which to read",
                where=where,
            )
        first[key] = number
