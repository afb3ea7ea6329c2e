"""Check graphs against the SHACL shapes of ``shapes/``; the only module that imports pyshacl.

A document graph is validated together with a *context*: the class hierarchy of
``ontology/kg.ttl`` (so that ``sh:class kg:Paragraph`` accepts an operative paragraph) and
the reference data of ``ontology/reference/`` (so that ``sh:class kg:Body`` accepts
``body:unodc``, which the document only names). pyshacl's ``ont_graph`` option copies schema
axioms only, not the typed bodies and treaties, so the context is mixed in here, and only the
nodes the document names are validated (``focus_nodes``): the rest of the reference data is
not checked again with every document.

Costs, measured by ``benchmarks/bench_validate.py``: shapes and context are parsed once per
process; the context stays loaded in a working graph that receives each document's triples
for the run; and the SPARQL-based constraints are parsed once, because pyshacl hands rdflib
the query text for every focus node and rdflib would parse it again each time (about 20 ms a
query). RDFS pre-inference is not used: it costs ten times the validation itself.

``Report.conforms`` is false only when a result of severity ``sh:Violation`` exists:
warnings are reported but a document with warnings alone still loads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pyshacl
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg import resources
from kg.errors import KgError, ValidationError
from kg.ids import BASE_IRI, ONTOLOGY_IRI
from kg.vocab import DCAT, DCTERMS, ELI, KG, PROV, RDF, RDFS, SH, SKOS, SPDX, VOID, XSD

ShapeSet = Literal["resolution", "void"]
"""Which shapes to apply: the resolution graphs' shapes, or those of the VoID description."""

_VOID_FILE = "void.ttl"
_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
_SHAPES_NS = "https://w3id.org/kg-un/shapes#"
_PREFIXES = {
    str(ns): f"{name}:"
    for name, ns in (
        ("kg", ONTOLOGY_IRI + "#"), ("shp", _SHAPES_NS), ("sh", SH), ("eli", ELI), ("skos", SKOS),
        ("prov", PROV), ("dcterms", DCTERMS), ("dcat", DCAT), ("void", VOID), ("spdx", SPDX),
        ("xsd", XSD), ("rdf", RDF),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result.

    ``focus`` is the IRI (or blank-node label) of the offending node, ``path`` the property
    path (``^iri`` for an inverse path), ``constraint`` the IRI of the SHACL constraint
    component, ``severity`` ``"Violation"``, ``"Warning"`` or ``"Info"``, ``value`` the
    offending value when there is one. ``shape`` is the IRI of the named shape or SPARQL
    constraint that produced it; ``where`` says in words which node it is ("operative
    paragraph 7 of A/RES/58/135").
    """

    focus: str
    path: str | None
    constraint: str
    message: str
    severity: str
    value: str | None
    shape: str | None = None
    where: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating one graph; ``text`` is :func:`format_report` of it."""

    conforms: bool
    violations: tuple[Violation, ...]
    text: str

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The results that block loading (severity ``Violation``)."""
        return tuple(v for v in self.violations if v.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The results that are reported but do not block loading."""
        return tuple(v for v in self.violations if v.severity != "Violation")


@lru_cache(maxsize=128)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _DataGraph(Graph):
    """A graph that parses each SPARQL text once and reuses it with new bindings."""

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Node] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(
            query_object,
            processor,
            result,
            initNs,
            initBindings,  # type: ignore[arg-type]
            use_store_provided,
            **kwargs,
        )


_lock = threading.Lock()
_shapes_cache: dict[ShapeSet, Graph] = {}
_context_cache: dict[str, Graph] = {}
_work_lock = threading.Lock()
_work_graphs: dict[str, _DataGraph] = {}


def _parse(path: Path, graph: Graph, base: str | None = None) -> None:
    try:
        graph.parse(path, format="turtle", publicID=base)
    except (SyntaxError, ValueError) as e:  # rdflib's Turtle errors derive from these
        raise KgError(
            f"{path}: cannot be read as Turtle: {e}",
            "Fix the syntax of the bundled file or reinstall kg",
        ) from e


def shapes_graph(shapes: ShapeSet = "resolution") -> Graph:
    """The parsed shapes of ``shapes/`` for ``shapes``, read once per process.

    Raises:
        KgError: if a shapes file is not valid Turtle.
    """
    with _lock:
        cached = _shapes_cache.get(shapes)
        if cached is None:
            folder = resources.shapes_dir()
            cached = Graph()
            if shapes == "void":
                files = [folder / _VOID_FILE]
            else:
                files = [p for p in sorted(folder.glob("*.ttl")) if p.name != _VOID_FILE]
            for path in files:
                _parse(path, cached)
            _shapes_cache[shapes] = cached
        return cached


def context_graph(base: str = BASE_IRI) -> Graph:
    """What a document graph is validated with: class hierarchy and reference data.

    Reference files write IRIs relative to the dataset base (``<body/unodc>``), so the
    context is built, and cached, per base IRI.

    Raises:
        KgError: if the ontology or a reference file is not valid Turtle.
    """
    with _lock:
        cached = _context_cache.get(base)
        if cached is None:
            folder = resources.ontology_dir()
            ontology = Graph()
            _parse(folder / "kg.ttl", ontology)
            cached = Graph()
            for sub, sup in ontology.subject_objects(RDFS.subClassOf):
                if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                    cached.add((sub, RDFS.subClassOf, sup))
            reference = folder / "reference"
            if reference.is_dir():
                for path in sorted(reference.glob("*.ttl")):
                    _parse(path, cached, base)
            _context_cache[base] = cached
        return cached


def validate_graph(
    graph: Graph,
    *,
    source: str | None = None,
    shapes: ShapeSet = "resolution",
    base: str = BASE_IRI,
) -> Report:
    """Validate ``graph`` against the shapes; the graph itself is not changed.

    ``source`` names the file the graph came from, for the report. With
    ``shapes="resolution"`` the graph is read together with the ontology's class hierarchy
    and the reference data minted for ``base``; with ``shapes="void"`` it is read alone.

    Raises:
        KgError: if the bundled shapes or ontology cannot be read, or pyshacl cannot run them.
    """
    sg = shapes_graph(shapes)
    triples = list(graph.triples((None, None, None)))
    if shapes == "void":
        data = _DataGraph()
        data.addN((s, p, o, data) for s, p, o in triples)
        return _run(data, sg, None, source)
    with _work_lock:
        # The context stays loaded in one working graph per base; the document's triples
        # are added for the run and taken out again, which saves copying the context.
        data = _working_graph(base)
        added = [t for t in triples if t not in data]
        data.addN((s, p, o, data) for s, p, o in added)
        try:
            return _run(data, sg, _focus_nodes(triples), source)
        finally:
            for triple in added:
                data.remove(triple)


def _working_graph(base: str) -> _DataGraph:
    data = _work_graphs.get(base)
    context = context_graph(base)
    if data is None or len(data) != len(context):
        data = _DataGraph()
        data.addN((s, p, o, data) for s, p, o in context)
        _work_graphs[base] = data
    return data


def _run(data: Graph, sg: Graph, focus: list[str] | None, source: str | None) -> Report:
    try:
        _conforms, results, _text = pyshacl.validate(
            data, shacl_graph=sg, inference=None, inplace=True, advanced=False,
            allow_warnings=True, allow_infos=True, focus_nodes=focus,
        )  # fmt: skip
        if isinstance(results, ValidationFailure):  # pyshacl returns this one, not raises it
            raise results
    except (ReportableRuntimeError, ValidationFailure) as e:
        raise KgError(
            f"{source or 'graph'}: SHACL validation could not run: {e.message}",
            "Check the shapes in shapes/",
        ) from e
    violations = tuple(sorted(_read_results(results, data), key=_sort_key))
    conforms = not any(v.severity == "Violation" for v in violations)
    report = Report(conforms=conforms, violations=violations, text="")
    return Report(conforms, violations, format_report(report, source))


def _focus_nodes(triples: list[tuple[Node, Node, Node]]) -> list[str] | None:
    """The nodes to validate: the IRIs the graph itself names, not all the reference data.

    The context is there for its types; validating each of its bodies and actions again
    with every document would cost most of the time. Values are kept as focus nodes because
    pyshacl applies the same filter when it checks them against nested shapes (sh:or).
    A graph with blank-node subjects is validated whole, as pyshacl cannot filter on them.
    """
    nodes: set[str] = set()
    for s, _p, o in triples:
        if not isinstance(s, URIRef):
            return None
        nodes.add(str(s))
        if isinstance(o, URIRef):
            nodes.add(str(o))
    return sorted(nodes) or None


def validate_void(graph: Graph, *, source: str | None = None) -> Report:
    """Validate a VoID/DCAT description of the dumps against ``shapes/void.ttl``.

    Raises:
        KgError: if the bundled shapes cannot be read.
    """
    return validate_graph(graph, source=source, shapes="void")


def assert_conforms(
    graph: Graph,
    *,
    source: str | None = None,
    shapes: ShapeSet = "resolution",
    base: str = BASE_IRI,
) -> Report:
    """Validate ``graph`` and return the report if it conforms (warnings allowed).

    Raises:
        ValidationError: if any result has severity ``sh:Violation``; ``error.report``
            holds the :class:`Report` and ``error.source`` the file name.
        KgError: if the bundled shapes or ontology cannot be read.
    """
    report = validate_graph(graph, source=source, shapes=shapes, base=base)
    if not report.conforms:
        raise ValidationError(report, source)
    return report


def format_report(report: Report, source: str | None = None) -> str:
    """Render ``report`` for a person: which node, what is wrong and how to fix it."""
    where = source or "graph"
    errors, warnings = len(report.errors), len(report.warnings)
    if not report.violations:
        return f"{where}: conforms to the shapes"
    verdict = "conforms to the shapes" if report.conforms else "does not conform to the shapes"
    lines = [f"{where}: {verdict} ({errors} violation(s), {warnings} warning(s))"]
    for v in report.violations:
        node = f"{v.where} <{v.focus}>" if v.where else f"<{v.focus}>"
        lines.append(f"- {v.severity.lower()} at {node}")
        detail = f"  {_compact(v.path)}: " if v.path else "  "
        lines.append(detail + v.message)
        if v.value is not None:
            lines.append(f"  value: {v.value}")
        lines.append(f"  (shape {_compact(v.shape or '?')}, {_compact(v.constraint)})")
    return "\n".join(lines)


def _sort_key(v: Violation) -> tuple[int, str, str, str, str]:
    return (_SEVERITY_RANK.get(v.severity, 3), v.focus, v.shape or "", v.path or "", v.value or "")


def _compact(iri: str | None) -> str:
    if iri is None:
        return ""
    inverse = iri.startswith("^")
    bare = iri[1:] if inverse else iri
    for namespace, prefix in _PREFIXES.items():
        if bare.startswith(namespace):
            bare = prefix + bare[len(namespace) :]
            break
    return ("^" if inverse else "") + bare


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, RdfLiteral):
        return node.n3()
    return str(node)


def _path(results: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        inverse = results.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + str(inverse)
        return node.n3()
    return str(node)


def _read_results(results: Graph, data: Graph) -> Iterable[Violation]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        # SPARQL messages quote bound IRIs in full; write the ontology's terms as kg:Name.
        messages = sorted(
            str(m).replace(ONTOLOGY_IRI + "#", "kg:")
            for m in results.objects(result, SH.resultMessage)
        )
        named = results.value(result, SH.sourceConstraint)
        if not isinstance(named, URIRef):
            named = results.value(result, SH.sourceShape)
        yield Violation(
            focus=str(focus),
            path=_path(results, results.value(result, SH.resultPath)),
            constraint=str(component),
            message=messages[0] if messages else "does not conform",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=_text(results.value(result, SH.value)),
            shape=str(named) if isinstance(named, URIRef) else None,
            where=_describe(data, focus),
        )


def _describe(data: Graph, node: Node | None, depth: int = 0) -> str | None:
    """Say in words which node this is, from its type, order, number and resolution."""
    if node is None or depth > 3:
        return None

    def get(name: str) -> Node | None:
        return data.value(node, KG[name])

    namespace = ONTOLOGY_IRI + "#"
    types = {
        t[len(namespace) :]
        for t in map(str, data.objects(node, RDF.type))
        if t.startswith(namespace)
    }
    if "SubParagraph" in types:
        parent = _describe(data, get("subParagraphOf"), depth + 1)
        text = f"sub-paragraph ({get('label')})" if get("label") is not None else "sub-paragraph"
        return f"{text} of {parent}" if parent else text
    for cls, name in (("OperativeParagraph", "operative"), ("PreambularParagraph", "preambular")):
        if cls in types:
            position = get("number") or get("order")
            text = f"{name} paragraph {position}" if position is not None else f"{name} paragraph"
            owner = _describe(data, get("paragraphOf"), depth + 1)
            return f"{text} of {owner}" if owner else text
    if "Mandate" in types:
        paragraph = _describe(data, get("createdBy"), depth + 1)
        return f"mandate of {paragraph}" if paragraph else "mandate"
    if "Footnote" in types:
        return f"footnote {get('mark')}" if get("mark") is not None else "footnote"
    if "Resolution" in types:
        known_as = get("symbol") or get("resolutionNumber")
        return f"resolution {known_as}" if known_as is not None else "resolution"
    kinds = {"DraftResolution": "draft resolution", "Document": "document", "Body": "body"}
    kinds |= {"Group": "group", "Treaty": "treaty", "SourceRecord": "source record"}
    return next((text for cls, text in kinds.items() if cls in types), None)


__all__ = [
    "Report",
    "ShapeSet",
    "Violation",
    "assert_conforms",
    "context_graph",
    "format_report",
    "shapes_graph",
    "validate_graph",
    "validate_void",
]
