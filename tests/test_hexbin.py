"""Hexagon maps past a point count (mali_map/render/hexbin.py): counts per cell, type and month; the page's
filters in a real browser; the map command reading a large table in pieces."""

from __future__ import annotations

import json
import random

import pytest

from mali_map.render import hexbin


def synthetic(rows: int, seed: int = 3):
    rng = random.Random(seed)
    towns = [(12.64, -8.0), (16.27, -0.04), (14.49, -4.2), (13.45, -6.27)]
    lat, lon, layer, month, dead = [], [], [], [], []
    for n in range(rows):
        a, b = towns[n % len(towns)]
        lat.append(a + rng.uniform(-0.5, 0.5))
        lon.append(b + rng.uniform(-0.5, 0.5))
        layer.append("Battles" if n % 3 else "Riots")
        month.append(f"2021-{n % 12 + 1:02d}")
        dead.append(n % 4)
    # a lone far-away incident: a sparse cell that keeps its point
    lat.append(20.0)
    lon.append(5.0)
    layer.append("Protests")
    month.append("2021-06")
    dead.append(0)
    return lat, lon, layer, month, dead


def test_counts_add_up_at_every_resolution_and_batches_do_not_matter():
    lat, lon, layer, month, dead = synthetic(30_000)
    whole = hexbin.HexCounts()
    whole.add(lat, lon, layer, month, dead)
    pieces = hexbin.HexCounts()
    for start in range(0, len(lat), 7_000):
        end = start + 7_000
        pieces.add(lat[start:end], lon[start:end], layer[start:end], month[start:end], dead[start:end])
    payload = whole.payload()
    assert payload == pieces.payload()
    assert [level["resolution"] for level in payload["levels"]] == [r for r, _ in hexbin.RESOLUTIONS]
    for level in payload["levels"]:
        assert sum(r[3] for r in level["records"]) == len(lat)
        assert sum(r[4] for r in level["records"]) == sum(dead)
    assert payload["layers"] == ["Riots", "Battles", "Protests"]
    assert [p for p in payload["points"] if p[2] == 2] == [
        [200000, 50000, 2, 5, 0, p[5]] for p in payload["points"] if p[2] == 2
    ]


def test_the_payload_keeps_within_its_budget():
    lat, lon, layer, month, dead = synthetic(30_000)
    counts = hexbin.HexCounts()
    counts.add(lat, lon, layer, month, dead)
    small = counts.payload(budget_bytes=200_000)
    assert len(json.dumps(small["levels"])) + len(json.dumps(small["points"])) <= 200_000 * 1.05
    assert 1 <= len(small["levels"]) < len(hexbin.RESOLUTIONS) and small["points"] == []


@pytest.mark.browser
def test_the_page_filters_by_type_and_time_and_shows_points_when_zoomed(browser, tmp_path):
    lat, lon, layer, month, dead = synthetic(30_000)
    counts = hexbin.HexCounts()
    counts.add(lat, lon, layer, month, dead)
    path = tmp_path / "hex.html"
    path.write_text(hexbin.hexagon_page(counts, title="Test <b>hexagons</b>"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]")
    shown = lambda: int(page.evaluate("document.body.dataset.shown"))  # noqa: E731
    assert shown() == 30_001 and int(page.evaluate("document.body.dataset.cells")) > 0
    assert page.locator("#panel h1").inner_text() == "Test <b>hexagons</b>"
    page.locator("input[data-layer='0']").uncheck()  # Riots
    assert shown() == 30_001 - 10_000
    page.locator("input[name='to']").fill("5")  # January to June
    assert shown() == sum(1 for n in range(30_000) if n % 3 and n % 12 < 6) + 1
    page.locator("input[data-layer='0']").check()
    page.locator("input[name='to']").fill("11")
    page.evaluate("hexMap.setView([20.0, 5.0], 12)")  # the lone incident: its point replaces the hexagon
    page.wait_for_function("document.body.dataset.points === '1'")
    assert int(page.evaluate("document.body.dataset.cells")) == 0
    page.evaluate("hexMap.setView([12.64, -8.0], 4)")
    page.wait_for_function("document.body.dataset.points === '0'")
    assert int(page.evaluate("document.body.dataset.resolution")) == 2
    assert errors == []


def test_each_distinct_point_is_placed_in_its_cell_once(monkeypatch):
    import h3.api.basic_int

    calls = []
    real = h3.api.basic_int.latlng_to_cell
    monkeypatch.setattr(h3.api.basic_int, "latlng_to_cell", lambda a, b, r: calls.append((a, b)) or real(a, b, r))
    towns = [(12.64, -8.0), (16.27, -0.04), (14.49, -4.2)]  # incidents geocoded to a town share its point
    lat, lon = zip(*(towns[n % 3] for n in range(3_000)))
    counts = hexbin.HexCounts()
    counts.add(lat, lon, ["Battles"] * 3_000, ["2021-01"] * 3_000, [1] * 3_000)
    assert sorted(calls) == sorted(towns)
    finest = counts.payload()["levels"][-1]
    assert [r[3] for r in finest["records"]] == [1_000, 1_000, 1_000]
    assert finest["cells"] == sorted(h3.api.basic_int.int_to_str(real(a, b, 6)) for a, b in towns)
