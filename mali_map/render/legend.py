"""The legend: category colours with counts, marker sizes, precision styles, claim colours.

Built as HTML in Python with every text through :func:`html_text`; only our own
numbers and palette colours are written unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from .controls import HtmlControl
from .data import IncidentLayerData
from .jsvalue import html_text
from .style import PRECISION_STYLES, PRECISION_WORDS, VERDICT_COLOURS, radius_px

_SIZE_EXAMPLES = (0, 10, 100)


class Legend(HtmlControl):
    """The map's legend box (by default in the bottom-right corner), its HTML from :func:`legend_html`.

    An element a user can add to any folium map built by :func:`mali_map.render.build_map`
    (it needs the page runtime the map carries)::

        m.add_child(Legend(legend_html(layers, heading="Incidents")))
    """


def legend_html(
    layers: Sequence[IncidentLayerData],
    *,
    heading: str,
    verdicts: Sequence[str] = (),
    has_fatalities: bool = True,
    has_precision: bool = True,
) -> str:
    """The legend box contents."""
    parts = []
    if layers:
        parts.append(f"<h4>{html_text(heading)}</h4><table>")
        for index, layer in enumerate(layers):
            parts.append(
                f'<tr><td><span class="mm-swatch" style="background:{html_text(layer.colour)}"></span></td>'
                f'<td>{html_text(layer.name)}</td><td class="mm-num" data-mm-count="{index}">{layer.count:,}</td></tr>'
            )
        total = sum(layer.count for layer in layers)
        if len(layers) > 1:
            parts.append(
                f'<tr><td></td><td><b>Shown</b></td><td class="mm-num"><b data-mm-total="">{total:,}</b></td></tr>'
            )
        parts.append("</table>")
    else:
        parts.append("<h4>No incidents to show</h4>")
    if layers and has_fatalities:
        parts.append("<h4>Fatalities (marker size)</h4><div>")
        for deaths in _SIZE_EXAMPLES:
            r = radius_px(deaths)
            size = 2 * r + 4
            label = f"{deaths}+" if deaths == _SIZE_EXAMPLES[-1] else str(deaths)
            parts.append(
                f'<svg width="{size:.0f}" height="{size:.0f}"><circle cx="{size / 2:.1f}" cy="{size / 2:.1f}" '
                f'r="{r:.1f}" fill="#888" fill-opacity="0.6" stroke="#444"/></svg> {label} '
            )
        parts.append("</div>")
    if layers and has_precision:
        parts.append("<h4>Location precision</h4><table>")
        for level, words in PRECISION_WORDS.items():
            style = PRECISION_STYLES[level]
            opacity = style["fillOpacity"]
            dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
            parts.append(
                f'<tr><td><svg width="18" height="18"><circle cx="9" cy="9" r="6.5" fill="#555" '
                f'fill-opacity="{opacity}" stroke="#333" stroke-width="1.5"{dash}/></svg></td>'
                f"<td>{html_text(words)}</td></tr>"
            )
        parts.append("</table>")
    if verdicts:
        parts.append("<h4>Distance claims</h4><table>")
        for verdict in VERDICT_COLOURS:
            if verdict in verdicts:
                parts.append(
                    f'<tr><td><span class="mm-line" style="border-color:{VERDICT_COLOURS[verdict]}"></span></td>'
                    f"<td>{html_text(verdict)}</td></tr>"
                )
        parts.append("</table>")
    return "".join(parts)
