"""Numbers as reporters write them, in English and French.

Reports write distances as digits ("1,200", "12.5", "1 200", "15km"), as
words ("ten", "twenty-five", "a dozen", "quinze", "une quinzaine") and as
vague amounts ("a few", "several", "dozens of", "quelques"). :func:`read_number`
turns any of these into an :class:`Amount`: a value, an upper value for vague
amounts, and the *step* the number looks rounded to, which sets the tolerance
of "about" claims (see :mod:`mali_map.claims.verify`).

>>> read_number("1,200")
Amount(value=1200.0, value_hi=None, step=100.0, vague=False)
>>> read_number("une quinzaine de")
Amount(value=15.0, value_hi=None, step=5.0, vague=False)
>>> read_number("a few").value, read_number("a few").value_hi
(2.0, 5.0)
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Amount:
    """A number read from text.

    ``value_hi`` is set for vague amounts ("a few" -> 2..5): the claim then
    covers the whole span. ``step`` is the rounding the number shows: 1 for
    "17", 10 for "20", 100 for "1,200", 0.1 for "2.5"; words like "a dozen" or
    "une quinzaine" are rounded by nature and carry a coarse step.
    """

    value: float
    value_hi: float | None = None
    step: float = 1.0
    vague: bool = False


_UNITS_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_EN = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS_FR = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]
_TENS_FR = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}

#: single number words -> value
WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS_EN)}
WORD_VALUES.update({w: float(v) for w, v in _TENS_EN.items()})
WORD_VALUES.update({w: float(i) for i, w in enumerate(_UNITS_FR)})
WORD_VALUES.update({w: float(v) for w, v in _TENS_FR.items()})
WORD_VALUES.update(
    {"une": 1.0, "a": 1.0, "an": 1.0, "half": 0.5, "demi": 0.5, "dix-sept": 17.0, "dix-huit": 18.0, "dix-neuf": 19.0}
)
_MULTIPLIERS = {"hundred": 100.0, "thousand": 1000.0, "cent": 100.0, "cents": 100.0, "mille": 1000.0}

#: collective words: value and the step they imply ("a dozen" is about 12, not exactly 12)
COLLECTIVES: dict[str, tuple[float, float]] = {
    "dozen": (12.0, 12.0),
    "score": (20.0, 20.0),
    "dizaine": (10.0, 10.0),
    "douzaine": (12.0, 12.0),
    "quinzaine": (15.0, 5.0),
    "vingtaine": (20.0, 10.0),
    "trentaine": (30.0, 10.0),
    "quarantaine": (40.0, 10.0),
    "cinquantaine": (50.0, 10.0),
    "soixantaine": (60.0, 10.0),
    "centaine": (100.0, 100.0),
}

#: vague amounts -> (low, high); read as a span the claim covers
VAGUE: dict[str, tuple[float, float]] = {
    "a few": (2.0, 5.0),
    "few": (2.0, 5.0),
    "a couple of": (2.0, 3.0),
    "a couple": (2.0, 3.0),
    "several": (3.0, 9.0),
    "some few": (2.0, 5.0),
    "many": (5.0, 50.0),
    "a few dozen": (24.0, 60.0),
    "dozens of": (24.0, 99.0),
    "several dozen": (36.0, 99.0),
    "a few hundred": (200.0, 500.0),
    "several hundred": (300.0, 900.0),
    "hundreds of": (200.0, 999.0),
    "a few thousand": (2000.0, 5000.0),
    "thousands of": (2000.0, 9999.0),
    "quelques": (2.0, 5.0),
    "plusieurs": (3.0, 9.0),
    "des dizaines de": (20.0, 99.0),
    "quelques dizaines de": (20.0, 60.0),
    "plusieurs dizaines de": (30.0, 99.0),
    "des centaines de": (200.0, 999.0),
    "quelques centaines de": (200.0, 500.0),
}

_DIGITS = re.compile(
    r"^(?P<sign>[-−–]|minus\s+|moins\s+)?(?P<int>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)"
    r"(?:[.,](?P<frac>\d+))?(?:e(?P<exp>[-+]?\d+))?$",
    re.IGNORECASE,
)


def step_of_integer(value: float) -> float:
    """The rounding an integer shows: 17 -> 1, 15 -> 5, 20 -> 10, 250 -> 50, 1200 -> 100."""
    if not math.isfinite(value) or value <= 0 or value != int(value):
        return 1.0
    n, best, scale = int(value), 1, 1
    while True:
        for step in (5 * scale, 10 * scale):
            if step > n or n % step:
                return float(best)
            best = step
        scale *= 10


@functools.lru_cache(maxsize=4096)
def read_number(text: str) -> Amount | None:
    """Read the number that a matched phrase spells; ``None`` when it spells none.

    Accepts digits with separators and a decimal part (``1,200``, ``12.5``,
    ``1 200``, French ``1,5``), a leading minus (kept, so absurd values can be
    flagged), number words up to the thousands, collective words and vague amounts.
    """
    raw = " ".join(text.strip().lower().split())
    if not raw:
        return None
    digits = _DIGITS.match(raw)
    if digits:
        return _read_digits(digits)
    for prefix in ("une ", "a ", "an ", "some "):
        if raw.startswith(prefix) and raw[len(prefix) :].removesuffix(" of").removesuffix(" de") in COLLECTIVES:
            raw = raw[len(prefix) :]
            break
    bare = raw.removesuffix(" of").removesuffix(" de").removesuffix(" d'")
    if bare in COLLECTIVES:
        value, step = COLLECTIVES[bare]
        return Amount(value, None, step)
    if raw in VAGUE or bare in VAGUE:
        lo, hi = VAGUE.get(raw) or VAGUE[bare]
        return Amount(lo, hi, 1.0, vague=True)
    words_value = _read_words(bare)
    if words_value is None:
        return None
    value = words_value
    return Amount(value, None, step_of_integer(value) if value >= 1 else 0.5)


def _read_digits(match: re.Match) -> Amount:
    """Digits as English, French and German write them (:func:`mali_map.geodesy.read_decimal`):
    "1,200", "1.200" and "1 200" are twelve hundred; "1,5" and "1.5" one and a half."""
    from ..geodesy import read_decimal

    number = match.group(0)[match.start("int") : match.end("frac") if match.group("frac") else match.end("int")]
    exponent = match.group("exp")
    try:
        value = read_decimal(number)
    except ValueError:  # "1,000.500,2" and the like: the digits alone
        value = float(re.sub(r"\D", "", number) or 0)
    decimals = _decimals(number)
    # float() of 400 digits or of "1e400" is inf, never an error: absurd_value() flags it
    value = float(f"{value!r}e{exponent or 0}") if exponent else value
    if match.group("sign"):
        value = -value
    if exponent:
        step = 1.0 if not math.isfinite(value) else max(abs(value) / 10.0, 1e-9)
    else:
        step = 10.0**-decimals if decimals else step_of_integer(abs(value))
    return Amount(value, None, step)


def _decimals(number: str) -> int:
    """How many decimals ``number`` shows: "1,5" -> 1, "1,000" -> 0 (thousands), "1.000,25" -> 2."""
    from ..geodesy import read_decimal

    tail = re.search(r"[.,](\d+)$", number)
    try:
        grouped = read_decimal(number) == float(re.sub(r"\D", "", number))
    except ValueError:
        return 0
    return 0 if tail is None or grouped else len(tail.group(1))


def _read_words(text: str) -> float | None:
    """'twenty-five' -> 25, 'two hundred' -> 200, 'a hundred and fifty' -> 150, 'quatre-vingts' -> 80."""
    text = text.replace("quatre-vingts", "quatre-vingt").replace("quatre-vingt", "quatrevingt")
    text = re.sub(r"\bhalf an?\b|\ban? half\b", "half", text)
    words = [w for w in re.split(r"[\s-]+", text) if w not in ("and", "et")]
    total = current = 0.0
    seen = False
    for word in words:
        if word == "quatrevingt":
            current += 80.0
        elif word in WORD_VALUES:
            current += WORD_VALUES[word]
        elif word in _MULTIPLIERS:
            current = (current or 1.0) * _MULTIPLIERS[word]
            if _MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0.0
        else:
            return None
        seen = True
    value = total + current
    return value if seen and math.isfinite(value) else None
