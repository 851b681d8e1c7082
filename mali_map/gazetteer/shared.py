"""One shared :class:`~.search.Gazetteer` per set of settings, opened once per process.

Opening the sources costs a few milliseconds and the gazetteer remembers its
answers, so the library's functions and the CLI share one per settings. It is
reopened when the user's saved gazetteers change, so an import is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..countries import DEFAULT_COUNTRY, focus_country
from .scope import country_set
from .search import Gazetteer

if TYPE_CHECKING:
    from ..geocoders.base import OnlineGeocoder

_OPEN: dict[tuple, Gazetteer] = {}


def open_gazetteer(
    extra_paths: Iterable[str | Path] = (),
    country: str | None = DEFAULT_COUNTRY,
    online: bool | OnlineGeocoder = False,
    warn: Callable[[str], None] | None = None,
    only: Iterable[str] | None = None,
) -> Gazetteer:
    """A shared :class:`Gazetteer` for these settings (opened once per process).

    Reopened when the user's saved gazetteers change, so an import is seen at once.
    """
    from . import userstore

    saved = tuple((str(p), p.stat().st_mtime_ns) for p in userstore.saved_index_paths())
    only_codes = country_set(only)
    key = (
        tuple(str(p) for p in extra_paths),
        focus_country(country),
        online,
        saved,
        tuple(sorted(only_codes or ())),
    )
    gazetteer = _OPEN.get(key)
    if gazetteer is None:
        gazetteer = _OPEN[key] = Gazetteer(extra_paths, country=country, online=online, warn=warn, only=only_codes)
    gazetteer.warn = warn
    return gazetteer
