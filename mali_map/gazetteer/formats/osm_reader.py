"""OpenStreetMap ``.osm.pbf`` extracts: the place nodes, through pyosmium (optional).

An extract of a country holds every road and building; we keep only nodes
tagged ``place`` = city, town, village, hamlet, suburb or locality, with
their name (``name``, or the tag ``--name-field`` gives), other names
(``name:fr``, ``alt_name`` ... ), population, and the country and region when
tagged (``is_in:country_code``, ``is_in:state``). OSM nodes rarely say their
country: a node without one gets the country whose outline holds it, and its
region is estimated at query time (see :mod:`mali_map.gazetteer.regions`).

pyosmium is an optional dependency (``pip install 'mali-map[osm]'``); it is
imported only here, only when such a file is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import BadInput
from ...vocabulary import OSM_PLACE_FEATURES, Feature
from ..records import PlaceRecord, RowError
from .layer_reader import _with_country
from .values import _population, _RowProblem

OSM_SUFFIXES = (".pbf", ".osm")
#: OSM ``place`` values we import (populated places, not countries or regions), and the feature each becomes.
PLACE_FEATURES = {
    tag: feature for tag, feature in OSM_PLACE_FEATURES.items() if feature not in (Feature.COUNTRY, Feature.ADMIN1)
}
_OTHER_NAME_TAGS = ("alt_name", "old_name", "official_name", "short_name", "loc_name", "int_name")


def _read_osm(path: str | Path, errors: list[RowError], name_field: str | None = None) -> Iterator[PlaceRecord]:
    """The place nodes of an OSM file, read whole at once (BadInput for an unreadable file)."""
    try:
        import osmium
    except ImportError:
        raise BadInput(
            "reading OpenStreetMap files needs the osmium package: pip install 'mali-map[osm]'", where=str(path)
        ) from None
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise BadInput("no such file" if not path.exists() else "empty or not a file", where=str(path))
    name_tag = name_field or "name"
    records: list[PlaceRecord] = []
    try:
        nodes = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(
            osmium.filter.TagFilter(*(("place", value) for value in PLACE_FEATURES))
        )
        for node in nodes:
            tags = {tag.k: tag.v for tag in node.tags}
            try:
                records.append(_osm_record(node, tags, name_tag))
            except _RowProblem as problem:
                errors.append(RowError(f"{path}:node {node.id}", str(problem)))
    except RuntimeError as error:  # libosmium's "PBF error", "bad header" ...
        raise BadInput(
            f"cannot read as an OpenStreetMap file: {str(error).strip() or 'unreadable'}", where=str(path)
        ) from None
    return iter(records)


def _osm_record(node: Any, tags: dict[str, str], name_tag: str) -> PlaceRecord:
    name = (tags.get(name_tag) or "").strip()
    if not name:
        raise _RowProblem(f"place node without {name_tag}")
    if not node.location.valid():
        raise _RowProblem("no valid location")
    others = [v for k, v in tags.items() if k.startswith("name:") and k != name_tag]
    for key in _OTHER_NAME_TAGS:
        others += tags.get(key, "").split(";")
    alternates = tuple(dict.fromkeys(o.strip() for o in others if o.strip() and o.strip() != name))
    try:
        population = _population(tags.get("population"))
    except _RowProblem:
        population = None  # "ca. 2000" and the like: the place is still worth having
    country = (tags.get("is_in:country_code") or tags.get("addr:country") or "").strip().upper()
    record = PlaceRecord(
        name=name,
        lat=node.location.lat,
        lon=node.location.lon,
        feature=PLACE_FEATURES[tags["place"]],
        population=population,
        country_code=country if len(country) == 2 else None,
        admin1=(tags.get("is_in:state") or tags.get("addr:state") or "").strip() or None,
        alternatenames=alternates,
    )
    return _with_country(record)
