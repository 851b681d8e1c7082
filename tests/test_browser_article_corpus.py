"""Article maps open on the story (issue 15), on real corpus reports, at phone and desktop sizes.

A GeoWebNews report of a roadside bomb in Manbij, Syria, also names a soldier's home
towns (Manchester, Colchester, Austin): the first view fits the bombing, not the
Atlantic between them; the far towns are in the map's data and its legend, and in
view once the reader zooms out. A report with no dated incident has no time slider
and says why under its title.
"""

from __future__ import annotations

import pytest

from mali_map import process_article
from mali_map.article import STORY_KM
from mali_map.article.outputs import map_page
from mali_map.geodesy import distance_km
from tests.browser_support import OpenedMap
from tests.corpus_support import articles

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
MANBIJ_REPORT = ("gwn", 19)


@pytest.fixture(scope="module")
def report(gazetteer):
    corpus, index = MANBIJ_REPORT
    return process_article(articles(corpus)[index], gazetteer=gazetteer, country="")


@pytest.fixture(params=list(SIZES))
def opened(request, browser, report, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(map_page(report), encoding="utf-8")
    opened = OpenedMap(browser, path, *SIZES[request.param])
    yield opened
    opened.page.close()


def in_view(page, point) -> bool:
    return page.evaluate("p => MaliMap.map.getBounds().contains(p)", list(point))


def test_the_first_view_is_the_story_and_far_places_a_zoom_away(opened, report):
    page = opened.page
    main = report.main_incident()
    assert main is not None and main.place.name == "Manbij"
    centre = (main.place.lat, main.place.lon)
    # the view fits everything within STORY_KM of the story, so its edges may reach a little further (a zoom
    # level halves or doubles the span): what must stay out is what lies well beyond, the soldiers' home towns
    far = [
        (p.name, (p.lat, p.lon)) for p, _ in report.named_places() if distance_km(centre, (p.lat, p.lon)) > 2 * STORY_KM
    ]
    assert far, "the report names places far from the story"
    assert in_view(page, centre)
    assert not any(in_view(page, point) for _, point in far)
    assert "Places named in the report" in (page.locator(".leaflet-control-layers").text_content() or "")
    # zoomed out to all the data (as far as the map lets one zoom), the far places are there
    every = [list(centre)] + [list(point) for _, point in far]
    page.evaluate("b => MaliMap.map.fitBounds(b, {animate: false})", every)
    page.wait_for_timeout(300)
    zoom = page.evaluate("() => MaliMap.map.getZoom()")
    assert zoom == page.evaluate("() => MaliMap.map.getMinZoom()") or all(in_view(page, p) for _, p in far)
    assert any(in_view(page, point) for _, point in far)
    assert not opened.real_errors()


def test_a_report_without_a_dated_incident_has_no_slider_and_says_why(browser, gazetteer, tmp_path):
    text = next(t for t in articles("lgl")[1::2] if _undated(t, gazetteer))
    article = process_article(text, gazetteer=gazetteer, country="")
    path = tmp_path / "map.html"
    path.write_text(map_page(article), encoding="utf-8")
    opened = OpenedMap(browser, path, *SIZES["phone"])
    try:
        page = opened.page
        assert page.locator(".mm-time").count() == 0
        note = page.locator(".mm-note").inner_text()
        assert note == " ".join(article.notes()) and note
        assert not opened.real_errors()
    finally:
        opened.page.close()


def _undated(text, gazetteer) -> bool:
    article = process_article(text, gazetteer=gazetteer, country="")
    return bool(article.incidents) and all(i.date is None for i in article.incidents)
