"""The ontology at its own IRI: HTML documentation generated from the Turtle, or the Turtle.

The page is built from ``ontology/kg.ttl`` and ``shapes/*.ttl`` each time those files
change, never written by hand, so it cannot say what the files do not: every class
and property of the ``kg:`` namespace with its label, comment, domain, range,
alignments (super-classes and super-properties in other vocabularies, inverses), and
the SHACL constraints that apply to it — for a class, the shapes targeting it; for a
property, every property shape whose path it is. Both files are small, so rdflib
reads them (see the split in the house style).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kg.ids import ONTOLOGY_IRI
from kg.resources import ontology_dir, shapes_dir
from kg.vocab import DCTERMS, OWL, RDF, RDFS, SH
from kg.web.context import context
from kg.web.negotiation import HTML, RDF_TYPES, TURTLE, choose
from kg.web.results import convert_graph

NAMESPACE = ONTOLOGY_IRI + "#"
_KINDS = (
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
)
_FACETS = (
    (SH.minCount, "at least {}"),
    (SH.maxCount, "at most {}"),
    (SH.datatype, "datatype {}"),
    (SH["class"], "instance of {}"),
    (SH.nodeKind, "node kind {}"),
    (SH.node, "conforms to {}"),
    (SH.hasValue, "has value {}"),
    (SH.pattern, "matches /{}/"),
    (SH.minLength, "length at least {}"),
    (SH.maxLength, "length at most {}"),
    (SH.minInclusive, "at least {} (inclusive)"),
    (SH.maxInclusive, "at most {} (inclusive)"),
    (SH.uniqueLang, "one value per language: {}"),
)


@dataclass(frozen=True, slots=True)
class TermRef:
    """A term named on the page: a link to its section, or to its own IRI."""

    label: str
    href: str | None


@dataclass(frozen=True, slots=True)
class Constraint:
    """One SHACL shape's demands: where it applies, on which path, and what it asks."""

    shape: str
    target: tuple[TermRef, ...]
    path: str | None
    facets: tuple[str, ...]
    message: str | None
    severity: str


@dataclass(frozen=True, slots=True)
class TermDoc:
    iri: str
    name: str
    kind: str
    label: str
    comment: str
    domain: tuple[TermRef, ...]
    range: tuple[TermRef, ...]
    parents: tuple[TermRef, ...]
    inverse: tuple[TermRef, ...]
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True, slots=True)
class OntologyDoc:
    iri: str
    title: str
    description: str
    version: str
    sections: tuple[tuple[str, tuple[TermDoc, ...]], ...]


class _Namer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes = sorted(
            ((str(ns), prefix) for prefix, ns in graph.namespaces() if prefix),
            key=lambda item: -len(item[0]),
        )

    def qname(self, node: Node) -> str:
        text = str(node)
        for namespace, prefix in self.prefixes:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return text

    def refs(self, node: Node) -> tuple[TermRef, ...]:
        """A class expression as links: unions become several links."""
        if isinstance(node, BNode):
            members = self.graph.value(node, OWL.unionOf)
            if members is not None:
                return tuple(r for m in Collection(self.graph, members) for r in self.refs(m))
            return (TermRef("(anonymous class)", None),)
        if isinstance(node, URIRef) and str(node).startswith(NAMESPACE):
            return (TermRef(self.qname(node), "#" + str(node)[len(NAMESPACE) :]),)
        return (TermRef(self.qname(node), str(node) if isinstance(node, URIRef) else None),)

    def text(self, node: Node | None) -> str:
        return " ".join(str(node).split()) if node is not None else ""

    def literal(self, subject: Node, predicate: URIRef) -> str:
        values = list(self.graph.objects(subject, predicate))
        english = [v for v in values if isinstance(v, Literal) and v.language in (None, "en")]
        return self.text((english or values or [None])[0])


def _read(paths: tuple[Path, ...]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _constraints(graph: Graph, namer: _Namer) -> tuple[dict[str, list[Constraint]], ...]:
    """Constraints by class IRI and by property IRI."""
    by_class: dict[str, list[Constraint]] = defaultdict(list)
    by_property: dict[str, list[Constraint]] = defaultdict(list)
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        targets = tuple(r for c in graph.objects(shape, SH.targetClass) for r in namer.refs(c))
        node_facets = [
            f"{namer.qname(p)}: {namer.literal(c, SH.message) or namer.qname(c)}"
            for p in (SH.sparql,)
            for c in graph.objects(shape, p)
        ]
        owner = [str(c) for c in graph.objects(shape, SH.targetClass)]
        if node_facets or graph.value(shape, SH.nodeKind) is not None:
            node = Constraint(
                shape=namer.qname(shape),
                target=targets,
                path=None,
                facets=tuple(_facets(graph, namer, shape)) + tuple(sorted(node_facets)),
                message=namer.literal(shape, SH.message) or None,
                severity=_severity(graph, namer, shape),
            )
            for iri in owner:
                by_class[iri].append(node)
        for prop in graph.objects(shape, SH.property):
            path = graph.value(prop, SH.path)
            if path is None:
                continue
            inverse = graph.value(path, SH.inversePath) if isinstance(path, BNode) else None
            shown = f"^{namer.qname(inverse)}" if inverse is not None else namer.qname(path)
            constraint = Constraint(
                shape=namer.qname(prop),
                target=targets,
                path=shown,
                facets=tuple(_facets(graph, namer, prop)),
                message=namer.literal(prop, SH.message) or None,
                severity=_severity(graph, namer, prop),
            )
            for iri in owner:
                by_class[iri].append(constraint)
            by_property[str(inverse if inverse is not None else path)].append(constraint)
    return by_class, by_property


def _facets(graph: Graph, namer: _Namer, shape: Node) -> list[str]:
    found = []
    for predicate, template in _FACETS:
        for value in graph.objects(shape, predicate):
            shown = value if isinstance(value, Literal) else namer.qname(value)
            found.append(template.format(shown))
    for members in graph.objects(shape, SH["in"]):
        values = ", ".join(namer.qname(v) for v in Collection(graph, members))
        found.append(f"one of {values}")
    for members in graph.objects(shape, SH["or"]):
        options = [
            " and ".join(_facets(graph, namer, m)) or namer.qname(m)
            for m in Collection(graph, members)
        ]
        found.append("either " + " or ".join(f"({option})" for option in options))
    for qualified in graph.objects(shape, SH.qualifiedValueShape):
        low = graph.value(shape, SH.qualifiedMinCount)
        high = graph.value(shape, SH.qualifiedMaxCount)
        inner = " and ".join(_facets(graph, namer, qualified)) or namer.qname(qualified)
        found.append(f"between {low or 0} and {high or 'any number of'} values with ({inner})")
    return found


def _severity(graph: Graph, namer: _Namer, shape: Node) -> str:
    value = graph.value(shape, SH.severity)
    return namer.qname(value).split(":")[-1] if value is not None else "Violation"


@functools.lru_cache(maxsize=4)
def _build(paths: tuple[Path, ...], stamps: tuple[int, ...]) -> OntologyDoc:
    graph = _read(paths)
    namer = _Namer(graph)
    by_class, by_property = _constraints(graph, namer)
    ontology = URIRef(ONTOLOGY_IRI)
    sections = []
    for kind, heading in _KINDS:
        terms = []
        for term in sorted(set(graph.subjects(RDF.type, kind)), key=str):
            iri = str(term)
            if not iri.startswith(NAMESPACE):
                continue
            parents_of = RDFS.subClassOf if kind == OWL.Class else RDFS.subPropertyOf
            terms.append(
                TermDoc(
                    iri=iri,
                    name=iri[len(NAMESPACE) :],
                    kind=heading,
                    label=namer.literal(term, RDFS.label),
                    comment=namer.literal(term, RDFS.comment),
                    domain=tuple(
                        r for d in graph.objects(term, RDFS.domain) for r in namer.refs(d)
                    ),
                    range=tuple(r for d in graph.objects(term, RDFS.range) for r in namer.refs(d)),
                    parents=tuple(
                        r for p in graph.objects(term, parents_of) for r in namer.refs(p)
                    ),
                    inverse=tuple(
                        r for p in graph.objects(term, OWL.inverseOf) for r in namer.refs(p)
                    ),
                    constraints=tuple(
                        by_class.get(iri, []) if kind == OWL.Class else by_property.get(iri, [])
                    ),
                )
            )
        sections.append((heading, tuple(terms)))
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=namer.literal(ontology, DCTERMS.title) or "kg ontology",
        description=namer.literal(ontology, DCTERMS.description),
        version=namer.literal(ontology, OWL.versionInfo),
        sections=tuple(sections),
    )


def ontology_file() -> Path:
    """The ontology's Turtle file."""
    return ontology_dir() / "kg.ttl"


def ontology_doc() -> OntologyDoc:
    """The documentation model of the bundled ontology and shapes (rebuilt when they change).

    Raises:
        FileNotFoundError: if the bundled files are missing (a broken install).
    """
    paths = (ontology_file(), *sorted(shapes_dir().glob("*.ttl")))
    return _build(paths, tuple(p.stat().st_mtime_ns for p in paths))


async def ontology(request: Request) -> Response:
    """``/ontology`` (and ``/ontology.ttl`` …): documentation for people, Turtle for programs."""
    ctx = context(request)
    ext = request.path_params.get("ext")
    forced = (
        {
            "ttl": TURTLE,
            "jsonld": RDF_TYPES[1],
            "nt": RDF_TYPES[2],
            "rdf": RDF_TYPES[3],
            "html": HTML,
        }.get(ext)
        if ext
        else None
    )
    if ext and forced is None:
        from kg.errors import NotFoundError

        raise NotFoundError("ontology format", ext, "Use .ttl, .jsonld, .nt, .rdf or .html")
    media_type = choose(request, (HTML, *RDF_TYPES), forced)
    headers = {"Vary": "Accept"}
    if media_type == HTML:
        doc = await run_in_threadpool(ontology_doc)
        return ctx.templates.TemplateResponse(
            request, "ontology.html", {"title": doc.title, "doc": doc}, headers=headers
        )
    data = await run_in_threadpool(ontology_file().read_bytes)
    if media_type != TURTLE:
        data = await run_in_threadpool(convert_graph, data, TURTLE, media_type, ctx.prefixes)
    return Response(data, media_type=media_type, headers=headers)
