"""Map layers: category layers of incidents, the heat map, claims and base layers.

Each category is ONE columnar JSON blob turned into circle markers in the browser (a Python
``Marker`` per row would not scale to 50,000 incidents). In the page every category's markers
go into one shared cluster group, so incidents at one point cluster and fan out whatever
their category; a category layer only says which of them are shown.
"""

from __future__ import annotations

from typing import Any

from .basemap import TileSource
from .data import IncidentLayerData
from .elements import RawText, ScriptElement
from .jsvalue import to_js

#: Blobs of JSON longer than this travel compressed (raw deflate in base64): about a third of
#: the size for ACLED-like tables. Smaller ones stay plain JSON, readable in any browser.
COMPRESS_MIN_CHARS = 100_000


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

    def data_id(self) -> str:
        return self.get_name() + "_data"

    def render(self, **kwargs: Any) -> str:
        root: Any = self.get_root()  # a branca Figure, whose html part folium types as a plain Element
        root.html.add_child(RawText(data_block(self.data_id(), self.data.blob)), name=self.data_id())
        return super().render(**kwargs)

    def js(self) -> str:
        options = {"name": self.data.name, "colour": self.data.colour, "index": self.index}
        return (
            f"var {self.get_name()} = MaliMap.incidentLayer({self.map_name()}, "
            f"MaliMap.data({to_js(self.data_id())}), {to_js(options)});"
        )


def data_block(block_id: str, value: Any) -> str:
    """``value`` as a script data block: JSON, or compressed JSON when it is large.

    The compressed form is raw deflate (zlib, a fixed level: the same input always gives the
    same bytes) in base64, which the page inflates with the browser's ``DecompressionStream``
    (``MaliMap.data``). Base64 holds no ``<`` or ``&``, so it is safe inside a script element.
    """
    text = to_js(value)
    if len(text) < COMPRESS_MIN_CHARS:
        return f'<script type="application/json" id="{block_id}">{text}</script>'
    import base64
    import zlib

    packer = zlib.compressobj(level=6, method=zlib.DEFLATED, wbits=-15)
    packed = packer.compress(text.encode("utf-8")) + packer.flush()
    encoded = base64.b64encode(packed).decode("ascii")
    return f'<script type="application/octet-stream" data-mm-encoding="deflate-raw" id="{block_id}">{encoded}</script>'


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
        return (
            f"var {self.data_name()} = {to_js(self.basemap)};\n"
            f"var {self.get_name()} = MaliMap.outlineLayer({self.map_name()}, {self.data_name()});"
        )
