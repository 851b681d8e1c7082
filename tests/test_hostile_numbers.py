"""Huge, garbled and impossible numbers are refused or left "not checked", never read as a wrong value.

Before: a 400-digit distance gave OverflowError tracebacks, "1e+400 km" was read as 400 km, an offset of
10^14 km gave a point, "nan, nan" was the town of Nan and a negative latitude was taken for an option.
"""

from __future__ import annotations

import json

import pytest

import mali_map
from mali_map.claims import extract_claims
from mali_map.claims.numbers import read_number
from mali_map.cli import main
from mali_map.errors import BadInput

HUGE = "9" * 400


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("number", [HUGE, "1e400", "1e+400", "1.5e30", "99999999999999"])
def test_impossible_distance_in_a_claim_is_not_checked(capsys, number):
    code, out, err = run(capsys, "check", "--json", f"Kati is {number} km from Bamako")
    assert code == 3, err
    result = json.loads(out)
    assert result["verdict"] == "unresolved"
    assert result["explanation"].startswith("Not checked:")
    assert result["value"] is None or result["value"] > 20_000  # never "about 400 km" from the exponent


def test_exponent_is_read_not_dropped():
    assert read_number("1e+400").value == float("inf")
    assert read_number("2.5e1").value == 25.0
    (claim,) = extract_claims("Kati is 1e+400 km from Bamako")
    assert claim.problem and "too large" in claim.problem


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "--from", "Kati", "--to", "Bamako", "--less-than", f"{HUGE} km"),
        ("geocode", "--json", f"{HUGE} km west of Gao"),
        ("geocode", f"{HUGE} km west of Gao"),
        ("geocode", "Gao 99999999999999km W"),
        ("geocode", "30000 km west of Gao"),
        ("geocode", ""),
        ("geocode", "   "),
        ("distance", f"{HUGE}, 0", "Gao"),
        ("distance", "nan, nan", "Gao"),
        ("distance", "inf, 0", "Gao"),
        ("distance", "1e308, 0", "Gao"),
        ("distance", "Gao", "12.6, -1e400"),
        ("geocode", "nan, nan"),
        ("geocode", "1e308, 0"),
        ("geocode", "95, 10"),
        ("geocode", "--json", "12.6, -181"),
    ],
)
def test_impossible_direct_arguments_exit_2_in_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_map_claim_with_huge_number_writes_the_map(capsys, tmp_path):
    out_html = tmp_path / "m.html"
    code, _, err = run(
        capsys, "map", "examples/kati-incidents.csv", "-o", str(out_html), "--claim", f"Kati is {HUGE} km from Bamako"
    )
    assert code == 0, err
    assert out_html.stat().st_size > 0
    assert HUGE not in err  # the claim is echoed shortened


def test_negative_latitude_first_is_a_coordinate(capsys):
    code, out, err = run(capsys, "distance", "-12.6,-8", "Gao", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["from"]["lat"], result["from"]["lon"]) == (-12.6, -8.0)
    code, out, err = run(capsys, "distance", "Gao", "-12.6, -8", "--unit", "mi", "--json")
    assert code == 0, err
    assert json.loads(out)["to"]["lat"] == -12.6


def test_geocode_answers_a_coordinate_pair_as_coordinates(capsys):
    """`geocode "-12.6,-8"` said "not found" though `distance` takes the same text as a point."""
    code, out, err = run(capsys, "geocode", "-12.6,-8", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["lat"], result["lon"], result["feature"], result["status"]) == (-12.6, -8.0, "coordinates", "ok")
    code, out, err = run(capsys, "geocode", "12.5, -8", "Kati")
    assert (
        code == 0 and out.splitlines()[0] == "12.5, -8: 12.50000, -8.00000  coordinates (read as latitude, longitude)"
    )
    assert mali_map.geocode("-12.6,-8").point == (-12.6, -8.0)
    assert [p and p.feature for p in mali_map.geocode_many(["-12.6,-8", "95, 10", "Kati"])] == [
        "coordinates",
        None,
        "city",
    ]


def test_an_impossible_pair_in_a_file_is_not_found_with_the_reason(capsys, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("95, 10\n12.5, -8\n")
    code, out, err = run(capsys, "geocode", "--file", str(queries))
    assert code == 3 and "latitude 95.0 is outside -90..90" in err
    assert out.splitlines() == [
        "95, 10: not found",
        "12.5, -8: 12.50000, -8.00000  coordinates (read as latitude, longitude)",
    ]


def test_api_refuses_the_same_numbers():
    for pair in ("nan, nan", "inf, 0", "1e308, 0"):
        with pytest.raises(BadInput):
            mali_map.distance(pair, "Gao")
    with pytest.raises(BadInput):
        mali_map.geocode("Gao 99999999999999km W")
    with pytest.raises(BadInput):
        mali_map.geocode("nan, nan")
    assert mali_map.geocode("50 km west of Gao").lat == pytest.approx(16.27, abs=0.05)


def test_refused_query_in_a_file_says_why(capsys, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("Kati\nGao 99999999999999km W\n")
    code, out, err = run(capsys, "geocode", "--file", str(queries))
    assert code == 3
    assert "farther than any two places" in err
    assert out.splitlines()[0].startswith("Kati: Kati")


def test_map_with_absurd_counts_and_offsets_in_rows(capsys, tmp_path):
    source = tmp_path / "h.csv"
    source.write_text(
        "event_id_cnty,event_date,event_type,location,latitude,longitude,fatalities,geo_precision\n"
        "1,2020-01-01,Battles,Kati,12.7,-8.0,1e400,1e400\n"
        "2,2020-01-01,Battles,Kati,12.7,-8.0,99999999999999999999999,3\n"
        "3,2020-01-01,Battles,Gao 99999999km W,,,1,3\n"
    )
    code, out, err = run(capsys, "map", str(source), "-o", str(tmp_path / "m.html"), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["incidents"], summary["rejected"]) == (2, 1)
    rejects = (tmp_path / "m.rejects.csv").read_text()
    assert "99,999,999 km is farther than any two places" in rejects  # not "was not found"
    assert "unreadable fatalities" in err


def test_long_grouped_numbers_are_read_and_flagged():
    (claim,) = extract_claims("Kati is 1,000,000,000,000,000,000 km from Bamako")
    assert claim.value == 1e18 and "farther than any two places" in claim.problem
