"""Opening a gazetteer file: which bytes to read, in which encoding, and which reader they need.

:func:`_open_source` turns a path (a text file, or a zip archive holding one
data file such as GeoNames' ``ML.zip``) into a :class:`_Source`: a label for
messages, the format (``csv``, ``geojson`` or ``geonames``), the first bytes
and a way to open the stream. A UTF-16 file is re-encoded as UTF-8 here, so the
readers only ever see UTF-8 (or, for CSV, Windows-1252: :func:`_text_encoding`).
A file that cannot be read at all raises :class:`~mali_map.errors.BadInput` here,
before any reader starts.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ...errors import BadInput
from ...fileio import text_encoding

#: How much of a file is read to decide its format and encoding.
HEAD_BYTES = 64 * 1024

#: Fields of a GeoNames dump line; a first line with this many is taken for a dump.
GEONAMES_COLUMNS = 19

_ZIP_MAGIC = b"PK\x03\x04"
#: the largest zip member read, unpacked (GeoNames' allCountries.txt is about 1.6 GB)
MAX_MEMBER_BYTES = 4 * 1024**3
#: the most a member may be compressed; text data compresses 3 to 20 times
MAX_ZIP_RATIO = 100
_RATIO_FREE_BYTES = 10 * 1024 * 1024  # small members are never refused for their ratio
_ZIP_DATA_SUFFIXES = (".txt", ".csv", ".tsv", ".geojson", ".json")


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
    if text_encoding(head, complete=False) == "utf-16":
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
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.lower().endswith(_ZIP_DATA_SUFFIXES)
                and not Path(info.filename).name.lower().startswith(("readme", "."))
                and "__MACOSX" not in info.filename
            ]
            if len(members) > 1:  # prefer the member named like the archive: ML.zip -> ML.txt
                members = [m for m in members if Path(m.filename).stem.lower() == file.stem.lower()] or members
            if not members:
                raise BadInput("the zip archive holds no .txt, .csv or .geojson file", where=label)
            if len(members) > 1:
                names = ", ".join(m.filename for m in members)
                raise BadInput(
                    f"the zip archive holds several data files ({names}); unzip the one to import", where=label
                )
            _check_member_size(members[0], label)
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


def _check_member_size(info: zipfile.ZipInfo, label: str) -> None:
    """BadInput for a member too large, or compressed far beyond what real data allows (a zip bomb).

    The archive states each member's size; Python's zipfile never returns more than that, so the
    check holds even when the archive lies. GeoNames' largest dump (allCountries) is about 1.6 GB
    and compresses about 4 times; junk lines compress 1,000 times.
    """
    if info.file_size > MAX_MEMBER_BYTES:
        raise BadInput(
            f"{info.filename} would be {info.file_size:,} bytes unpacked, more than the {MAX_MEMBER_BYTES:,} accepted",
            where=label,
        )
    if info.file_size > _RATIO_FREE_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise BadInput(
            f"{info.filename} unpacks {ratio:,.0f} times larger than it is packed (more than "
            f"{MAX_ZIP_RATIO}x: not place data, maybe a zip bomb)",
            where=label,
        )


def _text_encoding(head: bytes) -> str:
    """UTF-8 or Windows-1252 for the (UTF-8 re-encoded) start of a file: the rule every reader shares."""
    return text_encoding(head, complete=len(head) < HEAD_BYTES)
