"""The gazetteer: place names to places, offline first.

:class:`Gazetteer` (in :mod:`.search`) searches, in one ranking, the embedded
index (GeoNames cities, countries, regions; see :mod:`.embedded`), the
gazetteers the user has imported (:mod:`.userstore`), files given for one run
(``--gazetteer PATH``) and, only when asked, an online geocoder. It also works
as a geopy geocoder (:mod:`.geopy_adapter`)::

    >>> from mali_map import Gazetteer
    >>> Gazetteer().geocode("Kati").point[:2]
    (12.74409, -8.07257)

so ``geopandas.tools.geocode(names, provider=Gazetteer())`` can use it.
:func:`open_gazetteer` (in :mod:`.shared`) hands out one shared gazetteer per
set of settings.
"""

from __future__ import annotations

from ..countries import DEFAULT_COUNTRY
from .search import Gazetteer
from .shared import open_gazetteer

__all__ = ["DEFAULT_COUNTRY", "Gazetteer", "open_gazetteer"]
