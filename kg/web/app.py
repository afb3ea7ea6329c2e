"""The web app: ``create_app(store, settings)``, one route table and one error handler.

Handlers live in the modules named in :data:`ROUTES`; this module wires them, starts
and stops the query workers, and turns every error into one response shape: SPARQL
protocol errors as ``text/plain`` (as Oxigraph does), browsers an HTML page,
everyone else ``{"ok": false, "error": …, "status": …}``.
"""

from __future__ import annotations

import contextlib
import platform
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import __version__
from kg.config import Settings, describe_settings
from kg.dumps import dump_prefixes
from kg.errors import KgError, NotFoundError, ParseError, QueryError, StoreError
from kg.store import GraphStore
from kg.web import api, dumps, ontology_doc, pages, sparql
from kg.web.context import STATIC_DIR, WebContext, context, make_templates
from kg.web.guard import RefusedError
from kg.web.negotiation import HTML, RDF_TYPES, choose, wants_html
from kg.web.workers import QueryTimeoutError, WorkerPool, snapshot_source, temporary_folder


@dataclass(frozen=True, slots=True)
class RoutePattern:
    """One URL pattern the server answers, for ``/about`` and the README."""

    pattern: str
    what: str


URL_PATTERNS = (
    RoutePattern("/", "The query page (browsers); the VoID description for RDF clients"),
    RoutePattern("/sparql", "SPARQL 1.1 Protocol endpoint (GET, POST form, POST query)"),
    RoutePattern("/about", "This page: every URL pattern"),
    RoutePattern("/resolution/{symbol}", "A resolution, e.g. /resolution/A/RES/58/135"),
    RoutePattern("/resolution/{symbol}/operative/{n}", "A paragraph (also /preamble/{n})"),
    RoutePattern("/resolution/{symbol}/operative/{n}/mandate", "A mandate"),
    RoutePattern("/body/{id}", "A UN body, e.g. /body/unodc"),
    RoutePattern("/treaty/{id}", "A treaty, e.g. /treaty/untoc"),
    RoutePattern("/document/{symbol}", "A UN document cited by a resolution"),
    RoutePattern("/graph/{name}", "A named graph: a summary, or its triples as RDF"),
    RoutePattern("/{resource}.ttl|.jsonld|.nt|.rdf", "Any resource as Turtle, JSON-LD, …"),
    RoutePattern("/ontology", "The ontology: HTML documentation, or Turtle by Accept"),
    RoutePattern("/ontology.ttl", "The ontology as Turtle (also .jsonld, .nt, .rdf)"),
    RoutePattern("/api/queries", "The stored queries (JSON)"),
    RoutePattern("/api/queries/{name}?param=…", "Run a stored query: JSON or CSV"),
    RoutePattern("/api/openapi.json", "OpenAPI description of the query API"),
    RoutePattern("/dumps/", "The dump files"),
    RoutePattern("/dumps/{file}", "One dump file, with ETag and Content-Length"),
    RoutePattern("/.well-known/void", "VoID description of the dataset"),
    RoutePattern("/-/health", "Health check (JSON)"),
    RoutePattern("/-/versions", "Versions and settings (JSON)"),
)

_STATUS: tuple[tuple[type[KgError], int], ...] = (
    (RefusedError, 403),
    (QueryTimeoutError, 503),
    (ParseError, 400),
    (QueryError, 400),
    (NotFoundError, 404),
    (StoreError, 500),
)


def status_for(error: Exception) -> int:
    """The HTTP status of an error (house style: 400, 403, 404, 406, 500, 503)."""
    if isinstance(error, HTTPException):
        return error.status_code
    if type(error).__name__ == "NotAcceptableError":
        return 406
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 500)


async def handle_error(request: Request, error: Exception) -> Response:
    """The one error handler: same status rules, three representations."""
    status = status_for(error)
    message = str(error.detail) if isinstance(error, HTTPException) else str(error)
    if not isinstance(error, KgError | HTTPException):
        message = "internal error: the server could not answer. See the server log"
    headers = {"Retry-After": "5"} if status == 503 else None
    if request.url.path == "/sparql" and not wants_html(request):
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    if wants_html(request) and not request.url.path.startswith("/api/"):
        ctx = context(request)
        return ctx.templates.TemplateResponse(
            request,
            "error.html",
            {"title": f"Error {status}", "status": status, "message": message},
            status_code=status,
            headers=headers,
        )
    body = {"ok": False, "error": message, "status": status}
    return JSONResponse(body, status_code=status, headers=headers)


async def home(request: Request) -> Response:
    """``/``: the query page; RDF clients get the dataset's VoID description."""
    if choose(request, (HTML, *RDF_TYPES)) != HTML:
        return await dumps.void(request)
    return sparql.query_page(request)


async def about(request: Request) -> Response:
    """``/about``: every URL pattern the server answers."""
    ctx = context(request)
    patterns = [{"pattern": p.pattern, "what": p.what} for p in URL_PATTERNS]
    if not wants_html(request):
        return JSONResponse({"ok": True, "routes": patterns})
    return ctx.templates.TemplateResponse(
        request,
        "about.html",
        {"title": "About", "patterns": patterns, "base": ctx.base, "settings": ctx.settings},
    )


async def health(request: Request) -> Response:
    """``/-/health``: the store answers (a cheap ASK, in this process)."""
    ctx = context(request)
    answer = await run_in_threadpool(ctx.reader().query, "ASK { ?s ?p ?o }", name="health")
    return JSONResponse({"ok": True, "store": ctx.store.location, "empty": not bool(answer)})


async def versions(request: Request) -> Response:
    """``/-/versions``: versions of kg and its libraries, and the settings in force."""
    ctx = context(request)
    packages = {}
    for name in ("pyoxigraph", "rdflib", "starlette", "uvicorn", "jinja2"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            packages[name] = metadata.version(name)
    settings = {name: str(getattr(ctx.settings, name)) for name, _, _ in describe_settings()}
    return JSONResponse(
        {
            "ok": True,
            "kg": __version__,
            "python": platform.python_version(),
            "packages": packages,
            "settings": settings,
        }
    )


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/sparql", sparql.endpoint, methods=["GET", "POST"]),
    Route("/about", about),
    Route("/api/queries", api.queries_index),
    Route("/api/openapi.json", api.openapi),
    Route("/api/queries/{name}", api.run_stored),
    Route("/ontology", ontology_doc.ontology),
    Route("/ontology.{ext}", ontology_doc.ontology),
    Route("/dumps/", dumps.dumps_index),
    Route("/dumps/{name:path}", dumps.serve_dump),
    Route("/.well-known/void", dumps.void),
    Route("/-/health", health),
    Route("/-/versions", versions),
    Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    Route("/{path:path}", pages.resource),
]


def create_app(store: GraphStore, settings: Settings) -> Starlette:
    """The ASGI app serving ``store`` (opened read-only by the caller) with ``settings``.

    Query workers start with the app (its lifespan) or, where no lifespan runs, at the
    first query. Run under ``if __name__ == "__main__":``: workers are spawned processes.

    Raises:
        StoreError: if the store cannot be read to start the workers.
    """
    folder = temporary_folder()
    source = snapshot_source(store, Path(folder.name))
    prefixes = dump_prefixes(settings.base_iri)
    pool = WorkerPool(source, settings.query_workers, settings.max_rows, prefixes)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(pool.start)
        try:
            yield
        finally:
            await run_in_threadpool(pool.close)
            folder.cleanup()

    middleware = []
    if settings.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=["X-KG-Rows", "X-KG-Truncated", "ETag", "Content-Length"],
            )
        )
    app = Starlette(
        routes=ROUTES,
        middleware=middleware,
        exception_handlers={
            KgError: handle_error,
            HTTPException: handle_error,
            Exception: handle_error,
        },
        lifespan=lifespan,
    )
    app.state.kg = WebContext(
        store=store, settings=settings, pool=pool, templates=make_templates(), prefixes=prefixes
    )
    return app
