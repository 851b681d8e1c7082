"""Shared test set-up: keep every test away from the user's own files.

The embedded place index is rebuildable and slow to build (seconds), so it
stays in the normal cache folder and is shared by all tests; the user's
imported gazetteers and online answers live in a fresh folder per test.
"""

from __future__ import annotations

from pathlib import Path

import pytest


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
