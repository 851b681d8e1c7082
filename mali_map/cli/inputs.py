"""Reading the line-per-item files that ``--file`` options take (``-`` for stdin)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable

from ..errors import BadInput


def read_lines(path: str) -> list[str]:
    """The non-blank lines of a UTF-8 text file (or stdin for ``-``), stripped.

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
            raise BadInput("not a regular file (give - for standard input)" if file.exists() else "no such file",
                           where=path)
        data = file.read_bytes()
    nul = data.find(b"\x00")  # anywhere in the input, not only at its start
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise BadInput("binary file (a NUL byte), expected UTF-8 text with one item a line",
                       where=f"{where}:{line}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadInput("not UTF-8 text", where=f"{where}:{line}") from None
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
