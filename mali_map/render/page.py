"""``map_html``: the map as one HTML page, self-contained unless ``cdn=True``."""

from __future__ import annotations

from typing import Any

from .ids import with_stable_ids


def map_html(m: Any, *, cdn: bool = False) -> str:
    """The whole page as text: byte-identical for the same map.

    By default Leaflet and its plugins are inlined from installed packages so the
    file works with no network; ``cdn=True`` links them from public CDNs instead
    (a much smaller file that needs the network on first view).
    """
    return with_stable_ids(m.get_root().render(cdn=cdn), m)
