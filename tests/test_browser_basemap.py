"""The offline base layer in a real browser: names of places, regions and countries, none
over another nor over a marker, more of them closer in (headless Chromium)."""

from __future__ import annotations

import pytest

from mali_map.render import build_map, map_html
from tests.browser_support import OpenedMap
from tests.render_fixtures import synthetic_incidents
from tests.test_browser_layout import demo_page, overlaps

pytestmark = pytest.mark.browser

#: Place the names for the view now (the page does it on the next frame after a move) and list them.
SHOWN = "() => { const labels = MaliMap.map.mmOutlines.mmLabels; labels.draw(); return labels.shown(); }"
MARKERS = """() => Array.from(document.querySelectorAll('.mm-cluster, path.mm-incident')).map(n => {
  const r = n.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""


def no_overlaps(labels: list[dict]) -> None:
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not overlaps(a, b), f"{a['text']!r} overlaps {b['text']!r}"


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("basemap") / "demo.html"
    path.write_text(demo_page(), encoding="utf-8")
    opened = OpenedMap(browser, path, width=1366, height=768)
    yield opened
    opened.page.close()


def test_town_names_show_whole_beside_the_markers(demo):
    labels = demo.page.evaluate(SHOWN)
    names = {label["text"] for label in labels}
    assert {"Bamako", "Kati"} <= names
    assert len(names) >= 5  # neighbouring towns from the gazetteer too
    no_overlaps(labels)
    for marker in demo.page.evaluate(MARKERS):
        for label in labels:
            assert not overlaps(label, marker), f"{label['text']!r} is under a marker"
    assert demo.real_errors() == []


def test_more_names_closer_in_and_country_names_never_overlap(browser, tmp_path):
    path = tmp_path / "generated.html"
    path.write_text(map_html(build_map(synthetic_incidents(2_000))), encoding="utf-8")
    opened = OpenedMap(browser, path, width=1366, height=768)
    page = opened.page
    try:
        seen = {}
        for zoom in (3, 4, 5, 7, 9, 11):
            page.evaluate(f"() => {{ MaliMap.map.setView([12.65, -8.0], {zoom}, {{animate: false}}); }}")
            labels = page.evaluate(SHOWN)
            no_overlaps(labels)
            seen[zoom] = labels
        kinds = {zoom: [label["kind"] for label in labels] for zoom, labels in seen.items()}
        assert any("mm-label-country" in k for k in kinds[4])
        assert not any("mm-label-place" in k for k in kinds[5])  # towns wait for the closer zooms
        assert any("mm-label-place" in k for k in kinds[9])
        assert any("mm-label-region" in k for k in kinds[7])
        assert opened.real_errors() == []
    finally:
        page.close()
