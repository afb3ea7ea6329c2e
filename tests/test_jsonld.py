"""The JSON-LD writer: what json.dumps would write, and what reads back as the same quads."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    parse,
)

from kg.errors import KgError
from kg.jsonld import Compactor, jsonld_document, jsonld_graph

PREFIXES = {
    "ex": "http://ex.org/",
    "exd": "http://ex.org/deep/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
GRAPH = "http://ex.org/graph/1"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# rdf:type with a literal, IRIs and a blank node on one subject; every escape; tags.
DATA = f"""
<http://ex.org/a> {TYPE} "odd" .
<http://ex.org/a> {TYPE} <http://ex.org/C> .
<http://ex.org/a> {TYPE} <http://ex.org/deep/D> .
<http://ex.org/a> {TYPE} _:t .
<http://ex.org/a> <http://ex.org/text> "tab\\t \\"q\\" \\\\ \\u0001 \\u007F é" .
<http://ex.org/a> <http://ex.org/text> "hello"@en-GB .
<http://ex.org/a> <http://ex.org/n> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://ex.org/a> <http://ex.org/n> "x"^^<http://other.org/dt> .
<http://ex.org/a> <http://ex.org/see> <http://other.org/x> .
<http://ex.org/a> <http://ex.org/see> <http://ex.org///odd> .
_:t <http://ex.org/text> "<< not a quoted triple >>" .
"""


def sorted_ntriples(data: str) -> str:
    triples = [str(quad.triple) for quad in parse(data, RdfFormat.N_TRIPLES)]
    return "".join(f"{t} .\n" for t in sorted(triples))


def reference(graph: str, ntriples: str, compact: Compactor) -> str:
    """A graph object built as dicts from pyoxigraph terms and written by json.dumps."""
    nodes: dict[str, dict[str, list[object]]] = {}
    for quad in parse(ntriples, RdfFormat.N_TRIPLES):
        s, p, o = quad.subject, quad.predicate.value, quad.object
        ident = compact(s.value) if isinstance(s, NamedNode) else f"_:{s.value}"
        node = nodes.setdefault(ident, {"@id": ident})  # type: ignore[arg-type]
        if p == TYPE[1:-1] and isinstance(o, NamedNode):
            node.setdefault("@type", []).append(compact(o.value))
            continue
        value: object
        if isinstance(o, NamedNode):
            value = {"@id": compact(o.value)}
        elif isinstance(o, BlankNode):
            value = {"@id": f"_:{o.value}"}
        else:
            assert isinstance(o, Literal)
            value = {"@value": o.value}
            if o.language:
                value["@language"] = o.language  # type: ignore[index]
            elif o.datatype.value != PREFIXES["xsd"] + "string":
                value["@type"] = compact(o.datatype.value)  # type: ignore[index]
            else:
                value = o.value
        node.setdefault(compact(p), []).append(value)
    body = ",\n".join(json.dumps(n, ensure_ascii=False) for n in nodes.values())
    return f'{{"@id": {json.dumps(compact(graph))}, "@graph": [\n{body}\n]}}'


def test_jsonld_graph_writes_what_json_dumps_writes() -> None:
    compact = Compactor(PREFIXES)
    ntriples = sorted_ntriples(DATA)
    written = jsonld_graph(GRAPH, ntriples, compact)
    assert written == reference(GRAPH, ntriples, compact)
    # Literals sort before IRIs, blank nodes after: rdf:type's member holds both.
    assert '"rdf:type": ["odd", {"@id": "_:t"}], "@type": ["ex:C", "exd:D"]}' in written


def test_jsonld_document_reads_back_as_the_same_quads() -> None:
    compact = Compactor(PREFIXES)
    ntriples = sorted_ntriples(DATA)
    expected = Dataset()
    fragments = []
    for graph in (GRAPH, "http://ex.org/graph/2"):
        fragments.append(jsonld_graph(graph, ntriples, compact).encode())
        for t in parse(ntriples, RdfFormat.N_TRIPLES):
            expected.add(Quad(t.subject, t.predicate, t.object, NamedNode(graph)))
    read = Dataset(parse(b"".join(jsonld_document(fragments, PREFIXES)), RdfFormat.JSON_LD))
    # Blank nodes get new labels on reading: compare canonical forms.
    for dataset in (expected, read):
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    assert len(read) == 22
    assert set(map(str, read)) == set(map(str, expected))


def test_jsonld_graph_refuses_quoted_triples() -> None:
    compact = Compactor(PREFIXES)
    quoted = "<< <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> >>"
    line = f"{quoted} <http://ex.org/p> <http://ex.org/o> .\n"
    with pytest.raises(KgError, match="no JSON-LD for quoted triples"):
        jsonld_graph(GRAPH, line, compact)
    # "<<" in a literal is only text.
    text = '<http://ex.org/a> <http://ex.org/p> "a << b" .\n'
    assert '"ex:p": ["a << b"]' in jsonld_graph(GRAPH, text, compact)


def test_compactor_takes_the_longest_namespace_and_leaves_odd_suffixes() -> None:
    compact = Compactor(PREFIXES)
    assert compact("http://ex.org/deep/x") == "exd:x"
    assert compact("http://ex.org/x") == "ex:x"
    assert compact("http://ex.org/") == "http://ex.org/"
    assert compact("http://ex.org//x") == "ex:/x"
    assert compact("http://ex.org///x") == "http://ex.org///x"  # "ex://x" reads as an IRI
    assert compact("urn:isbn:1") == "urn:isbn:1"
    with pytest.raises(KgError, match="its scheme is a JSON-LD prefix name"):
        compact("ex:raw")
