"""Whole archives in one run: ``mali-map batch`` as a library (:func:`run_batch`).

Inputs are folders or globs of articles (``.txt``, or ``.jsonl`` with a text
field) or one large incident table (CSV, Parquet, GeoPackage). They are cut into
partitions (:mod:`.plan`) that run as independent map tasks (:mod:`.work`) on
Dask when the ``mali-map[dask]`` extra is installed (``dask.bag``, one bag
partition per task, one retry each), else serially with the same outputs. Each
finished partition is checkpointed atomically in ``OUT_DIR/.parts``
(:mod:`.checkpoint`), so a rerun resumes and a lost worker loses nothing. The
client merges the checkpoints in order into ``places.parquet``,
``incidents.parquet`` and ``claims.parquet`` (GeoParquet; every row with its
source: ``input_file`` and ``input_line``/``start``/``end``, or ``input_row``),
a summary map (hexagons past a point count), ``report.md`` and ``run.json``
(:mod:`.outputs`).

Every worker opens the place index, and any ``--gazetteer`` file, at the same
paths as the client: on a cluster they must be readable there (a shared folder,
or the same ``MALI_MAP_CACHE_DIR``); the client checks them at start.
"""

from __future__ import annotations

from .run import BatchResult, dask_available, run_batch

__all__ = ["BatchResult", "dask_available", "run_batch"]
