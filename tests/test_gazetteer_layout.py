"""The gazetteer package is a façade: its public names come from the modules that define them."""

import mali_map.gazetteer as gazetteer
from mali_map.gazetteer import DEFAULT_COUNTRY, Gazetteer, open_gazetteer, search, shared


def test_the_package_reexports_exactly_its_public_names():
    assert sorted(gazetteer.__all__) == ["DEFAULT_COUNTRY", "Gazetteer", "open_gazetteer"]
    assert Gazetteer is search.Gazetteer
    assert open_gazetteer is shared.open_gazetteer
    assert DEFAULT_COUNTRY == "ML"


def test_open_gazetteer_shares_one_gazetteer_per_settings(monkeypatch):
    monkeypatch.setattr(shared, "_OPEN", {})
    first = open_gazetteer()
    assert open_gazetteer() is first
    assert open_gazetteer(only=["ml"]) is open_gazetteer(only="ML") is not first
    assert open_gazetteer(only="ML").only == frozenset({"ML"})
