"""Each vocabulary has one home, and every part that speaks it reads it from there."""

from __future__ import annotations

from pathlib import Path

import pytest

from mali_map import geodesy
from mali_map.claims import extract_claims
from mali_map.countries import DEFAULT_COUNTRY, country_code_of
from mali_map.headers import INCIDENT_COLUMNS, PLACE_COLUMNS


@pytest.mark.parametrize("code, word", [(code, word) for code, words in geodesy.UNIT_WORDS.items() for word in words])
def test_every_unit_word_reads_the_same_in_claims_and_amounts(code, word):
    claims = extract_claims(f"Kati is about 12 {word} from Bamako.")
    assert [(c.value, c.unit) for c in claims] == [(12.0, code)]
    assert geodesy.parse_amount(f"12 {word}") == (12.0, code)


def test_headers_mean_the_same_in_gazetteer_files_and_incident_tables():
    assert PLACE_COLUMNS["lat"] == INCIDENT_COLUMNS["latitude"]
    assert PLACE_COLUMNS["lon"] == INCIDENT_COLUMNS["longitude"]
    assert PLACE_COLUMNS["admin1"] == INCIDENT_COLUMNS["admin1"]


def test_gazetteer_and_claims_read_country_words_alike():
    from mali_map.gazetteer import Gazetteer

    gazetteer = Gazetteer(include_saved=False)
    for word in ("Malian", "malienne", "Burkina Faso", "Burkinabe"):
        assert gazetteer.country(word).country_code == country_code_of(word)
    assert DEFAULT_COUNTRY == "ML"


def test_precision_styles_reach_the_page_from_python():
    from mali_map.render.data import incident_data
    from mali_map.render.legend import legend_html
    from mali_map.render.style import PRECISION_STYLES, browser_style
    from tests.render_fixtures import small_incidents

    assert browser_style()["precisionStyle"] == {str(k): v for k, v in PRECISION_STYLES.items()}
    legend = legend_html(incident_data(small_incidents()).layers, heading="x")
    for style in PRECISION_STYLES.values():
        assert f'fill-opacity="{style["fillOpacity"]}"' in legend
    script = (Path(__file__).parents[1] / "mali_map/render/static/mali_map.js").read_text(encoding="utf-8")
    assert "precisionStyle" in script and "0.12" not in script and "dashArray = " not in script
