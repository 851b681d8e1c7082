"""The gazetteer package is a façade: its public names come from the modules that define them."""

import mali_map.gazetteer as gazetteer
from mali_map.gazetteer import DEFAULT_COUNTRY, Gazetteer, open_gazetteer, search, shared


def test_the_package_reexports_exactly_its_public_names():
    assert sorted(gazetteer.__all__) == ["DEFAULT_COUNTRY", "Gazetteer", "open_gazetteer"]
    assert Gazetteer is search.Gazetteer
    assert open_gazetteer is shared.open_gazetteer
    assert DEFAULT_COUNTRY == "ML"


def test_open_gazetteer_shares_the_default_sessions_gazetteer_per_settings():
    from mali_map.session import close_default_sessions, default_session

    close_default_sessions()
    first = open_gazetteer()
    assert open_gazetteer() is first is default_session().gazetteer
    assert open_gazetteer(only=["ml"]) is open_gazetteer(only="ML") is not first
    assert open_gazetteer(only="ML").only == frozenset({"ML"})


def test_a_gazetteer_with_its_own_settings_is_the_callers_own(tmp_path):
    warnings: list[str] = []
    mine = open_gazetteer(warn=warnings.append)
    assert mine is not open_gazetteer() and mine is not open_gazetteer(warn=warnings.append)
    mine.close()
