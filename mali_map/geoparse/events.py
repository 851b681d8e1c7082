"""Incidents: sentences that report an event become records with a date, a place and a category.

A sentence is an incident when it holds an event word (mutiny, arrest,
attack, clash, protest, evacuation, coup, killing, explosive device, ...).
Its record takes:

- ``category``: the most telling event word of the sentence (a coup outranks
  the arrests it involved);
- ``date``: the first date the sentence names, else the date the paragraph
  last spoke of, else the dateline: so a paragraph looking back at 2012 keeps
  2012, and the next paragraph starts again from the dateline;
- ``place``: the most specific place the sentence names (a town before a
  region, a region before a country; demonyms only as a last resort); a
  sentence without a place takes the previous incident's place in the same
  paragraph, one step less precise;
- ``precision``: 1 the town itself, 2 near it or part of an area ("near
  Gao", "outside Kati"), 3 a region or a country;
- ``description``: the sentence itself, shortened at a word boundary;
- ``start``/``end``: the sentence's offsets in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ..places import Place
from .dates import DateMention
from .resolve import Mention

#: category -> word stems, most telling first (the first category found in a sentence wins).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "coup": (r"coup", r"overthr[eo]w\w*", r"ousted", r"seized? power", r"seat of government", r"renvers\w*"),
    "mutiny": (r"mutin\w*", r"rebellious soldiers", r"uprising", r"soulèvement"),
    "explosion": (r"IEDs?", r"improvised explosive", r"explosi\w+", r"bomb\w*", r"landmines?", r"blasts?"),
    "attack": (
        r"attack\w*",
        r"ambush\w*",
        r"raid\w*",
        r"assault\w*",
        r"shell(?:ed|ing)",
        r"gunmen",
        r"attaqu\w*",
        r"embuscade\w*",
        r"hommes armés",
    ),
    "clash": (
        r"clash\w*",
        r"fighting",
        r"gunfire",
        r"exchange of fire",
        r"firefight\w*",
        r"shots? (?:were )?fired",
        r"affrontement\w*",
        r"combats?\b",
        r"tirs?\b",
    ),
    "killing": (r"kill\w*", r"massacre\w*", r"executed", r"dead\b", r"murder\w*", r"tué(?:e|s|es)?\b", r"morts?\b"),
    "arrest": (
        r"arrest\w*",
        r"detain\w*",
        r"abduct\w*",
        r"kidnap\w*",
        r"taken hostage",
        r"seized",
        r"arrêt(?:é|ée|és|ées|ation)\w*",
        r"interpell\w*",
        r"enlev\w*",
    ),
    "protest": (r"protest\w*", r"demonstrat\w*", r"rall(?:y|ies|ied)", r"marched", r"riot\w*", r"manifest\w*"),
    "evacuation": (
        r"evacuat\w*",
        r"left (?:their|the) offices",
        r"fled",
        r"stay (?:indoors|at home|inside)",
        r"shelter in place",
        r"leaving (?:their|the) offices",
        r"sent home",
    ),
    "deployment": (
        r"armou?red vehicles?",
        r"troops (?:were )?deployed",
        r"roadblocks?",
        r"checkpoints?",
        r"patrol\w*",
        r"tanks?\b",
    ),
}
_CATEGORY_RE = {
    name: re.compile(r"\b(?:" + "|".join(stems) + r")", re.IGNORECASE if name != "explosion" else 0)
    for name, stems in CATEGORIES.items()
}
_NEAR_CUE = re.compile(
    r"\b(?:near|outside|around|close to|on the outskirts of|north of|south of|east of|west of|"
    r"in the (?:region|area|district|province|outskirts) of|"
    r"près d[e']|non loin d[e']|aux environs d[e']|dans la région d[e']|à la périphérie d[e'])"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SPECIFIC = {
    "capital": 0,
    "city": 0,
    "town": 0,
    "village": 0,
    "place": 0,
    "offset": 0,
    "coordinates": 0,
    "admin1": 2,
    "area": 2,
    "country": 3,
}
DESCRIPTION_CHARS = 240


@dataclass(frozen=True)
class Incident:
    """One event the text reports: when, where, what, and where in the text it says so."""

    date: DateMention | None
    place: Place | None
    place_text: str | None
    category: str
    description: str
    precision: int
    start: int
    end: int

    @property
    def layer(self) -> str:
        """The map layer: one per date ("18 August 2020", "2011"), so events of another time stand apart."""
        if self.date is None:
            return "undated"
        date = self.date.date
        if self.date.precision == "year":
            return f"{date.year}"
        if self.date.precision == "month":
            return date.strftime("%B %Y")
        return f"{date.day} {date.strftime('%B %Y')}"

    def properties(self) -> dict[str, Any]:
        """The GeoJSON properties of the interface (``date`` ISO 8601 at its precision)."""
        return {
            "date": self.date.iso if self.date else None,
            "place": self.place.name if self.place else None,
            "place_text": self.place_text,
            "description": self.description,
            "category": self.category,
            "precision": self.precision,
            "layer": self.layer,
            "start": self.start,
            "end": self.end,
            "country_code": self.place.country_code if self.place else None,
        }


def category_of(sentence: str) -> str | None:
    """The event category of a sentence, or ``None`` when it reports no event.

    A coup names the whole event whatever else the sentence says; otherwise the
    first event word wins ("staff left their offices as word of the mutiny
    spread" is an evacuation).
    """
    found = [
        (match.start(), name) for name, pattern in _CATEGORY_RE.items() for match in [pattern.search(sentence)] if match
    ]
    if not found:
        return None
    if any(name == "coup" for _, name in found):
        return "coup"
    return min(found)[1]


def extract_incidents(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    dates: list[DateMention],
    dateline: DateMention | None,
) -> list[Incident]:
    """The incidents of ``text``, one per event sentence, in text order."""
    incidents: list[Incident] = []
    current_date = dateline
    # The town of a wire dateline ("BAMAKO, Aug 18 (Agency) -") is where the story was filed, not an event's place.
    filed = _dateline_end(text, dateline)
    placed = sorted((m for m in mentions if m.start >= filed and m.place is not None), key=lambda m: m.start)
    dated = sorted((d for d in dates if dateline is None or d.start != dateline.start), key=lambda d: d.start)
    mention_starts, date_starts = [m.start for m in placed], [d.start for d in dated]
    last_place: tuple[Place | None, str, int] | None = None
    previous_end = 0
    for start, end in _clauses(text, sentences):
        if _paragraph_break(text, previous_end, start):
            current_date, last_place = dateline, None  # a new paragraph starts from the dateline again
        previous_end = end
        if start < filed < end:
            start = filed  # the story begins after its dateline: "BAMAKO, Aug 18 (Agency) - Soldiers ..."
        own_dates = dated[bisect_left(date_starts, start) : bisect_left(date_starts, end)]
        if own_dates:
            current_date = own_dates[0]
        sentence = text[start:end]
        category = category_of(sentence)
        if category is None:
            continue
        chosen = _most_specific(text, placed[bisect_left(mention_starts, start) : bisect_left(mention_starts, end)])
        if chosen is not None:
            mention, precision = chosen
            place, place_text = mention.place, mention.text
        elif last_place is not None:
            place, place_text, precision = last_place[0], last_place[1], min(3, last_place[2] + 1)
        else:
            continue
        last_place = (place, place_text, precision)
        incidents.append(Incident(current_date, place, place_text, category, _shorten(sentence), precision, start, end))
    return incidents


def _dateline_end(text: str, dateline: DateMention | None) -> int:
    if dateline is None or dateline.start > 200:
        return 0
    dash = re.compile(r"\s[-–—]\s").search(text, dateline.end, dateline.end + 60)
    return dash.end() if dash else 0


def _clauses(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences cut at colons and semicolons: "a mutiny turned into a coup: soldiers marched
    on the seat of government" reports two things, possibly in two places."""
    clauses = []
    for start, end in sentences:
        cut = start
        for match in re.finditer(r"[:;]\s+", text[start:end]):
            clauses.append((cut, start + match.start() + 1))
            cut = start + match.end()
        clauses.append((cut, end))
    return clauses


def _paragraph_break(text: str, a: int, b: int) -> bool:
    return bool(re.search(r"\n\s*\n", text[a:b]))


def _most_specific(text: str, mentions: list[Mention]) -> tuple[Mention, int] | None:
    """The mention naming the most specific place, with its precision (1, 2 or 3)."""
    if not mentions:
        return None
    names = [m for m in mentions if m.kind != "demonym"] or mentions

    def rank(mention: Mention) -> tuple[int, int]:
        return (_SPECIFIC.get(mention.place.feature if mention.place else "", 1), mention.start)

    best = min(names, key=rank)
    feature = best.place.feature if best.place else ""
    level = _SPECIFIC.get(feature, 1)
    if level >= 3 or best.kind != "name" and feature != "capital":
        precision = 3 if feature in ("country", "area", "admin1") else 2
    elif level == 2:
        precision = 3
    else:
        precision = 2 if _NEAR_CUE.search(text[max(0, best.start - 40) : best.start]) else 1
    return best, precision


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= DESCRIPTION_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, DESCRIPTION_CHARS - 1)
    return sentence[: cut if cut > 0 else DESCRIPTION_CHARS - 1] + "…"
