"""Validate many document graphs at once with the shapes compiled to SPARQL, on Oxigraph.

A batch is one in-memory ``pyoxigraph.Store``: the context (ontology class hierarchy and
reference data) in the default graph, each document in a named graph of its own. Each
compiled query (:mod:`kg.shacl_compile`) checks its constraints on all documents of the
batch together, and every result row names its document's graph. A document triple that the
context also holds is kept in the context only (the nodes it names are recorded as named by
the document), so that no triple is read twice.

The results are the ones pyshacl gives as :mod:`kg.validate` runs it. Where they might not
be, the document is returned as *not decided* and the caller validates it with pyshacl: a
document that states ``rdfs:subClassOf`` (it changes what ``sh:class`` accepts), one that an
undecided check touched (an unusual literal), one with an IRI Oxigraph refuses.
"""

from __future__ import annotations

import re
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

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_Subject = ox.NamedNode | ox.BlankNode
_DOC_GRAPH = "urn:kg:shacl:doc/"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_XSD_STRING = str(XSD.string)
_DEDUPLICATE = (
    f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} INSERT {{ ?s <{MENTIONED}> ?g . ?n <{MENTIONED}> ?g }} "
    "WHERE { ?s ?p ?o . GRAPH ?g { ?s ?p ?o } BIND (IF(isIRI(?o), ?o, ?unbound) AS ?n) }"
)


@dataclass(slots=True)
class _Loaded:
    """One document of a batch: its graph, its blank nodes' own labels, what was found."""

    graph: ox.NamedNode
    blank_labels: dict[str, str] = field(default_factory=dict)
    undecided: bool = False
    violations: list[Violation] = field(default_factory=list)

    def blank(self, label: str) -> ox.BlankNode:
        """The batch's blank node for the document's ``label``; labels differ per document."""
        ours = self.blank_labels.get(label)
        if ours is None:
            ours = self.blank_labels[label] = f"b{len(self.blank_labels)}"
        return ox.BlankNode(ours)

    def show(self, term: Term) -> str:
        """``term`` as pyshacl's report shows it: an IRI, a blank node label, lexical form."""
        if isinstance(term, ox.BlankNode):
            original = {ours: label for label, ours in self.blank_labels.items()}
            return original.get(term.value, term.value)
        return str(self.rdflib(term))

    def rdflib(self, term: Term) -> Node:
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(self.show(term))
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        plain = datatype == _XSD_STRING
        return RdfLiteral(term.value, datatype=None if plain else URIRef(datatype))


class NativeEngine:
    """The shapes compiled once, ready to validate batches of documents.

    ``context`` is read with every document. With ``named_only`` (as :mod:`kg.validate` runs
    pyshacl on a document and its context) only the nodes a document names are validated;
    without, every target is.

    Raises:
        UnsupportedShape: if the shapes use SHACL the engine does not implement.
    """

    def __init__(
        self, shapes: Graph, context: Graph | None = None, *, named_only: bool = True
    ) -> None:
        self.compiled: CompiledShapes = compile_shapes(shapes, context)
        self.named_only = named_only
        self._iris: dict[str, ox.NamedNode] = {}
        scratch = _Loaded(ox.NamedNode(_DOC_GRAPH))
        self.context = [
            ox.Quad(self._subject(s, scratch), self._iri(p), self._object(o, scratch))
            for s, p, o in (context if context is not None else Graph())
        ]

    def validate(self, docs: Sequence[Document]) -> list[list[Violation] | None]:
        """The results for each document, in order; None where pyshacl must decide.

        Raises:
            KgError: if a document given as text is not N-Triples.
        """
        outcome: list[list[Violation] | None] = [None] * len(docs)
        by_mode: dict[Mode, list[int]] = {"filter": [], "whole": []}
        for i, doc in enumerate(docs):
            mode = _mode(doc)
            if mode is not None:
                by_mode["whole" if not self.named_only else mode].append(i)
        for mode, indexes in by_mode.items():
            if indexes:
                found = self._run(mode, [docs[i] for i in indexes])
                for i, result in zip(indexes, found, strict=True):
                    outcome[i] = result
        if len(self._iris) > 100_000:  # the cache serves repeated predicates and classes
            self._iris.clear()
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
        repeated = self._repeated(store)
        for query in self.compiled.queries:
            if query.repeats is not None and repeated.isdisjoint(query.repeats):
                continue  # no node has two values on its predicates: it would find nothing
            if query.probes is not None and not store.query(query.probes[mode]):
                continue  # no check fails: most batches
            solutions = store.query(query.texts[mode])
            assert isinstance(solutions, ox.QuerySolutions)
            if query.sparql is None:
                self._read_checks(store, solutions, by_graph)
            else:
                self._read_sparql(store, solutions, by_graph, query.sparql, query.projects_this)
        return [None if d is None or d.undecided else d.violations for d in loaded]

    def _repeated(self, store: ox.Store) -> set[str]:
        """The predicates of the queries' ``repeats`` on which a node has two values."""
        if not self.compiled.repeated:
            return set()
        solutions = store.query(self.compiled.repeated)
        assert isinstance(solutions, ox.QuerySolutions)
        return {_value(row, "kg_p") for row in solutions}

    def _load(self, store: ox.Store, index: int, doc: Document) -> _Loaded | None:
        loaded = _Loaded(ox.NamedNode(f"{_DOC_GRAPH}{index}"))
        name = loaded.graph
        marker = ox.Quad(name, self._iri(str(RDF.type)), ox.NamedNode(DOCUMENT))
        try:
            if isinstance(doc, Graph):
                quads = [
                    ox.Quad(self._subject(s, loaded), self._iri(p), self._object(o, loaded), name)
                    for s, p, o in doc
                ]
                store.extend([marker, *quads])
            elif "_:" in doc:
                parsed = ox.parse(doc, format=ox.RdfFormat.N_TRIPLES)
                store.extend([marker, *(_relabel(q, loaded) for q in parsed)])
            else:
                store.extend([marker])
                store.load(doc, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        except SyntaxError as e:
            raise KgError(
                f"document {index + 1} of the batch: cannot be read as N-Triples: {e}",
                "Give each document's triples as N-Triples",
            ) from e
        except ValueError:
            return None  # an IRI or a blank node label Oxigraph refuses: pyshacl decides
        return loaded

    def _iri(self, iri: object) -> ox.NamedNode:
        key = str(iri)
        node = self._iris.get(key)
        if node is None:
            node = self._iris[key] = ox.NamedNode(key)
        return node

    def _subject(self, node: Node, doc: _Loaded) -> _Subject:
        if isinstance(node, URIRef):
            return self._iri(node)
        if isinstance(node, BNode):
            return doc.blank(str(node))
        raise ValueError(f"{node!r} cannot be a subject")

    def _object(self, node: Node, doc: _Loaded) -> Term:
        if isinstance(node, RdfLiteral):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=self._iri(node.datatype))
            return ox.Literal(str(node))
        return self._subject(node, doc)

    def _read_checks(
        self, store: ox.Store, solutions: ox.QuerySolutions, docs: dict[str, _Loaded]
    ) -> None:
        """Results from the rows of a value or focus query (codes in ``?kg_f``)."""
        languages: set[tuple[str, str, str, str]] = set()
        per_value = any(v.value == "value" for v in solutions.variables)
        for row in solutions:
            doc = docs[_value(row, GRAPH_VAR)]
            focus = _term(row, "this")
            value = _term(row, "value") if per_value else focus  # a node shape: its node
            for code in _value(row, "kg_f").split():
                if code.endswith("?"):
                    doc.undecided = True
                    continue
                check = self.compiled.checks[int(code[:-1])]
                if check.by_language and isinstance(value, ox.Literal):
                    # pyshacl reports a language used twice once, without a value
                    key = (doc.graph.value, str(focus), code, (value.language or "").lower())
                    if key in languages:
                        continue
                    languages.add(key)
                shown = value if check.with_value else None
                doc.violations.append(_violation(store, doc, focus, check, shown))

    def _read_sparql(
        self,
        store: ox.Store,
        solutions: ox.QuerySolutions,
        docs: dict[str, _Loaded],
        check: Check,
        projects_this: bool,
    ) -> None:
        """Results from a SPARQL constraint's solutions, made as pyshacl makes them."""
        seen: set[tuple[str, ...]] = set()
        key: tuple[str, ...]
        names = [v.value for v in solutions.variables if v.value not in ("kg_g", "this")]
        for row in solutions:
            doc = docs[_value(row, GRAPH_VAR)]
            focus = _term(row, "this")
            bound = {n: t for n in names if (t := _optional(row, n)) is not None}
            path, value = bound.pop("path", None), bound.pop("value", None)
            key = (doc.graph.value, str(focus), str(path), str(value))
            key = key + tuple(sorted(f"{k}={v}" for k, v in bound.items()))
            if key in seen:
                continue
            seen.add(key)
            shown = value if value is not None else focus  # pyshacl: the focus node
            fields = {k: doc.rdflib(v) for k, v in bound.items()}
            if projects_this:
                fields["this"] = doc.rdflib(focus)
            if path is not None:
                fields["path"] = doc.rdflib(path)
            fields["value"] = doc.rdflib(shown)
            messages = [_fill(m, fields) for m in check.messages]
            path_text = doc.show(path) if path is not None else check.path
            found = _violation(store, doc, focus, check, shown, messages, path_text)
            doc.violations.append(found)


class _StoreLookup(NodeLookup[Term]):
    """Reads one document of the batch with the context, to describe a node in words."""

    def __init__(self, store: ox.Store, doc: _Loaded) -> None:
        self.store = store
        self.doc = doc

    def _objects(self, node: Term, predicate: str) -> list[Term]:
        if isinstance(node, ox.Literal):
            return []
        p = ox.NamedNode(predicate)
        found: list[Term] = []
        for graph in (self.doc.graph, ox.DefaultGraph()):
            for quad in self.store.quads_for_pattern(node, p, None, graph):
                if isinstance(quad.object, ox.NamedNode | ox.BlankNode | ox.Literal):
                    found.append(quad.object)
        return found

    def value(self, node: Term, local_name: str) -> Term | None:
        return min(self._objects(node, str(KG[local_name])), key=self.text, default=None)

    def ontology_types(self, node: Term) -> set[str]:
        names = (ontology_local_name(t.value) for t in self._objects(node, str(RDF.type)))
        return {n for n in names if n is not None}

    def text(self, node: Term) -> str:
        return node.value if isinstance(node, ox.Literal) else self.doc.show(node)


def _violation(
    store: ox.Store,
    doc: _Loaded,
    focus: Term,
    check: Check,
    value: Term | None,
    messages: Iterable[str] | None = None,
    path: str | None = None,
) -> Violation:
    shown = None
    if value is not None:
        node = doc.rdflib(value)
        shown = node.n3() if isinstance(node, RdfLiteral) else str(node)
    return Violation(
        focus=doc.show(focus),
        path=path if path is not None else check.path,
        constraint=check.component,
        message=pick_message(messages if messages is not None else check.messages),
        severity=check.severity,
        value=shown,
        shape=check.shape,
        where=describe(_StoreLookup(store, doc), focus),
    )


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


def _relabel(quad: ox.Quad, doc: _Loaded) -> ox.Quad:
    s, o = quad.subject, quad.object
    subject = doc.blank(s.value) if isinstance(s, ox.BlankNode) else s
    obj = doc.blank(o.value) if isinstance(o, ox.BlankNode) else o
    return ox.Quad(subject, quad.predicate, obj, doc.graph)


def _optional(row: ox.QuerySolution, var: str) -> Term | None:
    term = row[var]
    return term if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else None


def _term(row: ox.QuerySolution, var: str) -> Term:
    term = _optional(row, var)
    assert term is not None, f"?{var} unbound in a compiled query's row"
    return term


def _value(row: ox.QuerySolution, var: str) -> str:
    return _term(row, var.lstrip("?")).value


def _fill(message: str, fields: dict[str, Node]) -> str:
    """A SPARQL constraint's message with ``{?var}`` filled in, exactly as pyshacl does it."""
    for var, val in fields.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


__all__ = ["Document", "NativeEngine"]
