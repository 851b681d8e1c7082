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


def _shared_country_words() -> list[str]:
    """Every country word that names more than one country in the data, as written there."""
    from collections import defaultdict

    from mali_map import geodata
    from mali_map.textnorm import name_key

    owners: dict[str, set[str]] = defaultdict(set)
    spelled: dict[str, str] = {}
    for country in geodata.countries():
        words = [country["name"], country["iso3"], *country.get("names", ())]
        words += [part for d in country.get("demonyms", ()) for part in d.split(",") if part.strip()]
        for word in words:
            owners[name_key(word)].add(country["iso2"])
            spelled.setdefault(name_key(word), word.strip())
    return sorted(spelled[key] for key, codes in owners.items() if len(codes) > 1)


def test_a_country_word_several_countries_share_names_the_most_populous():
    from mali_map import geodata
    from mali_map.countries import country_words
    from mali_map.textnorm import name_key

    population = {c["iso2"]: c.get("population") or 0 for c in geodata.countries()}
    shared = _shared_country_words()
    assert {"American", "Dominican", "Congolese"} <= set(shared)
    for word in shared:
        key = name_key(word)
        owners = [
            c["iso2"]
            for c in geodata.countries()
            if key
            in {
                name_key(w)
                for w in (
                    c["name"],
                    c["iso3"],
                    *c.get("names", ()),
                    *(p for d in c.get("demonyms", ()) for p in d.split(",") if p.strip()),
                )
            }
        ]
        assert country_words()[key] == max(owners, key=lambda code: (population[code], code)), word
    assert country_code_of("American") == "US" and country_code_of("Dominican") == "DO"


def test_every_country_word_reads_the_same_through_every_path():
    """The table, the geoparser's demonyms, the gazetteer's country and the claims' resolver agree."""
    from mali_map import geodata
    from mali_map.claims.resolve import PlaceResolver
    from mali_map.countries import country_code, country_words, is_demonym
    from mali_map.gazetteer import Gazetteer
    from mali_map.geoparse import demonyms
    from mali_map.textnorm import name_key

    gazetteer = Gazetteer(include_saved=False)
    resolver = PlaceResolver(gazetteer, "")
    shared = set(_shared_country_words())
    words = sorted({w for c in geodata.countries() for w in (c["name"], *c.get("demonyms", ()))} | shared)
    for word in words:
        if "," in word:
            continue
        code = country_words()[name_key(word)]
        assert country_code_of(word) == code, word
        assert country_code(word) == code, word  # what Gazetteer.country reads (its SQL query is slow)
        if word in shared:
            assert gazetteer.country(word).country_code == code, word
        if is_demonym(word):
            assert demonyms()[name_key(word)] == code, word
        if word[:1].isupper() and " " not in word:  # the sentence reader takes capitalised runs
            assert resolver.sentence_countries(f"It lies near {word}.")[:1] == (code,), word
    assert set(demonyms()) <= set(country_words())


BALTIMORE = "Baltimore is about 60 km from the American capital."


def test_the_american_capital_is_washington_in_check_places_and_article(capsys, tmp_path):
    """One sentence, three paths, one reading and one verdict: "the American capital" is Washington,
    and "about 60 km" between two cities is measured centre to centre (57 km), so it holds, though
    edge to edge (46 km) it would not. ``places`` gives the reading (it states no verdict)."""
    import json

    from mali_map.cli import main

    assert main(["check", BALTIMORE, "--json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    report = tmp_path / "report.txt"
    report.write_text(BALTIMORE, encoding="utf-8")
    assert main(["places", str(report), "--json"]) == 0
    placed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["article", str(report), "-o", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    [in_article] = json.loads((tmp_path / "out" / "claims.json").read_text(encoding="utf-8"))
    for claim in (checked, in_article):
        assert (claim["anchor"]["name"], claim["anchor"]["country_code"]) == ("Washington", "US")
        assert claim["distance_km"] == pytest.approx(57, abs=1.5)
        assert claim["verdict"] == "supported"
        assert "Centre to centre (the usual measure between towns) 57" in claim["explanation"]
        assert claim["range_km"][0] < 50 < 54 < claim["range_km"][1]  # the extents range, still reported
    assert [(p["text"], p["name"], p["country_code"]) for p in placed] == [
        ("Baltimore", "Baltimore", "US"),
        ("the American capital", "Washington", "US"),
    ]


def _stray_literals(package: Path = Path(__file__).parents[1] / "mali_map") -> list[str]:
    """String constants outside mali_map/vocabulary.py that spell a verdict or a compass point:
    a verdict word, a wind of two or three letters ("NE", "NNW"), compass words ("north-east",
    "nord") or an alternation of them in a pattern ("north|south"). Docstrings do not count;
    single letters ("N" as a metavar) do not either."""
    import ast
    import re

    from mali_map.vocabulary import Compass, Verdict

    verdicts = {str(v) for v in Verdict}
    winds = {str(c) for c in Compass if len(c) > 1}
    words = re.compile(r"^(?:north|south|east|west|nord|sud|est|ouest)(?:[- ]?(?:north|south|east|west)){0,2}$", re.I)
    alternation = re.compile(r"north\|south|nord\|sud|NNE\|", re.I)
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "vocabulary.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value
                if text in verdicts or text in winds or words.match(text) or alternation.search(text):
                    found.append(f"{path.relative_to(package)}:{node.lineno}: {text!r}")
    return found


def test_no_verdict_or_compass_word_is_written_outside_the_vocabulary():
    assert _stray_literals() == []


def test_the_stray_literal_check_would_see_one(tmp_path):
    (tmp_path / "module.py").write_text(
        '"""Docstrings may say "depends" or NE."""\nA = "depends"\nB = f"{A}"\nC = "north-east"\n'
        'D = "(?:north|south)"\n'
        'E = "NNW"\nF = "N"\n',
        encoding="utf-8",
    )
    assert [line.split(": ", 1)[1] for line in _stray_literals(tmp_path)] == [
        "'depends'",
        "'north-east'",
        "'(?:north|south)'",
        "'NNW'",
    ]


def test_verdicts_order_exit_codes_and_json():
    import json

    from mali_map.vocabulary import Verdict

    assert [v.strength for v in (Verdict.CONTRADICTED, Verdict.UNRESOLVED, Verdict.DEPENDS, Verdict.SUPPORTED)] == [
        0,
        1,
        2,
        3,
    ]
    assert Verdict.SUPPORTED.weaker("depends") is Verdict.DEPENDS
    assert Verdict.UNRESOLVED.weaker(Verdict.DEPENDS) is Verdict.UNRESOLVED
    assert json.dumps({"verdict": Verdict.DEPENDS}) == '{"verdict": "depends"}'
    assert Verdict.exit_code_of(["supported"]) == 0
    assert Verdict.exit_code_of(["supported", "contradicted", "depends"]) == 1
    assert Verdict.exit_code_of(["supported", "unresolved"]) == 3
    assert Verdict.exit_code_of(["supported"], unread=1) == 3


@pytest.mark.parametrize("bearing", [0.0, 11.2, 11.3, 33.75, 180.0, 325.0, 348.75, 359.9])
def test_compass_points_and_their_sectors(bearing):
    from mali_map.geodesy import angle_diff_deg
    from mali_map.vocabulary import Compass

    point = Compass.from_bearing(bearing)
    assert angle_diff_deg(bearing, point.bearing_deg) <= 11.25
    assert Compass.parse(point.words) is point is Compass.parse(point.value.lower())
    assert point.half_width_deg == {1: 45.0, 2: 22.5, 3: 11.25}[len(point)]


def test_compass_words_in_french_and_run_together():
    from mali_map.errors import BadInput
    from mali_map.vocabulary import Compass

    assert Compass.parse("nord-ouest") is Compass.NW is Compass.parse("northwest") is Compass.parse("NO")
    with pytest.raises(BadInput):
        Compass.parse("upward")


def test_area_is_a_feature_and_osm_places_have_one_table():
    from mali_map.gazetteer.formats.osm_reader import PLACE_FEATURES
    from mali_map.geocoders.answers import feature_from_nominatim
    from mali_map.places import FEATURES
    from mali_map.vocabulary import OSM_PLACE_FEATURES, Feature

    assert "area" in FEATURES and Feature.AREA == "area"
    for tag, feature in PLACE_FEATURES.items():
        assert OSM_PLACE_FEATURES[tag] is feature
        assert feature_from_nominatim({"class": "place", "type": tag}) == feature
