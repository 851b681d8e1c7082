"""Dates in reports: datelines, explicit dates, weekdays and relative phrases (texts written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from mali_map.geoparse.dates import dateline, find_dates

ANCHOR = dt.date(2020, 8, 18)  # a Tuesday


def dates(text, anchor=ANCHOR):
    return [(d.text, d.iso) for d in find_dates(text, anchor)]


def test_dateline_first_line():
    line = dateline("date 2020-08-18 Soldiers took over the camp.")
    assert line.date == ANCHOR and line.text == "2020-08-18"


def test_wire_dateline_takes_the_year_of_the_text():
    line = dateline("SEGOU, Aug 18 (Sahel Wire) - The market closed early. Traders recalled 2020 as hard.")
    assert line.date == ANCHOR and line.text == "Aug 18"
    assert dateline("SEGOU, Aug 18 (Sahel Wire) - No year anywhere here.") is None
    assert dateline("Herders moved south after the rains.") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On March 21 2012 the garrison rose.", [("March 21 2012", "2012-03-21")]),
        ("The garrison rose on 21 March 2012.", [("21 March 2012", "2012-03-21")]),
        ("It began on March 21, 2012, at dawn.", [("March 21, 2012", "2012-03-21")]),
        ("By Aug. 18 the roads were shut.", [("Aug. 18", "2020-08-18")]),
        ("Talks failed in March 2012.", [("in March 2012", "2012-03")]),
        ("The 2012 crisis was different.", [("2012", "2012")]),
    ],
)
def test_explicit_dates(text, expected):
    assert dates(text) == expected


def test_a_day_without_year_after_the_dateline_belongs_to_the_year_before():
    assert dates("Fighting began on Dec. 30.") == [("Dec. 30", "2019-12-30")]


def test_weekdays_are_the_last_such_day_up_to_the_dateline():
    assert dates("Shots rang out on Tuesday and again on Sunday.") == [
        ("on Tuesday", "2020-08-18"),
        ("on Sunday", "2020-08-16"),
    ]


def test_relative_phrases():
    assert dates("Yesterday the mayor spoke; last year floods came; this year was calm.") == [
        ("Yesterday", "2020-08-17"),
        ("last year", "2019"),
        ("this year", "2020"),
    ]


def test_the_year_before_counts_from_the_date_spoken_of():
    got = dates("In 2012 soldiers staged a coup. Attacks in the north the year before had killed dozens.")
    assert got == [("2012", "2012"), ("the year before", "2011")]


def test_relative_dates_need_an_anchor():
    assert dates("Shots rang out on Tuesday.", anchor=None) == []


def test_numbers_that_are_not_years():
    assert dates("About 2012 km of road and 1999 soldiers.") == []
