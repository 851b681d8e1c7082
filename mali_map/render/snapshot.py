"""A PNG of a map page's first view, taken by headless Chromium (``mali-map map --png``).

The same browser the tests drive: Debian's ``chromium`` (or ``MALI_MAP_CHROMIUM``)
through Playwright for Python. The page is opened from its file with every other
request refused, so the picture shows exactly what a reader offline sees first.
Without the browser or Playwright the call is :class:`BadInput` with what to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import BadInput, MaliMapError

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_SIZE_PX = (1280, 800)


def chromium_path() -> str | None:
    """The Chromium to use: ``MALI_MAP_CHROMIUM`` or ``/usr/bin/chromium``, None when absent."""
    name = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")
    if os.path.isfile(name):
        return name
    return shutil.which(name)


def require_browser() -> str:
    """The Chromium path, or :class:`BadInput` saying what is missing (checked before any work)."""
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        raise BadInput(
            "--png needs Playwright for Python (pip install playwright) and Chromium (apt-get install chromium)"
        )
    path = chromium_path()
    if path is None:
        raise BadInput("--png needs Chromium: apt-get install chromium, or set MALI_MAP_CHROMIUM to a Chromium binary")
    return path


def parse_size(text: str) -> tuple[int, int]:
    """``"1600x900"`` -> (1600, 900); :class:`BadInput` for anything else or a size out of 200..8000."""
    import re

    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text or "")
    if not match:
        raise BadInput(f"--size: expected WIDTHxHEIGHT in pixels, e.g. 1600x900, got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise BadInput(f"--size: {width}x{height} is outside 200..8000 pixels a side")
    return width, height


def snapshot_png(
    html_path: str | Path,
    png_path: str | Path,
    *,
    size_px: tuple[int, int] = DEFAULT_SIZE_PX,
    scale: float = 1.0,
    timeout_s: float = 60.0,
) -> Path:
    """Open ``html_path`` offline at ``size_px`` (width, height) and ``scale`` device pixels per
    CSS pixel, as a figure (``window.mmPrint``: no controls, the whole legend, the dates and the
    sources under it), wait for its markers, save a PNG."""
    from playwright.sync_api import Error as BrowserError, sync_playwright

    executable = require_browser()
    html_path, png_path = Path(html_path).resolve(), Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": size_px[0], "height": size_px[1]}, device_scale_factor=scale)
                page.add_init_script("window.mmPrint = true;")
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort()
                    ),
                )
                page.goto(html_path.as_uri())
                page.wait_for_selector("body[data-mm-ready]", timeout=timeout_s * 1000)
                page.wait_for_timeout(300)  # let the cluster icons fade in
                page.screenshot(path=str(png_path))
            finally:
                browser.close()
    except BrowserError as error:
        first_line = (str(error).strip().splitlines() or ["unknown error"])[0]
        raise MaliMapError(f"--png: Chromium could not photograph {html_path.name}: {first_line}") from error
    return png_path
