"""The VoID and DCAT description of a release: statistics, linksets and the dump files.

Statistics are counted from the N-Triples lines of exactly the named graphs that were
dumped, graph by graph as the dumps serialise them (:class:`StatisticsCounter`), so the
store is not scanned again. Linksets count the links in the ``links`` graph per
external dataset: each external dataset is described there as a ``void:Dataset`` with
its ``void:uriSpace`` (``links/datasets.ttl``) and a link counts for the dataset whose
space is the longest prefix of its target. Link records and the dataset descriptions
themselves are not links. AKN4UN identifiers are literals (``kg:aknIdentifier``), so
they show in the property partitions, not as a linkset.

The graph is small and built with rdflib. Its blank nodes get labels fixed by their
content (partitions numbered in IRI order), so rdflib's sorted Turtle lists partitions
by class and property and is the same on every run.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import BNode, Graph, Literal, URIRef

from kg.formats import media_type_iri
from kg.ids import ONTOLOGY_IRI
from kg.store import GraphStore
from kg.vocab import DCAT, DCTERMS, FOAF, KG, OWL, RDF, SPDX, VOID, XSD

RDF_TYPE = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_TYPE = b"<" + RDF_TYPE + b">"

DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
"""The licence of kg's own data."""

DEFAULT_TITLE = "United Nations resolutions knowledge graph"


def dataset_iri(base: str) -> str:
    """The IRI of the dataset as a whole, which ``void.ttl`` describes.

    >>> dataset_iri("https://w3id.org/kg-un/")
    'https://w3id.org/kg-un/dataset'
    """
    return base + "dataset"


@dataclass(frozen=True, slots=True)
class Release:
    """What a release says about itself; ``issued`` is given so a rebuild reproduces it."""

    base_iri: str
    issued: date
    version: str
    ontology_version: str | None = None
    endpoint_url: str | None = None
    title: str = DEFAULT_TITLE
    license: str = DATA_LICENSE


@dataclass(frozen=True, slots=True)
class Distribution:
    """One downloadable dump file of the whole dataset."""

    name: str
    url: str
    title: str
    media_type: str
    format_iri: str
    compression: str | None
    byte_size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Linkset:
    """The links from kg to one external dataset, by property."""

    target: str
    titles: tuple[tuple[str, str | None], ...]
    uri_space: str
    predicates: tuple[str, ...]
    triples: int


@dataclass(frozen=True, slots=True)
class Statistics:
    """Counts over the dumped graphs."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    classes: tuple[tuple[str, int], ...]
    properties: tuple[tuple[str, int], ...]
    linksets: tuple[Linkset, ...]


class StatisticsCounter:
    """Counts the statistics of the dumped graphs from their N-Triples, graph by graph.

    Reads canonical N-Triples lines (``S P O .``), as the dumps hold them; a triple in
    several graphs counts once, as in the union of the graphs.

    >>> counter = StatisticsCounter()
    >>> counter.add([b'<urn:a> <urn:p> "1" .\\n', b'<urn:a> <%s> <urn:C> .\\n' % RDF_TYPE])
    >>> counter.add([b'<urn:a> <urn:p> "1" .\\n', b'<urn:b> <urn:p> <urn:a> .\\n'])
    >>> statistics = counter.finish(())
    >>> statistics.triples, statistics.distinct_subjects, statistics.distinct_objects
    (3, 2, 3)
    >>> statistics.classes, statistics.properties
    ((('urn:C', 1),), (('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 1), ('urn:p', 2)))
    """

    def __init__(self) -> None:
        self._seen: set[bytes] = set()
        self._subjects: set[bytes] = set()
        self._objects: set[bytes] = set()
        self._typed: set[tuple[bytes, bytes]] = set()
        self._properties: Counter[bytes] = Counter()

    def add(self, lines: Iterable[bytes]) -> None:
        """Count the triples of one graph, given as N-Triples lines (``S P O .\\n``)."""
        fresh = set(lines).difference(self._seen)
        self._seen |= fresh
        add_subject, add_object = self._subjects.add, self._objects.add
        predicates: list[bytes] = []
        add_predicate = predicates.append
        types: list[tuple[bytes, bytes]] = []
        for line in fresh:
            subject, predicate, rest = line.split(b" ", 2)
            add_subject(subject)
            add_object(rest)  # the object and its " .": as distinct as the object
            add_predicate(predicate)
            if predicate == _RDF_TYPE:
                types.append((subject, rest[:-3]))
        self._properties.update(predicates)
        # An entity of a class: a subject typed with an IRI (not a quoted triple).
        self._typed.update(t for t in types if t[1][:1] == b"<" and t[1][:2] != b"<<")

    def finish(self, linksets: Sequence[Linkset]) -> Statistics:
        """The statistics of everything added, with the ``linksets`` given."""
        classes = Counter(cls for _, cls in self._typed)
        return Statistics(
            triples=len(self._seen),
            distinct_subjects=len(self._subjects),
            distinct_objects=len(self._objects),
            classes=_iri_counts(classes),
            properties=_iri_counts(self._properties),
            linksets=tuple(linksets),
        )


def collect_linksets(store: GraphStore, links_graph: str | None) -> tuple[Linkset, ...]:
    """The links of ``links_graph`` per external dataset, by longest matching URI space.

    Raises:
        StoreError: if the store cannot be read.
    """
    if links_graph is None:
        return ()
    graph = NamedNode(links_graph)
    _, datasets = store.select_rows(
        f"""SELECT ?d ?space ?title WHERE {{ GRAPH {graph} {{
            ?d a <{VOID.Dataset}> ; <{VOID.uriSpace}> ?space
            OPTIONAL {{ ?d <{DCTERMS.title}> ?title }} }} }}""",
        name="void-link-targets",
    )
    spaces: dict[str, str] = {}
    titles: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for row in datasets:
        node, uri_space, title = row["d"], row["space"], row.get("title")
        if isinstance(node, NamedNode) and isinstance(uri_space, OxLiteral) and uri_space.value:
            spaces[uri_space.value] = node.value
            if isinstance(title, OxLiteral):
                titles[node.value].add((title.value, title.language))
    _, links = store.select_rows(
        f"""SELECT ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isIRI(?o))
            FILTER NOT EXISTS {{ ?s a <{KG.LinkRecord}> }}
            FILTER NOT EXISTS {{ ?s a <{VOID.Dataset}> }} }} }}""",
        name="void-links",
    )
    counts: Counter[tuple[str, str]] = Counter()
    for row in links:
        obj, predicate = row["o"], row["p"]
        if not isinstance(obj, NamedNode) or not isinstance(predicate, NamedNode):
            continue
        matches = [s for s in spaces if obj.value.startswith(s)]
        if matches:
            counts[(max(matches, key=len), predicate.value)] += 1
    result = []
    for space, target in sorted(spaces.items(), key=lambda item: item[1]):
        predicates = sorted(p for s, p in counts if s == space)
        if predicates:
            total = sum(n for (s, _), n in counts.items() if s == space)
            result.append(
                Linkset(target, tuple(sorted(titles[target])), space, tuple(predicates), total)
            )
    return tuple(result)


def void_graph(
    release: Release, statistics: Statistics, distributions: Sequence[Distribution]
) -> Graph:
    """The VoID/DCAT description of a release (``void.ttl``)."""
    graph = Graph()
    for prefix, namespace in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("spdx", SPDX),
        ("owl", OWL),
        ("foaf", FOAF),
        ("xsd", XSD),
        ("kg", KG),
    ):
        graph.bind(prefix, str(namespace))
    dataset = URIRef(dataset_iri(release.base_iri))
    license_ = URIRef(release.license)
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal(release.title, lang="en")))
    add((dataset, DCTERMS.issued, Literal(release.issued.isoformat(), datatype=XSD.date)))
    add((dataset, DCTERMS.license, license_))
    add((dataset, OWL.versionInfo, Literal(release.version)))
    add((dataset, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    add((dataset, VOID.vocabulary, URIRef(str(KG))))
    add((dataset, VOID.uriSpace, Literal(release.base_iri)))
    if release.endpoint_url:
        add((dataset, VOID.sparqlEndpoint, URIRef(release.endpoint_url)))
    if release.ontology_version:
        add((URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology))
        add((URIRef(ONTOLOGY_IRI), OWL.versionInfo, Literal(release.ontology_version)))
    add((dataset, VOID.triples, _integer(statistics.triples)))
    add((dataset, VOID.distinctSubjects, _integer(statistics.distinct_subjects)))
    add((dataset, VOID.distinctObjects, _integer(statistics.distinct_objects)))
    add((dataset, VOID.classes, _integer(len(statistics.classes))))
    add((dataset, VOID.properties, _integer(len(statistics.properties))))
    for index, (iri, entities) in enumerate(statistics.classes, 1):
        node = BNode(f"class-{index:04d}")
        add((dataset, VOID.classPartition, node))
        add((node, VOID["class"], URIRef(iri)))
        add((node, VOID.entities, _integer(entities)))
    for index, (iri, triples) in enumerate(statistics.properties, 1):
        node = BNode(f"property-{index:04d}")
        add((dataset, VOID.propertyPartition, node))
        add((node, VOID.property, URIRef(iri)))
        add((node, VOID.triples, _integer(triples)))
    for linkset in statistics.linksets:
        _add_linkset(graph, dataset, linkset)
    for dump in distributions:
        _add_distribution(graph, dataset, dump, license_)
    return graph


def _add_linkset(graph: Graph, dataset: URIRef, linkset: Linkset) -> None:
    node = URIRef(f"{dataset}/linkset/{linkset.target.rstrip('/').rsplit('/', 1)[-1]}")
    target = URIRef(linkset.target)
    graph.add((dataset, VOID.subset, node))
    graph.add((node, RDF.type, VOID.Linkset))
    graph.add((node, VOID.subjectsTarget, dataset))
    graph.add((node, VOID.objectsTarget, target))
    graph.add((node, VOID.triples, _integer(linkset.triples)))
    for predicate in linkset.predicates:
        graph.add((node, VOID.linkPredicate, URIRef(predicate)))
    graph.add((target, RDF.type, VOID.Dataset))
    graph.add((target, VOID.uriSpace, Literal(linkset.uri_space)))
    for title, language in linkset.titles:
        graph.add((target, DCTERMS.title, Literal(title, lang=language or None)))


def _add_distribution(graph: Graph, dataset: URIRef, dump: Distribution, license_: URIRef) -> None:
    node = URIRef(f"{dataset}/dump/{dump.name}")
    checksum = BNode("sha256-" + hashlib.sha256(dump.name.encode()).hexdigest()[:16])
    graph.add((dataset, DCAT.distribution, node))
    graph.add((dataset, VOID.dataDump, URIRef(dump.url)))
    graph.add((dataset, VOID.feature, URIRef(dump.format_iri)))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(dump.title, lang="en")))
    graph.add((node, DCAT.downloadURL, URIRef(dump.url)))
    graph.add((node, DCAT.mediaType, URIRef(media_type_iri(dump.media_type))))
    graph.add((node, DCTERMS["format"], URIRef(dump.format_iri)))
    if dump.compression:
        graph.add((node, DCAT.compressFormat, URIRef(media_type_iri(dump.compression))))
    size = Literal(str(dump.byte_size), datatype=XSD.nonNegativeInteger)
    graph.add((node, DCAT.byteSize, size))
    graph.add((node, DCTERMS.license, license_))
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _iri_counts(counts: Mapping[bytes, int]) -> tuple[tuple[str, int], ...]:
    """``<iri>`` keys as IRIs, sorted."""
    return tuple(sorted((key[1:-1].decode(), n) for key, n in counts.items()))
