"""``gazetteer download CC``: fetch GeoNames country dumps, check them, import them.

GeoNames publishes one zip per country (``ML.zip`` holding ``ML.txt``, the
19-column dump) in its export service. The base URL comes from
``MALI_MAP_GEONAMES_URL`` (default: GeoNames' own), so a newsroom mirror or a
test server can stand in. With ``--online``, this is the only thing that
touches the network.

Every file is downloaded whole into a temporary folder and checked before
anything is imported: the byte count the server announced, the zip's own
checksums, and the country's ``.txt`` inside. A broken or interrupted download
imports nothing; a later import replaces a saved gazetteer atomically. Each file must arrive whole
within a deadline (60 s, or ``MALI_MAP_DOWNLOAD_DEADLINE`` seconds), be at most
:data:`MAX_DOWNLOAD_BYTES`, and leave free space on the disk (see :mod:`mali_map.netfetch`).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BadInput, GeocoderUnavailable

if TYPE_CHECKING:
    from .userstore import ImportReport

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump"
BASE_URL_VARIABLE = "MALI_MAP_GEONAMES_URL"
DEADLINE_VARIABLE = "MALI_MAP_DOWNLOAD_DEADLINE"
#: the most one file may take, connect to last byte, unless ``MALI_MAP_DOWNLOAD_DEADLINE`` says otherwise
DEFAULT_DEADLINE_S = 60.0
#: the largest dump accepted (GeoNames' largest country zip is well under 100 MB)
MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024
_CODE = re.compile(r"^[A-Z]{2}$")

#: ``progress(label, bytes done, bytes expected or None)``
ByteProgress = Callable[[str, int, "int | None"], None]


class DownloadFailed(GeocoderUnavailable):
    """A download that did not arrive whole (connection refused or dropped, HTTP error, cut short)."""


def base_url() -> str:
    return os.environ.get(BASE_URL_VARIABLE, DEFAULT_BASE_URL).rstrip("/")


def country_codes(values: Sequence[str]) -> list[str]:
    """Checked ISO codes, upper case, in order, without repeats. Raises :class:`BadInput`."""
    codes: list[str] = []
    for value in values:
        code = value.strip().upper()
        if not _CODE.match(code):
            raise BadInput(f"{value!r} is not a two-letter country code (e.g. ML)")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise BadInput("no country code given (e.g. mali-map gazetteer download ML)")
    return codes


def deadline_s() -> float:
    """How long one file may take, whole (``MALI_MAP_DOWNLOAD_DEADLINE``, seconds; default 60)."""
    value = os.environ.get(DEADLINE_VARIABLE, "").strip()
    if not value:
        return DEFAULT_DEADLINE_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise BadInput(f"{DEADLINE_VARIABLE}={value!r}: give a number of seconds above 0, e.g. 120")
    return seconds


def fetch(url: str, target: Path, *, label: str, progress: ByteProgress | None = None) -> None:
    """Download ``url`` to ``target``; :class:`DownloadFailed` unless every announced byte arrived in time.

    Bounded by :mod:`mali_map.netfetch`: the deadline of :func:`deadline_s` for the whole exchange,
    :data:`MAX_DOWNLOAD_BYTES`, free space left beside ``target``, no redirect to another host.
    """
    from .. import __version__
    from ..netfetch import FetchFailed, download

    try:
        download(
            url,
            target,
            deadline_s=deadline_s(),
            max_bytes=MAX_DOWNLOAD_BYTES,
            headers={"User-Agent": f"mali-map/{__version__}"},
            progress=(lambda done, expected: progress(label, done, expected)) if progress else None,
        )
    except FetchFailed as error:
        raise DownloadFailed(f"{url}: {error}") from None


def check_dump(path: Path, code: str, url: str) -> None:
    """Raise :class:`BadInput` unless ``path`` is a sound zip holding ``CODE.txt``."""
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise BadInput(f"{url}: not a valid zip file ({error})") from None
    if damaged is not None:
        raise BadInput(f"{url}: damaged zip (bad checksum in {damaged})")
    if f"{code}.txt" not in names:
        raise BadInput(f"{url}: no {code}.txt inside (found: {', '.join(names[:5]) or 'nothing'})")


def download_countries(
    codes: Sequence[str],
    *,
    progress: ByteProgress | None = None,
    import_progress: Callable[[str], Callable[[int, int | None], None] | None] | None = None,
) -> list[ImportReport]:
    """Download, check, then import the GeoNames dump of each country.

    Saved as ``geonames-cc`` (saved names are lower case). Returns the import
    reports, in order. Nothing is imported unless every download arrived
    whole and checked out.
    """
    from .userstore import import_gazetteer

    codes = country_codes(codes)
    with tempfile.TemporaryDirectory(prefix="mali-map-download-") as folder:
        files = []
        for code in codes:
            url = f"{base_url()}/{code}.zip"
            target = Path(folder) / f"{code}.zip"
            fetch(url, target, label=f"{code}.zip", progress=progress)
            check_dump(target, code, url)
            files.append((code, target))
        return [
            import_gazetteer(target, f"geonames-{code}", progress=import_progress(code) if import_progress else None)
            for code, target in files
        ]
