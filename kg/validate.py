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

Two engines give the same reports (``tests/test_shacl_native.py`` checks it on every case of
the shapes' tests and on the seeds): pyshacl, the reference, and the native engine of
:mod:`kg.shacl_native`, which compiles the shapes to SPARQL once per process and validates
a whole batch of documents (:func:`validate_batch`) on an Oxigraph store, 15 to 20 times
faster per document in batches of 100 or more. The native engine is the default;
``engine="pyshacl"`` or the environment variable ``KG_SHACL_ENGINE=pyshacl`` selects the
reference. A document the native engine cannot decide exactly as pyshacl would (see
:mod:`kg.shacl_native`) is validated with pyshacl whatever the choice.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

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
from kg.ids import BASE_IRI
from kg.shacl_native import Document, NativeEngine
from kg.shacl_report import (
    NodeLookup,
    Report,
    Violation,
    describe,
    format_report,
    make_report,
    ontology_local_name,
    pick_message,
)
from kg.vocab import KG, RDF, RDFS, SH

ShapeSet = Literal["resolution", "void"]
"""Which shapes to apply: the resolution graphs' shapes, or those of the VoID description."""

Engine = Literal["native", "pyshacl"]
"""Which engine validates: the SPARQL engine of :mod:`kg.shacl_native`, or pyshacl."""

DEFAULT_ENGINE: Engine = "native"
ENGINE_VARIABLE = "KG_SHACL_ENGINE"
_VOID_FILE = "void.ttl"


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


def default_engine() -> Engine:
    """The engine :func:`validate_graph` uses when none is given: ``$KG_SHACL_ENGINE`` or native.

    Raises:
        KgError: if the environment variable names no engine.
    """
    chosen = os.environ.get(ENGINE_VARIABLE, "").strip() or DEFAULT_ENGINE
    if chosen not in get_args(Engine):
        raise KgError(
            f"{ENGINE_VARIABLE}={chosen}: no such validation engine",
            f"Use one of {', '.join(get_args(Engine))}",
        )
    return chosen  # type: ignore[return-value]


_engine_lock = threading.Lock()
_engines: dict[tuple[ShapeSet, str], NativeEngine] = {}


def native_engine(shapes: ShapeSet = "resolution", base: str = BASE_IRI) -> NativeEngine:
    """The native engine for ``shapes``, compiled once per process (and base IRI).

    Raises:
        KgError: if the bundled shapes or ontology cannot be read, or the shapes use SHACL
            the native engine does not implement (``UnsupportedShape``).
    """
    key = (shapes, base if shapes == "resolution" else "")
    with _engine_lock:
        engine = _engines.get(key)
        if engine is None:
            context = context_graph(base) if shapes == "resolution" else None
            named_only = shapes == "resolution"  # as pyshacl is given focus_nodes below
            engine = NativeEngine(shapes_graph(shapes), context, named_only=named_only)
            _engines[key] = engine
        return engine


def validate_graph(
    graph: Graph,
    *,
    source: str | None = None,
    shapes: ShapeSet = "resolution",
    base: str = BASE_IRI,
    engine: Engine | None = None,
) -> Report:
    """Validate ``graph`` against the shapes; the graph itself is not changed.

    ``source`` names the file the graph came from, for the report. With
    ``shapes="resolution"`` the graph is read together with the ontology's class hierarchy
    and the reference data minted for ``base``; with ``shapes="void"`` it is read alone.
    ``engine`` defaults to :func:`default_engine`.

    Raises:
        KgError: if the bundled shapes or ontology cannot be read, or the engine cannot run
            them.
    """
    chosen = engine or default_engine()
    if chosen == "native":
        [violations] = native_engine(shapes, base).validate([graph])
        if violations is not None:
            return make_report(violations, source)
    return _validate_with_pyshacl(graph, source, shapes, base)


def validate_batch(
    docs: Mapping[str, Document],
    *,
    shapes: ShapeSet = "resolution",
    base: str = BASE_IRI,
    engine: Engine | None = None,
) -> dict[str, Report]:
    """Validate many documents at once: ``docs`` maps each source name to its graph.

    A graph is an ``rdflib.Graph`` or its N-Triples. The native engine validates the whole
    batch with one query per group of constraints, so a batch of a few hundred documents
    costs a fraction of validating them one by one; pyshacl validates them one by one.
    Each report is the one :func:`validate_graph` gives for that document and source.

    Raises:
        KgError: if a document given as text is not N-Triples, or as for
            :func:`validate_graph`.
    """
    names = list(docs)
    chosen = engine or default_engine()
    found: list[list[Violation] | None] = [None] * len(names)
    if chosen == "native" and names:
        found = native_engine(shapes, base).validate([docs[name] for name in names])
    reports = {}
    for name, violations in zip(names, found, strict=True):
        if violations is None:
            reports[name] = _validate_with_pyshacl(_as_graph(docs[name], name), name, shapes, base)
        else:
            reports[name] = make_report(violations, name)
    return reports


def _as_graph(doc: Document, source: str) -> Graph:
    if isinstance(doc, Graph):
        return doc
    try:
        return Graph().parse(data=doc, format="nt")
    except (SyntaxError, ValueError) as e:
        raise KgError(f"{source}: cannot be read as N-Triples: {e}", "Give N-Triples") from e


def _validate_with_pyshacl(graph: Graph, source: str | None, shapes: ShapeSet, base: str) -> Report:
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
    return make_report(_read_results(results, data), source)


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


def validate_void(
    graph: Graph, *, source: str | None = None, engine: Engine | None = None
) -> Report:
    """Validate a VoID/DCAT description of the dumps against ``shapes/void.ttl``.

    Raises:
        KgError: if the bundled shapes cannot be read.
    """
    return validate_graph(graph, source=source, shapes="void", engine=engine)


def assert_conforms(
    graph: Graph,
    *,
    source: str | None = None,
    shapes: ShapeSet = "resolution",
    base: str = BASE_IRI,
    engine: Engine | None = None,
) -> Report:
    """Validate ``graph`` and return the report if it conforms (warnings allowed).

    Raises:
        ValidationError: if any result has severity ``sh:Violation``; ``error.report``
            holds the :class:`Report` and ``error.source`` the file name.
        KgError: if the bundled shapes or ontology cannot be read.
    """
    report = validate_graph(graph, source=source, shapes=shapes, base=base, engine=engine)
    if not report.conforms:
        raise ValidationError(report, source)
    return report


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


class _GraphLookup(NodeLookup[Node]):
    """Reads the validated rdflib graph to describe a node."""

    def __init__(self, data: Graph) -> None:
        self.data = data

    def value(self, node: Node, local_name: str) -> Node | None:
        return min(self.data.objects(node, KG[local_name]), key=str, default=None)

    def ontology_types(self, node: Node) -> set[str]:
        names = (ontology_local_name(str(t)) for t in self.data.objects(node, RDF.type))
        return {n for n in names if n is not None}

    def text(self, node: Node) -> str:
        return str(node)


def _read_results(results: Graph, data: Graph) -> Iterable[Violation]:
    lookup = _GraphLookup(data)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        named = results.value(result, SH.sourceConstraint)
        if not isinstance(named, URIRef):
            named = results.value(result, SH.sourceShape)
        yield Violation(
            focus=str(focus),
            path=_path(results, results.value(result, SH.resultPath)),
            constraint=str(component),
            message=pick_message(str(m) for m in results.objects(result, SH.resultMessage)),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=_text(results.value(result, SH.value)),
            shape=str(named) if isinstance(named, URIRef) else None,
            where=describe(lookup, focus),
        )


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINE_VARIABLE",
    "Engine",
    "Report",
    "ShapeSet",
    "Violation",
    "assert_conforms",
    "context_graph",
    "default_engine",
    "format_report",
    "native_engine",
    "shapes_graph",
    "validate_batch",
    "validate_graph",
    "validate_void",
]
