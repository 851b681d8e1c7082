"""Loading incident files (ACLED exports, CSV, GeoJSON, GeoPackage) into GeoDataFrames.

>>> from mali_map.incidents import load_incidents_with_rejects
>>> loaded = load_incidents_with_rejects("examples/kati-incidents.csv")  # doctest: +SKIP
>>> loaded.incidents.crs.to_epsg(), len(loaded.rejects)                  # doctest: +SKIP
(4326, 0)

Every incidents table has the columns of :data:`COLUMNS` first:

============================  ==========================================================
``date``                      calendar day (datetime64; NaT when missing or unreadable)
``place``                     the place as the input names it (ACLED ``location``)
``category``                  kind of event (ACLED ``event_type``)
``description``               the input's notes (ACLED ``notes``)
``fatalities``                whole number or missing (nullable ``Int64``), never a guessed 0
``precision``                 ``exact``/``near``/``region`` (ACLED ``geo_precision`` 1-3),
                              the input's own word, or ``approximate`` for a geocoded point
``source``                    who reported it (ACLED ``source``)
``geocoded_from``             the query that found the point, for rows that had no coordinates
``geocode_confidence``        the geocoder's confidence 0..1 for those rows (else NaN)
``input_file``, ``input_row``  where the row came from (CSV line, or feature number)
============================  ==========================================================

then the input's own columns (ACLED's ``event_type``, ``actor1``, ``admin1``, ``year``
... stay available, e.g. for ``--layer-by``), except the coordinate columns, which the
point geometry replaces. The module layout: :mod:`.readers` (formats),
:mod:`.columns` (what columns mean), :mod:`.values` (cells), :mod:`.geocoding`,
:mod:`.load` (the steps and the decisions about bad rows).
"""

from .load import COLUMNS, REJECT_COLUMNS, LoadedIncidents, load_incidents, load_incidents_with_rejects

__all__ = ["COLUMNS", "REJECT_COLUMNS", "LoadedIncidents", "load_incidents", "load_incidents_with_rejects"]
