"""Reading single cell values: dates, fatalities, coordinates, precision.

Each parser takes what a file holds (text, a number, ``None``) and returns a
clean value or ``None``; none of them raises on bad data, because a bad cell
is reported per row by the loader, not fatal to the whole file.

>>> parse_date("22 February 2019")
datetime.date(2019, 2, 22)
>>> parse_date("2019-02-22T10:00:00Z")
datetime.date(2019, 2, 22)
>>> parse_date("18 août 2020")
datetime.date(2020, 8, 18)
>>> parse_fatalities("3"), parse_fatalities("unknown")
(3, None)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..textnorm import name_key

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "fevrier", "fev", "fevr"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "decembre"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:er)? ([a-z]+) (\d{4})$")  # 22 February 2019, 1er mars 2012
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+) (\d{1,2}) (\d{4})$")  # February 22, 2019

#: ACLED ``geo_precision`` codes -> our precision words.
ACLED_PRECISION = {1: "exact", 2: "near", 3: "region"}
#: Precision of a point found by geocoding a place name.
GEOCODED_PRECISION = "approximate"


def is_blank(value: Any) -> bool:
    """True for ``None``, NaN and text that is empty once stripped."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    try:  # pandas.NA, NaT
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def parse_date(value: Any) -> dt.date | None:
    """A calendar date from ACLED's "22 February 2019", ISO 8601, or a date object.

    Also reads "22-February-2019" (older ACLED exports), "February 22, 2019"
    and French month names. Numeric day/month orders other than ISO
    ("03/04/2019") are ambiguous and return ``None``, as does anything else.
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        return value.to_pydatetime().date()
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        return _date(*(int(part) for part in match.groups()))
    words = name_key(text)
    match = _DAY_MONTH_YEAR.match(words)
    if match:
        day, month, year = match.groups()
        return _date(int(year), _MONTHS.get(month), int(day))
    match = _MONTH_DAY_YEAR.match(words)
    if match:
        month, day, year = match.groups()
        return _date(int(year), _MONTHS.get(month), int(day))
    return None


def _date(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31 February
        return None


def parse_fatalities(value: Any) -> int | None:
    """A non-negative whole number of deaths, or ``None`` when the cell does not say.

    "3", 3, 3.0 and "3.0" give 3; blanks, words, negatives and fractions give
    ``None``: an unreadable count is unknown, never silently zero.
    """
    if is_blank(value) or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0 or number != int(number) or number > MAX_FATALITIES:
        return None
    return int(number)


#: more deaths than people have ever lived at once is not a count but a typing accident
MAX_FATALITIES = 10_000_000_000


def parse_coordinate(value: Any) -> float | None:
    """A coordinate as a float; ``None`` for a blank cell.

    Raises ``ValueError`` naming the text when the cell holds something that is
    not a number. A decimal comma ("12,74") is accepted, as spreadsheets in
    French write it. NaN comes back as NaN, for the range check to report.
    """
    if isinstance(value, str):  # the common case (CSV), kept fast for big files
        text = value.strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            pass
        if text.count(",") == 1:
            try:
                return float(text.replace(",", "."))
            except ValueError:
                pass
        raise ValueError(f"not a number: {text!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if is_blank(value):
        return None
    return parse_coordinate(str(value))


def precision_word(value: Any) -> str | None:
    """Our precision word for a cell: ACLED codes 1-3 become exact/near/region.

    Words (as written by ``mali-map article``) pass through in lower case;
    blanks give ``None``.
    """
    if is_blank(value):
        return None
    text = str(value).strip()
    try:
        code = float(text)
    except ValueError:
        return text.lower()
    if code in ACLED_PRECISION:  # 1, 1.0 and "1" alike; never int() of inf or NaN
        return ACLED_PRECISION[int(code)]
    return text
