"""The words mali-map speaks, as typed values: verdicts, comparators, features, compass points.

Each is a ``str`` enum, so a value prints, compares and serialises to JSON as the
plain word it always was (``Verdict.SUPPORTED == "supported"``), while code names
it once and a type checker sees a typo. Every module reads these; a test greps the
package so no raw verdict or compass word is written anywhere else.

>>> Verdict.DEPENDS.weaker(Verdict.CONTRADICTED), Verdict.DEPENDS.exit_code
('contradicted', 3)
>>> Compass.parse("north-north-east") is Compass.NNE, Compass.NNE.bearing_deg, Compass.NNE.half_width_deg
(True, 22.5, 11.25)
>>> Compass.from_bearing(325).words
'north-west'

The country words (names, codes, demonyms) are a table of data rather than an enum:
:func:`mali_map.countries.country_words` is their one home, with its rule for a word
several countries share (the most populous wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from .errors import BadInput


class Word(StrEnum):
    """A word of the vocabulary: a ``str`` that also prints (``repr``) as the plain word, so
    lists of results read as they always did (``['depends']``)."""

    def __repr__(self) -> str:
        return repr(self.value)


class Verdict(Word):
    """What a claim comes to (see the README's "Verdicts").

    Ordered from weakest to strongest, ``contradicted < unresolved < depends < supported``:
    a claim with a distance and a direction takes the weaker of the two.
    """

    CONTRADICTED = "contradicted"
    UNRESOLVED = "unresolved"
    DEPENDS = "depends"
    SUPPORTED = "supported"

    @property
    def strength(self) -> int:
        """Position in the weaker-of order: 0 for ``contradicted`` up to 3 for ``supported``."""
        return _VERDICT_ORDER.index(self)

    @property
    def exit_code(self) -> int:
        """The command line's exit code for this verdict alone: 0 supported, 1 contradicted, 3 otherwise."""
        return {Verdict.SUPPORTED: 0, Verdict.CONTRADICTED: 1}.get(self, 3)

    def weaker(self, other: str) -> Verdict:
        """The weaker of two verdicts."""
        other = Verdict(other)
        return self if self.strength <= other.strength else other

    @classmethod
    def exit_code_of(cls, verdicts: Iterable[str], *, unread: int = 0) -> int:
        """The exit code of a run with these verdicts: 1 if any is contradicted; else 3 if any is not
        supported or ``unread`` texts held no claim; else 0 (``check`` and ``article`` alike).

        >>> Verdict.exit_code_of(["supported", "depends"]), Verdict.exit_code_of([]), Verdict.exit_code_of([], unread=1)
        (3, 0, 3)
        """
        found = {cls(v) for v in verdicts}
        if cls.CONTRADICTED in found:
            return cls.CONTRADICTED.exit_code
        if unread or found - {cls.SUPPORTED}:
            return cls.DEPENDS.exit_code
        return cls.SUPPORTED.exit_code


_VERDICT_ORDER = (Verdict.CONTRADICTED, Verdict.UNRESOLVED, Verdict.DEPENDS, Verdict.SUPPORTED)


class Comparator(Word):
    """How a claimed distance compares: the ``comparator`` of the ``check`` JSON."""

    LESS = "<"
    AT_MOST = "<="
    MORE = ">"
    AT_LEAST = ">="
    ABOUT = "~"

    @property
    def is_upper_bound(self) -> bool:
        """``<`` and ``<=``: the claim caps the distance."""
        return self in (Comparator.LESS, Comparator.AT_MOST)

    @property
    def is_lower_bound(self) -> bool:
        """``>`` and ``>=``: the claim floors the distance."""
        return self in (Comparator.MORE, Comparator.AT_LEAST)


class Feature(Word):
    """What kind of place a :class:`~mali_map.places.Place` is (its ``feature``)."""

    COUNTRY = "country"
    ADMIN1 = "admin1"
    CAPITAL = "capital"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    #: a county or district placed at its region (the geoparser), or a part of a country ("the north")
    AREA = "area"
    OFFSET = "offset"
    COORDINATES = "coordinates"
    PLACE = "place"


#: OpenStreetMap ``place=`` values (and Nominatim's place types) -> our feature: the one table the
#: OSM importer and the online geocoder read.
OSM_PLACE_FEATURES: dict[str, Feature] = {
    "city": Feature.CITY,
    "town": Feature.TOWN,
    "village": Feature.VILLAGE,
    "hamlet": Feature.VILLAGE,
    "isolated_dwelling": Feature.VILLAGE,
    "suburb": Feature.PLACE,
    "locality": Feature.PLACE,
    "country": Feature.COUNTRY,
    "state": Feature.ADMIN1,
    "region": Feature.ADMIN1,
    "province": Feature.ADMIN1,
}


class Compass(Word):
    """The 16 winds, each with its bearing and its sector.

    A sector is as wide as the word is precise: a cardinal ("north of") covers ±45°,
    an intercardinal ("north-east") ±22.5°, a 16-wind point ("north-north-east") ±11.25°.
    """

    N = "N"
    NNE = "NNE"
    NE = "NE"
    ENE = "ENE"
    E = "E"
    ESE = "ESE"
    SE = "SE"
    SSE = "SSE"
    S = "S"
    SSW = "SSW"
    SW = "SW"
    WSW = "WSW"
    W = "W"
    WNW = "WNW"
    NW = "NW"
    NNW = "NNW"

    @property
    def bearing_deg(self) -> float:
        """The bearing the point names: N 0°, NNE 22.5°, ... NNW 337.5°."""
        return _WINDS.index(self) * 22.5

    @property
    def half_width_deg(self) -> float:
        """Half the sector the word covers: ±45° cardinal, ±22.5° intercardinal, ±11.25° 16-wind."""
        return {1: 45.0, 2: 22.5, 3: 11.25}[len(self.value)]

    @property
    def words(self) -> str:
        """The point in English words: ``NNE`` -> ``north-north-east``."""
        return "-".join(_LETTER_WORDS[letter] for letter in self.value)

    @classmethod
    def from_bearing(cls, bearing_deg: float) -> Compass:
        """The 16-wind point of a bearing: 325 -> ``NW``."""
        return _WINDS[int(((bearing_deg % 360.0) + 11.25) // 22.5) % 16]

    @classmethod
    def parse(cls, text: str) -> Compass:
        """A compass point from letters (``NE``, ``nne``, French ``NO``) or words in English or French
        (``north-east``, ``northeast``, ``nord-ouest``); :class:`BadInput` for anything else."""
        letters = _letters(text)
        try:
            return cls(letters)
        except ValueError:
            raise BadInput(f"not a compass direction: {text!r}") from None


_WINDS = tuple(Compass)
_LETTER_WORDS = {"N": "north", "S": "south", "E": "east", "W": "west"}
_FRENCH_LETTER_WORDS = {"N": "nord", "S": "sud", "E": "est", "W": "ouest"}
#: one compass word or letter, English or French -> its letter
_COMPASS_WORDS = {
    **{word: letter for letter, word in _LETTER_WORDS.items()},
    **{letter.lower(): letter for letter in _LETTER_WORDS},
    **{word: letter for letter, word in _FRENCH_LETTER_WORDS.items()},
    "o": "W",
}


def _letters(text: str) -> str:
    """The compass letters a text spells ("north-east" -> "NE"), or "" when it spells none."""
    text = text.strip().lower().replace("_", "-")
    if re.fullmatch(r"[nsewo]{1,3}", text):
        return "".join(_COMPASS_WORDS[c] for c in text)
    words = [w for w in re.split(r"[-\s]+", text) if w]
    if len(words) == 1:  # "northeast", "northnortheast"
        words = re.findall(r"north|south|east|west|nord|sud|est|ouest", words[0]) or words
    try:
        return "".join(_COMPASS_WORDS[w] for w in words)
    except KeyError:
        return ""


#: regular-expression alternations of the compass words and letters, for the parsers of claims and queries
COMPASS_WORD_PATTERN = "(?:" + "|".join(_LETTER_WORDS.values()) + ")"
COMPASS_WORD_PATTERN_FR = "(?:" + "|".join(_FRENCH_LETTER_WORDS.values()) + ")"
COMPASS_LETTERS_PATTERN = "(?:" + "|".join(sorted(_WINDS, key=len, reverse=True)) + ")"


def compass_pattern(*, winds: int = 16, separator: str = r"[-\s]?", french: bool = False) -> str:
    """A regular-expression alternation of the compass points spelled in words, longest first:
    the 4, 8 or 16 ``winds``, their words joined by ``separator``, in English or French.

    >>> compass_pattern(winds=8, separator="-")
    '(?:north-east|south-east|south-west|north-west|north|south|east|west)'
    """
    letters = {4: 1, 8: 2, 16: 3}[winds]
    names = _FRENCH_LETTER_WORDS if french else _LETTER_WORDS
    spelled = [separator.join(names[c] for c in point.value) for point in _WINDS if len(point.value) <= letters]
    return "(?:" + "|".join(sorted(spelled, key=len, reverse=True)) + ")"


def compass_descriptor_words() -> dict[str, Compass]:
    """The words of the eight principal winds as a text names a part of a country ("the north",
    "the north east", "the northeast") -> the point."""
    found: dict[str, Compass] = {}
    for point in _WINDS:
        if len(point.value) == 1:
            found[point.words] = point
        elif len(point.value) == 2:
            first, second = (_LETTER_WORDS[c] for c in point.value)
            found[first + second] = point
            found[f"{first} {second}"] = point
    return found


__all__ = [
    "COMPASS_LETTERS_PATTERN",
    "COMPASS_WORD_PATTERN",
    "COMPASS_WORD_PATTERN_FR",
    "OSM_PLACE_FEATURES",
    "Comparator",
    "Compass",
    "Feature",
    "Verdict",
    "compass_descriptor_words",
    "compass_pattern",
]
