"""Stable element ids, so the same input always gives the same page.

folium and branca name every element with 16 random bytes, so two builds of one map
would differ everywhere. :func:`with_stable_ids` renumbers them in the rendered page:
it asks the element tree for its ids through branca's public ``to_dict()`` and
replaces each, where it occurs in the page, with a counter in order of first
appearance. Only ids of the tree's elements are replaced (never a look-alike in the
data), and no element is changed: the map can be rendered again, or grown, as folium
allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_HEX_ID = re.compile(r"[0-9a-f]{32}")


def with_stable_ids(html: str, root: Any) -> str:
    """``html`` (the rendered page of ``root``'s figure) with every element id numbered ``0001``, ``0002``, ..."""
    figure = root.get_root()
    known = set(_ids(figure.to_dict()))
    for part in ("header", "html", "script"):
        child = getattr(figure, part, None)
        if child is not None:
            known.update(_ids(child.to_dict()))
    numbers: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        found = match.group()
        if found not in known:
            return found
        if found not in numbers:
            numbers[found] = f"{len(numbers) + 1:04d}"
        return numbers[found]

    return _HEX_ID.sub(number, html)


def _ids(tree: dict) -> Iterator[str]:
    yield str(tree["id"])
    for child in tree.get("children", {}).values():
        yield from _ids(child)
