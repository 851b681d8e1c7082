"""Request pacing for the Nominatim client: geopy's RateLimiter on our clock, within a deadline.

geopy's ``RateLimiter`` spaces requests (here from the end of one exchange to the start of
the next) and retries failed ones; the subclass
built here takes its clock and sleep from the caller (tests pass fake ones,
so they never wait) and refuses any wait that would end past the lookup's
deadline, raising :class:`_OutOfTime` instead. :class:`_Attempt` carries the
deadline, a 429's ``Retry-After`` and the last error between the request
function and the limiter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

#: Don't start a request (or a wait before one) with less time than this left.
MIN_REQUEST_S = 0.2


class _OutOfTime(Exception):
    """The lookup's deadline would pass before the next request could finish."""


class _Attempt(threading.local):
    """Per-thread state of the lookup in progress, shared by the request function and the limiter."""

    deadline: float | None = None
    retry_after_s: float = 0.0
    last_error: str = ""
    requests: int = 0


def _rate_limiter(
    func: Callable,
    attempt: _Attempt,
    *,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    min_delay_s: float,
    max_retries: int,
    error_wait_s: float,
) -> Any:
    """geopy's RateLimiter with our clock and sleep, and waits that respect the lookup's deadline."""
    from geopy.exc import GeocoderServiceError
    from geopy.extra.rate_limiter import RateLimiter

    class DeadlineRateLimiter(RateLimiter):
        _retry_exceptions = (GeocoderServiceError,)

        def _clock(self) -> float:
            return clock()

        def _sleep(self, seconds: float) -> None:
            # Called both to wait for a request slot and to wait after an error; a 429's
            # Retry-After (noted by the request function) lengthens the wait after it.
            seconds = max(seconds, attempt.retry_after_s)
            attempt.retry_after_s = 0.0
            if attempt.deadline is not None and clock() + seconds + MIN_REQUEST_S > attempt.deadline:
                raise _OutOfTime(f"would wait {seconds:.1f} s past the deadline")
            sleep(seconds)

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return super().__call__(*args, **kwargs)
            finally:
                # The next request waits from the end of this exchange, not from its start: the
                # server then sees requests at least min_delay_s apart, whatever delays the
                # network or a busy machine add to the first one.
                self._last_call = clock()

    return DeadlineRateLimiter(
        func,
        min_delay_seconds=min_delay_s,
        max_retries=max_retries,
        error_wait_seconds=error_wait_s,
        swallow_exceptions=False,
    )
