"""The ASGI application of ``mali-map serve``: the desk page, the JSON API and the downloads.

``app`` (``mali_map.web:app``) is the application with the defaults (loopback only, no token), for any
ASGI server; :func:`create_app` makes one with a token or other limits. Every route hands its work to a
worker thread (see :class:`Lanes`): a long article or a big table never blocks the event
loop, and a slow request does not hold up the others. All requests share one :class:`~mali_map.web.desk.Desk`
(one gazetteer, read-only), made on first use by :func:`mali_map.web.desk._session`.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from ..article import outputs
from ..errors import BadInput, MaliMapError, PlaceNotFound
from . import desk as desk_module
from .security import LOOPBACK_HOSTS, Guard, map_policy, new_nonce, page_policy
from .store import ResultStore

#: file name -> (content type, shown in the browser rather than downloaded)
_FILES = {
    "map.html": ("text/html; charset=utf-8", True),
    "article.zip": ("application/zip", False),
    "map.zip": ("application/zip", False),
    "map.rejects.csv": ("text/csv; charset=utf-8", False),
    "incidents.geojson": ("application/geo+json", False),
    "claims.json": ("application/json", False),
    "report.md": ("text/markdown; charset=utf-8", False),
}


_GONE = {"error": "no such result (the server keeps the last 64 for a while only)", "exit_code": 2}


class GeocodeRequest(BaseModel):
    """``{"query": "Kati"}`` for one answer, or ``{"queries": [...]}`` for a list of them."""

    query: str | None = Field(None, examples=["Kati"])
    queries: list[str] | None = Field(None, examples=[["Kati", "Siby, Koulikoro, Mali", "Gao 50km W"]])


class DistanceRequest(BaseModel):
    """``distance A B --unit U``: names or ``"lat, lon"`` pairs."""

    a: str = Field(examples=["Kati"])
    b: str = Field(examples=["Bamako"])
    unit: str = Field("km", examples=["mi"])


class CheckRequest(BaseModel):
    """``{"text": "..."}`` or ``{"texts": [...]}``; ``map: true`` adds a small map of the first claim."""

    text: str | None = Field(None, examples=["Kati is less than 10 miles from Bamako"])
    texts: list[str] | None = None
    map: bool = False


class Correction(BaseModel):
    """Place every mention of ``text`` at its alternative number ``alternative`` (0: the first listed)."""

    text: str = Field(examples=["Kati"])
    alternative: int = Field(ge=0, examples=[0])


class ArticleRequest(BaseModel):
    """``article``: the report's text, the reader's corrections, an optional title."""

    text: str
    corrections: list[Correction] = []
    title: str | None = None


def create_app(
    *, token: str | None = None, session: Callable[[], Any] | None = None, hosts: tuple[str, ...] = ()
) -> Any:
    """The application, guarded (see :mod:`.security`): loopback only without ``token``, the token on
    every request with one. ``session`` makes the shared desk (default :func:`.desk._session`); ``hosts``:
    more names the server answers to without a token (the loopback address it was bound to)."""
    api = FastAPI(
        title="mali-map",
        summary="Geocode place names, check distance claims, read news reports and map incidents, offline.",
        description=(
            "The answers have the fields of the command line's `--json`. Errors: HTTP 400 for bad input "
            "(the CLI's exit code 2) and 422 for a place not found (exit code 3), as "
            '`{"error": "...", "exit_code": N}` with the CLI\'s words.'
        ),
        docs_url=None,
        redoc_url=None,
    )
    make_session = session or desk_module._session
    lock = threading.Lock()
    shared: dict[str, Any] = {}
    store = ResultStore()
    lanes = Lanes()

    def desk() -> desk_module.Desk:
        if "desk" not in shared:
            with lock:
                if "desk" not in shared:
                    shared["desk"] = make_session()
        return shared["desk"]

    api.state.desk = desk
    api.state.store = store

    @api.exception_handler(MaliMapError)
    async def _library_error(request: Request, error: MaliMapError) -> JSONResponse:
        return _error(error, 422 if isinstance(error, PlaceNotFound) else 400)

    @api.exception_handler(OSError)
    async def _os_error(request: Request, error: OSError) -> JSONResponse:
        return _error(error, 400)

    @api.exception_handler(UnicodeDecodeError)
    async def _decode_error(request: Request, error: UnicodeDecodeError) -> JSONResponse:
        return _error(error, 400)

    @api.exception_handler(sqlite3.OperationalError)
    async def _sqlite_error(request: Request, error: sqlite3.OperationalError) -> JSONResponse:
        return _error(error, 400)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid request")
        return JSONResponse({"error": message, "exit_code": 2}, status_code=400)

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        from .page import desk_page

        nonce = new_nonce()
        return HTMLResponse(desk_page(nonce), headers={"content-security-policy": page_policy(nonce)})

    @api.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @api.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        from .page import docs_page

        nonce = new_nonce()
        return HTMLResponse(docs_page(api.openapi(), nonce), headers={"content-security-policy": page_policy(nonce)})

    @api.post("/api/geocode", summary="geocode QUERY... (--json objects)")
    async def geocode(request: GeocodeRequest) -> Any:
        if (request.query is None) == (request.queries is None):
            raise BadInput('give "query" (one name) or "queries" (a list), not both or neither')
        queries = [request.query] if request.query is not None else request.queries or []
        answers = await lanes.run(lambda: desk().geocode(queries), heavy=len(queries) > 1)
        return _json(answers[0] if request.query is not None else {"results": answers})

    @api.post("/api/distance", summary="distance A B --unit U (the --json object)")
    async def distance(request: DistanceRequest) -> Any:
        return _json(await lanes.run(lambda: desk().distance(request.a, request.b, request.unit)))

    @api.post("/api/check", summary="check TEXT... (claims as --json objects, and the exit code)")
    async def check(request: CheckRequest) -> Any:
        if (request.text is None) == (request.texts is None):
            raise BadInput('give "text" (one) or "texts" (a list), not both or neither')
        texts = [request.text] if request.text is not None else request.texts or []
        answer = await lanes.run(lambda: desk().check(texts), heavy=len(texts) > 1)
        if request.map:
            first = next(c["text"] for c in answer["claims"])
            key = store.add({"map.html": lambda: desk().claim_map(first).encode("utf-8")})
            answer["map"] = f"/results/{key}/map.html"
        return _json(answer)

    @api.post("/api/article", summary="article: places, claims, incidents, report; map and zip to download")
    async def article(request: ArticleRequest) -> Any:
        corrections = [(c.text, c.alternative) for c in request.corrections]
        run = await lanes.run(lambda: desk().article(request.text, corrections, request.title), heavy=True)
        story = run.article
        key = store.add(
            {
                "map.html": lambda: _map_page(story),
                "incidents.geojson": lambda: _text(outputs.incidents_geojson, story),
                "claims.json": lambda: _text(outputs.claims_json, story),
                "report.md": lambda: _text(outputs.report_markdown, story),
                "article.zip": lambda: desk_module.article_zip(story),
            }
        )
        links = {name: f"/results/{key}/{name}" for name in run.answer["files"]}
        return _json(
            {
                **run.answer,
                "output": f"/results/{key}/",
                "files": links,
                "map": links["map.html"],
                "zip": f"/results/{key}/article.zip",
            }
        )

    @api.post("/api/map", summary="map an uploaded incident table (CSV, GeoJSON, GeoPackage)")
    async def map_table(
        file: Annotated[UploadFile, File(description="the incident table: .csv, .geojson or .gpkg")],
        layer_by: Annotated[str | None, Form()] = None,
        time: Annotated[str | None, Form()] = None,
        filter_by: Annotated[list[str] | None, Form()] = None,
        title: Annotated[str | None, Form()] = None,
        min_confidence: Annotated[float | None, Form(ge=0.0, le=1.0)] = None,
        claim: Annotated[list[str] | None, Form(description="a distance claim to check and draw (repeatable)")] = None,
        basemap: Annotated[str | None, Form(description="offline (default), osm, light or satellite")] = None,
    ) -> Any:
        data = await file.read()
        run = await lanes.run(
            lambda: desk().map_table(
                data,
                file.filename or "",
                layer_by=layer_by or None,
                time=time or None,
                filter_by=[c for c in filter_by or [] if c],
                title=title or None,
                min_confidence=min_confidence,
                claims=[c for c in claim or [] if c.strip()],
                basemap=basemap or None,
            ),
            heavy=True,
        )
        files: dict[str, Any] = {
            "map.html": run.map_html.encode("utf-8"),
            "map.zip": lambda: desk_module.table_zip(run),
        }
        if run.rejects_csv:
            files["map.rejects.csv"] = run.rejects_csv.encode("utf-8")
        key = store.add(files)
        answer = dict(run.answer)
        answer["output"] = f"/results/{key}/map.html"
        answer["rejects_path"] = f"/results/{key}/map.rejects.csv" if run.rejects_csv else None
        answer["zip"] = f"/results/{key}/map.zip"
        return _json(answer)

    @api.get("/results/{key}/", include_in_schema=False)
    async def result_files(key: str) -> Response:
        names = store.names(key)
        if names is None:
            return JSONResponse(_GONE, status_code=404)
        return _json({"files": {name: f"/results/{key}/{name}" for name in names}})

    @api.get("/results/{key}/{name}", include_in_schema=False)
    async def result_file(key: str, name: str) -> Response:
        kind = _FILES.get(name)
        content = await lanes.run(lambda: store.get(key, name), heavy=True) if kind else None
        if kind is None or content is None:
            return JSONResponse(_GONE, status_code=404)
        media_type, inline = kind
        headers = {"cache-control": "no-store"}
        if inline:
            headers["content-security-policy"] = map_policy(content.decode("utf-8"))
        else:
            headers["content-disposition"] = f'attachment; filename="{name}"'
        return Response(content, media_type=media_type, headers=headers)

    return Guard(api, token=token, allowed_hosts=LOOPBACK_HOSTS + tuple(hosts))


class Lanes:
    """Where the work of a request runs: in a worker thread, never on the event loop, in one of two lanes.

    Quick requests (one name, one claim, one distance) and heavy ones (a report, a table, a map, a batch)
    each have their own cap on threads, so a queue of slow articles never holds up a quick check, and
    the CPU-bound work of two cores is not spread over dozens of threads fighting for the GIL.
    The limiters belong to an event loop, so they are made in the loop that first uses them."""

    def __init__(self, quick: int = 16, heavy: int = 4) -> None:
        self.sizes = {False: quick, True: heavy}
        self._limiters: weakref.WeakKeyDictionary[Any, dict[bool, Any]] = weakref.WeakKeyDictionary()

    async def run(self, work: Callable[[], Any], *, heavy: bool = False) -> Any:
        import asyncio

        import anyio.to_thread

        loop = asyncio.get_running_loop()
        limiters = self._limiters.get(loop)
        if limiters is None:
            limiters = self._limiters[loop] = {kind: anyio.CapacityLimiter(n) for kind, n in self.sizes.items()}
        return await anyio.to_thread.run_sync(work, limiter=limiters[heavy])


def _map_page(article: Any) -> bytes:
    from ..article.outputs import map_page

    return map_page(article).encode("utf-8")


def _text(writer: Callable[[Any], str], article: Any) -> bytes:
    return writer(article).encode("utf-8")


def _json(answer: Any) -> Response:
    """An answer encoded as the CLI encodes its ``--json`` lines (UTF-8 as is, NaN refused), without
    FastAPI's generic encoder walking it first."""
    from ..cli.output import to_json_line

    return Response(to_json_line(answer), media_type="application/json")


def _error(error: BaseException, status: int) -> JSONResponse:
    """The CLI's one line for ``error`` and its exit code: 2 bad input, 3 not found."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return JSONResponse({"error": message, "exit_code": 3 if status == 422 else 2}, status_code=status)


app = create_app()
