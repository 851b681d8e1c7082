"""Stored answers (mali_map/gazetteer/answers.py): a distinct-name batch reads them, and they are
byte for byte the answers the full ranking gives one query at a time."""

from __future__ import annotations

import pickle
import random

import pytest

from mali_map.gazetteer import Gazetteer, answers


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(include_saved=False)


def _sample(gazetteer, size: int) -> list[str]:
    conn = gazetteer._connections[0]
    rng = random.Random(19)
    main_names = sorted({name for (name,) in conn.execute("SELECT name FROM places")})
    shared = sorted(
        {key for (key,) in conn.execute("SELECT key FROM names GROUP BY key HAVING count(*) > 1 LIMIT 200000")}
    )
    # main names, names several places share (ranked in Python at build), and case variants of them
    names = rng.sample(main_names, size) + rng.sample(shared, size // 4)
    return names + [name.upper() for name in names[: size // 10]]


def test_stored_answers_are_byte_identical_to_the_full_ranking(gazetteer):
    names = _sample(gazetteer, 6_000)
    stored = answers.read_answers(gazetteer._connections[0], {n.casefold(): [n] for n in names if n == n.casefold()})
    assert len(stored) > 600, "the index holds stored answers for names shared by several places"
    batch = gazetteer.lookup_many(names)
    one_by_one = Gazetteer(include_saved=False)
    for name, place in zip(names, batch):
        try:
            expected = one_by_one.lookup(name)
        except LookupError:
            expected = None
        assert pickle.dumps(place) == pickle.dumps(expected), name


def test_a_batch_of_plain_names_reads_stored_answers(gazetteer):
    names = _sample(gazetteer, 2_000)[:2_000]
    from mali_map.textnorm import name_key

    by_key: dict[str, list[str]] = {}
    for name in names:
        by_key.setdefault(name_key(name), []).append(name)
    stored = answers.read_answers(gazetteer._connections[0], by_key)
    assert len(stored) >= 0.9 * len(names)
    fresh = Gazetteer(include_saved=False)
    assert [fresh.lookup_many([n])[0] for n in list(stored)[:200]] == [stored[n] for n in list(stored)[:200]]


def test_context_other_focus_and_only_keep_the_full_ranking(gazetteer):
    full = Gazetteer(include_saved=False)
    for query, kwargs in (("Kati, Mali", {}), ("Kati", {"country": "SN"}), ("Kati", {"country": ""})):
        assert pickle.dumps(gazetteer.lookup_many([query], **kwargs)[0]) == pickle.dumps(full.lookup(query, **kwargs))
    only = Gazetteer(include_saved=False, only=["SN"])
    assert only.lookup_many(["Kati"]) == [None] or only.lookup_many(["Kati"])[0].country_code == "SN"
