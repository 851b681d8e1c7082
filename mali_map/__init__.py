"""mali-map: geocode place names, check distance claims and map incidents.

The public API (the README's "Python" section documents it)::

    >>> import mali_map
    >>> mali_map.geocode("Kati").country_code
    'ML'
    >>> round(mali_map.distance("Kati", "Bamako"), 2)
    18.29

Names are imported on first use, so ``import mali_map`` stays cheap and the
command line starts fast; geopandas and folium load only for maps.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from ._lazy import lazy_exports

#: the one version source: pyproject.toml reads it (hatch dynamic version)
__version__ = "0.2.0"

#: public name -> module that defines it
_EXPORTS = {
    "Place": "mali_map.places",
    "Alternative": "mali_map.places",
    "MaliMapError": "mali_map.errors",
    "PlaceNotFound": "mali_map.errors",
    "BadInput": "mali_map.errors",
    "NoClaimFound": "mali_map.errors",
    "GeocoderUnavailable": "mali_map.errors",
    "Gazetteer": "mali_map.gazetteer",
    "Session": "mali_map.session",
    "geocode": "mali_map.api",
    "geocode_many": "mali_map.api",
    "distance": "mali_map.api",
    "Claim": "mali_map.claims",
    "ClaimResult": "mali_map.claims",
    "extract_claims": "mali_map.claims",
    "check_claim": "mali_map.claims",
    "check_claims": "mali_map.claims",
    "iter_claims": "mali_map.claims",
    "TextClaims": "mali_map.claims",
    "load_incidents": "mali_map.incidents",
    "load_incidents_with_rejects": "mali_map.incidents",
    "LoadedIncidents": "mali_map.incidents",
    "open_gazetteer": "mali_map.gazetteer",
    "build_map": "mali_map.render",
    "write_map": "mali_map.mapjob",
    "stated_claim": "mali_map.claims.stated",
    "ClaimChecker": "mali_map.claims",
    "import_gazetteer": "mali_map.gazetteer.userstore",
    "list_gazetteers": "mali_map.gazetteer.userstore",
    "remove_gazetteer": "mali_map.gazetteer.userstore",
    "download_countries": "mali_map.gazetteer.download",
    "write_article": "mali_map.article.outputs",
    "MapWritten": "mali_map.mapjob",
    "run_batch": "mali_map.batch.run",
    "BatchResult": "mali_map.batch.run",
    "create_app": "mali_map.web.app",
    "geoparse": "mali_map.geoparse",
    "Mention": "mali_map.geoparse",
    "process_article": "mali_map.article",
    "Article": "mali_map.article",
}

__all__ = sorted(_EXPORTS) + ["__version__"]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, eager=("__version__",))


class _Package(types.ModuleType):
    """``mali_map`` itself: the function ``geoparse`` shares its name with the subpackage
    ``mali_map.geoparse``, and importing a submodule sets it as an attribute of its package;
    so ``mali_map.geoparse`` stays the function (the subpackage is in ``sys.modules``)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in _EXPORTS:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .api import distance, geocode, geocode_many
    from .article import Article, process_article
    from .article.outputs import write_article
    from .batch.run import BatchResult, run_batch
    from .claims import (
        Claim,
        ClaimChecker,
        ClaimResult,
        TextClaims,
        check_claim,
        check_claims,
        extract_claims,
        iter_claims,
    )
    from .claims.stated import stated_claim
    from .errors import BadInput, GeocoderUnavailable, MaliMapError, NoClaimFound, PlaceNotFound
    from .gazetteer import Gazetteer, open_gazetteer
    from .gazetteer.download import download_countries
    from .gazetteer.userstore import import_gazetteer, list_gazetteers, remove_gazetteer
    from .geoparse import Mention, geoparse
    from .incidents import LoadedIncidents, load_incidents, load_incidents_with_rejects
    from .mapjob import MapWritten, write_map
    from .places import Alternative, Place
    from .render import build_map
    from .session import Session
    from .web.app import create_app
