"""Page-long place mentions are never resolved word by word into a confident wrong place.

Before: `check --from Kati --to "<Abc repeated 25,000 times>" --less-than "5 km"` took 69 s (one
gazetteer query per word) and answered "contradicted", the anchor being Albacete (airport code ABC);
the whole mention was echoed in the explanation.
"""

from __future__ import annotations

import json
import time

import pytest

from mali_map.cli import main

PAGE = "Abc " * 25_000


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("role", ["--from", "--to"])
def test_a_page_long_mention_is_unresolved_quickly_and_not_echoed(capsys, role):
    other = "--to" if role == "--from" else "--from"
    started = time.monotonic()
    code, out, err = run(
        capsys, "check", role, PAGE, other, "Bamako" if other == "--to" else "Kati", "--less-than", "5 km", "--json"
    )
    assert time.monotonic() - started < 5
    result = json.loads(out)
    assert code == 3 and result["verdict"] == "unresolved"
    assert len(result["explanation"]) < 300


def test_a_long_mention_still_falls_back_to_its_first_words(capsys):
    code, out, _ = run(
        capsys, "check", "--from", "Kati", "--to", "Bamako Abc Abc Abc Abc Abc Abc", "--less-than", "50 km", "--json"
    )
    assert json.loads(out)["anchor"]["name"] == "Bamako"
