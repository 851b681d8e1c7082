"""Claims read with the whole document: the places a report has already resolved, and three
forms the sentence parser alone misses.

:func:`claims_in_context` takes a text and its geoparsed mentions
(:func:`mali_map.geoparse.geoparse`) and returns checked claims:

- a place the document resolved is that place in its claims too: "the capital"
  in a story about Mali is Bamako, and "Lexington" is the Lexington the rest of
  the story is about;
- a descriptor as the subject: "The Nigerien capital is about 1,100 km from
  Bamako" (the subject is Niamey);
- an appositive between subject and claim: "Bourem, in the Gao region, about
  80 km north of Gao" and "the town of Ansongo, in Ansongo district, some 90 km
  from Gao" (the subject is the name before the appositive, not the region in it);
- an anchor named through a descriptor: "..., which is 40 km north of the
  region's capital Gao" (the anchor is Gao).

Candidates are never chosen because they make a claim true: the document's
resolution knows nothing of the claims' numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..textnorm import name_key
from . import readings
from .extract import extract_claims, sentence_spans
from .records import Claim, ClaimResult, PlaceMention

if TYPE_CHECKING:
    from ..geoparse.resolve import Mention
    from ..places import Place
    from .resolve import PlaceResolver
    from .verify import ClaimChecker

#: "the region's capital Gao", "the district capital, Ansongo": a descriptor, then the anchor's name.
_DESCRIPTOR_ANCHOR = re.compile(
    r"\bthe\s+(?:(?:region|district|province|state|country|cercle)['’]s|regional|district|provincial)\s+"
    r"(?:capital|main\s+town|chief\s+town)\s*,?\s+(?=[A-Z])"
)
#: An appositive right before a claim: ", in the Gao region, " / ", in Ansongo district, " / ", near Gao, ".
_APPOSITIVE = re.compile(
    r",\s*(?:in|near|inside|within)\s+[^,.;]{1,60},\s*(?:which\s+is\s+|is\s+|lies\s+)?"
    r"(?:about|some|around|roughly|approximately|nearly|almost|only|just)?\s*$",
    re.IGNORECASE,
)


def claims_in_context(text: str, mentions: Sequence, checker: ClaimChecker) -> list[ClaimResult]:
    """The claims of ``text``, checked with the document's own resolution of its places.

    ``mentions``: the text's geoparsed mentions; ``checker``: a
    :class:`~mali_map.claims.verify.ClaimChecker` whose focus is the country the text is about.
    """
    from .verify import judge_readings

    resolver = checker.resolver
    results = []
    for claim in document_claims(text):
        subject, anchor = _mentions_for(text, claim, mentions)
        # A country the sentence names is a constraint: the document's reading must lie there.
        countries = _sentence_countries(claim, mentions) or resolver.sentence_countries(claim.text)
        subject = _within(subject, countries, resolver)
        named = resolver.sentence_countries(claim.text)
        if claim.anchor_kind == "place":
            anchor = _within(anchor, countries, resolver)
            own = resolver.read(claim.anchor_mention, claim, named, claim.anchor_country_code, None)
            anchor = _agreed(anchor, own) or own
        else:
            anchor = _agreed(anchor, None) or resolver.anchor(claim)
        if subject is not None and subject.mention is not None and subject.place is not None:
            context = named + ((anchor.country_code,) if anchor.country_code not in (None, *named) else ())
            own = resolver.read(subject.mention, claim, context, claim.subject_country, anchor.place)
            subject = _agreed(subject, own) or own
        if subject is None:
            subject = resolver.subject(claim, anchor)
        results.append(judge_readings(claim, subject, anchor))
    return results


#: The ``source`` of a place a reader chose among a mention's alternatives (``mali-map serve``'s corrections).
READER_SOURCE = "reader"


def _agreed(found: PlaceMention | None, own: PlaceMention | None) -> PlaceMention | None:
    """The document's reading of a place where the readings rule allows it, else the claim checker's.

    The document may choose among the place's plausible readings (the rest of the story says which
    Lexington); it may not bring back a reading the rule ruled out ("Konna" read as Conna, Ireland)
    or break a country the text binds the place to. A place the gazetteer has no candidate for by
    these words (a descriptor, "the Nigerien capital") is the document's, if it is sure enough
    (:data:`~mali_map.claims.readings.PLAUSIBLE`). A place a reader chose (source ``"reader"``, a
    correction on the desk page) is the one reading: a person settled it.
    """
    if found is None or found.place is None:
        return own
    if found.place.source == READER_SOURCE:
        return PlaceMention(found.mention, found.place, readings=(found.place,))
    if own is not None and (own.readings or own.guess is not None):
        if any(_same_point(found.place, reading) for reading in own.readings):
            return PlaceMention(found.mention, found.place, readings=(found.place,))
        return own
    confidence = found.trust if found.trust is not None else found.place.confidence
    if confidence < readings.PLAUSIBLE:
        return own
    return PlaceMention(found.mention, found.place, readings=(found.place,))


def _same_point(a: Place, b: Place) -> bool:
    from .readings import _same_place

    return _same_place(a, b)


def document_claims(text: str) -> list[Claim]:
    """:func:`~mali_map.claims.extract_claims`, plus the claims whose anchor is named through a descriptor.

    A sentence with "the region's capital Gao" is read a second time with the
    descriptor left out; the claims found then keep the original sentence and offsets.
    """
    claims = extract_claims(text)
    seen = {(c.start, c.end) for c in claims}
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        cuts = list(_DESCRIPTOR_ANCHOR.finditer(sentence))
        if not cuts or (start, end) in seen:
            continue
        plain, removed = _without(sentence, cuts)
        for claim in extract_claims(plain):
            lo, hi = claim.span[0] - claim.start, claim.span[1] - claim.start
            span = (start + _back(lo, removed), start + _back(hi, removed))
            claims.append(replace(claim, text=sentence, start=start, end=end, span=span))
    claims.sort(key=lambda c: c.span)
    return claims


def _without(sentence: str, cuts: list[re.Match]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence with the descriptor words cut out, and ``(position in the cut text, length cut)``."""
    parts, removed, last, dropped = [], [], 0, 0
    for cut in cuts:
        parts.append(sentence[last : cut.start()])
        removed.append((cut.start() - dropped, cut.end() - cut.start()))
        dropped += cut.end() - cut.start()
        last = cut.end()
    parts.append(sentence[last:])
    return "".join(parts), removed


def _back(offset: int, removed: list[tuple[int, int]]) -> int:
    """An offset in the cut sentence -> the offset in the original sentence."""
    for position, length in removed:
        if offset > position:
            offset += length
    return offset


def _mentions_for(text: str, claim: Claim, mentions: Sequence) -> tuple[PlaceMention | None, PlaceMention | None]:
    """Subject and anchor as the document resolved them, where the text says which words they are."""
    in_sentence = [m for m in mentions if claim.start <= m.start < claim.end and m.place is not None]
    before = [m for m in in_sentence if m.end <= claim.span[0]]
    after = [m for m in in_sentence if m.start >= claim.span[0]]
    subject = None
    appositive = _APPOSITIVE.search(text, claim.start, claim.span[0]) if before else None
    if appositive:
        named = [m for m in before if m.end <= appositive.start()]
        if named:
            subject = _as_place_mention(named[-1])
    elif claim.subject_mention is None and before:
        subject = _as_place_mention(before[-1])  # "The Nigerien capital is ...": a descriptor as subject
    elif claim.subject_mention is not None:
        same = [m for m in before if name_key(m.text) == name_key(claim.subject_mention) and m.kind == "name"]
        if same:
            subject = _as_place_mention(same[-1])
    anchor = None
    if claim.anchor_kind == "place":
        same = [m for m in after if name_key(m.text) == name_key(claim.anchor_mention) and m.kind == "name"]
        if same:
            anchor = _as_place_mention(same[0])
    else:
        descriptors = [
            m
            for m in after
            if m.kind == "descriptor" and m.place is not None and m.place.feature in ("capital", "city")
        ]
        if descriptors and claim.anchor_country is None:
            anchor = _as_place_mention(descriptors[0])
    return subject, anchor


def _sentence_countries(claim: Claim, mentions: Sequence) -> tuple[str, ...]:
    """The countries the claim's sentence names, as the document read them ("Burkina Faso", "Malian")."""
    codes = [
        m.place.country_code
        for m in mentions
        if claim.start <= m.start < claim.end
        and m.place is not None
        and m.place.country_code
        and (m.kind == "demonym" or m.place.feature == "country")
    ]
    return tuple(dict.fromkeys(codes))


def _within(found: PlaceMention | None, countries: tuple[str, ...], resolver: PlaceResolver) -> PlaceMention | None:
    """``found`` if its place lies in one of ``countries`` (or the sentence names none); else the
    same words looked up in those countries, or ``None`` to let the claim checker decide."""
    if found is None or found.place is None or not countries or found.place.country_code in countries:
        return found
    if found.place.feature == "country" or found.mention is None:
        return found
    found_there = resolver.places(found.mention, countries, countries[0] if len(countries) == 1 else None)
    place = found_there[0] if found_there else None
    if place is None or place.country_code not in countries:
        return None
    return PlaceMention(found.mention, place, trust=place.confidence)


def _as_place_mention(mention: Mention) -> PlaceMention:
    """The document's mention as a claim's place, with the document's confidence in it."""
    return PlaceMention(mention.text, mention.place, trust=getattr(mention, "confidence", None))
