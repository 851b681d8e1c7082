"""What a geocoding query says, before any lookup.

Queries come in a few shapes:

- a name: ``Kati``, ``Tombouctou``;
- a name with context: ``Siby, Koulikoro, Mali`` (trailing parts name the
  region and/or the country, and help pick among homonyms);
- an ACLED-style offset: ``Gao 50km W``, ``Gao 50 km NNW``;
- an offset phrase: ``50 km west of Gao``, ``12 miles north-east of Mopti``,
  ``à 30 km au sud de Mopti``.

:func:`parse_query` turns the text into a :class:`Query`; it never looks a
place up, so it is cheap and easy to test.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import BadInput
from ..geodesy import (
    DECIMAL,
    HALF_CIRCUMFERENCE_KM,
    UNIT_WORDS,
    compass_bearing,
    destination,
    read_decimal,
    to_km,
    unit_code,
)
from ..places import Place
from ..vocabulary import compass_pattern

#: every word of :data:`~mali_map.geodesy.UNIT_WORDS`, longest first ("miles" before "mi");
#: a space in a word ("nautical miles") matches any run of spaces
_UNIT = "(?P<unit>{})".format(
    "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted({w for words in UNIT_WORDS.values() for w in words}, key=lambda w: (-len(w), w))
    )
)
_NUMBER = rf"(?P<value>{DECIMAL.removeprefix('-?')})"
_DIRECTION_WORD = (
    rf"(?P<dir>{compass_pattern(separator='[- ]?')}|{compass_pattern(winds=8, separator='[- ]?', french=True)}"
    r"|[NSEW]{1,3})"
)

# "Gao 50km W", "Gao 50 km NNW"
_ACLED_OFFSET = re.compile(rf"^(?P<name>.+?)\s+{_NUMBER}\s*{_UNIT}\s+(?P<dir>[NSEWnsew]{{1,3}})$")
# "50 km west of Gao", "50km to the north-west of Gao", "à 30 km au sud de Mopti"
_PHRASE_OFFSET = re.compile(
    rf"^(?:(?:about|some|around|approximately|à|a|environ)\s+)*{_NUMBER}\s*{_UNIT}\s+"
    rf"(?:to\s+the\s+|au\s+|à\s+l'|a\s+l'|à\s+l’|de\s+l'|du\s+)?{_DIRECTION_WORD}\s+(?:of|de|d'|d’|du)\s*(?P<name>.+)$",
    re.IGNORECASE,
)


#: the longest query read as a place name (with its context and offset)
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class Offset:
    """A displacement from a named place: ``distance_km`` on ``bearing_deg``."""

    distance_km: float
    bearing_deg: float
    direction: str  # as written, e.g. "W" or "north-west"
    #: the words around the place name as written ("12 miles north-east of ", ""), to echo them
    written: tuple[str, str] = ("", "")

    def label(self, name: str) -> str:
        """The offset as the user wrote it, around ``name``: ``12 miles north-east of Mopti``."""
        before, after = self.written
        if not (before or after):
            return f"{self.distance_km:g} km {self.direction} of {name}"
        return f"{before}{name}{after}"


def offset_place(anchor: Place, offset: Offset) -> Place:
    """The point ``offset`` away from ``anchor``, with a radius that grows with the distance.

    A compass point is precise to about ±20° and a quoted distance to about
    ±10 %, so the uncertainty is about 0.36 times the distance, on top of the
    anchor's own extent.
    """
    lat, lon = destination(anchor.point, offset.bearing_deg, offset.distance_km)
    return anchor.with_(
        name=offset.label(anchor.name),
        lat=lat,
        lon=lon,
        feature="offset",
        population=None,
        radius_km=anchor.radius_km + 0.36 * offset.distance_km,
        confidence=round(anchor.confidence * 0.8, 3),
        alternatives=(),
    )


@dataclass(frozen=True)
class Query:
    """A parsed query: the place name, trailing context parts, and an optional offset."""

    text: str
    name: str
    context: tuple[str, ...] = ()
    offset: Offset | None = None


def parse_query(text: str) -> Query:
    """Split a query into name, context and offset. Raises :class:`BadInput` for an empty query."""
    if len(text) > MAX_QUERY_CHARS:  # no place name is this long; refusing it keeps lookups and messages small
        raise BadInput(
            f"a query of {len(text):,} characters is too long for a place name (at most {MAX_QUERY_CHARS:,})"
        )
    cleaned = " ".join(text.split()).strip(" ,;")
    if not cleaned:
        raise BadInput("empty place name")
    offset = None
    match = _ACLED_OFFSET.match(cleaned) or _PHRASE_OFFSET.match(cleaned)
    if match:
        offset = _offset(match, (cleaned[: match.start("name")], cleaned[match.end("name") :]))
        cleaned = match.group("name").strip(" ,;")
    elif "," in cleaned:
        # context after an ACLED offset ("Gao 50km W, Gao, Mali", as an incident row's place and
        # country make it): the offset belongs to the first part
        head, _, rest = _partition_comma(cleaned)
        match = _ACLED_OFFSET.match(head.strip())
        if match:
            head = head.strip()
            offset = _offset(match, (head[: match.start("name")], head[match.end("name") :]))
            cleaned = f"{match.group('name').strip(' ,;')},{rest}"
    parts = [p.strip() for p in _NOT_IN_NUMBER_COMMA.split(cleaned) if p.strip()]
    if not parts:
        raise BadInput(f"no place name in {text!r}")
    return Query(text=text, name=parts[0], context=tuple(parts[1:]), offset=offset)


#: a comma that separates parts of a query, not the thousands of a number ("Gao 1,000 km W, Mali")
_NOT_IN_NUMBER_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")


def _partition_comma(text: str) -> tuple[str, str, str]:
    """``text.partition(",")`` at the first comma that is not inside a number."""
    found = _NOT_IN_NUMBER_COMMA.search(text)
    if found is None:
        return text, "", ""
    return text[: found.start()], ",", text[found.end() :]


def _offset(match: re.Match, written: tuple[str, str]) -> Offset:
    value = read_decimal(match.group("value"))
    unit = unit_code(match.group("unit"))
    direction = match.group("dir")
    distance_km = to_km(value, unit)
    if not math.isfinite(distance_km) or distance_km > HALF_CIRCUMFERENCE_KM:
        # "Gao 99999999999999km W" wraps around the Earth many times: no honest point to give
        if not math.isfinite(distance_km):
            raise BadInput("the offset's number is too large to be a distance")
        shown = f"{value:.3g}" if value >= 1e15 else f"{value:,.0f}" if value == int(value) else f"{value:,}"
        raise BadInput(
            f"an offset of {shown} {unit} is farther than any two places on Earth can be apart "
            f"({HALF_CIRCUMFERENCE_KM:,.0f} km)"
        )
    return Offset(distance_km=distance_km, bearing_deg=compass_bearing(direction), direction=direction, written=written)
