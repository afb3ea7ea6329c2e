"""Serialise a query's answer in the negotiated format, at most ``max_rows`` rows or triples.

This runs inside a query worker process (:mod:`kg.web.workers`), so the rows cross
the process boundary as finished bytes. pyoxigraph cannot serialise the first *n*
solutions of a ``QuerySolutions`` only, so capped rows are written as SPARQL TSV
(terms in N-Triples syntax, §3 of "SPARQL 1.1 Query Results CSV and TSV Formats"),
parsed back and serialised by pyoxigraph into the format asked for: one writer per
format, and it is pyoxigraph's.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.formats import rdf_format_for_media_type, results_format_for_media_type


@dataclass(frozen=True, slots=True)
class Answer:
    """A finished HTTP body: its media type, bytes, and how many rows it holds.

    ``truncated`` is true when the query had more than ``max_rows`` rows and the
    body holds the first ``max_rows`` of them.
    """

    media_type: str
    body: bytes
    count: int = 0
    truncated: bool = False


def serialize_answer(
    result: Any, media_type: str, max_rows: int, prefixes: dict[str, str] | None = None
) -> Answer:
    """Write a pyoxigraph query result (rows, boolean or triples) as ``media_type``.

    Raises:
        QueryError: if ``media_type`` does not suit the kind of result (a graph
            format for a SELECT, a results format for a CONSTRUCT).
    """
    if isinstance(result, ox.QueryBoolean):
        fmt = _results_format(media_type, "an ASK query")
        return Answer(media_type, result.serialize(format=fmt) or b"", count=1)
    if isinstance(result, ox.QuerySolutions):
        fmt = _results_format(media_type, "a SELECT query")
        names = [v.value for v in result.variables]
        rows = list(islice(result, max_rows + 1))
        truncated = len(rows) > max_rows
        rows = rows[:max_rows]
        lines = ["\t".join("?" + name for name in names)]
        lines += ["\t".join(_term(row[name]) for name in names) for row in rows]
        capped = ox.parse_query_results(
            ("\n".join(lines) + "\n").encode(), ox.QueryResultsFormat.TSV
        )
        return Answer(media_type, capped.serialize(format=fmt) or b"", len(rows), truncated)
    rdf_format = _graph_format(media_type, "a CONSTRUCT or DESCRIBE result")
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    used = prefixes if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=rdf_format, prefixes=used) or b""
    return Answer(media_type, body, len(triples), truncated)


def _graph_format(media_type: str, what: str) -> ox.RdfFormat:
    """The format of ``media_type`` if it can hold one graph (JSON-LD can hold either)."""
    fmt = rdf_format_for_media_type(media_type)
    if fmt is None or (fmt.supports_datasets and fmt != ox.RdfFormat.JSON_LD):
        raise QueryError("query", f"{what} cannot be written as {media_type}")
    return fmt


def _results_format(media_type: str, what: str) -> ox.QueryResultsFormat:
    fmt = results_format_for_media_type(media_type)
    if fmt is None:
        raise QueryError("query", f"{what} cannot be answered as {media_type}")
    return fmt


def _term(term: Any) -> str:
    """A term in the TSV results syntax; ``str()`` of a triple term lacks its brackets."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {_term(term.subject)} {_term(term.predicate)} {_term(term.object)} )>>"
    return str(term)


def serialize_triples(
    triples: Any, media_type: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """Write pyoxigraph triples in a graph format (resource pages, small graphs).

    Raises:
        QueryError: if ``media_type`` is not a graph format.
    """
    rdf_format = _graph_format(media_type, "a graph")
    used = prefixes if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(list(triples), format=rdf_format, prefixes=used) or b""


def convert_graph(
    data: bytes, source_type: str, media_type: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """Re-serialise one graph from ``source_type`` (e.g. N-Triples, Turtle) into ``media_type``.

    Raises:
        QueryError: if either media type is not a graph format or ``data`` is not valid.
    """
    source = rdf_format_for_media_type(source_type)
    if source is None:
        raise QueryError("format", f"{source_type} is not an RDF format")
    try:
        triples = [quad.triple for quad in ox.parse(data, source, without_named_graphs=True)]
    except SyntaxError as e:
        raise QueryError("graph", f"invalid {source_type}: {e}") from e
    # Sorted by subject, so the Turtle writer groups each subject's triples.
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return serialize_triples(triples, media_type, prefixes)
