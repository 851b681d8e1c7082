"""Incident files to one map page on disk, with its rejects file, export and picture: :func:`write_map`.

What ``mali-map map`` does, as a library call (the command is a thin shell over it)::

    result = mali_map.write_map(["acled.csv"], "outputs/kati.html", layer_by="year", png="outputs/kati.png")
    result.incidents, result.rejected, result.rejects_path

- The inputs are read by :func:`mali_map.incidents.load_incidents_with_rejects`;
  rows without coordinates are geocoded with the session's gazetteer, opened only
  if some row needs it.
- The page is written atomically, so a run that fails leaves the previous map as it was.
- Rows without a valid point go to ``OUT.rejects.csv`` (``kati.html`` ->
  ``kati.rejects.csv``) with their reason; a run without rejects deletes a rejects
  file left by an earlier run, so the file always describes the map beside it.
  When every row is rejected there is no map: the rejects are written, the previous
  map is left alone, and :class:`~mali_map.errors.BadInput` is raised.
- Every option is checked before any work (an output over an input, a bad basemap,
  export format or picture name, a ``claims`` text without a claim).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BadInput, CannotWrite

if TYPE_CHECKING:
    from .claims import ClaimResult
    from .session import Session

REJECTS_SUFFIX = ".rejects.csv"


@dataclass(frozen=True)
class MapWritten:
    """What :func:`write_map` wrote: the ``--json`` summary of ``mali-map map`` (:meth:`to_dict`).

    ``layers``: how many incident layers the page has; ``rejected_by_reason``: kind of
    reason -> count, most first; ``export``/``png``: the extra files, when asked for;
    ``notes``: lines about inputs read in an unexpected way.
    """

    output: Path
    incidents: int
    layers: int
    rejected: int
    rejected_by_reason: dict[str, int]
    rejects_path: Path | None
    claims: tuple[ClaimResult, ...] = ()
    export: Path | None = None
    png: Path | None = None
    hexagons: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``mali-map map --json``."""
        summary: dict[str, Any] = {
            "output": str(self.output),
            "incidents": self.incidents,
            "layers": self.layers,
            "rejected": self.rejected,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "claims": [result.to_dict() for result in self.claims],
        }
        if self.export is not None:
            summary["export"] = str(self.export)
        if self.png is not None:
            summary["png"] = str(self.png)
        if self.hexagons:
            summary["hexagons"] = True
        return summary


def write_map(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    output: str | os.PathLike,
    *,
    layer_by: str | None = None,
    time: str | None = None,
    title: str | None = None,
    cdn: bool = False,
    claims: Sequence[str] = (),
    min_confidence: float | None = None,
    basemap: str | None = None,
    export: str | os.PathLike | None = None,
    png: str | os.PathLike | None = None,
    filter_by: Sequence[str] = (),
    colours: str | os.PathLike | dict[str, str] | None = None,
    size: str | None = None,
    scale: float | None = None,
    session: Session | None = None,
    **build_options: Any,
) -> MapWritten:
    """Map incident files (CSV, ACLED exports, GeoJSON, GeoPackage) into the page ``output``.

    ``layer_by``/``time``: columns (any spelling the incident readers know) for the layers
    and the time slider; ``cdn``: link the assets instead of inlining them; ``claims``:
    texts whose distance claims are checked and drawn; ``min_confidence``: rows geocoded by
    name below it are rejected; ``basemap``: the base layer shown first; ``export``: also
    write the mapped incidents (``.geojson``, ``.gpkg``, ``.parquet``); ``png``: also save a
    picture of the first view (needs Chromium), ``size`` ("WxH" CSS pixels) and ``scale``
    (pixels per CSS pixel) shaping it; ``filter_by``: columns offered as multi-select
    filters on the page; ``colours``: value -> colour, or a JSON/CSV file of them, over the
    fixed colours. ``session``: the
    :class:`~mali_map.session.Session` whose gazetteer geocodes rows and claims (default: the
    default session). Other keyword arguments go to :func:`mali_map.render.build_map`.
    Raises :class:`~mali_map.errors.BadInput` for unusable inputs or options,
    :class:`~mali_map.errors.CannotWrite` when a file cannot be written.
    """
    from .incidents import load_incidents_with_rejects
    from .incidents.columns import resolve_column
    from .outputs import Outputs, write_output
    from .spreadsheet import safe_csv

    if session is None:
        from .session import default_session

        session = default_session()
    sources = [os.fspath(inputs)] if isinstance(inputs, str | os.PathLike) else [os.fspath(p) for p in inputs]
    if not sources:
        raise BadInput("no input files given", where="inputs")
    out = output_path(output)
    rejects_path = rejects_path_for(out)
    check_outputs(out, rejects_path, sources, export, png)  # before any work: nothing is written over an input
    check_extras(basemap, export, png)  # a bad option fails fast
    figure = figure_options(size, scale, png)
    if isinstance(colours, str | os.PathLike):
        from .render.colours import read_colours

        colours = read_colours(os.fspath(colours))
    results = check_claims(claims, session)  # a claims text without a claim fails fast too

    from .hexmap import is_large

    if is_large(sources):  # past a point count: read in pieces, drawn as hexagons
        return _write_hexagon_map(
            sources,
            out,
            rejects_path,
            session,
            min_confidence,
            layer_by,
            time,
            title,
            {"--claim": claims, "--export": export, "--png": png, "--cdn": cdn, "--filter-by": filter_by},
        )
    loaded = load_incidents_with_rejects(
        sources, country=session.country or "", gazetteer=_LazyGazetteer(session), min_confidence=min_confidence
    )
    incidents, rejects = loaded.incidents, loaded.rejects
    if len(incidents) == 0:
        write_output(rejects_path, safe_csv(rejects), inputs=sources)
        raise BadInput(
            f"no incidents to map: all {len(rejects)} rows rejected (see {rejects_path})", where=", ".join(sources)
        )

    columns = list(incidents.columns)
    from .render import build_map, incident_layer_count, map_html

    if basemap:
        build_options["basemap"] = basemap
    page = build_map(
        incidents,
        claims=results,
        layer_by=resolve_column(layer_by, columns) if layer_by else None,
        time=resolve_column(time, columns) if time else None,
        title=title,
        filter_by=[resolve_column(name, columns) for name in filter_by],
        colours=colours,
        **build_options,
    )
    with Outputs(inputs=sources) as outputs:  # the page, rejects and extras are put in place together, or none
        outputs.text(out, map_html(page, cdn=cdn))
        if len(rejects):
            outputs.text(rejects_path, safe_csv(rejects))
        else:
            outputs.remove(rejects_path)
        extras = _write_extras(incidents, outputs, out, export, png, page if cdn else None, figure)
        outputs.commit()
    return MapWritten(
        output=out,
        incidents=len(incidents),
        layers=incident_layer_count(page),
        rejected=len(rejects),
        rejected_by_reason=_by_reason(rejects),
        rejects_path=rejects_path if len(rejects) else None,
        claims=tuple(results),
        notes=tuple(loaded.notes),
        export=extras.get("export"),
        png=extras.get("png"),
    )


def _write_hexagon_map(
    sources: list[str],
    out: Path,
    rejects_path: Path,
    session: Session,
    min_confidence: float | None,
    layer_by: str | None,
    time: str | None,
    title: str | None,
    refused: dict[str, object],
) -> MapWritten:
    """A large table's page of hexagons and its rejects (see :mod:`mali_map.hexmap`)."""
    from .hexmap import hexagon_map
    from .outputs import Outputs, write_output
    from .spreadsheet import safe_csv

    page, mapped, rejects, notes = hexagon_map(
        sources,
        country=session.country or "",
        gazetteer=_LazyGazetteer(session),
        min_confidence=min_confidence,
        layer_by=layer_by,
        time_column=time,
        title=title,
        refused=refused,
    )
    if not mapped:
        write_output(rejects_path, safe_csv(rejects), inputs=sources)
        raise BadInput(f"no incidents to map: all {len(rejects)} rows rejected (see {rejects_path})")
    with Outputs(inputs=sources) as outputs:
        outputs.text(out, page)
        if len(rejects):
            outputs.text(rejects_path, safe_csv(rejects))
        else:
            outputs.remove(rejects_path)
        outputs.commit()
    return MapWritten(
        output=out,
        incidents=mapped,
        layers=0,
        rejected=len(rejects),
        rejected_by_reason=_by_reason(rejects) if len(rejects) else {},
        rejects_path=rejects_path if len(rejects) else None,
        hexagons=True,
        notes=tuple(notes),
    )


def check_extras(basemap: str | None, export: str | os.PathLike | None, png: str | os.PathLike | None) -> None:
    """``basemap``, ``export`` and ``png`` checked before the inputs are read."""
    if basemap:
        from .render.basemap import basemap_name

        basemap_name(basemap)
    if export:
        from .render.export import export_format

        export_format(os.fspath(export))
    if png:
        from .render.snapshot import require_browser

        if Path(png).suffix.lower() != ".png":
            raise BadInput(f"--png: the picture's file name must end in .png, got {os.fspath(png)!r}")
        require_browser()


def figure_options(size: str | None, scale: float | None, png: str | os.PathLike | None) -> dict[str, Any]:
    """``size`` and ``scale`` as snapshot options (they only make sense with ``png``)."""
    from .render.snapshot import parse_size

    if (size or scale is not None) and not png:
        raise BadInput("--size and --scale shape the --png figure: give --png FILE too")
    options: dict[str, Any] = {}
    if size:
        options["size_px"] = parse_size(size)
    if scale is not None:
        options["scale"] = scale
    return options


def _write_extras(
    incidents: Any,
    outputs: Any,
    page_path: Path,
    export: str | os.PathLike | None,
    png: str | os.PathLike | None,
    linked_page: Any = None,
    figure: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Stage the export file and the picture in ``outputs``; their paths (only those asked).

    The picture is taken offline of the staged page: a page written with ``cdn`` (``linked_page``)
    is photographed from a self-contained copy in a temporary folder.
    """
    written: dict[str, Path] = {}
    if export:
        from .render.export import export_incidents

        written["export"] = Path(export_incidents(incidents, os.fspath(export), outputs=outputs))
    if png:
        import tempfile

        from .render import map_html
        from .render.snapshot import snapshot_png

        if linked_page is None:
            staged_page = outputs.staged(page_path)
            written["png"] = Path(
                outputs.file(os.fspath(png), lambda temporary: snapshot_png(staged_page, temporary, **(figure or {})))
            )
        else:
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / page_path.name
                copy.write_text(map_html(linked_page), encoding="utf-8")
                written["png"] = Path(
                    outputs.file(os.fspath(png), lambda temporary: snapshot_png(copy, temporary, **(figure or {})))
                )
    return written


def rejects_path_for(output: Path) -> Path:
    """Where the rejects of ``output`` go: ``kati.html`` -> ``kati.rejects.csv``."""
    if output.suffix.lower() in (".html", ".htm"):
        return output.with_suffix(REJECTS_SUFFIX)
    return output.with_name(output.name + REJECTS_SUFFIX)


def output_path(output: str | os.PathLike) -> Path:
    """The page's path; :class:`BadInput` for a folder or an empty name."""
    if not os.fspath(output).strip():
        raise BadInput("the page's file name is empty", where="output")
    out = Path(output)
    if out.is_dir():
        raise BadInput("is a folder; give the page's file name, e.g. outputs/map.html", where=os.fspath(output))
    return out


def check_outputs(
    out: Path,
    rejects_path: Path,
    inputs: Sequence[str],
    export: str | os.PathLike | None = None,
    png: str | os.PathLike | None = None,
) -> None:
    """BadInput when an output would be, or link to, an input, or the rejects file's name is a folder."""
    from .outputs import check_outputs as check_no_input_overwritten

    check_no_input_overwritten(
        [
            ("-o", out),
            ("the rejects file", rejects_path),
            ("--export", os.fspath(export) if export else None),
            ("--png", os.fspath(png) if png else None),
        ],
        inputs,
    )
    if rejects_path.is_dir():
        raise BadInput(f"the rejects file {rejects_path} is a folder; choose another -o name")


def write_text(path: Path, text: str) -> None:
    """Write atomically, making the folder first (only once there is something to write).

    A write that fails (a full disk, a read-only folder) is :class:`CannotWrite` naming the file."""
    from .fileio import atomic_write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
    except OSError as error:
        raise CannotWrite(f"{path}: cannot write: {error.strerror or error}") from None


def check_claims(texts: Sequence[str], session: Session) -> list[ClaimResult]:
    """Every claim of every text, checked with the session's gazetteer."""
    if isinstance(texts, str):
        texts = [texts]
    if not texts:
        return []
    return session.checker.results_for(list(texts))


def _by_reason(rejects: Any) -> dict[str, int]:
    """How many rows were rejected for each kind of reason, most first."""
    from collections import Counter

    from .incidents.load import reject_kind

    counts = Counter(reject_kind(str(reason)) for reason in rejects["reason"]) if len(rejects) else Counter()
    return dict(counts.most_common())


class _LazyGazetteer:
    """The session's gazetteer, opened only if some row needs geocoding (most ACLED files do not)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lookup_many(self, queries: Sequence[str], *, country: str | None = None) -> list:
        return self.session.gazetteer.lookup_many(queries, country=country)

    @property
    def only(self) -> tuple[str, ...]:
        return tuple(sorted(self.session.only or ()))

    def unconstrained(self) -> Any:
        gazetteer = self.session.gazetteer
        return gazetteer.unconstrained() if hasattr(gazetteer, "unconstrained") else gazetteer
