"""Reading the line-per-item files that ``--file`` options take (``-`` for stdin)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import BadInput
from ..fileio import decode_text
from .output import warn


def read_lines(path: str) -> list[str]:
    """The non-blank lines of a text file (or stdin for ``-``), stripped.

    Decoded as every input is (:func:`mali_map.fileio.decode_text`: UTF-16 with a
    byte-order mark, UTF-8, or Windows-1252 with a warning).

    Lines starting with ``#`` are comments. Raises :class:`BadInput` naming the
    file for a missing, unreadable, binary or empty file.
    """
    return [line for _, line in numbered_lines(path)]


def numbered_lines(path: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of the non-blank, non-comment lines, for messages that point at a line."""
    where = "stdin" if path == "-" else path
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)  # bytes, so that stdin is checked like a file
        data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
    else:
        file = Path(path)
        if not file.is_file():
            raise BadInput(
                "not a regular file (give - for standard input)" if file.exists() else "no such file", where=path
            )
        data = file.read_bytes()
    text, notes = decode_text(data, where=where, binary_hint="expected text with one item a line")
    for note in notes:
        warn(note)
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line and not line.startswith("#")]
    if not lines:
        raise BadInput("empty input: no lines to read", where=path if path != "-" else "stdin")
    return lines


def gather(arguments: Iterable[str], file: str | None, what: str) -> list[str]:
    """Items from the command line and/or a ``--file``; :class:`BadInput` when there are none."""
    items = [a for a in arguments]
    if file:
        items += read_lines(file)
    if not items:
        raise BadInput(f"give at least one {what}, or --file F")
    return items
