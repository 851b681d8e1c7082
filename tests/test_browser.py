"""The map in a real browser: headless Chromium opens the file with the network cut off.

Skipped (with the reason) when Playwright for Python or Debian's ``chromium`` is missing;
``.ci/run`` installs both when ``CI`` is set. Every request that is not for the file
itself is aborted, so the page must work offline and tile servers are never asked.
"""

from __future__ import annotations

import pytest

from mali_map.render import build_map, map_html
from tests.browser_support import OpenedMap
from tests.render_fixtures import HOSTILE_ACTOR, HOSTILE_NOTE, HOSTILE_TYPE, claims, small_incidents

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def opened(browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "map.html"
    path.write_text(map_html(build_map(small_incidents(), claims=claims(), title="Test map")), encoding="utf-8")
    opened = OpenedMap(browser, path)
    yield opened
    opened.page.close()


def test_loads_offline_without_console_errors(opened):
    assert opened.real_errors() == []
    assert opened.blocked == []  # the default view asks no server for anything
    assert opened.count(".mm-incident") == 4
    assert opened.count(".leaflet-overlay-pane path, .mm-basemap path") > 0


def test_every_overlay_is_in_the_layer_control_as_text(opened):
    labels = opened.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    text = " | ".join(labels)
    for name in ("Battles", HOSTILE_TYPE, "Explosions/Remote violence", "Heat map", "Distance claims"):
        assert name in text
    bases = " | ".join(opened.page.locator(".leaflet-control-layers-base label").all_inner_texts())
    assert "Country outlines (offline)" in bases and "OpenStreetMap" in bases
    assert opened.count("svg[onload]") == 0


def test_unchecking_a_layer_removes_its_markers(opened):
    page = opened.page
    battles = page.locator(".leaflet-control-layers-overlays label", has_text="Battles")
    assert opened.count(".mm-cat-0") == 2
    battles.locator("input").uncheck()
    assert opened.count(".mm-cat-0") == 0
    assert opened.count(".mm-incident") == 2
    battles.locator("input").check()
    assert opened.count(".mm-cat-0") == 2


def test_popup_shows_hostile_text_as_text(opened):
    page = opened.page
    gao = next(
        i
        for i in range(3)
        if HOSTILE_TYPE in page.locator(".leaflet-control-layers-overlays label").nth(i).inner_text()
    )
    page.locator(f"path.mm-cat-{gao}").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    text = popup.inner_text()
    assert HOSTILE_NOTE in text and HOSTILE_ACTOR in text and HOSTILE_TYPE in text
    assert "<i>Twitter</i>" in text
    assert popup.locator("img, script, svg, b, i").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert opened.dialogs == []
    assert opened.real_errors() == []


def test_claim_line_is_labelled_with_the_distance(opened):
    page = opened.page
    assert opened.count("path.mm-claim-ring") == 2
    # at country zoom the 18 km line is a few pixels long: its label waits for a closer view
    first_view = page.evaluate("() => [MaliMap.map.getCenter(), MaliMap.map.getZoom()]")
    page.evaluate("() => MaliMap.map.setView([12.68, -8.02], 12, {animate: false})")
    page.wait_for_selector(".mm-claim-label", timeout=5_000)
    labels = page.locator(".mm-claim-label").all_inner_texts()
    assert any("18.3 km" in label and "contradicted" in label for label in labels)
    page.evaluate("(view) => MaliMap.map.setView(view[0], view[1], {animate: false})", first_view)
    page.wait_for_function("document.querySelectorAll('.mm-incident').length === 4", timeout=5_000)


def test_time_slider_hides_incidents_outside_the_chosen_days(opened):
    page = opened.page
    page.keyboard.press("Escape")
    last = page.locator(".mm-time input").nth(1)
    last.evaluate("(el) => { el.value = el.min; el.dispatchEvent(new Event('input')); }")
    page.wait_for_function("document.querySelectorAll('.mm-incident').length === 1", timeout=5_000)
    assert "1 shown" in page.locator(".mm-time-label").inner_text()
    last.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    page.wait_for_function("document.querySelectorAll('.mm-incident').length === 4", timeout=5_000)


def test_heat_map_draws_when_switched_on(opened):
    page = opened.page
    page.locator(".leaflet-control-layers-overlays label", has_text="Heat map").locator("input").check()
    assert opened.count("canvas.leaflet-heatmap-layer") == 1
    assert opened.real_errors() == []
