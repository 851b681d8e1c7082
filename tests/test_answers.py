"""Stored answers (mali_map/gazetteer/answers.py): a large distinct-name batch reads them, and they
are byte for byte the answers the full ranking gives, for every name key that has one."""

from __future__ import annotations

import os
import pickle
import random
import struct
import zlib
from array import array

import pytest

from mali_map.gazetteer import Gazetteer, answers
from mali_map.gazetteer.search import _NOT_PLAIN
from mali_map.textnorm import name_key


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(include_saved=False)


@pytest.fixture(scope="module", params=["compiled loop", "Python loop"])
def packed(request, gazetteer):
    """The stored answers, read by the compiled batch loop (``_packed.c``) and by the Python one:
    every test that takes this fixture runs on both."""
    loaded = answers.packed_answers(gazetteer._connections[0], load=True)
    assert loaded is not None, "the embedded index holds stored answers"
    if request.param == "Python loop":
        return answers.PackedAnswers(_blob(gazetteer), compiled=None)
    if answers.COMPILED is None:
        if os.environ.get("CI"):
            pytest.fail("the compiled loop was not built (hatch_build.py): CI has a compiler, so it must be")
        pytest.skip("the compiled loop was not built here (no compiler when the package was installed)")
    return loaded


def _blob(gazetteer) -> bytes:
    return gazetteer._connections[0].execute("SELECT data FROM answers_packed").fetchone()[0]


#: The full ranking's answers to every stored key and every alias, ranked once for both loops.
_RANKED: dict[str, list] = {}


def _ranked(kind: str, queries: list[str]) -> list:
    if kind not in _RANKED:
        _RANKED[kind] = _full_ranking().lookup_many(queries)
    return _RANKED[kind]


def _full_ranking() -> Gazetteer:
    """A gazetteer that never reads stored answers: every name is ranked from its candidate rows."""
    full = Gazetteer(include_saved=False)
    full._stored_answers = False
    return full


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


def test_every_stored_answer_is_byte_identical_to_the_full_ranking(packed):
    """All 200,000-odd stored answers, asked by their key, against the same keys ranked from their
    candidate rows (the batch path the stored answers replace), pickled: every field, its type
    and the alternatives, in order."""
    keys = packed.keys()
    assert len(keys) > 200_000
    stored: dict = {}
    assert packed.resolve(keys, stored, _NOT_PLAIN) == []
    ranked = _ranked("keys", keys)
    assert sum(bool(place.alternatives) for place in stored.values()) > 10_000
    assert sum(1 for place in stored.values() if place.country_code != "ML") > 100_000
    different = [key for key, place in zip(keys, ranked) if pickle.dumps(stored[key]) != pickle.dumps(place)]
    assert not different, f"{len(different)} stored answers differ from the ranking, e.g. {different[:5]}"


def test_every_alias_is_byte_identical_to_the_full_ranking_and_every_key_is_its_own(packed):
    """The aliases (names lower-cased, when that is not their key: ``ségou``, ``saint-louis``)
    asked as queries, against the full ranking of the same queries; and every stored key is its
    own name key, so that a query lower-casing to a key has that key (``name_key`` is the same
    for a text and its lower case: see ``test_lower_casing_never_changes_a_name_key``)."""
    aliases = packed.aliases()
    assert sum(not alias.isascii() for alias in aliases) > 20_000 and sum(alias.isascii() for alias in aliases) > 5_000
    stored: dict = {}
    assert packed.resolve(aliases, stored, _NOT_PLAIN) == []
    ranked = _ranked("aliases", aliases)
    different = [alias for alias, place in zip(aliases, ranked) if pickle.dumps(stored[alias]) != pickle.dumps(place)]
    assert not different, f"{len(different)} aliases differ from the ranking, e.g. {different[:5]}"
    assert [key for key in packed.keys() if name_key(key) != key] == []


def test_a_large_batch_is_byte_identical_to_lookup_one_by_one(gazetteer):
    """Names as written (accents, capitals, hyphens, apostrophes), through ``lookup_many`` (which
    reads the stored answers) and through ``lookup``, one query at a time."""
    names = _sample(gazetteer, 4_000)
    assert len(names) >= answers.LOAD_ALL_FROM
    assert sum(not name.isascii() for name in names) > 500
    assert sum(not name.isalpha() for name in names) > 1_000
    batch = Gazetteer(include_saved=False).lookup_many(names)
    one_by_one = _full_ranking()
    for name, place in zip(names, batch):
        try:
            expected = one_by_one.lookup(name)
        except LookupError:
            expected = None
        assert pickle.dumps(place) == pickle.dumps(expected), name


def test_context_other_focus_and_only_keep_the_full_ranking(gazetteer):
    full = Gazetteer(include_saved=False)
    for query, kwargs in (("Kati, Mali", {}), ("Kati", {"country": "SN"}), ("Kati", {"country": ""})):
        assert pickle.dumps(gazetteer.lookup_many([query], **kwargs)[0]) == pickle.dumps(full.lookup(query, **kwargs))
    only = Gazetteer(include_saved=False, only=["SN"])
    assert only.lookup_many(["Kati"]) == [None] or only.lookup_many(["Kati"])[0].country_code == "SN"


def test_a_large_batch_reads_every_answer_once_and_a_small_one_loads_nothing(gazetteer):
    """Past ``LOAD_ALL_FROM`` names the answers come from the packed blob, loaded once per process;
    a small batch (``mali-map geocode Kati``) loads nothing and ranks. Both give byte for byte the
    same places, alternatives included."""
    names = _sample(gazetteer, answers.LOAD_ALL_FROM)
    answers._LOADED.clear()
    small = Gazetteer(include_saved=False)
    ranked = [place for chunk in range(0, 400, 100) for place in small.lookup_many(names[chunk : chunk + 100])]
    assert not answers._LOADED, "a small batch loads nothing"
    large = Gazetteer(include_saved=False).lookup_many(names)
    assert len(answers._LOADED) == 1
    packed = next(iter(answers._LOADED.values()))
    assert sum(bool(place and place.alternatives) for place in large) > 100
    assert [pickle.dumps(p) for p in large[:400]] == [pickle.dumps(p) for p in ranked]
    # loaded once: a fresh gazetteer on the same index reuses it, even for a small batch
    Gazetteer(include_saved=False).lookup_many(names[:10])
    assert next(iter(answers._LOADED.values())) is packed
    # names without a stored answer, context and offsets still take the full ranking
    odd = ["Kati, Mali", "Gao 50km W", "Zzyzzqx", "", "  ", "Kati 2", "Bamako;", "Ségou"]
    assert name_key("Zzyzzqx") not in packed
    assert [pickle.dumps(p) for p in Gazetteer(include_saved=False).lookup_many(names + odd)[-len(odd) :]] == [
        pickle.dumps(p) for p in small.lookup_many(odd)
    ]


def test_places_from_stored_answers_keep_their_fields_apart(gazetteer, packed):
    """A region named like its main town (Gao, Gao) keeps two string objects, as rows read from
    SQLite do: a place pickled alone is the same bytes either way, and no field leaks into another."""
    memo: dict = {}
    packed.resolve(["Gao", "Tombouctou", "Mopti"] * 2, memo, _NOT_PLAIN)
    for place in memo.values():
        strings = [place.name, place.country_code, place.admin1, place.feature, place.source, place.query]
        assert len({id(s) for s in strings if s is not None and len(s) > 1}) == sum(
            1 for s in strings if s is not None and len(s) > 1
        )


def test_lower_casing_never_changes_a_name_key():
    """What makes the stored aliases sound (``ségou`` beside ``segou``: see ``_Packer.add_aliases``):
    a query that lower-cases to an alias has the alias's key. Checked for every character that
    lower-casing changes, alone, inside a word and at a word's end (the final sigma)."""
    changed = [chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000 and chr(code).lower() != chr(code)]
    assert len(changed) > 1_000
    for char in changed:
        for text in (char, f"a{char}b", f"ab{char}", char * 2):
            assert name_key(text) == name_key(text.lower()), hex(ord(char))


def test_a_name_not_in_ascii_is_found_by_its_lower_cased_alias(packed):
    """``Ségou`` is looked up as ``ségou`` (an alias, not a key) and answered as ``segou`` is."""
    assert "ségou" not in packed.keys() and "ségou" in packed and "segou" in packed
    memo: dict = {}
    assert packed.resolve(["Ségou", "SÉGOU", "Segou"], memo, _NOT_PLAIN) == []
    full = _full_ranking()
    for query, place in memo.items():
        assert pickle.dumps(place) == pickle.dumps(full.lookup(query)), query


def test_both_loops_refuse_a_query_that_is_no_text_alike(gazetteer, packed):
    """A number among the queries stops the batch with the error ``str.lower`` gives, whichever loop reads."""
    with pytest.raises(TypeError) as refused:
        packed.resolve(["Kati", 12.5, "Gao"], {}, _NOT_PLAIN)  # type: ignore[list-item]
    assert "'lower'" in str(refused.value) and "'float'" in str(refused.value)


def test_both_loops_answer_repeats_and_hand_back_what_they_cannot_read(gazetteer, packed):
    """Repeated queries each get the same answer; context, offsets and unknown names come back, in order."""
    memo: dict = {}
    queries = ["Kati", "KATI", "Kati", "Kati, Mali", "Zzyzzqx", "Gao 50km W", "Kati"]
    assert packed.resolve(queries, memo, _NOT_PLAIN) == ["Kati, Mali", "Zzyzzqx", "Gao 50km W"]
    full = _full_ranking()
    for query in ("Kati", "KATI"):
        assert pickle.dumps(memo[query]) == pickle.dumps(full.lookup(query))


def test_the_compiled_loop_refuses_a_damaged_blob_rather_than_reading_past_it(gazetteer):
    """Offsets in the blob are checked before C reads through them: a hash table pointing past the
    records, or a record whose key lies past the text, is an error, not a read of other memory."""
    if answers.COMPILED is None:
        pytest.skip("the compiled loop was not built here")
    parts = list(pickle.loads(_blob(gazetteer)))  # (count, text, records, table, ...): see _Packer.blob
    text, records, table = parts[1], parts[2], array("i", parts[3])
    slot = zlib.crc32(b"kati") & (len(table) - 1)  # where the look-up of "Kati" starts
    assert table[slot] >= 0, "Kati is stored, so its look-up meets a record there"

    def damaged(index: int, part: bytes) -> answers.PackedAnswers:
        return answers.PackedAnswers(pickle.dumps(tuple(parts[:index] + [part] + parts[index + 1 :])))

    past_the_records = array("i", table)
    past_the_records[slot] = len(records)
    with pytest.raises(ValueError, match="past the records"):
        damaged(3, past_the_records.tobytes()).resolve(["Kati"], {}, _NOT_PLAIN)
    key_past_the_text = bytearray(records)
    where = table[slot] + struct.calcsize("<iddddq")  # the record's key start, then its name start
    key_past_the_text[where : where + 8] = struct.pack("<II", len(text) + 10, len(text) + 20)
    with pytest.raises(ValueError, match="outside the text"):
        damaged(2, bytes(key_past_the_text)).resolve(["Kati"], {}, _NOT_PLAIN)
