"""One explicit :class:`Session`: what a run shares, opened once and closed at the end.

A session holds the gazetteer (with its SQLite connections), the focus and ``only``
countries, the online geocoder, the warning sink, and the parts made from them: the
geoparser and the claim checker. It works as a context manager, as sqlite-utils'
``Database`` does::

    >>> import mali_map
    >>> with mali_map.Session(country="ML") as session:
    ...     session.geocode("Kati").country_code
    'ML'

When the user's saved gazetteers change (``mali-map gazetteer import``), the session
opens a new gazetteer on its next use and makes new parts over it, so nothing answers
from a gazetteer that no longer matches its inputs. The top-level functions of
``import mali_map`` (``geocode``, ``geoparse``, ``check_claim``, ...) use a default
session per focus (:func:`default_session`); the command line builds one session from
its options and closes it when the command ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .countries import check_country_codes, focus_country

if TYPE_CHECKING:
    from .article import Article
    from .claims import ClaimChecker, ClaimResult, TextClaims
    from .gazetteer import Gazetteer
    from .geocoders.base import OnlineGeocoder
    from .geoparse import Geoparser, Mention
    from .places import Place


class Session:
    """What a run shares: one gazetteer and the parts that read it.

    ``country``: the focus, a weak prior (``None``: ML, ``""``: none); ``only``: country
    codes, a hard filter (no answer from elsewhere); ``gazetteers``: files added for this
    session only (CSV, GeoJSON, GeoNames dump); ``online``: ``True`` to also ask Nominatim,
    or an online geocoder; ``warn``: where one-line warnings go (default: the ``mali_map``
    logger); ``include_saved``: search the user's imported gazetteers too.
    A country code that names no country raises :class:`~mali_map.errors.BadInput`.
    """

    def __init__(
        self,
        *,
        country: str | None = None,
        only: Iterable[str] | str | None = None,
        gazetteers: Iterable[str | Path] = (),
        online: bool | OnlineGeocoder = False,
        warn: Callable[[str], None] | None = None,
        include_saved: bool = True,
    ) -> None:
        self.country = focus_country(country)
        self.only = check_country_codes(only, where="only")
        self.gazetteer_paths = tuple(gazetteers)
        self.online = online
        self.warn = warn
        self.include_saved = include_saved
        self._gazetteer: Gazetteer | None = None
        self._stamp: tuple = ()  # what the gazetteer was opened over (see _stamp)
        self._parsers: dict[str, Geoparser] = {}
        self._checker: ClaimChecker | None = None
        self._closed = False
        self._lock = threading.RLock()

    # -- the shared parts ----------------------------------------------------------------

    @property
    def gazetteer(self) -> Gazetteer:
        """The session's gazetteer, opened on first use and again when the saved gazetteers change."""
        with self._lock:
            if self._closed:
                from .errors import MaliMapError

                raise MaliMapError("this mali-map session is closed")
            stamp = _stamp(self.include_saved)
            if self._gazetteer is None or stamp != self._stamp:
                from .gazetteer import Gazetteer

                # parts made over the old gazetteer are dropped, not closed: a caller may still hold one
                self._parsers, self._checker = {}, None
                self._gazetteer = Gazetteer(
                    self.gazetteer_paths,
                    country=self.country or "",
                    online=self.online,
                    warn=self.warn,
                    only=self.only,
                    include_saved=self.include_saved,
                )
                self._stamp = stamp
            return self._gazetteer

    def geoparser(self, recogniser: str = "rules") -> Geoparser:
        """The session's geoparser for ``recogniser`` (``"rules"`` or ``"spacy"``), over its gazetteer."""
        gazetteer = self.gazetteer
        with self._lock:
            parser = self._parsers.get(recogniser)
            if parser is None:
                from .geoparse import Geoparser

                parser = self._parsers[recogniser] = Geoparser(
                    gazetteer, country=self.country or "", recogniser=recogniser
                )
            return parser

    @property
    def checker(self) -> ClaimChecker:
        """The session's claim checker, over its gazetteer."""
        gazetteer = self.gazetteer
        with self._lock:
            if self._checker is None:
                from .claims import ClaimChecker

                self._checker = ClaimChecker(gazetteer, country=self.country or "")
            return self._checker

    # -- what a run does -----------------------------------------------------------------

    def geocode(self, query: str) -> Place:
        """The best place for ``query`` (see :func:`mali_map.geocode`)."""
        from .api import geocode_with

        return geocode_with(self.gazetteer, query)

    def geocode_many(self, queries: Sequence[str]) -> list[Place | None]:
        """:meth:`geocode` for many queries, same order, ``None`` where nothing matched."""
        from .api import geocode_many_with

        return geocode_many_with(self.gazetteer, queries)

    def distance(self, a: Any, b: Any, unit: str = "km") -> float:
        """Geodesic distance between two places, in ``unit`` (see :func:`mali_map.distance`)."""
        from .api import distance_with

        return distance_with(self.gazetteer, a, b, unit)

    def geoparse(self, text: str, *, recogniser: str = "rules") -> list[Mention]:
        """Every place mention of ``text`` (see :func:`mali_map.geoparse`)."""
        return self.geoparser(recogniser).parse(text)

    def check_claim(self, text: str) -> ClaimResult:
        """The (first) claim of ``text``, checked (see :func:`mali_map.check_claim`)."""
        return self.checker.check_text(text)[0]

    def check_claims(self, items: Iterable[Any]) -> list[TextClaims]:
        """One entry per text, in order (see :func:`mali_map.check_claims`)."""
        return self.checker.check_texts(items)

    def process_article(self, text: str, *, recogniser: str = "rules", title: str | None = None) -> Article:
        """A news report read end to end (see :func:`mali_map.process_article`)."""
        from .article import process_article

        return process_article(
            text, country=self.country or "", gazetteer=self.gazetteer, recogniser=recogniser, title=title
        )

    # -- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the gazetteer's connections; the session answers nothing more."""
        with self._lock:
            self._closed = True
            if self._gazetteer is not None:
                self._gazetteer.close()
            self._gazetteer, self._parsers, self._checker = None, {}, None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        only = f", only={sorted(self.only)}" if self.only else ""
        return f"Session(country={self.country or ''!r}{only}{', closed' if self._closed else ''})"


def _stamp(include_saved: bool) -> tuple:
    """The folders the gazetteer reads, and the user's saved gazetteers as (path, modification time):
    what an import, a removal or another cache folder (``MALI_MAP_CACHE_DIR``) changes."""
    from .gazetteer import userstore
    from .paths import cache_dir

    stamp: list[tuple[str, int]] = [(str(cache_dir()), 0)]
    for path in userstore.saved_index_paths() if include_saved else ():
        try:
            stamp.append((str(path), path.stat().st_mtime_ns))
        except OSError:  # removed meanwhile
            continue
    return tuple(stamp)


_DEFAULTS: dict[tuple, Session] = {}
_DEFAULTS_LOCK = threading.Lock()


def default_session(country: str | None = None, only: Iterable[str] | str | None = None) -> Session:
    """The session the top-level functions use for this focus and ``only`` (made on first use).

    It checks the user's saved gazetteers on every use (see :attr:`Session.gazetteer`), so an
    import is seen at once.
    """
    key = (focus_country(country), check_country_codes(only, where="only"))
    with _DEFAULTS_LOCK:
        session = _DEFAULTS.get(key)
        if session is None:
            session = _DEFAULTS[key] = Session(country=key[0] or "", only=key[1])
        return session


def close_default_sessions() -> None:
    """Close every default session (the next top-level call opens a fresh one)."""
    with _DEFAULTS_LOCK:
        sessions = list(_DEFAULTS.values())
        _DEFAULTS.clear()
    for session in sessions:
        session.close()
