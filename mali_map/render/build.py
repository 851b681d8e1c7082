"""``build_map``: incidents and checked claims -> a folium map of mali-map elements.

The map is a tree of small elements (see :mod:`.layers`, :mod:`.controls`), built in a
fixed order and numbered with stable ids, so one input always gives one page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .basemap import OFFLINE_KEY, OFFLINE_NAME, TILE_SOURCES, basemap_name, offline_basemap
from .claims_layer import claim_records
from .controls import (
    Attribution,
    FilterPanel,
    FitView,
    LayerControl,
    Runtime,
    SearchBox,
    TimeSlider,
    Tools,
    layer_label,
)
from .data import DAY_PROPERTY, IncidentData, incident_data, search_columns
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
    filter_by: Sequence[str] = (),
    colours: dict[str, str] | None = None,
    attribution: str | None = None,
) -> Any:
    """A folium map of ``incidents`` (GeoDataFrame, EPSG:4326) and checked ``claims``.

    One overlay per value of ``layer_by`` (default ``event_type`` when present), all
    clustered together; a heat map; a claims layer; a time slider when there is a
    date column (``time``, default ``event_date``); legend, title, tools; the view
    fitted to the data. ``basemap`` names the base layer shown first (see
    :func:`~mali_map.render.basemap.basemap_name`; the offline outlines by default,
    since they need no network). ``filter_by``: columns offered as multi-select filters
    (besides fatalities and dates); ``colours``: value -> colour over the fixed ones (see
    :mod:`.colours`); ``attribution``: where the incidents come from (default: ACLED for an
    ACLED table). The page has a search box and keeps its view, filters and open incident
    in its address.

    ``first_view``: ((south, west), (north, east)) of the first view, when it should fit
    less than all the data (an article's main event, not a stray far mention: the
    rest stays on the map, a zoom away). ``note``: one line under the title saying
    what the reader should know about the map (e.g. why it has no time slider). Render it with
    :func:`mali_map.render.map_html`.
    """
    import folium

    first_base = basemap_name(basemap)
    data = incident_data(incidents, layer_by=layer_by, time=time, filter_by=tuple(filter_by), colours=colours)
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
    outlines = OutlineBase(_with_incident_places(offline_basemap(first_view or view), data.places))
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
    if incident_layers:
        m.add_child(SearchBox(search_columns(data), data.time_column))
        if data.filters or data.max_fatalities:
            m.add_child(FilterPanel(data.filters, data.max_fatalities))
    if data.day_range is not None and incident_layers:
        m.add_child(TimeSlider(data.day_range, data.day_labels))
    source = attribution if attribution is not None else _default_attribution(incidents)
    if source:
        m.add_child(Attribution(source))
    note_html = f'<div class="mm-note">{html_text(note)}</div>' if note else ""
    m.add_child(HtmlElement(f'<div class="mm-title">{html_text(page_title)}{note_html}</div>'))
    m.add_child(HtmlElement(f'<div class="mm-print-note">{html_text(_print_note(data))}</div>'))
    m.add_child(FitView(first_view))
    return m


def _bounds(data: IncidentData, records: list[dict]) -> tuple[tuple[float, float], tuple[float, float]] | None:
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


def _with_incident_places(basemap: dict, places: dict) -> dict:
    """The base layer's names plus the incidents' own places, each place named once: a town of the
    gazetteer that is also an incident place (same name, within about 10 km) is named as the latter."""
    named = {(name.casefold(), round(lat, 1), round(lon, 1)) for name, lat, lon in zip(*places.values())}
    base = basemap.get("places") or {}
    keep = [
        i
        for i, (name, lat, lon) in enumerate(zip(base.get("name", []), base.get("lat", []), base.get("lon", [])))
        if not any(
            (name.casefold(), round(lat + dy, 1), round(lon + dx, 1)) in named
            for dy in (-0.1, 0.0, 0.1)
            for dx in (-0.1, 0.0, 0.1)
        )
    ]
    trimmed = {key: [values[i] for i in keep] for key, values in base.items()} if base else base
    return {**basemap, "places": trimmed, "incidentPlaces": places}


def _default_attribution(incidents: Any) -> str:
    """ACLED's name for a table with ACLED's columns; nothing otherwise (each row names its source)."""
    columns = {str(c).lower() for c in getattr(incidents, "columns", ())}
    if {"event_id_cnty", "sub_event_type"} <= columns or {"actor1", "sub_event_type", "inter1"} <= columns:
        return "Data: ACLED, acleddata.com"
    return ""


def _print_note(data: IncidentData) -> str:
    """The line under a printed figure: how many incidents, over which dates."""
    note = f"{data.count:,} incident" + ("" if data.count == 1 else "s")
    if data.day_range is not None:
        import datetime as dt

        first, last = (
            data.day_labels.get(d) or (dt.date(1970, 1, 1) + dt.timedelta(days=d)).isoformat() for d in data.day_range
        )
        note += f", {first} to {last}" if first != last else f", {first}"
    return note


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
