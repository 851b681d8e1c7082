"""Regenerate the screenshots of the desk page of ``mali-map serve`` in docs/, offline.

    .venv/bin/python docs/make_serve_screenshots.py

Serves the desk with uvicorn on a free loopback port, pastes the example report in headless Chromium
(every request outside the server refused) and photographs the answer at a phone size
(``docs/serve-phone.png``) and a desktop size (``docs/serve-desktop.png``). The pictures are reduced to
a palette of 64 colours so they stay small.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SHOTS = {"serve-phone.png": (390, 844), "serve-desktop.png": (1280, 800)}
#: site isolation off: headless Chromium then paints the maps' sandboxed frames into screenshots
ARGS = ["--disable-site-isolation-trials"]


def main() -> int:
    from PIL import Image
    from playwright.sync_api import sync_playwright
    from serve_support import RunningServer

    from mali_map.render.snapshot import CHROMIUM_ARGS, chromium_path
    from mali_map.web import create_app

    report = (ROOT / "examples" / "kati-mutiny-2020.txt").read_text(encoding="utf-8")
    with RunningServer(create_app()) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + ARGS)
        for name, (width, height) in SHOTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort())
            page.goto(server.url + "/")
            page.fill("#report-text", report)
            page.click("#report-go")
            page.wait_for_selector("#report-claims .verdict")
            page.frame_locator("#report-map").locator("body[data-mm-ready]").wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            page.locator("#report-status").scroll_into_view_if_needed()
            page.evaluate("document.getElementById('report-status').scrollIntoView()")
            out = ROOT / "docs" / name
            page.screenshot(path=str(out))
            Image.open(out).convert("RGB").quantize(colors=64).save(out, optimize=True)
            print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
