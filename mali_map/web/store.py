"""Results kept for a while so the page can show and download them: maps, zips, rejects files.

Each result gets an unguessable id (``secrets.token_urlsafe``); a request names a result only by
that id and a file name from a fixed list, never by a server path. Everything is in memory (no
temporary file outlives its request), and the oldest results go first past ``max_items`` or
``max_bytes``, so a busy desk cannot fill the server's memory.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class ResultStore:
    """A bounded, thread-safe map from id to a result's files (made on first download when lazy)."""

    def __init__(self, *, max_items: int = 64, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, files: dict[str, bytes | Callable[[], bytes]]) -> str:
        """Keep ``files`` (name -> bytes, or a function making them on first use); return the new id."""
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._items[key] = dict(files)
            self._trim()
        return key

    def get(self, key: str, name: str) -> bytes | None:
        """The file ``name`` of result ``key``, or ``None`` when either is unknown (or gone)."""
        with self._lock:
            files = self._items.get(key)
            if files is None or name not in files:
                return None
            self._items.move_to_end(key)
            content = files[name]
        if callable(content):  # made outside the lock: a slow map does not hold up other requests
            content = content()
            with self._lock:
                if key in self._items:
                    self._items[key][name] = content
                    self._trim()
        return content

    def names(self, key: str) -> list[str] | None:
        """The file names of result ``key``, or ``None`` when it is unknown (or gone)."""
        with self._lock:
            files = self._items.get(key)
            return None if files is None else list(files)

    def __len__(self) -> int:
        return len(self._items)

    def _trim(self) -> None:
        while len(self._items) > self.max_items or (len(self._items) > 1 and self._size() > self.max_bytes):
            self._items.popitem(last=False)

    def _size(self) -> int:
        return sum(len(v) for files in self._items.values() for v in files.values() if isinstance(v, bytes))
