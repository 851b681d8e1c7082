"""The public news corpora of ``../shared/bench`` (LGL, GeoWebNews), read in place for tests.

They are research data for measuring, never copied into the project; a test that needs them
skips, with the reason, when they are absent.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

#: ``../shared/bench`` beside the checkout (as CI has it); ``MALI_MAP_BENCH`` names another folder (a worktree's).
BENCH = Path(os.environ.get("MALI_MAP_BENCH") or Path(__file__).resolve().parents[1].parent / "shared" / "bench")
CORPORA = ("lgl", "gwn")


def bench_file(corpus: str) -> Path:
    path = BENCH / f"{corpus}.xml"
    if not path.is_file():
        pytest.skip(f"{path} is absent (the bench corpora are read in place from ../shared/bench)")
    return path


@cache
def articles(corpus: str) -> tuple[str, ...]:
    """The texts of every article of one corpus, in file order."""
    return tuple(a.findtext("text") or "" for a in ET.parse(bench_file(corpus)).getroot().iter("article"))
