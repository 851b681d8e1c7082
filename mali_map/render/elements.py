"""The kinds of page element mali-map adds to a folium map.

:class:`ScriptElement` is one call into the page runtime (``static/mali_map.js``):
subclasses build the JavaScript as text from values that all pass through
:func:`~mali_map.render.jsvalue.to_js`. :class:`HtmlElement` is escaped HTML for the
page body. :class:`AssetTags` sits in the page head and writes the scripts and style
sheets, inlined or linked (``render(cdn=True)``).

Their text goes into the page as :class:`RawText`, never through a template: branca's
``MacroElement`` would compile the rendered script as a Jinja template, which is slow
for megabytes of data and would evaluate ``{{ ... }}`` written in an incident's notes.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure


class RawText(Element):
    """Text placed in the page as it is (already escaped or encoded by its maker)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _PageElement(Element):
    """An element that adds one piece of text to one part of the figure when rendered."""

    kind = "element"  # the prefix of the JS variable name
    part = "script"  # the figure part it writes to: "script" or "html"

    def get_name(self) -> str:
        """The element's JavaScript variable: its kind in camel case and its id (``incidents_…``)."""
        first, *rest = self.kind.split("_")
        return first + "".join(word.capitalize() for word in rest) + "_" + str(self.to_dict(depth=0)["id"])

    def text(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be on a map inside a figure to render")
        getattr(figure, self.part).add_child(RawText(self.text()), name=self.get_name())
        return ""


class ScriptElement(_PageElement):
    """A page element whose script is :meth:`js`; its JS variable is :meth:`get_name`."""

    def map_name(self) -> str:
        """The JS variable of the map this element belongs to."""
        if self._parent is None:
            raise RuntimeError(f"{type(self).__name__} is drawn only once added to a map")
        return self._parent.get_name()

    def text(self) -> str:
        return self.js()

    def js(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class HtmlElement(_PageElement):
    """A fixed piece of HTML in the page body (already escaped by its maker)."""

    kind = "html"
    part = "html"

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self.html_text = html_text

    def text(self) -> str:
        return self.html_text


class AssetTags(Element):
    """The page's scripts and style sheets; ``cdn=True`` in render kwargs links them."""

    def render(self, **kwargs: Any) -> str:
        from .assets import asset_tags

        return asset_tags(cdn=bool(kwargs.get("cdn", False)))
