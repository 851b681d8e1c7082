"""Map layers: category layers of incidents, the heat map, claims and base layers.

Each category is ONE GeoJSON blob turned into circle markers in the browser (a Python
``Marker`` per row would not scale to 50,000 incidents), clustered when dense.
"""

from __future__ import annotations

from .basemap import TileSource
from .data import IncidentLayerData
from .elements import RawText, ScriptElement
from .jsvalue import to_js

#: Layers with more incidents than this are clustered. Clustering only joins markers that
#: would overlap on screen, so even small layers gain from it: incidents reported at the
#: same town (common in ACLED) show as one marker with a count instead of hiding each other.
CLUSTER_MIN_COUNT = 1


class IncidentLayer(ScriptElement):
    """One category of incidents: one columnar JSON blob, markers made in the browser.

    The blob sits in a ``<script type="application/json">`` block that the page reads
    with ``JSON.parse``: browsers parse JSON several times faster than a JavaScript
    object literal of the same size, which matters for 50,000 incidents.
    """

    kind = "incidents"

    def __init__(self, data: IncidentLayerData, index: int) -> None:
        super().__init__()
        self.data = data
        self.index = index
        self.cluster = data.count > CLUSTER_MIN_COUNT

    def data_id(self) -> str:
        return self.get_name() + "_data"

    def render(self, **kwargs) -> str:
        block = f'<script type="application/json" id="{self.data_id()}">{to_js(self.data.blob)}</script>'
        self.get_root().html.add_child(RawText(block), name=self.data_id())
        return super().render(**kwargs)

    def js(self) -> str:
        options = {"name": self.data.name, "colour": self.data.colour, "index": self.index, "cluster": self.cluster}
        return (f"var {self.get_name()} = MaliMap.incidentLayer({self.map_name()}, "
                f"MaliMap.data({to_js(self.data_id())}), {to_js(options)});")


class HeatLayer(ScriptElement):
    """A heat map of the incidents shown by the visible category layers."""

    kind = "heat"

    def __init__(self, layers: list[IncidentLayer]) -> None:
        super().__init__()
        self.layers = layers

    def js(self) -> str:
        names = ", ".join(layer.get_name() for layer in self.layers)
        return f"var {self.get_name()} = MaliMap.heatLayer({self.map_name()}, [{names}]);"


class ClaimsLayer(ScriptElement):
    """Checked claims: lines from anchor to subject and rings of the claimed distance."""

    kind = "claims"

    def __init__(self, records: list[dict]) -> None:
        super().__init__()
        self.records = records

    def js(self) -> str:
        return f"var {self.get_name()} = MaliMap.claimsLayer({self.map_name()}, {to_js(self.records)});"


class TileBase(ScriptElement):
    """An online tile layer (needs the network)."""

    kind = "tiles"

    def __init__(self, source: TileSource) -> None:
        super().__init__()
        self.source = source

    def js(self) -> str:
        options = {"attribution": self.source.attribution, "maxZoom": self.source.max_zoom}
        return f"var {self.get_name()} = L.tileLayer({to_js(self.source.url)}, {to_js(options)});"


class OutlineBase(ScriptElement):
    """The offline base layer: country outlines, names and capitals carried in the page."""

    kind = "outlines"

    def __init__(self, basemap: dict) -> None:
        super().__init__()
        self.basemap = basemap  # {"outlines": GeoJSON, "capitals": [{name, lat, lon}]}

    def data_name(self) -> str:
        """The JS variable holding the outlines (the minimap draws them too)."""
        return self.get_name() + "_data"

    def js(self) -> str:
        return (f"var {self.data_name()} = {to_js(self.basemap)};\n"
                f"var {self.get_name()} = MaliMap.outlineLayer({self.map_name()}, {self.data_name()});")
