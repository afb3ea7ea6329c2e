"""Time SHACL validation of one document-sized graph (about 300 triples).

Prints the cold time (shapes and context parsed), the warm wall-clock median and best, the
warm CPU time (steadier than wall-clock on a busy machine), the size of the graph, and, for
comparison, the time with pyshacl's RDFS pre-inference switched on.
Run: python benchmarks/bench_validate.py
"""

from __future__ import annotations

import statistics
import time

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import ids
from kg.validate import context_graph, shapes_graph, validate_graph
from kg.vocab import ACTION, ELI, KG, MANDATE_KIND, PROV, RDF


def document_graph() -> Graph:
    """A graph shaped like A/RES/58/135: 5 preambular, 9 operative paragraphs, 4 mandates.

    Bodies and treaties are those of ontology/reference, which validation reads as context.
    """
    g = Graph()
    res = URIRef(ids.resolution_iri("A/RES/58/135"))
    ga, unodc = URIRef(ids.body_iri("general-assembly")), URIRef(ids.body_iri("unodc"))
    untoc = URIRef(ids.treaty_iri("untoc"))
    g.add((res, RDF.type, KG.Resolution))
    g.add((res, KG.symbol, Literal("A/RES/58/135")))
    g.add((res, KG.resolutionNumber, Literal("58/135")))
    g.add((res, KG.title, Literal("International cooperation", lang="en")))
    g.add((res, KG.adoptedBy, ga))
    g.add((res, KG.adoptionDate, Literal("2003-12-22", datatype=XSD.date)))
    g.add((res, KG.session, Literal(58)))
    g.add((res, KG.layout, Literal("ods")))
    for n, symbol in enumerate(["A/RES/55/25", "A/RES/55/255", "A/RES/56/120", "A/RES/57/173"]):
        cited = URIRef(ids.resolution_iri(symbol))
        g.add((cited, RDF.type, KG.Resolution))
        g.add((cited, KG.symbol, Literal(symbol)))
        g.add((cited, KG.adoptedBy, ga))
        g.add((res, ELI.cites, cited))
        pp = URIRef(ids.paragraph_iri(res, f"pp{n + 1}"))
        g.add((pp, ELI.cites, cited))
    for n in range(1, 6):
        pp = URIRef(ids.paragraph_iri(res, f"pp{n}"))
        g.add((res, KG.hasParagraph, pp))
        g.add((pp, RDF.type, KG.PreambularParagraph))
        g.add((pp, KG.paragraphOf, res))
        g.add((pp, KG.order, Literal(n)))
        g.add((pp, KG.leadingPhrase, Literal("Recalling")))
        g.add((pp, KG.action, ACTION.recall))
        g.add((pp, KG.text, Literal(f"Recalling paragraph {n} of the preamble,")))
        g.add((pp, KG.mentionsTreaty, untoc))
    for n in range(1, 10):
        op = URIRef(ids.paragraph_iri(res, f"op{n}"))
        g.add((res, KG.hasParagraph, op))
        g.add((op, RDF.type, KG.OperativeParagraph))
        g.add((op, KG.paragraphOf, res))
        g.add((op, KG.order, Literal(n)))
        g.add((op, KG.number, Literal(str(n))))
        g.add((op, KG.leadingPhrase, Literal("Requests")))
        g.add((op, KG.action, ACTION.request))
        g.add((op, KG.text, Literal(f"Requests the Office to act under paragraph {n};")))
        g.add((op, KG.mentionsBody, unodc))
        if n > 5:
            mandate = URIRef(ids.mandate_iri(op))
            g.add((op, KG.createsMandate, mandate))
            g.add((mandate, RDF.type, KG.Mandate))
            g.add((mandate, KG.createdBy, op))
            g.add((mandate, KG.issuedBy, ga))
            g.add((mandate, KG.mandateKind, MANDATE_KIND.request))
            g.add((mandate, KG.addressee, unodc))
            g.add((mandate, KG.task, Literal("to act")))
            g.add((mandate, KG.reportTo, ga))
            g.add((mandate, KG.dueSession, Literal(59)))
    source = URIRef(f"{res}/source")
    g.add((res, PROV.wasDerivedFrom, source))
    g.add((source, RDF.type, KG.SourceRecord))
    g.add((source, KG.sourceFile, Literal("000_255fffffb051a65e.txt")))
    g.add((source, KG.sourceSha256, Literal("0" * 64)))
    g.add((source, KG.parserVersion, Literal("0.1.0")))
    return g


def main() -> None:
    graph = document_graph()
    start = time.perf_counter()
    report = validate_graph(graph)
    cold = time.perf_counter() - start
    assert report.conforms, report.text
    warm, cpu = [], []
    for _ in range(15):
        start, start_cpu = time.perf_counter(), time.process_time()
        validate_graph(graph)
        warm.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    data = Graph()
    data += graph
    data += context_graph()
    rdfs = []
    for _ in range(3):
        start = time.perf_counter()
        pyshacl.validate(data, shacl_graph=shapes_graph(), inference="rdfs", allow_warnings=True)
        rdfs.append(time.perf_counter() - start)
    print(f"document graph: {len(graph)} triples; context: {len(context_graph())} triples")
    print(f"validate_graph cold (parses shapes, context): {cold * 1000:.0f} ms")
    print(
        f"validate_graph warm, {len(warm)} runs: median {statistics.median(warm) * 1000:.1f} ms,"
        f" best {min(warm) * 1000:.1f} ms; CPU time median {statistics.median(cpu) * 1000:.1f} ms"
    )
    print(f"pyshacl with inference='rdfs', median of 3: {statistics.median(rdfs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
