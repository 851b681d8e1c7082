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


def test_a_large_batch_reads_every_answer_once_and_a_small_one_reads_rows(gazetteer):
    """Past ``LOAD_ALL_FROM`` names the answers come from the packed columns held in memory
    (loaded once per process); a small batch (``mali-map geocode Kati``) reads rows and loads
    nothing. Both give byte for byte the same places, alternatives included."""
    names = _sample(gazetteer, answers.LOAD_ALL_FROM)
    answers._LOADED.clear()
    small = Gazetteer(include_saved=False)
    by_rows = [place for chunk in range(0, 400, 100) for place in small.lookup_many(names[chunk : chunk + 100])]
    assert not answers._LOADED, "a small batch loads nothing"
    large = Gazetteer(include_saved=False).lookup_many(names)
    assert len(answers._LOADED) == 1
    packed = next(iter(answers._LOADED.values()))
    assert sum(bool(place and place.alternatives) for place in large) > 100
    assert [pickle.dumps(p) for p in large[:400]] == [pickle.dumps(p) for p in by_rows]
    # loaded once: a fresh gazetteer on the same index reuses it, even for a small batch
    Gazetteer(include_saved=False).lookup_many(names[:10])
    assert next(iter(answers._LOADED.values())) is packed
    # names without a stored answer, context and offsets still take the full ranking
    odd = ["Kati, Mali", "Gao 50km W", "Zzyzzqx"]
    assert [pickle.dumps(p) for p in Gazetteer(include_saved=False).lookup_many(names + odd)[-3:]] == [
        pickle.dumps(p) for p in small.lookup_many(odd)
    ]
