"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles.

The collector scans young objects each time enough of them are made: a loop that makes
millions (the index build) or a hundred thousand places at once (a batch read from the stored
answers) has them scanned again and again, for nothing, since they hold no cycles.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, promote: bool = False) -> Iterator[None]:
    """Pause the collector meanwhile (if it runs); ``promote``: then hand every object the process
    holds to the oldest generation (``gc.freeze``, ``gc.unfreeze``), so the next young collections
    do not scan what was just made (the whole process's young objects move with them)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if promote:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
