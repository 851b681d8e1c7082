"""Incidents from report sentences: category, date, place, precision, offsets (texts written for these tests)."""

from __future__ import annotations

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
