"""Headless Chromium for the browser tests: the browser, and a map page opened with the network cut off.

Skipped (with the reason) when Playwright for Python or Debian's ``chromium`` is missing.
Every request that is not for the file itself is aborted, so a page must work offline.
"""

from __future__ import annotations

import os

import pytest

from mali_map.render.snapshot import CHROMIUM_ARGS, chromium_path

#: what the tests ask for, named in the skip message when it is missing
CHROMIUM = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")


def launch_browser():
    """Yield a headless Chromium, or skip the test saying what is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    chromium = chromium_path()
    if chromium is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set MALI_MAP_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OpenedMap:
    """A page with the map loaded offline, and what it said while loading."""

    def __init__(self, browser, path, width: int = 1280, height: int = 800):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-mm-ready]", timeout=20_000)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def real_errors(self) -> list[str]:
        """Console errors other than the browser reporting a request we blocked."""
        return [e for e in self.errors if "net::ERR_FAILED" not in e and "ERR_BLOCKED" not in e]

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()
