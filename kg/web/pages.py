"""Resource pages: every IRI under the base dereferences on this server.

A request path maps to an IRI (:func:`kg.ids.iri_for_path`), so pages resolve the
same way on localhost and in production. Browsers get HTML; programs get Turtle,
JSON-LD, N-Triples or RDF/XML by ``Accept`` or by suffix (``.ttl``, ``.jsonld``,
``.nt``, ``.rdf``; ``.html`` forces the page). The suffix is only read as one when
the path without it names a resource, since UN symbols contain dots.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kg.changes import ChangeView, comparisons_for
from kg.errors import NotFoundError
from kg.ids import iri_for_path
from kg.web.context import WebContext, context
from kg.web.negotiation import HTML, RDF_TYPES, choose, split_suffix
from kg.web.resource_view import (
    ResourceView,
    build_view,
    iri_ref,
    resource_exists,
    resource_triples,
)
from kg.web.results import serialize_triples
from kg.web.sparql import sparql_link

FORMAT_LINKS = (
    ("Turtle", ".ttl"),
    ("JSON-LD", ".jsonld"),
    ("N-Triples", ".nt"),
    ("RDF/XML", ".rdf"),
)
_SUFFIX_TYPES = dict(zip((s for _, s in FORMAT_LINKS), RDF_TYPES, strict=True))


async def resource(request: Request) -> Response:
    """Any path not claimed by another route: the resource whose IRI it maps to."""
    ctx = context(request)
    iri, forced = await run_in_threadpool(_resolve, ctx, request.scope["path"])
    media_type = choose(request, (HTML, *RDF_TYPES), forced)
    path = ctx.href(iri)
    alternates = ", ".join(
        f'<{path}{suffix}>; rel="alternate"; type="{_SUFFIX_TYPES[suffix]}"'
        for _, suffix in FORMAT_LINKS
    )
    headers = {"Vary": "Accept", "Link": alternates}
    if media_type != HTML:
        body = await run_in_threadpool(_rdf, ctx, iri, media_type)
        return Response(body, media_type=media_type, headers=headers)
    view, comparisons = await run_in_threadpool(_view, ctx, iri)
    return ctx.templates.TemplateResponse(
        request,
        "resource.html",
        {
            "title": view.title,
            "view": view,
            "comparisons": comparisons,
            "href": ctx.href,
            "path": path,
            "formats": [(label, path + suffix) for label, suffix in FORMAT_LINKS],
            "sparql": sparql_link(_describe_query(iri)),
        },
        headers=headers,
    )


def _resolve(ctx: WebContext, path: str) -> tuple[str, str | None]:
    """The IRI a request path names and the media type its suffix forces, if any.

    Raises:
        NotFoundError: if neither the path nor the path without a suffix names a resource.
    """
    store = ctx.reader()
    names = store.graph_names()
    iri = iri_for_path(path, ctx.base)
    if path != "/" and resource_exists(store, iri, names):
        return iri, None
    stem, forced = split_suffix(path)
    if forced is not None:
        stem_iri = iri_for_path(stem, ctx.base)
        if resource_exists(store, stem_iri, names):
            return stem_iri, forced
    raise NotFoundError("resource", iri, "See /about for the URL patterns this server answers")


def _view(ctx: WebContext, iri: str) -> tuple[ResourceView, tuple[ChangeView, ...]]:
    """The page's content, with what changed since the texts this one was compared with."""
    store = ctx.reader()
    view = build_view(store, iri, ctx.href, ctx.prefixes, store.graph_names())
    return view, comparisons_for(store, iri) if view.is_document else ()


def _rdf(ctx: WebContext, iri: str, media_type: str) -> bytes:
    store = ctx.reader()
    triples = resource_triples(store, iri, store.graph_names())
    return serialize_triples(triples, media_type, ctx.prefixes)


def _describe_query(iri: str) -> str:
    ref = iri_ref(iri)
    return (
        "SELECT ?property ?value ?graph WHERE {\n"
        f"  GRAPH ?graph {{ {ref} ?property ?value }}\n"
        "} ORDER BY ?property ?value\n"
    )
