"""Release files: the dataset in five RDF formats, per-resolution Turtle, VoID and checksums.

``write_dumps`` writes into one folder::

    kg.ttl  kg.nt.gz  kg.nq.gz  kg.trig  kg.jsonld  context.jsonld
    resolutions/A_RES_58_135.ttl …  void.ttl  SHA256SUMS

Deterministic: the same store gives byte-identical files. Every graph is read as
N-Triples, blank nodes get RDFC-1.0 canonical labels and each graph's lines are sorted.
Graphs come in IRI order in the dataset files (N-Quads, TriG, JSON-LD; in the TriG, each
graph is its own Turtle in braces after its IRI); the union (N-Triples, Turtle) is the
sorted, de-duplicated merge of all lines. gzip runs with
``mtime=0`` and no file name, and the release date is an argument, never the clock.
The ``build`` graph (build times) is left out by default.

Fast (issue 7): the store is read once, graph by graph, and each graph serialised once
per syntax, its serialisations serving several files (:mod:`kg.dumpgraphs`). The two
gzipped files are compressed in threads while this one writes the others. Each file is
written beside its final name and renamed into place, so a server reading the folder
never sees half a file.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import struct
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat

from kg.dumpgraphs import GraphSerialiser, SerialisedGraph, serialise_graphs
from kg.errors import KgError
from kg.formats import COMPRESSION_SUFFIXES
from kg.ids import BASE_IRI, ONTOLOGY_IRI
from kg.jsonld import jsonld_context, jsonld_document
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
from kg.void import Distribution, Release, collect_linksets, void_graph

BUILD_GRAPH = "https://w3id.org/kg-un/graph/build"
"""The graph of build records (times of builds): not reproducible, so not dumped."""

STEM = "kg"
RESOLUTIONS_DIR = "resolutions"
CONTEXT_FILE = "context.jsonld"
VOID_FILE = "void.ttl"
CHECKSUMS_FILE = "SHA256SUMS"
GZIP_LEVEL = 3
"""The best ratio of zlib's fast strategy. Against its default (6) gzip takes under half the
time for files a fifth larger: the N-Quads of 20,000 resolutions (1.3 GB) take 4.8 s of
CPU for 107 MB, against 10.9 s for 89 MB; 9 would take twice as long again."""
_GZIP = COMPRESSION_SUFFIXES[".gz"]


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
    """Write the release files of ``store`` into ``out_dir``; return them in the order above.

    ``ontology_version`` defaults to the ``owl:versionInfo`` of the ontology in the
    store. Download URLs are ``dumps/<file>`` under ``public_url`` (default: the base IRI).

    Raises:
        StoreError: if the store cannot be read.
        KgError: if a file cannot be written.
    """
    excluded = set(exclude_graphs)
    graphs = [g for g in store.graph_names() if g not in excluded]
    writer = _Writer(Path(out_dir))
    serialiser = GraphSerialiser(dump_prefixes(base_iri))
    turtle = RdfFormat.TURTLE.media_type
    with _collector_paused(), ThreadPoolExecutor(2) as pool:
        parts = serialise_graphs(store, graphs, serialiser, pool)
        files, compressed = _write_dataset_files(writer, pool, parts, serialiser)
        names = resolution_files(graphs, base_iri)
        for part in parts:
            if (name := names.get(part.graph)) is not None:
                content = (serialiser.header, part.turtle)
                files.append(writer.put(f"{RESOLUTIONS_DIR}/{name}", turtle, content))
        del parts
        files[1:1] = [future.result() for future in compressed]
    writer.remove_stale(RESOLUTIONS_DIR, files)

    if ontology_version is None:
        ontology_version = read_ontology_version(store)
    release = Release(base_iri, issued, version, ontology_version, endpoint_url)
    linksets = collect_linksets(store, LINKS_GRAPH) if LINKS_GRAPH in graphs else ()
    statistics = serialiser.statistics.finish(linksets)
    distributions = _distributions(files, (public_url or base_iri).rstrip("/") + "/dumps/")
    void = void_graph(release, statistics, distributions).serialize(format="turtle")
    files.append(writer.put(VOID_FILE, turtle, [void.encode()]))
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    files.append(writer.put(CHECKSUMS_FILE, "text/plain", [sums.encode()]))
    return files


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector.

    A dump holds millions of long-lived containers (lines, subjects, blocks) and makes
    no reference cycles; each collection would scan them all again, for nothing (about
    a seventh of the time of a large dump).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_dataset_files(
    writer: _Writer,
    pool: ThreadPoolExecutor,
    parts: list[SerialisedGraph],
    serialiser: GraphSerialiser,
) -> tuple[list[DumpFile], list[Future[DumpFile]]]:
    """Write the whole-dataset files and ``context.jsonld``, but the gzipped files.

    Returns the files written, in order, and the gzipped files (N-Triples, N-Quads) as
    they are compressed in ``pool`` (zlib and hashlib let go of the GIL).
    """
    union, turtle = serialiser.union.finish()
    nquads = (part.nquads() for part in parts)
    compressed = [
        pool.submit(writer.put, f"{STEM}.nt.gz", RdfFormat.N_TRIPLES.media_type, union),
        pool.submit(writer.put, f"{STEM}.nq.gz", RdfFormat.N_QUADS.media_type, nquads),
    ]
    del union
    files = [writer.put(f"{STEM}.ttl", RdfFormat.TURTLE.media_type, [turtle])]
    del turtle
    trig = [serialiser.header]
    for part in parts:
        trig += (str(NamedNode(part.graph)).encode(), b" {\n", part.turtle, b"}\n")
    files.append(writer.put(f"{STEM}.trig", RdfFormat.TRIG.media_type, trig))
    jsonld = jsonld_document((p.jsonld for p in parts), serialiser.prefixes)
    files.append(writer.put(f"{STEM}.jsonld", RdfFormat.JSON_LD.media_type, jsonld))
    context = json.dumps(jsonld_context(serialiser.prefixes), indent=2) + "\n"
    files.append(writer.put(CONTEXT_FILE, "application/ld+json", [context.encode()]))
    return files, compressed


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


def gzip_chunks(chunks: Iterable[bytes], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """``chunks`` as one gzip member: no file name, time 0, OS "unknown" (RFC 1952 §2.3).

    The bytes depend on the data and the level only, not on the host or the chunks.

    >>> import gzip
    >>> gzip.decompress(b"".join(gzip_chunks([b"k", b"g"]))), next(gzip_chunks([])).hex()
    (b'kg', '1f8b08000000000000ff')
    """
    extra_flags = 2 if level == 9 else 4 if level == 1 else 0  # slowest, fastest
    yield struct.pack("<BBBBLBB", 0x1F, 0x8B, 8, 0, 0, extra_flags, 255)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate
    crc = size = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        if packed := compressor.compress(chunk):
            yield packed
    yield compressor.flush() + struct.pack("<LL", crc, size & 0xFFFFFFFF)


class _Writer:
    """Writes files atomically (temporary name, then rename) and describes each one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            (root / RESOLUTIONS_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise KgError(f"{root}: cannot create the dump folder: {e.strerror}") from e

    def put(self, name: str, media_type: str, chunks: Iterable[bytes]) -> DumpFile:
        """Write the ``chunks`` as ``name``, gzipped if the name ends in ``.gz``.

        Raises:
            KgError: if the file cannot be written.
        """
        started = time.perf_counter()
        path = self.root / name
        compressed = path.suffix in COMPRESSION_SUFFIXES
        if compressed:
            chunks = gzip_chunks(chunks)
        temporary = path.with_name(path.name + ".tmp")
        digest = hashlib.sha256()
        size = 0
        try:
            with open(temporary, "wb") as output:
                for chunk in chunks:
                    output.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            os.replace(temporary, path)
        except OSError as e:
            temporary.unlink(missing_ok=True)
            raise KgError(f"{path}: cannot write the dump: {e.strerror or e}") from e
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        seconds = time.perf_counter() - started
        compression = _GZIP if compressed else None
        return DumpFile(name, path, media_type, compression, size, digest.hexdigest(), seconds)

    def remove_stale(self, folder: str, files: Iterable[DumpFile]) -> None:
        written = {f.name for f in files}
        for path in sorted((self.root / folder).glob("*.ttl")):
            if f"{folder}/{path.name}" not in written:
                path.unlink()
