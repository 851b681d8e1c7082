"""``mali-map serve``: a local web page and JSON API for a fact-checking desk (extra ``mali-map[serve]``).

``mali_map.web:app`` is the ASGI application with the safe defaults (loopback only, no token); run it
with ``mali-map serve`` or any ASGI server. See :mod:`.app` for the routes, :mod:`.desk` for the work,
:mod:`.security` for the guard in front of every request.
"""

from __future__ import annotations

from .app import app, create_app

__all__ = ["app", "create_app"]
