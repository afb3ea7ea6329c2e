"""Compile the shapes of ``shapes/`` into SPARQL queries over a batch of document graphs.

The queries run on the store :mod:`kg.shacl_native` builds: each document in its own named
graph (``?kg_g``), the context (class hierarchy and reference data) in the default graph,
never sharing a triple with a document. They give the results pyshacl gives when
:mod:`kg.validate` runs it on one document merged with the context:

- focus nodes are the targets found in document and context. With ``mode="filter"``, only
  the IRIs the document names count, as ``validate.py`` passes them to pyshacl as
  ``focus_nodes``; pyshacl then also lets any other value pass a nested shape (``sh:or``,
  ``sh:node``, ``sh:qualifiedValueShape``). ``mode="whole"`` validates every target;
- ``sh:class`` uses the context's class hierarchy (the caller leaves a document that adds
  to it to pyshacl);
- a check may answer *undecided* where rdflib could read a literal differently from
  Oxigraph: the caller then hands that document to pyshacl.

Each node shape with targets gives a *value query* (a row per failing value of its property
shapes) and a *focus query* (a row per failing focus node: counts, qualified counts, checks
of the node itself), the ``sh:maxCount`` checks of document-only predicates in a focus query
of their own, run only when a node of the batch repeats such a predicate (most batches have
none). Rows name the checks in ``?kg_f``: ``"12! "`` failed, ``"12? "`` undecided; a value
or focus query runs only where its *probe*, an ``ASK`` of the same checks, finds one. Each
SPARQL constraint gives its own query (:mod:`kg.shacl_rewrite`), run on focus nodes written
to the store first by ``focus_updates``. A value query does not read the context's values of
a property shape whose checks read the value alone when the context has none that fails them
(they would fail in no document).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.shacl_checks import (
    COUNT_PARAMS,
    MENTIONED,
    VALUE_PARAMS,
    Checks,
    Mode,
    Path,
    Tri,
    term_text,
)
from kg.shacl_rewrite import Rewriter, declared_prefixes
from kg.shacl_sparql import GRAPH_VAR, UnsupportedShape, parse_select
from kg.vocab import SH

MODES: tuple[Mode, ...] = ("filter", "whole")
DOCUMENT = "urn:kg:shacl:Document"
"""``?kg_g a DOCUMENT``: the document graphs of the batch, in the default graph."""
FOCUS = "urn:kg:shacl:focus/"
"""``<FOCUS n> <doc graph> ?this``: focus nodes of the n-th shape with SPARQL constraints."""
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_OTHER = {*_TARGETS, SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order,
          SH.group, SH.defaultValue, SH.property, SH.sparql, SH.qualifiedValueShape,
          SH.qualifiedMinCount, SH.qualifiedMaxCount}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Check:
    """What a result of one constraint says: everything but its focus node and value."""

    component: str
    shape: str | None
    path: str | None
    severity: str
    messages: tuple[str, ...]
    with_value: bool
    by_language: bool = False


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """One query per mode. ``sparql`` is set for a SPARQL constraint, whose rows are its
    solutions (``projects_this``: whether the original query selects ``$this``).

    ``repeats``: the query only checks that nodes have at most one value (or a few) on these
    predicates, read in the document graph alone; it can find nothing unless some node has
    two values on one of them in one document (see :attr:`CompiledShapes.repeated`).
    ``probes``: an ``ASK`` per mode, true where the query finds a row; the query runs only
    then. It tests the same checks without writing codes, and stops at the first failure.
    """

    texts: Mapping[Mode, str]
    sparql: Check | None = None
    projects_this: bool = False
    repeats: frozenset[str] | None = None
    probes: Mapping[Mode, str] | None = None


@dataclass(frozen=True, slots=True)
class CompiledShapes:
    """The shapes as queries; ``checks`` are what the codes of ``?kg_f`` number."""

    checks: tuple[Check, ...]
    queries: tuple[CompiledQuery, ...]
    focus_updates: Mapping[Mode, tuple[str, ...]]
    repeated: str = ""
    """A query selecting ``?kg_p``, each predicate of a query's ``repeats`` on which a node
    has two values in one document graph; empty if no query has ``repeats``."""


def compile_shapes(shapes: Graph, context: Graph | None = None) -> CompiledShapes:
    """Compile every shape with targets in ``shapes`` for data read with ``context``.

    Raises:
        UnsupportedShape: if a shape uses a component, path or SPARQL the engine does not
            implement exactly as pyshacl does.
    """
    return _Compiler(shapes, context if context is not None else Graph()).run()


class _Compiler:
    def __init__(self, shapes: Graph, context: Graph) -> None:
        self.sg = shapes
        self.context = context
        self.predicates = {str(p) for p in context.predicates()}
        self.checks: list[Check] = []
        self.index: dict[tuple[Node, str], int] = {}
        self.writer = Checks(shapes, context, self.predicates, "filter")
        self.context_store: ox.Store | None = None

    def run(self) -> CompiledShapes:
        tops = sorted({s for t in _TARGETS for s in self.sg.subjects(t, None)}, key=_key)
        queries: list[CompiledQuery] = []
        updates: dict[Mode, list[str]] = {mode: [] for mode in MODES}
        for shape in tops:
            queries.extend(self.queries(shape))
            for nested, path in self.node_references(shape):
                queries.extend(self.queries(nested, (shape, path)))
            if (shape, SH.sparql, None) in self.sg:
                n = len(updates["filter"])
                for mode in MODES:
                    self.writer = Checks(self.sg, self.context, self.predicates, mode)
                    focus = self.focus(shape)
                    updates[mode].append(
                        f"INSERT {{ <{FOCUS}{n}> {GRAPH_VAR} ?this }} WHERE {{ {focus} }}"
                    )
                queries.extend(self.sparql_queries(shape, n))
        return CompiledShapes(
            tuple(self.checks),
            tuple(queries),
            {m: tuple(u) for m, u in updates.items()},
            _repeated({p for q in queries for p in q.repeats or ()}),
        )

    def queries(
        self, shape: Node, parent: tuple[Node, Path | None] | None = None
    ) -> list[CompiledQuery]:
        texts = {mode: self.shape_queries(shape, mode, parent) for mode in MODES}
        out = []
        for i, (_text, _probe, repeats) in enumerate(texts["filter"]):
            assert all(texts[m][i][2] == repeats for m in MODES)
            full = {m: texts[m][i][0] for m in MODES}
            probes = {m: texts[m][i][1] for m in MODES}
            out.append(CompiledQuery(full, repeats=repeats, probes=probes))
        return out

    def node_references(self, shape: Node) -> list[tuple[Node, Path | None]]:
        """The shapes ``shape`` points to with ``sh:node``, and the path to their focus.

        pyshacl reports the results of such a nested shape too (as ``sh:detail`` of the
        ``sh:node`` result), so they are checked like a shape with targets.
        """
        found: list[tuple[Node, Path | None]] = [(n, None) for n in self.sg.objects(shape, SH.node)]
        for prop in self.sg.objects(shape, SH.property):
            found += [(n, self.path(prop)) for n in self.sg.objects(prop, SH.node)]
        for nested, _path in found:
            if any(
                (n, SH.node, None) in self.sg
                for n in [nested, *self.sg.objects(nested, SH.property)]
            ):
                raise UnsupportedShape(
                    self.where(nested), "sh:node inside a shape given by sh:node"
                )
        return sorted(found, key=lambda f: _key(f[0]) + str(f[1]))

    # -- reading shapes -----------------------------------------------------------------
    def where(self, shape: Node) -> str:
        return f"shape {shape.n3() if isinstance(shape, URIRef) else '(blank node)'}"

    def validate(self, shape: Node) -> None:
        for param in set(self.sg.predicates(shape)):
            known = param in VALUE_PARAMS or param in COUNT_PARAMS or param in _OTHER
            if str(param).startswith(str(SH)) and not known:
                raise UnsupportedShape(self.where(shape), f"the parameter {param}")
        if (shape, RDF.type, RDFS.Class) in self.sg or (shape, RDF.type, OWL.Class) in self.sg:
            raise UnsupportedShape(self.where(shape), "implicit class targets")

    def path(self, shape: Node) -> Path | None:
        node = self.sg.value(shape, SH.path)
        if node is None or isinstance(node, URIRef):
            return None if node is None else (str(node), False)
        inverse = self.sg.value(node, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(self.sg.predicates(node))) == 1:
            return str(inverse), True
        raise UnsupportedShape(self.where(shape), "a path other than a predicate or its inverse")

    def severity(self, shape: Node) -> str:
        node = self.sg.value(shape, SH.severity)
        return "Violation" if node is None else str(node).rsplit("#", 1)[-1]

    def register(
        self, shape: Node, component: str, *, value: bool, by_language: bool = False
    ) -> int:
        key = (shape, component)
        if key not in self.index:
            path = self.path(shape)
            shown = None if path is None else ("^" if path[1] else "") + path[0]
            messages = tuple(sorted(str(m) for m in self.sg.objects(shape, SH.message)))
            name = str(shape) if isinstance(shape, URIRef) else None
            self.checks.append(
                Check(
                    str(SH[component + "ConstraintComponent"]),
                    name,
                    shown,
                    self.severity(shape),
                    messages or (_generic(component),),
                    value,
                    by_language,
                )
            )
            self.index[key] = len(self.checks) - 1
        return self.index[key]

    # -- queries ------------------------------------------------------------------------
    def focus(self, shape: Node, parent: tuple[Node, Path | None] | None = None) -> str:
        """A sub-query binding ``?kg_g ?this`` to the shape's focus nodes in each document.

        With ``parent`` (a shape and the path of its ``sh:node``), the focus nodes are the
        values the parent's focus nodes have on that path, once per parent node.
        """
        w = self.writer
        if parent is not None:
            outer = self.focus(parent[0]).replace("?this", "?kg_parent")
            if parent[1] is None:
                return outer.replace("?kg_parent", "?this")
            values = w.values("?kg_parent", parent[1], "?this")
            checked = f" FILTER ({w.mentioned('?this')})"
            return f"{{ SELECT {GRAPH_VAR} ?this WHERE {{ {outer} {values}{checked} }} }}"
        branches: list[str] = []
        for cls in self.sg.objects(shape, SH.targetClass):
            t = w.var("t")
            listed = " ".join(f"<{c}>" for c in w.subclasses(cls))
            branches.append(
                f"{{ GRAPH {GRAPH_VAR} {{ ?this <{RDF.type}> {t} }} VALUES {t} {{ {listed} }} }}"
            )
        for p in self.sg.objects(shape, SH.targetSubjectsOf):
            branches.append(f"{{ GRAPH {GRAPH_VAR} {{ ?this <{p}> {w.var('o')} }} }}")
        for p in self.sg.objects(shape, SH.targetObjectsOf):
            branches.append(f"{{ GRAPH {GRAPH_VAR} {{ {w.var('s')} <{p}> ?this }} }}")
        known = self.known(shape)
        if known:
            listed = " ".join(term_text(n) for n in known)
            if w.mode == "filter":
                mp, mo = w.var("p"), w.var("o")
                docs = (
                    f"{{ GRAPH {GRAPH_VAR} {{ ?this {mp} {mo} }} }} UNION "
                    f"{{ GRAPH {GRAPH_VAR} {{ {mo} {mp} ?this }} }} UNION "
                    f"{{ ?this <{MENTIONED}> {GRAPH_VAR} }}"
                )
            else:
                docs = f"{GRAPH_VAR} a <{DOCUMENT}>"
            branches.append(f"{{ VALUES ?this {{ {listed} }} {docs} }}")
        keep = " FILTER (isIRI(?this))" if w.mode == "filter" else ""
        body = " UNION ".join(branches) if branches else "FILTER (false)"
        return f"{{ SELECT DISTINCT {GRAPH_VAR} ?this WHERE {{ {body}{keep} }} }}"

    def known(self, shape: Node) -> list[Node]:
        """The targets of ``shape`` in the context: focus nodes where a document names them
        (with ``mode="filter"``, the IRIs among them)."""
        w = self.writer
        found: set[Node] = set(self.sg.objects(shape, SH.targetNode))
        for cls in self.sg.objects(shape, SH.targetClass):
            found.update(w.instances(w.subclasses(cls)))
        for p in self.sg.objects(shape, SH.targetSubjectsOf):
            found.update(self.context.subjects(p, None))
        for p in self.sg.objects(shape, SH.targetObjectsOf):
            found.update(self.context.objects(None, p))
        if w.mode == "filter":
            found = {n for n in found if isinstance(n, URIRef)}
        return sorted(found, key=_key)

    def passing(self, shape: Node, items: list[tuple[int, Tri]], lasting: set[int]) -> list[str]:
        """The targets of ``shape`` in the context that pass ``items`` in any document.

        So they do when every check is ``lasting`` (it reads the focus node alone, or asks
        for values that more triples cannot take away: ``sh:minCount``, ``sh:hasValue``)
        and the context alone passes them.
        """
        known = [term_text(n) for n in self.known(shape) if isinstance(n, URIRef)]
        if not known or not items or any(n not in lasting for n, _tri in items):
            return []
        listed = " ".join(known)
        failing = self.context_query(
            f"SELECT ?this WHERE {{ VALUES ?this {{ {listed} }} FILTER ({_failed(items)}) }}"
        )
        assert isinstance(failing, ox.QuerySolutions)
        failed = {f"<{row[0].value}>" for row in failing}
        return [n for n in known if n not in failed]

    def context_query(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean:
        """``text`` run on the context alone."""
        if self.context_store is None:
            self.context_store = ox.Store()
            self.context_store.load(self.context.serialize(format="nt"), ox.RdfFormat.N_TRIPLES)
        found = self.context_store.query(text)
        assert not isinstance(found, ox.QueryTriples)
        return found

    def shape_queries(
        self, shape: Node, mode: Mode, parent: tuple[Node, Path | None] | None = None
    ) -> list[tuple[str, str, frozenset[str] | None]]:
        """The value query and the focus queries of a shape with targets (or a parent), each
        with its probe (see :class:`CompiledQuery`).

        The checks of ``sh:maxCount`` on a predicate the context does not use get a focus
        query of their own, with the predicates as its ``repeats``: most batches have no node
        with two values on any of them, and the query is then not run.
        """
        self.writer = w = Checks(self.sg, self.context, self.predicates, mode)
        self.validate(shape)
        if self.path(shape) is not None:
            raise UnsupportedShape(self.where(shape), "targets on a property shape")
        on_focus: list[tuple[int, Tri]] = []
        lasting: set[int] = set()  # see passing()
        on_repeats: list[tuple[int, Tri]] = []
        repeats: set[str] = set()
        for param, arg in sorted(self.sg.predicate_objects(shape), key=_pair):
            if param in COUNT_PARAMS:
                raise UnsupportedShape(self.where(shape), f"{param} on a node shape")
            if param in VALUE_PARAMS:
                tri = w.value(shape, param, arg, "?this", self.where(shape))
                on_focus.append((self.register(shape, _component(param), value=True), tri))
                if not any(t in tri.fail + tri.undecided for t in ("{", GRAPH_VAR)):
                    lasting.add(on_focus[-1][0])
        branches: list[tuple[Path, list[tuple[int, Tri]]]] = []
        for prop in sorted(self.sg.objects(shape, SH.property), key=_key):
            self.validate(prop)
            path = self.path(prop)
            if path is None:
                raise UnsupportedShape(self.where(prop), "a property shape without sh:path")
            on_values: list[tuple[int, Tri]] = []
            # read() takes the values of a predicate the context lacks from the document alone
            w.in_document = set() if path[0] in self.predicates else {"?value"}
            for param, arg in sorted(self.sg.predicate_objects(prop), key=_pair):
                if param in VALUE_PARAMS:
                    tri = w.value(prop, param, arg, "?value", self.where(prop))
                    on_values.append((self.register(prop, _component(param), value=True), tri))
                elif param == SH.uniqueLang and w.counts(path, "?this", param, arg):
                    b = w.var("b")
                    same = w.same_language("?value", b)
                    tri = Tri(f"EXISTS {{ {w.values('?this', path, b)} FILTER ({same}) }}")
                    n = self.register(prop, "UniqueLang", value=False, by_language=True)
                    on_values.append((n, tri))
                elif param in COUNT_PARAMS and (found := w.counts(path, "?this", param, arg)):
                    n = self.register(prop, _component(param), value=False)
                    if param == SH.maxCount and int(str(arg)) >= 1 and self.doc_only(path):
                        on_repeats.append((n, found))
                        repeats.add(path[0])
                    else:
                        on_focus.append((n, found))
                        if param in (SH.minCount, SH.hasValue):
                            lasting.add(n)
                elif param == SH.qualifiedValueShape:
                    on_focus.extend(self.qualified(prop, path, arg))
                elif param in (SH.property, SH.sparql) or param in _TARGETS:
                    raise UnsupportedShape(self.where(prop), f"{param} on a property shape")
            w.in_document = set()
            if on_values:
                branches.append((path, on_values))
        focus = self.focus(shape, parent)
        queries: list[tuple[str, str, frozenset[str] | None]] = []
        settled = {k for k, (path, items) in enumerate(branches) if self.settled(path, items)}
        if branches:
            numbered = list(enumerate(items for _path, items in branches))
            codes = _choose([(k, _codes(items)) for k, items in numbered])
            failed = _choose([(k, _failed(items)) for k, items in numbered])
            where = f"{{ {focus} {self.read(branches, settled)} FILTER ({failed}) }}"
            text = f"SELECT {GRAPH_VAR} ?this ?value ({codes} AS ?kg_f) WHERE {where}"
            queries.append((text, f"ASK {where}", None))
        passing = self.passing(shape, on_focus, lasting) if parent is None else []
        skipped = f" FILTER (!(?this IN ({', '.join(passing)})))" if passing else ""
        for items, guard, unless in ((on_focus, None, skipped), (on_repeats, repeats, "")):
            if items:
                text = (
                    f"SELECT {GRAPH_VAR} ?this ?kg_f WHERE {{ {focus}{unless} "
                    f'BIND ({_codes(items)} AS ?kg_f) FILTER (?kg_f != "") }}'
                )
                # BIND, not FILTER: Oxigraph plans EXISTS inside a FILTER as a join, slower
                failed = f"BIND ({_failed(items)} AS ?kg_x) FILTER (?kg_x)"
                probe = f"ASK {{ {focus}{unless} {failed} }}"
                queries.append((text, probe, frozenset(guard) if guard is not None else None))
        return queries

    def doc_only(self, path: Path) -> bool:
        """Whether the values on ``path`` are read in the document graph alone."""
        return not path[1] and path[0] not in self.predicates

    def settled(self, path: Path, items: list[tuple[int, Tri]]) -> bool:
        """Whether every value the context has on ``path`` passes ``items`` in any document:
        the checks read nothing but the value (no pattern, no document graph, no focus node)
        and no such value of the context fails them. Those values are then not read again
        for every document of a batch.
        """
        failed = _failed(items)
        if path[0] not in self.predicates or any(t in failed for t in ("{", GRAPH_VAR, "?this")):
            return False
        triple = f"?value <{path[0]}> ?this" if path[1] else f"?this <{path[0]}> ?value"
        return not self.context_query(f"ASK {{ {triple} FILTER ({failed}) }}")

    def read(self, branches: list[tuple[Path, list[tuple[int, Tri]]]], settled: set[int]) -> str:
        """Every value of the focus node on the property shapes' paths, numbered ``?kg_k``;
        the context's values only on the paths not ``settled`` (see :meth:`settled`).

        One read of the focus node's triples joined with a table of predicates costs a third
        of one pattern per property shape.
        """
        parts = []
        for inverse in (False, True):
            rows = [(path[0], k) for k, (path, _) in enumerate(branches) if path[1] is inverse]
            if not rows:
                continue
            triple = "?value ?kg_p ?this" if inverse else "?this ?kg_p ?value"
            read = f"{{ GRAPH {GRAPH_VAR} {{ {triple} }} }}"
            unsettled = [(i, k) for i, k in rows if i in self.predicates and k not in settled]
            if unsettled:
                read += f" UNION {{ {triple} {_table(unsettled)} }}"
            parts.append(f"{{ {read} {_table(rows)} }}")
        return " UNION ".join(parts)

    def qualified(self, prop: Node, path: Path, nested: Node) -> list[tuple[int, Tri]]:
        w = self.writer
        if (prop, SH.qualifiedValueShapesDisjoint, None) in self.sg:
            raise UnsupportedShape(self.where(prop), "sh:qualifiedValueShapesDisjoint")

        def counted(y: str) -> str:
            return f"(!{w.mentioned(y)} || {w.conforms(nested, y).passed})"

        y = w.var("y")
        unsure = w.conforms(nested, y).undecided
        if unsure != "false":
            unsure = (
                f"EXISTS {{ {w.values('?this', path, y, marked=True)} "
                f"FILTER ({w.mentioned(y)} && {unsure}) }}"
            )
        out = []
        low, high = (
            self.sg.value(prop, SH.qualifiedMinCount),
            self.sg.value(prop, SH.qualifiedMaxCount),
        )
        if low is not None:
            fail = f"!({w.at_least('?this', path, int(str(low)), counted)})"
            out.append((self.register(prop, "QualifiedMinCount", value=False), Tri(fail, unsure)))
        if high is not None:
            fail = w.at_least("?this", path, int(str(high)) + 1, counted)
            out.append((self.register(prop, "QualifiedMaxCount", value=False), Tri(fail, unsure)))
        return out

    def sparql_queries(self, shape: Node, n: int) -> list[CompiledQuery]:
        if self.path(shape) is not None:
            raise UnsupportedShape(self.where(shape), "sh:sparql on a property shape")
        out = []
        shape_messages = tuple(str(m) for m in self.sg.objects(shape, SH.message))
        for constraint in sorted(self.sg.objects(shape, SH.sparql), key=_key):
            where = self.where(constraint)
            for param in set(self.sg.predicates(constraint)):
                if str(param).startswith(str(SH)) and param not in (
                    SH.select,
                    SH.prefixes,
                    SH.message,
                    SH.name,
                    SH.description,
                ):
                    raise UnsupportedShape(where, f"the parameter {param}")
            select = self.sg.value(constraint, SH.select)
            if select is None:
                raise UnsupportedShape(where, "a SPARQL constraint without sh:select")
            parsed = parse_select(str(select), declared_prefixes(self.sg, constraint, where), where)
            texts = {}
            projects_this = False
            for mode in MODES:
                w = Checks(self.sg, self.context, self.predicates, mode)
                rewriter = Rewriter(
                    f"<{FOCUS}{n}> {GRAPH_VAR} ?this .",
                    w.access,
                    self.predicates.__contains__,
                    where,
                )
                texts[mode], projects_this = rewriter.query(parsed)
            extra = tuple(str(m) for m in self.sg.objects(constraint, SH.message))
            messages = shape_messages + tuple(m for m in extra if m not in shape_messages)
            named = constraint if isinstance(constraint, URIRef) else shape
            name = str(named) if isinstance(named, URIRef) else None
            component = str(SH.SPARQLConstraintComponent)
            fallback = (_generic("SPARQL"),)
            check = Check(component, name, None, self.severity(shape), messages or fallback, True)
            out.append(CompiledQuery(texts, check, projects_this))
        return out


def _repeated(predicates: set[str]) -> str:
    if not predicates:
        return ""
    listed = " ".join(f"<{p}>" for p in sorted(predicates))
    read = f"GRAPH {GRAPH_VAR} {{ ?kg_s ?kg_p ?kg_o }}"
    counted = (
        f"SELECT ?kg_p WHERE {{ VALUES ?kg_p {{ {listed} }} {read} }} "
        f"GROUP BY {GRAPH_VAR} ?kg_s ?kg_p HAVING (COUNT(*) > 1)"
    )
    return f"SELECT DISTINCT ?kg_p WHERE {{ {{ {counted} }} }}"


def _codes(items: list[tuple[int, Tri]]) -> str:
    parts = [
        f'COALESCE(IF({t.fail}, "{n}! ", ""), "{n}? ")'
        if t.undecided == "false"
        else f'COALESCE(IF({t.fail}, "{n}! ", IF({t.undecided}, "{n}? ", "")), "{n}? ")'
        for n, t in items
    ]
    return f'CONCAT("", {", ".join(parts)})'


def _table(rows: list[tuple[str, int]]) -> str:
    return "VALUES (?kg_p ?kg_k) { " + " ".join(f"(<{iri}> {k})" for iri, k in rows) + " }"


def _failed(items: list[tuple[int, Tri]]) -> str:
    """True where :func:`_codes` of ``items`` is not empty: some check failed, is undecided
    or raised an error. Tested first, so that the codes are written for those rows only."""
    tests = [t.fail if t.undecided == "false" else f"{t.fail} || {t.undecided}" for _n, t in items]
    return f"COALESCE({' || '.join(tests)}, true)"


def _choose(items: list[tuple[int, str]]) -> str:
    """``IF`` on ``?kg_k`` as a balanced tree: a few tests per row, not one per branch."""
    if len(items) == 1:
        return items[0][1]
    middle = len(items) // 2
    low, high = _choose(items[:middle]), _choose(items[middle:])
    return f"IF(?kg_k < {items[middle][0]}, {low}, {high})"


def _component(param: Node) -> str:
    name = str(param).rsplit("#", 1)[-1]
    return name[0].upper() + name[1:]


def _generic(component: str) -> str:
    return f"Value does not conform to the {component} constraint"


def _key(node: Node) -> str:
    return node.n3()


def _pair(pair: tuple[Node, Node]) -> tuple[str, str]:
    return pair[0].n3(), pair[1].n3()


__all__ = ["DOCUMENT", "MODES", "Check", "CompiledQuery", "CompiledShapes", "compile_shapes"]
