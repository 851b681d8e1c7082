"""From a news report to a verified map: :func:`process_article` and :class:`Article`.

>>> article = process_article(open("examples/kati-mutiny-2020.txt").read())   # doctest: +SKIP
>>> [i.category for i in article.incidents][:2]                                 # doctest: +SKIP
['mutiny', 'evacuation']

One pass over the text: the dateline and dates (:mod:`mali_map.geoparse.dates`),
the places resolved with the whole document (:mod:`mali_map.geoparse`), the
incidents (:mod:`mali_map.geoparse.events`) and the distance claims, checked
with the document's own reading of its places (:mod:`mali_map.claims`). The
outputs (map, GeoJSON, claims JSON, Markdown report) are in :mod:`.outputs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..geoparse import Geoparser, Mention
from ..geoparse.dates import DateMention, dateline, find_dates
from ..geoparse.events import Incident, extract_incidents

#: The map layer of the places the report names (undated: shown when the time slider spans everything).
PLACES_LAYER = "Places named in the report"
_FRAME_COLUMNS = [
    "layer",
    "event_date",
    "date",
    "event_type",
    "category",
    "place",
    "place_text",
    "description",
    "geo_precision",
    "country_code",
    "start",
    "end",
]


@dataclass
class Article:
    """A processed report: its places, dates, incidents and checked claims.

    ``places``: every place mention (:class:`~mali_map.geoparse.Mention`);
    ``claims``: :class:`~mali_map.claims.ClaimResult` objects, each with the
    sentence it came from (``claim.text``, ``claim.claim.start``/``end``);
    ``incidents``: :class:`~mali_map.geoparse.events.Incident` records;
    ``country``: the country the text is about.
    """

    text: str
    places: list[Mention]
    dates: list[DateMention]
    dateline: DateMention | None
    incidents: list[Incident]
    claims: list[Any]
    country: str | None
    title: str = field(default="")

    def incidents_frame(self, *, with_places: bool = False):
        """The incidents as a GeoDataFrame (EPSG:4326), one row each, with a ``layer`` column per date.

        ``with_places``: add one row per place the report names (layer ``PLACES_LAYER``,
        no date), so the map shows where the text points even where nothing happened.
        """
        import geopandas as gpd
        import pandas as pd
        from shapely.geometry import Point

        records, points = [], []
        for incident in self.incidents:
            if incident.place is None:
                continue
            record = incident.properties()
            record["event_date"] = incident.date.date.isoformat() if incident.date else None
            record["event_type"] = incident.category
            record["geo_precision"] = record.pop("precision")
            records.append(record)
            points.append(Point(incident.place.lon, incident.place.lat))
        if with_places:
            for place, words in self.named_places():
                records.append(
                    {
                        "layer": PLACES_LAYER,
                        "event_type": "place named",
                        "place": place.name,
                        "place_text": ", ".join(words),
                        "country_code": place.country_code,
                        "description": f"named as {', '.join(words)}",
                        "geo_precision": 3 if place.feature in ("country", "admin1", "area") else 1,
                    }
                )
                points.append(Point(place.lon, place.lat))
        frame = pd.DataFrame.from_records(records, columns=_FRAME_COLUMNS)
        return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")

    def named_places(self) -> list[tuple[Any, list[str]]]:
        """Each distinct place the report names, with the words it used for it, in order of first mention."""
        found: dict[tuple[str, float, float], tuple[Any, list[str]]] = {}
        for mention in self.places:
            place = mention.place
            if place is None:
                continue
            _, words = found.setdefault((place.name, place.lat, place.lon), (place, []))
            if mention.text not in words:
                words.append(mention.text)
        return list(found.values())

    def map(self, *, title: str | None = None):
        """The folium map: one layer per event date, the places, and the checked claims."""
        from ..render import build_map

        return build_map(
            self.incidents_frame(with_places=True),
            claims=self.claims,
            layer_by="layer",
            time="event_date",
            title=title or self.title or "Incidents of the report",
        )


def process_article(text: str, *, country: str | None = None, gazetteer=None, recogniser: str = "rules") -> Article:
    """Read a news report: places, dates, incidents and checked distance claims.

    ``country``: the focus, a weak prior (``None``: ML; ``""``: none); the text's
    own places and demonyms decide the country it is about.
    """
    from ..claims.extract import sentence_spans

    parser = Geoparser(gazetteer, country=country, recogniser=recogniser)
    mentions = parser.parse(text)
    from ..geoparse.resolve import document_country_of

    about = document_country_of(mentions, parser.focus)
    line = dateline(text)
    dates = find_dates(text, line.date if line else None)
    sentences = sentence_spans(text)
    incidents = extract_incidents(text, sentences, mentions, dates, line)
    claims = check_claims_in_context(text, parser, mentions, about)
    return Article(
        text=text,
        places=mentions,
        dates=dates,
        dateline=line,
        incidents=incidents,
        claims=claims,
        country=about,
        title=_title(text),
    )


def check_claims_in_context(text: str, parser: Geoparser, mentions: list[Mention], country: str | None) -> list:
    """Every distance and direction claim of ``text``, checked with the document's resolution of its
    places and the country the text is about (see :mod:`mali_map.claims.context`)."""
    from ..claims.context import claims_in_context
    from ..claims.verify import ClaimChecker

    checker = ClaimChecker(parser.gazetteer, country=country or "")
    return claims_in_context(text, mentions, checker)


def _title(text: str) -> str:
    """The report's first line without its dateline, shortened: the page title."""
    import re

    lines = (
        re.sub(r"^\s*date\s*[:=]?\s*\d{4}-\d\d-\d\d\s*", "", line, flags=re.IGNORECASE).strip()
        for line in text.splitlines()
    )
    first = next((line for line in lines if line), "")
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(first) <= 90:
        return first
    return first[: first.rfind(" ", 0, 89)].rstrip(" ,;:-") + "…"


__all__ = ["Article", "process_article"]
