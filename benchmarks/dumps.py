"""Time the release dumps of a large store against a plain ``Store.dump`` to N-Quads.

Builds a store of synthetic resolutions shaped like docs/data-model.md (about 190
triples each, one named graph per resolution, plus a reference graph), then prints the
time and size of each file ``kg dump`` writes, the time of a plain ``Store.dump`` to
N-Quads, and their ratio (``dump_vs_store_dump``).

Run: python benchmarks/dumps.py [--quads 1000000] [--out benchmarks/out/dumps] [--disk]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from pyoxigraph import RdfFormat

from kg import ids
from kg.dumps import read_graph_lines, write_dumps
from kg.store import EmbeddedGraphStore, open_store
from kg.vocab import ACTION, ELI, KG, MANDATE_KIND, PROV, RDF, SKOS, XSD

TEXT = (
    "requests the Secretary-General to submit a report on the implementation of the present "
    "resolution to the General Assembly at its session under the item entitled crime prevention "
    "and criminal justice welcomes the work of the United Nations Office on Drugs and Crime"
)
WORDS = TEXT.split()


def literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def resolution(index: int) -> tuple[str, str]:
    """One resolution's graph as N-Triples (about 190 triples)."""
    session, number = 50 + index // 400, index % 400 + 1
    symbol = f"A/RES/{session}/{number}"
    res = ids.resolution_iri(symbol)
    ga, unodc = ids.body_iri("general-assembly"), ids.body_iri("unodc")
    lines: list[str] = []

    def add(s: str, p: object, o: str) -> None:
        lines.append(f"<{s}> <{p}> {o} .")

    add(res, RDF.type, f"<{KG.Resolution}>")
    add(res, KG.symbol, literal(symbol))
    add(res, KG.resolutionNumber, literal(f"{session}/{number}"))
    add(res, KG.title, literal(f"Resolution {symbol} on international cooperation") + "@en")
    add(res, KG.adoptedBy, f"<{ga}>")
    add(res, KG.adoptionDate, typed(f"{1945 + session}-12-{number % 28 + 1:02d}", XSD.date))
    add(res, KG.session, typed(session, XSD.integer))
    add(res, KG.agendaItem, literal(str(100 + number % 50)))
    add(res, KG.meeting, literal(f"{number % 90 + 1}th plenary meeting"))
    add(res, KG.layout, literal("ods"))
    add(res, PROV.wasDerivedFrom, f"<{res}/source>")
    add(f"{res}/source", RDF.type, f"<{KG.SourceRecord}>")
    add(f"{res}/source", KG.sourceFile, literal(f"{index:06d}.txt"))
    add(f"{res}/source", KG.parserVersion, literal("0.1.0"))
    for cited in range(4):
        other = ids.resolution_iri(f"A/RES/{session - 1 - cited}/{(number * 7 + cited) % 400 + 1}")
        add(res, ELI.cites, f"<{other}>")
        add(other, RDF.type, f"<{KG.Resolution}>")
        add(other, KG.adoptedBy, f"<{ga}>")
    for part, count, cls in (("pp", 5, KG.PreambularParagraph), ("op", 9, KG.OperativeParagraph)):
        for order in range(1, count + 1):
            par = ids.paragraph_iri(res, f"{part}{order}")
            start = (index + order * 5) % (len(WORDS) - 30)
            text = " ".join(WORDS[start : start + 25 + order])
            add(res, KG.hasParagraph, f"<{par}>")
            add(par, RDF.type, f"<{cls}>")
            add(par, KG.paragraphOf, f"<{res}>")
            add(par, KG.order, typed(order, XSD.integer))
            add(par, KG.leadingPhrase, literal("Requests"))
            add(par, KG.action, f"<{ACTION.request}>")
            add(par, KG.text, literal(text.capitalize() + ";"))
            add(par, KG.mentionsBody, f"<{unodc}>")
            if part == "op":
                add(par, KG.number, literal(str(order)))
            if part == "op" and order % 3 == 0:
                mandate = ids.mandate_iri(par)
                add(par, KG.createsMandate, f"<{mandate}>")
                add(mandate, RDF.type, f"<{KG.Mandate}>")
                add(mandate, KG.createdBy, f"<{par}>")
                add(mandate, KG.issuedBy, f"<{ga}>")
                add(mandate, KG.mandateKind, f"<{MANDATE_KIND.request}>")
                add(mandate, KG.addressee, f"<{unodc}>")
                add(mandate, KG.task, literal(text))
                add(mandate, KG.dueSession, typed(session + 1, XSD.integer))
    return res, "\n".join(lines)


def reference_graph() -> str:
    lines = []
    for body in ("general-assembly", "unodc", "secretary-general"):
        iri = ids.body_iri(body)
        lines.append(f"<{iri}> <{RDF.type}> <{KG.Body}> .")
        lines.append(f"<{iri}> <{SKOS.prefLabel}> {literal(body.replace('-', ' ').title())}@en .")
    return "\n".join(lines)


def build(store: EmbeddedGraphStore, quads: int) -> int:
    """Load about ``quads`` quads, 200 resolution graphs per transaction; return the count."""
    store.replace_graphs({ids.BASE_IRI + "graph/reference": reference_graph()})
    per_resolution = resolution(0)[1].count("\n") + 1
    count = max(1, quads // per_resolution)
    for start in range(0, count, 200):
        store.replace_graphs(dict(resolution(i) for i in range(start, min(count, start + 200))))
    return len(store.oxigraph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/dumps"))
    parser.add_argument("--disk", action="store_true", help="use an on-disk store")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    store = open_store(workdir / "store" if args.disk else None)
    assert isinstance(store, EmbeddedGraphStore)
    started = time.perf_counter()
    quads = build(store, args.quads)
    print(
        f"store: {quads} quads in {len(store.graph_names())} graphs, "
        f"built in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    store.oxigraph.dump(workdir / "plain.nq", RdfFormat.N_QUADS)
    plain = time.perf_counter() - started
    print(f"Store.dump to N-Quads: {plain:.2f} s, {(workdir / 'plain.nq').stat().st_size} bytes")

    started = time.perf_counter()
    lines = read_graph_lines(store, store.graph_names())
    read = time.perf_counter() - started
    print(f"read and sort graph lines: {read:.2f} s ({sum(map(len, lines.values()))} triples)")
    every = [t for triples in lines.values() for t in triples]
    random.Random(0).shuffle(every)
    started = time.perf_counter()
    every.sort()
    print(f"sort {len(every)} shuffled N-Triples lines: {time.perf_counter() - started:.2f} s")
    del lines, every

    shutil.rmtree(args.out, ignore_errors=True)
    started = time.perf_counter()
    files = write_dumps(store, args.out, issued=date(2025, 1, 1), version="bench")
    total = time.perf_counter() - started
    resolution_files = [f for f in files if f.name.startswith("resolutions/")]
    print(f"{'file':<32} {'seconds':>8} {'bytes':>14}")
    for f in files:
        if not f.name.startswith("resolutions/"):
            print(f"{f.name:<32} {f.seconds:>8.2f} {f.byte_size:>14}")
    print(
        f"{'resolutions/*.ttl (' + str(len(resolution_files)) + ')':<32} "
        f"{sum(f.seconds for f in resolution_files):>8.2f} "
        f"{sum(f.byte_size for f in resolution_files):>14}"
    )
    print(f"write_dumps total: {total:.2f} s (reading, sorting, statistics included)")
    print(f"dump_vs_store_dump: {total / plain:.1f}")
    store.close()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
