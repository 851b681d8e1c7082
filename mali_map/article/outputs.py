"""The files of ``mali-map article``: map.html, incidents.geojson, claims.json, report.md.

Each writer takes an :class:`~mali_map.article.Article` and returns text; :func:`write_outputs`
writes them all into one folder, together or not at all, never over the report read. Text that
comes from the report is escaped for Markdown and HTML in the report (a report is untrusted input:
it may hold ``<script>``, links or table pipes); the map escapes its own values (see :mod:`mali_map.render`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..claims.records import ClaimResult
    from . import Article

FILES = ("map.html", "incidents.geojson", "claims.json", "report.md")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def incidents_geojson(article: Article) -> str:
    """A GeoJSON FeatureCollection of the incidents (an incident without a place has no geometry)."""
    features = []
    for incident in article.incidents:
        place = incident.place
        geometry = {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]} if place else None
        features.append({"type": "Feature", "geometry": geometry, "properties": incident.properties()})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


def claims_json(article: Article) -> str:
    """The checked claims: ``check`` objects, each with its ``sentence`` and the sentence's ``start``/``end``."""
    return json.dumps([claim_record(result) for result in article.claims], ensure_ascii=False, indent=1) + "\n"


def claim_record(result: ClaimResult) -> dict[str, Any]:
    record = result.to_dict()
    claim = result.claim
    record["sentence"] = result.text
    record["start"] = claim.start if claim else None
    record["end"] = claim.end if claim else None
    return record


def escape_markdown(text: str) -> str:
    """``text`` safe in Markdown and in the HTML it becomes: entities for ``& < >``, backslashes for markup."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def report_markdown(article: Article) -> str:
    """The report: the places table, the claims with verdicts and explanations, and a timeline."""
    e = escape_markdown
    lines = [f"# {e(article.title) or 'Report'}", ""]
    if article.dateline:
        about = e(_country_name(article.country))
        lines += [f"Dateline: {article.dateline.date.isoformat()}. The text is about {about}.", ""]
    for note in article.notes():
        lines += [e(note), ""]
    lines += [
        "## Places",
        "",
        "| text | place | country | lat | lon | kind | confidence |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    seen = set()
    for m in article.places:
        key = (m.text, m.place.name if m.place else None)
        if key in seen:
            continue
        seen.add(key)
        p = m.place
        lines.append(
            f"| {e(m.text)} | {e(p.name) if p else '(unresolved)'} | {p.country_code or '' if p else ''} | "
            f"{f'{p.lat:.4f}' if p else ''} | {f'{p.lon:.4f}' if p else ''} | {m.kind} | {m.confidence:.2f} |"
        )
    lines += ["", "## Distance claims", ""]
    if not article.claims:
        lines.append("No distance or direction claim found.")
    for result in article.claims:
        lines += [f"- **{result.verdict}**: {e(result.text)}", f"  {e(result.explanation)}"]
    lines += ["", "## Timeline", ""]
    if not article.incidents:
        lines.append("No incident found.")
    for incident in sorted(article.incidents, key=lambda i: (i.date.date if i.date else dt.date.max, i.start)):
        when = incident.date.iso if incident.date else "undated"
        where = incident.place.name if incident.place else "unplaced"
        lines.append(
            f"- {when}, {e(where)} (precision {incident.precision}), {incident.category}: {e(incident.description)}"
        )
    return "\n".join(lines) + "\n"


def map_page(article: Article) -> str:
    from ..render import map_html

    return map_html(article.map())


def write_outputs(article: Article, folder: str | Path, *, inputs: Sequence[str | Path] = ()) -> dict[str, Path]:
    """Write the four files into ``folder`` (created if missing); return ``{file name: path}``.

    All four are put in place together or none (:class:`mali_map.outputs.Outputs`); none may be one
    of ``inputs`` or a link to one (``article d/report.md -o d`` is refused before anything is
    written), and a failed write is one line naming the file.
    """
    from ..errors import BadInput
    from ..outputs import Outputs, cannot_write, check_outputs

    folder = Path(folder)
    writers = {
        "map.html": map_page,
        "incidents.geojson": incidents_geojson,
        "claims.json": claims_json,
        "report.md": report_markdown,
    }
    check_outputs([("-o", folder / name) for name in writers], inputs)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise BadInput(
            "is a file, not a folder: -o names the folder the four outputs go into", where=str(folder)
        ) from None
    except OSError as error:
        raise cannot_write(folder, error) from None
    paths = {}
    with Outputs(inputs=inputs) as outputs:
        for name, writer in writers.items():
            paths[name] = outputs.text(folder / name, writer(article))
        outputs.commit()
    return paths


def _country_name(code: str | None) -> str:
    from .. import geodata

    if not code:
        return "no one country"
    return next((c["name"] for c in geodata.countries() if c["iso2"] == code), code)


#: the library counterpart of ``mali-map article FILE -o DIR``: ``write_article(process_article(text), "out")``
write_article = write_outputs
