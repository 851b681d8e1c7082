"""Saved gazetteers: import, list, remove, replace; the ``gazetteer`` commands; the data folders.

Every test points MALI_MAP_DATA_DIR at a temporary folder, so nothing touches
the real home.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from mali_map.cli import main
from mali_map.errors import BadInput
from mali_map.gazetteer import index
from mali_map.gazetteer.userstore import (
    import_gazetteer,
    list_gazetteers,
    load_temporary,
    remove_gazetteer,
    sanitize_name,
    saved_index_paths,
)
from mali_map.paths import cache_dir, data_dir
from mali_map.textnorm import name_key

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteers"


def places_in(path: Path) -> dict[str, tuple]:
    conn = sqlite3.connect(path)
    try:
        return {
            row[0]: row[1:] for row in conn.execute("SELECT name, lat, lon, feature, population, source FROM places")
        }
    finally:
        conn.close()


def lookup(conn: sqlite3.Connection, text: str) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT p.name FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ?", (name_key(text),)
        )
    ]


# --------------------------------------------------------------------------- paths


def test_folders_follow_env_then_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MALI_MAP_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c" and cache_dir().is_dir()
    monkeypatch.delenv("MALI_MAP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "mali-map"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "mali-map"
    monkeypatch.delenv("MALI_MAP_DATA_DIR")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert data_dir() == tmp_path / "home" / ".local" / "share" / "mali-map" and data_dir().is_dir()


# --------------------------------------------------------------------------- library


def test_import_writes_an_index_with_places_names_and_meta(data_folder):
    report = import_gazetteer(FIXTURES / "villages.csv")
    assert (report.name, report.rows, len(report.skipped)) == ("villages", 6, 7)
    assert report.path == data_folder / "gazetteers" / "villages.sqlite"
    assert saved_index_paths() == [report.path]
    places = places_in(report.path)
    assert places["Kalifabougou"] == (12.9512, -8.1437, "village", 4120, "user:villages")
    conn = index.connect(report.path, readonly=True)
    assert lookup(conn, "KALIFA-BOUGOU") == ["Kalifabougou"]  # an alternate name, folded
    meta = index.get_meta(conn)
    assert meta["rows"] == "6" and meta["skipped"] == "7"
    assert meta["source_file"] == str((FIXTURES / "villages.csv").resolve())
    assert meta["imported_at"].endswith("+00:00")


def test_import_list_remove_round_trip():
    import_gazetteer(FIXTURES / "ML_sample.zip", "Mali GeoNames")
    import_gazetteer(FIXTURES / "villages.geojson", "delta")
    infos = list_gazetteers()
    assert [(i.name, i.rows, i.skipped) for i in infos] == [("delta", 3, 4), ("mali-geonames", 9, 5)]
    assert infos[1].source_file.endswith("ML_sample.zip")
    removed = remove_gazetteer("Mali GeoNames")  # the name is sanitised the same way
    assert not removed.exists()
    assert [i.name for i in list_gazetteers()] == ["delta"]
    with pytest.raises(BadInput, match="no saved gazetteer named 'mali-geonames'.*saved: delta"):
        remove_gazetteer("mali-geonames")


def test_reimport_replaces_and_leaves_no_temporary_file(tmp_path, data_folder):
    source = tmp_path / "mine.csv"
    source.write_text("name,lat,lon\nFirst-Village,13.0,-6.0\nSecond-Village,13.1,-6.1\n")
    import_gazetteer(source)
    source.write_text("name,lat,lon\nThird-Village,13.2,-6.2\n")
    report = import_gazetteer(source)
    assert list(places_in(report.path)) == ["Third-Village"]
    saved = (data_folder / "gazetteers").iterdir()
    assert sorted(p.name for p in saved if not p.name.endswith(".check")) == ["mine.sqlite"]  # .check: integrity


def test_failed_reimport_keeps_the_previous_gazetteer(tmp_path, data_folder):
    source = tmp_path / "mine.csv"
    source.write_text("name,lat,lon\nFirst-Village,13.0,-6.0\n")
    import_gazetteer(source)
    for broken in ("", "name,lat,lon\nNo-Coordinates,,\n", "title,text\na,b\n"):
        source.write_text(broken)
        with pytest.raises(BadInput):
            import_gazetteer(source)
        assert list(places_in(data_folder / "gazetteers" / "mine.sqlite")) == ["First-Village"]
    saved = (data_folder / "gazetteers").iterdir()
    assert sorted(p.name for p in saved if not p.name.endswith(".check")) == ["mine.sqlite"]  # .check: integrity


def test_all_rows_bad_is_bad_input_saying_so(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("name,lat,lon\nA,95,0\nB,x,0\n")
    with pytest.raises(BadInput, match="all 2 rows are bad.*bad.csv:2"):
        import_gazetteer(source)
    assert saved_index_paths() == []


def test_progress_is_called_with_rows_done_and_expected():
    calls = []
    import_gazetteer(FIXTURES / "ML_sample.txt", progress=lambda done, expected: calls.append((done, expected)))
    assert calls[-1] == (9, 14)


@pytest.mark.parametrize(
    "text, name",
    [
        ("ML", "ml"),
        ("Villages Ségou (2024)", "villages-segou-2024"),
        ("../../etc/passwd", "etc-passwd"),
        ("my_list", "my_list"),
    ],
)
def test_names_are_safe_file_names(text, name):
    assert sanitize_name(text) == name


def test_name_without_letters_is_bad_input():
    with pytest.raises(BadInput):
        sanitize_name("../")


def test_load_temporary_is_in_memory_and_saves_nothing():
    errors = []
    conn = load_temporary(FIXTURES / "villages_semicolon_bom.csv", errors)
    assert lookup(conn, "sebenikoro bas") == ["Sébénikoro-Bas"]
    source = conn.execute("SELECT DISTINCT source FROM places").fetchall()
    assert source == [("user:villages_semicolon_bom",)]
    assert errors == [] and saved_index_paths() == []


def test_load_temporary_reports_bad_rows_and_refuses_unreadable_files(tmp_path):
    errors = []
    load_temporary(FIXTURES / "villages.geojson", errors)
    assert len(errors) == 4
    with pytest.raises(BadInput, match="no such file"):
        load_temporary(tmp_path / "missing.csv", [])


# --------------------------------------------------------------------------- command line


def test_cli_import_text_output_and_bad_rows_on_stderr(capsys, data_folder):
    code = main(["gazetteer", "import", str(FIXTURES / "villages.csv"), "--name", "Koulikoro villages"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "imported 6 places into koulikoro-villages; skipped 7 bad rows\n"
    assert "villages.csv:6: no latitude" in err and err.count("skipped") == 7
    assert "\r" not in err  # no progress bar when stderr is not a terminal
    assert (data_folder / "gazetteers" / "koulikoro-villages.sqlite").exists()


def test_cli_import_json_prints_one_object(capsys, data_folder):
    code = main(["--json", "gazetteer", "import", str(FIXTURES / "ML_sample.zip")])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    (line,) = out.splitlines()
    result = json.loads(line)
    assert (result["name"], result["rows"], result["skipped"]) == ("ml_sample", 9, 5)
    assert result["path"] == str(data_folder / "gazetteers" / "ml_sample.sqlite")
    assert result["bad_rows"][0] == {
        "where": f"{FIXTURES / 'ML_sample.zip'}/ML_sample.txt:5",
        "message": "expected 19 tab-separated columns, found 9",
    }


def test_cli_progress_bar_goes_to_stderr_only(capsys):
    code = main(["gazetteer", "import", str(FIXTURES / "ML_sample.txt"), "--progress"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "imported 9 places into ml_sample; skipped 5 bad rows\n"
    assert "100%" in err and "9 rows" in err


def test_cli_list_and_remove(capsys):
    assert main(["gazetteer", "list"]) == 0
    assert "no saved gazetteers" in capsys.readouterr().out
    main(["gazetteer", "import", str(FIXTURES / "villages_tab.tsv")])
    main(["gazetteer", "import", str(FIXTURES / "villages.geojson")])
    capsys.readouterr()
    assert main(["gazetteer", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["villages", "3 places"], ["villages_tab", "2 places"]]
    assert main(["gazetteer", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["rows"], r["skipped"]) for r in rows] == [("villages", 3, 4), ("villages_tab", 2, 0)]
    assert rows[0]["source_file"] == str((FIXTURES / "villages.geojson").resolve())
    assert main(["gazetteer", "remove", "villages_tab"]) == 0
    assert capsys.readouterr().out == "removed villages_tab\n"
    assert main(["--json", "gazetteer", "list"]) == 0
    assert [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()] == ["villages"]


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary data"),
        (b"date,location\n2024-05-01,Kati\n", "missing name, latitude, longitude"),
    ],
)
def test_cli_unreadable_file_exits_2_with_one_line(tmp_path, capsys, content, expected):
    path = tmp_path / "input.csv"
    if content is not None:
        path.write_bytes(content)
    assert main(["gazetteer", "import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and str(path) in err and expected in err
    assert saved_index_paths() == []


def test_cli_remove_unknown_exits_2(capsys):
    assert main(["gazetteer", "remove", "nothing"]) == 2
    assert "no saved gazetteer named 'nothing'" in capsys.readouterr().err


def test_progress_bar_redraws_in_place_on_a_terminal():
    from mali_map.cli.gazetteer import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = ProgressBar(stream, "importing x", interval_s=0)
    bar.update(50_000, 100_000)
    bar.update(100_000, 100_000)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\rimporting x [") and " 50% 50,000 rows" in text and text.endswith("\n")
    assert "100% 100,000 rows" in text


def test_imported_places_are_found_by_the_gazetteer(tmp_path):
    """The lead's Gazetteer searches saved imports; skipped when the embedded index cannot be built here."""
    import_gazetteer(FIXTURES / "villages.csv")
    try:
        from mali_map.gazetteer import Gazetteer

        gazetteer = Gazetteer(embedded=False)
    except (ImportError, TypeError) as error:  # pragma: no cover - until the Gazetteer is complete
        pytest.skip(f"Gazetteer not usable yet: {error}")
    place = gazetteer.lookup("Kalifabugu")
    assert (place.name, place.source) == ("Kalifabougou", "user:villages")


def test_copy_of_saved_file_is_a_valid_index(tmp_path):
    """A saved gazetteer is a plain SQLite file: it can be copied and opened read-only."""
    report = import_gazetteer(FIXTURES / "villages_tab.tsv")
    copy = tmp_path / "copy.sqlite"
    shutil.copy(report.path, copy)
    conn = index.connect(copy, readonly=True)
    assert lookup(conn, "guire sabou") == ["Guiré-Sabou"]


def test_unreadable_saved_file_is_listed_so_it_can_be_removed(data_folder):
    folder = data_folder / "gazetteers"
    folder.mkdir(parents=True)
    (folder / "broken.sqlite").write_bytes(b"not a database at all")
    assert [(i.name, i.rows, i.source_file) for i in list_gazetteers()] == [("broken", 0, None)]
    remove_gazetteer("broken")
    assert list_gazetteers() == []
