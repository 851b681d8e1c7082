"""Dates in news text: the dateline, explicit dates, weekdays and relative phrases.

The dateline anchors everything relative: ``date 2020-08-18`` on the first
line, or a wire dateline ("BAMAKO, Aug 18 (Agency) -"). Then:

- explicit dates: "21 March 2012", "March 21, 2012", "Aug. 18" (the year of
  the dateline, or the year before when that would put it after the dateline),
  "March 2012", ISO "2012-03-21", a bare year "in 2012";
- weekdays: "on Tuesday" is the last such day on or before the dateline;
- relative phrases: "today", "yesterday", "last week", "last month", "last
  year", "this year", "last December" (the last December before the dateline);
  "two days ago" counts from the dateline; "the year before", "a week earlier",
  "three days later" count from the date the text spoke of last (the dateline
  when it spoke of none).

Each date carries its precision (``day``, ``month``, ``year``), so "2012" is
never shown as 1 January 2012.

>>> [d.iso for d in find_dates("On March 21 2012 soldiers marched.", None)]
['2012-03-21']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY, MONTH, YEAR = "day", "month", "year"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
            ("janvier",),
            ("février", "fevrier"),
            ("mars",),
            ("avril",),
            ("mai",),
            ("juin",),
            ("juillet",),
            ("août", "aout"),
            ("septembre",),
            ("octobre",),
            ("novembre",),
            ("décembre", "decembre"),
        ),
        start=1,
    )
    for name in names
}
_MONTHS = {name: (number - 1) % 12 + 1 for name, number in _MONTHS.items()}
_WEEKDAYS = {
    name: number
    for number, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}

_MONTH = r"(?P<{0}>" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_M, _Y = _MONTH.format("m"), _YEAR.format("y")
# After a day number, a month may be lower case, as French writes it ("le 21 mars 2012").
_M_ANY_CASE = "(?i:" + _M + ")"
_WEEKDAY = r"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("day_month_year", re.compile(rf"\b{_DAY}\s+{_M_ANY_CASE},?\s+{_Y}")),
    ("month_day_year", re.compile(rf"\b{_M}\s+{_DAY},?\s+{_Y}\b")),
    ("month_year", re.compile(rf"\b(?:in\s+)?{_M},?\s+{_Y}\b")),
    ("day_month", re.compile(rf"\b{_DAY}\s+{_M_ANY_CASE}(?!\w)(?!\s+(?:be|have|not)\b)")),
    ("month_day", re.compile(rf"\b{_M}\s+{_DAY}\b(?!\s*(?:km|mi|miles|kilomet)|,?\s*\d)")),
    ("weekday", re.compile(rf"\b(?:(?:on|last|this|since|until|by)\s+)?{_WEEKDAY}\b")),
    (
        "span",
        re.compile(
            r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
            r"(?P<unit>day|week|month|year)s?\s+(?P<way>earlier|before|ago|later|after)\b",
            re.IGNORECASE,
        ),
    ),
    ("last_month_name", re.compile(rf"\b(?:(?i:last|this\s+past)\s+){_M}(?!\s+\d)")),
    (
        "relative",
        re.compile(
            r"\b(?P<r>today|yesterday|last\s+(?:week|month|year)|this\s+(?:week|month|year)|"
            r"(?:the\s+(?:previous\s+)?year\s+(?:before|earlier)|a\s+year\s+(?:earlier|before)|"
            r"the\s+previous\s+year))\b",
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(r"(?<=\b[Ii]n\s)(?P<y>(?:19|20)\d\d)(?![\d-]|\s*(?:km|mi\b|kilomet|miles))")),
    (
        "year",
        re.compile(
            r"(?<![\d,.-])(?P<y>(?:19|20)\d\d)"
            r"(?![\d-]|\s*(?:km|mi|kilomet|miles|people|soldiers|troops))"
        ),
    ),
]
_DATELINE_DATE = re.compile(r"\A\s*date\s*[:=]?\s*(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b", re.IGNORECASE)
_WIRE_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]+,\s+"
    + _MONTH.format("m")
    + r"\s+(?P<d>[0-3]?\d)(?:,?\s+"
    + _YEAR.format("y")
    + r")?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]",
    re.MULTILINE,
)


@dataclass(frozen=True)
class DateMention:
    """A date the text names: where, which day (or month, or year) and how precisely."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: str = DAY
    relative: bool = False

    @property
    def iso(self) -> str:
        """ISO 8601 at the date's precision: ``2012-03-21``, ``2012-03`` or ``2012``."""
        if self.precision == YEAR:
            return f"{self.date.year:04d}"
        if self.precision == MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


def dateline(text: str) -> DateMention | None:
    """The date the report was filed: a first line ``date 2020-08-18``, or a wire dateline.

    A wire dateline without a year ("BAMAKO, Aug 18 (Agency) -") takes the
    year of the ``date`` line when there is one, else the latest year the
    text names; without either, it is not a date we can place.
    """
    match = _DATELINE_DATE.search(text)
    found = None
    if match:
        found = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        if found:
            return DateMention(
                match.start("y"), match.end("d"), match.group()[match.start("y") - match.start() :], found
            )
    match = _WIRE_DATELINE.search(text[:400])
    if match is None:
        return None
    year = int(match["y"]) if match["y"] else _latest_year(text)
    found = _safe_date(year, _MONTHS[match["m"].lower()], int(match["d"])) if year else None
    if not found:
        return None
    return DateMention(
        match.start("m"),
        match.end("d") if not match["y"] else match.end("y"),
        text[match.start("m") : match.end("d") if not match["y"] else match.end("y")],
        found,
    )


def find_dates(text: str, anchor: dt.date | None) -> list[DateMention]:
    """Every date ``text`` names, in order, relative ones anchored to ``anchor`` (the dateline)."""
    found: list[DateMention] = []
    # the characters some date already took: a later, vaguer pattern may not reuse them
    # (one byte per character, so the check costs the match's length, not the dates found so far)
    taken = bytearray(len(text))
    line = _DATELINE_DATE.search(text)
    if line:
        taken[line.start() : line.end()] = b"\1" * (line.end() - line.start())
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            mention = _read(kind, match, anchor, found)
            if mention is not None:
                found.append(mention)
                taken[start:end] = b"\1" * (end - start)
    found.sort(key=lambda d: d.start)
    return _anchor_relative(text, found, anchor)


def _read(kind: str, match: re.Match, anchor: dt.date | None, found: list[DateMention]) -> DateMention | None:
    text = match.group()
    start, end = match.span()
    if kind == "iso":
        date = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        return DateMention(start, end, text, date) if date else None
    if kind in ("day_month_year", "month_day_year"):
        date = _safe_date(int(match["y"]), _MONTHS[match["m"].lower().rstrip(".")], int(match["d"]))
        return DateMention(start, end, text, date) if date else None
    if kind == "month_year":
        date = _safe_date(int(match["y"]), _MONTHS[match["m"].lower().rstrip(".")], 1)
        return DateMention(start, end, text, date, MONTH) if date else None
    if kind in ("day_month", "month_day"):
        if match["m"].lower().rstrip(".") == "may" and kind == "month_day" and not text[0].isupper():
            return None
        if anchor is None:
            return None
        month, day = _MONTHS[match["m"].lower().rstrip(".")], int(match["d"])
        date = _safe_date(anchor.year, month, day)
        if date and date > anchor + dt.timedelta(days=30):
            date = _safe_date(anchor.year - 1, month, day)
        return DateMention(start, end, text, date, DAY, relative=True) if date else None
    if kind == "year":
        return DateMention(start, end, text, dt.date(int(match["y"]), 1, 1), YEAR)
    if kind == "last_month_name":
        if anchor is None:
            return None
        month = _MONTHS[match["m"].lower().rstrip(".")]
        year = anchor.year if month < anchor.month else anchor.year - 1
        return DateMention(start, end, text, dt.date(year, month, 1), MONTH, relative=True)
    if kind == "span":
        count = int(match["n"]) if match["n"].isdigit() else _NUMBER_WORDS.get(match["n"].lower(), 1)
        word = f"{count} {match['unit'].lower()} {match['way'].lower()}"
        return _Pending(start, end, text, dt.date.min, kind=kind, word=word)
    word = match.groupdict().get("w") or match.groupdict().get("r") or ""
    return _Pending(start, end, text, dt.date.min, kind=kind, word=word)


_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass(frozen=True)
class _Pending(DateMention):
    """A weekday or relative phrase, resolved once the dates before it are known."""

    kind: str = ""
    word: str = ""


def _anchor_relative(text: str, found: list[DateMention], anchor: dt.date | None) -> list[DateMention]:
    result: list[DateMention] = []
    last_explicit: DateMention | None = None
    last_spoken: DateMention | None = None  # any date, a weekday included: "On Tuesday ... A week earlier"
    for mention in found:
        if isinstance(mention, _Pending):
            if mention.kind == "span":
                resolved = _resolve_span(mention, anchor, last_spoken)
            else:
                resolved = _resolve_relative(mention, anchor, last_explicit)
            if resolved is not None:
                result.append(resolved)
                last_spoken = resolved
            continue
        result.append(mention)
        last_spoken = mention
        if not mention.relative:
            last_explicit = mention
    return result


def _resolve_span(mention: _Pending, anchor: dt.date | None, previous: DateMention | None) -> DateMention | None:
    """ "two days ago" from the dateline; "a week earlier", "three days later" from the date spoken of last.

    The result is as precise as its base and its unit allow: days and weeks from a day give a day,
    months a month, years a year (a week before "March 2012" is still March 2012 at best)."""
    count, unit, way = mention.word.split()
    n = int(count)
    base = anchor if way == "ago" or previous is None else previous.date
    base_precision = DAY if way == "ago" or previous is None else previous.precision
    if base is None:
        return None
    sign = 1 if way in ("later", "after") else -1
    if unit in ("day", "week"):
        date = base + dt.timedelta(days=sign * n * (7 if unit == "week" else 1))
        precision = base_precision
    elif unit == "month":
        months = base.year * 12 + base.month - 1 + sign * n
        date, precision = dt.date(months // 12, months % 12 + 1, 1), (MONTH if base_precision != YEAR else YEAR)
    else:
        date, precision = dt.date(base.year + sign * n, 1, 1), YEAR
    if precision == MONTH:
        date = date.replace(day=1)
    elif precision == YEAR:
        date = dt.date(date.year, 1, 1)
    return DateMention(mention.start, mention.end, mention.text, date, precision, relative=True)


def _resolve_relative(mention: _Pending, anchor: dt.date | None, previous: DateMention | None) -> DateMention | None:
    word = " ".join(mention.word.lower().split())

    def made(date: dt.date, precision: str = DAY) -> DateMention:
        return DateMention(mention.start, mention.end, mention.text, date, precision, relative=True)

    if mention.kind == "weekday":
        if anchor is None:
            return None
        return made(anchor - dt.timedelta(days=(anchor.weekday() - _WEEKDAYS[word]) % 7))
    if "before" in word or "earlier" in word or "previous" in word:
        base = previous.date if previous else anchor
        return made(dt.date(base.year - 1, 1, 1), YEAR) if base else None
    if anchor is None:
        return None
    if word == "today":
        return made(anchor)
    if word == "yesterday":
        return made(anchor - dt.timedelta(days=1))
    if word.endswith("week"):
        return made(anchor - dt.timedelta(days=7 if word.startswith("last") else 0))
    if word.endswith("month"):
        month = anchor.month - (1 if word.startswith("last") else 0) or 12
        year = anchor.year - (1 if word.startswith("last") and anchor.month == 1 else 0)
        return made(dt.date(year, month, 1), MONTH)
    return made(dt.date(anchor.year - (1 if word.startswith("last") else 0), 1, 1), YEAR)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _latest_year(text: str) -> int | None:
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    return max(years) if years else None
