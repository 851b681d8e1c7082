"""Loading incident files (ACLED exports, CSV, GeoJSON, GeoPackage) into GeoDataFrames.

>>> from mali_map.incidents import load_incidents_with_rejects
>>> loaded = load_incidents_with_rejects("examples/kati-incidents.csv")  # doctest: +SKIP
>>> loaded.incidents.crs.to_epsg(), len(loaded.rejects)                  # doctest: +SKIP
(4326, 0)

Every incidents table has the columns of :data:`COLUMNS` first. They carry ACLED's
names, the vocabulary most conflict-event data and its readers already use, whatever
the input called them (our own ``incidents.geojson`` says ``date``, ``place``,
``category``, ``description``):

========================  ==============================================================
``event_date``            calendar day (datetime64; NaT when missing or unreadable)
``event_type``            kind of event (``category``, ``type`` ...)
``location``              the place as the input names it (``place``, ``town`` ...)
``notes``                 what happened (``description``, ``summary`` ...)
``fatalities``            whole number as float (NaN when unknown, never a guessed 0)
``precision``             ``exact``/``near``/``region`` (ACLED ``geo_precision`` 1-3),
                          the input's own word, or ``approximate`` for a geocoded point
``source``                who reported it
``geocoded_from``         the query that found the point, for rows without coordinates
``geocode_confidence``    the geocoder's confidence 0..1 for those rows (else NaN)
``input_file``            the file the row came from
``input_row``             its CSV line (where the record starts) or feature number
========================  ==============================================================

then the input's own other columns (ACLED's ``sub_event_type``, ``actor1``, ``admin1``,
``geo_precision``, ``year`` ... stay available, e.g. for ``--layer-by``), except the
coordinate columns, which the point geometry replaces. Modules: :mod:`.readers`
(formats), :mod:`.columns` (what columns mean), :mod:`.values` (cells),
:mod:`.geocoding` (rows with a place only), :mod:`.load` (the steps, and the
decisions about bad rows).
"""

from .load import COLUMNS, REJECT_COLUMNS, LoadedIncidents, load_incidents, load_incidents_with_rejects

__all__ = ["COLUMNS", "REJECT_COLUMNS", "LoadedIncidents", "load_incidents", "load_incidents_with_rejects"]
