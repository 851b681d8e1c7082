"""Verifying claims: the table's verdicts, the Kati-Bamako case, the rules, the extent model, batches."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from claims_table import ROWS
from mali_map.claims import ClaimChecker, check_claim, extract_claims, iter_claims
from mali_map.claims.extent import distance_range_km, km_to_outline
from mali_map.claims.records import Claim
from mali_map.claims.rules import (
    Sector,
    about_tolerance,
    accepted_km,
    judge_about,
    judge_direction,
    judge_distance,
    sector_for,
    weaker,
)
from mali_map.claims.verify import VECTOR_BATCH, distances_for
from mali_map.errors import NoClaimFound
from mali_map.geodesy import inverse
from mali_map.places import Place, radius_km_for

KATI = Place(
    "Kati", 12.74409, -8.07257, "ML", feature="city", population=130254, radius_km=radius_km_for("city", 130254)
)
BAMAKO = Place(
    "Bamako",
    12.60915,
    -7.97522,
    "ML",
    feature="capital",
    population=4227569,
    radius_km=radius_km_for("capital", 4227569),
)
INTERFACE_FIELDS = {
    "text",
    "subject",
    "anchor",
    "comparator",
    "value",
    "unit",
    "direction",
    "verdict",
    "distance_km",
    "range_km",
    "bearing_deg",
    "explanation",
}


@pytest.fixture(scope="module")
def checker(gazetteer):
    return ClaimChecker(gazetteer, country="ML")


def _claim(**fields) -> Claim:
    base = dict(text="t", subject_mention="A", anchor_mention="B", comparator="<", value=10.0, unit="km")
    base.update(fields)
    return Claim(**base)


# --- the table -----------------------------------------------------------------------------------


@pytest.mark.parametrize("row", [r for r in ROWS if r.verdict], ids=lambda r: r.sentence[:50])
def test_table_verdict(checker, row):
    claims = extract_claims(row.sentence)
    claim = ([c for c in claims if c.anchor_mention == row.anchor] or claims)[-1]
    result = checker.check(claim)
    assert result.verdict == row.verdict, f"{row.reason} | {result.explanation}"
    if row.reading:
        wording = {"edge": "only edge to edge", "centre": "only centre to centre", "between": "part-way"}
        assert wording[row.reading] in result.explanation, result.explanation


# --- the case of the issue -----------------------------------------------------------------------


def test_kati_bamako_less_than_ten_miles(gazetteer):
    result = check_claim("Kati is less than 10 miles from Bamako", gazetteer=gazetteer)
    assert result.verdict == "depends"
    assert round(result.distance_km, 2) == 18.29
    assert result.range_km[0] < 16.09 < result.range_km[1]
    assert round(result.bearing_deg) == 325
    assert "only edge to edge" in result.explanation
    assert "18.3 km (11.4 mi)" in result.explanation


def test_json_has_the_interface_fields(gazetteer):
    data = check_claim("Kati is less than 10 miles from Bamako", gazetteer=gazetteer).to_dict()
    assert INTERFACE_FIELDS <= set(data) and set(data) - INTERFACE_FIELDS == {"value_hi"}
    assert data["subject"]["mention"] == "Kati" and data["subject"]["name"] == "Kati"
    assert data["anchor"]["lat"] == 12.60915
    assert (data["comparator"], data["value"], data["unit"]) == ("<", 10.0, "mi")
    assert data["distance_km"] == 18.29 and len(data["range_km"]) == 2


def test_unresolved_json_has_null_place_and_suggestions(gazetteer):
    result = check_claim("Katti is 15 km from Bamako.", gazetteer=gazetteer)
    data = result.to_dict()
    assert result.verdict == "unresolved" and data["distance_km"] is None and data["range_km"] is None
    assert data["subject"]["name"] is None and data["subject"]["mention"] == "Katti"
    assert any(s.startswith("Kati") for s in data["subject"]["suggestions"])
    assert "Kati" in result.explanation


@pytest.mark.parametrize("text", ["Abc is less than 10 km from Bamako.", "Bko Zorglub is less than 10 km from Bamako."])
def test_a_title_case_word_is_not_an_airport_code(gazetteer, text):
    """A word "Abc" is not ABC (Albacete's airport), nor "Bko" BKO (Bamako's): short codes count only in capitals."""
    result = check_claim(text, gazetteer=gazetteer)
    assert result.verdict == "unresolved" and result.subject.place is None


def test_a_code_in_capitals_still_counts(gazetteer):
    # The code is read (Albacete's airport), but abroad at 0.41 it is a guess, not a reading: named, not used.
    result = check_claim("ABC is less than 10 km from Bamako.", gazetteer=gazetteer)
    assert result.subject.guess is not None and result.subject.guess.country_code == "ES"
    assert result.verdict == "unresolved" and "Albacete" in result.explanation


def test_text_without_claim_raises(gazetteer):
    with pytest.raises(NoClaimFound):
        check_claim("Nothing happened in Bamako today.", gazetteer=gazetteer)


def test_absurd_value_is_flagged_not_verified(gazetteer):
    result = check_claim("Kati is 40,000 km from Bamako.", gazetteer=gazetteer)
    assert result.verdict == "unresolved"
    assert result.explanation.startswith("Not checked:")
    assert round(result.distance_km, 2) == 18.29  # still measured, for the reader


def test_candidate_is_not_chosen_to_make_the_claim_true(gazetteer):
    """Burkina Faso has a Gao near Ouagadougou; which Gao is meant must not depend on the number."""
    near, far = iter_claims(
        ["Gao is about 100 km from Ouagadougou.", "Gao is about 600 km from Ouagadougou."], gazetteer=gazetteer
    )
    assert near.subject.place == far.subject.place
    assert {near.verdict, far.verdict} == {"supported", "contradicted"}
    in_mali = list(
        iter_claims(["Gao is about 100 km from Bamako.", "Gao is about 950 km from Bamako."], gazetteer=gazetteer)
    )
    assert in_mali[0].subject.place == in_mali[1].subject.place
    assert in_mali[0].subject.place.country_code == "ML"


def test_focus_country_picks_the_capital(gazetteer):
    claim = extract_claims("Koudougou is about 100 km west of the capital.")[0]
    in_burkina = ClaimChecker(gazetteer, country="BF").check(claim)
    assert in_burkina.anchor.place.name == "Ouagadougou"
    assert ClaimChecker(gazetteer, country="ML").check(claim).anchor.place.name == "Bamako"


# --- rules on numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, step, slack", [(15, 5, 2.5), (18, 1, 1.8), (10, 10, 2.5), (1200, 100, 120), (150, 50, 25), (2.5, 0.1, 0.25)]
)
def test_about_tolerance(value, step, slack):
    assert about_tolerance(value, step) == pytest.approx(slack)


@pytest.mark.parametrize(
    "fields, accepted",
    [
        (dict(comparator="<", value=10, unit="mi"), (0, 16.09344)),
        (dict(comparator=">", value=5, unit="km"), (5, math.inf)),
        (dict(comparator="~", value=15, unit="km", step=5), (12.5, 17.5)),
        (dict(comparator="~", value=10, value_hi=15, unit="km", step=5), (9.5, 15.5)),
        (dict(comparator="<=", value=430, unit="km", tight=True), (387, 430)),
        (dict(comparator=">", value=100, unit="km", tight=True), (100, 110)),
        (dict(comparator="<", value=500, unit="m"), (0, 0.5)),
        (dict(comparator="<", value=10, unit="nmi"), (0, 18.52)),
    ],
)
def test_accepted_km(fields, accepted):
    low, high = accepted_km(_claim(**fields))
    assert (low, high) == (pytest.approx(accepted[0]), pytest.approx(accepted[1]))


@pytest.mark.parametrize(
    "accepted, lo, centre, verdict, reading",
    [
        ((0, 20), 4.8, 18.3, "supported", None),
        ((0, 3), 4.8, 18.3, "contradicted", None),
        ((0, 16.09), 4.8, 18.3, "depends", "edge"),
        ((15, math.inf), 4.8, 18.3, "depends", "centre"),
        ((12.5, 17.5), 4.8, 18.3, "depends", "between"),
        ((30, math.inf), 4.8, 18.3, "contradicted", None),
    ],
)
def test_judge_distance(accepted, lo, centre, verdict, reading):
    judged = judge_distance(accepted, lo, centre, centre)
    assert (judged.verdict, judged.reading) == (verdict, reading)


@pytest.mark.parametrize(
    "accepted, lo, centre, hi, spread, verdict, reading",
    [
        # Kati-Bamako: 18.3 km centre to centre, 4.8 km edge to edge, one source each
        ((16.2, 19.8), 4.8, 18.3, 18.3, 0.0, "supported", None),  # about 18: the centres fit
        ((12.5, 17.5), 4.8, 18.3, 18.3, 0.0, "depends", "between"),  # about 15: only part-way
        ((3.75, 6.25), 4.8, 18.3, 18.3, 0.0, "depends", "edge"),  # about 5: only the edges
        ((25.0, 35.0), 4.8, 18.3, 18.3, 0.0, "contradicted", None),  # about 30: nothing fits
        ((0.0, 4.0), 4.8, 18.3, 18.3, 0.0, "contradicted", None),  # below even the edges
        # sources 3 km apart: the centres lie anywhere in 15.3..21.3 km
        ((16.2, 19.8), 1.8, 18.3, 21.3, 3.0, "depends", "source"),
        ((13.5, 22.5), 1.8, 18.3, 21.3, 3.0, "supported", None),
        ((20.0, 30.0), 1.8, 18.3, 21.3, 3.0, "depends", "source"),
    ],
)
def test_judge_about(accepted, lo, centre, hi, spread, verdict, reading):
    judged = judge_about(accepted, lo, centre, hi, spread)
    assert (judged.verdict, judged.reading) == (verdict, reading)


def test_about_is_judged_centre_to_centre_but_bounds_over_the_extents(gazetteer):
    about = check_claim("Kati is about 18 km from Bamako.", gazetteer=gazetteer)
    assert about.verdict == "supported"
    assert "Centre to centre (the usual measure between towns) 18.3 km" in about.explanation
    assert about.range_km[0] < 5 and about.range_km[1] == pytest.approx(18.29, abs=0.01)  # range_km: the extents
    bound = check_claim("Kati is less than 10 miles from Bamako.", gazetteer=gazetteer)
    assert bound.verdict == "depends" and "only edge to edge" in bound.explanation
    edges = check_claim("Kati is about 5 km from Bamako.", gazetteer=gazetteer)
    assert edges.verdict == "depends" and "only edge to edge" in edges.explanation
    assert check_claim("Kati is about 30 km from Bamako.", gazetteer=gazetteer).verdict == "contradicted"


def test_about_a_country_keeps_the_extents_rule(gazetteer):
    """No one measures "about N km from Burkina Faso" to the country's middle: the border counts."""
    result = check_claim("Sikasso is about 45 km from Burkina Faso.", gazetteer=gazetteer)
    assert "usual measure" not in result.explanation


def test_source_spread_can_make_a_claim_depend():
    judged = judge_distance((0, 19), 10.0, 18.3, 20.0)  # the sources disagree by 1.7 km
    assert (judged.verdict, judged.reading) == ("depends", "source")


@pytest.mark.parametrize("direction, half", [("N", 45), ("NE", 22.5), ("NNE", 11.25), ("north-east", 22.5)])
def test_sector_width_follows_the_word(direction, half):
    assert sector_for(direction, 100.0, 0.0).half_width_deg == half


def test_sector_widening_is_the_angle_of_the_extents():
    assert sector_for("N", 100.0, 10.0).widening_deg == pytest.approx(math.degrees(math.asin(0.1)))
    assert sector_for("N", 5.0, 10.0).widening_deg == 180.0  # overlapping places: any bearing


@pytest.mark.parametrize("bearing, verdict", [(30, "supported"), (60, "depends"), (120, "contradicted")])
def test_judge_direction(bearing, verdict):
    assert judge_direction(Sector(0.0, 45.0, 20.0), bearing).verdict == verdict


_RANK = {"contradicted": 0, "depends": 1, "supported": 2}


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 500), st.floats(0, 500), st.floats(0, 50), st.floats(0.1, 1000), st.floats(0.1, 1000))
def test_a_larger_limit_never_weakens_a_less_than_claim(lo, width, spread, n1, n2):
    centre = lo + width
    small, large = sorted((n1, n2))
    verdicts = [judge_distance((0.0, n), lo, centre, centre + spread).verdict for n in (small, large)]
    assert _RANK[verdicts[0]] <= _RANK[verdicts[1]]
    more_than = [judge_distance((n, math.inf), lo, centre, centre + spread).verdict for n in (small, large)]
    assert _RANK[more_than[0]] >= _RANK[more_than[1]]


def test_road_distance_is_said_to_be_checked_as_a_straight_line(gazetteer):
    result = check_claim("Douentza is a 90-mile drive from Mopti.", gazetteer=gazetteer)
    assert "checked as the straight line" in result.explanation


def test_weaker():
    assert weaker("supported", "depends") == "depends"
    assert weaker("depends", "unresolved") == "unresolved"
    assert weaker("contradicted", "unresolved") == "contradicted"
    assert weaker("supported", "supported") == "supported"


# --- the extent model ----------------------------------------------------------------------------


def test_range_is_edge_to_edge_up_to_centre():
    centre, _ = inverse(BAMAKO.point, KATI.point)
    lo, hi = distance_range_km(KATI, BAMAKO, centre)
    assert lo == pytest.approx(centre - KATI.radius_km - BAMAKO.radius_km)
    assert hi == pytest.approx(centre)


def test_source_spread_widens_both_ends():
    spread = KATI.with_(spread_km=2.0)
    centre, _ = inverse(BAMAKO.point, KATI.point)
    lo, hi = distance_range_km(spread, BAMAKO, centre)
    assert lo == pytest.approx(centre - KATI.radius_km - 2.0 - BAMAKO.radius_km)
    assert hi == pytest.approx(centre + 2.0)


def test_overlapping_places_start_at_zero():
    near = KATI.with_(lat=12.62, lon=-7.98)
    centre, _ = inverse(BAMAKO.point, near.point)
    assert distance_range_km(near, BAMAKO, centre)[0] == 0.0


def test_country_outline_is_measured_to_the_border():
    assert km_to_outline(BAMAKO.point, "ML") == 0.0
    niamey = (13.51366, 2.1098)  # about 150-250 km from Mali's border, 700+ km from its centre point
    assert 100 < km_to_outline(niamey, "ML") < 300


def test_country_anchor_uses_its_outline(gazetteer):
    result = check_claim("Niamey lies less than 300 km from Mali.", gazetteer=gazetteer)
    assert result.anchor.place.feature == "country"
    assert 100 < result.range_km[0] < 300 < result.distance_km
    assert result.verdict == "depends"


_PIECES = st.sampled_from(
    [
        "Kati",
        "Bamako",
        "Gao",
        "Katti",
        "Zzq",
        "Malian",
        "is",
        "less than",
        "about",
        "nearly",
        "10",
        "1,200",
        "-3",
        "30,000",
        "km",
        "miles",
        "(9 miles)",
        "from",
        "of",
        "north-east",
        "NNE",
        "west",
        "the capital",
        "la capitale",
        "à moins de",
        "de",
        "between",
        "and",
        "a few",
        ",",
        ".",
        "Mali",
        "lies",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_PIECES, max_size=16).map(" ".join))
def test_checking_never_crashes_on_claim_like_text(gazetteer, text):
    for result in iter_claims([text], gazetteer=gazetteer):
        assert result.verdict in ("supported", "contradicted", "depends", "unresolved")
        assert result.explanation.endswith(".")
        if result.range_km is not None:
            assert 0 <= result.range_km[0] <= result.range_km[1]


# --- batches ---------------------------------------------------------------------------------------


def test_distances_for_matches_single_geodesics():
    places = [KATI, BAMAKO, KATI.with_(lat=16.27, lon=-0.04)]
    subjects = [places[i % 3] for i in range(30)]
    anchors = [places[(i * 7 + 1) % 3] for i in range(30)]
    km, bearing = distances_for(subjects, anchors)
    for s, a, k, b in zip(subjects, anchors, km, bearing):
        expected_km, expected_bearing = inverse(a.point, s.point)
        assert k == pytest.approx(expected_km, abs=1e-6)
        if expected_km > 0:
            assert b == pytest.approx(expected_bearing, abs=1e-6)


def test_large_batch_agrees_with_one_by_one(gazetteer):
    sentences = [r.sentence for r in ROWS if r.verdict]
    one_by_one = list(iter_claims(sentences, gazetteer=gazetteer))
    repeats = VECTOR_BATCH // len(one_by_one) + 1
    batch = list(iter_claims(sentences * repeats, gazetteer=gazetteer))
    assert len(batch) >= VECTOR_BATCH
    for single, many in zip(one_by_one * repeats, batch):
        assert (single.verdict, single.explanation) == (many.verdict, many.explanation)
        if single.distance_km is not None:
            assert many.distance_km == pytest.approx(single.distance_km, abs=1e-6)


def test_check_claims_accepts_parsed_claims(gazetteer):
    claims = extract_claims("Kidal lies north-east of Gao. Kidal lies south of Gao.")
    assert [r.verdict for r in iter_claims(claims, gazetteer=gazetteer)] == ["supported", "contradicted"]
