"""The SPARQL 1.1 Protocol on ``/sparql``: read-only, no federation, with a time limit.

Queries arrive by GET (``?query=``), by POST form or by POST ``application/sparql-query``
(Protocol §2.1). Before a query reaches the store, :mod:`kg.web.guard` refuses updates,
``SERVICE`` and ``FROM`` of graphs the store does not hold (HTTP 403): embedded
Oxigraph would fetch a ``SERVICE`` URL chosen by the visitor. Accepted queries run in
a worker process (:mod:`kg.web.workers`) that is killed at the time limit, so a
time-out is an error status (503), never a truncated 200. A bare GET answers with the
Service Description (SPARQL 1.1 Service Description §3) or, for a browser, the query page.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kg.errors import QueryError
from kg.formats import RDF_FORMATS, RESULTS_FORMATS
from kg.queries import list_queries
from kg.vocab import RDF, RDFS, SD
from kg.web.context import WebContext, context
from kg.web.guard import RefusedError, check_graphs, check_query
from kg.web.negotiation import (
    HTML,
    N_TRIPLES,
    RDF_TYPES,
    RESULTS_TYPES,
    choose,
)
from kg.web.results import convert_graph
from kg.web.workers import Job

GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
MAX_BODY = 1 << 20
"""Largest POST body accepted on /sparql, in bytes (a query, not data: updates are refused)."""
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_UNSUPPORTED_PARAMS = ("default-graph-uri", "named-graph-uri")


async def endpoint(request: Request) -> Response:
    """``/sparql``: run a query, or describe the service, or show the query page."""
    ctx = context(request)
    query = await _read_query(request)
    if query is None:
        media_type = choose(request, (HTML, *RDF_TYPES))
        if media_type == HTML:
            return query_page(request)
        endpoint_url = ctx.public_url(request) + "sparql"
        body = await run_in_threadpool(service_description, ctx, endpoint_url, media_type)
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})
    info = check_query(query)
    if info.graphs:
        check_graphs(info, await run_in_threadpool(ctx.reader().graph_names))
    offered = RDF_TYPES if info.form in GRAPH_FORMS else RESULTS_TYPES
    media_type = choose(request, (*offered, HTML))
    if media_type == HTML:
        return query_page(request, query)
    job = Job("sparql", query, media_type, union=not info.graphs)
    answer = await ctx.pool.run(job, ctx.settings.query_timeout)
    headers = {"Vary": "Accept", "X-KG-Rows": str(answer.count)}
    if answer.truncated:
        headers["X-KG-Truncated"] = f"true; max-rows={ctx.settings.max_rows}"
    return Response(answer.body, media_type=_with_charset(media_type), headers=headers)


async def _read_query(request: Request) -> str | None:
    """The query text of a protocol request, or ``None`` for a bare GET.

    Raises:
        RefusedError: for an update request (``update=`` or ``application/sparql-update``).
        QueryError: for a request the protocol does not allow (HTTP 400), an
            unsupported body type (also 400, with the types to use).
    """
    params = request.query_params
    if request.method == "POST":
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            raise HTTPException(413, f"request: a query body may hold at most {MAX_BODY} bytes")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise _update_refused()
        if content_type == "application/sparql-query":
            _check_params(params.keys())
            body = await request.body()
            if len(body) > MAX_BODY:
                raise HTTPException(413, f"request: a query body may hold at most {MAX_BODY} bytes")
            return body.decode("utf-8", errors="replace")
        if content_type in _FORM_TYPES:
            form = await request.form()
            _check_params([*form.keys(), *params.keys()])
            fields = form.getlist("query")
            if len(fields) != 1 or not isinstance(fields[0], str):
                raise QueryError("query", "give exactly one `query` field")
            return fields[0]
        raise QueryError(
            "Content-Type",
            f"{content_type or 'no content type'} is not a SPARQL request",
            "POST application/sparql-query or an HTML form (application/x-www-form-urlencoded)",
        )
    _check_params(params.keys())
    values = params.getlist("query")
    if len(values) > 1:
        raise QueryError("query", "give exactly one `query` parameter")
    return values[0] if values else None


def _check_params(names: object) -> None:
    keys = set(names)  # type: ignore[call-overload]
    if "update" in keys:
        raise _update_refused()
    for name in _UNSUPPORTED_PARAMS:
        if name in keys:
            raise QueryError(
                name,
                "choosing the dataset by protocol parameter is not supported",
                "Name graphs with FROM / FROM NAMED in the query instead",
            )


def _update_refused() -> RefusedError:
    return RefusedError(
        "update", "SPARQL Update is refused: this endpoint is read-only", "Use `kg build`"
    )


def _with_charset(media_type: str) -> str:
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")):
        return f"{media_type}; charset=utf-8"
    return media_type


def query_page(request: Request, query: str | None = None) -> Response:
    """The query page for people: editor, stored queries as examples, results table."""
    ctx = context(request)
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in ctx.prefixes.items())
    examples = [{"name": q.name, "summary": q.summary, "sparql": q.sparql} for q in list_queries()]
    default = (
        prefixes
        + "\nSELECT ?resolution ?symbol ?title WHERE {\n"
        + "  ?resolution a kg:Resolution ; kg:title ?title .\n"
        + "  OPTIONAL { ?resolution kg:symbol ?symbol }\n} ORDER BY ?symbol LIMIT 50\n"
    )
    return ctx.templates.TemplateResponse(
        request,
        "query.html",
        {
            "title": "SPARQL query",
            "query": query if query is not None else default,
            "autorun": query is not None,
            "prefixes": prefixes,
            "examples": examples,
            "timeout": ctx.settings.query_timeout,
            "max_rows": ctx.settings.max_rows,
            "base": ctx.base,
        },
        headers={"Vary": "Accept"},
    )


def sparql_link(query: str) -> str:
    """A link that opens ``query`` on the query page."""
    return "/sparql?query=" + quote(query, safe="")


def service_description(ctx: WebContext, endpoint_url: str, media_type: str) -> bytes:
    """The SPARQL 1.1 Service Description of this endpoint, in ``media_type``.

    Raises:
        QueryError: if ``media_type`` is not a graph format.
    """
    graph = Graph()
    service = URIRef(endpoint_url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    format_iris = [f.iri for f in RESULTS_FORMATS] + [f.iri for f in RDF_FORMATS]
    for iri in format_iris:
        graph.add((service, SD.resultFormat, URIRef(iri)))
    dataset = BNode()
    default_graph = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    for name in ctx.reader().graph_names():
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    limits = (
        f"Read-only: SPARQL Update and SERVICE are refused. A query stops after "
        f"{ctx.settings.query_timeout:g} s and returns at most {ctx.settings.max_rows} rows."
    )
    graph.add((service, RDFS.comment, Literal(limits, lang="en")))
    data = graph.serialize(format="nt", encoding="utf-8")
    return convert_graph(data, N_TRIPLES, media_type, {"sd": str(SD), "rdfs": str(RDFS)})
