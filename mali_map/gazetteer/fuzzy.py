"""Near names for misspellings ("Tombuctou", "Bamakko") and "did you mean".

Comparing a name against all 1.4 million keys of the index on every miss
would take a second. Misspellings rarely change the first letter, and names
in the focus country are the likeliest targets, so we compare against two
small pools, each loaded once and kept: the keys sharing the first letter,
and every key of a place in the focus country. RapidFuzz does the scoring,
only on the keys whose length allows the similarity asked for (a pool is kept
sorted by length), so a file of thousands of unknown names stays quick.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Iterable, Sequence

#: Similarity (0..100) a key needs to be taken as a misspelling of the query.
MIN_SIMILARITY = 80.0
#: Similarity a key needs to be offered as "did you mean" when nothing matched.
SUGGESTION_SIMILARITY = 60.0
#: Similarity (0..1) a misspelling needs to be answered rather than suggested
#: ("Tombuctou" -> "Tombouctou" is 0.95; "Diabaly" -> "Dubai" far below).
ANSWER_SIMILARITY = 0.85
#: Without a named region that agrees, a misspelling is answered only when it is
#: of a town or bigger, has at least this many letters and keeps the first
#: letter: random village-shaped names come within 0.85 of some short name or
#: hamlet about once in a hundred (see the README, "How sure is an answer").
UNAIDED_FEATURES = frozenset({"capital", "city", "town"})
UNAIDED_MIN_LETTERS = 6


def length_window(length: int, min_similarity: float) -> tuple[int, int]:
    """The key lengths that can reach ``min_similarity`` (0..100) against a key of ``length``.

    RapidFuzz's ratio is ``2 * matches / (len_a + len_b)`` and the matches are at
    most the shorter length, so lengths far apart can never reach it.

    >>> length_window(10, 80.0)
    (7, 15)
    """
    import math

    share = max(min_similarity, 1.0) / 100.0
    slack = 1e-9  # a length that reaches the cutoff exactly stays in
    return math.ceil(length * share / (2 - share) - slack), math.floor(length * (2 - share) / share + slack)


class FuzzyNames:
    """Similar-key search over the names of some index connections."""

    def __init__(self, connections: Sequence[sqlite3.Connection]):
        self._connections = connections
        self._by_letter: dict[str, list[str]] = {}
        self._by_country: dict[str, list[str]] = {}
        self._pools: dict[tuple[str, str | None], tuple[list[str], list[int]]] = {}
        self._sorted_by_country: dict[str, tuple[tuple[list[str], list[int]], frozenset[str]]] = {}

    def similar(
        self,
        key: str,
        focus: str | None,
        *,
        limit: int = 5,
        min_similarity: float = MIN_SIMILARITY,
        within: frozenset[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Keys similar to ``key``, best first, as ``(key, similarity 0..1)``; never ``key`` itself.

        ``within``: only keys of places in these countries (a query that names
        its country), whatever their first letter.
        """
        if len(key) < 3:
            return []
        from rapidfuzz import fuzz, process

        if within is not None:
            pool_key = ("", ",".join(sorted(within)))
            if pool_key not in self._pools:
                self._pools[pool_key] = _by_length({k for code in within for k in self._country_pool(code)})
            pools = [self._pools[pool_key]]
        else:
            pools = self._letter_and_focus_pools(key[0], focus)
        shortest, longest = length_window(len(key), min_similarity)
        # the best limit + 1 of each pool, then of them all: as if the pools were one list in the
        # same order (RapidFuzz breaks ties by position, i.e. by length, then text)
        matches = []
        for pool, lengths in pools:
            window = pool[bisect.bisect_left(lengths, shortest) : bisect.bisect_right(lengths, longest)]
            matches += process.extract(key, window, scorer=fuzz.ratio, limit=limit + 1, score_cutoff=min_similarity)
        if len(pools) > 1:
            matches.sort(key=lambda m: (-m[1], len(m[0]), m[0]))
            del matches[limit + 1 :]
        matches.sort(key=lambda m: (-m[1], m[0]))
        return [(match, score / 100.0) for match, score, _ in matches if match != key][:limit]

    def _letter_and_focus_pools(self, letter: str, focus: str | None) -> list[tuple[list[str], list[int]]]:
        """The keys to compare with, as pools sorted by length then text (each built once): the
        focus country's keys, and the other keys with the same first letter. Kept apart, not
        merged per letter: a US focus holds 160,000 keys, and a long report asks a dozen letters."""
        country, members = self._sorted_country(focus) if focus else (([], []), frozenset())
        if (letter, focus) not in self._pools:
            self._pools[(letter, focus)] = _by_length({k for k in self._letter_pool(letter) if k not in members})
        return [self._pools[(letter, focus)], country] if focus else [self._pools[(letter, focus)]]

    def _sorted_country(self, country_code: str) -> tuple[tuple[list[str], list[int]], frozenset[str]]:
        """The country's keys as a pool sorted by length then text, and as a set (built once per country)."""
        found = self._sorted_by_country.get(country_code)
        if found is None:
            keys = frozenset(self._country_pool(country_code))
            found = self._sorted_by_country[country_code] = (_by_length(keys), keys)
        return found

    def _letter_pool(self, letter: str) -> list[str]:
        if letter not in self._by_letter:
            upper = chr(ord(letter) + 1)
            self._by_letter[letter] = [
                key
                for conn in self._connections
                for (key,) in conn.execute("SELECT DISTINCT key FROM names WHERE key >= ? AND key < ?", (letter, upper))
            ]
        return self._by_letter[letter]

    def _country_pool(self, country_code: str) -> list[str]:
        if country_code not in self._by_country:
            self._by_country[country_code] = [
                key
                for conn in self._connections
                for (key,) in conn.execute(
                    "SELECT DISTINCT n.key FROM places p JOIN names n ON n.place_id = p.id WHERE p.country_code = ?",
                    (country_code,),
                )
            ]
        return self._by_country[country_code]


def _by_length(keys: Iterable[str]) -> tuple[list[str], list[int]]:
    """Keys sorted by length then text, with their lengths (for :func:`bisect` on a length window)."""
    ordered = sorted(keys)
    ordered.sort(key=len)  # stable: by text within a length, without a tuple per key (3x faster)
    return ordered, [len(k) for k in ordered]
