"""Text for the terminal: control characters shown, never obeyed.

Arguments, file contents, gazetteer names and server answers reach stdout and stderr in results,
warnings and errors. An escape sequence among them (``ESC [ 2 J``, a title change, a hyperlink, a
carriage return hiding what came before) would be obeyed by the terminal. :func:`visible` writes
every control character (C0 but the newline and tab, DEL, C1) as a ``\\xNN`` or ``\\uNNNN``
escape, the form Python uses, so the reader sees that it was there.

>>> visible("Kati\\x1b[2J")
'Kati\\\\x1b[2J'
"""

from __future__ import annotations

import re

#: C0 but newline and tab, DEL, C1, line separators, bidi overrides; and the undecodable bytes of an
#: argument (Python keeps byte 0x9b, a one-byte ESC [, as the lone surrogate U+DC9B)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, shown as the byte it was
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with its control characters (but newlines and tabs) written as escapes."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def visible_line(text: str) -> str:
    """``text`` as one line: newlines and tabs escaped too (for a warning or an error)."""
    return visible(text).replace("\n", "\\n").replace("\t", " ")


__all__ = ["visible", "visible_line"]
