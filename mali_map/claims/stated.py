"""A claim stated by its parts rather than written as a sentence.

``mali-map check --from Kati --to Bamako --less-than "10 mi"`` and scripts that
already know the places and the number build their :class:`Claim` here, so it
is checked exactly like a claim read from text. The claim's ``text`` echoes
the words given ("Kati is less than 10 miles from Bamako").

>>> claim = stated_claim("Kati", "Bamako", "<", "10 miles")
>>> claim.text, claim.value, claim.unit
('Kati is less than 10 miles from Bamako', 10.0, 'mi')
"""

from __future__ import annotations

import re

from ..countries import country_code_of
from ..errors import BadInput
from ..geodesy import DECIMAL, compass16, compass_bearing, parse_amount
from .extract import absurd_value, read_anchor
from .numbers import read_number
from .records import COMPARATOR_WORDS, Claim


def stated_claim(
    subject: str, anchor: str, comparator: str | None = None, amount: str | None = None, direction: str | None = None
) -> Claim:
    """The claim "``subject`` is ``comparator amount`` [``direction`` of] ``anchor``".

    ``comparator``: ``"<"``, ``"<="``, ``">"``, ``">="`` or ``"~"``, with ``amount`` such
    as ``"10 mi"`` (the unit is required); ``direction``: a compass point or words
    (``NW``, ``north-west``). Raises :class:`BadInput` for a missing part, an amount
    without a unit, or an impossible distance.
    """
    if not subject or not anchor:
        raise BadInput("a stated claim needs both places")
    if (comparator is None) != (amount is None):
        raise BadInput("a distance needs both a comparator and an amount such as '10 mi'")
    if comparator is None and not direction:
        raise BadInput("say what is claimed: a distance and/or a direction")
    value = unit = None
    step = 1.0
    words: list[str] = []
    if comparator is not None and amount is not None:
        if comparator not in COMPARATOR_WORDS:
            raise BadInput(f"unknown comparator {comparator!r}; use one of {', '.join(COMPARATOR_WORDS)}")
        value, unit = parse_amount(amount)
        problem = absurd_value(value, None, unit)
        if problem:
            raise BadInput(f"not checked: {problem}")
        digits = re.match(DECIMAL, amount.strip())
        number = read_number(digits.group()) if digits else None
        step = number.step if number else 1.0
        words.append(f"{COMPARATOR_WORDS[comparator]} {' '.join(amount.split())}")
    said = (subject, anchor)  # the claim echoes the words given, country words included
    subject, subject_country = _bound(subject)
    anchor, anchor_country = _bound(anchor)
    letters = compass16(compass_bearing(direction)) if direction else None
    if direction:
        words.append(f"{' '.join(direction.split())} of")
    else:
        words.append("from")
    sentence = f"{said[0]} is {' '.join(words)} {said[1]}"
    return Claim(
        text=sentence,
        subject_mention=subject,
        comparator=comparator,
        value=value,
        unit=unit,
        direction=letters,
        subject_candidates=(subject,),
        step=step,
        end=len(sentence),
        span=(0, len(sentence)),
        subject_country=subject_country,
        **read_anchor(anchor),
        anchor_country_code=anchor_country,
    )


def _bound(place: str) -> tuple[str, str | None]:
    """``"Bamako, Senegal"`` -> ``("Bamako", "SN")``: a country named last binds the place to it."""
    head, comma, last = place.rpartition(",")
    code = country_code_of(last.strip()) if comma and head.strip() else None
    return (head.strip(), code) if code else (place, None)
