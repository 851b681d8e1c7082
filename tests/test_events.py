"""Incidents from report sentences: category, date, place, precision, offsets (texts written for these tests)."""

from __future__ import annotations

import re

import pytest

from mali_map.article import process_article
from mali_map.geoparse.events import category_of


@pytest.fixture(scope="module")
def gazetteer():
    from mali_map.gazetteer import Gazetteer

    return Gazetteer(include_saved=False)


def incidents(text, gazetteer):
    return process_article(text, gazetteer=gazetteer).incidents


@pytest.mark.parametrize(
    "sentence, category",
    [
        ("Troops mutinied in the barracks.", "mutiny"),
        ("Police arrested three traders.", "arrest"),
        ("Gunmen attacked a convoy.", "attack"),
        ("Rival militias clashed at the well.", "clash"),
        ("Students protested outside the ministry.", "protest"),
        ("Aid workers were evacuated by air.", "evacuation"),
        ("The army staged a coup after officers were arrested.", "coup"),
        ("Two herders were killed.", "killing"),
        ("An IED struck a patrol.", "explosion"),
        ("Officials left their offices as word of the mutiny spread.", "evacuation"),
        ("The weather was mild.", None),
    ],
)
def test_categories(sentence, category):
    assert category_of(sentence) == category


def test_record_fields_and_offsets(gazetteer):
    text = "date 2021-05-04\nGunmen attacked a market in Douentza on Monday."
    (incident,) = incidents(text, gazetteer)
    assert incident.category == "attack" and incident.place.name == "Douentza"
    assert incident.date.iso == "2021-05-03" and incident.precision == 1
    assert text[incident.start : incident.end] == "Gunmen attacked a market in Douentza on Monday."
    assert incident.description == "Gunmen attacked a market in Douentza on Monday."


def test_precision_near_a_town_and_in_a_region(gazetteer):
    text = "date 2021-05-04\nA convoy was ambushed near Gao. Separately, protests spread across the Mopti region."
    near, region = incidents(text, gazetteer)
    assert (near.place.name, near.precision) == ("Gao", 2)
    assert region.precision == 3


def test_most_specific_place_wins(gazetteer):
    text = "date 2021-05-04\nIn Mali, soldiers arrested a mayor in Bourem."
    (incident,) = incidents(text, gazetteer)
    assert incident.place.name == "Bourem"


def test_a_look_back_keeps_its_own_date_and_layer(gazetteer):
    text = (
        "date 2020-08-18\nSoldiers mutinied in Kati on Tuesday.\n\n"
        "On 21 March 2012 a mutiny at the same camp in Kati became a coup. "
        "Rebels had attacked towns in the north the year before.\n\n"
        "Later that day troops patrolled Bamako."
    )
    found = incidents(text, gazetteer)
    assert [(i.date.iso, i.layer) for i in found] == [
        ("2020-08-18", "18 August 2020"),
        ("2012-03-21", "21 March 2012"),
        ("2011", "2011"),
        ("2020-08-18", "18 August 2020"),
    ]
    assert found[2].place.country_code == "ML" and found[2].precision == 3


def test_the_dateline_town_is_not_the_event_place(gazetteer):
    text = "GAO, May 4 (Wire) - Gunmen attacked a bus near Ansongo. In 2021 roads were bad."
    (incident, *_) = incidents(text, gazetteer)
    assert incident.place.name == "Ansongo" and incident.date.iso == "2021-05-04"
    assert incident.description == "Gunmen attacked a bus near Ansongo." == text[incident.start : incident.end]


def test_french_report(gazetteer):
    text = "Le 21 mars 2012, des soldats se sont mutinés à Kati. Des hommes armés ont attaqué un poste près de Gao."
    mutiny, attack = incidents(text, gazetteer)
    assert (mutiny.category, mutiny.place.name, mutiny.date.iso) == ("mutiny", "Kati", "2012-03-21")
    assert (attack.category, attack.place.name, attack.precision) == ("attack", "Gao", 2)


def test_one_event_told_in_many_sentences_is_one_incident(gazetteer):
    text = (
        "date 2016-02-18\nA car bomb exploded near a bus carrying soldiers in Ankara on Wednesday. "
        "The blast killed 28 people. Officials said the bomb had been packed with explosives. "
        "Turkish jets later attacked positions in Iraq."
    )
    found = incidents(text, gazetteer)
    assert [(i.category, i.place.name) for i in found][0] == ("explosion", "Ankara")
    assert found[0].told == 3 and len([i for i in found if i.place.name == "Ankara"]) == 1


def test_a_birth_date_is_no_event_date(gazetteer):
    text = "date 2018-03-30\nSergeant Tonroe, born in 1984, was killed by a bomb in Manbij."
    (incident,) = incidents(text, gazetteer)
    assert incident.date.iso == "2018-03-30"


def test_a_week_earlier_counts_from_the_date_spoken_of(gazetteer):
    text = "date 2021-05-20\nOn 10 May 2021 gunmen attacked Douentza. A week earlier, protesters marched in Mopti."
    attack, protest = incidents(text, gazetteer)
    assert (attack.date.iso, protest.date.iso) == ("2021-05-10", "2021-05-03")


@pytest.mark.parametrize(
    "sentence, category",
    [
        ("Floods swept through the valley.", "flood"),
        ("A cholera outbreak has spread.", "outbreak"),
        ("An earthquake struck the coast.", "earthquake"),
        ("Thousands were displaced by the fighting.", "displacement"),
        ("He threatened to bomb the dam.", None),
        ("He was indicted on charges of first-degree murder.", None),
        ("They urged anyone with a warrant for their arrest to call.", None),
    ],
)
def test_more_categories_and_what_is_no_event(sentence, category):
    assert category_of(sentence) == category


def test_a_hard_line_break_does_not_cut_a_description(gazetteer):
    text = "date 2021-05-04\nGunmen attacked a market in Douentza on Monday and burned several\nshops to the ground."
    (incident,) = incidents(text, gazetteer)
    assert incident.description.endswith("burned several shops to the ground.")


def test_the_title_names_the_place_not_a_demonym(gazetteer):
    from mali_map.article import process_article as read

    article = read(
        "date 2016-02-18\nTurkish officials said a bomb exploded in Ankara on Wednesday.", gazetteer=gazetteer
    )
    assert article.title == "Explosion in Ankara, 17 February 2016"


@pytest.mark.parametrize(
    "sentence, category",
    [
        ("ÉPIDÉMIE DE CHOLÉRA À GAO.", "outbreak"),  # upper-case accents: the case-blind pattern's match
        ("A ſhooting in Gao.", "attack"),  # long s matches "s" case-blind, though it lowers to itself
        ("Two were kılled.", "killing"),  # so does dotless i
        ("THE İED WENT OFF.", None),  # "IED" is matched by case; "İ" lowers to two characters
        ("A Blizzard Inc. truck.", None),  # "blizzard" counts in lower case only
        ("Rain fell all day.", None),
    ],
)
def test_the_quick_test_for_an_event_word_misses_none(sentence, category):
    """:func:`category_of` skips the patterns when a quick lower-case test finds no event word;
    letters whose case-blind match lowering does not give still reach the patterns."""
    assert category_of(sentence) == category


def test_the_quick_test_for_an_event_word_agrees_on_real_news(monkeypatch):
    from mali_map.claims.extract import sentence_spans
    from mali_map.geoparse import events
    from tests.corpus_support import articles

    texts = [text for corpus in ("lgl", "gwn") for text in articles(corpus)[:120]]
    sentences = [
        text[a:b] for text in texts for a, b in events._clauses(text, events._flowing(text, sentence_spans(text)))
    ]
    quick = [category_of(s) for s in sentences]
    monkeypatch.setattr(events, "_ANY_EVENT_WORD", re.compile(""))  # every sentence to the patterns
    assert quick == [category_of(s) for s in sentences]
    assert sum(c is not None for c in quick) > 50
