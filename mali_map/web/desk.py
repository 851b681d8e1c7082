"""What the web server does, without the web: geocode, distance, check, article and map for one shared session.

:func:`_session` builds the one :class:`Desk` every request shares (read-only: one gazetteer, opened once).
Each method takes plain values and returns the JSON objects of the CLI's ``--json`` (the same builders:
:mod:`mali_map.cli.geocode`, :mod:`mali_map.cli.distance`, ``ClaimResult.to_dict``, ``Mention.to_dict``),
so an answer over HTTP and a line of ``mali-map ... --json`` agree field for field. Errors are the library's
own (:class:`~mali_map.errors.BadInput`, :class:`~mali_map.errors.PlaceNotFound`); :mod:`.app` turns them into
HTTP 400 and 422 with the CLI's words.
"""

from __future__ import annotations

import functools
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..places import Place
from ..vocabulary import Verdict


@dataclass(frozen=True)
class Limits:
    """What one request may ask for: a bigger request is refused (HTTP 413 or 400) before any work."""

    body_bytes: int = 10 * 1024 * 1024
    text_chars: int = 500_000
    items: int = 10_000  # queries of one /api/geocode, texts of one /api/check
    rows: int = 50_000  # rows of an uploaded incident table


@dataclass
class ArticleRun:
    """A processed report with the reader's corrections applied, and its JSON answer."""

    article: Any
    answer: dict[str, Any]


@dataclass
class TableRun:
    """An incident table mapped: the page, its rejects (CSV text, ``""`` for none) and the JSON answer."""

    map_html: str
    rejects_csv: str
    answer: dict[str, Any]


class Desk:
    """The operations of the page and the API over one gazetteer (``country``: the focus, as ``--country``)."""

    def __init__(self, gazetteer: Any, *, country: str = "ML", limits: Limits | None = None) -> None:
        self.gazetteer = gazetteer
        self.country = country
        self.limits = limits or Limits()

    # -- geocode / distance -------------------------------------------------------------------------------------

    def geocode(self, queries: Sequence[str]) -> list[dict[str, Any]]:
        """One ``geocode --json`` object per query, same order (``status`` ``ok`` or ``not_found``)."""
        from ..api import geocode_many
        from ..cli.geocode import _check_query, found_dict, not_found_dict

        self._check_count(queries, "queries")
        for number, query in enumerate(queries, 1):
            _check_query(query, f"query {number}" if len(queries) > 1 else "query")
        places = geocode_many(list(queries), gazetteer=self.gazetteer)
        return [
            found_dict(query, place) if place else not_found_dict(query, tuple(self.gazetteer.suggest(query)))
            for query, place in zip(queries, places)
        ]

    def distance(self, a: str, b: str, unit: str = "km") -> dict[str, Any]:
        """The ``distance --json`` object; :class:`PlaceNotFound` for a name not found."""
        from ..api import as_place
        from ..cli.distance import distance_dict
        from ..geodesy import check_unit

        check_unit(unit)
        start, end = (as_place(value, gazetteer=self.gazetteer) for value in (a, b))
        return distance_dict(start, end, unit)

    # -- claims ----------------------------------------------------------------------------------------------

    def check(self, texts: Sequence[str]) -> dict[str, Any]:
        """Every claim of every text, checked: ``claims`` (``check --json`` objects, each with ``line``,
        the sentence to paste), ``unread`` (texts with no claim, with why) and ``exit_code`` (as ``check``).

        A single text with no claim, or no claim in any text, is :class:`~mali_map.errors.NoClaimFound`."""
        from ..claims.verify import ClaimChecker
        from ..cli.check import _one_line, exit_code
        from ..errors import NoClaimFound

        self._check_count(texts, "texts")
        for text in texts:
            self._check_text(text)
        entries = ClaimChecker(self.gazetteer, country=self.country).check_texts(list(texts))
        unread = [{"text": entry.text, "error": str(entry.error)} for entry in entries if not entry.ok]
        if len(unread) == len(entries):
            if len(entries) == 1:
                raise NoClaimFound(f"no distance or direction claim found in {_one_line(texts[0])!r}")
            raise NoClaimFound("no distance or direction claim found in any text")
        results = [result for entry in entries for result in entry.claims]
        claims = [{**r.to_dict(), "line": f"{r.verdict}: {_one_line(r.text)} — {r.explanation}"} for r in results]
        return {"claims": claims, "unread": unread, "exit_code": exit_code(results, len(unread))}

    def claim_map(self, text: str) -> str:
        """A small map of one claim's two places with the range the claim allows (the first claim of ``text``)."""
        import geopandas as gpd

        from ..claims.verify import ClaimChecker
        from ..render import build_map, map_html

        self._check_text(text)
        results = ClaimChecker(self.gazetteer, country=self.country).results_for([text])
        empty = gpd.GeoDataFrame({"event_type": []}, geometry=[], crs="EPSG:4326")
        return map_html(build_map(empty, claims=results[:1], title=_short(results[0].text, 80)))

    # -- article -------------------------------------------------------------------------------------------------

    def article(self, text: str, corrections: Sequence[tuple[str, int]] = (), title: str | None = None) -> ArticleRun:
        """``article`` on ``text``, with each ``(mention text, alternative number)`` correction applied:
        every mention of those words is placed at that alternative, and the incidents, the claims and
        the title are worked out again from the corrected places."""
        self._check_text(text)
        article = _processed(self.gazetteer, self.country, text, tuple(corrections), title)
        return ArticleRun(article, article_answer(article))

    # -- incident tables -----------------------------------------------------------------------------------------

    def map_table(
        self,
        data: bytes,
        filename: str,
        *,
        layer_by: str | None = None,
        time: str | None = None,
        filter_by: Sequence[str] = (),
        title: str | None = None,
        min_confidence: float | None = None,
        claims: Sequence[str] = (),
        basemap: str | None = None,
    ) -> TableRun:
        """``map`` on an uploaded table (CSV, GeoJSON, GeoPackage): the page, the rejects and the
        ``map --json`` summary plus ``columns`` (to choose layer, time and filter columns from).

        The upload is written to a private temporary folder under a fixed name (the client's file
        name gives only its extension) and removed before this returns."""
        from ..incidents import load_incidents_with_rejects
        from ..incidents.columns import resolve_column
        from ..mapjob import _by_reason
        from ..render import build_map, incident_layer_count, map_html
        from ..spreadsheet import safe_csv

        suffix = _table_suffix(filename)
        results = self._claims_to_draw(claims)  # first: a claim without a claim fails fast, as in 'map'
        if basemap:
            from ..render.basemap import basemap_name

            basemap_name(basemap)
        with tempfile.TemporaryDirectory(prefix="mali-map-serve-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            name = _short(Path(filename).name, 120) or f"table{suffix}"
            try:
                self._check_rows(path, data)
                loaded = load_incidents_with_rejects(
                    path, country=self.country, gazetteer=self.gazetteer, min_confidence=min_confidence
                )
            except BadInput as error:  # its words, with the client's file name for the server's path
                raise BadInput(str(error).replace(str(path), name)) from None
        notes = [note.replace(str(path), name) for note in loaded.notes]
        incidents, rejects = loaded.incidents, loaded.rejects
        for frame in (incidents, rejects):  # the client's file name, not the server's temporary path
            if "input_file" in frame.columns and len(frame):
                frame["input_file"] = name
        if len(incidents) == 0:
            raise BadInput(f"no incidents to map: all {len(rejects)} rows rejected", where=name)
        columns = [str(c) for c in incidents.columns if c != "geometry"]
        page = build_map(
            incidents,
            layer_by=resolve_column(layer_by, columns) if layer_by else None,
            time=resolve_column(time, columns) if time else None,
            title=title or name,
            claims=results,
            filter_by=[resolve_column(c, columns) for c in filter_by],
            basemap=basemap or "offline",
        )
        answer = {
            "output": "map.html",
            "incidents": len(incidents),
            "layers": incident_layer_count(page),
            "rejected": len(rejects),
            "rejected_by_reason": _by_reason(rejects),
            "rejects_path": "map.rejects.csv" if len(rejects) else None,
            "claims": [result.to_dict() for result in results],
            "notes": notes,
            "columns": columns,
            "rows": _rows(incidents, columns),
        }
        return TableRun(map_html(page), safe_csv(rejects) if len(rejects) else "", answer)

    def _claims_to_draw(self, texts: Sequence[str]) -> list:
        """Every claim of each ``--claim`` text, checked (``map --claim``); none without texts."""
        if not texts:
            return []
        from ..claims.verify import ClaimChecker

        for text in texts:
            self._check_text(text)
        return ClaimChecker(self.gazetteer, country=self.country).results_for(list(texts))

    # -- checks ------------------------------------------------------------------------------------------------

    def _check_count(self, items: Sequence[str], what: str) -> None:
        if not items:
            raise BadInput(f"give at least one of {what}")
        if len(items) > self.limits.items:
            raise BadInput(f"too many {what}: {len(items):,} (at most {self.limits.items:,} a request)")

    def _check_text(self, text: str) -> None:
        """A text must be text (no NUL: binary data), not blank and not too long."""
        if len(text) > self.limits.text_chars:
            raise BadInput(f"text too long: {len(text):,} characters (at most {self.limits.text_chars:,})")
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            raise BadInput("binary data (a NUL byte), expected a text", where=f"text:{line}")
        if not text.strip():
            raise BadInput("empty input: no text to read")

    def _check_rows(self, path: Path, data: bytes) -> None:
        """Refuse a table of more rows than :attr:`Limits.rows` before reading it whole."""
        if path.suffix == ".csv":
            rows = max(data.count(b"\n") - 1, 0)  # an upper bound: a quoted cell may hold a line break
        else:
            try:
                import pyogrio

                rows = int(pyogrio.read_info(path).get("features") or 0)
            except Exception:  # unreadable: the loader says why, in its own words
                return
        if rows > self.limits.rows:
            raise BadInput(f"too many rows: {rows:,} (at most {self.limits.rows:,} a table)", where=str(path))


def _session(settings: Any = None) -> Desk:
    """The one shared session of the server: the gazetteer of the run's options (``settings``, a
    :class:`mali_map.cli.options.Settings`: ``--country``, ``--only``, ``--gazetteer``, ``--online``),
    by default the offline one with the default focus, opened once.

    The desk reads the gazetteer of one :class:`mali_map.Session`: the command's (closed when
    ``serve`` ends), or the library's default session."""
    from ..session import default_session

    session = settings.session() if settings is not None else default_session()
    return Desk(session.gazetteer, country=session.country or "")


_TABLE_SUFFIXES = {".csv": ".csv", ".geojson": ".geojson", ".json": ".geojson", ".gpkg": ".gpkg"}


def _table_suffix(filename: str) -> str:
    """The extension the upload is saved under; only the suffix of the client's name is used."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in _TABLE_SUFFIXES:
        raise BadInput(
            f"an incident table is a .csv, .geojson or .gpkg file, not {suffix or 'a file without extension'!r}"
        )
    return _TABLE_SUFFIXES[suffix]


#: rows of a mapped table sent back to the page (to find an incident in), at most
ROWS_SHOWN = 2000


def _rows(incidents: Any, columns: list[str]) -> list[dict[str, str]]:
    """The first :data:`ROWS_SHOWN` incidents as text cells (empty cells left out), for the page's search."""
    head = incidents[columns].head(ROWS_SHOWN)
    return [
        {column: _cell(value) for column, value in zip(columns, row) if _cell(value)}
        for row in head.itertuples(index=False, name=None)
    ]


def _cell(value: Any) -> str:
    """A cell as a reader writes it: a date without a time of day as ``2012-03-21``, nothing for a gap."""
    if value is None:
        return ""
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return "" if text in ("nan", "NaT", "None", "<NA>") else text


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the article, corrected ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _processed(gazetteer: Any, country: str, text: str, corrections: tuple, title: str | None) -> Any:
    """:func:`_process`, remembered for the last 64 reports: the same report asked again (the page after
    each correction, a desk sharing one report) is read once."""
    return _process(gazetteer, country, text, corrections, title)


def _process(gazetteer: Any, country: str, text: str, corrections: tuple, title: str | None) -> Any:
    """:func:`mali_map.article.process_article`, then the corrections: when there are some, the mentions
    are re-placed and the steps after geoparsing (incidents, claims, title) run again on them."""
    from dataclasses import replace

    from ..article import check_claims_in_context, headline, process_article
    from ..claims.extract import sentence_spans
    from ..geoparse import Geoparser
    from ..geoparse.events import extract_incidents

    article = process_article(text, country=country, gazetteer=gazetteer, title=title)
    if not corrections:
        return article
    chosen = dict(corrections)
    mentions = []
    for mention in article.places:
        if mention.text in chosen:
            mention = replace(mention, place=_alternative_place(mention, chosen[mention.text]), confidence=1.0)
        mentions.append(mention)
    unknown = set(chosen) - {m.text for m in article.places}
    if unknown:
        raise BadInput(f"no place named {sorted(unknown)[0]!r} in the text to correct")
    parser = Geoparser(gazetteer, country=country)
    incidents = extract_incidents(text, sentence_spans(text), mentions, article.dates, article.dateline)
    claims = check_claims_in_context(text, parser, mentions, article.country)
    new_title = title if title and title.strip() else headline(incidents, article.dateline, text)
    return replace(article, places=mentions, incidents=incidents, claims=claims, title=new_title)


def _alternative_place(mention: Any, choice: int) -> Place:
    """The place a correction picks: alternative ``choice`` of the mention's place (0 the first).

    The chosen place is marked ``source="reader"`` with confidence 1: the reader vouches for it."""
    from ..claims.context import READER_SOURCE

    place = mention.place
    alternatives = place.alternatives if place is not None else ()
    if not 0 <= choice < len(alternatives):
        raise BadInput(f"{mention.text!r} has no alternative number {choice} (it has {len(alternatives)})")
    alternative = alternatives[choice]
    return Place(
        name=alternative.name,
        lat=alternative.lat,
        lon=alternative.lon,
        country_code=alternative.country_code,
        source=READER_SOURCE,
        confidence=1.0,
        alternatives=tuple(a for a in alternatives if a is not alternative),
    )


def article_answer(article: Any) -> dict[str, Any]:
    """The JSON answer of ``/api/article``: ``article --json``'s summary fields with the content itself:
    ``mentions`` (``places --json`` objects with each place's ``alternatives``), ``claims`` (the
    ``claims.json`` records), ``incidents`` (the GeoJSON) and ``report`` (the Markdown)."""
    from ..article.outputs import claim_record, incidents_geojson, report_markdown

    placed = [i for i in article.incidents if i.place is not None]
    verdicts = [c.verdict for c in article.claims]
    mentions = []
    for mention in article.places:
        record = mention.to_dict()
        place = mention.place
        record["source"] = place.source if place else None
        record["alternatives"] = [a.to_dict() for a in place.alternatives] if place else []
        mentions.append(record)
    return {
        "title": article.title,
        "files": {
            "map.html": "map.html",
            "incidents.geojson": "incidents.geojson",
            "claims.json": "claims.json",
            "report.md": "report.md",
        },
        "places": len(article.places),
        "incidents": len(article.incidents),
        "layers": list(dict.fromkeys(i.layer for i in placed)),
        "claims": [claim_record(c) for c in article.claims],
        "verdicts": verdicts,
        "exit_code": Verdict.exit_code_of(verdicts),
        "mentions": mentions,
        "incidents_geojson": json.loads(incidents_geojson(article)),
        "report": report_markdown(article),
    }


def article_zip(article: Any) -> bytes:
    """The four files of ``mali-map article`` in one zip, built in memory (nothing on disk)."""
    from ..article.outputs import claims_json, incidents_geojson, map_page, report_markdown

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, writer in (
            ("map.html", map_page),
            ("incidents.geojson", incidents_geojson),
            ("claims.json", claims_json),
            ("report.md", report_markdown),
        ):
            archive.writestr(name, writer(article))
    return buffer.getvalue()


def table_zip(run: TableRun) -> bytes:
    """The mapped table's page and its rejects file (when rows were rejected) in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("map.html", run.map_html)
        if run.rejects_csv:
            archive.writestr("map.rejects.csv", run.rejects_csv)
    return buffer.getvalue()


__all__ = ["Desk", "Limits", "ArticleRun", "TableRun", "article_answer", "article_zip", "table_zip"]
