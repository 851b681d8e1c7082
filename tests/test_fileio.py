"""Atomic writes: the previous file survives any failure, no temporary file is left."""

from __future__ import annotations

import os
import stat

import pytest

from mali_map import fileio


def test_writes_text_and_bytes(tmp_path):
    fileio.atomic_write_text(tmp_path / "a.html", "Ségou <b>")
    fileio.atomic_write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "Ségou <b>"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.bin"]


def test_replaces_an_existing_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old")
    os.chmod(target, 0o640)
    fileio.atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_is_not_private(tmp_path):
    # mkstemp makes 0600 files; a map must stay readable like any file the user writes.
    old_umask = os.umask(0o022)
    try:
        fileio.atomic_write_text(tmp_path / "map.html", "x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "map.html").stat().st_mode) == 0o644


def test_failure_before_rename_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("previous map")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        fileio.atomic_write_text(target, "half a new map")
    assert target.read_text() == "previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_unencodable_text_fails_before_touching_anything(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("previous map")
    with pytest.raises(UnicodeEncodeError):
        fileio.atomic_write_text(target, "Ségou", encoding="ascii")
    assert target.read_text() == "previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_remove_if_exists(tmp_path):
    stale = tmp_path / "map.rejects.csv"
    stale.write_text("x")
    assert fileio.remove_if_exists(stale) is True
    assert fileio.remove_if_exists(stale) is False
