"""The GeoJSON reader: a FeatureCollection (or one Feature) of Point features.

The document is parsed at once (a broken file fails before the first row),
walking the ``features`` array with ``raw_decode`` so that a bad feature's
:class:`~mali_map.gazetteer.records.RowError` names the line where it starts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ...errors import BadInput
from ..records import PlaceRecord, RowError
from .detect import _Source
from .values import _column_role, _record, _RowProblem

_WHITESPACE = re.compile(r"\s*")


def _features_with_offsets(text: str) -> list[tuple[int | None, Any]] | None:
    """The members of a FeatureCollection's ``features`` array, each with its character offset.

    Walks the top-level object with ``raw_decode`` so that row errors can name
    a line. Returns None if the document is not a top-level object with a
    ``features`` array (the caller then parses it whole).
    """
    decoder = json.JSONDecoder()

    def skip(pos: int) -> int:
        return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]  # \s* always matches

    pos = skip(0)
    if not text.startswith("{", pos):
        return None
    pos = skip(pos + 1)
    while not text.startswith("}", pos):
        key, pos = decoder.raw_decode(text, pos)
        pos = skip(pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = skip(pos + 1)
        if key == "features" and text.startswith("[", pos):
            features: list[tuple[int | None, Any]] = []
            pos = skip(pos + 1)
            while not text.startswith("]", pos):
                start = pos
                feature, pos = decoder.raw_decode(text, pos)
                features.append((start, feature))
                pos = skip(pos)
                if text.startswith(",", pos):
                    pos = skip(pos + 1)
                elif not text.startswith("]", pos):
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            return features
        _, pos = decoder.raw_decode(text, pos)
        pos = skip(pos)
        if text.startswith(",", pos):
            pos = skip(pos + 1)
        elif not text.startswith("}", pos):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
    return None


def _load_geojson(source: _Source) -> tuple[str, list[tuple[int | None, Any]]]:
    label = source.label
    with source.open() as raw:
        data = raw.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BadInput("not UTF-8 text", where=f"{label}:{line}") from None
    try:
        features = _features_with_offsets(text)
        if features is None:
            document = json.loads(text)
            if isinstance(document, dict) and document.get("type") == "Feature":
                features = [(None, document)]
            elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
                raise BadInput("FeatureCollection without a 'features' list", where=label)
            else:
                raise BadInput("not GeoJSON: expected a FeatureCollection of Point features", where=label)
    except json.JSONDecodeError as error:
        raise BadInput(f"not valid JSON: {error.msg}", where=f"{label}:{error.lineno}") from None
    except RecursionError:
        raise BadInput("JSON nested too deeply", where=label) from None
    return text, features


def _read_geojson(source: _Source, errors: list[RowError], name_field: str | None = None) -> Iterator[PlaceRecord]:
    text, features = _load_geojson(source)  # eager: a broken file fails before the first row

    def rows() -> Iterator[PlaceRecord]:
        line, counted_to = 1, 0
        for number, (offset, feature) in enumerate(features, 1):
            if offset is not None:
                line += text.count("\n", counted_to, offset)
                counted_to = offset
            where = f"{source.label}:{line}"
            try:
                yield _geojson_record(feature, name_field)
            except _RowProblem as problem:
                errors.append(RowError(where, f"feature {number}: {problem}"))

    return rows()


def _geojson_record(feature: Any, name_field: str | None = None) -> PlaceRecord:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _RowProblem("not a GeoJSON Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise _RowProblem("no geometry")
    if geometry.get("type") != "Point":
        raise _RowProblem(f"geometry is a {geometry.get('type')}, not a Point")
    position = geometry.get("coordinates")
    if not isinstance(position, list) or len(position) < 2:
        raise _RowProblem("a Point needs coordinates [longitude, latitude]")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise _RowProblem("properties is not an object")
    fields: dict[str, Any] = {}
    for key, value in properties.items():
        role = _column_role(str(key), name_field)
        if role and role not in fields and role not in ("lat", "lon"):
            fields[role] = value
    fields["lon"], fields["lat"] = position[0], position[1]
    for role in ("name", "admin1"):
        if fields.get(role) is not None and not isinstance(fields[role], str):
            raise _RowProblem(f"{role} is not text: {fields[role]!r}")
    return _record(fields)
