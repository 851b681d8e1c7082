"""Stable element ids, so the same input always gives the same page.

folium and branca name every element with 16 random bytes; two builds of one map
would differ everywhere. :func:`assign_stable_ids` renames the elements in tree
order with a counter. Elements already numbered keep their number, so rendering a
map twice, or adding elements to it later, never renames what is there.
"""

from __future__ import annotations


def assign_stable_ids(root) -> None:
    """Number every element under ``root``'s figure that has no stable id yet, in tree order."""
    figure = root.get_root()
    counter = getattr(figure, "_mm_next_id", 0)
    for element in _walk(figure):
        if getattr(element, "_mm_stable", False):
            continue
        counter += 1
        element._id = f"{counter:04d}"
        element._mm_stable = True
    figure._mm_next_id = counter


def _walk(element):
    yield element
    for part in ("header", "html", "script"):
        child = getattr(element, part, None)
        if child is not None and hasattr(child, "_children"):
            yield from _walk(child)
    for child in list(element._children.values()):
        yield from _walk(child)
