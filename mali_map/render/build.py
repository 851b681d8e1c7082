"""``build_map``: incidents and checked claims -> a folium map of mali-map elements.

The map is a tree of small elements (see :mod:`.layers`, :mod:`.controls`), built in a
fixed order and numbered with stable ids, so one input always gives one page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .basemap import OFFLINE_KEY, OFFLINE_NAME, TILE_SOURCES, basemap_name, offline_basemap
from .claims_layer import claim_records
from .controls import FitView, LayerControl, Runtime, TimeSlider, Tools, layer_label
from .data import DAY_PROPERTY, IncidentData, incident_data
from .elements import AssetTags, HtmlElement
from .jsvalue import html_text
from .layers import ClaimsLayer, HeatLayer, IncidentLayer, OutlineBase, TileBase
from .legend import Legend, legend_html
from .popups import browser_config
from .style import browser_style

#: Mali, for maps with nothing on them: ((south, west), (north, east)).
DEFAULT_BOUNDS = ((10.1, -12.3), (25.0, 4.3))
MIN_ZOOM, MAX_ZOOM = 3, 16
HEAT_NAME = "Heat map"
CLAIMS_NAME = "Distance claims"


def build_map(
    incidents: Any,
    *,
    claims: Iterable[Any] = (),
    layer_by: str | None = None,
    time: str | None = None,
    title: str | None = None,
    basemap: str = OFFLINE_KEY,
    first_view: Any = None,
    note: str | None = None,
):
    """A folium map of ``incidents`` (GeoDataFrame, EPSG:4326) and checked ``claims``.

    One overlay per value of ``layer_by`` (default ``event_type`` when present), all
    clustered together; a heat map; a claims layer; a time slider when there is a
    date column (``time``, default ``event_date``); legend, title, tools; the view
    fitted to the data. ``basemap`` names the base layer shown first (see
    :func:`~mali_map.render.basemap.basemap_name`; the offline outlines by default,
    since they need no network). Render it with :func:`mali_map.render.map_html`.

    ``first_view``: ((south, west), (north, east)) of the first view, when it should fit
    less than all the data (an article's main event, not a stray far mention: the
    rest stays on the map, a zoom away). ``note``: one line under the title saying
    what the reader should know about the map (e.g. why it has no time slider).
    """
    import folium

    first_base = basemap_name(basemap)
    data = incident_data(incidents, layer_by=layer_by, time=time)
    records = claim_records(claims)
    bounds = _bounds(data, records)
    view = bounds or DEFAULT_BOUNDS
    first_view = first_view or bounds
    centre = [(view[0][0] + view[1][0]) / 2, (view[0][1] + view[1][1]) / 2]

    # Zoom limits: clustering needs a maxZoom (the offline base layer sets none), and each
    # level between minZoom and maxZoom costs clustering time; 3..16 spans a region to a street.
    m = folium.Map(location=centre, zoom_start=6, tiles=None, minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    m.default_js, m.default_css = [], []  # no jQuery, Bootstrap or icon fonts: AssetTags brings what we use
    figure: Any = m.get_root()  # a branca Figure (title, header), typed by folium as an Element
    page_title = title if title is not None else _default_title(data, records)
    figure.title = html_text(page_title)
    figure.header.add_child(AssetTags(), name="mali_map_assets")

    m.add_child(
        Runtime(
            {
                "style": browser_style(),
                "popup": browser_config(list(data.fields)),
                "dayProperty": DAY_PROPERTY,
            }
        )
    )
    # the offline base covers the first view (and a margin): far places stay on the map, a zoom away
    outlines = OutlineBase(offline_basemap(first_view or view))
    tiles = [TileBase(source) for source in TILE_SOURCES]
    for element in (outlines, *tiles):
        m.add_child(element)

    incident_layers = [IncidentLayer(layer, index) for index, layer in enumerate(data.layers)]
    for layer in incident_layers:
        m.add_child(layer)
    heat = HeatLayer(incident_layers) if incident_layers else None
    claims_layer = ClaimsLayer(records) if records else None
    overlays: list[tuple[str, Any, bool]] = [
        (layer_label(layer.data.name, layer.data.colour, layer.data.count, layer.index), layer, True)
        for layer in incident_layers
    ]
    if heat is not None:
        m.add_child(heat)
        overlays.append((layer_label(HEAT_NAME), heat, False))
    if claims_layer is not None:
        m.add_child(claims_layer)
        overlays.append((layer_label(CLAIMS_NAME, None, len(records)), claims_layer, True))

    bases = [(layer_label(OFFLINE_NAME), outlines, first_base == OFFLINE_KEY)] + [
        (layer_label(t.source.name), t, first_base == t.source.key) for t in tiles
    ]
    m.add_child(LayerControl(bases, overlays))
    m.add_child(
        Legend(
            legend_html(
                data.layers,
                heading=(data.layer_by or "Incidents").replace("_", " ").capitalize(),
                verdicts=sorted({r["verdict"] for r in records}),
                has_fatalities=any(name == "fatalities" for name, _ in data.fields),
                has_precision=any(name == "geo_precision" for name, _ in data.fields),
            )
        )
    )
    m.add_child(Tools(outlines))
    if data.day_range is not None and incident_layers:
        m.add_child(TimeSlider(data.day_range, data.day_labels))
    note_html = f'<div class="mm-note">{html_text(note)}</div>' if note else ""
    m.add_child(HtmlElement(f'<div class="mm-title">{html_text(page_title)}{note_html}</div>'))
    m.add_child(FitView(first_view))
    return m


def _bounds(data: IncidentData, records: list[dict]):
    lats, lons = [], []
    if data.bounds is not None:
        (south, west), (north, east) = data.bounds
        lats += [south, north]
        lons += [west, east]
    for record in records:
        for end in (record["anchor"], record["subject"]):
            if end is not None:
                lats.append(end["lat"])
                lons.append(end["lon"])
    if not lats:
        return None
    return ((min(lats), min(lons)), (max(lats), max(lons)))


def _default_title(data: IncidentData, records: list[dict]) -> str:
    if not data.count:
        return f"{len(records)} distance claims" if records else "No incidents"
    title = f"{data.count:,} incident" + ("" if data.count == 1 else "s")
    if data.day_range is not None:
        import datetime as dt

        first, last = (
            data.day_labels.get(d) or (dt.date(1970, 1, 1) + dt.timedelta(days=d)).isoformat() for d in data.day_range
        )
        title += f", {first} to {last}" if first != last else f", {first}"
    return title
