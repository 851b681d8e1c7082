"""The gazetteer the library's functions share, through their default :class:`~mali_map.session.Session`.

Opening the sources costs a few milliseconds and the gazetteer remembers its
answers, so the top-level functions share one per focus and ``only``; the session
that holds it reopens it when the user's saved gazetteers change, so an import is
seen at once. Nothing gazetteer-bound is kept here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..countries import DEFAULT_COUNTRY
from .search import Gazetteer

if TYPE_CHECKING:
    from ..geocoders.base import OnlineGeocoder


def open_gazetteer(
    extra_paths: Iterable[str | Path] = (),
    country: str | None = DEFAULT_COUNTRY,
    online: bool | OnlineGeocoder = False,
    warn: Callable[[str], None] | None = None,
    only: Iterable[str] | None = None,
) -> Gazetteer:
    """A gazetteer for these settings.

    With only ``country`` and ``only``, the shared one of the default session
    (:func:`mali_map.session.default_session`), current with the saved gazetteers.
    With files, an online geocoder or a warning sink, a new one that the caller owns
    (and closes: a :class:`~mali_map.session.Session` does it for you), so no caller's
    settings leak into another's.
    """
    extra_paths = tuple(extra_paths)
    if extra_paths or online is not False or warn is not None:
        return Gazetteer(extra_paths, country=country, online=online, warn=warn, only=only)
    from ..session import default_session

    return default_session(country, only).gazetteer
