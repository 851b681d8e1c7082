"""Pausing the cyclic garbage collector around loops that make many objects and no cycles."""

from __future__ import annotations

import gc

from mali_map.collector import collector_paused


def test_the_collector_is_paused_inside_and_as_it_was_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused(promote=True):
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


def test_promoting_leaves_what_was_made_out_of_the_young_generation():
    with collector_paused(promote=True):
        made = [[index] for index in range(5000)]
    assert gc.get_count()[0] < 100
    assert any(made[-1] is thing for thing in gc.get_objects(generation=2))
