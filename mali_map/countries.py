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

from .textnorm import name_key

#: The country focus when none is given (``--country``, ``country=None``).
DEFAULT_COUNTRY = "ML"


def focus_country(country: str | None) -> str | None:
    """The focus a ``country=`` argument means: ``None`` -> :data:`DEFAULT_COUNTRY`, ``""`` -> no focus."""
    if country is None:
        return DEFAULT_COUNTRY
    return country.strip().upper() or None


@functools.lru_cache(maxsize=1)
def country_words() -> dict[str, str]:
    """Name key of every country name, ISO3 code and demonym (English and French) -> ISO2 code."""
    from . import geodata

    words: dict[str, str] = {}
    for country in geodata.countries():
        for word in (country["name"], country["iso3"], *country.get("names", ()), *country.get("demonyms", ())):
            words.setdefault(name_key(word), country["iso2"])
    return words


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


@functools.lru_cache(maxsize=8192)
def is_demonym(word: str) -> bool:
    """True for a people's name ("Malian", "Burkinabe"), false for a country's own name ("Mali")."""
    code = country_code_of(word)
    if code is None:
        return False
    from . import geodata

    names = next((c for c in geodata.countries() if c["iso2"] == code), {})
    return name_key(word) not in {name_key(n) for n in (names.get("name", ""), *names.get("names", ()))}


@functools.lru_cache(maxsize=1)
def _iso2_codes() -> frozenset[str]:
    from . import geodata

    return frozenset(c["iso2"].upper() for c in geodata.countries())
