"""Maps of incidents and claims: the only part of mali-map that imports folium.

>>> from mali_map.render import build_map, map_html   # doctest: +SKIP
>>> html = map_html(build_map(incidents, claims=results))   # doctest: +SKIP

folium loads only when a map is built, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_map", "map_html"]


def build_map(incidents: Any, *, claims: Any = (), layer_by: str | None = None,
              time: str | None = None, title: str | None = None, basemap: str = "offline"):
    """See :func:`mali_map.render.build.build_map`."""
    from .build import build_map as _build_map

    return _build_map(incidents, claims=claims, layer_by=layer_by, time=time, title=title, basemap=basemap)


def map_html(m: Any, *, cdn: bool = False) -> str:
    """See :func:`mali_map.render.page.map_html`."""
    from .page import map_html as _map_html

    return _map_html(m, cdn=cdn)
