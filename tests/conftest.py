"""Shared test set-up: keep every test away from the user's own files.

- The suite has its own cache folder, never the user's (``~/.cache/mali-map``): the
  embedded place index is built there once and kept between runs, in pytest's own
  cache (``.pytest_cache/d/mali-map-cache``), or in ``MALI_MAP_TEST_CACHE_DIR`` when
  set; a fresh temporary folder without pytest's cache (``-p no:cacheprovider``).
- The user's imported gazetteers and online answers live in a fresh folder per test
  (the doctests of the package share one of their own).
- A test that takes the ``browser`` fixture is marked ``browser`` wherever it lives,
  so ``pytest -m "not browser"`` is the fast loop.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    folder = os.environ.get("MALI_MAP_TEST_CACHE_DIR")
    if not folder:
        cache = getattr(config, "cache", None)
        if cache is not None:
            folder = str(cache.mkdir("mali-map-cache"))
        else:
            folder = tempfile.mkdtemp(prefix="mali-map-test-cache-")
    os.environ["MALI_MAP_CACHE_DIR"] = folder
    os.environ["MALI_MAP_DATA_DIR"] = tempfile.mkdtemp(prefix="mali-map-test-data-")
    os.environ["MALI_MAP_NOMINATIM_URL"] = "http://127.0.0.1:9"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def data_folder(tmp_path_factory, monkeypatch) -> Path:
    """The user data folder of this test (saved gazetteers live in its ``gazetteers/``)."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("MALI_MAP_DATA_DIR", str(folder))
    # A test that turns --online on without its own fake server meets a closed local port
    # (nothing is cached from a refused connection), never the internet.
    monkeypatch.setenv("MALI_MAP_NOMINATIM_URL", "http://127.0.0.1:9")
    return folder


@pytest.fixture(scope="session")
def gazetteer():
    """The offline gazetteer with the embedded data only, Mali focus."""
    from mali_map.gazetteer import Gazetteer

    return Gazetteer(include_saved=False)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests (skipped without Playwright or Chromium)."""
    from tests.browser_support import launch_browser

    yield from launch_browser()
