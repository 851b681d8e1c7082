"""Text -> :class:`~mali_map.claims.records.Claim`: find the distance and direction claims in a text.

Parse only: no place is looked up and no verdict given here, so this runs on any
text in microseconds per sentence. The words come from
:mod:`mali_map.claims.language`; numbers from :mod:`mali_map.claims.numbers`.

>>> [c.comparator for c in extract_claims("Kati is less than 10 miles from Bamako.")]
['<']
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Iterable

from ..countries import country_code_of, is_demonym
from ..errors import BadInput
from ..geodesy import HALF_CIRCUMFERENCE_KM, KM_PER_UNIT, compass16, compass_bearing
from ..vocabulary import COMPASS_WORD_PATTERN, COMPASS_WORD_PATTERN_FR
from .language import (
    ANCHOR_RE,
    APART_RE,
    CLAIM_RE,
    COMPARATORS,
    DIRECTION_RE,
    NAME,
    NAME_RE,
    NEGATION_BEFORE_RE,
    NOT_PLACES,
    SENTENCE_END_RE,
    TRAILING_DISTANCE_RE,
    UNIT,
    unit_code,
)
from .numbers import read_number
from .records import Claim

_POSSESSIVE = re.compile(r"['’]s$")
_SPACES = re.compile(r"\s+")
# a cheap test that lets most sentences skip the direction-only pattern: a compass word
# followed by "of"/"de" that no distance claim has already taken
_COMPASS_HINT = re.compile(
    rf"(?<![-\w])(?:(?i:{COMPASS_WORD_PATTERN})|[NSEW]{{1,3}})[-\w]*\s+of\b"
    rf"|\b(?:au|à\s+l['’])\s*{COMPASS_WORD_PATTERN_FR}"
)


def _mentions_apart(sentence: str) -> bool:
    lowered = sentence.lower()
    return any(word in lowered for word in ("apart", "distance", "l'une de", "l’une de"))


def _free_compass_word(sentence: str, taken: list[tuple[int, int]]) -> bool:
    return any(not _overlaps(hint.span(), taken) for hint in _COMPASS_HINT.finditer(sentence))


# the unit of :data:`CLAIM_RE` and :data:`APART_RE` alone, a necessary part of each: one quick pass
# (the whole patterns cost 15 times more on a sentence that names no unit, most of them)
_UNIT_HINT = re.compile(UNIT)
# French "L'attaque", "D'après": an elided article before a common noun, not a name
_ELIDED_NOUN = re.compile(r"[LlDd]['’][a-zà-ÿ]")
# a journey stated after the anchor: "... north-east of Bamako by road"
_JOURNEY_AFTER = re.compile(r"\s*,?\s+(?P<how>by road|by car|on the road|par la route|par route)\b", re.IGNORECASE)
_CAPITAL_AFTER = re.compile(r"\s+capital(?:e)?\b", re.IGNORECASE)


def extract_claims(text: str) -> list[Claim]:
    """Every distance or direction claim in ``text``, in order of appearance.

    >>> c = extract_claims("Kidal lies north-east of Gao.")[0]
    >>> (c.subject_mention, c.anchor_mention, c.comparator, c.direction)
    ('Kidal', 'Gao', None, 'NE')
    """
    if not isinstance(text, str):
        raise BadInput(f"expected text, got {type(text).__name__}")
    claims: list[Claim] = []
    for start, end in sentence_spans(text):
        claims.extend(_sentence_claims(text, start, end))
    return claims


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``, whitespace trimmed.

    Worked out once for the last few texts: reading a report asks for its sentences three
    times (incidents, claims, claims without their descriptors).
    """
    return list(_sentence_spans(text))


@functools.lru_cache(maxsize=2)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for boundary in SENTENCE_END_RE.finditer(text):
        stop = boundary.group("stop")
        spans.append((start, boundary.start() + (len(stop) if stop else 0)))
        start = boundary.end()
    spans.append((start, len(text)))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return tuple(trimmed)


def _sentence_claims(text: str, start: int, end: int) -> list[Claim]:
    sentence = text[start:end]
    found: list[tuple[int, int, dict]] = []  # (claim start, claim end, fields) within the sentence
    taken: list[tuple[int, int]] = []

    def collect(matches: Iterable[re.Match[str]], read: Callable[[re.Match[str]], dict | None]) -> None:
        """Keep the claims ``read`` makes of ``matches`` that no earlier pattern has taken."""
        for match in matches:
            fields = None if _overlaps(match.span(), taken) else read(match)
            if fields:
                found.append((match.start(), match.end(), fields))
                bisect.insort(taken, match.span())

    if _UNIT_HINT.search(sentence):  # a distance claim names its unit: most sentences skip both patterns
        if _mentions_apart(sentence):  # "Kati and Bamako are 15 km apart" before its "15 km" alone
            collect(APART_RE.finditer(sentence), _apart_fields)
        collect(CLAIM_RE.finditer(sentence), _distance_fields)
    if _free_compass_word(sentence, taken):
        collect(DIRECTION_RE.finditer(sentence), _direction_fields)
    found.sort(key=lambda item: item[0])

    claims: list[Claim] = []
    previous_end = 0
    previous_subjects: tuple[str, ...] = ()
    for claim_start, claim_end, fields in found:
        if fields["comparator"] is None:  # "south-east of Mopti, some 900 km away": the distance too
            trailing = TRAILING_DISTANCE_RE.match(sentence, claim_end)
            amount = _amount_fields(trailing) if trailing else None
            if trailing and amount:
                fields.update(amount)
                claim_end = trailing.end()
        journey = _JOURNEY_AFTER.match(sentence, claim_end)
        if journey and not fields.get("modifier"):
            fields["modifier"] = journey.group("how").lower()
        qualifier = _COUNTRY_AFTER.match(sentence, claim_end)
        if qualifier and fields.get("anchor_kind") == "place" and country_code_of(qualifier.group("country")):
            fields["anchor_country_code"] = country_code_of(qualifier.group("country"))  # "Bamako, Senegal"
        subjects = fields.pop("subject_candidates", None)
        if subjects is None:
            subjects = _subject_candidates(sentence, previous_end, claim_start)
            if not subjects:  # "Gao is 320 km east of Tombouctou and 1,200 km from Bamako"
                subjects = previous_subjects
        subjects, fields["subject_country"] = _country_bound(sentence, previous_end, claim_start, tuple(subjects))
        claims.append(
            Claim(
                text=sentence,
                subject_mention=subjects[0] if subjects else None,
                subject_candidates=tuple(subjects),
                start=start,
                end=end,
                span=(start + claim_start, start + claim_end),
                **fields,
            )
        )
        previous_end, previous_subjects = claim_end, subjects
    return claims


#: a country named right after a place: "from Bamako, Senegal"
_COUNTRY_AFTER = re.compile(rf",\s*(?P<country>{NAME})(?![^\W\d_])")


def _country_bound(sentence: str, lo: int, hi: int, subjects: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """Subject candidates without a country named right after the subject ("Kati, Mali, is ..."),
    and that country's code: the subject must lie there."""
    if len(subjects) < 2 or is_demonym(subjects[0]):
        return subjects, None
    code = country_code_of(subjects[0])
    if code is None or not re.search(rf"{re.escape(subjects[1])}\s*,\s*{re.escape(subjects[0])}\b", sentence[lo:hi]):
        return subjects, None
    return subjects[1:], code


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Whether ``span`` overlaps one of ``taken`` (sorted, non-overlapping spans), in log time, so a
    sentence of thousands of claims is not quadratic."""
    before = bisect.bisect_left(taken, (span[1],))  # the spans that start before ``span`` ends
    return before > 0 and taken[before - 1][1] > span[0]


def _subject_candidates(sentence: str, lo: int, hi: int) -> tuple[str, ...]:
    """Names between ``lo`` and ``hi``, nearest to the claim first, function words dropped."""
    names = []
    for match in NAME_RE.finditer(sentence, lo, hi):
        if _CAPITAL_AFTER.match(sentence, match.end()):  # "the Burkinabe capital": a people, not the subject
            continue
        name = clean_name(match.group())
        if name:
            names.append(name)
    return tuple(reversed(names))


@functools.lru_cache(maxsize=8192)
def clean_name(name: str) -> str:
    """Drop leading sentence words ("The", "In"), a possessive "'s" and times ("Tuesday")."""
    words = _SPACES.sub(" ", name).split(" ")
    while words and (words[0].lower() in NOT_PLACES or _ELIDED_NOUN.match(words[0])):
        words.pop(0)
    if not words or (len(words) == 1 and words[0].lower() in NOT_PLACES):
        return ""
    return _POSSESSIVE.sub("", " ".join(words))


#: what "not" makes of a comparator: "not more than 20 km" is at most 20 km
NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def _distance_fields(match: re.Match) -> dict | None:
    groups = match.groupdict()
    comparator, tight = COMPARATORS.get(_norm(groups["cmp"]), ("~", False)) if groups["cmp"] else ("~", False)
    if groups["num"] is not None:
        amount = read_number(groups["num"])
        unit = unit_code(groups["unit"])
        if amount is None:
            return None
        value, value_hi, step = amount.value, amount.value_hi, amount.step
    else:
        lo, hi = read_number(groups["lo"]), read_number(groups["hi"])
        if lo is None or hi is None:
            return None
        unit = unit_code(groups["hiunit"])
        lo_value = lo.value
        if groups["lounit"]:
            lo_value = lo.value * KM_PER_UNIT[unit_code(groups["lounit"])] / KM_PER_UNIT[unit]
        value, value_hi, step = min(lo_value, hi.value), max(lo_value, hi.value), min(lo.step, hi.step)
        comparator, tight = "~", False
    if value_hi is not None and comparator != "~":  # "within a few miles": the bound is the far end
        value, value_hi = (value_hi if comparator in ("<", "<=") else value), None
    direction = _direction(groups.get("dir") or groups.get("dirfr"))
    if (groups.get("dir") or groups.get("dirfr")) and direction is None:
        return None
    comparator, negated = _negation(match.string, match.start(), comparator, tight, value_hi)
    after = _norm(groups["after"]) or None
    fields = dict(
        comparator=comparator,
        value=value,
        value_hi=value_hi,
        unit=unit,
        step=step,
        tight=tight,
        direction=direction,
        also_stated=_norm(groups["also"]) or None,
        modifier=after,
        negated=negated,
    )
    fields.update(_anchor_fields(groups))
    fields["problem"] = absurd_value(value, value_hi, unit)
    return fields


def _negation(sentence: str, start: int, comparator: str, tight: bool, value_hi: float | None) -> tuple[str, bool]:
    """``(comparator, negated)`` for a claim whose words start at ``start``.

    A "not", "isn't", "never", "n'est pas" or "pas" right before the claim negates it: a bound
    becomes the opposite bound ("never more than 20 km" is at most 20 km, "pas plus de" too);
    "about", a range or "nearly" have no opposite, so the claim is kept and marked ``negated``
    (its verdict is then inverted, and the explanation says so).
    """
    if not NEGATION_BEFORE_RE.search(sentence, max(0, start - 40), start):
        return comparator, False
    if comparator in NEGATED and not tight and value_hi is None:
        return NEGATED[comparator], False
    return comparator, True


def _amount_fields(match: re.Match) -> dict | None:
    """The distance fields of a trailing amount ("some 900 km away"), or ``None`` if it reads no number."""
    groups = match.groupdict()
    amount = read_number(groups["num"])
    if amount is None:
        return None
    comparator, tight = COMPARATORS.get(_norm(groups["cmp"]), ("~", False)) if groups["cmp"] else ("~", False)
    unit = unit_code(groups["unit"])
    value, value_hi = amount.value, amount.value_hi
    if value_hi is not None and comparator != "~":
        value, value_hi = (value_hi if comparator in ("<", "<=") else value), None
    return dict(
        comparator=comparator,
        value=value,
        value_hi=value_hi,
        unit=unit,
        step=amount.step,
        tight=tight,
        problem=absurd_value(value, value_hi, unit),
    )


def _direction_fields(match: re.Match) -> dict | None:
    groups = match.groupdict()
    direction = _direction(groups["dir"] or groups["dirfr"])
    if direction is None:
        return None
    fields = dict(comparator=None, value=None, value_hi=None, unit=None, direction=direction)
    fields.update(_anchor_fields(groups))
    return fields


def _apart_fields(match: re.Match) -> dict | None:
    groups = match.groupdict()
    second = groups["a"] is None
    a, b = (groups["a2"], groups["b2"]) if second else (groups["a"], groups["b"])
    a, b = clean_name(a), clean_name(b)
    raw_cmp = groups["cmp2" if second else "cmp"]
    amount = read_number(groups["num2" if second else "num"])
    if not a or not b or amount is None:
        return None
    comparator, tight = COMPARATORS.get(_norm(raw_cmp), ("~", False)) if raw_cmp else ("~", False)
    unit = unit_code(groups["unit2" if second else "unit"])
    value, value_hi = amount.value, amount.value_hi
    if value_hi is not None and comparator != "~":
        value, value_hi = (value_hi if comparator in ("<", "<=") else value), None
    return dict(
        subject_candidates=(a,),
        anchor_mention=b,
        anchor_kind="place",
        comparator=comparator,
        value=value,
        value_hi=value_hi,
        unit=unit,
        step=amount.step,
        tight=tight,
        also_stated=_norm(groups["also2" if second else "also"]) or None,
        problem=absurd_value(value, value_hi, unit),
    )


def read_anchor(text: str) -> dict:
    """``anchor_mention``, ``anchor_kind`` and ``anchor_country`` for an anchor written on its own.

    >>> read_anchor("the Malian capital")["anchor_kind"]
    'capital'
    """
    match = ANCHOR_RE.match(text)
    if match is None:
        return dict(anchor_mention=text.strip(), anchor_kind="place", anchor_country=None)
    fields = _anchor_fields(match.groupdict())
    fields.setdefault("anchor_country", None)
    return fields


def _anchor_fields(groups: dict) -> dict:
    """Anchor mention and kind from the anchor groups of a claim match."""
    appositive = groups.get("cname") or groups.get("cname2") or groups.get("cname3")
    if appositive:  # "the capital, Bamako": the name says which place
        return dict(anchor_mention=clean_name(appositive) or appositive, anchor_kind="place")
    if groups.get("name"):
        name = clean_name(groups["name"])
        return dict(anchor_mention=name or groups["name"], anchor_kind="place")
    country = (
        groups.get("cdem") or groups.get("cof") or groups.get("cposs") or groups.get("cfrof") or groups.get("cfrdem")
    )
    country = clean_name(country.strip()) if country else None
    mention = _anchor_phrase(groups)
    return dict(anchor_mention=mention, anchor_kind="capital", anchor_country=country or None)


def _anchor_phrase(groups: dict) -> str:
    if groups.get("cposs"):
        return f"{groups['cposs']}'s capital"
    if groups.get("cfrof") or groups.get("cfrdem"):
        return "la capitale " + (f"de {groups['cfrof']}" if groups.get("cfrof") else groups["cfrdem"])
    if groups.get("cof"):
        return f"the capital of {groups['cof']}"
    if groups.get("cdem"):
        return f"the {groups['cdem'].strip()} capital"
    return "the capital"


@functools.lru_cache(maxsize=256)
def _direction(words: str | None) -> str | None:
    if not words:
        return None
    try:
        return compass16(compass_bearing(words))
    except BadInput:
        return None


def absurd_value(value: float | None, value_hi: float | None, unit: str | None) -> str | None:
    """Why a stated distance cannot be checked, or ``None``: negative, or beyond half the Earth."""
    if value is None or unit is None:
        return None
    for number in (value, value_hi):
        if number is None:
            continue
        if not math.isfinite(number):  # 400 digits or "1e400": beyond what a float holds
            return f"the number is too large to be a distance ({unit})"
        if number < 0:
            return f"a distance cannot be negative ({_fmt(number)} {unit})"
        km = number * KM_PER_UNIT[unit]
        if km > HALF_CIRCUMFERENCE_KM:
            return (
                f"{_fmt(number)} {unit} is farther than any two places on Earth can be apart "
                f"({HALF_CIRCUMFERENCE_KM:,.0f} km)"
            )
    return None


def _fmt(number: float) -> str:
    if abs(number) >= 1e15:  # "1.5e30", not thirty-one digits
        return f"{number:.3g}"
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"


def _norm(words: str | None) -> str:
    return _SPACES.sub(" ", words).strip().lower() if words else ""
