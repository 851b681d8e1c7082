"""One explicit session: the parts a run shares see the same gazetteer, and nothing outlives its inputs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import mali_map
from mali_map.cli import main
from mali_map.errors import BadInput, MaliMapError
from mali_map.gazetteer.userstore import import_gazetteer

TEXT = "Gunmen attacked Quorbaville, a village near Kati, on Monday."


def _village_csv(tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text("name,latitude,longitude,country_code\nQuorbaville,12.81,-8.02,ML\n", encoding="utf-8")
    return path


def test_geoparse_finds_a_place_imported_after_it_first_ran(tmp_path):
    before = [m.text for m in mali_map.geoparse(TEXT) if m.place is not None]
    assert "Quorbaville" not in before and "Kati" in before
    import_gazetteer(_village_csv(tmp_path), "villages")
    after = {m.text: m.place for m in mali_map.geoparse(TEXT) if m.place is not None}
    assert after["Quorbaville"].lat == pytest.approx(12.81)
    assert mali_map.geocode("Quorbaville").lon == pytest.approx(-8.02)


def test_a_session_gives_parts_over_its_gazetteer_and_makes_new_ones_after_an_import(tmp_path):
    with mali_map.Session(country="ML") as session:
        parser, checker = session.geoparser(), session.checker
        assert parser.gazetteer is session.gazetteer is checker.resolver.gazetteer
        assert session.geoparser() is parser
        import_gazetteer(_village_csv(tmp_path), "villages")
        assert session.geoparser() is not parser and session.geoparser().gazetteer is session.gazetteer
        assert [m.text for m in session.geoparse(TEXT) if m.place is not None][0] == "Quorbaville"


def test_closing_a_session_closes_its_gazetteers_connections():
    with mali_map.Session() as session:
        gazetteer = session.gazetteer
        assert session.geocode("Kati").country_code == "ML"
    with pytest.raises(sqlite3.ProgrammingError):
        gazetteer.lookup("Gao")
    with pytest.raises(MaliMapError, match="closed"):
        session.geocode("Gao")


def test_a_gazetteer_closes_as_a_context_manager():
    with mali_map.Gazetteer(include_saved=False) as gazetteer:
        assert gazetteer.lookup("Kati").country_code == "ML"
    with pytest.raises(sqlite3.ProgrammingError):
        gazetteer.lookup("Gao")


def test_each_session_has_its_own_warning_sink(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,latitude,longitude\nGood,1,2\nBad,95,2\n", encoding="utf-8")
    mine: list[str] = []
    with mali_map.Session(gazetteers=[bad], warn=mine.append) as session:
        assert session.gazetteer is not None
    with mali_map.Session(gazetteers=[bad], warn=lambda message: None) as other:
        assert other.gazetteer is not None
    assert len(mine) == 1 and "skipped 1 bad row" in mine[0]


@pytest.mark.parametrize(
    "call",
    [
        lambda: mali_map.geocode("Kati", only="XX"),
        lambda: mali_map.geocode("Kati", country="Mali"),
        lambda: mali_map.geocode_many(["Kati"], country="XX"),
        lambda: mali_map.geoparse("Kati", country="Mali"),
        lambda: mali_map.Session(only=["ML", "Burkina"]),
        lambda: mali_map.Gazetteer(only="XX"),
        lambda: mali_map.distance("Kati", "Bamako", unit="furlong"),
        lambda: mali_map.geocode("95, 10"),
        lambda: mali_map.distance((95, 0), "Kati"),
        lambda: mali_map.stated_claim("Kati", "Bamako", "<", "12 parsecs"),
        lambda: mali_map.load_incidents("/no/such/file.csv"),
        lambda: mali_map.Gazetteer(["/no/such/file.csv"]),
        lambda: mali_map.import_gazetteer("/no/such/file.csv"),
        lambda: mali_map.check_claims(["Kati is 5 km from Bamako."], country="Mali"),
        lambda: mali_map.process_article("Soldiers in Kati.", country="XX"),
        lambda: mali_map.geocode_many("Kati"),
        lambda: mali_map.write_map([], "map.html"),
    ],
)
def test_the_library_refuses_what_it_cannot_use_with_one_error_type(call):
    with pytest.raises(BadInput):
        call()


def test_a_countrys_name_as_focus_names_the_code_meant():
    with pytest.raises(BadInput, match="did you mean ML"):
        mali_map.geocode("Kati", country="Mali")


def test_the_cli_refuses_a_countrys_name_as_focus(capsys):
    assert main(["geocode", "Kati", "--country", "Mali"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--country" in err and "did you mean ML?" in err


def test_the_cli_closes_the_session_it_built(monkeypatch, capsys):
    from mali_map import session as session_module

    made: list[session_module.Session] = []
    real_init = session_module.Session.__init__

    def recording_init(self, **options):
        real_init(self, **options)
        made.append(self)

    monkeypatch.setattr(session_module.Session, "__init__", recording_init)
    assert main(["geocode", "Kati"]) == 0
    assert len(made) == 1 and made[0].closed


EXAMPLE = Path(__file__).parents[1] / "examples" / "kati-incidents.csv"
MIXED = Path(__file__).parent / "fixtures" / "incidents" / "acled-mixed.csv"


def test_write_map_writes_the_page_and_its_rejects_as_the_command_does(tmp_path, capsys):
    out = tmp_path / "maps" / "mixed.html"
    written = mali_map.write_map([MIXED], out, claims=["Kati is less than 10 miles from Bamako."])
    rejects = tmp_path / "maps" / "mixed.rejects.csv"
    assert (written.output, written.rejects_path) == (out, rejects) and out.stat().st_size > 0
    assert written.rejected == len(rejects.read_text(encoding="utf-8").splitlines()) - 1 > 0
    assert written.to_dict()["claims"][0]["verdict"] == "depends"
    assert (
        main(
            [
                "map",
                str(MIXED),
                "-o",
                str(tmp_path / "cli.html"),
                "--json",
                "--claim",
                "Kati is less than 10 miles from Bamako.",
            ]
        )
        == 0
    )
    from_cli = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in from_cli.items() if "path" not in k and k != "output"} == {
        k: v for k, v in written.to_dict().items() if "path" not in k and k != "output"
    }
    clean = mali_map.write_map(EXAMPLE, out)  # a run without rejects removes the stale rejects file
    assert clean.rejects_path is None and not rejects.exists()


def test_write_map_refuses_an_output_over_its_input_and_a_bad_option_before_any_work(tmp_path):
    source = tmp_path / "x.csv"
    source.write_bytes(EXAMPLE.read_bytes())
    with pytest.raises(BadInput, match="input"):
        mali_map.write_map(source, source)
    with pytest.raises(BadInput):
        mali_map.write_map(source, tmp_path / "m.html", export=tmp_path / "m.docx")
    assert not (tmp_path / "m.html").exists() and source.read_bytes() == EXAMPLE.read_bytes()


def test_geocode_many_takes_a_gazetteer_or_a_session(tmp_path):
    village = _village_csv(tmp_path)
    with mali_map.Gazetteer([village], include_saved=False) as gazetteer:
        found = mali_map.geocode_many(["Quorbaville", "12.5, -8", "Nowhere Atall"], gazetteer=gazetteer)
    assert [p and p.name for p in found] == ["Quorbaville", "12.50000, -8.00000", None]
    with mali_map.Session(gazetteers=[village]) as session:
        assert mali_map.geocode_many(["Quorbaville"], session=session)[0].lat == pytest.approx(12.81)
        assert mali_map.geocode("Quorbaville", session=session).lon == pytest.approx(-8.02)


def test_every_command_has_a_library_counterpart_listed_in_the_readme():
    import re

    from mali_map.cli import COMMANDS

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    python = readme[readme.index("## Python") :]
    python = python[: python.index("\n## ", 5)]
    rows = dict(re.findall(r"^\| `(\w+)[^`]*` \| (.+) \|$", python[python.index("| command | Python |") :], re.M))
    assert set(COMMANDS) <= set(rows)
    for command, cell in rows.items():
        names = re.findall(r"`(?:mali_map\.)?(\w+)\(", cell)
        assert names, command
        for name in names:
            assert hasattr(mali_map, name) or name in ("check",), (command, name)
