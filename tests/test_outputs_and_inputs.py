"""Outputs never replace an input, a run writes all its outputs or none, and a failed write is one line.

Before (issue 17): `article d/report.md -o d` replaced the report it read (also for an input named
map.html, or a report.md linking to the input); `map x.geojson --export x.geojson` replaced the input
(.gpkg too); `--export /proc/e.geojson` printed a pyogrio traceback after the page was written; a full
disk gave a FeatureError traceback, and `article` a bare `[Errno 28]` naming no file; `kill -9` late in
`map --export` left a new page beside an old export and a `.partial` file no later run removed.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mali_map.cli import main
from mali_map.gazetteer import shared

ROOT = Path(__file__).resolve().parent.parent
INCIDENTS = ROOT / "examples" / "kati-incidents.csv"
REPORT = ROOT / "examples" / "kati-mutiny-2020.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("mali-map: error:") and "Traceback" not in err


# -- 1. inputs overwritten ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report.md", "map.html", "claims.json", "incidents.geojson"])
def test_article_never_writes_over_its_input(tmp_path, capsys, name):
    folder = tmp_path / "d"
    folder.mkdir()
    source = folder / name
    source.write_bytes(REPORT.read_bytes())
    code, _, err = run(capsys, "article", source, "-o", folder)
    assert code == 2 and one_line_error(err) and "input" in err and name in err
    assert source.read_bytes() == REPORT.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == [name]  # nothing else written either


def test_article_never_writes_through_a_link_to_its_input(tmp_path, capsys):
    source = tmp_path / "story.txt"
    source.write_bytes(REPORT.read_bytes())
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "report.md").symlink_to(source)
    code, _, err = run(capsys, "article", source, "-o", folder)
    assert code == 2 and one_line_error(err) and "report.md" in err
    assert source.read_bytes() == REPORT.read_bytes()
    os.link(source, tmp_path / "hard.txt")  # a hard link is the same file too
    code, _, err = run(capsys, "article", tmp_path / "hard.txt", "-o", tmp_path / "e")
    assert code != 2 and (tmp_path / "e" / "map.html").exists()  # 3: a claim is undecided
    (tmp_path / "e" / "map.html").unlink()
    os.link(source, tmp_path / "e" / "map.html")
    code, _, err = run(capsys, "article", source, "-o", tmp_path / "e")
    assert code == 2 and one_line_error(err) and source.read_bytes() == REPORT.read_bytes()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_map_export_never_writes_over_its_input(tmp_path, capsys, suffix):
    source = tmp_path / f"x{suffix}"
    assert run(capsys, "map", INCIDENTS, "-o", tmp_path / "first.html", "--export", source)[0] == 0
    before = source.read_bytes()
    code, _, err = run(capsys, "map", source, "-o", tmp_path / "p.html", "--export", source)
    assert code == 2 and one_line_error(err) and "--export" in err and "input" in err
    assert source.read_bytes() == before
    assert not (tmp_path / "p.html").exists()  # refused before any work
    link = tmp_path / f"link{suffix}"
    link.symlink_to(source)
    code, _, err = run(capsys, "map", source, "-o", tmp_path / "p.html", "--export", link)
    assert code == 2 and one_line_error(err) and source.read_bytes() == before


# -- 3. failed writes are one line naming the file ----------------------------------------------------------


def test_an_export_that_cannot_be_written_is_one_line_and_writes_nothing(tmp_path, capsys):
    page = tmp_path / "p.html"
    page.write_text("previous page")
    code, _, err = run(capsys, "map", INCIDENTS, "-o", page, "--export", "/proc/e.geojson")
    assert code == 2 and one_line_error(err) and "/proc/e.geojson" in err
    assert "pyogrio" not in err and "Error" not in err.removeprefix("mali-map: error:")
    assert page.read_text() == "previous page"  # all outputs or none
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html"]


def _run_with_file_size_limit(limit_bytes: int, code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python whose files cannot grow past ``limit_bytes``: a full disk, without root.

    Python ignores SIGXFSZ, so a write past the limit fails with EFBIG ("File too large"), as a
    write on a full disk fails with ENOSPC.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
def test_article_on_a_full_disk_names_the_file(tmp_path):
    shared.open_gazetteer()  # the index is built before the disk fills
    result = _run_with_file_size_limit(
        50_000,
        f"import sys; from mali_map.cli import main; sys.exit(main(['article', {str(REPORT)!r}, '-o', 'out']))",
        tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert one_line_error(result.stderr) and "out/map.html: cannot write: File too large" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []  # no half file, and none of the four


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_an_export_on_a_full_disk_is_one_line_naming_the_file(tmp_path, suffix):
    result = _run_with_file_size_limit(
        4_000,
        f"""
        from mali_map.incidents import load_incidents_with_rejects
        from mali_map.render.export import export_incidents
        from mali_map.errors import CannotWrite
        incidents = load_incidents_with_rejects([{str(INCIDENTS)!r}]).incidents
        try:
            export_incidents(incidents, "e{suffix}")
        except CannotWrite as error:
            print(error)
        """,
        tmp_path,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith(f"e{suffix}: cannot write: ") and result.stdout.count("\n") == 1
    assert len(result.stdout) < 250  # not a page of SQL
    assert list(tmp_path.iterdir()) == []


# -- 4. outputs of one run committed together ----------------------------------------------------------------


def test_a_run_killed_while_exporting_leaves_the_previous_page_and_export(tmp_path):
    page, export = tmp_path / "p.html", tmp_path / "e.geojson"
    page.write_text("previous page")
    export.write_text("previous export")
    code = f"""
        import os, signal
        from mali_map.cli import main
        from mali_map.render import export

        def killed(incidents, path, kind):
            path.write_bytes(b"x" * 1_000_000)  # half an export, then kill -9
            os.kill(os.getpid(), signal.SIGKILL)

        export.write_table = killed
        main(["map", {str(INCIDENTS)!r}, "-o", "p.html", "--export", "e.geojson"])
        """
    result = _run_with_file_size_limit(resource.RLIM_INFINITY, code, tmp_path)
    assert result.returncode == -signal.SIGKILL
    assert page.read_text() == "previous page" and export.read_text() == "previous export"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers  # what kill -9 leaves: the staged files
    assert main(["map", str(INCIDENTS), "-o", str(page), "--export", str(export)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.geojson", "p.html"]  # the next run cleans up
    assert json.loads(export.read_text())["type"] == "FeatureCollection"


def test_a_failed_export_keeps_the_previous_page_and_rejects(tmp_path, capsys, monkeypatch):
    from mali_map.render import export

    page, rejects = tmp_path / "p.html", tmp_path / "p.rejects.csv"
    page.write_text("previous page")
    rejects.write_text("previous rejects")

    def broken(incidents, path, kind):
        path.write_bytes(b"half")
        raise RuntimeError("disk I/O error\nINSERT INTO incidents VALUES (... a page of SQL ...)")

    monkeypatch.setattr(export, "write_table", broken)
    code, _, err = run(capsys, "map", INCIDENTS, "-o", page, "--export", tmp_path / "e.gpkg")
    assert code == 2 and one_line_error(err) and "e.gpkg: cannot write: disk I/O error" in err
    assert page.read_text() == "previous page" and rejects.read_text() == "previous rejects"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html", "p.rejects.csv"]


def test_a_concurrent_runs_temporary_is_left_alone(tmp_path, capsys):
    legacy = tmp_path / ".e.geojson.partial.geojson"  # what a killed export of the previous version left
    legacy.write_text("x" * 1000)
    alive = tmp_path / f".e.geojson.{os.getppid()}.abcd1234.tmp.geojson"  # our parent is running
    gone = tmp_path / ".e.geojson.999999999.abcd1234.tmp.geojson"  # no such process
    alive.write_text("being written")
    gone.write_text("x" * 1000)
    assert run(capsys, "map", INCIDENTS, "-o", tmp_path / "p.html", "--export", tmp_path / "e.geojson")[0] == 0
    assert alive.exists() and not gone.exists() and not legacy.exists()


def test_an_output_folder_that_cannot_be_made_is_one_line_naming_it(capsys):
    code, _, err = run(capsys, "article", REPORT, "-o", "/proc/mali-map-out")
    assert code == 2 and one_line_error(err) and "/proc/mali-map-out: cannot write:" in err
    code, _, err = run(capsys, "map", INCIDENTS, "-o", "/proc/mali-map.html")
    assert code == 2 and one_line_error(err) and "/proc/mali-map.html: cannot write:" in err
