"""Which representation a request asks for: ``Accept``, a ``format`` parameter or a suffix.

An explicit suffix (``.ttl``) or ``?format=`` always wins over ``Accept``, so a link
names one representation and can be shared. The media-type logic itself is
:func:`kg.formats.negotiate`; this module only reads requests.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

from kg.errors import KgError
from kg.formats import negotiate

HTML = "text/html"
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
N_TRIPLES = "application/n-triples"
RDF_XML = "application/rdf+xml"
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
JSON = "application/json"

RDF_TYPES = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""Graph formats every resource, the ontology and CONSTRUCT results are offered in."""

RESULTS_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
"""SPARQL results formats of SELECT and ASK, JSON first."""

SUFFIXES = {
    ".ttl": TURTLE,
    ".jsonld": JSON_LD,
    ".nt": N_TRIPLES,
    ".rdf": RDF_XML,
    ".html": HTML,
    ".json": JSON,
    ".csv": CSV,
}
"""Path suffixes that name a representation."""

FORMAT_NAMES = {
    "json": SPARQL_JSON,
    "xml": SPARQL_XML,
    "csv": CSV,
    "tsv": TSV,
    "ttl": TURTLE,
    "turtle": TURTLE,
    "jsonld": JSON_LD,
    "nt": N_TRIPLES,
    "rdf": RDF_XML,
    "html": HTML,
}
"""Values of the ``format`` query parameter (download links cannot set ``Accept``)."""

_ALIASES = {JSON: SPARQL_JSON, "application/xml": SPARQL_XML}


class NotAcceptableError(KgError):
    """Nothing the resource offers matches the client's ``Accept`` (HTTP 406)."""

    def __init__(self, accept: str, offered: Sequence[str]) -> None:
        self.accept = accept
        self.offered = tuple(offered)
        super().__init__(
            f"Accept: {accept!r} matches none of the formats offered here",
            f"Ask for one of {', '.join(offered)}",
        )


def choose(request: Request, offered: Sequence[str], forced: str | None = None) -> str:
    """The media type to answer with: ``forced`` (from a suffix), ``?format=``, or ``Accept``.

    Raises:
        NotAcceptableError: if the request asks for a format that is not offered.
    """
    accept = request.headers.get("accept")
    name = request.query_params.get("format")
    if forced is None and name:
        forced = FORMAT_NAMES.get(name.lower(), name)
    if forced is not None:
        forced = _ALIASES.get(forced, forced) if forced not in offered else forced
        if forced in offered:
            return forced
        raise NotAcceptableError(forced, offered)
    chosen = negotiate(accept, list(offered) + [a for a, t in _ALIASES.items() if t in offered])
    if chosen is None:
        raise NotAcceptableError(accept or "", offered)
    return _ALIASES.get(chosen, chosen) if chosen not in offered else chosen


def wants_html(request: Request) -> bool:
    """Whether the client is a browser: it prefers HTML to JSON (no ``Accept``: a program)."""
    accept = request.headers.get("accept")
    if not accept:
        return False
    return negotiate(accept, [JSON, HTML]) == HTML


def split_suffix(path: str) -> tuple[str, str | None]:
    """``path`` without a representation suffix, and the media type the suffix names.

    >>> split_suffix("/resolution/A/RES/58/135.ttl")
    ('/resolution/A/RES/58/135', 'text/turtle')
    >>> split_suffix("/document/E/CN.15/2003/5")
    ('/document/E/CN.15/2003/5', None)
    """
    last = path.rsplit("/", 1)[-1]
    for suffix, media_type in SUFFIXES.items():
        if last.endswith(suffix) and len(last) > len(suffix):
            return path[: -len(suffix)], media_type
    return path, None
