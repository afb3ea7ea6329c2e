"""Write a parsed SHACL-SPARQL constraint again, to run over a batch of document graphs.

pyshacl runs a constraint once per focus node, with ``$this`` pre-bound (SHACL §5.3.1). The
native engine runs it once for every focus node of every document of a batch, so the query
(parsed by :mod:`kg.shacl_sparql`) is written again:

- every group pattern starts with the *focus pattern*, which binds ``?this`` and the
  document graph ``?kg_g`` together. Each part of the query that SPARQL evaluates on its own
  (UNION branches, OPTIONAL, sub-queries, EXISTS) therefore sees one (focus, document) pair
  at a time, as if ``$this`` had been substituted;
- every triple pattern reads the document's graph, and also the context in the default
  graph when the context uses that predicate (the two never share a triple, see
  :mod:`kg.shacl_native`); property paths become explicit joins and unions;
- ``?kg_g`` and ``?this`` are added to the projection and to GROUP BY.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from rdflib import Graph
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kg.shacl_sparql import (
    AGGREGATES,
    GRAPH_VAR,
    Exists,
    Expr,
    Group,
    Path,
    Select,
    Token,
    UnsupportedShape,
)
from kg.vocab import SH

Access = Callable[[str, str, str], str]
"""Writes the pattern that reads one triple ``(s, p, o)`` of a document and its context."""


class Rewriter:
    """Writes one parsed constraint for a batch: see the module docstring.

    ``focus`` is the pattern binding ``?this`` and ``?kg_g``; ``access`` writes a triple
    pattern over the document and the context; ``in_context`` says whether the context holds
    triples with a predicate (transitive paths over such predicates are not supported).
    """

    def __init__(
        self, focus: str, access: Access, in_context: Callable[[str], bool], where: str
    ) -> None:
        self.focus = focus
        self.access = access
        self.in_context = in_context
        self.where = where
        self.fresh = itertools.count(1)

    def query(self, select: Select) -> tuple[str, bool]:
        """The rewritten query text, and whether the original projects ``$this``."""
        projected = [var for _expr, var in select.projection]
        if GRAPH_VAR in projected:
            raise UnsupportedShape(self.where, f"the variable {GRAPH_VAR} is reserved")
        return self.select(select), "?this" in projected

    def select(self, select: Select) -> str:
        items = [GRAPH_VAR, "?this"]
        for expr, var in select.projection:
            if expr is None:
                if var != "?this":
                    items.append(var)
            else:
                items.append(f"({self.expr(expr)} AS {var})")
        aggregated = bool(select.group_by) or any(
            isinstance(t, Token) and t.text in AGGREGATES
            for expr, _var in select.projection
            for t in expr or []
        )
        text = "SELECT " + ("DISTINCT " if select.distinct else "") + " ".join(items)
        text += " WHERE " + self.group(select.where)
        if aggregated:
            keys = [self.expr(g) for g in select.group_by]
            keys = [GRAPH_VAR, "?this"] + [k for k in keys if k not in (GRAPH_VAR, "?this")]
            text += " GROUP BY " + " ".join(keys)
            if select.having:
                text += " HAVING " + " ".join(f"({self.expr(h)})" for h in select.having)
        elif select.having:
            raise UnsupportedShape(self.where, "HAVING without GROUP BY is not supported")
        return text

    def group(self, group: Group) -> str:
        parts = [self.focus]
        for element in group.elements:
            if element.kind == "triple" and element.triple is not None:
                triple = element.triple
                parts.append(self.path(triple.subject.text, triple.path, triple.object.text))
            elif element.kind == "filter":
                parts.append(f"FILTER ({self.expr(element.expr)})")
            elif element.kind == "bind":
                parts.append(f"BIND ({self.expr(element.expr)} AS {element.var})")
            elif element.kind == "optional":
                parts.append("OPTIONAL " + self.group(element.groups[0]))
            elif element.kind in ("union", "group"):
                parts.append(" UNION ".join(self.group(g) for g in element.groups))
            elif element.kind == "select" and element.query is not None:
                parts.append("{ " + self.select(element.query) + " }")
        return "{ " + " ".join(parts) + " }"

    def expr(self, expr: Expr) -> str:
        out: list[str] = []
        for i, item in enumerate(expr):
            if isinstance(item, Exists):
                out.append(("NOT EXISTS " if item.negated else "EXISTS ") + self.group(item.group))
            elif item.text == "(" and i and isinstance(expr[i - 1], Token) and out:
                # Oxigraph reads a function call only with its bracket right after the name.
                out[-1] += "(" if expr[i - 1].kind == "name" else " ("  # type: ignore[union-attr]
            else:
                out.append(item.text)
        return " ".join(out)

    def path(self, subject: str, path: Path, obj: str) -> str:
        if path.op == "iri":
            return self.access(subject, path.iri, obj)
        if path.op == "inverse":
            return self.path(obj, path.parts[0], subject)
        if path.op == "seq":
            nodes = [subject] + [f"?kg_m{next(self.fresh)}" for _ in path.parts[1:]] + [obj]
            steps = zip(nodes, path.parts, nodes[1:], strict=False)
            return " ".join(self.path(s, p, o) for s, p, o in steps)
        if path.op == "alt":
            return " UNION ".join(
                "{ " + self.focus + " " + self.path(subject, p, obj) + " }" for p in path.parts
            )
        return self.repeated(subject, path, obj)

    def repeated(self, subject: str, path: Path, obj: str) -> str:
        """``p*``, ``p+`` or ``p?``, read in the document graph alone.

        Allowed only when the context cannot take part (no context predicate in ``p``) and
        the start is the focus node or an intermediate node of a sequence (a node of the
        document's graph), so that a zero-length path means the same as under pyshacl.
        """
        inner = path.parts[0]
        iris = _iris(inner)
        if inner.op not in ("iri", "inverse") or any(self.in_context(i) for i in iris):
            raise UnsupportedShape(
                self.where, "a repeated path is supported on one non-context predicate only"
            )
        start, end = (obj, subject) if inner.op == "inverse" else (subject, obj)
        iri = iris[0]
        if path.op != "+" and start == "?this":
            same = (
                f"BIND (?this AS {end})"
                if end.startswith("?")
                else f"FILTER (sameTerm(?this, {end}))"
            )
            zero = "{ " + self.focus + f" {same} }}"
            step = "+" if path.op == "*" else ""
            more = "{ " + self.focus + f" GRAPH {GRAPH_VAR} {{ ?this <{iri}>{step} {end} }} }}"
            return zero + " UNION " + more
        if path.op != "+" and not start.startswith("?kg_m"):
            raise UnsupportedShape(
                self.where, "a zero-length path must start at $this or follow another step"
            )
        return f"GRAPH {GRAPH_VAR} {{ {start} <{iri}>{path.op} {end} }}"


def _iris(path: Path) -> list[str]:
    if path.op == "iri":
        return [path.iri]
    return [iri for part in path.parts for iri in _iris(part)]


def declared_prefixes(shapes: Graph, constraint: Node, where: str) -> dict[str, str]:
    """The prefixes a SPARQL constraint declares (SHACL §5.2.1), gathered as pyshacl does.

    Raises:
        UnsupportedShape: for an ``sh:declare`` without prefix or namespace.
    """
    everywhere = [
        d for o in shapes.subjects(RDF.type, OWL.Ontology) for d in shapes.objects(o, SH.declare)
    ]
    found = {}
    for holder in shapes.objects(constraint, SH.prefixes):
        for declare in list(shapes.objects(holder, SH.declare)) or everywhere:
            prefix, namespace = (
                shapes.value(declare, SH.prefix),
                shapes.value(declare, SH.namespace),
            )
            if prefix is None or namespace is None:
                raise UnsupportedShape(where, "an sh:declare without prefix or namespace")
            found[str(prefix)] = str(namespace)
    return found


__all__ = ["Rewriter", "declared_prefixes"]
