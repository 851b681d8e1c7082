"""A stray quote or a huge cell never makes rows vanish: the bad line is reported, the others are kept.

Before: one unbalanced quote in row 2 of 1,000 mapped "2 incidents ... no rows rejected" (998 rows
swallowed into one cell), and one cell over 128 KB failed the whole file.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, strategies as st

from mali_map.cli import main
from mali_map.csvrecords import csv_records, text_lines
from mali_map.gazetteer.formats import read_places
from mali_map.incidents import load_incidents_with_rejects as _load


def load_incidents_with_rejects(path):
    loaded = _load(path)
    return loaded.incidents, loaded.rejects


HEADER = "event_id_cnty,event_date,event_type,location,latitude,longitude,notes\n"


def _row(n: int, notes: str = "quiet") -> str:
    return f"MLI{n},2024-01-{n % 28 + 1:02d},Battles,Place {n},{12 + n / 10000:.4f},{-8 + n / 10000:.4f},{notes}\n"


def test_stray_quote_in_row_2_of_1000_loses_only_that_row(tmp_path):
    rows = [_row(n) for n in range(1, 1001)]
    rows[1] = _row(2, '"an open quote')  # line 3 of the file
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "".join(rows))
    incidents, rejects = load_incidents_with_rejects(path)
    assert len(incidents) + len(rejects) == 1000
    assert len(incidents) >= 999
    kept_ids = set(incidents["event_id_cnty"])
    assert {"MLI1", "MLI3", "MLI1000"} <= kept_ids


def test_stray_quote_that_breaks_a_row_is_rejected_with_its_line(tmp_path):
    rows = [_row(n) for n in range(1, 101)]
    rows[1] = rows[1].replace("Place 2", '"Place, 2')  # one field too many when read literally
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "".join(rows))
    incidents, rejects = load_incidents_with_rejects(path)
    assert len(incidents) == 99
    assert list(rejects["input_row"]) == [3]
    assert "unbalanced quote" in rejects["reason"].iloc[0]


def test_map_command_reports_the_line(capsys, tmp_path):
    rows = [_row(n) for n in range(1, 51)]
    rows[1] = rows[1].replace("Place 2", '"Place, 2')
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "".join(rows))
    code = main(["map", str(path), "-o", str(tmp_path / "map.html")])
    _, err = capsys.readouterr()
    assert code == 0
    assert "49 incidents" in err and "1 row rejected" in err.replace("rows", "row")


def test_quoted_notes_over_several_lines_stay_one_row(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + _row(1, '"first line\nsecond, line, with, four, commas, in, it"') + _row(2))
    incidents, rejects = load_incidents_with_rejects(path)
    assert len(incidents) == 2 and rejects.empty
    assert "second, line" in incidents["notes"].iloc[0]


def test_stray_quote_in_the_header_keeps_every_row(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text('"' + HEADER + "".join(_row(n) for n in range(1, 11)))
    incidents, _ = load_incidents_with_rejects(path)
    assert len(incidents) == 10


@pytest.mark.parametrize("cell_chars", [200_000, 2_000_000])
def test_one_huge_cell_does_not_fail_the_file(tmp_path, cell_chars):
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + _row(1, '"' + "x" * cell_chars + '"') + _row(2))
    incidents, rejects = load_incidents_with_rejects(path)
    assert len(incidents) == 2 and rejects.empty


def test_gazetteer_import_keeps_rows_after_a_stray_quote_and_huge_cell(tmp_path):
    path = tmp_path / "villages.csv"
    lines = ["name,lat,lon,notes\n", 'Zorbo,13.1,-7.5,"open quote\n']
    lines += [f"Village-{n},{12 + n / 1000},{-8 + n / 1000},ok\n" for n in range(200)]
    lines.append('Long-Note,12.0,-8.0,"' + "y" * 300_000 + '"\n')
    path.write_text("".join(lines))
    errors = []
    names = [place.name for place in read_places(path, errors=errors)]
    assert len(names) == 201 and "Long-Note" in names and "Village-199" in names
    assert [e.where for e in errors] == [f"{path}:2"] and "unbalanced quote" in errors[0].message


def test_csv_records_numbers_lines_after_a_restart():
    text = 'a,b,c\n1,"x,1\n2,y,2\n\n3,"multi\nline",3\n4,z,4\n'
    records = list(csv_records(text.splitlines(keepends=True), ","))
    assert [(r.start_line, r.end_line, r.stray_quote) for r in records] == [
        (1, 1, False),
        (2, 2, True),
        (3, 3, False),
        (4, 4, False),
        (5, 6, False),
        (7, 7, False),
    ]
    assert records[1].fields == ["1", "x", "1"]
    assert records[4].fields == ["3", "multi\nline", "3"]


@given(
    st.lists(st.sampled_from(["a", "\r", "\n", "\r\n", "b,c", '"', "\u2028", "\x0c", "é"]), max_size=14).map("".join)
)
def test_text_lines_split_as_stringio_does(text):
    # the CSV reader walks the decoded text line by line without StringIO's four-bytes-a-character copy
    assert list(text_lines(text)) == list(io.StringIO(text, newline=""))
