"""Where mali-map keeps files on the user's machine.

Two folders, following the XDG base-directory convention:

- :func:`cache_dir` for files we can rebuild at any time (the embedded place
  index, cached online answers). Deleting it loses nothing.
- :func:`data_dir` for files only the user can recreate (imported gazetteers).

Each can be moved with an environment variable (``MALI_MAP_CACHE_DIR``,
``MALI_MAP_DATA_DIR``), which tests use to keep away from the real home.
Both are created on first use.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mali-map"


def _folder(override_var: str, xdg_var: str, fallback: str) -> Path:
    """The folder named by ``override_var``, else ``$xdg_var/mali-map``, else ``~/fallback/mali-map``."""
    override = os.environ.get(override_var)
    if override:
        folder = Path(override).expanduser()
    else:
        xdg = os.environ.get(xdg_var)
        # The XDG spec says relative paths in these variables are invalid and must be ignored.
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / fallback
        folder = base / APP_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_dir() -> Path:
    """The folder for rebuildable files.

    ``MALI_MAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/mali-map``, else ``~/.cache/mali-map``.
    """
    return _folder("MALI_MAP_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def data_dir() -> Path:
    """The folder for the user's own data.

    ``MALI_MAP_DATA_DIR``, else ``$XDG_DATA_HOME/mali-map``, else ``~/.local/share/mali-map``.
    """
    return _folder("MALI_MAP_DATA_DIR", "XDG_DATA_HOME", os.path.join(".local", "share"))
