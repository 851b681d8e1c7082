"""``process_article`` and ``mali-map article``: the four outputs, escaping, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mali_map
from mali_map.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kati-mutiny-2020.txt"


def test_process_article_on_the_example():
    article = mali_map.process_article(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(article, mali_map.Article)
    assert {m.place.name for m in article.places if m.place} >= {"Kati", "Bamako"}
    assert [c.verdict for c in article.claims] == ["depends"]
    layers = {i.layer for i in article.incidents}
    assert {"18 August 2020", "21 March 2012"} <= layers
    assert article.country == "ML"
    assert article.map() is not None
    named = {place.name: words for place, words in article.named_places()}
    assert named["Bamako"] == ["BAMAKO", "Bamako", "the capital"] and "Kati" in named
    frame = article.incidents_frame()
    assert set(frame["layer"]) == {i.layer for i in article.incidents}  # the places layer only on the map


def test_article_map_from_its_points_is_the_map_of_its_geodataframe():
    # Article.map() hands the render a PointTable (no geopandas); the public map_frame()
    # GeoDataFrame must draw exactly the same page
    from mali_map.render import build_map, map_html

    article = mali_map.process_article(EXAMPLE.read_text(encoding="utf-8"))
    ours = map_html(article.map())
    dated = any(i.date is not None and i.place is not None for i in article.incidents)
    theirs = map_html(
        build_map(
            article.map_frame(),
            claims=article.claims,
            layer_by="layer",
            time="event_date" if dated else None,
            title=article.title,
            first_view=article.story_view(),
            note=" ".join(article.notes()) or None,
        )
    )
    assert ours == theirs
    assert "Places named in the report" in ours


def test_an_article_map_imports_no_geopandas_shapely_or_pyproj():
    import subprocess
    import sys

    code = (
        "import sys, mali_map\n"
        "from mali_map.render import map_html\n"
        f"article = mali_map.process_article(open({str(EXAMPLE)!r}, encoding='utf-8').read())\n"
        "assert 'Kati' in map_html(article.map())\n"
        "print(sorted(m for m in ('geopandas', 'shapely', 'pyproj') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_point_table_wants_one_point_a_row():
    import pandas as pd

    from mali_map.render.data import PointTable

    with pytest.raises(ValueError, match="2 rows but 1 lon"):
        PointTable(pd.DataFrame({"a": [1, 2]}), [0.0], [1.0])


def test_article_command_writes_four_files(tmp_path, capsys):
    code = main(["article", str(EXAMPLE), "-o", str(tmp_path / "out"), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 3  # the Kati-Bamako claim depends on the reading
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["claims.json", "incidents.geojson", "map.html", "report.md"]
    geojson = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection"
    props = [f["properties"] for f in geojson["features"]]
    assert {"date", "place", "description", "category", "precision"} <= set(props[0])
    assert {"2020-08-18", "2012-03-21"} <= {p["date"] for p in props}
    claims = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    text = EXAMPLE.read_text(encoding="utf-8")
    assert claims[0]["verdict"] == "depends" and "edge to edge" in claims[0]["explanation"]
    assert text[claims[0]["start"] : claims[0]["end"]] == claims[0]["sentence"]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Places" in report and "## Timeline" in report and "**depends**" in report
    page = (out / "map.html").read_text(encoding="utf-8")
    assert "18 August 2020" in page and "21 March 2012" in page and "Places named in the report" in page
    assert summary["claims"] == 1 and summary["verdicts"] == ["depends"]


def test_text_from_the_report_is_escaped(tmp_path):
    hostile = (
        "date 2020-08-18\nGunmen attacked a bus <script>alert(1)</script> near Gao | [link](http://x) "
        "**bold**.\nGao is 20 km from Bamako."
    )
    assert main(
        ["article", "-", "-o", str(tmp_path)],
    ) in (0, 1, 2, 3)  # stdin empty under pytest: bad input
    path = tmp_path / "r.txt"
    path.write_text(hostile, encoding="utf-8")
    code = main(["article", str(path), "-o", str(tmp_path / "o")])
    assert code == 1  # Gao is nowhere near 20 km from Bamako
    report = (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in report and "&lt;script&gt;" in report
    assert "\\[link\\]" in report and "\\*\\*bold\\*\\*" in report
    assert "<script>alert(1)" not in (tmp_path / "o" / "map.html").read_text(encoding="utf-8")


def test_article_bad_input(tmp_path, capsys):
    assert main(["article", str(tmp_path / "none.txt"), "-o", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02")
    assert main(["article", str(binary), "-o", str(tmp_path)]) == 2


@pytest.mark.parametrize("name", ["geoparse", "Mention", "process_article", "Article"])
def test_exports(name):
    assert name in mali_map.__all__ and getattr(mali_map, name) is not None


def test_the_example_as_one_long_line_keeps_both_events_apart():
    text = " ".join(EXAMPLE.read_text(encoding="utf-8").split())
    article = mali_map.process_article(text)
    by_layer = {}
    for incident in article.incidents:
        by_layer.setdefault(incident.layer, set()).add(incident.place.name)
    assert by_layer["18 August 2020"] >= {"Kati", "Bamako"} and "Kati" in by_layer["21 March 2012"]
    assert article.dateline.date.isoformat() == "2020-08-18"


def test_default_title_is_the_main_incident_not_the_first_line():
    article = mali_map.process_article(EXAMPLE.read_text(encoding="utf-8"))
    # the dateline's date (18 August 2020), its first incident (the mutiny) and where it happened
    assert article.title == "Mutiny in Kati, 18 August 2020"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # no dateline: the first placed incident, dated at the precision the text gives
        ("On 3 May 2019 gunmen attacked a convoy near Gao.", "Attack in Gao, 3 May 2019"),
        # the news (on the dateline's date) wins over an older event told first
        (
            "date 2021-02-10\nIn 2015 soldiers clashed with rebels in Kidal. "
            "On Wednesday a bomb exploded in Mopti, killing two.",
            "Explosion in Mopti, 10 February 2021",
        ),
        # a region is named in the report's own words
        (
            "date 2012-01-20\nArmed groups attacked towns in the north on Friday.",
            "Attack in the north, 20 January 2012",
        ),
        # no incident at all: the first line, without its dateline
        ("date 2020-08-18\nA quiet day in Bamako.\nNothing happened.", "A quiet day in Bamako."),
    ],
)
def test_default_title_follows_what_the_report_says(text, title):
    assert mali_map.process_article(text).title == title


def test_article_title_option(tmp_path, capsys):
    code = main(["article", str(EXAMPLE), "-o", str(tmp_path), "--title", "Kati <again>", "--json"])
    assert code == 3
    assert json.loads(capsys.readouterr().out)["title"] == "Kati <again>"
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Kati &lt;again&gt;\n")
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<title>Kati &lt;again&gt;</title>" in page and "Kati <again>" not in page
    main(["article", str(EXAMPLE), "-o", str(tmp_path / "default"), "--json"])
    assert json.loads(capsys.readouterr().out)["title"] == "Mutiny in Kati, 18 August 2020"
    assert "<title>Mutiny in Kati, 18 August 2020</title>" in (tmp_path / "default" / "map.html").read_text("utf-8")


def test_the_summary_counts_read_as_english(tmp_path, capsys):
    path = tmp_path / "one.txt"
    path.write_text(
        "Soldiers attacked a post in Kati on 3 May 2021. Kati is about 18 km from Bamako.\n", encoding="utf-8"
    )
    main(["article", str(path), "-o", str(tmp_path / "o")])
    summary = capsys.readouterr()
    text = summary.out + summary.err
    assert ", 1 claim" in text and "1 claims" not in text


def test_an_output_that_is_a_file_is_one_line(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("", encoding="utf-8")
    assert main(["article", str(EXAMPLE), "-o", str(taken)]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "Errno" not in err and err.count("\n") == 1
