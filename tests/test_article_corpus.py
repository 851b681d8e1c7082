"""Every real report goes through (issue 15): all of LGL and GeoWebNews, through
``process_article`` and the map, and a sample of 50 through the ``article`` command.

Nobody here wrote these texts: local US news, world news, feature stories, outbreak
and flood reports, many with no dated incident at all. None may be refused; each map
renders to HTML, and each output of the command parses. Slow (about a minute and a
half for the 788 articles on a quiet two-core machine), but it runs in CI.
"""

from __future__ import annotations

import json
import random
import re

import pytest

from mali_map import process_article
from mali_map.cli import main
from mali_map.render import map_html
from tests.corpus_support import CORPORA, articles

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_article_goes_through_process_article_and_the_map(corpus, gazetteer):
    texts = articles(corpus)
    refused, undated_without_note = [], []
    for index, text in enumerate(texts):
        try:
            article = process_article(text, gazetteer=gazetteer, country="")
            page = map_html(article.map())
        except Exception as error:  # noqa: BLE001 - the test lists every refusal, not the first
            refused.append(f"{corpus} {index}: {type(error).__name__}: {error}")
            continue
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"), (corpus, index)
        dated = any(i.date is not None and i.place is not None for i in article.incidents)
        if not dated and "mm-note" not in page:
            undated_without_note.append(index)
    assert not refused, f"{len(refused)} of {len(texts)} refused:\n" + "\n".join(refused[:20])
    assert not undated_without_note, f"maps without a dated incident and without a note: {undated_without_note[:20]}"


def test_a_sample_of_50_through_the_article_command(tmp_path, capsys):
    everything = [(corpus, index, text) for corpus in CORPORA for index, text in enumerate(articles(corpus))]
    sample = random.Random(15).sample(everything, 50)
    for corpus, index, text in sample:
        source = tmp_path / f"{corpus}-{index}.txt"
        source.write_text(text, encoding="utf-8")
        out = tmp_path / f"{corpus}-{index}"
        code = main(["article", str(source), "-o", str(out), "--json"])
        captured = capsys.readouterr()
        assert code in (0, 1, 3), (corpus, index, captured.err)
        assert "Traceback" not in captured.err + captured.out, (corpus, index)
        summary = json.loads(captured.out)
        geojson = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
        assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == summary["incidents"]
        assert isinstance(json.loads((out / "claims.json").read_text(encoding="utf-8")), list)
        report = (out / "report.md").read_text(encoding="utf-8")
        assert report.startswith("# ") and "## Places" in report and "## Timeline" in report
        page = (out / "map.html").read_text(encoding="utf-8")
        assert re.search(r"<title>[^<]*</title>", page) and page.rstrip().endswith("</html>")
        for note in summary["notes"]:  # why the map has no time slider (or no incident) is said, in both
            assert note in report.replace("\\", "")
