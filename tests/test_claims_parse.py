"""Parsing distance claims: the sentence table, each language form, numbers, and arbitrary text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from claims_table import ROWS
from mali_map.claims import Claim, extract_claims
from mali_map.claims.numbers import read_number, step_of_integer
from mali_map.errors import BadInput


def _the_claim(row):
    claims = extract_claims(row.sentence)
    assert claims, f"no claim read in {row.sentence!r}"
    matching = [c for c in claims if c.anchor_mention == row.anchor]
    return (matching or claims)[-1]


@pytest.mark.parametrize("row", [r for r in ROWS if r.anchor], ids=lambda r: r.sentence[:50])
def test_table_parse(row):
    claim = _the_claim(row)
    assert (claim.comparator, claim.value, claim.unit, claim.direction, claim.value_hi) == (
        row.comparator,
        row.value,
        row.unit,
        row.direction,
        row.value_hi,
    ), row.reason
    assert (claim.subject_mention, claim.anchor_mention) == (row.subject, row.anchor), row.reason
    assert (claim.anchor_kind, claim.anchor_country, claim.also_stated) == (
        row.anchor_kind,
        row.anchor_country,
        row.also,
    ), row.reason


def test_table_is_big_enough_and_covers_every_verdict():
    assert len(ROWS) >= 40
    assert {r.verdict for r in ROWS} >= {"supported", "contradicted", "depends", "unresolved"}


def test_lower_case_anchor_is_not_a_claim():
    row = next(r for r in ROWS if not r.anchor)
    assert extract_claims(row.sentence) == []


def test_text_without_claim_gives_nothing():
    assert extract_claims("The weather in Bamako was hot on Tuesday.") == []
    assert extract_claims("") == []


def test_non_text_is_bad_input():
    with pytest.raises(BadInput):
        extract_claims(12)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "phrase, comparator, tight",
    [
        ("less than", "<", False),
        ("under", "<", False),
        ("within", "<=", False),
        ("no more than", "<=", False),
        ("up to", "<=", False),
        ("nearly", "<=", True),
        ("almost", "<=", True),
        ("more than", ">", False),
        ("over", ">", False),
        ("at least", ">=", False),
        ("beyond", ">", False),
        ("about", "~", False),
        ("around", "~", False),
        ("roughly", "~", False),
        ("some", "~", False),
        ("approximately", "~", False),
        ("close to", "~", False),
        ("just over", ">", True),
    ],
)
def test_english_comparators(phrase, comparator, tight):
    claim = extract_claims(f"Kati is {phrase} 12 km from Bamako.")[0]
    assert (claim.comparator, claim.tight, claim.value) == (comparator, tight, 12.0)


@pytest.mark.parametrize(
    "text, comparator, value",
    [
        ("Kati est à moins de 15 km de Bamako.", "<", 15.0),
        ("Kati est à plus de 15 km de Bamako.", ">", 15.0),
        ("Kati est à environ 15 km de Bamako.", "~", 15.0),
        ("Kati est à une quinzaine de kilomètres de Bamako.", "~", 15.0),
        ("Kati est à au moins 15 km de Bamako.", ">=", 15.0),
        ("Kati est à 15 km de Bamako.", "~", 15.0),
    ],
)
def test_french_comparators(text, comparator, value):
    claim = extract_claims(text)[0]
    assert (claim.comparator, claim.value, claim.anchor_mention) == (comparator, value, "Bamako")


def test_bare_distance_is_approximate():
    assert extract_claims("Kati, 18 km from Bamako, was calm.")[0].comparator == "~"


@pytest.mark.parametrize(
    "words, unit",
    [
        ("500 m", "m"),
        ("500 metres", "m"),
        ("500 meters", "m"),
        ("12 km", "km"),
        ("12 kilometres", "km"),
        ("12 kilometers", "km"),
        ("12 mi", "mi"),
        ("12 miles", "mi"),
        ("12 nautical miles", "nmi"),
        ("12km", "km"),
        ("a 12-mile", "mi"),
        ("12 kilomètres", "km"),
    ],
)
def test_units(words, unit):
    claim = extract_claims(f"Kati is {words} from Bamako.")[0]
    assert claim.unit == unit


@pytest.mark.parametrize(
    "number, value",
    [
        ("1,200", 1200.0),
        ("12.5", 12.5),
        ("ten", 10.0),
        ("twenty-five", 25.0),
        ("a dozen", 12.0),
        ("a hundred", 100.0),
        ("two hundred and fifty", 250.0),
        ("1 200", 1200.0),
        ("quinze", 15.0),
    ],
)
def test_number_forms_in_claims(number, value):
    assert extract_claims(f"Gao is {number} km from Bamako.")[0].value == value


@pytest.mark.parametrize(
    "text, value, hi, step",
    [
        ("1,200", 1200, None, 100),
        ("2.5", 2.5, None, 0.1),
        ("17", 17, None, 1),
        ("15", 15, None, 5),
        ("a few", 2, 5, 1),
        ("several", 3, 9, 1),
        ("une quinzaine de", 15, None, 5),
        ("dozens of", 24, 99, 1),
        ("half a", 0.5, None, 0.5),
        ("quatre-vingts", 80, None, 10),
        ("-4", -4, None, 1),
        ("1,5", 1.5, None, 0.1),
    ],
)
def test_read_number(text, value, hi, step):
    amount = read_number(text)
    assert (amount.value, amount.value_hi, amount.step) == (value, hi, step)


def test_read_number_refuses_words_that_are_not_numbers():
    assert read_number("tomato") is None
    assert read_number("") is None


@pytest.mark.parametrize("value, step", [(17, 1), (15, 5), (20, 10), (250, 50), (1200, 100), (1000, 1000)])
def test_step_of_integer(value, step):
    assert step_of_integer(value) == step


def test_conversion_in_brackets_is_noted_not_checked():
    claim = extract_claims("Kati lies 18 kilometres (11 miles) from Bamako.")[0]
    assert (claim.value, claim.unit, claim.also_stated) == (18.0, "km", "11 miles")


@pytest.mark.parametrize(
    "words, letters",
    [
        ("north of", "N"),
        ("north-east of", "NE"),
        ("northeast of", "NE"),
        ("NE of", "NE"),
        ("NNE of", "NNE"),
        ("to the north of", "N"),
        ("north-north-west of", "NNW"),
        ("au nord-ouest de", "NW"),
    ],
)
def test_directions(words, letters):
    claim = extract_claims(f"Kati lies 18 km {words} Bamako.")[0]
    assert claim.direction == letters


def test_direction_only_claim():
    claim = extract_claims("Kidal lies north-east of Gao.")[0]
    assert (claim.comparator, claim.value, claim.direction, claim.subject_mention) == (None, None, "NE", "Kidal")
    assert claim.is_direction_only


def test_in_the_north_of_is_not_a_direction_claim():
    assert extract_claims("Kidal is in the north of Mali.") == []


@pytest.mark.parametrize(
    "text, country",
    [
        ("Kati is 18 km from the capital.", None),
        ("Kati is 18 km from the Malian capital.", "Malian"),
        ("Kati is 18 km from the capital of Mali.", "Mali"),
        ("Kati is 18 km from Mali's capital.", "Mali"),
        ("Kati est à 18 km de la capitale malienne.", "malienne"),
        ("Kati est à 18 km de la capitale du Mali.", "Mali"),
    ],
)
def test_capital_anchors(text, country):
    claim = extract_claims(text)[0]
    assert (claim.anchor_kind, claim.anchor_country) == ("capital", country)


def test_capital_with_its_name_is_that_place():
    claim = extract_claims("Kati is 18 km from the capital, Bamako.")[0]
    assert (claim.anchor_kind, claim.anchor_mention) == ("place", "Bamako")


def test_subject_skips_times_and_sentence_words():
    claim = extract_claims("On Tuesday, Kati, a garrison town, lay about 18 km from Bamako.")[0]
    assert claim.subject_mention == "Kati"


def test_french_elided_article_is_not_a_subject():
    claim = extract_claims("L'attaque a eu lieu à 5 km d'Ansongo.")[0]
    assert (claim.subject_mention, claim.anchor_mention) == (None, "Ansongo")


@pytest.mark.parametrize(
    "text, modifier",
    [
        ("Ségou is 235 km north-east of Bamako by road.", "by road"),
        ("Douentza is a 90-mile drive from Mopti.", "drive"),
        ("Ségou est à 235 km de Bamako par la route.", "par la route"),
        ("Ségou is 235 km from Bamako.", None),
    ],
)
def test_journeys_are_noted(text, modifier):
    assert extract_claims(text)[0].modifier == modifier


def test_offsets_point_into_the_text():
    text = "Markets were busy. Kati is less than 10 miles from Bamako. Nothing else."
    claim = extract_claims(text)[0]
    assert text[claim.start : claim.end] == "Kati is less than 10 miles from Bamako."
    assert text[claim.span[0] : claim.span[1]] == "less than 10 miles from Bamako"


def test_several_claims_in_order():
    claims = extract_claims("Gao is 320 km east of Timbuktu. Kidal lies north-east of Gao.")
    assert [(c.subject_mention, c.anchor_mention) for c in claims] == [("Gao", "Timbuktu"), ("Kidal", "Gao")]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Gao is 30,000 km from Bamako.", "farther than any two places"),
        ("Gao is -5 km from Bamako.", "cannot be negative"),
        ("Gao is 15,000 miles from Bamako.", "farther than any two places"),
    ],
)
def test_absurd_values_are_flagged(text, problem):
    assert problem in extract_claims(text)[0].problem


def test_far_but_possible_values_are_not_flagged():
    assert extract_claims("Gao is 19,000 km from Bamako.")[0].problem is None


def test_claim_is_frozen():
    claim = extract_claims("Kati is 18 km from Bamako.")[0]
    with pytest.raises(AttributeError):
        claim.value = 3  # type: ignore[misc]
    assert isinstance(claim, Claim)


# --- the parser never crashes --------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "Kati",
        "Bamako",
        "is",
        "less than",
        "about",
        "10",
        "1,200",
        "-3",
        "km",
        "miles",
        "mi",
        "(9 miles)",
        "from",
        "of",
        "north-east",
        "NNE",
        "the capital",
        "Malian",
        "à moins de",
        "une quinzaine de",
        "kilomètres",
        "de",
        "between",
        "and",
        "to",
        "a few",
        ",",
        ".",
        "\n",
        "'s",
        "—",
        "à l'ouest de",
        "capital",
        "  ",
        "é",
        "0",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_crashes_on_arbitrary_text(text):
    for claim in extract_claims(text):
        assert 0 <= claim.start <= claim.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=25).map(" ".join))
def test_parser_never_crashes_on_claim_like_text(text):
    for claim in extract_claims(text):
        assert claim.comparator in (None, "<", "<=", ">", ">=", "~")
        assert claim.unit in (None, "km", "mi", "m", "nmi")
        assert claim.anchor_mention


def test_sentences_without_a_unit_skip_the_claim_patterns_and_lose_no_claim(monkeypatch):
    """A distance claim names its unit, so a sentence with no unit word skips the claim patterns:
    the claims read are the same as with every sentence put through them."""
    from mali_map.claims import extract

    texts = [row.sentence for row in ROWS]
    texts += ["Kati and Bamako are 15 km apart.", "The distance between Kati and Bamako is 18 km (11 mi)."]
    texts += ["Kidal lies north-east of Gao. Nothing was said of miles.", "It is some 900 KM from Gao."]
    quick = [extract_claims(text) for text in texts]
    monkeypatch.setattr(extract, "_UNIT_HINT", re.compile(""))  # every sentence to the patterns
    assert quick == [extract_claims(text) for text in texts]
    assert sum(map(len, quick)) >= len(texts)
