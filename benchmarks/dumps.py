"""Time the release dumps against a plain ``Store.dump`` to N-Quads of the same store.

Opens an existing store read-only (``--store PATH``) or builds one of synthetic
resolutions shaped like docs/data-model.md (about 190 triples each, one named graph per
resolution, plus a reference graph). Then, ``--repeat`` times, dumps the store plainly to
N-Quads and writes the release files, and prints the time and size of each file,
``dump_s``, ``store_dump_s`` and ``dump_vs_store_dump`` (``store_dump_s / dump_s``, target
≥ 0.5), with the CPU seconds of both: other work on the machine moves wall times far more
than CPU times.

Run: python benchmarks/dumps.py [--store PATH | --quads 1000000 [--disk]] [--out DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pyoxigraph import RdfFormat

from kg import ids
from kg.dumps import DumpFile, write_dumps
from kg.store import EmbeddedGraphStore, GraphStore, open_store
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


def build(store: GraphStore, quads: int) -> int:
    """Load about ``quads`` quads, 200 resolution graphs per transaction; return the graphs."""
    store.replace_graphs({ids.BASE_IRI + "graph/reference": reference_graph()})
    per_resolution = resolution(0)[1].count("\n") + 1
    count = max(1, quads // per_resolution)
    for start in range(0, count, 200):
        store.replace_graphs(dict(resolution(i) for i in range(start, min(count, start + 200))))
    return count + 1


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (this process, every thread) of ``action``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store, opened read-only")
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/dumps"))
    parser.add_argument("--disk", action="store_true", help="build the store on disk")
    parser.add_argument("--repeat", type=int, default=1, help="plain dump and dumps, N times")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    if args.store:
        store = open_store(args.store, read_only=True)
    else:
        store = open_store(workdir / "store" if args.disk else None)
        started = time.perf_counter()
        build(store, args.quads)
        print(f"store built in {time.perf_counter() - started:.1f} s")
    assert isinstance(store, EmbeddedGraphStore)
    print(f"store: {len(store.oxigraph)} quads in {len(store.graph_names())} graphs")

    runs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    files: list[DumpFile] = []
    for run in range(args.repeat):
        plain = timed(lambda: store.oxigraph.dump(workdir / "plain.nq", RdfFormat.N_QUADS))
        (workdir / "plain.nq").unlink()
        shutil.rmtree(args.out, ignore_errors=True)
        files.clear()
        dump = timed(
            lambda: files.extend(
                write_dumps(store, args.out, issued=date(2025, 1, 1), version="bench")
            )
        )
        runs.append((dump, plain))
        print(
            f"run {run + 1}: dump_s {dump[0]:.2f} (cpu {dump[1]:.2f}), "
            f"store_dump_s {plain[0]:.2f} (cpu {plain[1]:.2f}), "
            f"dump_vs_store_dump {plain[0] / dump[0]:.3f} (cpu {plain[1] / dump[1]:.3f})"
        )
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
    dump_s = statistics.median(wall for (wall, _), _ in runs)
    store_dump_s = statistics.median(wall for _, (wall, _) in runs)
    print(f"dump_s: {dump_s:.2f}")
    print(f"store_dump_s: {store_dump_s:.2f}")
    print(f"dump_vs_store_dump: {store_dump_s / dump_s:.3f}")
    store.close()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
