"""The calibration table: what a confidence promises, and the policies the fit keeps."""

import pytest

from mali_map.gazetteer import calibration


@pytest.mark.parametrize("group", calibration.SITUATIONS)
def test_each_step_function_rises_and_stays_within_0_and_1(group):
    steps = calibration.TABLE[group]
    starts = [lo for lo, _ in steps]
    values = [value for _, value in steps]
    assert starts[0] == 0.0 and starts == sorted(starts)
    assert values == sorted(values) and all(0.0 < v < 1.0 for v in values)
    assert calibration.calibrated(0.0, group) == values[0]
    assert calibration.calibrated(1.0, group) == values[-1]


def test_only_towns_in_a_named_or_focus_country_reach_0_9():
    """Villages (a namesake may be missing), misspellings, other regions and answers outside the focus never do."""
    for group in calibration.SITUATIONS:
        top = calibration.calibrated(1.0, group)
        assert (top >= 0.9) == (group in ("plain", "region_match")), group


def test_the_situation_of_an_answer():
    assert calibration.situation(fuzzy=True, region="match", outside_focus=False) == "fuzzy"
    assert calibration.situation(fuzzy=False, region="mismatch", outside_focus=False) == "region_mismatch"
    assert calibration.situation(fuzzy=False, region=None, outside_focus=True) == "outside_focus"
    assert (
        calibration.situation(fuzzy=False, region="match", outside_focus=False, feature="village")
        == "region_match_village"
    )
    assert calibration.situation(fuzzy=False, region=None, outside_focus=False, feature="admin1") == "area"


def test_the_default_min_confidence_sets_apart_the_answers_more_often_wrong_than_right():
    assert calibration.calibrated(1.0, "region_mismatch") < calibration.MIN_CONFIDENCE
    assert calibration.calibrated(0.99, "region_match") > calibration.MIN_CONFIDENCE


def test_the_benchmark_fit_keeps_its_policies():
    """The isotonic fit of bench_calibration: rates never fall, villages capped below 0.9."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from bench_calibration import Outcome, fit, isotonic

    blocks = isotonic([(0.2, False), (0.3, True), (0.4, False), (0.9, True), (0.95, True)])
    rates = [rights / n for _, rights, n, _ in blocks]
    assert rates == sorted(rates)
    outcomes = [Outcome("q", "XX", False, True, True, 0.0, 1.0, "plain_village") for _ in range(200)]
    assert fit(outcomes)["plain_village"][-1][1] == 0.89
    outcomes = [Outcome("q", "XX", False, True, True, 0.0, 1.0, "plain") for _ in range(200)]
    assert fit(outcomes)["plain"][-1][1] == 0.99
