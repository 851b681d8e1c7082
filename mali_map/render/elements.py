"""The two kinds of page element mali-map adds to a folium map.

:class:`ScriptElement` is one call into the page runtime (``static/mali_map.js``):
subclasses build the JavaScript as text from values that all pass through
:func:`~mali_map.render.jsvalue.to_js`. :class:`AssetTags` sits in the page head and
writes the scripts and style sheets, inlined or linked (``render(cdn=True)``).
"""

from __future__ import annotations

from branca.element import Element, MacroElement
from folium.template import Template

from .assets import asset_tags


class ScriptElement(MacroElement):
    """A page element whose script is :meth:`js`; its JS variable is :meth:`get_name`."""

    kind = "element"  # the prefix of the JS variable name
    _template = Template("{% macro script(this, kwargs) %}\n{{ this.js() }}\n{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = self.kind

    def map_name(self) -> str:
        """The JS variable of the map this element belongs to."""
        return self._parent.get_name()

    def js(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class HtmlElement(MacroElement):
    """A fixed piece of HTML in the page body (already escaped by its maker)."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.html_text }}{% endmacro %}")

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "html"
        self.html_text = html_text


class AssetTags(Element):
    """The page's scripts and style sheets; ``cdn=True`` in render kwargs links them."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "assets"

    def render(self, **kwargs) -> str:
        return asset_tags(cdn=bool(kwargs.get("cdn", False)))
