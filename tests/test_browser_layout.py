"""The first view at phone, tablet and desktop sizes: every incident in view and clear of
the controls, no control over another, popups clear of the title (headless Chromium).

Two maps: the demo (``examples/kati-incidents.csv`` by year, with its distance claim) and
5,000 generated incidents over Mali.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mali_map.render import build_map, map_html
from tests.browser_support import OpenedMap
from tests.render_fixtures import synthetic_incidents

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
DEMO_CLAIM = "Kati is less than 10 miles from Bamako"
WINDOWS = {"small phone": (360, 640), "phone": (390, 844), "tablet": (768, 1024), "desktop": (1366, 768)}

#: In the page: the boxes of the controls, the window and where each incident is drawn.
MEASURE = """() => {
  const map = MaliMap.map, size = map.getSize();
  const boxes = MaliMap.controlBoxes(map).map(b => ({
    left: b.left, top: b.top, right: b.right, bottom: b.bottom,
    name: b.node.className.toString().split(' ')
            .filter(c => c.startsWith('mm-') || c.startsWith('leaflet-control-')).join(' ')
          || b.node.className.toString()}));
  const points = [];
  MaliMap.incidents.categories.forEach(c => c.mmAll.forEach(m => {
    const p = map.latLngToContainerPoint(m.getLatLng());
    points.push([p.x, p.y]);
  }));
  return {width: size.x, height: size.y, zoom: map.getZoom(), boxes: boxes, points: points};
}"""


def demo_page() -> str:
    from mali_map import check_claim, load_incidents

    incidents = load_incidents(str(ROOT / "examples" / "kati-incidents.csv"))
    return map_html(
        build_map(incidents, claims=[check_claim(DEMO_CLAIM)], layer_by="year", title="Mutinies in Kati, 2012 and 2020")
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layout")
    out = {}
    for name, html in (("demo", demo_page()), ("generated", map_html(build_map(synthetic_incidents(5_000))))):
        out[name] = folder / f"{name}.html"
        out[name].write_text(html, encoding="utf-8")
    return out


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


@pytest.mark.parametrize("window", list(WINDOWS))
@pytest.mark.parametrize("which", ["demo", "generated"])
def test_first_view_shows_every_incident_clear_of_the_controls(browser, pages, which, window):
    width, height = WINDOWS[window]
    opened = OpenedMap(browser, pages[which], width=width, height=height)
    try:
        seen = opened.page.evaluate(MEASURE)
        assert opened.real_errors() == []
    finally:
        opened.page.close()
    boxes = seen["boxes"]
    assert len(boxes) >= 6  # zoom, tools, layers, legend, title, scale...
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), f"{a['name']} overlaps {b['name']} at {window}"
    xs = [x for x, _ in seen["points"]]
    ys = [y for _, y in seen["points"]]
    assert min(xs) >= 0 and max(xs) <= seen["width"] and min(ys) >= 0 and max(ys) <= seen["height"]
    for box in boxes:
        hidden = [
            p for p in seen["points"] if box["left"] <= p[0] <= box["right"] and box["top"] <= p[1] <= box["bottom"]
        ]
        assert not hidden, f"{len(hidden)} incidents under {box['name']} at {window}"
    # fitted, not lost in a corner: the incidents span a good part of the window one way or the
    # other, unless they lie so close together that the view stops at the closest first zoom (11)
    assert (
        seen["zoom"] == 11 or (max(xs) - min(xs)) / seen["width"] > 0.25 or (max(ys) - min(ys)) / seen["height"] > 0.25
    )


@pytest.mark.parametrize("window", ["phone", "desktop"])
def test_small_windows_fold_the_legend_and_dates_into_toggles(browser, pages, window):
    width, height = WINDOWS[window]
    opened = OpenedMap(browser, pages["demo"], width=width, height=height)
    page = opened.page
    try:
        folded = window == "phone"
        for panel in (".mm-legend", ".mm-time"):
            assert (page.locator(f"{panel}.mm-collapsed").count() == 1) == folded
            assert page.locator(f"{panel} .mm-panel-body").is_visible() != folded
        page.locator(".mm-legend .mm-toggle").click()
        assert page.locator(".mm-legend .mm-panel-body").is_visible() == folded
    finally:
        page.close()


def test_a_popup_near_the_top_opens_below_the_title(browser, pages):
    opened = OpenedMap(browser, pages["generated"], width=390, height=844)
    page = opened.page
    try:
        # move the map so that a lone incident sits just under the title, then open its popup
        title_bottom = page.evaluate("document.querySelector('.mm-title').getBoundingClientRect().bottom")
        page.evaluate(
            """(y) => {
          const map = MaliMap.map;
          map.setZoom(map.getMaxZoom(), {animate: false});
          const marker = MaliMap.incidents.categories[0].mmAll[0];
          const p = map.latLngToContainerPoint(marker.getLatLng());
          map.panBy([p.x - map.getSize().x / 2, p.y - y], {animate: false});
          MaliMap.incidents.group.fire('click', {layer: marker});
        }""",
            title_bottom - 5,
        )
        page.locator(".leaflet-popup").wait_for(timeout=5_000)
        # the map pans to make room (animated): the popup ends below the title
        page.wait_for_function(
            "(y) => document.querySelector('.leaflet-popup').getBoundingClientRect().top >= y",
            arg=title_bottom,
            timeout=5_000,
        )
    finally:
        page.close()
