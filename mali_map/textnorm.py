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
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
# Letters that NFKD does not decompose but that readers treat as a plain letter.
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
# What _CharTable gives a character that needs the whole-string definition.
_NEEDS_WHOLE_STRING = "\x00"


def name_key(text: str) -> str:
    """Return the lookup key of a place name: lower case, no accents, no punctuation."""
    if text.isascii():  # fast path: most names are plain ASCII
        lower = text.lower()
        if lower.isalnum():  # one word: nothing to fold
            return lower
        return _NON_WORD.sub(" ", lower).strip()
    folded = text.translate(_CHAR_KEYS)
    if _NEEDS_WHOLE_STRING in folded:
        return _whole_string_key(text)
    return folded if folded.isalnum() else " ".join(folded.split())


def _whole_string_key(text: str) -> str:
    """The definition of :func:`name_key`: fold, decompose, drop the marks, punctuation to spaces."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold().translate(_FOLD)))
    return _NON_WORD.sub(" ", text).strip()


class _CharTable(dict):
    """``str.translate`` table giving each character its part of the key, computed on first use.

    Case folding, ``_FOLD`` and NFKD decomposition work character by
    character; only NFKD's reordering of combining marks looks at neighbours,
    and reordering cannot change a key when the marks are punctuation to it
    (each run of them becomes one space). So the key of a string is the keys
    of its characters joined, runs of spaces collapsed and ends trimmed. A
    character whose decomposition keeps a combining mark that is a word
    character (none in Unicode 15) maps to ``_NEEDS_WHOLE_STRING`` and sends
    its string to the definition. Four times faster than the definition for
    accented names.
    """

    def __missing__(self, code: int) -> str:
        kept = _COMBINING.sub("", unicodedata.normalize("NFKD", chr(code).casefold().translate(_FOLD)))
        if any(unicodedata.combining(char) and not _NON_WORD.match(char) for char in kept):
            key = _NEEDS_WHOLE_STRING
        else:
            key = _NON_WORD.sub(" ", kept)
        self[code] = key
        return key


_CHAR_KEYS = _CharTable()
