"""Recognition: where in a text are names that may be places?

The default recogniser needs no model. It walks the capitalised words of the
text, tries the longest run of words (up to :data:`MAX_WORDS`) whose name key
the gazetteer knows, and keeps it unless a precision rule says it is not a
place here:

- a common word ("The", "Police", "Of") counts only after a cue ("in Sale");
- a title before it ("Mr Mali", "Gen. Kati") or a reporting verb after it
  ("Keita said") makes it a person;
- capitalised words glued to it make a different name ("Washington Post",
  "Salif Keita"), unless they are facility words ("Bamako Court", "the
  Lexington Police"), where the place still counts;
- a sentence-initial word needs to be a well-known place or to have a cue.

It also finds demonyms ("Malian soldiers" point at Mali) and descriptors
("the capital", "the Malian capital", "the north"), which the resolver turns
into places with the document's country.

Lookups go through ``lookup(name) -> list[Place]`` (the resolver passes a
memoised ``Gazetteer.candidates``), so each distinct name costs one index
query per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..textnorm import name_key
from .words import (COMMON_WORDS, COMPASS, CONNECTORS, COUNTRY_ACRONYMS, FACILITY_WORDS, PERSON_VERBS,
                    PLACE_CUES, TITLES)

MAX_WORDS = 5
#: Candidates at least this prominent (a city of ~100,000, a region, a country) count without a cue.
WELL_KNOWN = 5.0

NAME, DEMONYM, DESCRIPTOR = "name", "demonym", "descriptor"

_WORD = re.compile(r"\w+(?:(?:['’](?![sS]\b)|-|\.(?=\w\.))\w+)*\.?", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"”’)]*\s+|\n\s*|[\"“(]\s*)$")
_DESCRIPTOR = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]his)\s+(?:(?P<people>[A-Z][\w'’-]+)\s+)?"
    r"(?:(?P<capital>capital(?:\s+city)?)|(?P<part>(?:far\s+)?(?:north|south|east|west)(?:[\s-]?(?:east|west))?)"
    r"(?!\s+of\s+[A-Z])(?![\w-])(?!\s+(?:side|end|bank|wing|gate|entrance|door|wall|pole|star|sea|coast|face|"
    r"shore|slope|tower|block|stand|terminal)\b))")


@dataclass(frozen=True)
class Span:
    """A stretch of text that may name a place.

    ``kind``: ``name`` (a toponym), ``demonym`` (``country`` holds its ISO code)
    or ``descriptor`` (``descriptor`` is ``"capital"`` or a compass letter;
    ``country`` the country it names, if any). ``cue``: a place word stood
    before it ("in", "near"). ``context``: the name right after a comma
    ("Lexington, Kentucky"), a strong hint for resolution.
    """

    start: int
    end: int
    text: str
    kind: str = NAME
    cue: bool = False
    sentence_start: bool = False
    country: str | None = None
    descriptor: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def key(self) -> str:
        return self.text.rstrip(".").lower()


def recognise(text: str, lookup: Callable[[str], list], country_words: dict[str, str]) -> list[Span]:
    """Every span of ``text`` that names a place, a people or a descriptor, in text order.

    ``lookup(name)``: the gazetteer's candidates for a name (empty when unknown);
    ``country_words``: name key of country names and demonyms -> ISO code.
    """
    words = [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    lowercase_words = {w.text.lower() for w in words if w.text.islower()}
    headline = _headline_words(text, words)
    spans: list[Span] = []
    taken_until = -1
    for i, word in enumerate(words):
        if word.start < taken_until or not _may_start_name(word):
            continue
        found = _longest_name(text, words, i, lookup)
        if found is None:
            continue
        j, places = found
        span = _judge(text, words, i, j, places, lowercase_words, country_words, i in headline)
        if span is not None:
            spans.append(span)
            taken_until = span.end
    spans += _descriptors(text, country_words, spans)
    spans.sort(key=lambda s: s.start)
    return spans


def _may_start_name(word: _Word) -> bool:
    if not word.capitalised or word.text[0].isdigit():
        return False
    if word.text.isupper() and len(word.text.rstrip(".")) <= 3:
        return word.text.rstrip(".") in COUNTRY_ACRONYMS
    return True


def _longest_name(text: str, words: list[_Word], i: int, lookup) -> tuple[int, list] | None:
    """``(index of the last word, candidates)`` of the longest known name starting at word ``i``."""
    ends = [i]
    for j in range(i + 1, min(len(words), i + 2 * MAX_WORDS)):
        gap = text[words[j - 1].end:words[j].start]
        if not _joins(gap) or len(ends) >= MAX_WORDS:
            break
        if words[j].capitalised:
            ends.append(j)
        elif words[j].text not in CONNECTORS:
            break
    for j in reversed(ends):
        name = text[words[i].start:words[j].end].rstrip(".")
        if j > i and words[j].text.rstrip(".").lower() in CONNECTORS:
            continue
        places = lookup(name)
        if places:
            return j, places
    return None


def _joins(gap: str) -> bool:
    """Whether two words separated by ``gap`` can belong to one name."""
    return gap in (" ", "-", "") or (gap.strip() == "" and "\n" not in gap and len(gap) <= 2)


def _judge(text: str, words: list[_Word], i: int, j: int, places: list, lowercase: set[str],
           country_words: dict[str, str], headline: bool = False) -> Span | None:
    """The span of words ``i..j`` if the precision rules keep it, else ``None``."""
    first, last = words[i], words[j]
    start, end = first.start, last.end - (1 if last.text.endswith(".") and not _abbreviation(last.text) else 0)
    name = text[start:end]
    key = name_key(name)
    before = words[i - 1] if i > 0 else None
    after = words[j + 1] if j + 1 < len(words) else None
    sentence_start = bool(_SENTENCE_START.search(text[max(0, start - 4):start])) or start == 0
    cue = before is not None and before.key in PLACE_CUES and _near(text, before, first)

    demonym = country_words.get(key)
    if demonym and name_key(name) not in _country_own_names(places):
        if after is not None and after.key in ("embassy", "consulate", "ambassador", "government", "foreign"):
            return None
        if _is_demonym_form(name, places):
            return Span(start, end, name, DEMONYM, cue, sentence_start, country=demonym)

    if before is not None and before.key in TITLES and _near(text, before, first):
        return None
    if after is not None and after.key in PERSON_VERBS and _near(text, last, after) and not cue:
        return None
    if headline:
        pass  # Title Case Headlines capitalise every word: the glued-name rules say nothing there
    elif after is not None and after.capitalised and _near(text, last, after) and after.key not in FACILITY_WORDS:
        return None  # "Washington Post", "Salif Keita": another name that merely starts with a place name
    elif before is not None and before.capitalised and _near(text, before, first) and not sentence_start \
            and before.key not in PLACE_CUES and before.key not in COMMON_WORDS:
        return None  # "Jordan Smith": the place name ends someone else's name
    single_common = i == j and (key in COMMON_WORDS or key in lowercase)
    if single_common and not cue:
        return None
    prominent = max((_prominence(p) for p in places), default=0.0) >= WELL_KNOWN
    if sentence_start and not cue and i == j and not prominent and key in lowercase:
        return None
    context = None
    if after is not None and text[last.end:after.start] == ", " and after.capitalised:
        context = _comma_context(text, words, j + 1)
    return Span(start, end, name, NAME, cue, sentence_start, context=context)


def _headline_words(text: str, words: list[_Word]) -> set[int]:
    """Indexes of words in Title Case sentences or lines (most words capitalised), such as headlines."""
    found: set[int] = set()
    segment: list[int] = []
    for index, word in enumerate(words):
        gap = text[words[index - 1].end:word.start] if index else ""
        if segment and ("\n" in gap or (gap.startswith(". ") or gap.startswith("! ") or gap.startswith("? "))
                        or words[index - 1].text.endswith(".") and not _abbreviation(words[index - 1].text)):
            _mark_title_case(words, segment, found)
            segment = []
        segment.append(index)
    _mark_title_case(words, segment, found)
    return found


def _mark_title_case(words: list[_Word], segment: list[int], found: set[int]) -> None:
    content = [k for k in segment if words[k].key not in CONNECTORS and words[k].key not in ("a", "an", "the", "for", "with", "at", "by", "to", "in")]
    if len(content) >= 4 and sum(words[k].capitalised for k in content) >= 0.8 * len(content):
        found.update(segment)


def _abbreviation(word: str) -> bool:
    return len(word) <= 4 or "." in word[:-1]


def _near(text: str, a: _Word, b: _Word) -> bool:
    return text[a.end:b.start] in (" ", ". ")


def _comma_context(text: str, words: list[_Word], k: int) -> str:
    """The capitalised words after a comma ("Kentucky" of "Lexington, Kentucky")."""
    end = k
    while end + 1 < len(words) and words[end + 1].capitalised and _near(text, words[end], words[end + 1]):
        end += 1
    return text[words[k].start:words[end].end].rstrip(".")


def _prominence(place) -> float:
    import math

    bonus = {"country": 3.0, "capital": 2.0, "admin1": 1.5}.get(place.feature, 0.0)
    return math.log10((place.population or 0) + 10) + bonus


def _country_own_names(places: list) -> set[str]:
    return {name_key(p.name) for p in places if p.feature == "country"}


def _is_demonym_form(name: str, places: list) -> bool:
    """A demonym ("Malian") rather than a town that happens to share it: no prominent town of that name."""
    return not any(p.feature != "country" and (p.population or 0) >= 50_000 for p in places)


def _descriptors(text: str, country_words: dict[str, str], names: list[Span]) -> list[Span]:
    """"the capital", "the Malian capital", "the north" (not inside a name already found)."""
    taken = [(s.start, s.end) for s in names]
    spans = []
    for match in _DESCRIPTOR.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        people = match.group("people")
        country = country_words.get(name_key(people)) if people else None
        if people and country is None:
            continue
        start = match.start()
        if match.group("capital"):
            after = text[match.end():match.end() + 20]
            if re.match(r"\s+of\s+[A-Z]", after):
                continue  # "the capital of Niger": the name that follows carries the place
            spans.append(Span(start, match.end(), text[start:match.end()], DESCRIPTOR, country=country,
                              descriptor="capital"))
        else:
            part = re.sub(r"[\s-]+", " ", match.group("part").lower()).replace("far ", "")
            spans.append(Span(start, match.end(), text[start:match.end()], DESCRIPTOR, country=country,
                              descriptor=COMPASS[part]))
    return spans
