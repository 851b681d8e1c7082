"""name_key's fast paths give exactly the keys of its plain definition.

The definition is kept here, written the straightforward way (case fold,
``_FOLD``, NFKD, drop the listed combining marks, punctuation to single
spaces), and compared with :func:`mali_map.textnorm.name_key` on every
character of the Basic Multilingual Plane, on a few thousand varied names and
on random text. Stored indexes hold keys made by earlier versions, so a
difference would make places unfindable.
"""

import random
import re
import unicodedata

from hypothesis import given, settings, strategies as st

from mali_map.textnorm import name_key

_NON_WORD = re.compile(r"[\W_]+")
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ɔ": "o",
        "ɛ": "e",
        "ŋ": "n",
        "ɲ": "ny",
        "’": "'",
    }
)


def reference_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return _NON_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip()


_PIECES = [
    "Ségou",
    "SEGOU",
    "Segou.",
    "  Kati-Ville ",
    "Niamana-Kôrô",
    "Tombouctou",
    "Tin-Essako",
    "Ménaka",
    "N'Djamena",
    "Kidal’s",
    "Straße",
    "Æbeltoft",
    "Œuvre",
    "Ørsta",
    "Łódź",
    "Þingvellir",
    "Đà Nẵng",
    "ɔkɛ",
    "Kɔnɔbɔugou",
    "ɲɛna",
    "ŋaa",
    "İstanbul",
    "ıspar",
    "ΣΑΣ",
    "Οδυσσεύς",
    "Москва",
    "Ёлкино",
    "йод",
    "Київ",
    "تمبكتو",
    "غَاو",
    "كِيدَال",
    "מְנַחֵם",
    "北京",
    "東京都",
    "서울",
    "ﬁnca",
    "①②",
    "Ｔｏｋｙｏ",
    "ｶﾀｶﾅ",
    "नई दिल्ली",
    "क़िला",
    "ज़",
    "กรุงเทพฯ",
    "ไทย",
    "ພາສາລາວ",
    "ܣܘܪܝܝܐ",
    "ۖ",
    "a\u0301\u0323",
    "a\u0323\u0301",
    "a\u093c\u094d",
    "a\u094d\u093c",
    "e\u20dd",
    "\u0488x",
    "x\u0670",
    "ǅ",
    "ﬀ",
    "Å",
    "Å",
    "K",
    "µ",
    "__init__",
    "a_b",
    "1,2;3",
    "  ",
    "",
    "-",
    "\t\n",
    "\x00",
    "\u00a0\u2003",
    "O'Brien",
    "St. Louis",
    "Mopti (ville)",
    "Gao/Tessit",
    "Bamako  –  Kati",
    "Ҫ",
    "ῼ",
    "ᾈ",
    "Ǆ",
    "ȷ",
    "\U0001d400bc",
    "\U00020000",
    "\ud800x",
    "😀 Ségou",
    "Ω",
    "Ⅻ",
    "½",
    "²",
    "㎞",
    "℃",
]


def varied_names(count: int, seed: int = 7) -> list[str]:
    """``count`` names glued from the pieces above with random separators and case."""
    rng = random.Random(seed)
    separators = ["", " ", "-", ",", "'", "  ", ".", "_", "’"]
    names = list(_PIECES)
    while len(names) < count:
        parts = [rng.choice(_PIECES) for _ in range(rng.randint(1, 3))]
        name = rng.choice(separators).join(parts)
        names.append(name.upper() if rng.random() < 0.2 else name)
    return names


def test_every_bmp_character_has_its_reference_key():
    for code in range(0x10000):
        char = chr(code)
        assert name_key(char) == reference_key(char), hex(code)
        assert name_key("a" + char + "b") == reference_key("a" + char + "b"), hex(code)


def test_varied_names_have_their_reference_keys():
    names = varied_names(5000)
    assert sum(not name.isascii() for name in names) > 2000
    for name in names:
        assert name_key(name) == reference_key(name), repr(name)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_random_text_has_its_reference_key(text):
    assert name_key(text) == reference_key(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(categories=("Mn", "Mc", "Me", "Lo", "Ll", "Lu", "Zs", "Po")), max_size=12))
def test_marks_in_any_order_have_their_reference_key(text):
    assert name_key(text) == reference_key(text)
