"""Readers for the gazetteer files analysts bring: CSV, GeoJSON points, GeoNames dumps.

:func:`read_places` picks the reader from the file's extension and content and
yields :class:`~mali_map.gazetteer.records.PlaceRecord`. Two kinds of trouble
are kept apart so that one bad row never costs the rest of a file:

- a file we cannot read at all (missing, empty, binary, not JSON, a CSV header
  without the required columns) raises :class:`~mali_map.errors.BadInput` with
  one line naming the file (and line) *when read_places is called*, before any
  row is yielded;
- a bad row (no name, a latitude that is not a number or out of range, a short
  GeoNames line, ...) becomes a :class:`~mali_map.gazetteer.records.RowError`
  ``("file:line", reason)`` appended to ``errors``, and is skipped.

Formats:

CSV (``.csv``, ``.tsv``, or a ``.txt`` that is not a GeoNames dump)
    UTF-8 with or without a byte-order mark, or UTF-16 with one (Excel's
    "Unicode text"); a file that is not valid UTF-8 and
    shows no UTF-8 multi-byte sequence is read as Windows-1252 (what Excel saves
    on French Windows). The delimiter (``,`` ``;`` or tab) is the one that makes
    the header name the required columns. Header names are case-insensitive:

    - required: ``name`` (or ``nom``), ``latitude``/``lat``,
      ``longitude``/``lon``/``lng``/``long``;
    - optional: ``feature``, ``population``, ``country_code`` (or ``cc``),
      ``admin1`` (or ``region``), ``alternatenames`` (or ``alternate_names``).

    Coordinates are decimal degrees; a decimal comma (``12,74``) is accepted.
    ``alternatenames`` holds several names separated by ``|`` or ``,`` (both
    work, so the GeoNames habit of commas and a spreadsheet-friendly bar both
    do; a name therefore cannot contain either). ``feature`` is one of our
    words (country, admin1, capital, city, town, village, place) or a GeoNames
    feature code (``PPL``, ``PPLA2``, ``ADM1`` ...); another word becomes
    ``place``, and an empty one is taken from the population (city, town,
    village). Other columns are ignored.

GeoJSON (``.geojson``, ``.json``)
    A FeatureCollection (or one Feature) of Point features; properties as the
    CSV columns (``alternatenames`` may also be a list). Other geometries are
    bad rows. Row errors point at the line where the feature starts.

GeoNames dump (``.txt``; ``.zip`` holding one, like ``ML.zip``)
    The 19 tab-separated columns of ``geoname``: geonameid, name, asciiname,
    alternatenames, latitude, longitude, feature class, feature code, country
    code, cc2, admin1 code, admin2, admin3, admin4, population, elevation, dem,
    timezone, modification date. Feature codes map to our words as in
    :func:`geonames_feature`; admin1 stays the GeoNames code (``"03"``).
    This reader is the fast path: decoded in 1 MB blocks, a plain ``split("\\t")`` per line.

GeoPackage (``.gpkg``) and Shapefile (``.shp``)
    The first point layer, through pyogrio (see :mod:`.layer_reader`); its
    attribute columns as the CSV columns.

OpenStreetMap (``.osm.pbf``, ``.osm``)
    Place nodes (city, town, village, hamlet, suburb, locality), through the
    optional pyosmium (see :mod:`.osm_reader`).

Every reader takes ``name_field`` (``--name-field``): the column (or OSM tag)
holding the name, for files whose name column is not called ``name``.

Modules: :mod:`.detect` opens the file (zip members, encodings) and decides
its format; :mod:`.values` checks and converts the cells of one row;
:mod:`.csv_reader`, :mod:`.geojson_reader` and :mod:`.geonames_reader` read
one format each. This module holds the entry points.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..records import PlaceRecord, RowError
from .csv_reader import REQUIRED_COLUMNS, _csv_layout, _read_csv
from .detect import GEONAMES_COLUMNS, HEAD_BYTES, _open_source
from .geojson_reader import _read_geojson
from .geonames_reader import _read_geonames
from .layer_reader import LAYER_SUFFIXES, _read_layer
from .osm_reader import OSM_SUFFIXES, _read_osm
from .values import COLUMN_NAMES, geonames_feature

__all__ = [
    "COLUMN_NAMES",
    "GEONAMES_COLUMNS",
    "HEAD_BYTES",
    "REQUIRED_COLUMNS",
    "estimate_rows",
    "geonames_feature",
    "read_places",
]


def read_places(path: str | Path, *, errors: list[RowError], name_field: str | None = None) -> Iterator[PlaceRecord]:
    """Read the places of a CSV, GeoJSON, GeoNames (``.txt`` or ``.zip``), GeoPackage, Shapefile or OSM file.

    Raises :class:`BadInput` at once if the file cannot be read at all; bad
    rows are appended to ``errors`` as they are met, and skipped.

    >>> errors = []
    >>> places = list(read_places("villages.csv", errors=errors))  # doctest: +SKIP
    """
    suffix = Path(path).suffix.lower()
    if suffix in LAYER_SUFFIXES:
        return _read_layer(path, errors, name_field)
    if suffix in OSM_SUFFIXES:
        return _read_osm(path, errors, name_field)
    source = _open_source(path)
    if source.kind == "geojson":
        return _read_geojson(source, errors, name_field)
    if source.kind == "geonames":
        return _read_geonames(source, errors)
    return _read_csv(source, _csv_layout(source, name_field), errors)


def estimate_rows(path: str | Path) -> int | None:
    """About how many rows :func:`read_places` will yield (its line count), for progress bars.

    ``None`` for GeoJSON, whose features are not lines, and for the binary
    formats. Cheap: counts newlines without parsing (a 100,000-line dump takes
    a few milliseconds).
    """
    if Path(path).suffix.lower() in LAYER_SUFFIXES + OSM_SUFFIXES:
        return None
    source = _open_source(path)
    if source.kind == "geojson":
        return None
    lines = 0
    last = b""
    with source.open() as raw:
        while chunk := raw.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk
    if last and not last.endswith(b"\n"):
        lines += 1
    return lines - (1 if source.kind == "csv" else 0)
