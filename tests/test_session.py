"""One explicit session: the parts a run shares see the same gazetteer, and nothing outlives its inputs."""

from __future__ import annotations

import sqlite3

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
