"""One partition's work, as a worker does it: read its inputs, process them, checkpoint the rows.

A worker opens the gazetteer (the index file on disk, plus any ``--gazetteer``
files) once, through :func:`worker_gazetteer`: tasks carry only the settings,
never a gazetteer. A partition's rows are written to ``OUT_DIR/.parts``
atomically (:mod:`.checkpoint`) before the task returns, so a worker killed
afterwards loses nothing, and one killed before leaves nothing half-written
(the scheduler runs the partition again).

Each article is tried twice; an article failing both times is reported with its
error and the rest of the partition goes on.
"""

from __future__ import annotations

import re
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import checkpoint
from .plan import Unit, read_unit

if TYPE_CHECKING:
    from ..claims.records import ClaimResult
    from ..gazetteer import Gazetteer
    from ..geoparse import Mention
    from ..geoparse.events import Incident
    from ..places import Place

#: Rows of each output: where they came from, then what they say.
SOURCE_COLUMNS = ("input_file", "input_line", "input_row", "start", "end")
_GAZETTEERS: dict[tuple, Any] = {}
#: A notes cell worth a claim check: a number and a distance unit.
_MAY_CLAIM = re.compile(r"\d\s*(?:km|kilom|mi\b|miles|nmi|nautical)", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    """What every task needs to know: the options of the run (small, sent with each task)."""

    out_dir: str
    country: str | None = None
    only: tuple[str, ...] = ()
    gazetteers: tuple[str, ...] = ()
    table_kind: str = "csv"
    table_name: str = ""


@dataclass
class PartitionResult:
    """What a partition did (sent back to the client; the rows are in the checkpoint)."""

    index: int
    counts: dict[str, int] = field(default_factory=dict)
    rejects: dict[str, int] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    peak_memory_mb: float = 0.0
    worker: str = "serial"
    skipped: bool = False


def worker_gazetteer(settings: Settings) -> Gazetteer:
    """The gazetteer of this process for these settings, opened from disk the first time only."""
    key = (settings.country, settings.only, settings.gazetteers)
    gazetteer = _GAZETTEERS.get(key)
    if gazetteer is None:
        from ..gazetteer import Gazetteer

        gazetteer = _GAZETTEERS[key] = Gazetteer(
            settings.gazetteers, country=settings.country, only=settings.only or None
        )
    return gazetteer


def run_partition(index: int, units: list[Unit], settings: Settings, kind: str) -> PartitionResult:
    """Process partition ``index`` and checkpoint its rows (done already: return at once)."""
    out_dir = Path(settings.out_dir)
    if checkpoint.is_done(out_dir, index):
        return PartitionResult(index, skipped=True)
    result = PartitionResult(index, worker=_worker_name())
    if kind == "articles":
        tables = _articles(units, settings, result)
    else:
        tables = _table_rows(units[0], settings, result)
    started = time.perf_counter()
    checkpoint.write_partition(out_dir, index, tables, result)
    result.seconds["write"] = time.perf_counter() - started
    result.peak_memory_mb = peak_memory_mb()
    return result


def peak_memory_mb() -> float:
    """This process's own peak resident memory, in MB.

    Linux's ``VmHWM`` (``/proc/self/status``) starts afresh when a process starts a
    new program; ``ru_maxrss`` does not: a worker process started by a large
    client reports the client's peak through it. ``ru_maxrss`` is the fallback
    where ``/proc`` is absent (KiB on Linux, bytes on macOS).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().name)
    except (ImportError, ValueError):
        return "serial"


# -- articles -------------------------------------------------------------------------------


def _articles(units: list[Unit], settings: Settings, result: PartitionResult) -> dict[str, list[dict]]:
    from ..article import process_article

    gazetteer = worker_gazetteer(settings)
    rows: dict[str, list[dict]] = {"places": [], "incidents": [], "claims": []}
    started = time.perf_counter()
    for unit in units:
        error = None
        for _attempt in range(2):
            try:
                article = process_article(read_unit(unit), country=settings.country, gazetteer=gazetteer)
                break
            except Exception as failure:  # any failure of one article is reported, not fatal to the run
                error = f"{type(failure).__name__}: {str(failure).splitlines()[0] if str(failure) else ''}".rstrip(": ")
        else:
            result.failures.append({"input": unit.label, "error": error})
            continue
        source = {"input_file": unit.path, "input_line": unit.line, "input_row": None}
        rows["places"] += [_place_row(source, m) for m in article.places]
        rows["incidents"] += [_incident_row(source, i) for i in article.incidents]
        rows["claims"] += [_claim_row(source, c) for c in article.claims]
    result.seconds["articles"] = time.perf_counter() - started
    result.counts = {"articles": len(units) - len(result.failures), **{k: len(v) for k, v in rows.items()}}
    return rows


def _point(place: Place | None) -> tuple[float | None, float | None]:
    return (place.lat, place.lon) if place is not None else (None, None)


def _place_row(source: dict, mention: Mention) -> dict:
    place = mention.place
    lat, lon = _point(place)
    return {
        **source,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "kind": mention.kind,
        "name": place.name if place else None,
        "country_code": place.country_code if place else None,
        "admin1": place.admin1 if place else None,
        "feature": place.feature if place else None,
        "confidence": round(mention.confidence, 3),
        "lat": lat,
        "lon": lon,
    }


def _incident_row(source: dict, incident: Incident) -> dict:
    lat, lon = _point(incident.place)
    properties = incident.properties()
    return {
        **source,
        "start": incident.start,
        "end": incident.end,
        "event_date": properties["date"],
        "event_type": incident.category,
        "location": properties["place"],
        "place_text": incident.place_text,
        "notes": incident.description,
        "precision": incident.precision,
        "country_code": properties["country_code"],
        "lat": lat,
        "lon": lon,
    }


def _claim_row(source: dict, result: ClaimResult) -> dict:
    claim = result.claim
    subject, anchor = result.subject, result.anchor
    return {
        **source,
        "start": claim.start if claim else None,
        "end": claim.end if claim else None,
        "sentence": result.text,
        "subject": subject.place.name if subject.place else None,
        "anchor": anchor.place.name if anchor.place else None,
        "comparator": result.comparator,
        "value": result.value,
        "unit": result.unit,
        "direction": result.direction,
        "verdict": result.verdict,
        "distance_km": None if result.distance_km is None else round(result.distance_km, 2),
        "explanation": result.explanation,
        "lat": subject.place.lat if subject.place else None,
        "lon": subject.place.lon if subject.place else None,
    }


# -- incident tables --------------------------------------------------------------------------


def _table_rows(unit: Unit, settings: Settings, result: PartitionResult) -> dict[str, list[dict]]:
    """One row group of the staged table through the incident loader (geocoding rows without
    coordinates), then the claim checks of its notes."""
    import pyarrow.parquet as pq

    from ..incidents.load import _load_one, reject_kind
    from ..incidents.readers import RawTable

    started = time.perf_counter()
    frame = pq.ParquetFile(unit.path).read_row_group(unit.line or 0).to_pandas()
    rows = frame.pop("__row").tolist()
    lats = frame.pop("__lat").tolist() if "__lat" in frame else None
    lons = frame.pop("__lon").tolist() if "__lon" in frame else None
    frame = frame.astype(object).where(frame.notna(), "") if settings.table_kind == "csv" else frame.astype(object)
    table = RawTable(settings.table_name, settings.table_kind, frame, rows, point_lat=lats, point_lon=lons)
    result.seconds["read"] = time.perf_counter() - started
    started = time.perf_counter()
    incidents, rejects, _notes = _load_one(
        table, country=settings.country, gazetteer=worker_gazetteer(settings), min_confidence=_min_confidence()
    )
    result.seconds["geocode"] = time.perf_counter() - started
    rejected = set(rejects["input_row"].astype(int)) if len(rejects) else set()
    kept = [row for row in rows if row not in rejected]
    for reason in rejects["reason"] if len(rejects) else ():
        kind = reject_kind(str(reason))
        result.rejects[kind] = result.rejects.get(kind, 0) + 1
    started = time.perf_counter()
    incident_rows, place_rows, claim_rows = [], [], []
    records = incidents.drop(columns="geometry").to_dict("records")
    checker_texts: list[tuple[int, str]] = []
    for row, record, point in zip(kept, records, incidents.geometry):
        source = {"input_file": settings.table_name, "input_line": None, "input_row": row, "start": None, "end": None}
        values = {k: _cell(v) for k, v in record.items() if k not in SOURCE_COLUMNS}
        incident_rows.append({**source, **values, "lat": point.y, "lon": point.x})
        if values.get("geocoded_from"):
            place_rows.append(
                {
                    **source,
                    "query": values.get("location"),
                    "geocoded_from": values["geocoded_from"],
                    "precision": values.get("precision"),
                    "lat": point.y,
                    "lon": point.x,
                }
            )
        notes = values.get("notes")
        if isinstance(notes, str) and _MAY_CLAIM.search(notes):
            checker_texts.append((row, notes))
    if checker_texts:
        from ..claims.verify import ClaimChecker

        checker = ClaimChecker(worker_gazetteer(settings), country=settings.country)
        for (row, _text), checked in zip(checker_texts, checker.check_texts([t for _, t in checker_texts])):
            source = {"input_file": settings.table_name, "input_line": None, "input_row": row}
            claim_rows += [_claim_row(source, c) for c in checked.claims]
    result.seconds["claims"] = time.perf_counter() - started
    result.counts = {
        "rows": len(rows),
        "incidents": len(incident_rows),
        "places": len(place_rows),
        "claims": len(claim_rows),
        "rejected": len(rejects),
    }
    return {"incidents": incident_rows, "places": place_rows, "claims": claim_rows}


def _cell(value: Any) -> Any:
    """A cell as Parquet stores it portably: text, number or null."""
    if value is None or value != value:  # NaN, NaT
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _min_confidence() -> float:
    from ..gazetteer.calibration import MIN_CONFIDENCE

    return MIN_CONFIDENCE
