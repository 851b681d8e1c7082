"""A damaged place index never answers: it is rebuilt (embedded) or skipped (saved), with one warning line.

Before: a truncated index made every command traceback ("database disk image is malformed") forever,
and flipped bytes made ``geocode Kyati`` answer Tbilisi. Each test damages a real index file the way
a full disk, a crash or a bad sector would: truncation, overwriting, flipped bytes, a lost header.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from mali_map.cli import main
from mali_map.gazetteer import Gazetteer, embedded, integrity
from mali_map.gazetteer.records import PlaceRecord
from mali_map.session import close_default_sessions

SMALL_WORLD = [
    PlaceRecord(name="Kati", lat=12.74409, lon=-8.07257, feature="city", population=130254, country_code="ML"),
    PlaceRecord(name="Bamako", lat=12.60915, lon=-7.97522, feature="capital", population=1297281, country_code="ML"),
] + [
    PlaceRecord(name=f"Village {n}", lat=10 + n / 1000, lon=-5 - n / 1000, feature="village", country_code="ML")
    for n in range(2000)
]


@pytest.fixture
def small_cache(tmp_path, monkeypatch, capsys):
    """A private cache folder whose embedded index is built (fast) from a small world; returns its path."""
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(embedded, "embedded_records", lambda: iter(SMALL_WORLD))
    path = embedded.embedded_index_path()
    assert integrity.record_path(path).exists()
    capsys.readouterr()
    return path


def run(capsys, *argv):
    close_default_sessions()  # a new process each time: nothing kept open from the last run
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _flip(path, start, count=4096, every=7):
    with open(path, "r+b") as handle:
        handle.seek(start)
        data = bytearray(handle.read(count))
        for i in range(0, len(data), every):
            data[i] ^= 0xFF
        handle.seek(start)
        handle.write(data)


def _truncate(path):
    os.truncate(path, path.stat().st_size // 2)


def _overwrite_middle(path):
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(b"\0" * 8192)


def _flip_middle(path):
    _flip(path, path.stat().st_size // 2)


def _lose_header(path):
    with open(path, "r+b") as handle:
        handle.write(b"x" * 100)


def _append_junk(path):
    with open(path, "ab") as handle:
        handle.write(b"junk" * 1000)


@pytest.mark.parametrize("damage", [_truncate, _overwrite_middle, _flip_middle, _lose_header, _append_junk])
def test_damaged_embedded_index_is_rebuilt_with_one_warning(capsys, small_cache, damage):
    damage(small_cache)
    code, out, err = run(capsys, "geocode", "Kati", "--json")
    assert code == 0, err
    assert (json.loads(out)["lat"], json.loads(out)["lon"]) == (12.74409, -8.07257)
    assert err.count("\n") == 1 and "damaged" in err and "rebuilding" in err
    assert integrity.problem(small_cache) is None
    code, _, err = run(capsys, "geocode", "Kati")  # and once rebuilt, quiet again
    assert (code, err) == (0, "")


def test_sound_index_is_trusted_without_rereading(capsys, small_cache, monkeypatch):
    monkeypatch.setattr(integrity, "checksum", lambda path: pytest.fail("an unchanged file was checksummed"))
    code, _, err = run(capsys, "geocode", "Kati")
    assert (code, err) == (0, "")


def test_copied_index_with_the_same_bytes_is_kept(capsys, small_cache):
    copy = small_cache.with_name("copy")
    shutil.copy2(small_cache, copy)
    os.replace(copy, small_cache)  # a new inode, same bytes (a restored backup)
    code, _, err = run(capsys, "geocode", "Kati")
    assert (code, err) == (0, "")


def test_index_without_record_gets_sqlite_quick_check(small_cache):
    integrity.forget(small_cache)
    assert integrity.problem(small_cache) is None  # sound: checked once and recorded
    assert integrity.record_path(small_cache).exists()
    integrity.forget(small_cache)
    page_size = 4096
    with open(small_cache, "r+b") as handle:  # scribble over a b-tree page
        handle.seek(2 * page_size)
        handle.write(os.urandom(page_size))
    assert integrity.problem(small_cache) is not None


def test_sqlite_error_during_use_is_one_line_and_the_index_is_checked_next_time(capsys, small_cache, monkeypatch):
    run(capsys, "geocode", "Kati")

    def broken(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Gazetteer, "lookup_many", broken)
    code, out, err = run(capsys, "geocode", "Kati")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err
    calls = []
    real_checksum = integrity.checksum
    monkeypatch.setattr(integrity, "checksum", lambda path: calls.append(path) or real_checksum(path))
    assert integrity.problem(small_cache) is None  # unchanged bytes: kept, but only after a checksum
    assert calls == [small_cache]


@pytest.fixture
def saved_gazetteer(tmp_path, capsys):
    source = tmp_path / "villages.csv"
    source.write_text("name,latitude,longitude\nZorbo,13.1,-7.5\nKyati,12.7,-8.0\n")
    assert main(["gazetteer", "import", str(source), "--name", "villages"]) == 0
    capsys.readouterr()
    from mali_map.gazetteer.userstore import index_path

    return index_path("villages")


@pytest.mark.parametrize("damage", [_truncate, _lose_header, "rename a place"])
def test_damaged_saved_gazetteer_is_skipped_with_one_warning(capsys, saved_gazetteer, damage):
    if damage == "rename a place":  # a flipped bit inside a name: structurally sound, silently wrong
        data = bytearray(saved_gazetteer.read_bytes())
        at = data.find(b"Zorbo")
        data[at + 1] ^= 0x20
        saved_gazetteer.write_bytes(bytes(data))
    else:
        damage(saved_gazetteer)
    code, out, err = run(capsys, "check", "--json", "Zorbo is 10 km from Kati")
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "damaged" in line] == [err.strip()]
    result = json.loads(out)
    assert result["subject"]["source"] != "user:villages"
    assert code in (1, 3)


@pytest.mark.parametrize("damage", [_truncate, _lose_header, "rename a place"])
def test_gazetteer_list_flags_a_damaged_saved_gazetteer(capsys, saved_gazetteer, damage):
    """`gazetteer list` once showed a damaged file as fine, though every search skips it."""
    if damage == "rename a place":
        data = bytearray(saved_gazetteer.read_bytes())
        data[data.find(b"Zorbo") + 1] ^= 0x20
        saved_gazetteer.write_bytes(bytes(data))
    else:
        damage(saved_gazetteer)
    code, out, err = run(capsys, "gazetteer", "list")
    assert code == 0 and "Traceback" not in err
    assert out.startswith("villages\tDAMAGED") and "gazetteer remove villages" in out
    code, out, _ = run(capsys, "gazetteer", "list", "--json")
    listed = json.loads(out)
    assert listed["damaged"] is True and listed["damage"]


def test_gazetteer_list_shows_a_sound_saved_gazetteer_as_sound(capsys, saved_gazetteer):
    code, out, _ = run(capsys, "gazetteer", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and listed["damaged"] is False and listed["damage"] is None and listed["rows"] == 2
