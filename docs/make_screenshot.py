"""Regenerate docs/screenshot.png: the demo map (as `make demo` builds it), offline.

    .venv/bin/python docs/make_screenshot.py

Reads the example report ``examples/kati-mutiny-2020.txt`` as ``mali-map article``
does, builds its self-contained map page and photographs it in headless Chromium
with every network request refused (what a reader with no connection sees).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    from mali_map import process_article
    from mali_map.article.outputs import map_page

    article = process_article((ROOT / "examples" / "kati-mutiny-2020.txt").read_text(encoding="utf-8"))
    html = map_page(article)
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "map.html"
        page_path.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-mm-ready]")
            # Kati and Bamako, where the 2012 and 2020 events and the claim are (the page opens on all of
            # the report's places, from Bamako to the north of Mali)
            page.evaluate("MaliMap.map.fitBounds([[12.35, -8.45], [12.95, -7.55]], {animate: false})")
            page.wait_for_timeout(2500)
            page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
            browser.close()
    print("wrote docs/screenshot.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
