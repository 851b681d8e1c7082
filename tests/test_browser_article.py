"""The map of the example report as a newsroom sees it, on a desktop and a phone (headless Chromium).

The claim's label never covers an incident nor leaves the map, whatever the zoom; every incident,
including those of other layers at the same point, opens its own popup; the vague "attacks in the
north" says in its popup that it is an approximate area.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mali_map import process_article
from mali_map.article.outputs import map_page
from tests.browser_support import OpenedMap

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kati-mutiny-2020.txt"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
KATI, BAMAKO = (12.74409, -8.07257), (12.60915, -7.97522)


@pytest.fixture(scope="module")
def article():
    return process_article(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page_path(article, tmp_path_factory):
    path = tmp_path_factory.mktemp("article") / "map.html"
    path.write_text(map_page(article), encoding="utf-8")
    return path


@pytest.fixture(params=list(SIZES))
def opened(request, browser, page_path):
    opened = OpenedMap(browser, page_path, *SIZES[request.param])
    yield opened
    opened.page.close()


def settle(page):
    """Wait until the clusters and labels have settled after a change of view."""
    page.wait_for_timeout(450)


def label_problems(page) -> list[str]:
    """What is wrong with each claim label drawn now: off the map, or over an incident or a cluster."""
    return page.evaluate("""() => {
        const map = MaliMap.map.getContainer().getBoundingClientRect(), out = [];
        const markers = Array.from(document.querySelectorAll('.mm-cluster, path.mm-incident'))
            .map(n => n.getBoundingClientRect()).filter(r => r.width && r.height);
        document.querySelectorAll('.mm-claim-label').forEach(node => {
            const r = node.getBoundingClientRect();
            if (r.left < map.left || r.top < map.top || r.right > map.right || r.bottom > map.bottom) {
                out.push('off the map: ' + JSON.stringify(r));
            }
            markers.forEach(m => {
                if (r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom) {
                    out.push('over a marker at ' + Math.round(m.left) + ',' + Math.round(m.top));
                }
            });
        });
        return out;
    }""")


def test_claim_label_never_covers_incidents_nor_leaves_the_map(opened):
    page = opened.page
    assert label_problems(page) == []  # the first view: country zoom, Kati and Bamako a few pixels apart
    middle = [(KATI[0] + BAMAKO[0]) / 2, (KATI[1] + BAMAKO[1]) / 2]
    shown = []
    for zoom in (6, 9, 11, 12, 14):  # each change of view costs the page about a second: a few
        for centre in (middle, KATI):
            page.evaluate("(v) => MaliMap.map.setView(v[0], v[1], {animate: false})", [centre, zoom])
            settle(page)
            assert label_problems(page) == [], (zoom, centre)
            shown += [(zoom, text) for text in page.locator(".mm-claim-label").all_inner_texts()]
    # close enough, the line is long enough on screen to carry its label
    assert 14 in {zoom for zoom, _ in shown}
    assert all("18.3 km" in text and "depends" in text for _, text in shown)
    assert opened.real_errors() == []


def test_claim_text_is_reachable_where_its_label_is_not_drawn(opened):
    page = opened.page
    assert opened.count(".mm-claim-label") == 0  # first view: no room for it
    page.evaluate("() => MaliMap.map.setView([12.676, -8.024], 10, {animate: false})")
    settle(page)
    assert opened.count(".mm-claim-label") == 0
    line = page.locator("path.mm-claim-line")
    box = line.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".mm-claim-tip")
    tip.wait_for(timeout=5_000)
    assert "18.3 km" in tip.inner_text()
    tip_box, map_box = tip.bounding_box(), page.locator(".leaflet-container").first.bounding_box()
    assert tip_box["x"] >= map_box["x"] and tip_box["x"] + tip_box["width"] <= map_box["x"] + map_box["width"]


def popup_texts_at(page, point, expected: int) -> set[str]:
    """Fan out the cluster at ``point`` and open each of its incidents: their popups' text."""
    page.evaluate("(p) => { MaliMap.map.closePopup(); MaliMap.map.setView(p, 13, {animate: false}); }", list(point))
    settle(page)
    at = page.evaluate(
        """(p) => {
        const pt = MaliMap.map.latLngToContainerPoint(p), o = MaliMap.map.getContainer().getBoundingClientRect();
        return [o.left + pt.x, o.top + pt.y];
    }""",
        list(point),
    )
    page.mouse.click(*at)
    page.wait_for_function(f"document.querySelectorAll('path.mm-incident').length === {expected}", timeout=5_000)
    settle(page)
    texts = set()
    for i in range(expected):
        page.evaluate("(p) => { MaliMap.map.closePopup(); MaliMap.map.panTo(p, {animate: false}); }", list(point))
        page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0", timeout=5_000)
        page.locator("path.mm-incident").nth(i).click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        texts.add(popup.inner_text())
        settle(page)  # the map pans to show the whole popup
        box, width = page.locator(".leaflet-popup").bounding_box(), page.viewport_size["width"]
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, "the popup runs off the screen"
        narrowest = page.evaluate(
            "() => Math.min(...Array.from(document.querySelectorAll('.leaflet-popup td'), td => td.offsetWidth))"
        )
        assert narrowest >= 100, "values squeezed to a few letters a line"
    return texts


def test_every_incident_of_every_layer_at_one_point_opens(opened, article):
    page = opened.page
    frame = article.map_frame()
    for point, name in ((KATI, "Kati"), (BAMAKO, "Bamako")):
        here = frame[frame["location"] == name]
        texts = popup_texts_at(page, point, len(here))
        assert len(texts) == len(here)  # each marker its own popup
        assert set(here["layer"]) >= {"18 August 2020", "21 March 2012", "Places named in the report"}
        for _, row in here.iterrows():
            # an incident by its sentence and date; a named place by the words that named it
            said = row["notes"] if isinstance(row["notes"], str) else row["geocoded_from"]
            date = row["event_date"] if isinstance(row["event_date"], str) else ""
            assert any(said in text and date in text for text in texts), (name, row["layer"], said)
    assert opened.real_errors() == []


def test_vague_region_says_it_is_an_approximate_area(opened, article):
    page = opened.page
    north = next(i for i in article.incidents if i.date and i.date.iso == "2011")
    assert north.precision == 3
    texts = popup_texts_at(page, (north.place.lat, north.place.lon), 2)
    attack = next(text for text in texts if "attack" in text)
    assert "approximate area" in attack and "the north" in attack


def test_first_view_shows_every_incident_clear_of_the_controls(opened, article):
    page = opened.page
    shown = page.evaluate("""() => {
        const boxes = MaliMap.controlBoxes(MaliMap.map), size = MaliMap.map.getSize(), out = [];
        document.querySelectorAll('.mm-cluster, path.mm-incident').forEach(node => {
            const r = node.getBoundingClientRect(), o = MaliMap.map.getContainer().getBoundingClientRect();
            const b = {left: r.left - o.left, top: r.top - o.top, right: r.right - o.left, bottom: r.bottom - o.top};
            const hidden = b.left < 0 || b.top < 0 || b.right > size.x || b.bottom > size.y ||
                boxes.some(c => b.left < c.right && c.left < b.right && b.top < c.bottom && c.top < b.bottom);
            out.push([node.textContent || '1', hidden]);
        });
        return out;
    }""")
    assert sum(int(count) for count, _ in shown) == len(article.map_frame())
    assert not any(hidden for _, hidden in shown)
    assert "Mutiny in Kati, 18 August 2020" in page.locator(".mm-title").inner_text()
