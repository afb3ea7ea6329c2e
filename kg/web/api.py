"""The stored queries as a web API: ``/api/queries``, ``/api/queries/NAME`` and OpenAPI.

Each ``queries/*.rq`` file is one operation, described by its ``#+`` header: the
summary, the description, the tags and the typed parameters become the OpenAPI 3.0
description at ``/api/openapi.json``, so the API and its documentation cannot drift
apart (grlc does the same from the same headers). Results are SPARQL JSON or CSV
(``Accept``, ``?format=`` or a ``.json``/``.csv`` suffix); queries run in the
worker processes, under the same time limit as ``/sparql``. A query with
``#+ pagination`` answers one page (``?page=N``, 1 by default) and links the next and
previous ones in a ``Link`` header (RFC 8288), as grlc does.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg import __version__
from kg.errors import QueryError
from kg.queries import StoredQuery, get_query, list_queries
from kg.web.context import context
from kg.web.negotiation import CSV, SPARQL_JSON, choose, split_suffix
from kg.web.workers import Job

_SCHEMAS: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "iri": {"type": "string", "format": "uri"},
}
_RESERVED = {"format", "page"}


async def queries_index(request: Request) -> Response:
    """``/api/queries``: every stored query with its parameters and its URL."""
    return JSONResponse(
        {"ok": True, "queries": [describe_query(q) for q in list_queries()]},
        headers={"Vary": "Accept"},
    )


async def run_stored(request: Request) -> Response:
    """``/api/queries/NAME``: run a stored query with the request's parameters."""
    ctx = context(request)
    name, forced = split_suffix(request.path_params["name"])
    stored = get_query(name)
    media_type = choose(request, (SPARQL_JSON, CSV), forced)
    params = tuple(
        (key, value) for key, value in request.query_params.items() if key not in _RESERVED
    )
    for key, _ in params:
        if stored.param(key) is None:
            known = ", ".join(p.name for p in stored.params) or "none"
            raise QueryError(name, f"unknown parameter {key!r}", f"Parameters: {known}")
    page = _page_number(name, request.query_params.get("page"))
    job = Job("stored", name, media_type, params=params, page=page)
    answer = await ctx.pool.run(job, ctx.settings.query_timeout)
    headers = {"Vary": "Accept", "X-KG-Rows": str(answer.count)}
    if stored.page is not None:
        headers["Link"] = page_links(ctx.public_url(request), request, page, answer.truncated)
    return Response(answer.body, media_type=media_type + "; charset=utf-8", headers=headers)


def page_links(root: str, request: Request, page: int, more: bool) -> str:
    """The ``Link`` header of a page: the first, previous and next pages that exist.

    The URLs start with the server's public root, as the OpenAPI servers entry does.
    """
    links = [("first", 1)]
    if page > 1:
        links.append(("prev", page - 1))
    if more:
        links.append(("next", page + 1))
    path = root + request.url.path.lstrip("/")
    return ", ".join(
        f'<{path}?{request.url.include_query_params(page=number).query}>; rel="{rel}"'
        for rel, number in links
    )


def _page_number(name: str, value: str | None) -> int:
    if value is None:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise QueryError(f"{name}: page", f"{value!r} is not a page number", "Pages start at 1")
    return int(value)


async def openapi(request: Request) -> Response:
    """``/api/openapi.json``: the OpenAPI 3.0 description generated from the query headers."""
    ctx = context(request)
    return JSONResponse(openapi_document(list_queries(), ctx.public_url(request)))


def describe_query(query: StoredQuery) -> dict[str, Any]:
    """A stored query as the API lists it."""
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "url": f"/api/queries/{query.name}",
        "pagination": None if query.page is None else query.page.size,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "description": p.description,
                "example": p.example,
                "enum": list(p.enum),
            }
            for p in query.params
        ],
    }


def openapi_document(queries: tuple[StoredQuery, ...], server_url: str) -> dict[str, Any]:
    """OpenAPI 3.0.3 for the stored queries: one GET operation per query."""
    error = {"$ref": "#/components/schemas/Error"}
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "List the stored queries and their parameters",
                "responses": {"200": {"description": "The stored queries"}},
            }
        }
    }
    for query in queries:
        parameters = []
        for param in query.params:
            schema: dict[str, Any] = dict(_SCHEMAS[param.type])
            if param.lookup:
                schema.pop("format", None)  # a name is accepted too, looked up in the store
            if param.default is not None:
                schema["default"] = param.default
            if param.enum:
                schema["enum"] = list(param.enum)
            entry: dict[str, Any] = {
                "name": param.name,
                "in": "query",
                "required": param.required,
                "description": param.description,
                "schema": schema,
            }
            if param.example is not None:
                entry["example"] = param.example
            parameters.append(entry)
        if query.page is not None:
            parameters.append(
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "description": (
                        f"The page: the rows of {query.page.size} keys each (see the Link header)"
                    ),
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                }
            )
        paths[f"/api/queries/{query.name}"] = {
            "get": {
                "operationId": _operation_id(query.name),
                "summary": query.summary,
                "description": query.description,
                "tags": list(query.tags),
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "The rows, as SPARQL 1.1 JSON results or CSV",
                        "content": {
                            SPARQL_JSON: {"schema": {"type": "object"}},
                            CSV: {"schema": {"type": "string"}},
                        },
                    },
                    "400": _error_response("A parameter is missing or not of its type", error),
                    "404": _error_response("No such stored query", error),
                    "406": _error_response("Neither JSON nor CSV is acceptable", error),
                    "503": _error_response("The query ran past the time limit", error),
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "kg stored queries",
            "version": __version__,
            "description": "SPARQL queries over UN resolutions, from the queries/*.rq headers.",
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["ok", "error", "status"],
                    "properties": {
                        "ok": {"type": "boolean", "enum": [False]},
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                }
            }
        },
    }


def _error_response(description: str, schema: dict[str, str]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation_id(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(part.capitalize() for part in rest)
