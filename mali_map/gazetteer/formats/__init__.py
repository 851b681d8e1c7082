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
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from ...errors import BadInput
from ...geodata import admin1_names_by_code
from ...places import FEATURES, check_latlon, feature_for_population
from ..records import PlaceRecord, RowError

#: How much of a file is read to decide its format and encoding.
HEAD_BYTES = 64 * 1024

GEONAMES_COLUMNS = 19

#: column role -> header names accepted for it (lower case, spaces as "_").
COLUMN_NAMES = {
    "name": ("name", "nom"),
    "lat": ("latitude", "lat"),
    "lon": ("longitude", "lon", "lng", "long"),
    "feature": ("feature",),
    "population": ("population",),
    "country_code": ("country_code", "countrycode", "cc"),
    "admin1": ("admin1", "region"),
    "alternatenames": ("alternatenames", "alternate_names"),
}
REQUIRED_COLUMNS = ("name", "lat", "lon")
_REQUIRED_HINT = "name, latitude (or lat), longitude (or lon, lng)"
_ROLE_WORDS = {"name": "name", "lat": "latitude", "lon": "longitude"}

_DELIMITERS = (",", ";", "\t")
_ALT_SEPARATORS = re.compile(r"[|,]")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_GAZETTEER_FEATURES = frozenset(FEATURES) - {"offset", "coordinates"}
_COUNTRY_CODES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLIX", "PCLS"})
_ZIP_MAGIC = b"PK\x03\x04"
_ZIP_DATA_SUFFIXES = (".txt", ".csv", ".tsv", ".geojson", ".json")


class _RowProblem(ValueError):
    """Raised inside a reader for a row it must skip; becomes a RowError."""


# --------------------------------------------------------------------------- entry points

def read_places(path: str | Path, *, errors: list[RowError]) -> Iterator[PlaceRecord]:
    """Read the places of a CSV, GeoJSON or GeoNames file (``.txt`` or ``.zip``).

    Raises :class:`BadInput` at once if the file cannot be read at all; bad
    rows are appended to ``errors`` as they are met, and skipped.

    >>> errors = []
    >>> places = list(read_places("villages.csv", errors=errors))  # doctest: +SKIP
    """
    source = _open_source(path)
    if source.kind == "geojson":
        return _read_geojson(source, errors)
    if source.kind == "geonames":
        return _read_geonames(source, errors)
    return _read_csv(source, _csv_layout(source), errors)


def estimate_rows(path: str | Path) -> int | None:
    """About how many rows :func:`read_places` will yield (its line count), for progress bars.

    ``None`` for GeoJSON, whose features are not lines. Cheap: counts newlines
    without parsing (a 100,000-line dump takes a few milliseconds).
    """
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


# --------------------------------------------------------------------------- sources

@dataclass(frozen=True)
class _Source:
    """A readable data stream: a file, or the data member of a zip archive."""

    label: str  # how messages name it: the path as given, or "archive.zip/member.txt"
    kind: str  # "csv", "geojson" or "geonames"
    head: bytes  # the first HEAD_BYTES bytes
    open: Callable[[], IO[bytes]]
    suffix: str


def _open_source(path: str | Path) -> _Source:
    """Check that ``path`` is a readable, non-empty text file (or zip) and decide its format."""
    label = str(path)
    file = Path(path)
    if not file.exists():
        raise BadInput("no such file", where=label)
    if file.is_dir():
        raise BadInput("is a folder, not a file", where=label)
    try:
        with file.open("rb") as raw:
            head = raw.read(HEAD_BYTES)
    except OSError as error:
        raise BadInput(f"cannot read: {error.strerror or error}", where=label) from None
    suffix = file.suffix.lower()
    if suffix == ".zip" or head.startswith(_ZIP_MAGIC):
        return _zip_member(file, label)
    return _text_source(label, head, lambda: file.open("rb"), suffix)


def _text_source(label: str, head: bytes, opener: Callable[[], IO[bytes]], suffix: str) -> _Source:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head, opener = _as_utf8(label, opener)
    if not head.strip().strip(codecs.BOM_UTF8).strip():
        raise BadInput("empty file", where=label)
    if b"\x00" in head:
        raise BadInput("binary data, not a text file (expected CSV, GeoJSON or a GeoNames dump)", where=label)
    return _Source(label, _detect_kind(head, suffix), head, opener, suffix)


def _as_utf8(label: str, opener: Callable[[], IO[bytes]]) -> tuple[bytes, Callable[[], IO[bytes]]]:
    """Re-encode a UTF-16 file (Excel's "Unicode text" export) as UTF-8, in memory."""
    with opener() as raw:
        try:
            data = raw.read().decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise BadInput(f"not valid UTF-16 text (byte {error.start})", where=label) from None
    return data[:HEAD_BYTES], lambda: io.BytesIO(data)


def _detect_kind(head: bytes, suffix: str) -> str:
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix in (".csv", ".tsv"):
        return "csv"
    first = head.lstrip(codecs.BOM_UTF8).lstrip()
    if first.startswith(b"{"):
        return "geojson"
    first_line = first.split(b"\n", 1)[0]
    if first_line.count(b"\t") >= GEONAMES_COLUMNS - 1:
        return "geonames"
    return "csv"


def _zip_member(file: Path, label: str) -> _Source:
    """The one data file inside a zip archive (GeoNames' ``ML.zip`` holds ``ML.txt`` and a readme)."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = [info for info in archive.infolist()
                       if not info.is_dir() and info.filename.lower().endswith(_ZIP_DATA_SUFFIXES)
                       and not Path(info.filename).name.lower().startswith(("readme", "."))
                       and "__MACOSX" not in info.filename]
            if len(members) > 1:  # prefer the member named like the archive: ML.zip -> ML.txt
                members = [m for m in members if Path(m.filename).stem.lower() == file.stem.lower()] or members
            if not members:
                raise BadInput("the zip archive holds no .txt, .csv or .geojson file", where=label)
            if len(members) > 1:
                names = ", ".join(m.filename for m in members)
                raise BadInput(f"the zip archive holds several data files ({names}); unzip the one to import",
                               where=label)
            member = members[0].filename
            with archive.open(member) as stream:
                head = stream.read(HEAD_BYTES)
    except zipfile.BadZipFile:
        raise BadInput("not a valid zip archive", where=label) from None
    except (RuntimeError, NotImplementedError) as error:  # encrypted or unsupported compression
        raise BadInput(f"cannot read the zip archive: {error}", where=label) from None

    def open_member() -> IO[bytes]:
        archive = zipfile.ZipFile(file)
        try:
            return archive.open(member)  # stays readable after the archive object is closed
        finally:
            archive.close()

    return _text_source(f"{label}/{member}", head, open_member, Path(member).suffix.lower())


# --------------------------------------------------------------------------- field values

def _coordinates(lat_value: Any, lon_value: Any) -> tuple[float, float]:
    lat = _number(lat_value, "latitude")
    lon = _number(lon_value, "longitude")
    try:
        check_latlon(lat, lon)
    except BadInput as error:
        hint = " (latitude and longitude swapped?)" if abs(lon) <= 90 < abs(lat) <= 180 else ""
        raise _RowProblem(error.message + hint) from None
    return lat, lon


def _number(value: Any, what: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _RowProblem(f"no {what}")
    if not isinstance(value, str):
        raise _RowProblem(f"{what} {value!r} is not a number")
    text = value.strip()
    if "," in text and "." not in text:  # decimal comma, as French spreadsheets write it
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise _RowProblem(f"{what} {value.strip()!r} is not a number") from None


def _population(value: Any) -> int | None:
    """A head count, or None when empty or 0 (GeoNames writes 0 for unknown)."""
    if value is None or value == "":
        return None
    number: float
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = re.sub(r"[\s_\u00a0\u202f]", "", value)
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise _RowProblem(f"population {value.strip()!r} is not a number") from None
    else:
        raise _RowProblem(f"population {value!r} is not a number")
    if not number == number or number < 0 or number != int(number):  # NaN, negative, fractional
        raise _RowProblem(f"population {value!r} is not a whole number >= 0")
    return int(number) or None


def _country_code(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    if not text:
        return None
    if not _COUNTRY_CODE.match(text):
        raise _RowProblem(f"country_code {value!r} is not a two-letter ISO 3166 code")
    return text


def _feature(value: Any, population: int | None) -> str:
    text = str(value or "").strip()
    if not text:
        return feature_for_population(population)
    word = text.lower()
    if word in _GAZETTEER_FEATURES:
        return word
    return geonames_feature(text.upper(), population)


def _alternatenames(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = value if isinstance(value, (list, tuple)) else _ALT_SEPARATORS.split(str(value))
    seen = {name}
    names = []
    for part in parts:
        alt = str(part).strip()
        if alt and alt not in seen:
            seen.add(alt)
            names.append(alt)
    return tuple(names)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _record(fields: dict[str, Any]) -> PlaceRecord:
    """Build a record from the values of one row, by column role; raises _RowProblem."""
    name = _text(fields.get("name"))
    if name is None:
        raise _RowProblem("no name")
    lat, lon = _coordinates(fields.get("lat"), fields.get("lon"))
    population = _population(fields.get("population"))
    return PlaceRecord(
        name=name, lat=lat, lon=lon,
        feature=_feature(fields.get("feature"), population),
        population=population,
        country_code=_country_code(fields.get("country_code")),
        admin1=_text(fields.get("admin1")),
        alternatenames=_alternatenames(fields.get("alternatenames"), name),
    )


def _column_role(header: str) -> str | None:
    key = re.sub(r"[\s\-]+", "_", header.strip().strip("\ufeff").lower())
    for role, names in COLUMN_NAMES.items():
        if key in names:
            return role
    return None


# --------------------------------------------------------------------------- CSV

def _text_encoding(head: bytes) -> str:
    """UTF-8, unless the start of the file is not UTF-8 and looks like Windows-1252."""
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if len(head) == HEAD_BYTES and error.start >= len(head) - 3:
            return "utf-8"  # a character cut in two at the end of the sample
        if re.search(rb"[\xc2-\xf4][\x80-\xbf]", head):
            return "utf-8"  # UTF-8 text with a few bad bytes: report those lines
        return "cp1252"


@dataclass(frozen=True)
class _CsvLayout:
    delimiter: str
    encoding: str
    header_line: int  # 1-based line number of the header
    columns: dict[str, int]  # role -> column index
    width: int  # number of header fields


def _csv_layout(source: _Source) -> _CsvLayout:
    """Find the header, the delimiter and the column roles; BadInput if a required column is missing."""
    encoding = _text_encoding(source.head)
    text = source.head.decode(encoding, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise BadInput("empty file", where=source.label)
    header = lines[header_index]
    delimiters = ("\t",) + _DELIMITERS if source.suffix == ".tsv" else _DELIMITERS
    best: tuple[int, str, list[str], dict[str, int]] | None = None
    for delimiter in delimiters:
        cells = next(csv.reader([header], delimiter=delimiter))
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            role = _column_role(cell)
            if role and role not in columns:
                columns[role] = index
        found = sum(role in columns for role in REQUIRED_COLUMNS)
        if best is None or (found, len(cells)) > (best[0], len(best[2])):
            best = (found, delimiter, cells, columns)
    assert best is not None
    found, delimiter, cells, columns = best
    missing = [role for role in REQUIRED_COLUMNS if role not in columns]
    if missing:
        shown = ", ".join(repr(c.strip()) for c in cells[:8]) + (", ..." if len(cells) > 8 else "")
        what = "a GeoNames dump (19 tab-separated columns) nor a CSV" if source.suffix == ".txt" else "a CSV"
        raise BadInput(f"not {what} with a header naming {_REQUIRED_HINT}; "
                       f"missing {', '.join(_ROLE_WORDS[role] for role in missing)} (header: {shown})",
                       where=f"{source.label}:{header_index + 1}")
    return _CsvLayout(delimiter, encoding, header_index + 1, columns, len(cells))


def _decoded_lines(raw: IO[bytes], encoding: str, label: str, errors: list[RowError]) -> Iterator[str]:
    """The lines of ``raw`` as text; an undecodable line is reported and replaced by a blank one.

    Replacing (not dropping) keeps the csv reader's line numbers true.
    """
    head = raw.peek(HEAD_BYTES)[:HEAD_BYTES] if hasattr(raw, "peek") else b""
    lines: Iterable[bytes] = raw
    if b"\r" in head and b"\n" not in head:  # old Mac line ends
        lines = raw.read().replace(b"\r", b"\n").splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as error:
            errors.append(RowError(f"{label}:{number}", f"not {encoding} text (byte {error.start + 1} of the line)"))
            text = "\n"
        if number == 1:
            text = text.lstrip("\ufeff")
        yield text


def _read_csv(source: _Source, layout: _CsvLayout, errors: list[RowError]) -> Iterator[PlaceRecord]:
    label = source.label
    roles = list(layout.columns.items())
    with source.open() as raw:
        reader = csv.reader(_decoded_lines(raw, layout.encoding, label, errors), delimiter=layout.delimiter)
        end_line = 0
        while True:
            start_line = end_line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                end_line = reader.line_num
                errors.append(RowError(f"{label}:{start_line}", f"unreadable CSV row: {error}"))
                continue
            end_line = reader.line_num
            if end_line <= layout.header_line or not any(cell.strip() for cell in row):
                continue
            try:
                if len(row) > layout.width and any(cell.strip() for cell in row[layout.width:]):
                    raise _RowProblem(f"{len(row)} fields but the header has {layout.width} "
                                      f"(a {layout.delimiter!r} inside an unquoted value?)")
                yield _record({role: row[index] if index < len(row) else "" for role, index in roles})
            except _RowProblem as problem:
                message = str(problem)
                if end_line > start_line:
                    message += f" (row runs from line {start_line} to {end_line}: unbalanced quote?)"
                errors.append(RowError(f"{label}:{start_line}", message))


# --------------------------------------------------------------------------- GeoJSON

_WHITESPACE = re.compile(r"\s*")


def _features_with_offsets(text: str) -> list[tuple[int | None, Any]] | None:
    """The members of a FeatureCollection's ``features`` array, each with its character offset.

    Walks the top-level object with ``raw_decode`` so that row errors can name
    a line. Returns None if the document is not a top-level object with a
    ``features`` array (the caller then parses it whole).
    """
    decoder = json.JSONDecoder()

    def skip(pos: int) -> int:
        return _WHITESPACE.match(text, pos).end()

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


def _read_geojson(source: _Source, errors: list[RowError]) -> Iterator[PlaceRecord]:
    text, features = _load_geojson(source)  # eager: a broken file fails before the first row

    def rows() -> Iterator[PlaceRecord]:
        line, counted_to = 1, 0
        for number, (offset, feature) in enumerate(features, 1):
            if offset is not None:
                line += text.count("\n", counted_to, offset)
                counted_to = offset
            where = f"{source.label}:{line}"
            try:
                yield _geojson_record(feature)
            except _RowProblem as problem:
                errors.append(RowError(where, f"feature {number}: {problem}"))

    return rows()


def _geojson_record(feature: Any) -> PlaceRecord:
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
        role = _column_role(str(key))
        if role and role not in fields and role not in ("lat", "lon"):
            fields[role] = value
    fields["lon"], fields["lat"] = position[0], position[1]
    for role in ("name", "admin1"):
        if fields.get(role) is not None and not isinstance(fields[role], str):
            raise _RowProblem(f"{role} is not text: {fields[role]!r}")
    return _record(fields)


# --------------------------------------------------------------------------- GeoNames

def geonames_feature(code: str, population: int | None) -> str:
    """Our feature word for a GeoNames feature code.

    PPLC is a capital; other populated places (PPL, PPLA, PPLA2 ...) are named
    by population (city, town, village); without a population an admin seat
    (PPLA*) is a town and any other a village, which is what most unpopulated
    GeoNames places in Mali are. A section of a place (PPLX) is a ``place``.
    ADM1 is an admin1 region, PCLI (and the other PCL codes) a country;
    anything else is a ``place``.
    """
    if code == "PPLC":
        return "capital"
    if code.startswith("PPL") and code != "PPLX":
        if population:
            return feature_for_population(population)
        return "town" if code.startswith("PPLA") else "village"
    if code == "ADM1":
        return "admin1"
    if code in _COUNTRY_CODES:
        return "country"
    return "place"


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
                if type(line) is not str:
                    errors.append(RowError(f"{label}:{number}",
                                           f"not UTF-8 text (byte {line.start + 1} of the line)"))
                    continue
                fields = line.split("\t")
                if len(fields) != GEONAMES_COLUMNS:
                    if line.strip(_ASCII_SPACE) and not line.startswith("#"):
                        errors.append(RowError(f"{label}:{number}", f"expected {GEONAMES_COLUMNS} tab-separated "
                                                                    f"columns, found {len(fields)}"))
                    continue
                (geonameid, name, asciiname, alternates, lat_text, lon_text, _, code, country, _, admin1,
                 _, _, _, population_text, _, _, _, _) = fields
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
                yield _new_record(PlaceRecord, (name, lat, lon, feature, population, country or None,
                                                admin1 or None, names, place_id, None))


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
        data, pending = data[:cut - 1], data[cut:]
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
