"""Media types and file extensions ↔ pyoxigraph formats, and ``Accept`` negotiation.

Pure functions: nothing here reads files or talks to a store. The web layer offers
a list of media types and :func:`negotiate` picks the one the client prefers
(RFC 9110 §12.5.1); ``None`` means nothing offered is acceptable (HTTP 406).

>>> rdf_format_for_extension("kg.nt.gz")
<RdfFormat N-Triples>
>>> negotiate("text/html;q=0.9, text/turtle", ["application/ld+json", "text/turtle"])
'text/turtle'
>>> negotiate("image/png", ["text/turtle"]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from pyoxigraph import QueryResultsFormat, RdfFormat

RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat.TURTLE,
    RdfFormat.JSON_LD,
    RdfFormat.N_TRIPLES,
    RdfFormat.N_QUADS,
    RdfFormat.TRIG,
    RdfFormat.RDF_XML,
)
"""RDF formats kg serves, in the server's order of preference (Turtle first)."""

GRAPH_FORMATS: tuple[RdfFormat, ...] = tuple(f for f in RDF_FORMATS if not f.supports_datasets)
"""The formats of :data:`RDF_FORMATS` that hold one graph (no named graphs)."""

RESULTS_FORMATS: tuple[QueryResultsFormat, ...] = (
    QueryResultsFormat.JSON,
    QueryResultsFormat.XML,
    QueryResultsFormat.CSV,
    QueryResultsFormat.TSV,
)
"""SPARQL results formats, in the server's order of preference (JSON first)."""

COMPRESSION_SUFFIXES = {".gz": "application/gzip"}
"""Compression suffixes kg writes or reads, with the media type of the wrapper."""

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One entry of an ``Accept`` header: ``type/subtype`` with its quality."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 2, 1, 0, or -1 for no match.

        >>> MediaRange("text", "*", 1.0).matches("text/turtle")
        1
        """
        kind, _, sub = base_media_type(media_type).partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def base_media_type(media_type: str) -> str:
    """The media type without parameters, lower-cased.

    >>> base_media_type("Text/Turtle; charset=utf-8")
    'text/turtle'
    """
    return media_type.split(";", 1)[0].strip().lower()


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped.

    >>> parse_accept("text/turtle;q=0.5, */*;q=0.1, nonsense, a/b;q=x")
    [MediaRange(type='text', subtype='turtle', q=0.5), MediaRange(type='*', subtype='*', q=0.1)]
    """
    ranges = []
    for entry in header.split(","):
        name, *params = entry.split(";")
        kind, slash, sub = name.strip().lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        try:
            for param in params:
                key, _, value = param.partition("=")
                if key.strip().lower() == "q":
                    q = float(value.strip())
        except ValueError:
            continue
        if 0.0 <= q <= 1.0:
            ranges.append(MediaRange(kind, sub, q))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client accepts best, or ``None`` if none is acceptable.

    Each offer takes the quality of the most specific range that matches it; ties go
    to the earlier offer, so ``offered`` is the server's order of preference. A
    missing or empty header accepts anything.

    >>> negotiate(None, ["text/turtle", "text/html"])
    'text/turtle'
    >>> negotiate("text/*;q=0.3, text/html", ["text/turtle", "text/html"])
    'text/html'
    >>> negotiate("*/*;q=0.8, text/turtle;q=0", ["text/turtle", "application/n-triples"])
    'application/n-triples'
    """
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: tuple[float, str] | None = None
    for media_type in offered:
        specificity, quality = -1, 0.0
        for media_range in ranges:
            level = media_range.matches(media_type)
            if level > specificity or (level == specificity and media_range.q > quality):
                specificity, quality = level, media_range.q
        if specificity >= 0 and quality > 0 and (best is None or quality > best[0]):
            best = (quality, media_type)
    return best[1] if best else None


def negotiate_rdf_format(
    accept: str | None, formats: Sequence[RdfFormat] = RDF_FORMATS
) -> RdfFormat | None:
    """The RDF format to answer with, or ``None`` (HTTP 406).

    >>> negotiate_rdf_format("application/ld+json")
    <RdfFormat JSON-LD>
    """
    chosen = negotiate(accept, [f.media_type for f in formats])
    return None if chosen is None else rdf_format_for_media_type(chosen)


def negotiate_results_format(
    accept: str | None, formats: Sequence[QueryResultsFormat] = RESULTS_FORMATS
) -> QueryResultsFormat | None:
    """The SPARQL results format to answer with, or ``None`` (HTTP 406).

    >>> negotiate_results_format("text/csv")
    <QueryResultsFormat SPARQL Results in CSV>
    >>> negotiate_results_format("application/json")
    <QueryResultsFormat SPARQL Results in JSON>
    """
    by_type = {base_media_type(f.media_type): f for f in formats}
    # Common aliases, as oxigraph's server accepts them.
    aliases = {
        "application/json": QueryResultsFormat.JSON,
        "application/xml": QueryResultsFormat.XML,
    }
    offered = list(by_type) + [a for a, f in aliases.items() if f in formats]
    chosen = negotiate(accept, offered)
    if chosen is None:
        return None
    return by_type.get(chosen) or aliases[chosen]


def rdf_format_for_media_type(media_type: str) -> RdfFormat | None:
    """The RDF format of a media type (parameters ignored), or ``None``.

    >>> rdf_format_for_media_type("text/turtle; charset=utf-8")
    <RdfFormat Turtle>
    >>> rdf_format_for_media_type("text/html") is None
    True
    """
    return RdfFormat.from_media_type(base_media_type(media_type))


def results_format_for_media_type(media_type: str) -> QueryResultsFormat | None:
    """The SPARQL results format of a media type, or ``None``.

    >>> results_format_for_media_type("application/sparql-results+xml")
    <QueryResultsFormat SPARQL Results in XML>
    """
    return QueryResultsFormat.from_media_type(base_media_type(media_type))


def _extension(name: str) -> str:
    path = PurePath(name if "." in name else "." + name)
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    return suffixes[-1].lstrip(".") if suffixes else name.lower().lstrip(".")


def rdf_format_for_extension(name: str) -> RdfFormat | None:
    """The RDF format of an extension or file name (``ttl``, ``.nq``, ``kg.nt.gz``), or ``None``.

    >>> rdf_format_for_extension(".trig")
    <RdfFormat TriG>
    >>> rdf_format_for_extension("notes.docx") is None
    True
    """
    return RdfFormat.from_extension(_extension(name))


def results_format_for_extension(name: str) -> QueryResultsFormat | None:
    """The SPARQL results format of an extension or file name (``srj``, ``rows.csv``), or ``None``.

    >>> results_format_for_extension("rows.csv")
    <QueryResultsFormat SPARQL Results in CSV>
    """
    return QueryResultsFormat.from_extension(_extension(name))


def is_compressed(name: str) -> bool:
    """Whether a file name ends with a compression suffix kg knows.

    >>> is_compressed("kg.nq.gz"), is_compressed("kg.ttl")
    (True, False)
    """
    return PurePath(name).suffix.lower() in COMPRESSION_SUFFIXES


def media_type_iri(media_type: str) -> str:
    """The IANA registry IRI of a media type, as DCAT's ``dcat:mediaType`` expects.

    >>> media_type_iri("text/turtle; charset=utf-8")
    'https://www.iana.org/assignments/media-types/text/turtle'
    """
    return IANA_MEDIA_TYPES + base_media_type(media_type)
