"""Name normalisation: the key under which places are stored and looked up.

Reports spell the same place many ways: "Ségou", "SEGOU", "Segou.", "Ségou,".
:func:`name_key` folds case, accents and punctuation so they share one key,
while keeping letters of other scripts (Arabic, Cyrillic, ...) intact.

>>> name_key("Ségou")
'segou'
>>> name_key("  Kati-Ville ")
'kati ville'
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Combining marks that NFKD splits off letters: Latin, Greek and Cyrillic diacritics,
# Hebrew points and Arabic vowel marks. Removing them with one regex is several
# times faster than testing every character.
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0670"
                        "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Letters that NFKD does not decompose but that readers treat as a plain letter.
_FOLD = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
    "ł": "l", "ı": "i", "ɔ": "o", "ɛ": "e", "ŋ": "n", "ɲ": "ny", "’": "'",
})


def name_key(text: str) -> str:
    """Return the lookup key of a place name: lower case, no accents, no punctuation."""
    if text.isascii():  # fast path: most queries are plain ASCII
        return _NON_WORD.sub(" ", text.lower()).strip()
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold().translate(_FOLD)))
    return _NON_WORD.sub(" ", text).strip()
