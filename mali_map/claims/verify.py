"""Claim + places -> verdict, range and explanation.

:func:`check_claim` checks the claims of one text; :func:`check_claims` checks
many texts at once and gives one :class:`TextClaims` per text, in order (its
claims or its error); :func:`iter_claims` yields every claim of many texts or
parsed claims, flat. Each distinct name is resolved once, and the distances of
large batches are computed in one vectorised call (:func:`distances_for`).
The rules are in :mod:`mali_map.claims.rules`, the extent model in
:mod:`mali_map.claims.extent`, the wording in :mod:`mali_map.claims.explain`.

>>> r = check_claim("Kati is less than 10 miles from Bamako.")
>>> r.verdict, round(r.distance_km, 2), r.range_km[0] < 16.09
('depends', 18.29, True)
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import NoClaimFound
from ..geodesy import inverse
from ..places import Place
from ..vocabulary import Comparator, Feature
from . import explain
from .extent import distance_range_km, extent_of
from .extract import extract_claims
from .records import Claim, ClaimResult, PlaceMention, TextClaims
from .resolve import PlaceResolver
from .rules import (
    CONTRADICTED,
    DEPENDS,
    SUPPORTED,
    UNRESOLVED,
    accepted_km,
    judge_about,
    judge_direction,
    judge_distance,
    sector_for,
    weaker,
)

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..geoparse import Geoparser

#: batches at least this large compute distances with pyproj in one call
VECTOR_BATCH = 2000
_LAT, _LON = operator.attrgetter("lat"), operator.attrgetter("lon")


class ClaimChecker:
    """Checks claims against one gazetteer and focus country, remembering resolved names.

    >>> checker = ClaimChecker(country="ML")          # doctest: +SKIP
    >>> checker.check_text("Kidal lies north-east of Gao.")[0].verdict   # doctest: +SKIP
    'supported'
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, country: str | None = None) -> None:
        if gazetteer is None:
            from ..gazetteer import open_gazetteer

            gazetteer = open_gazetteer(country=country)
        self.resolver = PlaceResolver(gazetteer, country)
        self._parser: Geoparser | None = None  # made by _geoparser() when a text must be read whole

    def check_text(self, text: str) -> list[ClaimResult]:
        """Every claim of ``text``, checked; raises :class:`NoClaimFound` when there is none."""
        claims = extract_claims(text)
        if not claims:
            raise NoClaimFound(f"no distance or direction claim found in {_quote(text)}")
        return self._reread_if_doubtful(text, self.check_many(claims))

    def _reread_if_doubtful(self, text: str, results: list[ClaimResult]) -> list[ClaimResult]:
        """The claims of ``text`` read again with the whole text when the sentence parser alone left one
        doubtful: a subject it could not place ("The Nigerien capital is about 1,100 km from Bamako"),
        or a subject that is the anchor itself ("Bourem, in the Gao region, about 80 km north of Gao"
        read as Gao to Gao, then "contradicted"). The text's own places then decide
        (:mod:`mali_map.claims.context`), as ``mali-map article`` reads a report."""
        if not any(_doubtful(result) for result in results):
            return results
        from .context import claims_in_context

        return claims_in_context(text, self._geoparser().parse(text), self) or results

    def _geoparser(self) -> Geoparser:
        """The checker's geoparser, made on first use (it loads the gazetteer's names once)."""
        if self._parser is None:
            from ..geoparse import Geoparser

            self._parser = Geoparser(self.resolver.gazetteer, country=self.resolver.focus or "")
        return self._parser

    def check_texts(self, items: Iterable[str | Claim]) -> list[TextClaims]:
        """One :class:`TextClaims` per item, in order: a text's claims, or its :class:`NoClaimFound`.

        A parsed :class:`Claim` is an item of its own. The claims of all items are
        checked as one batch (see :meth:`check_many`); a text whose reading is doubtful is
        read again with the whole text (:meth:`_reread_if_doubtful`).
        """
        texts: list[str] = []
        found: list[list[Claim]] = []
        parsed_by_us: list[bool] = []
        for item in items:
            if isinstance(item, str):
                texts.append(item)
                found.append(extract_claims(item))
            else:
                texts.append(item.text)
                found.append([item])
            parsed_by_us.append(isinstance(item, str))
        results = iter(self.check_many([claim for claims in found for claim in claims]))
        entries = []
        for text, claims, is_text in zip(texts, found, parsed_by_us):
            if not claims:
                error = NoClaimFound(f"no distance or direction claim found in {_quote(text)}")
                entries.append(TextClaims(text, (), error))
                continue
            checked = [next(results) for _ in claims]
            if is_text:
                checked = self._reread_if_doubtful(text, checked)
            entries.append(TextClaims(text, tuple(checked)))
        return entries

    def results_for(self, items: Iterable[str | Claim | ClaimResult] | str) -> list[ClaimResult]:
        """Checked claims from texts (every claim of each), parsed claims, and results (kept as they are).

        What a map draws: ``build_map(incidents, claims=[...])`` takes any of them. A
        result is a :class:`ClaimResult` or an object with its ``verdict``, ``subject``
        and ``anchor``. A text without a claim raises :class:`NoClaimFound`; anything
        else raises ``TypeError``.
        """
        if isinstance(items, str):
            items = [items]
        results: list[ClaimResult] = []
        for item in items:
            if isinstance(item, str):
                results.extend(self.check_text(item))
            elif isinstance(item, Claim):
                results.append(self.check(item))
            elif is_result(item):
                results.append(item)
            else:
                raise TypeError(
                    f"a claim is a text, a Claim or a ClaimResult, not {type(item).__name__} {_quote(repr(item))}"
                )
        return results

    def check(self, claim: Claim) -> ClaimResult:
        """One parsed claim, checked over the plausible readings of its places."""
        return judge_readings(claim, *self.resolver.mentions(claim))

    def _mentions(self, claim: Claim) -> tuple[PlaceMention, PlaceMention]:
        return self.resolver.mentions(claim)

    def check_many(self, claims: Sequence[Claim]) -> list[ClaimResult]:
        """Many parsed claims; distances in one vectorised call when the batch is large."""
        if len(claims) < VECTOR_BATCH:
            return [self.check(claim) for claim in claims]
        import numpy as np

        mentions = [self._mentions(c) for c in claims]
        pairs = {
            i: (s.place, a.place)
            for i, (s, a) in enumerate(mentions)
            if s.place is not None and a.place is not None and len(s.readings) <= 1 and len(a.readings) <= 1
        }
        resolved = list(pairs)
        number = self.resolver.number
        subject_ids = np.fromiter((number(s) for s, _ in pairs.values()), np.int64, len(pairs))
        anchor_ids = np.fromiter((number(a) for _, a in pairs.values()), np.int64, len(pairs))
        km, bearings = distances_by_index(subject_ids, anchor_ids, *self.resolver.coordinates())
        measured = dict(zip(resolved, zip(km.tolist(), bearings.tolist())))
        results = []
        for i, (claim, (subject, anchor)) in enumerate(zip(claims, mentions)):
            if i in measured:
                results.append(judge(claim, subject, anchor, *measured[i]))
            else:  # a place unresolved, or read more than one way
                results.append(judge_readings(claim, subject, anchor))
        return results


def distances_for(subjects: Sequence[Place], anchors: Sequence[Place]) -> tuple[Any, Any]:
    """Centre-to-centre km and bearing from each anchor to its subject, as numpy arrays.

    For lists of places from anywhere: places are numbered by identity, then
    :func:`distances_by_index` measures them. A :class:`ClaimChecker` numbers its
    places as it resolves them and calls :func:`distances_by_index` directly.
    """
    import numpy as np

    count = len(subjects)
    if count == 0:
        return np.zeros(0), np.zeros(0)
    every = list(subjects) + list(anchors)
    ids = np.fromiter(map(id, every), np.int64, 2 * count)
    _, first, numbers = np.unique(ids, return_index=True, return_inverse=True)
    distinct = [every[i] for i in first.tolist()]
    lats = np.fromiter(map(_LAT, distinct), float, len(distinct))
    lons = np.fromiter(map(_LON, distinct), float, len(distinct))
    return distances_by_index(numbers[:count], numbers[count:], lats, lons)


def distances_by_index(subject_ids: Any, anchor_ids: Any, lats: Any, lons: Any) -> tuple[Any, Any]:
    """The distance step of a batch: km and bearing for claims given as place numbers.

    ``lats[i], lons[i]`` is place ``i``. When the places are few, each distinct
    (subject, anchor) pair is measured once (a million claims about a few
    hundred places cost a few thousand geodesics); otherwise every claim is
    measured in one pyproj call on gathered arrays.
    """
    import numpy as np

    from ..geodesy import inverse_many

    count, places = len(subject_ids), len(lats)
    if count == 0:
        return np.zeros(0), np.zeros(0)
    if places * places > count // 2:  # pairs may all differ: measuring each claim is cheaper than sorting
        return inverse_many(lats[anchor_ids], lons[anchor_ids], lats[subject_ids], lons[subject_ids])
    pairs, back = np.unique(subject_ids * places + anchor_ids, return_inverse=True)
    s, a = pairs // places, pairs % places
    km, bearing = inverse_many(lats[a], lons[a], lats[s], lons[s])
    return km[back], bearing[back]


def judge(
    claim: Claim, subject: PlaceMention, anchor: PlaceMention, centre_km: float | None, bearing_deg: float | None
) -> ClaimResult:
    """The verdict of one claim whose places are resolved (or not) and measured."""

    def result(verdict: str, explanation: str, range_km: tuple[float, float] | None = None) -> ClaimResult:
        return ClaimResult(
            text=claim.text,
            subject=subject,
            anchor=anchor,
            comparator=claim.comparator,
            value=claim.value,
            value_hi=claim.value_hi,
            unit=claim.unit,
            direction=claim.direction,
            claim=claim,
            verdict=verdict,
            distance_km=None if range_km is None else centre_km,
            range_km=range_km,
            bearing_deg=None if range_km is None else bearing_deg,
            explanation=explanation,
        )

    if subject.place is None or anchor.place is None or centre_km is None or bearing_deg is None:
        missing = [(role, m) for role, m in (("subject", subject), ("anchor", anchor)) if m.place is None]
        return result(UNRESOLVED, explain.unresolved_sentence(missing))
    judged = _judge_measured(claim, result, subject, anchor, centre_km, bearing_deg)
    if claim.negated:
        judged = _denied(claim, judged)
    return judged


def _judge_measured(
    claim: Claim,
    result: Callable[..., ClaimResult],
    subject: PlaceMention,
    anchor: PlaceMention,
    centre_km: float,
    bearing_deg: float,
) -> ClaimResult:
    """The affirmed claim's verdict for one reading of its places, measured."""
    assert subject.place is not None and anchor.place is not None
    measured = f" Measured from {explain.label(anchor.place)} to {explain.label(subject.place)}."
    if claim.comparator is not None and _both_outlined(subject.place, anchor.place):
        judged = _judge_countries(claim, result, subject.place, anchor.place, centre_km, bearing_deg)
        return replace(judged, explanation=judged.explanation + measured)
    lo_km, hi_km = distance_range_km(subject.place, anchor.place, centre_km)
    if claim.problem:
        return result(
            UNRESOLVED,
            f"Not checked: {claim.problem}; centre to centre the places are "
            f"{explain.length(centre_km, claim.unit)} apart." + measured,
            (lo_km, hi_km),
        )
    parts: list[str] = []
    verdict, reading = SUPPORTED, None
    if claim.comparator is not None and _about_towns(claim, subject.place, anchor.place):
        accepted = accepted_km(claim)
        spread = extent_of(subject.place).spread_km + extent_of(anchor.place).spread_km
        distance = judge_about(accepted, lo_km, centre_km, hi_km, spread)
        parts.append(explain.about_part(claim, accepted, lo_km, centre_km, spread, distance))
        verdict, reading = distance.verdict, distance.reading
    elif claim.comparator is not None:
        accepted = accepted_km(claim)
        distance = judge_distance(accepted, lo_km, centre_km, hi_km)
        parts.append(explain.distance_part(claim, accepted, lo_km, centre_km, distance))
        verdict, reading = distance.verdict, distance.reading
    if claim.direction is not None:
        reach = extent_of(subject.place).reach_km + extent_of(anchor.place).reach_km
        sector = sector_for(claim.direction, centre_km, reach)
        direction = judge_direction(sector, bearing_deg)
        parts.append(
            explain.direction_part(
                subject.place.name, anchor.place.name, claim.direction, bearing_deg, sector, direction
            )
        )
        combined = weaker(verdict, direction.verdict)
        if combined != verdict or reading is None:
            reading = direction.reading if combined == direction.verdict else reading
        verdict = combined
    sentence = explain.join(parts, verdict, reading)
    sentence = sentence[:-1] + explain.notes(claim) + "." + measured
    return result(verdict, sentence, (lo_km, hi_km))


def _denied(claim: Claim, judged: ClaimResult) -> ClaimResult:
    """A denied claim ("isn't about 500 km") whose comparator has no opposite: the affirmed claim's
    verdict, inverted (supported <-> contradicted; depends stays), and said so. An unchecked claim
    stays as it is."""
    if judged.verdict == UNRESOLVED:
        return judged
    inverse_verdict: str = dict[str, str]({SUPPORTED: CONTRADICTED, CONTRADICTED: SUPPORTED}).get(
        judged.verdict, judged.verdict
    )
    said = dict[str, str](
        {
            SUPPORTED: "the text denies it, so the denial fails",
            CONTRADICTED: "the text denies it, so the denial holds",
        }
    ).get(judged.verdict, "the text denies it, so the denial holds wherever the claim below fails")
    return replace(judged, verdict=inverse_verdict, explanation=f"Denied claim ({said}): {judged.explanation}")


def judge_readings(claim: Claim, subject: PlaceMention, anchor: PlaceMention) -> ClaimResult:
    """The verdict over every plausible reading of both places (the rule of the interface's "Verdicts").

    One reading each: that reading's verdict. Several: ``supported`` or ``contradicted`` only when
    every pair of readings agrees; ``depends`` when they disagree, naming the readings and what each
    gives; the result's places, distance and range are those of the best reading.
    """
    if subject.place is None or anchor.place is None:
        return judge(claim, subject, anchor, None, None)
    pairs = [(s, a) for s in subject.readings or (subject.place,) for a in anchor.readings or (anchor.place,)]
    results = []
    for s, a in pairs:
        centre_km, bearing = inverse(a.point, s.point)
        results.append(judge(claim, replace(subject, place=s), replace(anchor, place=a), centre_km, bearing))
    first = replace(results[0], subject=subject, anchor=anchor)
    if len(results) == 1:
        return first
    verdicts = {r.verdict for r in results}
    if len(verdicts) == 1:
        named = explain.readings_named(subject, anchor)
        return replace(first, explanation=f"{first.explanation} The same on every reading ({named}).")
    return replace(first, verdict=DEPENDS, explanation=explain.depends_on_readings(subject, anchor, pairs, results))


#: places whose centre is not what "about N km from" measures to: a country, a region, an area
_NO_USUAL_CENTRE = frozenset({Feature.COUNTRY, Feature.ADMIN1, Feature.AREA})


def _about_towns(claim: Claim, subject: Place, anchor: Place) -> bool:
    """An "about N" claim (a range or a vague amount too) between two towns, cities or other points:
    judged centre to centre, the usual measure (:func:`mali_map.claims.rules.judge_about`). Bounds
    ("less than", "more than") and claims about a country or a region keep the extents rule
    (:func:`mali_map.claims.rules.judge_distance`): no one measures to a country's middle."""
    return claim.comparator == Comparator.ABOUT and not ({subject.feature, anchor.feature} & _NO_USUAL_CENTRE)


def _both_outlined(a: Place, b: Place) -> bool:
    return bool(extent_of(a).outline_iso2 and extent_of(b).outline_iso2)


def _judge_countries(
    claim: Claim,
    result: Callable[..., ClaimResult],
    subject: Place,
    anchor: Place,
    centre_km: float,
    bearing_deg: float,
) -> ClaimResult:
    """A distance between two countries is measured between their outlines (nearest borders or coasts).

    ``result(verdict, explanation, range_km)`` builds the :class:`ClaimResult` (see :func:`judge`).
    """
    from .extent import km_between_outlines

    border_km = km_between_outlines(subject.country_code or "", anchor.country_code or "")
    accepted = accepted_km(claim)
    verdict = judge_distance(accepted, border_km, border_km, border_km).verdict
    phrase = f'"{explain.claim_phrase(claim)}"'
    if claim.comparator == "~" or claim.tight:
        phrase += f" ({explain.accepted_phrase(accepted)})"
    sentence = (
        f"Border to border (nearest frontiers or coasts) {explain.length(border_km, claim.unit)}, "
        f"{'within' if verdict == SUPPORTED else 'outside'} {phrase}; centre to centre "
        f"{explain.length(centre_km, claim.unit)}, which no one means for two countries"
    )
    if claim.direction is not None:
        reach = extent_of(subject).reach_km + extent_of(anchor).reach_km
        direction = judge_direction(sector_for(claim.direction, centre_km, reach), bearing_deg)
        verdict = weaker(verdict, direction.verdict)
    return result(verdict, sentence + explain.notes(claim) + ".", (border_km, border_km))


def check_claim(text: str, *, country: str | None = None, gazetteer: Gazetteer | None = None) -> ClaimResult:
    """Check the (first) claim of ``text``; raises :class:`NoClaimFound` when there is none.

    For texts with several claims use :func:`check_claims` or :class:`ClaimChecker`.
    """
    return ClaimChecker(gazetteer, country=country).check_text(text)[0]


def check_claims(
    items: Iterable[str | Claim], *, country: str | None = None, gazetteer: Gazetteer | None = None
) -> list[TextClaims]:
    """Check many texts: one :class:`TextClaims` per text, in order, with its claims or its error.

    >>> texts = ["Kati is less than 10 miles from Bamako.", "Nothing here."]
    >>> [(entry.text, len(entry.claims), entry.ok) for entry in check_claims(texts)]   # doctest: +SKIP
    [('Kati is less than 10 miles from Bamako.', 1, True), ('Nothing here.', 0, False)]

    A parsed :class:`Claim` counts as a text with that one claim. Each distinct
    name is resolved once for the whole batch. For every claim of every text as
    one flat sequence, use :func:`iter_claims`.
    """
    return ClaimChecker(gazetteer, country=country).check_texts(items)


def iter_claims(
    items: Iterable[str | Claim], *, country: str | None = None, gazetteer: Gazetteer | None = None
) -> Iterator[ClaimResult]:
    """Every claim of every text (or parsed claim), in order, flat; texts without a claim give nothing."""
    for entry in check_claims(items, country=country, gazetteer=gazetteer):
        yield from entry.claims


def _doubtful(result: ClaimResult) -> bool:
    """A subject the sentence parser could not place, or one that is the anchor itself (0 km from it).
    A subject the gazetteer knows only as a guess is not doubtful: the whole text cannot make it
    plausible (:func:`mali_map.claims.context._agreed`)."""
    subject, anchor = result.subject.place, result.anchor.place
    if subject is None:
        return anchor is not None and result.subject.guess is None
    return anchor is not None and subject.point == anchor.point


def is_result(item: object) -> bool:
    """A :class:`ClaimResult`, or an object with its ``verdict``, ``subject`` and ``anchor``."""
    return isinstance(item, ClaimResult) or all(hasattr(item, name) for name in ("verdict", "subject", "anchor"))


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
