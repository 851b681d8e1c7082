"""Calibrated mention confidence: the fitting, the map, and that the geoparser reports it."""

from __future__ import annotations

import random

import pytest

from mali_map.geoparse import Geoparser
from mali_map.geoparse.calibration import STEPS, calibrated, fit_steps


def test_fitted_steps_recover_known_rates_and_never_decrease():
    rng = random.Random(8)
    # right at rate 0.3 below a raw score of 0.5, 0.8 above it, with noise in between
    judged = [(raw, rng.random() < (0.3 if raw < 0.5 else 0.8)) for raw in (rng.random() for _ in range(4000))]
    steps = fit_steps(judged)
    rates = [rate for _, rate in steps]
    assert rates == sorted(rates)
    assert steps[0][0] == 0.0
    low = [rate for start, rate in steps if start < 0.45]
    high = [rate for start, rate in steps if start >= 0.5]
    assert all(abs(rate - 0.3) < 0.1 for rate in low) and all(abs(rate - 0.8) < 0.1 for rate in high)


def test_a_decreasing_pair_is_pooled():
    judged = [(0.2, True)] * 40 + [(0.2, False)] * 10 + [(0.9, True)] * 20 + [(0.9, False)] * 30
    assert fit_steps(judged) == ((0.0, 0.6),)


def test_the_map_is_a_non_decreasing_probability():
    values = [calibrated(k / 100) for k in range(101)]
    assert values == sorted(values) and all(0.0 <= v <= 1.0 for v in values)
    assert [start for start, _ in STEPS] == sorted(start for start, _ in STEPS)


@pytest.fixture(scope="module")
def gazetteer():
    from mali_map.gazetteer import Gazetteer

    return Gazetteer(include_saved=False)


def test_the_geoparser_reports_calibrated_confidence_for_answers_only(gazetteer):
    text = "Troops left Gao for Ansongo. Crews closed Okapi Drive after a fire in Brambledown."
    raw = Geoparser(gazetteer, country="ML", calibrate=False).parse(text)
    reported = Geoparser(gazetteer, country="ML").parse(text)
    assert [m.text for m in raw] == [m.text for m in reported]
    assert any(m.place is None for m in raw) and any(m.place is not None for m in raw)
    for before, after in zip(raw, reported):
        if before.place is None:
            assert after.confidence == before.confidence
        else:
            assert after.confidence == round(calibrated(before.confidence), 3)
