"""Time SHACL validation: pyshacl against the native engine (shapes compiled to SPARQL).

Prints, per document: the cold time of each engine (shapes and context read, compiled);
one document at a time with each engine (warm, wall-clock median and CPU time); the native
engine on batches of 100 and 1,000 documents given as rdflib graphs and as N-Triples (what
a build passes); and the ratios. The documents are the five seeds, parsed and mapped under
varied symbols, so every document of a batch has IRIs of its own. pyshacl is timed on a
sample (``--sample``), as 1,000 documents would take minutes. Also the time with pyshacl's
RDFS pre-inference switched on, for comparison. Figures only; nothing is asserted.
Run: python benchmarks/bench_validate.py [--sample 20] [--batches 100,1000]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import ids
from kg.manifest import find_manifest
from kg.mapping import to_graph
from kg.parse import parse_file
from kg.resources import corpus_dir
from kg.validate import (
    context_graph,
    native_engine,
    shapes_graph,
    validate_batch,
    validate_graph,
)
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


def seed_documents(count: int) -> list[Graph]:
    """``count`` document graphs: the seeds in turn, each under a symbol of its own."""
    folder = corpus_dir()
    manifest = find_manifest(folder)
    seeds = [parse_file(path, manifest) for path in sorted(folder.glob("*.txt"))]
    return [
        to_graph(
            dataclasses.replace(
                seeds[i % len(seeds)], symbol=f"A/RES/{60 + i // 1000}/{i % 1000 + 1}"
            )
        )
        for i in range(count)
    ]


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    start, start_cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - start_cpu


def per_document(graphs: list[Graph], engine: str) -> tuple[float, float]:
    """Median wall-clock and CPU seconds per document, validated one by one."""
    walls, cpus = [], []
    for graph in graphs:
        wall, cpu = timed(lambda g=graph: validate_graph(g, engine=engine))  # type: ignore[misc]
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=20, help="documents timed one by one")
    parser.add_argument("--batches", default="100,1000", help="batch sizes for the native engine")
    args = parser.parse_args()
    sizes = [int(n) for n in args.batches.split(",")]
    graphs = seed_documents(max([args.sample, *sizes]))
    sample = graphs[: args.sample]
    triples = statistics.mean(len(g) for g in graphs)
    print(f"documents: the 5 seeds under varied symbols, {triples:.0f} triples on average; "
          f"context: {len(context_graph())} triples")  # fmt: skip

    cold_native = timed(lambda: validate_graph(graphs[0], engine="native"))[0]
    cold_pyshacl = timed(lambda: validate_graph(graphs[0], engine="pyshacl"))[0]
    print(f"cold (read shapes and context; compile for native): native {cold_native * 1000:.0f} "
          f"ms, pyshacl {cold_pyshacl * 1000:.0f} ms")  # fmt: skip
    compiled = native_engine().compiled
    print(f"native engine: {len(compiled.queries)} queries, {len(compiled.checks)} checks")

    rows: list[tuple[str, float, float]] = []
    wall, cpu = per_document(sample, "pyshacl")
    rows.append((f"pyshacl, one by one ({len(sample)} docs)", wall, cpu))
    wall, cpu = per_document(sample, "native")
    rows.append((f"native, one by one ({len(sample)} docs)", wall, cpu))
    for size in sizes:
        batch = {f"doc{i}": g for i, g in enumerate(graphs[:size])}
        wall, cpu = timed(lambda b=batch: validate_batch(b, engine="native"))  # type: ignore[misc]
        rows.append((f"native, batch of {size} rdflib graphs", wall / size, cpu / size))
        texts = {name: g.serialize(format="nt") for name, g in batch.items()}
        wall, cpu = timed(lambda t=texts: validate_batch(t, engine="native"))  # type: ignore[misc]
        rows.append((f"native, batch of {size} N-Triples", wall / size, cpu / size))
    undecided = sum(r is None for r in native_engine().validate(graphs[: max(sizes)]))
    reference = rows[0][2]
    print(f"\n{'per document':<40} {'wall ms':>9} {'CPU ms':>9} {'x faster (CPU)':>15}")
    for label, wall, cpu in rows:
        print(f"{label:<40} {wall * 1000:9.2f} {cpu * 1000:9.2f} {reference / cpu:15.1f}")
    print(f"documents the native engine left to pyshacl: {undecided} of {max(sizes)}")

    graph = document_graph()
    data = Graph()
    data += graph
    data += context_graph()
    rdfs = []
    for _ in range(3):
        start = time.perf_counter()
        pyshacl.validate(data, shacl_graph=shapes_graph(), inference="rdfs", allow_warnings=True)
        rdfs.append(time.perf_counter() - start)
    print(f"pyshacl with inference='rdfs' ({len(graph)}-triple graph), median of 3: "
          f"{statistics.median(rdfs) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
