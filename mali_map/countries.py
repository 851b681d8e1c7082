"""Countries as people write them: the default focus, and country words -> ISO codes.

The one home of two vocabularies every part uses:

- :data:`DEFAULT_COUNTRY`, the focus when none is given, and :func:`focus_country`,
  which gives ``country=`` arguments one meaning everywhere: ``None`` is the
  default focus (``ML``), ``""`` is no focus, anything else an ISO code.
- the country words: names in English and French, ISO3 codes and demonyms
  ("Malian", "malienne", "Burkinabe"), from the embedded ``geodata``.

>>> focus_country(None), focus_country(""), focus_country("bf")
('ML', None, 'BF')
>>> country_code_of("malienne"), country_code("ML"), country_code("Kati")
('ML', 'ML', None)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .textnorm import name_key

#: The country focus when none is given (``--country``, ``country=None``).
DEFAULT_COUNTRY = "ML"


def focus_country(country: str | None) -> str | None:
    """The focus a ``country=`` argument means: ``None`` -> :data:`DEFAULT_COUNTRY`, ``""`` -> no focus.

    Anything else must be an ISO 3166-1 alpha-2 code (any case); a code that names no country, or
    a country's name, raises :class:`~mali_map.errors.BadInput` (a focus of ``"Mali"`` or ``"XX"``
    would otherwise quietly lower every confidence):

    >>> focus_country("Mali")
    Traceback (most recent call last):
    ...
    mali_map.errors.BadInput: country: 'Mali' is not an ISO 3166-1 alpha-2 country code; did you mean ML?
    """
    if country is None:
        return DEFAULT_COUNTRY
    return _checked_code(country, "country")


def check_country_codes(codes: Iterable[str] | str | None, *, where: str = "only") -> frozenset[str] | None:
    """Upper-case ISO codes as a set (``None`` for none), each checked as :func:`focus_country` checks.

    >>> sorted(check_country_codes(["ml", "BF"]))
    ['BF', 'ML']
    >>> check_country_codes("XX")
    Traceback (most recent call last):
    ...
    mali_map.errors.BadInput: only: 'XX' is not an ISO 3166-1 alpha-2 country code
    """
    if codes is None:
        return None
    if isinstance(codes, str):
        codes = [codes]
    found = frozenset(code for code in (_checked_code(c, where) for c in codes if c is not None) if code)
    return found or None


def _checked_code(value: str, where: str) -> str | None:
    """``value`` as an upper-case ISO2 code, ``None`` when blank; :class:`BadInput` when it names no country."""
    if not isinstance(value, str):
        from .errors import BadInput

        raise BadInput(f"{value!r} is not a country code (a text such as 'ML')", where=where)
    code = value.strip().upper()
    if not code or code in _iso2_codes():
        return code or None
    from .errors import BadInput

    meant = country_code_of(value)
    hint = f"; did you mean {meant}?" if meant else ""
    raise BadInput(f"{value.strip()!r} is not an ISO 3166-1 alpha-2 country code{hint}", where=where)


@functools.lru_cache(maxsize=1)
def country_words() -> dict[str, str]:
    """Name key of every country word -> ISO2 code: the one table every part reads.

    The words: each country's names in English and French, its ISO3 code and its demonyms
    (a demonym listed as ``"Channel Islander, Jerseyman"`` gives each part), from the
    embedded ``geodata``.

    **The rule for a word several countries share: the most populous of them wins**, whatever
    kind of word it is for each. A reader who writes "American" means the United States far
    more often than the Northern Mariana Islands, "Dominican" the Dominican Republic (DO) more
    often than Dominica (DM), "Congolese" DR Congo, "Chinese" China, "British" the United
    Kingdom (not the British Virgin Islands). Text that means the smaller country names it.

    >>> [country_words()[word] for word in ("american", "dominican", "congolese", "british", "malian")]
    ['US', 'DO', 'CD', 'GB', 'ML']
    """
    return {word: code for word, (code, _) in _word_table().items()}


@functools.lru_cache(maxsize=1)
def demonym_words() -> dict[str, str]:
    """The demonyms of :func:`country_words` only ("malian" -> "ML"), by the same rule: what the
    geoparser recognises as a people's name."""
    return {word: code for word, (code, demonym) in _word_table().items() if demonym}


@functools.lru_cache(maxsize=1)
def _word_table() -> dict[str, tuple[str, bool]]:
    """Name key -> (ISO2 code, whether the word is a demonym of that country), most populous first."""
    from . import geodata

    table: dict[str, tuple[str, bool]] = {}
    for country in sorted(geodata.countries(), key=lambda c: (-(c.get("population") or 0), c["iso2"])):
        own = (country["name"], country["iso3"], *country.get("names", ()))
        for word in own:
            table.setdefault(name_key(word), (country["iso2"], False))
        for demonym in country.get("demonyms", ()):
            for part in (demonym, *demonym.split(",")):
                if part.strip():
                    table.setdefault(name_key(part), (country["iso2"], True))
    return table


@functools.lru_cache(maxsize=8192)
def country_code_of(word: str | None) -> str | None:
    """'Malian', 'malienne', 'Mali', 'Burkina Faso' -> ISO2 code; None when not a country word."""
    if not word:
        return None
    return country_words().get(name_key(word))


def country_code(text: str) -> str | None:
    """As :func:`country_code_of`, and an upper-case ISO2 code (``ML``) counts too."""
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isalpha() and stripped.isupper():
        return stripped if stripped in _iso2_codes() else None
    return country_code_of(stripped)


def is_demonym(word: str) -> bool:
    """True for a people's name ("Malian", "Burkinabe"), false for a country's own name ("Mali")."""
    return name_key(word) in demonym_words() if word else False


@functools.lru_cache(maxsize=1)
def _iso2_codes() -> frozenset[str]:
    from . import geodata

    return frozenset(c["iso2"].upper() for c in geodata.countries())
