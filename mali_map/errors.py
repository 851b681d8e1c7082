"""The exception tree of mali-map.

One root, :class:`MaliMapError`, so callers can catch everything we raise; each
subclass also inherits the builtin it resembles, so code that already catches
``LookupError`` or ``ValueError`` keeps working (the pattern of ``geopy.exc``).
The CLI turns these into one-line messages and the exit codes of the interface.
"""

from __future__ import annotations


class MaliMapError(Exception):
    """Root of every error mali-map raises on purpose."""


class BadInput(MaliMapError, ValueError):
    """Input we cannot use: a malformed file, coordinate, unit or query.

    ``where`` names the file and line (or the argument) so the message can
    point at the problem; ``str()`` of the error is the one line users see.
    """

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class PlaceNotFound(MaliMapError, LookupError):
    """No place matches a name. ``suggestions`` holds near names ("did you mean")."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()):
        self.query = query
        self.suggestions = tuple(suggestions)
        message = f"place not found: {query!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class NoClaimFound(BadInput):
    """A text meant as a distance claim holds none we can read."""


class GeocoderUnavailable(MaliMapError, ConnectionError):
    """An online geocoder did not answer usably (timeout, 429, 5xx, refused)."""


class CannotWrite(MaliMapError, OSError):
    """A file mali-map must write could not be written (a full disk, a read-only folder).

    ``str()`` names the file or folder and the reason, in one line; nothing half-written is left.
    """
