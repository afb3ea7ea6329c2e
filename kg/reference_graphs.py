"""The ontology and reference graphs of a dataset, written from the bundled files.

``ontology/kg.ttl`` goes into :data:`ONTOLOGY_GRAPH`; ``ontology/reference/*.ttl`` (bodies,
treaties, clause actions, written with IRIs relative to the dataset base) into
:data:`REFERENCE_GRAPH`, resolved against the base IRI of the build.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from kg import resources
from kg.errors import ParseError
from kg.ids import BASE_IRI
from kg.rdfio import parse_ntriples, read_rdf_file
from kg.store import GraphStore, Term

if TYPE_CHECKING:
    from pyoxigraph import Triple

ONTOLOGY_GRAPH = "https://w3id.org/kg-un/graph/ontology"
"""The named graph holding ``ontology/kg.ttl``."""
REFERENCE_GRAPH = "https://w3id.org/kg-un/graph/reference"
"""The named graph holding bodies, treaties and clause actions (``ontology/reference/``)."""


def write_reference_graphs(store: GraphStore, base: str = BASE_IRI) -> int:
    """Replace the ontology and reference graphs from the bundled files; returns triples written.

    A graph whose files have not changed is left as it is: the ontology has blank nodes
    (``owl:unionOf`` lists), which a store relabels on every write, so rewriting it would
    change its quads from one build to the next.

    Raises:
        ParseError: if a bundled file is not valid RDF.
        StoreError: if the store cannot be written.
    """
    folder = resources.ontology_dir()
    written = 0
    sources = (
        (ONTOLOGY_GRAPH, [folder / "kg.ttl"], None),
        (REFERENCE_GRAPH, sorted((folder / "reference").glob("*.ttl")), base),
    )
    for graph, files, file_base in sources:
        if not _unchanged(store, graph, files, file_base):
            written += store.load_files(files, graph, base_iri=file_base)
    return written


def _unchanged(store: GraphStore, graph: str, files: list[Path], base: str | None) -> bool:
    """Whether the stored ``graph`` holds exactly the triples of ``files`` (up to blank nodes)."""
    current = store.graph_ntriples(graph)
    if not current:
        return False
    try:
        wanted = [t for path in files for t in read_rdf_file(path, base_iri=base)]
    except ParseError:  # load_files will report it
        return False
    first, second = _canonical(wanted), _canonical(parse_ntriples(current, graph))
    return first is not None and first == second


def _canonical(triples: list[Triple]) -> Counter[str] | None:
    """The triples with each blank node named by a digest of what hangs from it.

    Exact for blank nodes that form trees (RDF lists, OWL class expressions), which is all
    the ontology has; ``None`` for a cycle of blank nodes, which is then always rewritten.
    """
    outgoing: dict[str, list[Triple]] = {}
    for triple in triples:
        if _blank(triple.subject):
            outgoing.setdefault(str(triple.subject), []).append(triple)
    names: dict[str, str] = {}

    def name(term: Term, path: frozenset[str]) -> str:
        label = str(term)
        if not _blank(term):
            return label
        if label in path:
            raise RecursionError(label)
        if label not in names:
            inner = path | {label}
            parts = sorted(
                f"{t.predicate} {name(t.object, inner)}" for t in outgoing.get(label, [])
            )
            names[label] = "_:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        return names[label]

    try:
        return Counter(
            f"{name(t.subject, frozenset())} {t.predicate} {name(t.object, frozenset())}"
            for t in triples
        )
    except RecursionError:
        return None


def _blank(term: Term) -> bool:
    return str(term).startswith("_:")


__all__ = ["ONTOLOGY_GRAPH", "REFERENCE_GRAPH", "write_reference_graphs"]
