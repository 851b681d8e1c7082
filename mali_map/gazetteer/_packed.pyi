"""Types of the compiled batch loop (``_packed.c``; see :mod:`mali_map.gazetteer.answers`)."""

from typing import Any

LAYOUT: int
RECORD_SIZE: int

def resolve(
    queries: list[str],
    records: bytes,
    text: str,
    table: memoryview,
    combinations: list[tuple[str | None, str | None, str, str]],
    extras_read: dict[int, Any],
    read_extra: Any,
    place_type: type,
    no_extra: tuple[float, bool, tuple[Any, ...]],
    memo: dict[str, Any],
) -> list[str]: ...
