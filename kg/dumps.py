"""Release files: the dataset in five RDF formats, per-resolution Turtle, VoID and checksums.

``write_dumps`` writes into one folder::

    kg.ttl  kg.nt.gz  kg.nq.gz  kg.trig  kg.jsonld  context.jsonld
    resolutions/A_RES_58_135.ttl …  void.ttl  SHA256SUMS

Deterministic: the same store gives byte-identical files. Every graph is read as
N-Triples, blank nodes get RDFC-1.0 canonical labels, statements are sorted by their
N-Triples line (N-Quads by line; TriG and JSON-LD by graph, then line), gzip runs
with ``mtime=0`` and no file name, and the release date is an argument, never the clock.
The ``build`` graph (build times) is left out by default.

Fast: large data only goes through pyoxigraph's parsers and serialisers (and the JSON-LD
writer of :mod:`kg.jsonld`); Python sorts bytes lines. Each file is written beside its
final name and renamed into place, so a server reading the folder never sees half a file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO

from pyoxigraph import (
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    RdfFormat,
    parse,
    serialize,
)

from kg.errors import KgError
from kg.formats import COMPRESSION_SUFFIXES
from kg.ids import BASE_IRI, ONTOLOGY_IRI
from kg.jsonld import jsonld_context, write_jsonld
from kg.links import LINKS_GRAPH
from kg.store import GraphStore
from kg.vocab import (
    ACTION,
    CHANGE,
    DCAT,
    DCTERMS,
    ELI,
    FOAF,
    KG,
    MANDATE_KIND,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    VOID,
    XSD,
)
from kg.void import Distribution, Release, collect_statistics, void_graph

BUILD_GRAPH = "https://w3id.org/kg-un/graph/build"
"""The graph of build records (times of builds): not reproducible, so not dumped."""

STEM = "kg"
RESOLUTIONS_DIR = "resolutions"
CONTEXT_FILE = "context.jsonld"
VOID_FILE = "void.ttl"
CHECKSUMS_FILE = "SHA256SUMS"
_GZIP = COMPRESSION_SUFFIXES[".gz"]
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class DumpFile:
    """One file written by :func:`write_dumps`; ``name`` is relative to the output folder.

    ``seconds`` is the time spent serialising and writing it (for benchmarks).
    """

    name: str
    path: Path
    media_type: str
    compression: str | None
    byte_size: int
    sha256: str
    seconds: float = 0.0


# The whole-dataset dumps: file name (".gz": gzipped), title, format.
_DATASET_DUMPS = (
    (f"{STEM}.ttl", "Turtle", RdfFormat.TURTLE),
    (f"{STEM}.nt.gz", "N-Triples (gzip)", RdfFormat.N_TRIPLES),
    (f"{STEM}.nq.gz", "N-Quads with named graphs (gzip)", RdfFormat.N_QUADS),
    (f"{STEM}.trig", "TriG with named graphs", RdfFormat.TRIG),
    (f"{STEM}.jsonld", "JSON-LD with named graphs", RdfFormat.JSON_LD),
)
# The W3C format registry's IRI where pyoxigraph reports another.
_FORMAT_IRIS = {RdfFormat.JSON_LD: "http://www.w3.org/ns/formats/JSON-LD"}


def dump_prefixes(base: str = BASE_IRI) -> dict[str, str]:
    """The prefixes of the Turtle, TriG and JSON-LD dumps (and of ``context.jsonld``).

    >>> dump_prefixes("https://example.org/")["res"]
    'https://example.org/resolution/'
    """
    prefixes = {
        "kg": str(KG),
        "action": str(ACTION),
        "mkind": str(MANDATE_KIND),
        "change": str(CHANGE),
        "eli": str(ELI),
        "dcterms": str(DCTERMS),
        "skos": str(SKOS),
        "prov": str(PROV),
        "foaf": str(FOAF),
        "org": str(ORG),
        "owl": str(OWL),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "void": str(VOID),
        "dcat": str(DCAT),
        "spdx": str(SPDX),
    }
    for prefix, segment in (
        ("res", "resolution/"),
        ("body", "body/"),
        ("treaty", "treaty/"),
        ("doc", "document/"),
        ("graph", "graph/"),
        ("link", "link/"),
        ("external", "external/"),
    ):
        prefixes[prefix] = base + segment
    return prefixes


def write_dumps(
    store: GraphStore,
    out_dir: Path,
    *,
    issued: date,
    version: str,
    base_iri: str = BASE_IRI,
    ontology_version: str | None = None,
    endpoint_url: str | None = None,
    public_url: str | None = None,
    exclude_graphs: Iterable[str] = (BUILD_GRAPH,),
) -> list[DumpFile]:
    """Write the release files of ``store`` into ``out_dir``; return them in writing order.

    ``ontology_version`` defaults to the ``owl:versionInfo`` of the ontology in the
    store. Download URLs are ``dumps/<file>`` under ``public_url`` (default: the base IRI).

    Raises:
        StoreError: if the store cannot be read.
        KgError: if a file cannot be written.
    """
    excluded = set(exclude_graphs)
    graphs = [g for g in store.graph_names() if g not in excluded]
    lines = read_graph_lines(store, graphs)
    prefixes = dump_prefixes(base_iri)
    writer = _Writer(Path(out_dir))
    _write_dataset_files(writer, graphs, lines, prefixes)
    for graph, name in resolution_files(graphs, base_iri).items():
        ntriples = b"".join(t + b" .\n" for t in lines[graph])
        turtle = partial(_turtle, ntriples, None, prefixes)
        writer.put(f"{RESOLUTIONS_DIR}/{name}", RdfFormat.TURTLE.media_type, turtle)
    writer.remove_stale(RESOLUTIONS_DIR)

    if ontology_version is None:
        ontology_version = read_ontology_version(store)
    release = Release(base_iri, issued, version, ontology_version, endpoint_url)
    statistics = collect_statistics(store, graphs, LINKS_GRAPH)
    distributions = _distributions(writer.files, (public_url or base_iri).rstrip("/") + "/dumps/")
    void = void_graph(release, statistics, distributions)
    writer.put(VOID_FILE, RdfFormat.TURTLE.media_type, lambda: void.serialize(format="turtle"))
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(writer.files, key=lambda f: f.name))
    writer.put(CHECKSUMS_FILE, "text/plain", lambda: sums)
    return writer.files


def _write_dataset_files(
    writer: _Writer, graphs: list[str], lines: dict[str, list[bytes]], prefixes: dict[str, str]
) -> None:
    by_graph = b"".join(
        triple + b" " + str(NamedNode(graph)).encode() + b" .\n"
        for graph in graphs
        for triple in lines[graph]
    )
    triples = b"".join(t + b" .\n" for t in sorted(set().union(*lines.values())))
    for name, _, fmt in _DATASET_DUMPS:
        with writer.open(name, fmt.media_type) as output:
            if fmt == RdfFormat.N_TRIPLES:
                output.write(triples)
            elif fmt == RdfFormat.N_QUADS:
                output.write(b"".join(sorted(by_graph.splitlines(keepends=True))))
            elif fmt == RdfFormat.TURTLE:
                _turtle(triples, output, prefixes)
            elif fmt == RdfFormat.TRIG:
                quads = parse(by_graph, RdfFormat.N_QUADS)
                serialize(quads, output, RdfFormat.TRIG, prefixes=prefixes)
            else:
                _jsonld(by_graph, output, prefixes)
    context = jsonld_context(prefixes)
    writer.put(CONTEXT_FILE, "application/ld+json", lambda: json.dumps(context, indent=2) + "\n")


def _distributions(files: list[DumpFile], root: str) -> list[Distribution]:
    written = {f.name: f for f in files}
    return [
        Distribution(
            name,
            root + name,
            title,
            written[name].media_type,
            _FORMAT_IRIS.get(fmt, fmt.iri),
            written[name].compression,
            written[name].byte_size,
            written[name].sha256,
        )
        for name, title, fmt in _DATASET_DUMPS
    ]


def read_graph_lines(store: GraphStore, graphs: Iterable[str]) -> dict[str, list[bytes]]:
    """Each graph's triples as sorted N-Triples lines (no final `` .``), blank nodes canonical.

    Raises:
        StoreError: if the store cannot be read.
    """
    lines: dict[str, list[bytes]] = {}
    blank: list[bytes] = []
    for graph in graphs:
        name = str(NamedNode(graph)).encode()
        kept = lines[graph] = []
        for line in store.graph_ntriples(graph).splitlines():
            triple = line.rstrip().removesuffix(b" .")
            if b"_:" in triple:  # maybe a blank node (or "_:" inside a literal)
                blank.append(triple + b" " + name + b" .\n")
            elif triple:
                kept.append(triple)
    if blank:
        # RDFC-1.0 labels depend only on the quads that mention blank nodes.
        dataset = Dataset(parse(b"".join(blank), RdfFormat.N_QUADS))
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        for quad in dataset:
            assert isinstance(quad.graph_name, NamedNode)
            lines[quad.graph_name.value].append(str(quad.triple).encode())
    return {graph: sorted(set(triples)) for graph, triples in lines.items()}


def resolution_files(graphs: Iterable[str], base: str = BASE_IRI) -> dict[str, str]:
    """File names for the graphs of resolutions, from their IRIs (symbols), made unique.

    >>> resolution_files(["https://w3id.org/kg-un/resolution/A/RES/2200_(XXI)"])
    {'https://w3id.org/kg-un/resolution/A/RES/2200_(XXI)': 'A_RES_2200_XXI.ttl'}
    """
    prefix = base + "resolution/"
    names: dict[str, str] = {}
    taken: set[str] = set()
    for graph in sorted(g for g in graphs if g.startswith(prefix) and len(g) > len(prefix)):
        stem = re.sub(r"[^A-Za-z0-9.-]+", "_", graph[len(prefix) :]).strip("_.") or "resolution"
        if stem in taken:
            stem += "_" + hashlib.sha256(graph.encode()).hexdigest()[:8]
        taken.add(stem)
        names[graph] = stem + ".ttl"
    return names


def read_ontology_version(store: GraphStore) -> str | None:
    """The ``owl:versionInfo`` of kg's ontology in the store, if it is there.

    Raises:
        StoreError: if the store cannot be read.
    """
    _, rows = store.select_rows(
        f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> <{OWL.versionInfo}> ?v }} ORDER BY ?v LIMIT 1",
        name="ontology-version",
    )
    value = rows[0].get("v") if rows else None
    return value.value if isinstance(value, Literal) else None


def _turtle(ntriples: bytes, output: IO[bytes] | None, prefixes: Mapping[str, str]) -> bytes:
    """Turtle of sorted N-Triples, into ``output`` or returned."""
    # Quads of the default graph serialise as triples, in the order given.
    quads = parse(ntriples, RdfFormat.N_TRIPLES)
    return serialize(quads, output, RdfFormat.TURTLE, prefixes=dict(prefixes)) or b""


def _jsonld(nquads: bytes, output: IO[bytes], prefixes: Mapping[str, str]) -> None:
    text = io.TextIOWrapper(output, encoding="utf-8", newline="\n")
    write_jsonld(parse(nquads, RdfFormat.N_QUADS), text, prefixes)
    text.flush()
    text.detach()  # leave the file open for the writer to close


class _Writer:
    """Writes files atomically (temporary name, then rename) and records each one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[DumpFile] = []
        try:
            (root / RESOLUTIONS_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise KgError(f"{root}: cannot create the dump folder: {e.strerror}") from e

    @contextmanager
    def open(self, name: str, media_type: str) -> Iterator[IO[bytes]]:
        started = time.perf_counter()
        path = self.root / name
        temporary = path.with_name(path.name + ".tmp")
        compressed = path.suffix in COMPRESSION_SUFFIXES
        try:
            with open(temporary, "wb") as raw:
                if compressed:
                    # No file name and mtime 0 in the header: the bytes depend on the data only.
                    with gzip.GzipFile("", "wb", 6, raw, mtime=0) as packed:
                        yield packed  # type: ignore[misc]
                else:
                    yield raw
            os.replace(temporary, path)
        except OSError as e:
            temporary.unlink(missing_ok=True)
            raise KgError(f"{path}: cannot write the dump: {e.strerror or e}") from e
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        seconds = time.perf_counter() - started
        size, digest = _measure(path)
        compression = _GZIP if compressed else None
        self.files.append(DumpFile(name, path, media_type, compression, size, digest, seconds))

    def put(self, name: str, media_type: str, produce: Callable[[], bytes | str]) -> None:
        """Write a small file made in memory by ``produce`` (no second read for the digest)."""
        started = time.perf_counter()
        data = produce()
        data = data.encode() if isinstance(data, str) else data
        path = self.root / name
        temporary = path.with_name(path.name + ".tmp")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError as e:
            temporary.unlink(missing_ok=True)
            raise KgError(f"{path}: cannot write the dump: {e.strerror or e}") from e
        digest = hashlib.sha256(data).hexdigest()
        seconds = time.perf_counter() - started
        self.files.append(DumpFile(name, path, media_type, None, len(data), digest, seconds))

    def remove_stale(self, folder: str) -> None:
        written = {f.name for f in self.files}
        for path in sorted((self.root / folder).glob("*.ttl")):
            if f"{folder}/{path.name}" not in written:
                path.unlink()


def _measure(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
