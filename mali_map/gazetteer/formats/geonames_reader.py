"""The GeoNames dump reader (``ML.txt``, or inside ``ML.zip``): the fast path of imports.

A dump can hold millions of lines, so this reader does not go through the
shared per-cell checks of :mod:`.values` for good rows: it decodes 1 MB blocks,
splits each line at tabs, converts the few columns we keep inline and builds
records as plain tuples. Bad rows still become
:class:`~mali_map.gazetteer.records.RowError` in line order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from ...geodata import admin1_names_by_code
from ..records import PlaceRecord, RowError
from .detect import GEONAMES_COLUMNS, _Source
from .values import _coordinates, _RowProblem, geonames_feature

#: How many bytes of a GeoNames dump are decoded at once.
_BLOCK_BYTES = 1 << 20
# PlaceRecord is a named tuple; building it with tuple.__new__ skips the Python-level
# __new__ that fills defaults (a fifth of the reader's time). All ten fields are given.
_new_record = tuple.__new__


def _read_geonames(source: _Source, errors: list[RowError]) -> Iterator[PlaceRecord]:
    label = source.label
    feature_cache: dict[str, str] = {}  # code -> word, for rows without population
    region_names = admin1_names_by_code()
    number = 0
    with source.open() as raw:
        for lines in _text_blocks(raw):
            for line in lines:
                number += 1
                if not isinstance(line, str):
                    errors.append(RowError(f"{label}:{number}", f"not UTF-8 text (byte {line.start + 1} of the line)"))
                    continue
                fields = line.split("\t")
                if len(fields) != GEONAMES_COLUMNS:
                    if line.strip(_ASCII_SPACE) and not line.startswith("#"):
                        errors.append(
                            RowError(
                                f"{label}:{number}",
                                f"expected {GEONAMES_COLUMNS} tab-separated columns, found {len(fields)}",
                            )
                        )
                    continue
                (
                    geonameid,
                    name,
                    asciiname,
                    alternates,
                    lat_text,
                    lon_text,
                    _,
                    code,
                    country,
                    _,
                    admin1,
                    _,
                    _,
                    _,
                    population_text,
                    _,
                    _,
                    _,
                    _,
                ) = fields
                try:
                    lat = float(lat_text)
                    lon = float(lon_text)
                    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also false for NaN
                        _coordinates(lat, lon)  # raises with the message
                    population = int(population_text) if population_text else None
                    if population is not None and population < 0:
                        raise _RowProblem(f"population {population_text!r} is negative")
                    if not name:
                        raise _RowProblem("no name")
                    place_id = int(geonameid)
                except ValueError as error:  # _RowProblem is a ValueError too
                    errors.append(RowError(f"{label}:{number}", _geonames_problem(error, fields)))
                    continue
                if population:
                    feature = geonames_feature(code, population)
                else:
                    population = None
                    feature = feature_cache.get(code) or feature_cache.setdefault(code, geonames_feature(code, None))
                if asciiname and asciiname != name:
                    names = (*alternates.split(","), asciiname) if alternates else (asciiname,)
                else:
                    names = tuple(alternates.split(",")) if alternates else ()
                if admin1:  # GeoNames names the region by code; reports use its name
                    admin1 = region_names.get((country, admin1), admin1)
                yield _new_record(
                    PlaceRecord,
                    (name, lat, lon, feature, population, country or None, admin1 or None, names, place_id, None),
                )


_ASCII_SPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() strips


def _text_blocks(raw: IO[bytes]) -> Iterator[list[str | UnicodeDecodeError]]:
    """The lines of ``raw`` in blocks, decoded as UTF-8: split at ``\\n`` only, trailing ``\\r`` removed.

    A block is decoded in one call, which is several times faster than line
    by line. A block holding bad bytes is decoded line by line instead, and
    a line that is not UTF-8 is given as its UnicodeDecodeError, for the
    caller to report in line order.
    """
    pending = b""
    while True:
        chunk = raw.read(_BLOCK_BYTES)
        data = pending + chunk if pending else chunk
        if not chunk:
            if not data:
                return
            data += b"\n"  # the last line has no line end
        cut = data.rfind(b"\n") + 1
        if not cut:
            pending = data
            continue
        data, pending = data[: cut - 1], data[cut:]
        lines: list[str | UnicodeDecodeError]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            lines = [_decode_line(line.rstrip(b"\r")) for line in data.split(b"\n")]
        else:
            lines = text.split("\n")  # type: ignore[assignment]
            if "\r" in text:
                lines = [line.rstrip("\r") for line in lines]  # type: ignore[union-attr]
        yield lines
        if not chunk:
            return


def _decode_line(line: bytes) -> str | UnicodeDecodeError:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        return error


def _geonames_problem(error: ValueError, fields: list[str]) -> str:
    if isinstance(error, _RowProblem):
        return str(error)
    for index, what in ((4, "latitude"), (5, "longitude"), (14, "population"), (0, "geonameid")):
        try:
            (float if index in (4, 5) else int)(fields[index] or "0")
        except ValueError:
            return f"{what} {fields[index]!r} is not a number"
    return str(error)
