"""``article`` grows linearly with the text (issue 15): CPU time at two sizes.

Before, ``process_article`` took 12 s on 100,000 characters of repeated dated
sentences and 43 s at 200,000 (each date checked against every date found
before it). Doubling the text must not much more than double the CPU time of
the stages ``article`` adds to geoparsing (dates, incidents and their merging,
the map): a quadratic stage gives about 4x; the bound is 3x. Geoparsing itself
is measured by the geoparse benchmark. CPU time of this process
(``time.process_time``), best of two runs, so other work on a shared machine
does not count.
"""

from __future__ import annotations

import time

from mali_map.article import Article
from mali_map.claims.extract import sentence_spans
from mali_map.geoparse import Geoparser
from mali_map.geoparse.dates import dateline, find_dates
from mali_map.geoparse.events import extract_incidents
from mali_map.render import map_html

SENTENCES = (
    "On 12 March 2019 gunmen attacked a checkpoint near Gao, killing three soldiers. ",
    "Protesters marched in Bamako on Tuesday. ",
    "The army said it arrested two suspects in Mopti a week earlier. ",
    "Officials in Kidal said the road to Tessalit was closed after floods on 3 May 2019.\n\n",
    "Three days later a bomb exploded in Sévaré, and the blast killed a driver. ",
)


def report(chars: int) -> str:
    text, n = "date 2020-08-18\n\n", 0
    while len(text) < chars:
        text += SENTENCES[n % len(SENTENCES)]
        n += 1
    return text


def cpu_seconds(text: str, gazetteer) -> float:
    """CPU seconds of the article stages after geoparsing, best of two runs."""
    mentions = Geoparser(gazetteer, country="").parse(text)
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        line = dateline(text)
        dates = find_dates(text, line.date if line else None)
        incidents = extract_incidents(text, sentence_spans(text), mentions, dates, line)
        article = Article(text, mentions, dates, line, incidents, [], "ML", "Growth")
        map_html(article.map())
        best = min(best, time.process_time() - start)
    return best


def test_article_stages_grow_linearly(gazetteer):
    cpu_seconds(report(5_000), gazetteer)  # warm: imports, the outlines, the place names
    small, large = cpu_seconds(report(100_000), gazetteer), cpu_seconds(report(200_000), gazetteer)
    assert large / small < 3.0, f"{small:.2f} s at 100,000 characters, {large:.2f} s at 200,000"
