"""Every incident can be reached and every count tells the truth (headless Chromium).

Incidents at one point, in one layer or several, gather in one cluster that fans out
(spiderfy) when clicked; the legend, the layer control and the clusters count what the
time slider and the layer switches leave shown.
"""

from __future__ import annotations

import pytest

from mali_map.render import build_map, map_html
from tests.browser_support import OpenedMap
from tests.render_fixtures import incident_frame

pytestmark = pytest.mark.browser

KATI = (12.74409, -8.07257)
GAO = (16.27167, -0.04472)


def stacked_incidents():
    """Four incidents on one point of Kati (two layers), two at Gao, on four dates."""
    rows = []
    for i, (kind, day) in enumerate(
        [("Battles", "2020-01-05"), ("Battles", "2021-03-01"), ("Riots", "2022-06-10"), ("Riots", "2023-02-02")]
    ):
        rows.append(
            {
                "lat": KATI[0],
                "lon": KATI[1],
                "event_type": kind,
                "event_date": day,
                "notes": f"Kati report {i}",
                "location": "Kati",
                "fatalities": i,
            }
        )
    for i, (kind, day) in enumerate([("Battles", "2020-02-01"), ("Protests", "2023-05-05")]):
        rows.append(
            {
                "lat": GAO[0],
                "lon": GAO[1],
                "event_type": kind,
                "event_date": day,
                "notes": f"Gao report {i}",
                "location": "Gao",
                "fatalities": 0,
            }
        )
    return incident_frame(rows)


@pytest.fixture()
def opened(browser, tmp_path):
    path = tmp_path / "stacked.html"
    path.write_text(map_html(build_map(stacked_incidents(), title="Stacked")), encoding="utf-8")
    opened = OpenedMap(browser, path)
    yield opened
    opened.page.close()


def cluster_counts(page) -> list[int]:
    return sorted(int(t.replace(",", "")) for t in page.locator(".mm-cluster span").all_inner_texts())


def test_incidents_at_one_point_in_several_layers_fan_out_and_each_opens(opened):
    page = opened.page
    assert cluster_counts(page) == [2, 4]
    kati = page.locator(".mm-cluster", has_text="4")
    assert "mm-mixed" in kati.get_attribute("class")  # Battles and Riots together
    kati.click()
    page.wait_for_function("document.querySelectorAll('path.mm-incident').length === 4", timeout=5_000)
    page.wait_for_timeout(400)  # the fan-out animation
    seen = set()
    for i in range(4):
        # close the last popup and bring Kati back to the middle (opening a popup pans the map)
        page.evaluate(
            f"() => {{ MaliMap.map.closePopup(); MaliMap.map.panTo([{KATI[0]}, {KATI[1]}], {{animate: false}}); }}"
        )
        page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0", timeout=5_000)
        page.locator("path.mm-incident").nth(i).click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        seen.add(next(line for line in popup.inner_text().splitlines() if "report" in line).split("\t")[-1])
    assert seen == {f"Kati report {i}" for i in range(4)}
    assert opened.real_errors() == []


def test_counts_follow_the_time_slider_and_the_layers_shown(opened):
    page = opened.page

    def legend():
        return {
            name: int(count)
            for name, count in zip(
                page.locator(".mm-legend tr td:nth-child(2)").all_inner_texts()[:3],
                page.locator(".mm-legend [data-mm-count]").all_inner_texts(),
                strict=True,
            )
        }

    def control():
        return page.locator(".leaflet-control-layers-overlays [data-mm-count]").all_inner_texts()

    assert legend() == {"Battles": 3, "Riots": 2, "Protests": 1}
    assert control() == ["3", "2", "1"]
    # the last day shown: 2021-12-31 (day 18992) leaves two Battles at Kati and one at Gao
    page.locator(".mm-time input").nth(1).evaluate(
        "(el) => { el.value = 18992; el.dispatchEvent(new Event('input')); }"
    )
    page.wait_for_function("document.querySelector('[data-mm-total]').textContent === '3'", timeout=5_000)
    assert legend() == {"Battles": 3, "Riots": 0, "Protests": 0}
    assert control() == ["3", "0", "0"]
    assert cluster_counts(page) == [2]  # Kati's two Battles; Gao's lone Battle is a plain marker
    assert opened.count("path.mm-incident") == 1
    assert "(3 shown)" in page.locator(".mm-time-label").inner_text()
    # a layer switched by a script makes the layer control rebuild its labels: the counts stay true
    page.evaluate(
        "() => { const riots = MaliMap.layers['Riots']; MaliMap.map.removeLayer(riots); MaliMap.map.addLayer(riots); }"
    )
    assert control() == ["3", "0", "0"]
    # switching Battles off leaves nothing shown, and says so
    page.locator(".leaflet-control-layers-overlays label", has_text="Battles").locator("input").uncheck()
    page.wait_for_function("document.querySelector('[data-mm-total]').textContent === '0'", timeout=5_000)
    assert cluster_counts(page) == [] and opened.count("path.mm-incident") == 0
    assert page.locator(".mm-legend tr.mm-off").count() == 1
    assert "(0 shown)" in page.locator(".mm-time-label").inner_text()
    assert control() == ["3", "0", "0"]  # the control's labels survive its own rebuild


def test_a_compressed_page_inflates_in_the_browser_and_shows_every_incident(browser, tmp_path, monkeypatch):
    from mali_map.render import layers
    from tests.render_fixtures import synthetic_incidents

    monkeypatch.setattr(layers, "COMPRESS_MIN_CHARS", 1_000)
    path = tmp_path / "packed.html"
    html = map_html(build_map(synthetic_incidents(800)))
    assert html.count('data-mm-encoding="deflate-raw" id=') == 6
    path.write_text(html, encoding="utf-8")
    opened = OpenedMap(browser, path)
    try:
        assert opened.real_errors() == []
        assert opened.page.evaluate("MaliMap.incidents.categories.reduce((n, c) => n + c.mmAll.length, 0)") == 800
        assert (
            sum(int(t.replace(",", "")) for t in opened.page.locator(".mm-cluster span").all_inner_texts())
            + opened.count("path.mm-incident")
            == 800
        )
        opened.page.locator(".mm-cluster").first.click()  # popups read the inflated columns
    finally:
        opened.page.close()


def test_the_demo_kati_2012_and_2020_incidents_both_open(browser, tmp_path):
    from tests.test_browser_layout import demo_page

    path = tmp_path / "demo.html"
    path.write_text(demo_page(), encoding="utf-8")
    opened = OpenedMap(browser, path, width=1366, height=768)
    page = opened.page
    try:
        kati = page.locator(".mm-cluster.mm-mixed", has_text="2")  # one 2012 and one 2020 incident on one point
        kati.click()
        page.wait_for_function("document.querySelectorAll('path.mm-incident').length >= 2", timeout=5_000)
        page.wait_for_timeout(400)
        # where each fanned-out marker is drawn now, in page pixels (opening a popup pans the map)
        where = """() => { const map = MaliMap.map, box = map.getContainer().getBoundingClientRect();
            return MaliMap.incidents.group.getLayers().filter(m => m._spiderLeg).map(m => {
              const p = map.latLngToContainerPoint(m.getLatLng());
              return [m.mmCategory.mmName, box.left + p.x, box.top + p.y]; }); }"""
        assert sorted(name for name, _, _ in page.evaluate(where)) == ["2012", "2020"]
        dates = set()
        for i in range(2):
            page.evaluate("() => { MaliMap.map.closePopup(); }")
            page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0", timeout=5_000)
            _, x, y = page.evaluate(where)[i]
            page.mouse.click(x, y)
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=5_000)
            dates.add(popup.locator(".mm-field-event_date").inner_text()[:4])
        assert dates == {"2012", "2020"}
    finally:
        page.close()


def test_a_change_while_markers_go_in_by_batches_ends_with_exactly_what_is_asked(browser, tmp_path):
    from tests.render_fixtures import synthetic_incidents

    path = tmp_path / "batches.html"
    path.write_text(map_html(build_map(synthetic_incidents(900))), encoding="utf-8")
    opened = OpenedMap(browser, path)
    try:
        result = opened.page.evaluate("""async () => {
          const state = MaliMap.incidents, battles = MaliMap.layers["Battles"];
          MaliMap.addBatch = 50;
          MaliMap.map.removeLayer(battles);
          MaliMap.map.addLayer(battles);         // Battles go back in, 50 at a time...
          const first = 18700, last = 19000;
          state.setDays([first, last]);          // ...and the dates change while they do
          await state.drawn();
          const inGroup = new Set(state.group.getLayers());
          const wanted = [];
          state.categories.forEach(c => c.mmAll.forEach(m => {
            if (m.mmDay >= first && m.mmDay <= last) { wanted.push(m); }
          }));
          return {inGroup: inGroup.size, wanted: wanted.length, all: wanted.every(m => inGroup.has(m)),
                  total: document.querySelector('[data-mm-total]').textContent};
        }""")
    finally:
        opened.page.close()
    assert result["all"] and result["inGroup"] == result["wanted"] > 0
    assert result["total"] == f"{result['wanted']:,}"
