"""Distance and direction claims: read them from text, check them against the gazetteer.

- :func:`extract_claims` (text -> :class:`Claim`, parse only),
- :func:`check_claim` (text -> :class:`ClaimResult` with a verdict, the
  distance, the range the places' extents allow, and a sentence a reporter can
  paste), :func:`check_claims` (texts -> one :class:`TextClaims` per text, in
  order) and :func:`iter_claims` (texts or claims -> every result, flat).

The verdicts, tolerances and the extent model are explained in ``docs/claims.md``.
Verification imports the gazetteer lazily, so parsing stays cheap.
"""

from __future__ import annotations

from .extract import extract_claims
from .records import Claim, ClaimResult, PlaceMention, TextClaims


def __getattr__(name: str):
    if name in ("check_claim", "check_claims", "iter_claims", "ClaimChecker", "distances_for", "distances_by_index"):
        from . import verify

        return getattr(verify, name)
    raise AttributeError(f"module 'mali_map.claims' has no attribute {name!r}")


__all__ = ["Claim", "ClaimResult", "PlaceMention", "TextClaims", "extract_claims", "check_claim", "check_claims",
           "iter_claims", "ClaimChecker", "distances_for", "distances_by_index"]
