"""``gazetteer download CC``: fetch GeoNames country dumps, check them, import them.

GeoNames publishes one zip per country (``ML.zip`` holding ``ML.txt``, the
19-column dump) in its export service. The base URL comes from
``MALI_MAP_GEONAMES_URL`` (default: GeoNames' own), so a newsroom mirror or a
test server can stand in. With ``--online``, this is the only thing that
touches the network.

Every file is downloaded whole into a temporary folder and checked before
anything is imported: the byte count the server announced, the zip's own
checksums, and the country's ``.txt`` inside. A broken or interrupted download
imports nothing; a later import replaces a saved gazetteer atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import BadInput, GeocoderUnavailable

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump"
BASE_URL_VARIABLE = "MALI_MAP_GEONAMES_URL"
TIMEOUT_S = 30.0
_CHUNK_BYTES = 1 << 16
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


def fetch(url: str, target: Path, *, label: str, progress: ByteProgress | None = None) -> None:
    """Download ``url`` to ``target``; :class:`DownloadFailed` unless every announced byte arrived."""
    import http.client
    import urllib.error
    import urllib.request

    from .. import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"mali-map/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response, open(target, "wb") as out:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            done = 0
            while True:
                chunk = response.read(_CHUNK_BYTES)
                if not chunk:
                    break
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(label, done, expected)
    except urllib.error.HTTPError as error:
        raise DownloadFailed(f"{url}: HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:  # refused, reset, timed out, cut
        reason = getattr(error, "reason", None) or error
        raise DownloadFailed(f"{url}: download failed ({reason})") from None
    if expected is not None and done != expected:
        raise DownloadFailed(f"{url}: download interrupted ({done:,} of {expected:,} bytes)")


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
):
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
