"""Reading a whole text (a news report) from a file or stdin, for ``places`` and ``article``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import BadInput


def read_text(path: str) -> str:
    """The UTF-8 text of ``path`` (``-`` for stdin), a byte-order mark dropped.

    Offsets reported by the commands index into this string. Raises
    :class:`BadInput` naming the file for a missing, binary, non-UTF-8 or blank file.
    """
    where = "stdin" if path == "-" else path
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    else:
        file = Path(path)
        if not file.is_file():
            raise BadInput("no such file", where=path)
        data = file.read_bytes()
    if b"\x00" in data[:8192]:
        raise BadInput("binary file, expected UTF-8 text", where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadInput("not UTF-8 text", where=f"{where}:{line}") from None
    if not text.strip():
        raise BadInput("empty input: no text to read", where=where)
    return text
