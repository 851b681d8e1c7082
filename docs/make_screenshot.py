"""Regenerate the screenshots in docs/: the demo map (as `make demo` builds it), offline.

    .venv/bin/python docs/make_screenshot.py

Reads the example report ``examples/kati-mutiny-2020.txt`` as ``mali-map article``
does, builds its self-contained map page and photographs its first view in headless
Chromium with every network request refused (what a reader with no connection sees),
at a desktop size (``docs/screenshot.png``) and a phone size (``docs/screenshot-phone.png``),
through the same code as ``mali-map map --png``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHOTS = {"screenshot.png": (1366, 768), "screenshot-phone.png": (390, 844)}


def main() -> int:
    from mali_map import process_article
    from mali_map.article.outputs import map_page
    from mali_map.render.snapshot import snapshot_png

    article = process_article((ROOT / "examples" / "kati-mutiny-2020.txt").read_text(encoding="utf-8"))
    html = map_page(article)
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "map.html"
        page_path.write_text(html, encoding="utf-8")
        for name, size_px in SHOTS.items():
            snapshot_png(page_path, ROOT / "docs" / name, size_px=size_px)
            print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
