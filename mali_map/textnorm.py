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
# Letters that NFKD does not decompose but that readers treat as a plain letter.
_FOLD = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
    "ł": "l", "ı": "i", "ɔ": "o", "ɛ": "e", "ŋ": "n", "ɲ": "ny", "’": "'",
})


def name_key(text: str) -> str:
    """Return the lookup key of a place name: lower case, no accents, no punctuation."""
    if text.isascii():  # fast path: most queries are plain ASCII
        return _NON_WORD.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()
