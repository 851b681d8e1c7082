"""The words of distance claims: comparators, units, directions and the patterns built from them.

Everything here is data or a compiled regular expression, built once at import
so that reading 10,000 sentences costs only the matching. English first,
French where reports commonly use it. :mod:`mali_map.claims.extract` puts the
pieces together; :mod:`mali_map.claims.numbers` turns number phrases into values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..geodesy import UNIT_WORDS, unit_code as unit_code  # unit_code: re-exported for extract
from ..vocabulary import COMPASS_LETTERS_PATTERN, COMPASS_WORD_PATTERN, COMPASS_WORD_PATTERN_FR
from .numbers import COLLECTIVES, VAGUE, WORD_VALUES

# --- comparators -------------------------------------------------------------------------------

#: comparator phrase (lower case, single spaces) -> (comparator, tight)
#: ``tight`` marks words that also bound the other side: "nearly 10 km" is under 10 km but not far under.
COMPARATORS: dict[str, tuple[str, bool]] = {}
for _words, _sign, _tight in (
    ("less than|fewer than|under|below|a little under|à moins de|moins de", "<", False),
    ("just under|just below|à un peu moins de|un peu moins de", "<", True),
    (
        "within|no more than|not more than|no further than|no farther than|up to|at most|"
        "à au plus|au plus|jusqu'à|jusqu’à|à moins d'un|à moins d’un|à moins d'une",
        "<=",
        False,
    ),
    ("nearly|almost|barely|à près de|près de|à peine|à presque|presque", "<=", True),
    (
        "more than|over|beyond|further than|farther than|upwards of|à plus de|plus de|au-delà de|à plus d'un|"
        "à plus d’un|plus d'un",
        ">",
        False,
    ),
    (
        "just over|just beyond|a little over|a little more than|slightly more than|à un peu plus de|"
        "un peu plus de|à peine plus de",
        ">",
        True,
    ),
    ("at least|no less than|not less than|à au moins|au moins", ">=", False),
    (
        "about|around|roughly|some|approximately|approx.|close to|circa|an estimated|estimated|"
        "à environ|environ|à quelque|quelque|à approximativement|approximativement|à|à une distance de|"
        "à une distance d'environ|at a distance of|at about|at around|at some|at roughly",
        "~",
        False,
    ),
):
    for _word in _words.split("|"):
        COMPARATORS[_word] = (_sign, _tight)

# units: the words live in :data:`mali_map.geodesy.UNIT_WORDS` (``UNIT_CODES`` and ``unit_code`` read them)

# --- directions --------------------------------------------------------------------------------

_COMPASS_WORD = COMPASS_WORD_PATTERN
_COMPASS_FR = COMPASS_WORD_PATTERN_FR
DIRECTION_EN = (
    rf"(?i:{_COMPASS_WORD}(?:[-\s]?{_COMPASS_WORD}){{0,2}})"
    rf"|(?-i:\b{COMPASS_LETTERS_PATTERN}\b)"
)
DIRECTION_FR = rf"(?i:{_COMPASS_FR}(?:-{_COMPASS_FR}){{0,2}})"

# --- numbers -----------------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (longest first), as a trie so the engine tries
    each letter once instead of every word in turn; spaces match any run of whitespace."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for token in re.findall(r"\s+|.", word):
            node = node.setdefault(" " if token.isspace() else token, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = []
    for token in sorted(k for k in node if k):
        piece = r"\s+" if token == " " else re.escape(token)
        rest = _trie_regex(node[token])
        branches.append(piece + (f"(?:{rest})" if "|" in rest else rest))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


_SMALL_WORDS = [w for w, v in WORD_VALUES.items() if v == int(v) and w not in ("a", "an", "une", "un", "half", "demi")]
# repetitions are bounded (a spelled number has a dozen words at most, a grouped one eight groups) and a
# number never starts inside a run of digits, so each start costs a bounded amount of work and parsing
# stays linear in the text, even for a line of "1" or "twenty" repeated thousands of times
_WORD_NUMBER = (
    rf"(?:(?:{_alternation(_SMALL_WORDS)}|a|an|one)(?:[\s-]+(?:and[\s-]+)?(?:hundred|thousand|{_alternation(_SMALL_WORDS)})){{0,12}}"
    r"(?:\s+and\s+a\s+half)?|half\s+an?|quatre-vingts?(?:-\w+)?|cents?|mille)"
)
_DIGITS = (
    r"(?:(?<![\w.,])[-−](?=\d)|\bminus\s+|\bmoins\s+(?=\d))?"
    r"(?<!\d)(?<!\d[.,])(?<!\d[eE][-+])(?:\d{1,3}(?:[,. \u00a0\u202f]\d{3}){1,8}(?![\d])(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?)(?:[eE][-+]?\d+)?"
)  # an exponent is read (and "1e400 km" flagged), never dropped
_COLLECTIVE = rf"(?:(?:a|an|une|some)\s+)?(?:{_alternation(COLLECTIVES)})(?:\s+of|\s+de|\s+d['’])?"
_VAGUE = rf"(?:{_alternation(VAGUE)})(?:(?<!of)(?<!de)\s+(?:of|de))?"
NUMBER = rf"(?:{_VAGUE}|{_COLLECTIVE}|{_DIGITS}|\b(?i:{_WORD_NUMBER}))"

UNIT = rf"(?:(?i:nautical\s+miles?)|{_alternation(w for ws in UNIT_WORDS.values() for w in ws)})(?![^\W\d_])"

# --- place names -------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAPWORD = rf"(?:[{_UPPER}](?:['’][{_UPPER}])?[^\W\d_]*(?:['’-][^\W\d_]+)*)"
#: a place name: capitalised words, with the small joining words of African and Arabic names
NAME = rf"(?:{_CAPWORD}(?:\s+(?:(?:de|du|des|el|al|la|ag|ould|ben|bin)\s+)?{_CAPWORD}){{0,3}})"
NAME_RE = re.compile(rf"(?<![^\W\d_]){NAME}")

#: capitalised words that start sentences or name times, never places
NOT_PLACES = frozenset(
    """
the a an it its this that these those there here he she they we i in on at by from to of for and but or
after before during while when where which who since until as according some about around near its his her
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december le la les un une il elle ils elles dans selon depuis après avant lors
lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
septembre octobre novembre décembre reuters afp ap un minusma
fighting soldiers troops gunmen residents officials witnesses attackers militants jihadists police army
government clashes violence insurgents rebels fighters villagers sources security military forces
""".split()
)

# --- the claim pattern --------------------------------------------------------------------------

_COMPARATOR = _alternation(COMPARATORS)
_AMOUNT = rf"(?P<num>{NUMBER})(?:\s*-\s*|\s*)(?P<unit>{UNIT})"
# "and"/"et" join a range only after "between"/"entre": "two hundred and fifty km" is one number
#: the lower bound of a compound range: "more than 10 (miles) but less than 15 miles"
_OVER = "more than|over|at least|upwards of|plus de|à plus de|au moins"
_UNDER = "less than|under|below|at most|no more than|moins de|à moins de|au plus"
_RANGE = (
    rf"(?:(?P<btw>(?i:between|entre)\s+)|(?P<over>(?i:{_alternation(_OVER.split('|'))}))\s+)?"
    rf"(?P<lo>{NUMBER})(?:\s*(?P<lounit>{UNIT}))?\s*"
    rf"(?(btw)(?i:and|et|to|à|[-–])|(?(over),?\s*(?i:but|and|yet|mais|et|though)\s+"
    rf"(?i:{_alternation(_UNDER.split('|'))})|(?:(?i:to|à)|[-–](?=\s*\d))))\s*"
    rf"(?P<hi>{NUMBER})(?:\s*-\s*|\s*)(?P<hiunit>{UNIT})"
)
_AFTER = (
    r"(?:\s+(?i:away|out|by\s+road|by\s+air|by\s+car|as\s+the\s+crow\s+flies|in\s+a\s+straight\s+line|"
    r"drive|journey|trip|walk|ride|par\s+la\s+route|à\s+vol\s+d['’]oiseau|en\s+ligne\s+droite)){0,2}"
)
_LINK_DIRECTION = (
    rf"\s+(?:(?i:to\s+the|due|further|farther)\s+)?(?P<dir>{DIRECTION_EN})\s+(?i:of|from)\s+"
    rf"|\s+(?i:au|à\s+l['’])\s*(?P<dirfr>{DIRECTION_FR})\s+(?i:de\s+la\s+|de\s+l['’]|de\s+|du\s+|d['’])"
)
_LINK_PLAIN = r"\s+(?i:(?:away\s+)?from|of|outside(?:\s+of)?|de\s+la\s+|de\s+l['’]|de\s+|du\s+|d['’])\s*"

_DEMONYM = rf"[{_UPPER}][^\W\d_]+(?:\s+[{_UPPER}][^\W\d_]+)?"
_ANCHOR = (
    # "the capital", "the Malian capital", "the capital of Mali", "the capital, Bamako", "Mali's capital"
    rf"(?:(?i:the\s+)?(?P<cdem>{_DEMONYM}\s+)?(?i:capital)(?![^\W\d_])(?:\s+(?i:city))?(?:\s+(?i:of)\s+(?P<cof>{NAME}))?"
    rf"(?:,?\s+(?P<cname>{NAME})(?=\s*(?:[.,;:)!?]|$)))?"
    rf"|(?P<cposs>{NAME})['’]s\s+(?i:capital)(?![^\W\d_])(?:,?\s+(?P<cname2>{NAME})(?=\s*(?:[.,;:)!?]|$)))?"
    # "la capitale", "la capitale malienne", "la capitale du Mali"
    rf"|(?:la\s+)?capitale(?:\s+(?:du\s+|de\s+la\s+|de\s+l['’]|des\s+|de\s+)(?P<cfrof>{NAME})"
    rf"|\s+(?P<cfrdem>[a-zéèêëàâîïôûç]+(?:\s+[a-zéèêëàâîïôûç]+)?)(?=\s*(?:[.,;:)!?]|$)))?"
    rf"(?:,?\s+(?P<cname3>{NAME})(?=\s*(?:[.,;:)!?]|$)))?)"
    # "the town of Kati", "the northern city of Gao", "la ville de Gao", or just a name
    rf"|(?:(?i:the)\s+(?:[a-z-]+\s+){{0,2}}(?:town|city|village|commune|locality|garrison\s+town|region|"
    rf"district|camp|base|settlement|hamlet)\s+of\s+|(?:la\s+)?(?:ville|localité|commune|région)\s+(?:de\s+|d['’]))?"
    rf"(?P<name>{NAME})"
)

#: a distance claim, from its comparator to its anchor
CLAIM_RE = re.compile(
    rf"(?:(?P<cmp>(?<![^\W\d_])(?i:{_COMPARATOR}))\s+|(?<![^\W\d_]))"
    rf"(?:{_RANGE}|{_AMOUNT})"
    rf"(?:\s*\((?P<also>[^()]{{1,40}})\))?"
    rf"(?P<after>{_AFTER})"
    rf"(?:{_LINK_DIRECTION}|{_LINK_PLAIN})"
    rf"(?:{_ANCHOR})"
)

#: an anchor on its own ("the Malian capital", "Bamako"), for ``--to`` in the command line
ANCHOR_RE = re.compile(rf"\s*(?:{_ANCHOR})\s*$")

#: a direction-only claim: "Kidal lies north-east of Gao", "Kidal se trouve au nord-est de Gao"
DIRECTION_RE = re.compile(
    rf"(?:(?i:lies|lie|is|are|was|sits|stands|located|situated|lying|sitting|,)\s+"
    rf"(?:(?i:to\s+the|due|further|farther|just|well)\s+)?(?P<dir>{DIRECTION_EN})\s+(?i:of)\s+"
    rf"|(?i:se\s+trouve|est|situé|située|situés|situées|,)\s+(?i:au|à\s+l['’])\s*(?P<dirfr>{DIRECTION_FR})\s+"
    rf"(?i:de\s+la\s+|de\s+l['’]|de\s+|du\s+|d['’]))"
    rf"(?:{_ANCHOR})"
)

#: "Kati and Bamako are about 15 km apart"; "the distance between Kati and Bamako is 18 km"
APART_RE = re.compile(
    rf"(?<![^\W\d_])(?P<a>{NAME})\s+(?:and|et)\s+(?P<b>{NAME})\s+(?i:are|lie|sit|were|sont)\s+"
    rf"(?:(?P<cmp>(?i:{_COMPARATOR}))\s+)?(?:{_AMOUNT})(?:\s*\((?P<also>[^()]{{1,40}})\))?\s+"
    r"(?i:apart|away from each other|l'une de l'autre|l’une de l’autre)"
    rf"|(?i:the\s+distance\s+between|la\s+distance\s+entre)\s+(?P<a2>{NAME})\s+(?:and|et)\s+(?P<b2>{NAME})\s+(?i:is|est\s+de|est)\s+"
    rf"(?:(?P<cmp2>(?i:{_COMPARATOR}))\s+)?(?P<num2>{NUMBER})(?:\s*-\s*|\s*)(?P<unit2>{UNIT})(?:\s*\((?P<also2>[^()]{{1,40}})\))?"
)

#: sentence boundaries: end punctuation then a capital or quote, or a line break
#: (group ``stop`` ends the sentence; the rest is the gap before the next one)
SENTENCE_END_RE = re.compile(rf"(?P<stop>[.!?…][\"”’)]?)\s+(?=[\"“‘(\[]?[{_UPPER}\d])|\r?\n")

#: a negation right before a claim's comparator or number: "isn't", "is not", "never", "n'est pas", "pas"
NEGATION_BEFORE_RE = re.compile(
    r"(?:\b(?:not|never)|n['’]t|\bn['’](?:est|était|se\s+trouve)\s+(?:pas|jamais)(?:\s+situé[es]*)?|\bpas)\s+$",
    re.IGNORECASE,
)

#: the distance after a direction-only claim: "south-east of Mopti, some 900 km away"
TRAILING_DISTANCE_RE = re.compile(
    rf"\s*,?\s*(?:(?i:which\s+is|that\s+is|and)\s+)?(?:(?P<cmp>(?i:{_COMPARATOR}))\s+)?"
    rf"(?P<num>{NUMBER})(?:\s*-\s*|\s*)(?P<unit>{UNIT})\s+(?i:away|distant|off|from\s+it|from\s+there)"
)
