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
from typing import TYPE_CHECKING, Any

from ..geoparse import Geoparser, Mention
from ..geoparse.dates import DateMention, dateline, find_dates
from ..geoparse.events import Incident, extract_incidents

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

#: How far from the main event a place may lie and still be in the map's first view (km).
STORY_KM = 1500.0
_BROAD = {"continent": 3, "country": 2, "admin1": 1, "area": 1}
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

    def incidents_frame(self, *, with_places: bool = False) -> Any:
        """The incidents as a GeoDataFrame (EPSG:4326), one row each, with a ``layer`` column per date.

        ``with_places``: add one row per place the report names (layer ``PLACES_LAYER``,
        no date), so the map shows where the text points even where nothing happened.
        """
        import geopandas as gpd
        from shapely.geometry import Point

        frame, lon, lat = self._rows(with_places=with_places)
        return gpd.GeoDataFrame(frame, geometry=[Point(x, y) for x, y in zip(lon, lat)], crs="EPSG:4326")

    def _rows(self, *, with_places: bool) -> tuple[Any, list[float], list[float]]:
        """(pandas table, lon, lat) of :meth:`incidents_frame`, without geometry objects."""
        import pandas as pd

        records, lon, lat = [], [], []
        for incident in self.incidents:
            if incident.place is None:
                continue
            record = incident.properties()
            record["event_date"] = incident.date.date.isoformat() if incident.date else None
            record["event_type"] = incident.category
            record["geo_precision"] = record.pop("precision")
            records.append(record)
            lon.append(incident.place.lon)
            lat.append(incident.place.lat)
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
                lon.append(place.lon)
                lat.append(place.lat)
        return pd.DataFrame.from_records(records, columns=_FRAME_COLUMNS), lon, lat

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

    def map(self, *, title: str | None = None) -> Any:
        """The folium map: one layer per event date, the places, and the checked claims.

        A time slider only when an incident has a date (a feature story, an outbreak
        report may have none: the map then says so under its title). The first view
        fits the story (:meth:`story_view`); far mentions stay on the map, a zoom away.
        """
        from ..render import build_map
        from ..render.data import PointTable

        dated = any(i.date is not None and i.place is not None for i in self.incidents)
        frame, lon, lat = self._rows(with_places=True)
        return build_map(
            PointTable(_for_popups(frame), lon, lat),
            claims=self.claims,
            layer_by="layer",
            time="event_date" if dated else None,
            title=title or self.title or "Incidents of the report",
            first_view=self.story_view(),
            note=" ".join(self.notes()) or None,
        )

    def notes(self) -> list[str]:
        """What a reader of the map and the report should know that the data alone does not say."""
        placed = [i for i in self.incidents if i.place is not None]
        if not placed:
            named = len(self.named_places())
            return [
                f"No incident found: the map shows the {named} place{'' if named == 1 else 's'} the report names."
                if named
                else "No incident and no place found: the map is empty."
            ]
        if not any(i.date is not None for i in placed):
            return ["No time slider: no incident of the report has a date."]
        return []

    def main_incident(self) -> Incident | None:
        """The incident the report leads with (see :func:`main_incident`)."""
        return main_incident(self.incidents, self.dateline)

    def story_view(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((south, west), (north, east)) of the map's first view: the places near the story.

        The story is the main incident's place or, without incidents, the place the report
        names most often (a town before a region before a country on a tie). Every incident
        and named place within :data:`STORY_KM` of it is in view; a stray mention on another
        continent is not (it stays on the map and in the legend). ``None``: no place at all.
        """
        from ..geodesy import within_km

        points = [(i.place.lat, i.place.lon) for i in self.incidents if i.place is not None]
        points += [(place.lat, place.lon) for place, _ in self.named_places()]
        centre = self._story_centre()
        if centre is None:
            return None
        near = [p for p in points if within_km(centre, p, STORY_KM)] or [centre]
        lats, lons = [p[0] for p in near], [p[1] for p in near]
        return ((min(lats), min(lons)), (max(lats), max(lons)))

    def _story_centre(self) -> tuple[float, float] | None:
        main = self.main_incident()
        if main is not None and main.place is not None:
            return (main.place.lat, main.place.lon)
        counts: dict[tuple[float, float], list[int]] = {}
        for order, mention in enumerate(self.places):
            place = mention.place
            if place is None:
                continue
            rank = counts.setdefault((place.lat, place.lon), [0, _BROAD.get(place.feature, 0), -order])
            rank[0] += 1
        if not counts:
            return None
        return max(counts, key=lambda point: (counts[point][0], -counts[point][1], counts[point][2]))

    def map_frame(self) -> Any:
        """:meth:`incidents_frame` (with the places) in the column names the map's popups show:
        the place as ``location``, the sentence as ``notes``, the words that placed it as
        ``geocoded_from`` (so "the north" stands beside "approximate area"), and ``event_date``
        at the precision the text gives ("2011", not "2011-01-01"; the time slider still reads it)."""
        return _for_popups(self.incidents_frame(with_places=True))


def _for_popups(frame: Any) -> Any:
    """:meth:`Article.map_frame`'s renaming, on a pandas or geopandas table of the report's rows."""
    frame = frame.rename(columns={"place": "location", "description": "notes", "place_text": "geocoded_from"})
    frame["event_date"] = frame["date"]
    # a named place's note ("named as BAMAKO, Bamako") would only repeat geocoded_from
    frame.loc[frame["layer"] == PLACES_LAYER, "notes"] = None
    return frame


def process_article(
    text: str,
    *,
    country: str | None = None,
    gazetteer: Gazetteer | None = None,
    recogniser: str = "rules",
    title: str | None = None,
) -> Article:
    """Read a news report: places, dates, incidents and checked distance claims.

    ``country``: the focus, a weak prior (``None``: ML; ``""``: none); the text's
    own places and demonyms decide the country it is about. ``title``: the title of
    the map and the report; by default one built from the main incident
    (:func:`headline`, e.g. "Mutiny in Kati, 18 August 2020").
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
        title=title if title is not None and title.strip() else headline(incidents, line, text),
    )


def check_claims_in_context(text: str, parser: Geoparser, mentions: list[Mention], country: str | None) -> list:
    """Every distance and direction claim of ``text``, checked with the document's resolution of its
    places and the country the text is about (see :mod:`mali_map.claims.context`)."""
    from ..claims.context import claims_in_context
    from ..claims.verify import ClaimChecker

    checker = ClaimChecker(parser.gazetteer, country=country or "")
    return claims_in_context(text, mentions, checker)


def headline(incidents: list[Incident], line: DateMention | None, text: str) -> str:
    """A short title from what the report says: the main incident's category, place and date.

    The main incident is the first one (in the text's order) on the dateline's date: a
    report leads with its news, and looks back later. Without one, the first incident
    with a place. The place is named by its own name ("Attack in Turkey", never "in
    Turkish"); a place known only as an area is named in the report's own words ("the
    north"). Without any incident: the report's first line, shortened.
    """
    main = main_incident(incidents, line)
    if main is None or main.place is None:
        return _first_line(text)
    name = main.place.name
    area_words = main.place_kind not in ("name", "demonym") and main.precision > 1 and main.place_text
    where = main.place_text if area_words else name
    title = f"{main.category.capitalize()} in {where}"
    return f"{title}, {main.layer}" if main.date is not None else title


def main_incident(incidents: list[Incident], line: DateMention | None) -> Incident | None:
    """The incident a report leads with: the first placed one on the dateline's date, else the first placed one."""
    placed = [i for i in incidents if i.place is not None]
    if line is not None:
        news = [i for i in placed if i.date is not None and i.date.date == line.date]
        placed = news or placed
    return placed[0] if placed else None


def _first_line(text: str) -> str:
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
