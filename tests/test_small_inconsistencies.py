"""The small inconsistencies: NUL bytes and bad UTF-8 anywhere (and on stdin), huge queries not echoed.

Before: NUL bytes and invalid UTF-8 were checked only in a file's first 8 KB and never on stdin
("G\\0ao" on line 3,001 was looked up and answered Guantánamo), and a 10 MB query was echoed whole
to stdout and stderr. (geocode "" exiting 2, "nan, nan", "1e308, 0" and negative latitudes are in
test_hostile_numbers.py; one cell over 128 KB in test_lost_rows.py.)
"""

from __future__ import annotations

import io

import pytest

from mali_map.cli import main
from mali_map.incidents import load_incidents_with_rejects

HEADER = "event_id_cnty,latitude,longitude,notes\n"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_nul_byte_far_into_a_query_file_is_refused_with_its_line(capsys, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_bytes(b"Kati\n" * 3000 + b"G\x00ao\n")
    code, out, err = run(capsys, "geocode", "--file", queries)
    assert code == 2 and out == "" and f"{queries}:3001" in err


def test_a_bad_byte_far_into_a_utf8_query_file_is_reported_with_its_line(capsys, tmp_path):
    # the one text reader: the encoding is read from the start (UTF-8 here); a stray byte further on
    # is shown as U+FFFD and a warning names its line, so the reader can check that answer
    queries = tmp_path / "q.txt"
    queries.write_bytes("Ségou\n".encode() + b"Kati\n" * 3000 + b"Ga\xffo\n")
    code, out, err = run(capsys, "geocode", "--file", queries)
    assert code == 0 and f"{queries}:3002" in err and "U+FFFD" in err and "Ségou" in out


def test_stdin_is_checked_like_a_file(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Kati\n\x00Gao\n")))
    code, out, err = run(capsys, "geocode", "--file", "-")
    assert code == 2 and out == "" and "stdin:2" in err and "NUL" in err


def test_nul_far_into_an_incident_file_is_refused(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_bytes(HEADER.encode() + b"1,12.7,-8.0,quiet\n" * 2000 + b"2,12.7,-8.0,qu\x00iet\n")
    with pytest.raises(ValueError, match=r"incidents.csv:2002: binary file"):
        load_incidents_with_rejects(path)


def test_bad_utf8_far_into_an_incident_file_keeps_the_accents_before_it(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_bytes(HEADER.encode() + "1,12.7,-8.0,Ségou\n".encode() * 2000 + b"2,12.7,-8.0,S\xe9gou\n")
    loaded = load_incidents_with_rejects(path)
    assert loaded.incidents["notes"].iloc[0] == "Ségou"  # not "SÃ©gou" from a Windows-1252 reading
    assert any(":2002:" in note and "UTF-8" in note for note in loaded.notes)


def test_a_10_mb_query_is_refused_and_not_echoed(capsys, tmp_path):
    huge = "Kati" * 2_500_000
    code, out, err = run(capsys, "geocode", huge)
    assert code == 2 and len(out) + len(err) < 1000
    queries = tmp_path / "q.txt"
    queries.write_text(huge + "\nKati\n")
    code, out, err = run(capsys, "geocode", "--file", queries)
    assert code == 3 and len(out) + len(err) < 2000 and "too long" in err
    code, out, err = run(capsys, "check", huge)
    assert code == 2 and len(out) + len(err) < 1000
