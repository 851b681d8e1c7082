"""Recognition: where in a text are names that may be places?

The default recogniser needs no model. It walks the capitalised words of the
text, tries the longest run of words (up to :data:`MAX_WORDS`) whose name key
the gazetteer knows, and keeps it unless a precision rule says it is not a
place here:

- a common word ("The", "Police", "Of") counts only after a cue ("in Sale"),
  and month and weekday names never do;
- a title before it ("Mr Mali", "Gen. Kati"), a reporting verb next to it
  ("Keita said", "said Jones") or a first name before it ("Salif Keita") makes
  it a person; so do its other bare uses in the same text;
- capitalised words glued to it make a different name ("Washington Post"),
  unless they name an organisation or facility based there ("Bamako Court",
  "Alexandria City Public Schools"), where the place still counts;
- a sentence-initial word needs to be a known place or to have a cue;
- a country or state before one of its institutions or offices ("U.S. Attorney",
  "Nebraska Senate") still counts, and so does a large capital before a reporting
  verb ("Dakar says": the government speaks);
- hyphenated words are split when they join a place to an ending ("Bamako-based")
  or nations to each other ("Mali-Niger", "Senegalese-Malian").

Abbreviations of news style ("U.S.", "Ky.", "W.Va.") are looked up by their
full name. Demonyms ("Malian soldiers" point at Mali) and descriptors ("the
capital", "the Malian capital", "the north") are found too; the resolver turns
them into places with the document's country.

Lookups go through ``lookup(name) -> list[Place]`` (the geoparser passes a
memoised ``Gazetteer.candidates``), so each distinct name costs one index
query per process.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..textnorm import name_key
from ..vocabulary import compass_pattern
from .words import (
    ABBREVIATIONS,
    ALONE_ONLY,
    COMMON_WORDS,
    COMPASS,
    CONNECTORS,
    COUNTY_WORDS,
    FACILITY_WORDS,
    INSTITUTION_NAMES,
    NEVER_PLACES,
    ORGANISATION_WORDS,
    PERSON_VERBS,
    PLACE_CUES,
    PLACE_SUFFIXES,
    REGION_WORDS,
    ROAD_WORDS,
    STATE_BODY_WORDS,
    STREET_WORDS,
    TITLES,
)

MAX_WORDS = 5
NAME, DEMONYM, DESCRIPTOR = "name", "demonym", "descriptor"

# A French elided article is a word of its own ("d'Ansongo" is "d'" + "Ansongo"), then words
# with inner apostrophes, hyphens or the periods of abbreviations ("N'Djamena", "Kati-Ville", "U.S.").
_WORD = re.compile(r"[dDlL]['’](?=[^\W\d_])|\w+(?:(?:['’](?![sS]\b)|-|\.(?=\w+\.))\w+)*\.?", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"”’)]*\s+|\n\s*|[\"“(]\s*)$")
_PART = compass_pattern(winds=8, separator=r"[\s-]?")
_DESCRIPTOR = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]his)\s+(?:(?P<people>[A-Z][\w'’-]+)\s+)?"
    rf"(?:(?P<capital>capital(?:\s+city)?)|(?P<part>(?:far\s+)?{_PART})"
    r"(?!\s+of\s+[A-Z])(?![\w-])(?!\s+(?:side|end|bank|wing|gate|entrance|door|wall|pole|star|sea|coast|face|"
    r"shore|slope|tower|block|stand|terminal)\b))"
)
_DEMONYM_AFTER_NOT_PLACE = frozenset(("embassy", "consulate", "ambassador", "ambassadors"))


@dataclass(frozen=True)
class Span:
    """A stretch of text that may name a place.

    ``kind``: ``name`` (a toponym; ``query`` is the name to look up when it
    differs from the text, as for "Ky."), ``demonym`` (``country`` holds its
    ISO code) or ``descriptor`` (``descriptor`` is ``"capital"`` or a compass
    letter, ``country`` the country it names, if any). ``cue``: a place word
    stood before it ("in", "near"). ``context``: the name right after a comma
    ("Lexington, Kentucky"), a strong hint for resolution. ``feature``: what the
    text says the place is ("admin1" for "the Mopti region").
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
    query: str | None = None
    feature: str | None = None

    @property
    def name(self) -> str:
        """What to look up: the full name of an abbreviation, else the text."""
        return self.query or self.text


class _Word:
    """A word of the text, with what the rules ask of it worked out once: a batch of news has
    hundreds of thousands of words, each asked these several times."""

    __slots__ = ("start", "end", "text", "capitalised", "key", "ends_sentence")
    start: int
    end: int
    text: str
    capitalised: bool
    key: str
    ends_sentence: bool

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.capitalised = text[:1].isupper()
        self.key = text.rstrip(".").lower()
        self.ends_sentence = text.endswith(".") and not _abbreviation(text)


def recognise(
    text: str,
    lookup: Callable[[str], list],
    demonyms: dict[str, str],
    focus: str | None = None,
    *,
    prefetch: Callable[[set[str]], None] | None = None,
) -> list[Span]:
    """Every span of ``text`` that names a place, a people or a descriptor, in text order.

    ``lookup(name)``: the gazetteer's candidates for a name (empty when unknown);
    ``demonyms``: name key of demonyms ("malian", "burkinabe") -> ISO code;
    ``focus``: the focus country, whose places' other names ("Tombouctou") count without a cue;
    ``prefetch(names)``: told, before any lookup, the names runs of capitalised words may be
    looked up by (the geoparser asks the index about them in one batch).
    """
    words = [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if prefetch is not None:
        prefetch(_name_windows(text, words))
    words = _split_compounds(words, lookup, demonyms)
    lowercase = {w.text.lower() for w in words if w.text.islower()}
    headline = _headline_words(text, words)
    descriptors = _descriptors(text, demonyms)
    starts = [w.start for w in words]  # in text order
    inside = {k for d in descriptors for k in range(bisect_left(starts, d.start), bisect_left(starts, d.end))}
    spans: list[Span] = []
    persons: set[str] = set()
    speakers: list[Span] = []
    taken_until = -1
    for i, word in enumerate(words):
        if word.start < taken_until or not word.capitalised or i in inside:
            continue
        if word.key in NEVER_PLACES and not _country_letters(words, i):
            continue  # "Us", "May": but "the US" is the country
        demonym = _demonym_at(text, words, i, demonyms)
        if demonym is not None:
            spans.append(demonym)
            taken_until = demonym.end
            continue
        found = _longest_name(text, words, i, lookup)
        if found is None:
            unknown = _unknown_place(text, words, i, lowercase)
            if unknown is not None:
                spans.append(unknown)
                taken_until = unknown.end
            continue
        j, places, query = found
        region = _region_after(text, words, j)
        if region is not None and not all(w.key in COMMON_WORDS or w.key in _SMALL_WORDS for w in words[i : j + 1]):
            end = words[region].end
            query = text[word.start : words[j].end]
            spans.append(Span(word.start, end, text[word.start : end], cue=True, query=query, feature="admin1"))
            taken_until = end
            continue
        county = _county_after(text, words, j)
        if county is not None:
            end = words[county].end
            context = _context_after(text, words, county)
            spans.append(Span(word.start, end, text[word.start : end], cue=True, context=context))
            taken_until = end
            continue
        if name_key(text[word.start : words[j].end]) in INSTITUTION_NAMES and _context_after(text, words, j) is None:
            taken_until = words[j].end
            continue  # "the White House said": the institution, not a town of that name
        cued = i > 0 and words[i - 1].key in PLACE_CUES and _near(text, words[i - 1], word)
        if query is None and not cued and _alias_only(text[word.start : words[j].end], places, focus):
            continue  # "Hamas" is an old name of Hamm, "Passover" one of a village: not without a cue
        span = _judge(
            text,
            words,
            i,
            j,
            places,
            lowercase,
            i in headline,
            persons,
            speakers,
            abbreviated=query is not None and _country_letters(words, i),
        )
        if span is not None:
            if query:
                span = replace(span, cue=True, query=query)
            spans.append(span)
            taken_until = span.end
    # A name the text places somewhere ("in Ardmore", "Ardmore residents") is a place in the whole text:
    # a reporting verb after it elsewhere ("Ardmore says no") is the town speaking, not a person.
    placed = {name_key(s.text) for s in spans if s.kind == NAME and _placed(text, s)}
    said = {name_key(s.text) for s in speakers}
    spans = [
        s
        for s in spans
        if s.cue
        or s.context
        or (name_key(s.text) not in persons and (name_key(s.text) not in said or name_key(s.text) in placed))
        or s.kind != NAME
        or lookup(s.name)[0].feature in ("country", "admin1")
    ]
    spans += [s for s in speakers if name_key(s.text) in placed and name_key(s.text) not in persons]
    spans += descriptors
    spans.sort(key=lambda s: s.start)
    return spans


def _longest_name(
    text: str, words: list[_Word], i: int, lookup: Callable[[str], list]
) -> tuple[int, list, str | None] | None:
    """``(index of the last word, candidates, full name of an abbreviation)`` of the longest known name at ``i``."""
    if (
        words[i].text.rstrip(".") in ALONE_ONLY
        and i > 0
        and words[i - 1].capitalised
        and _near(text, words[i - 1], words[i])
    ):
        return None  # "Latin America": not the country "America" stands for alone
    abbreviation = _abbreviation_at(text, words, i)
    if abbreviation:
        j, full = abbreviation
        places = lookup(full)
        return (j, places, full) if places else None
    first = words[i]
    if first.text.isupper() and len(first.key) <= 3:
        return None  # acronyms (UN, AFP) are organisations, not places
    for j in reversed(_name_ends(text, words, i)):
        places = lookup(text[words[i].start : words[j].end].rstrip("."))
        if places:
            return j, places, None
    return None


def _name_ends(text: str, words: list[_Word], i: int) -> list[int]:
    """The indices of the words a name starting at word ``i`` may end with, nearest first:
    capitalised words joined by spaces or hyphens, with connectors between them ("Bosnia
    and Herzegovina"), within one sentence and :data:`MAX_WORDS` capitalised words."""
    ends = [i]
    for j in range(i + 1, min(len(words), i + 2 * MAX_WORDS)):
        if words[j - 1].ends_sentence or not _joins(text[words[j - 1].end : words[j].start]) or len(ends) >= MAX_WORDS:
            break
        if words[j].capitalised:
            ends.append(j)
        elif words[j].text not in CONNECTORS:
            break
    return ends


def _name_windows(text: str, words: list[_Word]) -> set[str]:
    """Every name :func:`_longest_name` may look up as a run of capitalised ``words`` (hyphenated
    words whole; a few more lookups happen beside these)."""
    return {
        text[words[i].start : words[j].end].rstrip(".")
        for i, word in enumerate(words)
        if word.capitalised
        for j in _name_ends(text, words, i)
    }


def _abbreviation_at(text: str, words: list[_Word], i: int) -> tuple[int, str] | None:
    word = words[i]
    if i + 1 < len(words) and text[word.end : words[i + 1].start] == " ":
        pair = f"{word.text} {words[i + 1].text}"
        if pair in ABBREVIATIONS:
            return i + 1, ABBREVIATIONS[pair]
    full = ABBREVIATIONS.get(word.text)
    if full is None and word.ends_sentence:
        full = ABBREVIATIONS.get(word.text[:-1])  # "... across America."
    return (i, full) if full else None


def _joins(gap: str) -> bool:
    """Whether two words separated by ``gap`` can belong to one name."""
    return gap in (" ", "-", "")


def _alias_only(name: str, places: list, focus: str | None) -> bool:
    """Whether ``name`` matched only other names of small places abroad (not their own name)."""
    key = name_key(name)
    for place in places:
        if name_key(place.name) == key or place.country_code == focus:
            return False
        if place.feature in ("country", "admin1", "capital") or (place.population or 0) >= 1_000_000:
            return False
    return True


def _unknown_place(text: str, words: list[_Word], i: int, lowercase: set[str]) -> Span | None:
    """A place name the gazetteer does not know, recognised by its form; reported unresolved.

    "Wichita Drive", "Highway 19" (a street or road), "Cooke County" (a county),
    or capitalised words right after "in", "near" or "outside" ("in Kelleyland").
    """
    end = i
    while end + 1 < len(words) and end - i < 3 and _continues_name(text, words[end], words[end + 1]):
        end += 1
    after = words[end + 1] if end + 1 < len(words) else None
    first = words[i]
    if first.key in ROAD_WORDS and after is not None and after.text.isdigit() and _near(text, first, after):
        return Span(first.start, after.end, text[first.start : after.end], NAME, feature="street")
    if (
        after is not None
        and _near(text, words[end], after)
        and (after.key in STREET_WORDS or after.text in COUNTY_WORDS)
    ):
        if any(w.key in COMMON_WORDS or w.key in NEVER_PLACES or w.key in TITLES for w in words[i : end + 1]):
            return None
        if after.key in _NAME_STREET_WORDS and not _addressed(text, words, i):
            return None  # "United Way", "Milky Way": "Way" ends other names more often than streets
        stop = after.end - (1 if after.text.endswith(".") and after.key not in _STREET_ABBREVIATIONS else 0)
        feature = "street" if after.key in STREET_WORDS else None
        return Span(first.start, stop, text[first.start : stop], NAME, True, feature=feature)
    before = words[i - 1] if i else None
    if before is None or before.key not in _STRONG_CUES or not _near(text, before, first):
        return None
    if after is not None and after.capitalised and _near(text, words[end], after):
        return None
    if any(
        w.key in COMMON_WORDS or w.key in NEVER_PLACES or w.key in TITLES or w.key in lowercase or w.text.isupper()
        for w in words[i : end + 1]
    ):
        return None
    stop = words[end].end - (1 if words[end].text.endswith(".") else 0)
    return Span(first.start, stop, text[first.start : stop], NAME, True)


_STRONG_CUES = frozenset(("in", "near", "outside", "at"))
#: Street words that also end the names of organisations and things: a street only with an address
#: number or a street cue before it ("120 Kelley Way", "on Kelley Way").
_NAME_STREET_WORDS = frozenset(("way",))
#: Street words whose full stop is theirs ("Main St."); after a full word it ends the sentence.
_STREET_ABBREVIATIONS = frozenset(("st", "rd", "ave", "dr", "blvd", "ln", "pkwy"))
_STREET_CUES = frozenset(("on", "along", "off", "at", "onto", "down", "up", "near"))


def _addressed(text: str, words: list[_Word], i: int) -> bool:
    """Whether the words before word ``i`` read as a street address: a number or a street cue."""
    before = words[i - 1] if i else None
    return (
        before is not None and _near(text, before, words[i]) and (before.text.isdigit() or before.key in _STREET_CUES)
    )


def _continues_name(text: str, word: _Word, following: _Word) -> bool:
    """Whether ``following`` continues a name that ``word`` is part of (not a street or county word)."""
    return (
        following.capitalised
        and _near(text, word, following)
        and following.key not in STREET_WORDS
        and following.text not in COUNTY_WORDS
    )


def _region_after(text: str, words: list[_Word], j: int) -> int | None:
    """The index of "region" (or "province", "state") right after word ``j``: "the Mopti region"."""
    k = j + 1
    if k < len(words) and words[k].key in REGION_WORDS and _near(text, words[j], words[k]):
        return k
    return None


def _county_after(text: str, words: list[_Word], j: int) -> int | None:
    """The index of "County" (or "Parish", ...) right after word ``j``, if there is one."""
    k = j + 1
    if k < len(words) and words[k].text in COUNTY_WORDS and _near(text, words[j], words[k]):
        return k
    return None


#: :func:`name_key` remembered for the words tried as demonyms: every capitalised word and pair is.
_word_key = functools.lru_cache(maxsize=1 << 16)(name_key)


def _demonym_at(text: str, words: list[_Word], i: int, demonyms: dict[str, str]) -> Span | None:
    """A demonym at word ``i`` ("Malian", "Sri Lankan"), unless it names an embassy's nation."""
    for j in (i + 1, i):
        if j >= len(words) or (j > i and not _near(text, words[i], words[j])):
            continue
        name = text[words[i].start : words[j].end].rstrip(".")
        code = demonyms.get(_word_key(name))
        if code:
            after = words[j + 1] if j + 1 < len(words) else None
            if after is not None and after.key in _DEMONYM_AFTER_NOT_PLACE:
                return None  # "the French Embassy in Bamako" is in Bamako, not in France
            before = words[i - 1] if i else None
            cue = before is not None and before.key in PLACE_CUES and _near(text, before, words[i])
            start = words[i].start
            return Span(start, start + len(name), name, DEMONYM, cue, False, country=code)
    return None


def _initial(before: _Word, words: list[_Word], i: int) -> bool:
    """Whether ``before`` (the word before word ``i``) is a person's initial ("J." of "Ann J. Brooks"):
    one capital letter and a full stop, after a capitalised word (a first name), and not part of an
    abbreviation ("W. Va.")."""
    return (
        len(before.text) == 2
        and before.text[0].isupper()
        and before.text.endswith(".")
        and i >= 2
        and words[i - 2].capitalised
        and not words[i - 2].text.endswith(".")
    )


_PLACING_CUE = re.compile(r"\b(?:in|near|outside)\s+$", re.IGNORECASE)


def _placed(text: str, span: Span) -> bool:
    """Whether the text says outright that ``span`` is a place: a region after a comma ("Ardmore,
    Okla."), "in", "near" or "outside" before it, or "residents", "area" after it ("of X" is too weak:
    "the daughter of X")."""
    after = text[span.end : span.end + 20].split()
    return (
        span.context is not None
        or bool(_PLACING_CUE.search(text[max(0, span.start - 10) : span.start]))
        or bool(after and after[0] in _PLACE_AFTER)
    )


def _judge(
    text: str,
    words: list[_Word],
    i: int,
    j: int,
    places: list,
    lowercase: set[str],
    headline: bool,
    persons: set[str],
    speakers: list[Span],
    *,
    abbreviated: bool = False,
) -> Span | None:
    """The span of words ``i..j`` if the precision rules keep it, else ``None``.

    A name next to a reporting verb ("Ardmore said") goes to ``speakers``, to be restored if the text
    places the name elsewhere; other person evidence (a title, a first name) goes to ``persons``.
    ``abbreviated``: the words are a news abbreviation ("US", "Ky."), never a common word."""
    first, last = words[i], words[j]
    start = first.start
    end = last.end - (1 if last.text.endswith(".") and last.text not in ABBREVIATIONS else 0)
    name = text[start:end]
    key = name_key(name)
    before = words[i - 1] if i > 0 else None
    after = words[j + 1] if j + 1 < len(words) else None
    sentence_start = start == 0 or bool(_SENTENCE_START.search(text[max(0, start - 4) : start]))
    cue = (before is not None and before.key in PLACE_CUES and _near(text, before, first)) or (
        after is not None and after.text in _PLACE_AFTER and _near(text, last, after)
    )

    if text[end : end + 1] == "$":
        return None  # "US$10,000", "A$5": a currency
    if i == j and not abbreviated and _camel_case(first.text) and not any(p.name == name for p in places):
        return None  # "VerDi", "eBay": a brand's or organisation's casing, not the place's (Verdi)
    if (
        i == j
        and not abbreviated
        and not headline
        and not sentence_start
        and 2 <= len(name) <= 6
        and name.isupper()
        and places[0].feature not in ("country", "admin1", "area")
    ):
        return None  # "NATO", "GAO" mid-sentence: an acronym, not a town that shares its letters
    if (
        i > 1
        and before is not None
        and before.key == "of"
        and words[i - 2].key in OFFICE_WORDS
        and words[i - 2].capitalised
        and places[0].feature not in ("country", "admin1", "capital")
    ):
        return None  # "Head of Mission", "Chief of Staff": an office, not Mission, Texas
    if before is not None and _near(text, before, first) and (before.key in TITLES or _initial(before, words, i)):
        persons.add(key)
        return None  # "Gen. Sanogo", "Boyd J. Jones": a title or a middle initial makes a person
    if (
        not cue
        and not abbreviated
        and places[0].feature != "area"  # "the Middle East": a region of the world, however common its words
        and all(w.key in COMMON_WORDS or w.key in _SMALL_WORDS or w.key in TITLES for w in words[i : j + 1])
    ):
        return None  # "And", "The State", "South", "Sen.": common words, whatever a gazetteer lists
    glued_after = (
        after is not None
        and after.capitalised
        and _near(text, last, after)
        and after.key not in FACILITY_WORDS
        and after.key not in NEVER_PLACES
        and after.key not in _TIME_WORDS
    )
    if (
        places[0].feature in ("country", "admin1")
        and places[0].confidence >= 0.5 * sum(p.confidence for p in places)
        and (
            headline
            or not glued_after
            or _organisation_follows(text, words, j + 1)
            or (after is not None and (after.key in STATE_BODY_WORDS or after.key in TITLES))
        )
    ):
        return Span(start, end, name, NAME, cue, sentence_start, context=_context_after(text, words, j))
    title_after = (
        after is not None
        and after.capitalised
        and _near(text, last, after)
        and (after.key in TITLES or after.key in FACILITY_WORDS or after.key in ORGANISATION_WORDS)
    )
    if title_after:
        if not headline and i == j and _inside_longer_name(text, before, first, sentence_start):
            persons.add(key)
            return None  # "Pickett County Superior Court", "Alice Hale Center": a word inside a longer name
        return Span(start, end, name, NAME, cue, sentence_start)  # "Fargo Mayor Dennis Walaker", "said Fargo City"
    if (
        not cue
        and not _seat_of_government(places)
        and (
            (after is not None and after.key in PERSON_VERBS and _near(text, last, after))
            or (before is not None and before.key in PERSON_VERBS and _near(text, before, first))
        )
    ):
        speakers.append(Span(start, end, name, NAME, cue, sentence_start))
        return None
    if not headline:
        if glued_after and after is not None and not _organisation_follows(text, words, j + 1):
            persons.add(name_key(after.text))
            return None  # "Washington Post", "Paris Hilton": another name that starts with a place name
        if i == j and _inside_longer_name(text, before, first, sentence_start):
            persons.add(key)
            return None  # "Salif Keita", "Tom Jones": the place name ends someone's name
    if i == j and (key in COMMON_WORDS or key in lowercase) and not cue and not abbreviated:
        return None
    return Span(start, end, name, NAME, cue, sentence_start, context=_context_after(text, words, j))


#: Offices named "X of Y" where Y is a function, not a place ("Head of Mission", "Chief of Staff").
OFFICE_WORDS = frozenset(("head", "heads", "chief", "chiefs", "deputy"))


def _camel_case(word: str) -> bool:
    """A capital inside a word that is no name's own joint: "VerDi", "eBay", not "McAllen", "DeKalb", "O'Neil"."""
    inner = word[1:]
    if not any(c.isupper() for c in inner) or word.isupper():
        return False
    return not word.startswith(("Mc", "Mac", "De", "La", "Le", "Di", "Du", "Van", "Von", "O'", "O’", "St")) and not any(
        c in word for c in "-'’."
    )


def _inside_longer_name(text: str, before: _Word | None, first: _Word, sentence_start: bool) -> bool:
    """Whether a capitalised word glued before ``first`` makes it the end or middle of another name
    ("Salif Keita", "Pickett County Superior Court"), rather than a place after an area word
    ("Greater Dakar", "Downtown Bamako") or a cue."""
    return (
        before is not None
        and before.capitalised
        and _near(text, before, first)
        and not sentence_start
        and before.key not in PLACE_CUES
        and (before.key not in COMMON_WORDS or before.text in COUNTY_WORDS)
        and before.key not in _AREA_WORDS
    )


#: Lowercase words after a name that only a place takes ("Bamako residents", "Kati natives").
_PLACE_AFTER = frozenset(("residents", "resident", "natives", "native", "area", "townspeople", "villagers"))
#: Party letters before a lawmaker's home town or state in US news style ("R-Ohio", "D-Nashville").
_PARTY_LETTERS = frozenset(("D", "R", "I"))
_AREA_WORDS = frozenset(
    ("greater", "metro", "metropolitan", "downtown", "upper", "lower", "inner", "outer", "historic")
)


def _country_letters(words: list[_Word], i: int) -> bool:
    """Whether word ``i`` is a news abbreviation ("US", "U.S.", "Ky.") in ordinary prose, rather
    than a pronoun in a line of capitals ("LET US PRAY")."""
    word = words[i]
    if word.text not in ABBREVIATIONS and word.text.rstrip(".") not in ABBREVIATIONS:
        return False
    beside = [words[k].text.rstrip(".") for k in (i - 1, i + 1) if 0 <= k < len(words)]
    return not any(w.isupper() and len(w) > 1 and w not in ABBREVIATIONS for w in beside)


def _seat_of_government(places: list) -> bool:
    """Whether a name is first of all a large capital: "Dakar says" speaks for a government
    (news metonymy), where "Keita said" is a person."""
    top = places[0]
    return top.feature == "capital" and (top.population or 0) >= 100_000


def _split_compounds(words: list[_Word], lookup: Callable[[str], list], demonyms: dict[str, str]) -> list[_Word]:
    """Hyphenated words split into their parts when these are places joined to something else.

    "Gao-area", "Bamako-based" (a place and a lowercase ending of :data:`PLACE_SUFFIXES`),
    "Mali-Niger", "India-Pakistan" (each part a demonym, an abbreviation or a country) and
    "D-Ohio" (a lawmaker's party and home) name their places; a hyphenated name the gazetteer
    knows ("Guinea-Bissau") stays whole.
    """
    out: list[_Word] = []
    for word in words:
        if "-" not in word.text or not word.capitalised:
            out.append(word)
            continue
        parts, offset = [], word.start
        for piece in word.text.split("-"):
            parts.append(_Word(offset, offset + len(piece), piece))
            offset += len(piece) + 1
        heads = [p for p in parts if p.text and p.capitalised]
        tails = [p for p in parts if p.text and not p.capitalised]
        if any(not p.text for p in parts) or lookup(word.text.rstrip(".")) or name_key(word.text) in demonyms:
            out.append(word)
        elif tails and all(p.key in PLACE_SUFFIXES for p in tails) and len(heads) == 1:
            out.extend(parts)
        elif len(parts) == 2 and parts[0].text in _PARTY_LETTERS and parts[1].capitalised:
            out.append(parts[1])  # "Sen. Ann Brooks, D-Nashville": a lawmaker's party and home town

        elif not tails and len(heads) >= 2 and all(_nation_word(p.text, lookup, demonyms) for p in heads):
            out.extend(parts)
        else:
            out.append(word)
    return out


def _nation_word(text: str, lookup: Callable[[str], list], demonyms: dict[str, str]) -> bool:
    """A demonym, a news abbreviation ("US") or a country's name."""
    if name_key(text) in demonyms or text in ABBREVIATIONS:
        return True
    places = lookup(text)
    return bool(places) and places[0].feature == "country"


def _context_after(text: str, words: list[_Word], j: int) -> str | None:
    """The region or country named after a comma ("Kentucky" of "Lexington, Kentucky"; "Burkina Faso"
    of "Gao, in Burkina Faso,")."""
    after = words[j + 1] if j + 1 < len(words) else None
    if after is None or text[words[j].end : after.start] != ", ":
        return None
    if after.capitalised:
        return _comma_context(text, words, j + 1)
    if after.key == "in" and j + 2 < len(words) and words[j + 2].capitalised and _near(text, after, words[j + 2]):
        return _comma_context(text, words, j + 2)
    return None


def _organisation_follows(text: str, words: list[_Word], k: int) -> bool:
    """Whether the capitalised run starting at word ``k`` holds an organisation word."""
    while k < len(words) and words[k].capitalised:
        if words[k].key in ORGANISATION_WORDS or words[k].key in FACILITY_WORDS:
            return True
        if k + 1 >= len(words) or not _near(text, words[k], words[k + 1]):
            break
        k += 1
    return False


def _headline_words(text: str, words: list[_Word]) -> set[int]:
    """Indexes of words in Title Case sentences or lines (most words capitalised), such as headlines."""
    found: set[int] = set()
    segment: list[int] = []
    for index, word in enumerate(words):
        if segment and (words[index - 1].ends_sentence or text.find("\n", words[index - 1].end, word.start) >= 0):
            _mark_title_case(words, segment, found)
            segment = []
        segment.append(index)
    _mark_title_case(words, segment, found)
    return found


def _mark_title_case(words: list[_Word], segment: list[int], found: set[int]) -> None:
    content = [k for k in segment if words[k].key not in CONNECTORS and words[k].key not in _SMALL_WORDS]
    if len(content) >= 4 and sum(words[k].capitalised for k in content) >= 0.8 * len(content):
        found.update(segment)


_TIME_WORDS = frozenset(["today", "tonight", "yesterday", "tomorrow", "morning", "evening", "night"])
_SMALL_WORDS = frozenset(["a", "an", "the", "for", "with", "at", "by", "to", "in", "or", "nor", "but"])


_SHORT_FORMS = frozenset(
    (
        "st",
        "mt",
        "ft",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "cpl",
        "pvt",
        "adm",
        "cmdr",
        "dr",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "co",
        "inc",
        "ltd",
        "no",
        "gov",
        "sen",
        "rep",
        "prof",
        "rev",
    )
)


def _abbreviation(word: str) -> bool:
    """A word whose final period is part of it ("St.", "Gen.", "U.S.", "J.") rather than a full stop."""
    bare = word.rstrip(".")
    return word in ABBREVIATIONS or bare.lower() in _SHORT_FORMS or "." in bare or (len(bare) == 1 and bare.isupper())


def _near(text: str, a: _Word, b: _Word) -> bool:
    """Whether ``b`` follows ``a`` in the same phrase (one space, or an abbreviation's period)."""
    gap = text[a.end : b.start]
    return (gap == " " and not a.ends_sentence) or (gap == "" and a.text[-1] in "'’")


def _comma_context(text: str, words: list[_Word], k: int) -> str:
    """The name after a comma ("Kentucky" of "Lexington, Kentucky"; "Ky." in full)."""
    abbreviation = _abbreviation_at(text, words, k)
    if abbreviation:
        return abbreviation[1]
    end = k
    while end + 1 < len(words) and words[end + 1].capitalised and _near(text, words[end], words[end + 1]):
        end += 1
    return text[words[k].start : words[end].end].rstrip(".")


def _descriptors(text: str, demonyms: dict[str, str]) -> list[Span]:
    """ "the capital", "the Malian capital", "the north"."""
    spans = []
    for match in _DESCRIPTOR.finditer(text):
        people = match.group("people")
        country = demonyms.get(name_key(people)) if people else None
        if people and country is None:
            continue
        start = match.start()
        if match.group("capital"):
            if re.match(r"\s+of\s+[A-Z]", text[match.end() : match.end() + 20]):
                continue  # "the capital of Niger": the name that follows carries the place
            spans.append(
                Span(start, match.end(), text[start : match.end()], DESCRIPTOR, country=country, descriptor="capital")
            )
        else:
            part = re.sub(r"[\s-]+", " ", match.group("part").lower()).replace("far ", "")
            spans.append(
                Span(
                    start, match.end(), text[start : match.end()], DESCRIPTOR, country=country, descriptor=COMPASS[part]
                )
            )
    return spans
