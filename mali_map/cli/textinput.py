"""Reading a whole text (a news report) from a file or stdin, for ``places`` and ``article``."""

from __future__ import annotations

import sys

from ..errors import BadInput
from ..fileio import decode_text, read_text
from .output import warn


def read_report(path: str) -> str:
    """The text of ``path`` (``-`` for stdin), decoded as every input is (:mod:`mali_map.fileio`).

    Offsets reported by the commands index into this string. Raises
    :class:`BadInput` naming the file for a missing, binary or blank file.
    """
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        text, notes = decode_text(data, where="stdin", binary_hint="expected a text")
    else:
        text, notes = read_text(path, binary_hint="expected a text")
    for note in notes:
        warn(note)
    if not text.strip():
        raise BadInput("empty input: no text to read", where="stdin" if path == "-" else path)
    return text
