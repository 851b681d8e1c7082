"""Imports keep bounded memory whatever the file: bad rows are counted past a cap, zip bombs refused.

Before: a 261 KB zip of 0.25 GB of junk lines drove `gazetteer import` past 8 GB (every bad row was
kept). The online path's limits (answer size, gzip bombs, items cached) are in test_online_hostile.py.
Memory is measured with tracemalloc (Python allocations, which is where the bad rows lived).
"""

from __future__ import annotations

import json
import tracemalloc
import zipfile

import pytest

from mali_map.cli import main
from mali_map.errors import BadInput
from mali_map.gazetteer.formats import detect
from mali_map.gazetteer.records import KEPT_ROW_ERRORS, RowError, RowErrors
from mali_map.gazetteer.userstore import import_gazetteer

JUNK_LINES = 100_000


def _peak_mb(action) -> float:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1e6


def test_row_errors_keep_the_first_and_count_all():
    errors = RowErrors(keep=3)
    for n in range(10):
        errors.append(RowError(f"f:{n}", "bad"))
    assert len(errors) == 10 and [e.where for e in errors] == ["f:0", "f:1", "f:2"]
    assert errors[0].where == "f:0" and bool(errors)


def test_an_import_of_many_bad_rows_keeps_bounded_memory(tmp_path):
    source = tmp_path / "junk.csv"
    with open(source, "w") as handle:
        handle.write("name,lat,lon\n")
        for n in range(JUNK_LINES):
            handle.write(f"junk line number {n} with no coordinates at all,,\n")
        handle.write("Zorbo,13.1,-7.5\n")
    reports = []
    peak_mb = _peak_mb(lambda: reports.append(import_gazetteer(source, "junk")))
    (report,) = reports
    assert report.rows == 1 and len(report.skipped) == JUNK_LINES
    assert len(list(report.skipped)) == KEPT_ROW_ERRORS
    assert peak_mb < 8, f"{peak_mb:.0f} MB for {JUNK_LINES:,} bad rows"  # 19.5 MB when every row was kept


def test_the_cli_counts_every_bad_row_and_lists_the_kept_ones(capsys, tmp_path):
    source = tmp_path / "junk.csv"
    source.write_text("name,lat,lon\n" + "junk,,\n" * 5000 + "Zorbo,13.1,-7.5\n")
    assert main(["gazetteer", "import", str(source), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["skipped"] == 5000 and len(result["bad_rows"]) == KEPT_ROW_ERRORS


def _bomb(path, megabytes: int) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("junk.csv", "w") as member:
            member.write(b"name,lat,lon\n")
            line = b"x" * 1023 + b"\n"
            for _ in range(megabytes * 1024):
                member.write(line)


def test_a_zip_bomb_is_refused_before_reading(tmp_path):
    bomb = tmp_path / "junk.zip"
    _bomb(bomb, 64)  # 64 MB of junk lines in about 70 KB
    assert bomb.stat().st_size < 1_000_000
    errors = []
    peak_mb = _peak_mb(lambda: errors.append(pytest.raises(BadInput, import_gazetteer, bomb)))
    assert "times larger" in str(errors[0].value)
    assert peak_mb < 5


def test_a_zip_member_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    archive = tmp_path / "places.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as handle:
        handle.writestr("places.csv", "name,lat,lon\n" + "Zorbo,13.1,-7.5\n" * 1000)
    monkeypatch.setattr(detect, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(Exception, match="bytes unpacked"):
        import_gazetteer(archive)


def test_a_large_incident_table_shares_its_repeated_values(tmp_path):
    import pandas  # noqa: F401  (imported before measuring: its import is not the table's memory)

    from mali_map.incidents import readers

    path = tmp_path / "incidents.csv"
    with open(path, "w") as handle:
        handle.write(
            "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,admin1,latitude,longitude,"
            "geo_precision,fatalities,notes\n"
        )
        for i in range(50_000):
            handle.write(
                f"MLI{i},2020-{i % 12 + 1:02d}-{i % 28 + 1:02d},Battles,Armed clash,Group {i % 50},"
                f"Place {i % 900},Region {i % 9},{10 + (i * 7919 % 100000) / 1e4:.5f},"
                f"{-10 + (i * 104729 % 100000) / 1e4:.5f},1,{i % 7},Notes about event {i}\n"
            )
    tables = []
    peak_mb = _peak_mb(lambda: tables.append(readers.read_table(path)))
    assert len(tables[0].frame) == 50_000
    assert tables[0].frame["event_type"].iloc[0] is tables[0].frame["event_type"].iloc[1]  # one shared object
    size_mb = path.stat().st_size / 1e6
    assert peak_mb < 10 * size_mb, f"{peak_mb:.0f} MB for a {size_mb:.1f} MB file (12.3x before sharing)"


def test_a_table_of_100000_columns_is_refused_at_once(capsys, tmp_path):
    path = tmp_path / "wide.csv"
    columns = 100_000
    path.write_text(
        ",".join(["latitude", "longitude"] + [f"c{i}" for i in range(columns)])
        + "\n"
        + (",".join(["12.7", "-8.0"] + ["x"] * columns) + "\n") * 5
    )
    code = main(["map", str(path), "-o", str(tmp_path / "m.html")])
    err = capsys.readouterr().err
    assert code == 2 and "100,002 columns" in err and err.count("\n") == 1
