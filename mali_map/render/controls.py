"""Controls and page furniture: runtime set-up, layer control, tools, time slider, view.

Layer-control labels are HTML (Leaflet writes them with ``innerHTML``), so they are
built here from escaped text only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .elements import ScriptElement
from .jsvalue import html_text, to_js


class Runtime(ScriptElement):
    """Hands the page runtime its configuration (marker style, popup layout)."""

    kind = "runtime"

    def __init__(self, config: dict) -> None:
        super().__init__()
        self.config = config

    def js(self) -> str:
        return f"MaliMap.configure({to_js(self.config)});"


def layer_label(name: str, colour: str | None = None, count: int | None = None, index: int | None = None) -> str:
    """A layer-control label: swatch, escaped name, count.

    ``index`` is the incident category's number: the page rewrites that count with the
    number shown when the time slider narrows the dates.
    """
    swatch = f'<span class="mm-swatch" style="background:{html_text(colour)}"></span>' if colour else ""
    live = f' data-mm-count="{index}"' if index is not None else ""
    number = f' <span class="mm-count"{live}>{count:,}</span>' if count is not None else ""
    return f"{swatch}{html_text(name)}{number}"


class LayerControl(ScriptElement):
    """Base layers (one shown) and overlays (each on or off), with ready-made labels."""

    kind = "layer_control"

    def __init__(
        self, bases: Sequence[tuple[str, ScriptElement, bool]], overlays: Sequence[tuple[str, ScriptElement, bool]]
    ) -> None:
        super().__init__()
        self.bases = list(bases)
        self.overlays = list(overlays)

    def js(self) -> str:
        def entries(items: Sequence[tuple[str, ScriptElement, bool]]) -> str:
            return (
                "["
                + ", ".join(
                    f"[{to_js(label)}, {element.get_name()}, {to_js(shown)}]" for label, element, shown in items
                )
                + "]"
            )

        return (
            f"var {self.get_name()} = MaliMap.layerControl({self.map_name()}, "
            f"{entries(self.bases)}, {entries(self.overlays)});"
        )


class HtmlControl(ScriptElement):
    """A box of escaped HTML in a map corner (the legend)."""

    kind = "html_control"

    def __init__(self, html: str, position: str = "bottomright", css_class: str = "mm-legend") -> None:
        super().__init__()
        self.html = html
        self.position = position
        self.css_class = css_class

    def js(self) -> str:
        return (
            f"var {self.get_name()} = MaliMap.htmlControl({self.map_name()}, {to_js(self.html)}, "
            f"{to_js(self.position)}, {to_js(self.css_class)});"
        )


class Tools(ScriptElement):
    """Full screen, distance measuring, scale bar and the overview minimap."""

    kind = "tools"

    def __init__(self, outlines: Any) -> None:
        super().__init__()
        self.outlines = outlines  # the OutlineBase whose data the minimap draws

    def js(self) -> str:
        m = self.map_name()
        return (
            f"MaliMap.fullscreenControl({m});\n"
            f"MaliMap.measureControl({m});\n"
            f"L.control.scale({{imperial: false}}).addTo({m});\n"
            f"var {self.get_name()}_minimap = MaliMap.miniMap({m}, {self.outlines.data_name()});"
        )


class TimeSlider(ScriptElement):
    """Sliders for the first and last day shown, filtering every incident layer (and the heat map)."""

    kind = "time_slider"

    def __init__(self, day_range: tuple[int, int], day_labels: dict[int, str] | None = None):
        super().__init__()
        self.day_range = day_range
        self.day_labels = day_labels or {}

    def js(self) -> str:
        # labels: the days whose incidents are dated only to the year or month, shown so ("2011")
        span: dict[str, object] = {"min": self.day_range[0], "max": self.day_range[1]}
        if self.day_labels:
            span["labels"] = {str(day): text for day, text in sorted(self.day_labels.items())}
        return f"var {self.get_name()} = MaliMap.timeSlider({self.map_name()}, {to_js(span)});"


class FitView(ScriptElement):
    """Fits the view to the data (if any) and marks the page ready."""

    kind = "fit"

    def __init__(self, bounds: Sequence[Sequence[float]] | None) -> None:
        super().__init__()
        self.bounds = [list(bounds[0]), list(bounds[1])] if bounds else None

    def js(self) -> str:
        return f"MaliMap.fit({self.map_name()}, {to_js(self.bounds)});"


class SearchBox(ScriptElement):
    """The search box: finds shown incidents by place, actor, notes, type and date, in the page."""

    kind = "search"

    def __init__(self, columns: Sequence[str], date_column: str | None) -> None:
        super().__init__()
        self.columns = list(columns)
        self.date_column = date_column

    def js(self) -> str:
        options = {"columns": self.columns, "dateColumn": self.date_column or ""}
        return f"var {self.get_name()} = MaliMap.searchControl({self.map_name()}, {to_js(options)});"


class FilterPanel(ScriptElement):
    """Multi-selects for the ``--filter-by`` columns and a range of fatalities."""

    kind = "filters"

    def __init__(self, columns: Sequence[tuple[str, list]], max_fatalities: int | None) -> None:
        super().__init__()
        self.columns = [[name, values] for name, values in columns]
        self.max_fatalities = max_fatalities

    def js(self) -> str:
        options = {"columns": self.columns, "maxFatalities": self.max_fatalities}
        return f"var {self.get_name()} = MaliMap.filterPanel({self.map_name()}, {to_js(options)});"


class Attribution(ScriptElement):
    """A line in the map's attribution (where the incidents come from)."""

    kind = "attribution"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.line = text

    def js(self) -> str:
        return (
            f"if ({self.map_name()}.attributionControl) "
            f"{{ {self.map_name()}.attributionControl.addAttribution({to_js(html_text(self.line))}); }}"
        )
