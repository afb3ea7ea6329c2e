"""Validate many document graphs at once with the shapes compiled to SPARQL, on Oxigraph.

A batch is one in-memory ``pyoxigraph.Store``: the context (ontology class hierarchy and
reference data) in the default graph, each document in a named graph of its own. Every
compiled query (:mod:`kg.shacl_compile`) then checks one constraint set for all documents
of the batch together, and each result row names its document graph. A document triple
that the context also holds is kept in the context only (and the node it names recorded
as named by the document), so no triple is read twice.

The results are pyshacl's, as :mod:`kg.validate` runs it. Where they might not be, the
document is returned as *not decided* and the caller validates it with pyshacl: a document
that states ``rdfs:subClassOf`` (it changes what ``sh:class`` accepts), one an undecided
check touched, one with an IRI Oxigraph refuses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kg.errors import KgError
from kg.shacl_checks import MENTIONED, Mode
from kg.shacl_compile import DOCUMENT, Check, CompiledShapes, compile_shapes
from kg.shacl_report import NodeLookup, Violation, describe, ontology_local_name, pick_message
from kg.shacl_sparql import GRAPH_VAR
from kg.vocab import KG

Document = Graph | str
"""A document graph: an rdflib graph, or its N-Triples."""

_DOC_GRAPH = "urn:kg:shacl:doc/"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_DEDUPLICATE = (
    f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} INSERT {{ ?s <{MENTIONED}> ?g . ?n <{MENTIONED}> ?g }} "
    "WHERE { ?s ?p ?o . GRAPH ?g { ?s ?p ?o } BIND (IF(isIRI(?o), ?o, ?unbound) AS ?n) }"
)
_XSD_STRING = str(XSD.string)


@dataclass(slots=True)
class _Loaded:
    """One document of a batch: its graph name and how to read its blank nodes back."""

    index: int
    graph: ox.NamedNode
    blank_names: dict[str, str] = field(default_factory=dict)
    undecided: bool = False
    violations: list[Violation] = field(default_factory=list)


class NativeEngine:
    """The shapes compiled once, ready to validate batches of documents.

    With ``named_only`` (as :mod:`kg.validate` runs pyshacl on a document with its context),
    only the nodes a document names are validated; without, every target is.

    Raises:
        UnsupportedShape: (when built) if the shapes use SHACL the engine does not implement.
    """

    def __init__(
        self, shapes: Graph, context: Graph | None = None, *, named_only: bool = True
    ) -> None:
        self.compiled: CompiledShapes = compile_shapes(shapes, context)
        self.named_only = named_only
        self.context = [
            ox.Quad(_term(s, {}), _term(p, {}), _term(o, {}), ox.DefaultGraph())
            for s, p, o in (context if context is not None else Graph())
        ]
        self._lock = threading.Lock()

    def validate(self, docs: Sequence[Document]) -> list[list[Violation] | None]:
        """The results for each document, in order; None where pyshacl must decide.

        Raises:
            KgError: if a document given as text is not N-Triples.
        """
        outcome: list[list[Violation] | None] = [None] * len(docs)
        by_mode: dict[Mode, list[int]] = {"filter": [], "whole": []}
        for i, doc in enumerate(docs):
            mode = _mode(doc)
            if mode == "filter" and not self.named_only:
                mode = "whole"
            if mode is not None:
                by_mode[mode].append(i)
        for mode, indexes in by_mode.items():
            if indexes:
                found = self._run(mode, [docs[i] for i in indexes])
                for i, result in zip(indexes, found, strict=True):
                    outcome[i] = result
        return outcome

    def _run(self, mode: Mode, docs: list[Document]) -> list[list[Violation] | None]:
        store = ox.Store()
        store.extend(self.context)
        loaded = [self._load(store, i, doc) for i, doc in enumerate(docs)]
        if self.context:
            store.update(_DEDUPLICATE)
        for update in self.compiled.focus_updates[mode]:
            store.update(update)
        by_graph = {d.graph.value: d for d in loaded if d is not None}
        for query in self.compiled.queries:
            solutions = store.query(query.texts[mode])
            assert isinstance(solutions, ox.QuerySolutions)
            if query.sparql is None:
                self._read_checks(store, solutions, by_graph)
            else:
                self._read_sparql(store, solutions, by_graph, query.sparql, query.projects_this)
        return [
            None if d is None or d.undecided else sorted_unique(d.violations) for d in loaded
        ]

    def _load(self, store: ox.Store, index: int, doc: Document) -> _Loaded | None:
        name = ox.NamedNode(f"{_DOC_GRAPH}{index}")
        loaded = _Loaded(index, name)
        marker = ox.Quad(name, ox.NamedNode(str(RDF.type)), ox.NamedNode(DOCUMENT))
        try:
            if isinstance(doc, Graph):
                quads = [
                    ox.Quad(_term(s, loaded.blank_names), _term(p, {}),
                            _term(o, loaded.blank_names), name)
                    for s, p, o in doc
                ]  # fmt: skip
                store.extend([marker, *quads])
            elif "_:" in doc:
                parsed = ox.parse(doc, format=ox.RdfFormat.N_TRIPLES)
                store.extend([marker, *(_relabel(q, name, loaded.blank_names) for q in parsed)])
            else:
                store.extend([marker])
                store.load(doc, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        except SyntaxError as e:
            raise KgError(f"document {index + 1}: cannot be read as N-Triples: {e}",
                          "Give the document's triples as N-Triples") from e  # fmt: skip
        except ValueError:
            return None  # an IRI or blank node Oxigraph refuses: pyshacl decides
        return loaded

    def _read_checks(
        self, store: ox.Store, solutions: ox.QuerySolutions, docs: dict[str, _Loaded]
    ) -> None:
        languages: set[tuple[str, str, int, str]] = set()
        per_value = any(v.value == "value" for v in solutions.variables)
        for row in solutions:
            doc = docs[_value(row, GRAPH_VAR)]
            focus = row["this"]
            value = row["value"] if per_value else focus  # a node shape checks the node itself
            for code in _value(row, "?kg_f").split():
                if code.endswith("?"):
                    doc.undecided = True
                    continue
                check = self.compiled.checks[int(code[:-1])]
                if check.by_language:
                    assert isinstance(value, ox.Literal)
                    key = (doc.graph.value, str(focus), int(code[:-1]), (value.language or "").lower())
                    if key in languages:
                        continue
                    languages.add(key)
                shown = value if check.with_value else None
                doc.violations.append(self._violation(store, doc, focus, check, shown))

    def _read_sparql(
        self,
        store: ox.Store,
        solutions: ox.QuerySolutions,
        docs: dict[str, _Loaded],
        check: Check,
        projects_this: bool,
    ) -> None:
        """Results as pyshacl makes them from a SPARQL constraint's solutions."""
        seen: set[tuple[str, ...]] = set()
        names = [v.value for v in solutions.variables if v.value not in ("kg_g",)]
        for row in solutions:
            doc = docs[_value(row, GRAPH_VAR)]
            focus = row["this"]
            bound = {n: row[n] for n in names if row[n] is not None}
            bound.pop("this")
            path, value = bound.pop("path", None), bound.pop("value", None)
            key = (doc.graph.value, str(focus), str(path), str(value), *sorted(f"{k}={v}" for k, v in bound.items()))
            if key in seen:
                continue
            seen.add(key)
            shown = value if value is not None else focus
            fields = {k: _rdflib(v, doc) for k, v in bound.items()}
            if projects_this:
                fields["this"] = _rdflib(focus, doc)
            if path is not None:
                fields["path"] = _rdflib(path, doc)
            fields["value"] = _rdflib(shown, doc)
            messages = [_fill(m, fields) for m in check.messages]
            path_text = _show(path, doc) if path is not None else check.path
            doc.violations.append(
                self._violation(store, doc, focus, check, shown, messages, path_text)
            )

    def _violation(
        self,
        store: ox.Store,
        doc: _Loaded,
        focus: ox.NamedNode | ox.BlankNode | ox.Literal,
        check: Check,
        value: object,
        messages: Iterable[str] | None = None,
        path: str | None = None,
    ) -> Violation:
        shown = None
        if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
            node = _rdflib(value, doc)
            shown = node.n3() if isinstance(node, RdfLiteral) else str(node)
        return Violation(
            focus=_show(focus, doc),
            path=path if path is not None else check.path,
            constraint=check.component,
            message=pick_message(messages if messages is not None else check.messages),
            severity=check.severity,
            value=shown,
            shape=check.shape,
            where=describe(_StoreLookup(store, doc), focus),
        )


class _StoreLookup(NodeLookup[ox.NamedNode | ox.BlankNode | ox.Literal]):
    """Reads a document of the batch together with the context, to describe a node."""

    def __init__(self, store: ox.Store, doc: _Loaded) -> None:
        self.store = store
        self.doc = doc

    def _objects(self, node: object, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            return []
        p = ox.NamedNode(predicate)
        found = []
        for graph in (self.doc.graph, ox.DefaultGraph()):
            found += [q.object for q in self.store.quads_for_pattern(node, p, None, graph)]
        return found

    def value(self, node, local_name):  # type: ignore[no-untyped-def]
        found = self._objects(node, str(KG[local_name]))
        return found[0] if found else None

    def ontology_types(self, node):  # type: ignore[no-untyped-def]
        names = (ontology_local_name(t.value) for t in self._objects(node, str(RDF.type)) if isinstance(t, ox.NamedNode))
        return {n for n in names if n is not None}

    def text(self, node):  # type: ignore[no-untyped-def]
        return _show(node, self.doc) if not isinstance(node, ox.Literal) else node.value


def sorted_unique(violations: list[Violation]) -> list[Violation]:
    return list(violations)


def _mode(doc: Document) -> Mode | None:
    """How pyshacl is run on ``doc`` (see :mod:`kg.shacl_compile`); None: pyshacl decides."""
    if isinstance(doc, Graph):
        if (None, RDFS.subClassOf, None) in doc:
            return None
        blank = any(isinstance(s, BNode) for s in doc.subjects(unique=True))
        return "whole" if blank or len(doc) == 0 else "filter"
    if _SUBCLASS in doc:
        return None
    blank = doc.startswith("_:") or "\n_:" in doc
    return "whole" if blank or not doc.strip() else "filter"


def _term(node: Node, blanks: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        label = blanks.setdefault(str(node), f"b{len(blanks)}")
        return ox.BlankNode(label)
    if isinstance(node, RdfLiteral):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise ValueError(f"cannot store {node!r}")


def _relabel(quad: ox.Quad, graph: ox.NamedNode, blanks: dict[str, str]) -> ox.Quad:
    def fix(t):  # type: ignore[no-untyped-def]
        if isinstance(t, ox.BlankNode):
            return ox.BlankNode(blanks.setdefault(t.value, f"b{len(blanks)}"))
        return t

    return ox.Quad(fix(quad.subject), quad.predicate, fix(quad.object), graph)


def _value(row: ox.QuerySolution, var: str) -> str:
    term = row[var.lstrip("?")]
    assert term is not None
    return term.value


def _rdflib(term: object, doc: _Loaded) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(_show(term, doc))
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        return RdfLiteral(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise ValueError(f"unexpected term {term!r}")


def _show(term: object, doc: _Loaded) -> str:
    if isinstance(term, ox.BlankNode):
        original = {v: k for k, v in doc.blank_names.items()}
        return original.get(term.value, term.value)
    return str(_rdflib(term, doc))


def _fill(message: str, fields: dict[str, Node]) -> str:
    """A SPARQL constraint's message with ``{?var}`` filled in, as pyshacl does it."""
    for var, val in fields.items():
        message = re.sub("{{[?$]{}}}".format(var), str(val), message)
    return message
