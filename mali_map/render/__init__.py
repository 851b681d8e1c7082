"""Maps of incidents and claims: the only part of mali-map that imports folium.

>>> from mali_map.render import build_map, map_html   # doctest: +SKIP
>>> html = map_html(build_map(incidents, claims=results))   # doctest: +SKIP

folium loads only when a map is built, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ClaimsLayer", "IncidentLayer", "Legend", "build_map", "incident_layer_count", "map_html"]

#: the element classes a user may compose with folium, imported (with branca) on first use
_ELEMENTS = {"IncidentLayer": ".layers", "ClaimsLayer": ".layers", "Legend": ".legend"}


def __getattr__(name: str) -> Any:
    if name in _ELEMENTS:
        import importlib

        return getattr(importlib.import_module(_ELEMENTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_map(
    incidents: Any,
    *,
    claims: Any = (),
    layer_by: str | None = None,
    time: str | None = None,
    title: str | None = None,
    basemap: str = "offline",
    first_view: Any = None,
    note: str | None = None,
    filter_by: Any = (),
    colours: dict[str, str] | None = None,
    attribution: str | None = None,
) -> Any:
    """See :func:`mali_map.render.build.build_map`.

    ``claims``: texts ("Kati is less than 10 miles from Bamako", checked here with
    the default focus), parsed claims and/or :class:`~mali_map.claims.ClaimResult`
    objects; a text without a claim raises :class:`~mali_map.errors.NoClaimFound`,
    anything else ``TypeError``.
    """
    from .build import build_map as _build_map

    claims = [claims] if isinstance(claims, str) else list(claims)
    if claims:
        from ..claims.verify import ClaimChecker, is_result

        if not all(map(is_result, claims)):
            claims = ClaimChecker().results_for(claims)
    return _build_map(
        incidents,
        claims=claims,
        layer_by=layer_by,
        time=time,
        title=title,
        basemap=basemap,
        first_view=first_view,
        note=note,
        filter_by=filter_by,
        colours=colours,
        attribution=attribution,
    )


def incident_layer_count(m: Any) -> int:
    """How many incident layers a map from :func:`build_map` has (its other layers are bases, heat and claims)."""
    from .layers import IncidentLayer

    return sum(1 for child in m._children.values() if isinstance(child, IncidentLayer))


def map_html(m: Any, *, cdn: bool = False) -> str:
    """See :func:`mali_map.render.page.map_html`."""
    from .page import map_html as _map_html

    return _map_html(m, cdn=cdn)
