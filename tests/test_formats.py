"""Media types, extensions and Accept negotiation."""

from __future__ import annotations

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat

from kg.formats import (
    GRAPH_FORMATS,
    RDF_FORMATS,
    is_compressed,
    media_type_iri,
    negotiate,
    negotiate_rdf_format,
    negotiate_results_format,
    parse_accept,
    rdf_format_for_extension,
    rdf_format_for_media_type,
    results_format_for_extension,
    results_format_for_media_type,
)

PAGE = ["text/html", "text/turtle", "application/ld+json"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        (BROWSER, "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
        ("text/*;q=0.5, text/turtle", "text/turtle"),
        ("text/*", "text/html"),
        ("TEXT/Turtle; charset=utf-8", "text/turtle"),
        ("*/*;q=0.1, text/html;q=0", "text/turtle"),
        ("application/*;q=0.2, */*;q=0.1", "application/ld+json"),
        ("text/turtle;q=0.5, text/turtle;q=0.8", "text/turtle"),
        ("image/png", None),
        ("text/html;q=0, text/turtle;q=0, application/ld+json;q=0", None),
        ("bogus, text/turtle;q=oops, application/ld+json;q=0.3", "application/ld+json"),
        ("text/turtle;q=1.5", None),
    ],
)
def test_negotiate_picks_the_best_offer(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, PAGE) == chosen


def test_negotiate_ties_go_to_the_server_order() -> None:
    assert negotiate("text/turtle, application/ld+json", PAGE) == "text/turtle"
    assert negotiate("application/ld+json, text/turtle", PAGE) == "text/turtle"
    assert negotiate("*/*", []) is None


def test_parse_accept_keeps_order_and_quality() -> None:
    assert [(r.type, r.subtype, r.q) for r in parse_accept(BROWSER)] == [
        ("text", "html", 1.0),
        ("application", "xhtml+xml", 1.0),
        ("application", "xml", 0.9),
        ("image", "avif", 1.0),
        ("*", "*", 0.8),
    ]
    assert parse_accept("*/turtle, text") == []


def test_negotiate_rdf_format_for_dumps_and_pages() -> None:
    assert negotiate_rdf_format(None) == RdfFormat.TURTLE
    assert negotiate_rdf_format("application/n-quads") == RdfFormat.N_QUADS
    assert negotiate_rdf_format("application/trig", GRAPH_FORMATS) is None
    assert negotiate_rdf_format("text/html") is None
    assert RdfFormat.TRIG not in GRAPH_FORMATS
    assert RDF_FORMATS[0] == RdfFormat.TURTLE


def test_negotiate_results_format_accepts_aliases() -> None:
    assert negotiate_results_format(None) == QueryResultsFormat.JSON
    assert negotiate_results_format("application/sparql-results+xml") == QueryResultsFormat.XML
    assert negotiate_results_format("application/xml") == QueryResultsFormat.XML
    assert negotiate_results_format("text/tab-separated-values") == QueryResultsFormat.TSV
    assert negotiate_results_format("text/turtle") is None


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ttl", RdfFormat.TURTLE),
        (".nt", RdfFormat.N_TRIPLES),
        ("kg.nq.gz", RdfFormat.N_QUADS),
        ("KG.TRIG", RdfFormat.TRIG),
        ("context.jsonld", RdfFormat.JSON_LD),
        ("ontology/kg.rdf", RdfFormat.RDF_XML),
        ("notes.docx", None),
        ("archive.gz", None),
    ],
)
def test_rdf_format_for_extension(name: str, fmt: RdfFormat | None) -> None:
    assert rdf_format_for_extension(name) == fmt


def test_format_for_media_type_ignores_parameters() -> None:
    assert rdf_format_for_media_type("application/n-triples; charset=utf-8") == RdfFormat.N_TRIPLES
    assert rdf_format_for_media_type("text/html") is None
    assert results_format_for_media_type("application/sparql-results+json") == (
        QueryResultsFormat.JSON
    )
    assert results_format_for_extension("rows.tsv") == QueryResultsFormat.TSV
    assert results_format_for_extension("kg.ttl") is None


def test_is_compressed_and_media_type_iri() -> None:
    assert is_compressed("kg.nt.gz")
    assert not is_compressed("kg.nt")
    assert media_type_iri("application/n-quads") == (
        "https://www.iana.org/assignments/media-types/application/n-quads"
    )
