"""Distance and direction claims: read them from text, check them against the gazetteer.

- :func:`extract_claims` (text -> :class:`Claim`, parse only),
- :func:`check_claim` (text -> :class:`ClaimResult` with a verdict, the
  distance, the range the places' extents allow, and a sentence a reporter can
  paste), :func:`check_claims` (texts -> one :class:`TextClaims` per text, in
  order) and :func:`iter_claims` (texts or claims -> every result, flat).

The verdicts, tolerances and the extent model are explained in ``docs/claims.md``.
The records load at once; parsing (its patterns take a few tens of milliseconds to
compile) and verification load on first use, so a map without claims costs neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from .records import Claim, ClaimResult, PlaceMention, TextClaims

_EXPORTS = {
    "extract_claims": "mali_map.claims.extract",
    **dict.fromkeys(
        ("check_claim", "check_claims", "iter_claims", "ClaimChecker", "distances_for", "distances_by_index"),
        "mali_map.claims.verify",
    ),
}
__all__ = ["Claim", "ClaimResult", "PlaceMention", "TextClaims", *_EXPORTS]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, eager=("Claim", "ClaimResult", "PlaceMention", "TextClaims"))

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .extract import extract_claims
    from .verify import ClaimChecker, check_claim, check_claims, distances_by_index, distances_for, iter_claims
