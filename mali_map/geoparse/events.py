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

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ..places import Place
from .dates import DateMention
from .resolve import Mention

#: category -> word stems, most telling first (the first category found in a sentence wins).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "coup": (
        r"coups?\b",
        r"coup d['’][ée]tat",
        r"overthr[eo]w\w*",
        r"ousted",
        r"seized? power",
        r"seat of government",
        r"renvers\w*",
    ),
    "mutiny": (r"mutin\w*", r"rebellious soldiers", r"uprising", r"soulèvement"),
    "explosion": (
        r"IEDs?",
        r"improvised explosive",
        r"explosi\w+",
        r"bomb\w*",
        r"landmines?",
        r"blasts?(?!\w)",
        r"[Aa]ir ?strikes?",
        r"[Aa]irstrikes?",
        r"bombard\w*",
        r"nerve agent",
        r"poison(?:ed|ing)",
    ),
    "attack": (
        r"attack\w*",
        r"ambush\w*",
        r"raid\w*",
        r"assault\w*",
        r"shell(?:ed|ing)",
        r"gunmen",
        r"fired (?:on|at|upon|into)",
        r"opened fire",
        r"shooting",
        r"stabb(?:ed|ing)",
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
        r"offensive",
        r"battl(?:e|es|ed|ing)\b",
        r"affrontement\w*",
        r"combats?\b",
        r"tirs?\b",
    ),
    "killing": (
        r"kill\w*",
        r"massacre\w*",
        r"executed",
        r"dead\b",
        r"murder\w*",
        r"slay(?:ing|ings)\b",
        r"slain",
        r"homicide",
        r"tué(?:e|s|es)?\b",
        r"morts?\b",
    ),
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
    "outbreak": (
        r"outbreaks?",
        r"cholera",
        r"ebola",
        r"measles",
        r"meningitis",
        r"yellow fever",
        r"dengue",
        r"lassa fever",
        r"anthrax",
        r"bird flu",
        r"avian (?:flu|influenza)",
        r"épidémie\w*",
    ),
    "earthquake": (r"earthquakes?", r"quakes?", r"tremors?", r"séismes?", r"tremblements? de terre"),
    "flood": (r"flood\w*", r"flash floods?", r"inondation\w*", r"inundat\w*", r"overflowed"),
    "storm": (
        r"hurricanes?",
        r"cyclones?",
        r"typhoons?",
        r"tornado(?:es|s)?",
        r"tropical storms?",
        r"snowstorms?",
        r"(?-i:blizzards?)",
        r"storm surges?",
    ),
    "wildfire": (r"wildfires?", r"bush ?fires?", r"forest fires?", r"brush fires?", r"feux de brousse"),
    "landslide": (r"landslides?", r"mudslides?", r"glissements? de terrain"),
    "drought": (r"droughts?", r"sécheresse"),
    "displacement": (
        r"displaced",
        r"displacement",
        r"refugees? (?:fled|poured|crossed|arrived)",
        r"fled (?:their|the) (?:homes?|villages?|town|city|area|region)",
        r"forced (?:from|out of) their homes",
        r"déplacé(?:e|s|es)?\b",
    ),
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
        r"patrol(?:led|ling|s)\b",
        r"tanks\b",
    ),
}
#: category -> family: incidents of one family, place and time are one event ("a bomb killed two" is one).
FAMILIES: dict[str, str] = {
    **dict.fromkeys(("coup", "mutiny", "explosion", "attack", "clash", "killing"), "violence"),
    **dict.fromkeys(("earthquake", "flood", "storm", "wildfire", "landslide", "drought"), "disaster"),
    **dict.fromkeys(("displacement", "evacuation"), "displacement"),
}
# Case-sensitive categories: "IED" and "Blast", a bomb; "Patrol", "Tanks" are names (a State Patrol).
_CASED = {"explosion", "deployment"}
_CATEGORY_RE = {
    name: re.compile(r"\b(?:" + "|".join(stems) + r")", 0 if name in _CASED else re.IGNORECASE)
    for name, stems in CATEGORIES.items()
}
#: Any event word of any category, found case-sensitively in the lowered sentence: one pass, three
#: times faster than the case-blind patterns, so the nine sentences in ten that name no event skip
#: them all. Lowering keeps every match (the stems hold no upper-case escape such as ``\W``) except
#: where :data:`_FOLD_TRAPS` stand; such a sentence takes the patterns themselves.
_ANY_EVENT_WORD = re.compile(r"\b(?:" + "|".join(s.lower() for stems in CATEGORIES.values() for s in stems) + ")")
#: Letters a case-blind pattern matches otherwise than their lower case does: dotless "ı" and long
#: "ſ" match "i" and "s"; "İ" lowers to two characters (every other character checked).
_FOLD_TRAPS = ("ı", "ſ", "İ")
#: Words just before an event word that make it no event of the report: a threat, a hope, a
#: denial, a charge in court, a warrant, a record ("threatened to bomb", "charges of murder",
#: "a warrant for their arrest", "no reported attacks", "prior arrests", "fire fighting").
_NOT_AN_EVENT = re.compile(
    r"(?:\b(?:would|could|might|may|will|shall|risk\w*|"
    r"no|not|never|without|against|anti|"
    r"charges?|charged|convicted|accused|suspected|indicted|guilty|sentenced|"
    r"warrants?|prior|previous|past|history|possible|potential|alleged)"
    r"(?:\s+(?:of|for|with|to|their|his|her|its|the|a|an|any|first-degree|second-degree|more|further|reported|"
    r"been|be|being|have|has|had|yet|ever|also))*\s+$)"
    r"|\b(?:threat\w*|plan\w*|vow\w*|warn\w*|fear\w*|den(?:y|ies|ied)|prevent\w*|avoid\w*|negotiat\w*|"
    r"if|whether|unless|hop(?:e|es|ed|ing))\b(?:\s+\S+){0,4}\s+$",
    re.IGNORECASE,
)
#: Words before a date that make it no date of an event: a birth, an anniversary, a founding.
_NOT_AN_EVENT_DATE = re.compile(
    r"\b(?:born|birth|anniversary|founded|established|created|built|opened|enlisted|graduated|married|"
    r"joined|since|until|till|deadline|né|née|fondée?)\b[^.;:]{0,30}$",
    re.IGNORECASE,
)
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
DESCRIPTION_CHARS = 400


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
    #: how the text named the place: ``name``, ``demonym`` ("Turkish"), ``area`` ("the north")...
    place_kind: str = "name"
    #: how many sentences told this event (merged into one incident)
    told: int = 1

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
    spread" is an evacuation). An event word the sentence only threatens, denies,
    charges or plans ("threatened to bomb", "charges of murder") is no event.
    """
    if not _ANY_EVENT_WORD.search(sentence.lower()) and not any(trap in sentence for trap in _FOLD_TRAPS):
        return None
    found = []
    for name, pattern in _CATEGORY_RE.items():
        for match in pattern.finditer(sentence):
            if not _NOT_AN_EVENT.search(sentence[max(0, match.start() - 60) : match.start()]):
                found.append((match.start(), name))
                break
    if not found:
        return None
    if any(name == "coup" for _, name in found):
        return "coup"
    return min(found)[1]


def family_of(category: str) -> str:
    """The family of a category (``violence``, ``disaster``, ``displacement``; else the category itself)."""
    return FAMILIES.get(category, category)


def extract_incidents(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    dates: list[DateMention],
    dateline: DateMention | None,
) -> list[Incident]:
    """The incidents of ``text``, one per event, in the order the text first tells them.

    Each event sentence gives a record (see the module's doc); records of one family, at
    one place (or a place and the area that holds it) and one time are one event, told
    again: they merge into the first, which keeps the most precise place and date.
    """
    return merge_events(sentence_incidents(text, sentences, mentions, dates, dateline))


def sentence_incidents(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    dates: list[DateMention],
    dateline: DateMention | None,
) -> list[Incident]:
    """One record per event sentence (clause), in text order: before events are merged."""
    incidents: list[Incident] = []
    current_date = dateline
    # The town of a wire dateline ("BAMAKO, Aug 18 (Agency) -") is where the story was filed, not an event's place.
    filed = _dateline_end(text, dateline)
    placed = sorted((m for m in mentions if m.start >= filed and m.place is not None), key=lambda m: m.start)
    dated = sorted(
        (d for d in dates if (dateline is None or d.start != dateline.start) and _event_date(text, d)),
        key=lambda d: d.start,
    )
    mention_starts, date_starts = [m.start for m in placed], [d.start for d in dated]
    last_place: tuple[Mention, int] | None = None
    previous_end = 0
    for start, end in _clauses(text, _flowing(text, sentences)):
        if _paragraph_break(text, previous_end, start):
            current_date = dateline  # a new paragraph starts from the dateline again (and the place it was at)
        previous_end = end
        if start < filed < end:
            start = filed  # the story begins after its dateline: "BAMAKO, Aug 18 (Agency) - Soldiers ..."
        own_dates = dated[bisect_left(date_starts, start) : bisect_left(date_starts, end)]
        if own_dates:
            current_date = own_dates[0]
        sentence = text[start:end]
        category = category_of(sentence)
        chosen = _most_specific(text, placed[bisect_left(mention_starts, start) : bisect_left(mention_starts, end)])
        if chosen is not None and chosen[1] == 3 and not _locative(text, chosen[0]) and last_place is not None:
            chosen = None  # only an actor ("Britain blames Russia for the attack"): the event stays where it was
        if category is None:
            if chosen is not None and _locative(text, chosen[0]):
                last_place = chosen  # the place the story is at, for the next event sentence that names none
            continue
        if chosen is not None:
            mention, precision = chosen
        elif last_place is not None:
            mention, precision = last_place[0], min(3, last_place[1] + 1)
        else:
            continue
        last_place = (mention, precision)
        incidents.append(
            Incident(
                current_date,
                mention.place,
                mention.text,
                category,
                _shorten(sentence),
                precision,
                start,
                end,
                mention.kind,
            )
        )
    return incidents


def merge_events(incidents: list[Incident]) -> list[Incident]:
    """Records of one event merged: same family, same or nested place, agreeing dates.

    "A bus bombing in Ankara ... The blast killed 12 ... Turkish officials said the bomb ..."
    is one incident, not three. The merged record keeps the first record's sentence and
    offsets (the lead), the most telling category of the family (a bombing that killed is
    an explosion), the most precise place and the most precise date.
    """
    events: list[list[Incident]] = []
    recent: dict[str, list[list[Incident]]] = {}  # family -> its last LOOK_BACK events, newest last
    # An event told many times compares a new record with one record of each distinct (place, date,
    # precision) it holds, not with every retelling: a text that repeats itself stays linear.
    distinct: dict[int, dict[tuple, Incident]] = {}
    for incident in incidents:
        family = recent.setdefault(family_of(incident.category), [])
        home = next(
            (group for group in reversed(family) if _same_event(list(distinct[id(group)].values()), incident)), None
        )
        if home is None:
            home = [incident]
            events.append(home)
            distinct[id(home)] = {_likeness(incident): incident}
        else:
            home.append(incident)
            distinct[id(home)].setdefault(_likeness(incident), incident)
            family.remove(home)
        family.append(home)
        if len(family) > LOOK_BACK:
            del family[0]
    return [_merged(group) for group in events]


#: An event told again is looked for among the last this many events of its family (the text
#: retells an event near where it told it; the bound keeps a 2 MB text linear).
LOOK_BACK = 20
#: Two places this close are one event's place (a town and its outskirts, Fargo and Moorhead;
#: not Kati and Bamako, 15 km apart).
SAME_PLACE_KM = 10.0
_RANK = {name: rank for rank, name in enumerate(CATEGORIES)}
_DATE_RANK = {"day": 0, "month": 1, "year": 2}


def _likeness(incident: Incident) -> tuple:
    """What :func:`_same_event` reads of a record: records alike in it compare alike."""
    place = incident.place
    where = (
        None
        if place is None
        else (place.name, place.lat, place.lon, place.feature, place.country_code, place.admin1, place.radius_km)
    )
    when = None if incident.date is None else (incident.date.date, incident.date.precision)
    return (family_of(incident.category), incident.precision, where, when)


def _same_event(group: list[Incident], incident: Incident) -> bool:
    first = group[0]
    if family_of(first.category) != family_of(incident.category):
        return False
    specific = [member for member in group if member.precision < 3]
    if incident.precision < 3 and specific:
        # two towns of one country are two events; a town and its country may be one
        if not any(_same_place(member, incident, nested=False) for member in specific):
            return False
    elif not any(_same_place(member, incident) for member in group):
        return False
    # a flood, an outbreak or a flight lasts days: one month holds it; violence is coded by the day
    loose = family_of(incident.category) in ("disaster", "outbreak", "displacement")
    return all(_dates_agree(member.date, incident.date, loose=loose) for member in group)


def _same_place(a: Incident, b: Incident, *, nested: bool = True) -> bool:
    if a.place is None or b.place is None:
        return False
    pa, pb = a.place, b.place
    if (pa.name, pa.lat, pa.lon) == (pb.name, pb.lat, pb.lon):
        return True
    if _distance_km((pa.lat, pa.lon), (pb.lat, pb.lon)) <= SAME_PLACE_KM:
        return True
    if not nested:
        return False
    # a country or a region and a place inside it: "a bomb in Turkey ... the blast in Ankara"
    broad, narrow = (a, b) if a.precision >= b.precision else (b, a)
    if broad.precision < 3 or broad.place is None or narrow.place is None:
        return False
    bp, np_ = broad.place, narrow.place
    if bp.feature == "country":
        return bool(bp.country_code) and bp.country_code == np_.country_code
    if bp.feature == "admin1" and bp.country_code == np_.country_code and bp.name == np_.admin1:
        return True
    # an area ("the Middle East", "eastern Ghouta") holds what lies within its extent
    return _distance_km((bp.lat, bp.lon), (np_.lat, np_.lon)) <= max(SAME_PLACE_KM, bp.radius_km)


def _dates_agree(a: DateMention | None, b: DateMention | None, *, loose: bool = False) -> bool:
    """Undated records join any; dated ones agree at the coarser of their precisions (``loose``: a month at least)."""
    if a is None or b is None:
        return True
    coarse = max(_DATE_RANK[a.precision], _DATE_RANK[b.precision], 1 if loose else 0)
    if coarse == 2:
        return a.date.year == b.date.year
    if coarse == 1:
        return (a.date.year, a.date.month) == (b.date.year, b.date.month)
    return a.date == b.date


def _merged(group: list[Incident]) -> Incident:
    if len(group) == 1:
        return group[0]
    lead = group[0]
    category = min((i.category for i in group), key=lambda c: _RANK.get(c, len(_RANK)))
    where = min(group, key=lambda i: (i.precision, i.place_kind == "demonym", i.start))
    dated = [i.date for i in group if i.date is not None]
    date = min(dated, key=lambda d: _DATE_RANK[d.precision]) if dated else None
    return Incident(
        date,
        where.place,
        where.place_text,
        category,
        lead.description,
        where.precision,
        lead.start,
        lead.end,
        where.place_kind,
        told=sum(i.told for i in group),
    )


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle kilometres (a sphere: within a few km of the ellipsoid, plenty to tell one place from another)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def _event_date(text: str, date: DateMention) -> bool:
    """Whether a date may be an event's: not a birth, an anniversary, a founding or a deadline."""
    return not _NOT_AN_EVENT_DATE.search(text[max(0, date.start - 45) : date.start])


def _flowing(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences with hard line breaks joined: a line wrapped inside a sentence ("... near\nGao.")
    continues it. A line that ends a sentence, a short line (a title) or a blank line still ends one."""
    flowing: list[tuple[int, int]] = []
    for start, end in sentences:
        if flowing and _wrapped(text, flowing[-1][1], start):
            flowing[-1] = (flowing[-1][0], end)
        else:
            flowing.append((start, end))
    return flowing


def _wrapped(text: str, previous_end: int, start: int) -> bool:
    gap = text[previous_end:start]
    if gap.count("\n") != 1 or gap.strip():
        return False
    line_start = text.rfind("\n", 0, previous_end) + 1
    line = text[line_start:previous_end].rstrip()
    if not line or line[-1] in '.!?:;"”’)…':
        return False
    return len(line) >= 50 or text[start : start + 1].islower()


def _dateline_end(text: str, dateline: DateMention | None) -> int:
    """Where the story starts after a wire dateline, dated ("BAMAKO, Aug 18 (Agency) -") or not
    ("BEIRUT (AP) —", "MANSFIELD --", "MANILA, Philippines –"); 0 without one."""
    if dateline is not None and dateline.start <= 200:
        dash = re.compile(r"\s[-–—]\s").search(text, dateline.end, dateline.end + 60)
        if dash:
            return dash.end()
    undated = _UNDATED_DATELINE.search(text[:400])
    return undated.end() if undated else 0


_UNDATED_DATELINE = re.compile(
    r"(?:^|(?<=[.\n])\s*|\d{4}\s+)[A-Z][A-Z'’.-]{2,}(?:\s+[A-Z][A-Z'’.-]+){0,3}"
    r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?\s*(?:\([^)\n]{1,40}\)\s*)?(?:--|[-–—�])\s",
    re.MULTILINE,
)


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
    """The mention naming the most specific place, with its precision (1, 2 or 3).

    A place the sentence puts the event in ("in Syria", "near Gao") outranks one of
    the same level it names otherwise (the actor: "Turkey shelled a city in Syria");
    a person's home ("Dunbar of Austin, Texas", "a man from Kayes") is no event place.
    """
    names = [m for m in mentions if m.kind != "demonym" and not _origin(text, m)]
    names = names or [m for m in mentions if not _origin(text, m)]
    if not names:
        return None

    def rank(mention: Mention) -> tuple[int, int, int]:
        level = _SPECIFIC.get(mention.place.feature if mention.place else "", 1)
        return (level, 0 if _locative(text, mention) else 1, mention.start)

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


_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|into|inside|across|around|throughout|on|onto|towards?|within|"
    r"à|au|aux|dans|près|vers|en)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}$"
)
_ORIGIN = re.compile(r"(?:\b(?:from|d'origine)\s+|[A-Z][\w.’']*,?\s+of\s+|\d+,\s+of\s+)$")


def _locative(text: str, mention: Mention) -> bool:
    return bool(_LOCATIVE.search(text[max(0, mention.start - 40) : mention.start]))


def _origin(text: str, mention: Mention) -> bool:
    return bool(_ORIGIN.search(text[max(0, mention.start - 40) : mention.start]))


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= DESCRIPTION_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, DESCRIPTION_CHARS - 1)
    return sentence[: cut if cut > 0 else DESCRIPTION_CHARS - 1] + "…"
