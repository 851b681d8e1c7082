"""The time slider shows dates at the precision they are known: "2011", not "2011-01-01".

An incident a report dates only to the year used to read "2011-01-01 → ..." on the slider, a
day nobody wrote. The page gets the texts of such days with the slider's span.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from mali_map.render import build_map, map_html
from mali_map.render.data import incident_data
from tests.browser_support import OpenedMap


def incidents(dates):
    points = [Point(-8.0 + i * 0.1, 12.6) for i in range(len(dates))]
    return gpd.GeoDataFrame({"event_date": dates, "event_type": ["Battles"] * len(dates)}, geometry=points, crs=4326)


def test_days_known_to_the_year_or_month_keep_their_text():
    data = incident_data(incidents(["2011", "2012-03", "2012-05-04", "2013-01-01", "2013"]))
    labels = sorted(data.day_labels.values())
    assert labels == ["2011", "2012-03"]  # 2013-01-01 also has a full date: it stays a day


@pytest.mark.browser
def test_time_slider_label_shows_dates_at_their_precision(browser, tmp_path):
    path = tmp_path / "map.html"
    m = build_map(incidents(["2011", "2012-03", "2012-05-04"]), title="Dates")
    path.write_text(map_html(m), encoding="utf-8")
    opened = OpenedMap(browser, path)
    try:
        page = opened.page
        label = page.locator(".mm-time-label")
        assert label.inner_text().startswith("2011 \u2192 2012-05-04")
        first = page.locator(".mm-time input").nth(0)
        last = page.locator(".mm-time input").nth(1)
        last.evaluate("(el) => { el.value = el.min; el.dispatchEvent(new Event('input')); }")
        page.wait_for_function("document.querySelectorAll('.mm-incident').length === 1", timeout=5_000)
        assert label.inner_text().startswith("2011 \u2192 2011 (1 shown)")
        march = 15400  # 2012-03-01 in days since 1970: the day of the incident dated only "2012-03"
        first.evaluate(f"(el) => {{ el.value = {march}; el.dispatchEvent(new Event('input')); }}")
        last.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
        page.wait_for_function("document.querySelectorAll('.mm-incident').length === 2", timeout=5_000)
        assert label.inner_text().startswith("2012-03 \u2192 2012-05-04")
        assert opened.real_errors() == []
    finally:
        opened.page.close()


def test_the_default_title_shows_dates_at_their_precision():
    from mali_map.render.build import _default_title

    data = incident_data(incidents(["2011", "2012-05-04"]))
    assert _default_title(data, []) == "2 incidents, 2011 to 2012-05-04"
