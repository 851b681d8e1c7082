"""The incidents a map shows, written for QGIS and other tools: GeoJSON, GeoPackage or GeoParquet.

``mali-map map ... --export incidents.geojson`` writes the same rows the page draws (after
rejects), with every column the loader produced, the geocoding ones included
(``precision``, ``geocoded_from``, ``geocode_confidence``), in EPSG:4326. The format
follows the file's suffix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BadInput

#: ACLED's whole-number columns (codebook 2023): written as integers, not the text a CSV holds.
ACLED_INTEGER_COLUMNS = frozenset(
    {
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
        "fatalities",
        "timestamp",
        "event_id_no_cnty",
        "population_1km",
        "population_2km",
        "population_5km",
        "population_best",
        "input_row",
    }
)
#: ACLED's decimal columns.
ACLED_FLOAT_COLUMNS = frozenset({"latitude", "longitude", "geocode_confidence"})
#: ACLED's date columns (the loader reads ``event_date`` already).
ACLED_DATE_COLUMNS = frozenset({"event_date"})

#: Suffix -> what writes it (pyogrio drivers; Parquet through pyarrow).
EXPORT_FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".parquet": "Parquet"}


def export_format(path: str | Path) -> str:
    """The format for ``path`` by its suffix, or :class:`BadInput` naming the suffixes known."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        known = ", ".join(s for s in EXPORT_FORMATS if s != ".json")
        raise BadInput(f"--export: cannot tell the format of {str(path)!r} (use {known})")
    if EXPORT_FORMATS[suffix] == "Parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise BadInput("--export .parquet needs pyarrow (pip install 'mali-map[parquet]')")
    return EXPORT_FORMATS[suffix]


def export_incidents(incidents: Any, path: str | Path, *, outputs: Any = None) -> Path:
    """Write ``incidents`` (a GeoDataFrame) to ``path``, replacing any file there; returns the path.

    Columns of mixed Python objects become text, which every format can hold. The file is
    staged in ``outputs`` (a :class:`mali_map.outputs.Outputs`, committed by the caller together
    with the page it goes with) or, without one, written and put in place at once; a failed write
    is one line naming the file (:class:`~mali_map.errors.CannotWrite`), and leaves no half file.
    """
    from ..outputs import Outputs

    path = Path(path)
    kind = export_format(path)
    legacy = path.with_name(f".{path.name}.partial{path.suffix}")  # left by a killed run of mali-map 0.x
    if legacy.is_file():
        legacy.unlink()
    if outputs is None:
        with Outputs() as own:
            own.file(path, lambda temporary: write_table(incidents, temporary, kind))
            own.commit()
    else:
        outputs.file(path, lambda temporary: write_table(incidents, temporary, kind))
    return path


def write_table(incidents: Any, path: Path, kind: str) -> None:
    """Write ``incidents`` to ``path`` (a new file) in ``kind``: ``GeoJSON``, ``GPKG`` or ``Parquet``."""
    import warnings

    import pandas as pd

    table = incidents.to_crs(4326) if incidents.crs is not None and incidents.crs.to_epsg() != 4326 else incidents
    table = typed_columns(table.copy())
    for name in table.columns:
        if name != table.geometry.name and table[name].dtype == object:
            table[name] = table[name].map(lambda v: None if pd.isna(v) else str(v)).astype("string")
    if kind == "Parquet":
        table.to_parquet(path, index=False)
        return
    with warnings.catch_warnings():  # GDAL's notes about the temporary's name are not the user's business
        warnings.simplefilter("ignore")
        table.to_file(path, driver=kind, layer="incidents" if kind == "GPKG" else None)


def typed_columns(table: Any) -> Any:
    """ACLED's number and date columns as numbers and dates (a CSV gives them as text).

    A column is converted only when every value it holds reads as its type (integers as
    nullable integers, decimals as floats, dates as dates); otherwise it stays as it was, so
    nothing is lost to a column that is not what its name says.
    """
    import pandas as pd

    for name in table.columns:
        key = str(name).lower()
        column = table[name]
        if name == table.geometry.name:
            continue
        if key in ACLED_INTEGER_COLUMNS:
            numbers = pd.to_numeric(column, errors="coerce")
            given = column.notna() & (column.astype("string").str.strip() != "")
            if bool((numbers.notna() == given).all()) and bool(((numbers.dropna() % 1) == 0).all()):
                table[name] = numbers.round().astype("Int64")
        elif key in ACLED_FLOAT_COLUMNS:
            numbers = pd.to_numeric(column, errors="coerce")
            given = column.notna() & (column.astype("string").str.strip() != "")
            if bool((numbers.notna() == given).all()):
                table[name] = numbers.astype(float)
        elif key in ACLED_DATE_COLUMNS and not pd.api.types.is_datetime64_any_dtype(column):
            dates = pd.to_datetime(column, errors="coerce", format="mixed")
            given = column.notna() & (column.astype("string").str.strip() != "")
            if bool((dates.notna() == given).all()):
                table[name] = dates
    return table
