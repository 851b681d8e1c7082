"""A persistent cache of online geocoder answers, in one small SQLite file.

Nominatim asks for at most one request a second and for results to be
cached; a report names the same towns again and again. :class:`AnswerCache`
keeps each raw JSON answer (misses too, so an unknown name is not asked
twice) under the key ``(service URL, normalised query, country focus, limit)``
for ``ttl_days`` (30 by default). The file lives in
:func:`mali_map.paths.cache_dir` and outlives the process.

The cache is an optimisation and never a reason to fail: if the file cannot be
opened or written (read-only home, locked by another process), it logs and
behaves as empty.

>>> cache = AnswerCache(":memory:")
>>> cache.put("http://x", "Kati", "ML", 5, [{"lat": "12.7"}])
>>> cache.get("http://x", " kati ", "ML", 5)
[{'lat': '12.7'}]
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: File name inside the cache folder.
CACHE_FILE = "online-answers.sqlite3"
DEFAULT_TTL_DAYS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    service TEXT NOT NULL,
    query_key TEXT NOT NULL,
    country_code TEXT NOT NULL,
    result_limit INTEGER NOT NULL,
    answer_json TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    PRIMARY KEY (service, query_key, country_code, result_limit)
)
"""


def query_key(query: str) -> str:
    """The cache key of a query: case folded, spaces collapsed (accents and commas kept, they matter to Nominatim)."""
    return " ".join(query.casefold().split())


def default_cache_path() -> Path:
    """``cache_dir()/online-answers.sqlite3``."""
    from ..paths import cache_dir

    return cache_dir() / CACHE_FILE


def _open(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=2.0, check_same_thread=False)
    try:
        conn.execute(_SCHEMA)
        conn.execute("SELECT COUNT(*) FROM answers WHERE rowid = 1").fetchone()  # reads a page: damage shows
        conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


class AnswerCache:
    """Raw online answers by query, persisted in SQLite; thread-safe.

    ``path`` is a file path (``":memory:"`` for a throwaway cache); ``None``
    means :func:`default_cache_path`. ``clock`` returns seconds since the
    epoch (tests replace it to check expiry).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        ttl_days: float = DEFAULT_TTL_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.ttl_s = ttl_days * 86400.0
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._broken = False

    def _connection(self) -> sqlite3.Connection | None:
        """Open the file on first use; None (and a log line) if it cannot be used."""
        if self._conn is None and not self._broken:
            path = self.path or str(default_cache_path())
            try:
                self._conn = _open(path)
            except sqlite3.DatabaseError as error:
                if not isinstance(error, sqlite3.OperationalError) and path != ":memory:":
                    # a damaged file (not a lock or a full disk): it only holds answers we can ask
                    # again, so it is started afresh rather than disabled for good
                    log.warning("online answer cache damaged (%s), starting it afresh: %s", path, error)
                    try:
                        Path(path).unlink(missing_ok=True)
                        self._conn = _open(path)
                    except (sqlite3.Error, OSError) as again:
                        error = again  # type: ignore[assignment]  # reported below, whichever it was
                if self._conn is None:
                    log.warning("online answer cache disabled (%s): %s", self.path or "default", error)
                    self._broken = True
            except OSError as error:
                log.warning("online answer cache disabled (%s): %s", self.path or "default", error)
                self._broken = True
        return self._conn

    def get(self, service: str, query: str, country_code: str | None, limit: int) -> list[dict[str, Any]] | None:
        """The cached answer (a list, maybe empty for a cached miss), or None if absent or expired."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return None
            try:
                row = conn.execute(
                    "SELECT answer_json, fetched_at FROM answers WHERE service=? AND query_key=?"
                    " AND country_code=? AND result_limit=?",
                    (service, query_key(query), (country_code or "").upper(), int(limit)),
                ).fetchone()
            except sqlite3.Error as error:
                log.warning("online answer cache unreadable: %s", error)
                return None
        if row is None or self._clock() - row[1] > self.ttl_s:
            return None
        try:
            answer = json.loads(row[0])
        except ValueError:
            return None
        return answer if isinstance(answer, list) else None

    def put(self, service: str, query: str, country_code: str | None, limit: int, answer: list[dict[str, Any]]) -> None:
        """Store ``answer`` (replacing an older one); failures are logged, not raised."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            try:
                with conn:
                    conn.execute(
                        "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            service,
                            query_key(query),
                            (country_code or "").upper(),
                            int(limit),
                            json.dumps(answer, ensure_ascii=False),
                            self._clock(),
                        ),
                    )
            except sqlite3.Error as error:
                log.warning("online answer not cached: %s", error)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
