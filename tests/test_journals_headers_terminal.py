"""Odd files at cache paths, duplicate headers, control characters: each handled with one accurate line.

Before (issue 17): a hot SQLite ``-journal`` beside the index made every later run exit 2 with "attempt to
write a readonly database", and the index was never rebuilt; a folder at the index's path made every
run advise "free some space"; a CSV header naming ``lat`` twice silently used the first; escape
sequences in arguments and in gazetteer names reached the terminal raw.
"""

from __future__ import annotations

import shutil
import sqlite3
import time

import pytest

from mali_map.cli import main
from mali_map.gazetteer import embedded
from mali_map.gazetteer.userstore import index_path
from test_damaged_index import small_cache  # noqa: F401 - a fixture

ESC = "\x1b"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("mali-map: error:") and "Traceback" not in err


def _leave_hot_journal(path, tmp_path):
    """Leave ``path`` as a writer killed mid-transaction leaves it: changed pages and a hot ``-journal``."""
    work = tmp_path / "work.sqlite"
    shutil.copy(path, work)
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA cache_size = 1")  # changed pages spill to the file before the commit
    conn.execute("BEGIN")
    conn.execute("UPDATE places SET name = name || ' (changed)'")
    conn.execute("DELETE FROM names")
    journal = work.with_name(work.name + "-journal")
    assert journal.exists()
    shutil.copy(work, path)  # the file and its journal as they are on disk at this moment
    shutil.copy(journal, path.with_name(path.name + "-journal"))
    conn.rollback()
    conn.close()


# -- 5. a stale SQLite journal -------------------------------------------------------------------------------


def test_a_hot_journal_beside_the_index_is_rolled_back(capsys, small_cache, tmp_path):  # noqa: F811
    _leave_hot_journal(small_cache, tmp_path)
    for _ in range(2):  # and the next run is as sound
        code, out, err = run(capsys, "geocode", "Village 7", "--country", "ML")
        assert code == 0 and "Village 7" in out and "error" not in err
    assert not small_cache.with_name(small_cache.name + "-journal").exists()


def test_a_hot_journal_beside_a_saved_gazetteer_is_rolled_back(capsys, tmp_path):
    source = tmp_path / "villages.csv"
    source.write_text("name,latitude,longitude\nZorbo,13.1,-7.5\nKyati,12.7,-8.0\n")
    assert main(["gazetteer", "import", str(source), "--name", "villages"]) == 0
    path = index_path("villages")
    _leave_hot_journal(path, tmp_path)
    code, out, err = run(capsys, "geocode", "Zorbo")
    assert code == 0 and "Zorbo" in out and "skipped" not in err and "readonly" not in err


def test_a_junk_journal_beside_a_sound_index_is_removed(capsys, small_cache):  # noqa: F811
    journal = small_cache.with_name(small_cache.name + "-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"junk" * 1000)  # a journal's magic, then junk
    code, out, err = run(capsys, "geocode", "Village 7", "--country", "ML")
    assert code == 0 and "Village 7" in out and "error" not in err
    assert not journal.exists()


# -- 6. a folder at the index's path -----------------------------------------------------------------------


def test_a_folder_at_the_index_path_is_named_as_such(capsys, small_cache):  # noqa: F811
    small_cache.unlink()
    small_cache.mkdir()
    (small_cache / "something.txt").write_text("the user's")
    started = time.monotonic()
    code, _, err = run(capsys, "geocode", "Kati")
    assert code == 2 and one_line_error(err) and "is a folder" in err and "free some space" not in err
    assert time.monotonic() - started < 2  # nothing built in vain
    assert (small_cache / "something.txt").read_text() == "the user's"  # never deleted


def test_the_build_advises_freeing_space_only_for_a_full_disk(capsys, small_cache, monkeypatch):  # noqa: F811
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    small_cache.unlink()
    monkeypatch.setattr(embedded.os, "replace", refused)
    code, _, err = run(capsys, "geocode", "Kati")
    last = err.splitlines()[-1]
    assert code == 2 and last.startswith("mali-map: error:") and "Permission denied" in last
    assert "free some space" not in err


# -- 7. duplicate headers, control characters ---------------------------------------------------------------


def test_a_duplicate_header_in_an_incident_table_is_bad_input_naming_it(capsys, tmp_path):
    table = tmp_path / "x.csv"
    table.write_text("lat,lon,Lat,event_type\n12.7,-8.0,99,Battles\n")
    code, _, err = run(capsys, "map", table, "-o", tmp_path / "x.html")
    assert code == 2 and one_line_error(err) and "'Lat' twice (columns 1 and 3)" in err
    assert not (tmp_path / "x.html").exists()


def test_a_duplicate_header_in_a_gazetteer_is_bad_input_naming_it(capsys, tmp_path):
    source = tmp_path / "villages.csv"
    source.write_text("name,latitude,longitude,name\nZorbo,13.1,-7.5,Other\n")
    code, _, err = run(capsys, "gazetteer", "import", source)
    assert code == 2 and one_line_error(err) and "'name' twice" in err
    fine = tmp_path / "fine.csv"  # columns it does not read may repeat
    fine.write_text("name,latitude,longitude,note,note\nZorbo,13.1,-7.5,a,b\n")
    assert run(capsys, "gazetteer", "import", fine)[0] == 0


@pytest.mark.parametrize("as_json", [False, True])
def test_control_characters_in_arguments_never_reach_the_terminal(capsys, as_json):
    hostile = f"Ka{ESC}]0;owned\x07ti\x9b2J\u202e"
    code, out, err = run(capsys, *(["--json"] if as_json else []), "geocode", hostile)
    assert code == 3
    for raw in (ESC, "\x07", "\x9b", "\u202e"):
        assert raw not in out and raw not in err
    assert "\\x1b" in out or "\\u001b" in out


def test_control_characters_in_gazetteer_names_never_reach_the_terminal(capsys, tmp_path):
    source = tmp_path / "villages.csv"
    source.write_text(f"name,latitude,longitude,alternatenames\nZorbo{ESC}[2J,13.1,-7.5,Zorbo\n")
    assert run(capsys, "gazetteer", "import", source)[0] == 0
    code, out, err = run(capsys, "geocode", "Zorbo")
    assert code == 0 and ESC not in out + err and "Zorbo\\x1b[2J" in out
    code, out, err = run(capsys, "places", "--", "Fighting near Zorbo on Monday.")
    assert ESC not in out + err
