"""Maps people work in (headless Chromium, phone 390x844 and desktop 1366x768): the search box
finds and opens an incident inside a cluster, filters change the counts, one value has one
colour on two maps of differently ordered files, the address restores a view, and the
--png figure has no control and the whole legend.
"""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mali_map.render import build_map, map_html
from tests.browser_support import OpenedMap
from tests.render_fixtures import incident_frame

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = {"phone": (390, 844), "desktop": (1366, 768)}
KOULOGON = (14.0378, -3.3683)


def massacre_rows():
    """Six incidents on one point (so they cluster at every zoom), one of them the massacre of
    1 January 2019, and a few elsewhere."""
    rows = []
    for day, kind, actor, deaths, note in [
        ("2018-05-02", "Battles", "JNIM", 2, "Clash at the market."),
        ("2018-09-14", "Violence against civilians", "Dan Na Ambassagou", 4, "Herders attacked."),
        ("2019-01-01", "Violence against civilians", "Dozo militia", 37, "Massacre in Koulogon Peul."),
        ("2019-03-23", "Battles", "Military Forces of Mali", 1, "Patrol fired on."),
        ("2019-06-10", "Protests", "Protesters (Mali)", 0, "March against insecurity."),
        ("2020-02-02", "Battles", "JNIM", 3, "Ambush on the road."),
    ]:
        rows.append(
            {
                "lat": KOULOGON[0],
                "lon": KOULOGON[1],
                "event_date": day,
                "event_type": kind,
                "actor1": actor,
                "location": "Koulogon",
                "admin1": "Mopti",
                "fatalities": deaths,
                "notes": note,
            }
        )
    for i, town in enumerate([("Gao", 16.27167, -0.04472), ("Kati", 12.74409, -8.07257)]):
        rows.append(
            {
                "lat": town[1],
                "lon": town[2],
                "event_date": f"2019-0{i + 2}-01",
                "event_type": "Riots",
                "actor1": "Rioters (Mali)",
                "location": town[0],
                "admin1": "Gao" if i == 0 else "Koulikoro",
                "fatalities": 0,
                "notes": "Crowd burned tyres.",
            }
        )
    return rows


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("search") / "koulogon.html"
    frame = incident_frame(massacre_rows())
    path.write_text(map_html(build_map(frame, filter_by=["actor1"], title="Koulogon")), encoding="utf-8")
    return path


@pytest.mark.parametrize("window", WINDOWS, ids=list(WINDOWS))
def test_search_opens_an_incident_inside_a_cluster_in_two_taps(browser, page_path, window):
    opened = OpenedMap(browser, page_path, *WINDOWS[window])
    page = opened.page
    try:
        # at first the six Koulogon incidents are one cluster: the massacre cannot be clicked
        hidden = """() => !MaliMap.map.hasLayer(MaliMap.incidents.shownMarkers()
                      .filter(m => MaliMap.properties(m).fatalities === 37)[0])"""
        assert page.evaluate(hidden)
        box = page.locator(".mm-search-input")
        box.click()  # tap 1
        box.type("1 january 2019")
        results = page.locator(".mm-search-result")
        assert results.count() == 1
        assert "Koulogon" in results.first.inner_text()
        results.first.click()  # tap 2
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        assert "Massacre in Koulogon Peul." in popup.inner_text()
        assert popup.locator(".mm-field-fatalities").inner_text() == "37"
        # the popup's incident shows on its own (fanned out of its cluster), inside the window
        assert page.evaluate("MaliMap.map.hasLayer(MaliMap.map._popup.mmMarker)")
        inside = page.evaluate(
            "(() => { const p = MaliMap.map.latLngToContainerPoint(MaliMap.map._popup.mmMarker.getLatLng()),"
            " s = MaliMap.map.getSize(); return p.x > 0 && p.y > 0 && p.x < s.x && p.y < s.y; })()"
        )
        assert inside
        page.wait_for_function("location.hash.includes('open=')", timeout=5_000)
        # accents and place words: "menaka" would find Ménaka; a place and an actor together narrow it
        box.fill("koulogon jnim")
        assert results.count() == 2
        box.fill("nowhere at all")
        assert results.count() == 0
        assert "No incident shown matches" in page.locator(".mm-search-status").inner_text()
        assert opened.real_errors() == []
    finally:
        page.close()


def legend_counts(page) -> dict[str, int]:
    names = page.locator(".mm-legend tr td:nth-child(2)").all_inner_texts()
    counts = page.locator(".mm-legend [data-mm-count]").all_inner_texts()
    return dict(zip(names, (int(c.replace(",", "")) for c in counts)))


def test_filters_change_the_counts_the_clusters_and_the_search(browser, page_path):
    opened = OpenedMap(browser, page_path, *WINDOWS["desktop"])
    page = opened.page
    try:
        assert page.locator("[data-mm-total]").inner_text() == "8"
        page.locator("select.mm-filter[data-mm-column='actor1']").select_option(["JNIM"])
        page.wait_for_function("document.querySelector('[data-mm-total]').textContent === '2'", timeout=5_000)
        assert legend_counts(page)["Battles"] == 2 and legend_counts(page)["Riots"] == 0
        box = page.locator(".mm-search-input")
        box.fill("koulogon")
        assert page.locator(".mm-search-result").count() == 2  # search follows the filters
        page.locator("select.mm-filter[data-mm-column='actor1']").select_option([])
        # fatalities: 3 or more leaves the massacre, the attack on herders and the ambush
        page.locator(".mm-fatal-input").first.fill("3")
        page.locator(".mm-fatal-input").first.dispatch_event("change")
        page.wait_for_function("document.querySelector('[data-mm-total]').textContent === '3'", timeout=5_000)
        # typed dates: 2019 only
        page.locator(".mm-fatal-input").first.fill("0")
        page.locator(".mm-fatal-input").first.dispatch_event("change")
        page.locator("input.mm-date").nth(0).fill("2019-01-01")
        page.locator("input.mm-date").nth(0).dispatch_event("change")
        page.locator("input.mm-date").nth(1).fill("2019-12-31")
        page.locator("input.mm-date").nth(1).dispatch_event("change")
        page.wait_for_function("document.querySelector('[data-mm-total]').textContent === '5'", timeout=5_000)
        cluster_total = page.evaluate(
            "[...document.querySelectorAll('.mm-cluster span')].reduce((n, s) => n + +s.textContent, 0)"
            " + document.querySelectorAll('path.mm-incident').length"
        )
        assert cluster_total == 5
        # a step of a month from the whole span shows the first month only
        page.locator(".mm-step", has_text="All").click()
        page.locator(".mm-step-unit").select_option("month")
        page.locator(".mm-step[title='One step later']").click()
        page.wait_for_function("document.querySelector('[data-mm-total]').textContent === '1'", timeout=5_000)
        assert page.locator("input.mm-date").nth(0).input_value() == "2018-05-02"
        assert opened.real_errors() == []
    finally:
        page.close()


def test_the_address_restores_the_view_filters_and_open_incident(browser, page_path):
    first = OpenedMap(browser, page_path, *WINDOWS["desktop"])
    page = first.page
    try:
        page.locator("select.mm-filter[data-mm-column='actor1']").select_option(["JNIM", "Dozo militia"])
        page.evaluate("MaliMap.map.setView([14.03, -3.36], 9, {animate: false})")
        page.locator(".mm-search-input").fill("massacre")
        page.locator(".mm-search-result").first.click()
        page.locator(".leaflet-popup-content").wait_for(timeout=5_000)
        page.wait_for_function("location.hash.includes('open=') && location.hash.includes('f.actor1=')")
        page.wait_for_timeout(300)
        hash_ = page.evaluate("location.hash")
        view = page.evaluate("[MaliMap.map.getZoom(), MaliMap.map.getCenter().lat, MaliMap.map.getCenter().lng]")
    finally:
        page.close()
    second = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        second.goto(page_path.as_uri() + hash_)
        second.wait_for_selector("body[data-mm-restored]", timeout=20_000)
        assert second.locator("[data-mm-total]").inner_text() == "3"
        assert sorted(
            second.locator("select.mm-filter option:checked").evaluate_all("(os) => os.map(o => o.value)")
        ) == ["Dozo militia", "JNIM"]
        assert "Massacre in Koulogon Peul." in second.locator(".leaflet-popup-content").inner_text()
        again = second.evaluate("[MaliMap.map.getZoom(), MaliMap.map.getCenter().lat, MaliMap.map.getCenter().lng]")
        assert again[0] == view[0]
        assert abs(again[1] - view[1]) < 1e-3 and abs(again[2] - view[2]) < 1e-3
    finally:
        second.close()


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_one_value_has_one_colour_on_maps_of_differently_ordered_files(browser, tmp_path):
    from mali_map.incidents import load_incidents_with_rejects

    base = [
        {"latitude": 14.0 + i / 100, "longitude": -3.0, "event_date": "2020-01-01", "location": "X", "event_type": t}
        for i, t in enumerate(["Cattle raid"] * 5 + ["Battles"] * 3 + ["Riots"] * 1)
    ]
    # the second file: reversed, and with other frequencies, so every value's rank changes
    other = list(reversed(base)) + [dict(base[-1], latitude=15.0 + i / 100) for i in range(6)]
    colours = []
    for name, rows in (("a", base), ("b", other)):
        incidents, _ = load_incidents_with_rejects(write_csv(tmp_path / f"{name}.csv", rows))
        page = tmp_path / f"{name}.html"
        page.write_text(map_html(build_map(incidents)), encoding="utf-8")
        opened = OpenedMap(browser, page)
        try:
            colours.append(
                opened.page.evaluate(
                    "Object.fromEntries(MaliMap.incidents.categories.map(c => [c.mmName,"
                    " getComputedStyle(document.querySelector(`.mm-legend [data-mm-count='${c.mmIndex}']`)"
                    ".closest('tr').querySelector('.mm-swatch')).backgroundColor]))"
                )
            )
        finally:
            opened.page.close()
    assert set(colours[0]) == set(colours[1]) == {"Cattle raid", "Battles", "Riots"}
    assert colours[0] == colours[1]
    assert colours[0]["Battles"] == "rgb(213, 94, 0)"  # ACLED's event types have fixed colours


def test_the_png_figure_has_no_control_and_the_whole_legend(browser, tmp_path):
    from PIL import Image

    from mali_map.render.snapshot import snapshot_png

    rows = massacre_rows()
    page_path = tmp_path / "figure.html"
    page_path.write_text(map_html(build_map(incident_frame(rows), filter_by=["actor1"])), encoding="utf-8")
    # Playwright's sync API runs one browser per thread: the snapshot takes its own, beside the tests'
    with ThreadPoolExecutor(1) as pool:
        png = pool.submit(snapshot_png, page_path, tmp_path / "figure.png", size_px=(700, 500), scale=2).result()
    assert Image.open(png).size == (1400, 1000)
    # the same page opened as the snapshot opens it
    page = browser.new_page(viewport={"width": 700, "height": 500})
    try:
        page.add_init_script("window.mmPrint = true;")
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-mm-ready]", timeout=20_000)
        shown = page.evaluate(
            """(sel) => [...document.querySelectorAll(sel)].filter(n => {
                 const r = n.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).map(n => n.className)""",
            ".mm-search, .mm-filters, .mm-time, .leaflet-control-zoom, .mm-tool, .leaflet-control-layers,"
            " .mm-minimap, .mm-toggle",
        )
        assert shown == []
        legend = page.evaluate(
            """() => { const n = document.querySelector('.mm-legend'), r = n.getBoundingClientRect();
                 return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                         scroll: n.scrollHeight, client: n.clientHeight,
                         body: !n.querySelector('.mm-panel-body').hidden}; }"""
        )
        assert legend["body"] and legend["scroll"] <= legend["client"] + 1
        assert legend["top"] >= 0 and legend["bottom"] <= 500 and legend["left"] >= 0 and legend["right"] <= 700
        for kept in (".leaflet-control-scale", ".mm-title", ".mm-print-note"):
            assert page.locator(kept).is_visible(), kept
        assert "2018-05-02 to 2020-02-02" in page.locator(".mm-print-note").inner_text()
    finally:
        page.close()
