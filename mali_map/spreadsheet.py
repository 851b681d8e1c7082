"""Cells a spreadsheet shows as text and never runs: formula injection in the CSV files we write.

Incident notes come from the public. A cell such as ``=HYPERLINK("http://x", "click")`` or
``@SUM(...)`` in a CSV opened in Excel, LibreOffice or Google Sheets is run as a formula. Cells we
write (the rejects file) that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
get a leading single quote, which spreadsheets read as "this is text" (the OWASP advice). Plain
numbers such as ``-8.07`` are left alone: they are not formulas, and coordinates must stay numbers.

>>> formula_safe('=1+1'), formula_safe('-8.07'), formula_safe('Kati')
("'=1+1", '-8.07', 'Kati')
"""

from __future__ import annotations

from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def safe_csv(frame: Any) -> str:
    """A DataFrame as CSV text (no index), every cell made :func:`formula_safe`."""
    return frame.map(formula_safe).to_csv(index=False)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
