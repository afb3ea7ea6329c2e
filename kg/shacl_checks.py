"""Each SHACL-Core constraint as SPARQL boolean expressions, as pyshacl decides it.

A check on one value is a :class:`Tri`: an expression true when the value surely fails, and
one true when the engines might disagree (rdflib and Oxigraph read an unusual literal
differently). Undecided documents go to pyshacl, so every answer given here is pyshacl's.
The data are read with :meth:`Checks.access`: the document's graph (``?kg_g``) and, for the
predicates it uses, the context in the default graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kg.shacl_sparql import GRAPH_VAR, UnsupportedShape
from kg.vocab import SH

Mode = Literal["filter", "whole"]
Path = tuple[str, bool]
"""A property path: the predicate IRI, and whether it is read backwards (``sh:inversePath``)."""

MENTIONED = "urn:kg:shacl:mentionedIn"
"""``<node> MENTIONED <doc graph>``: the document names a node it shares a triple about."""

VALUE_PARAMS = {SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.minLength, SH.maxLength,
                SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
                SH["or"], SH.node}  # fmt: skip
COUNT_PARAMS = {SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang}
# What a nested shape may also carry: its targets only matter where it is validated itself.
_NESTED_IGNORED = {SH.path, SH.name, SH.description, SH.message, SH.order, SH.group,
                   SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.targetNode}  # fmt: skip
_STRINGS = f"(<{XSD.string}>, <{RDF.langString}>)"
# Lexical forms that rdflib reads to the value Oxigraph reads; any other form is undecided.
_PLAIN_FORMS = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.nonNegativeInteger: r"^[+]?[0-9]+$",
    XSD.boolean: r"^(true|false)$",
    XSD.date: r"^[1-9][0-9]{3}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-"
    r"(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))$",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}  # fmt: skip
_BOUNDS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
           SH.maxExclusive: "<"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tri:
    """A check as two SPARQL booleans: surely failed, or undecided (neither: passed)."""

    fail: str
    undecided: str = "false"

    @property
    def passed(self) -> str:
        return f"(!({self.fail}) && !({self.undecided}))"


def term_text(node: Node) -> str:
    """``node`` (an IRI or a literal) written as a SPARQL term.

    >>> term_text(RdfLiteral('say "hi"', lang="en"))
    '"say \\\\"hi\\\\""@en'
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, RdfLiteral):
        raise ValueError(f"{node!r} cannot be written into a query")
    text = str(node).replace("\\", "\\\\").replace('"', '\\"')
    text = '"' + text.replace("\n", "\\n").replace("\r", "\\r") + '"'
    if node.language:
        return f"{text}@{node.language}"
    return f"{text}^^<{node.datatype or XSD.string}>"


def translate_pattern(pattern: str, where: str) -> str:
    """A Python ``re`` pattern as a Rust regex that matches the same strings.

    Only syntax both read alike is accepted. ``$`` becomes ``\\n?$`` (Python's ``$`` also
    matches before a final newline); ``\\s`` and ``\\S`` add U+001C to U+001F, which Python
    counts as white space and Rust does not.

    Raises:
        UnsupportedShape: for syntax outside that subset.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch, nxt = pattern[i], pattern[i + 1 : i + 2]
        if ch == "\\":
            if nxt in ("s", "S") and not in_class:
                out.append(r"[\s\x1C-\x1F]" if nxt == "s" else r"[^\s\x1C-\x1F]")
            elif nxt and nxt in "dD\\.()[]{}-/^$|?*+":
                out.append(ch + nxt)
            else:
                raise UnsupportedShape(where, f"the escape \\{nxt} in sh:pattern")
            i += 2
            continue
        if in_class:
            if ch == "[" or pattern[i : i + 2] in ("&&", "--", "~~"):
                raise UnsupportedShape(where, "'[', '&&', '--' or '~~' inside [...] of sh:pattern")
            opening = out[-1] == "[" or (out[-1] == "^" and out[-2] == "[")
            in_class = not (ch == "]" and not opening)
        elif ch == "[":
            in_class = True
        elif ch == "(" and nxt == "?" and pattern[i + 2 : i + 3] != ":":
            raise UnsupportedShape(where, "look-arounds, flags and named groups in sh:pattern")
        elif ch == "$":
            ch = r"\n?$"
        out.append(ch)
        i += 1
    return "".join(out)


class Checks:
    """Writes the checks of one batch query; ``mode`` is as in :mod:`kg.shacl_compile`."""

    def __init__(self, shapes: Graph, context: Graph, predicates: set[str], mode: Mode) -> None:
        self.sg = shapes
        self.context = context
        self.predicates = predicates
        self.mode = mode
        self.fresh = 0
        self.in_document: set[str] = set()
        """Variables bound by a triple of the document graph (so named by the document)."""
        self.flags: dict[str, str] = {}
        """Variables bound to true where their variable was read in the document graph."""

    def var(self, stem: str) -> str:
        self.fresh += 1
        return f"?kg_{stem}{self.fresh}"

    def access(self, s: str, p: str, o: str) -> str:
        """The triples ``s p o`` of the document and, if it has such triples, the context."""
        doc = f"GRAPH {GRAPH_VAR} {{ {s} <{p}> {o} }}"
        return f"{{ {doc} }} UNION {{ {s} <{p}> {o} }}" if self.in_context(s, p, o) else doc

    def in_context(self, s: str, p: str, o: str) -> bool:
        """Whether the context has triples ``s p o``: with the predicate ``p`` and, where the
        subject or the object is an IRI, with that IRI (``?op a kg:OperativeParagraph``)."""
        if p not in self.predicates:
            return False
        subject, obj = (URIRef(t[1:-1]) if t.startswith("<") else None for t in (s, o))
        return (subject is None and obj is None) or (subject, URIRef(p), obj) in self.context

    def values(self, focus: str, path: Path, value: str, *, marked: bool = False) -> str:
        """The values ``value`` of ``focus`` on ``path``, in the document and the context.

        ``marked``: :meth:`mentioned` of ``value`` in the same group then knows a value read
        in the document's graph without looking it up (the document names it).
        """
        iri, inverse = path
        s, o = (value, focus) if inverse else (focus, value)
        if not marked:
            return self.access(s, iri, o)
        if iri not in self.predicates:
            self.in_document.add(value)
            return self.access(s, iri, o)
        flag = self.flags[value] = f"{value}_doc"
        doc = f"GRAPH {GRAPH_VAR} {{ {s} <{iri}> {o} }} BIND (true AS {flag})"
        return f"{{ {doc} }} UNION {{ {s} <{iri}> {o} }}"

    def subclasses(self, cls: Node) -> list[str]:
        return sorted({str(c) for c in self.context.transitive_subjects(RDFS.subClassOf, cls)})

    def instances(self, classes: list[str]) -> list[URIRef]:
        wanted = {URIRef(c) for c in classes}
        found = {s for s, o in self.context.subject_objects(RDF.type) if o in wanted}
        return sorted(s for s in found if isinstance(s, URIRef))

    def mentioned(self, v: str) -> str:
        """Whether pyshacl checks ``v`` against a nested shape: with ``focus_nodes`` given,
        only for an IRI the document names (see :mod:`kg.shacl_compile`)."""
        if self.mode == "whole":
            return "true"
        if v in self.in_document:
            return f"isIRI({v})"
        p, o = self.var("p"), self.var("o")
        flag = f"BOUND({self.flags[v]}) || " if v in self.flags else ""
        return (
            f"(isIRI({v}) && ({flag}EXISTS {{ GRAPH {GRAPH_VAR} {{ {v} {p} {o} }} }} || "
            f"EXISTS {{ GRAPH {GRAPH_VAR} {{ {o} {p} {v} }} }} || "
            f"EXISTS {{ {v} <{MENTIONED}> {GRAPH_VAR} }}))"
        )

    def value(self, shape: Node, param: Node, arg: Node, v: str, where: str) -> Tri:
        """The check ``param arg`` of ``shape`` on the value (or focus node) ``v``.

        Raises:
            UnsupportedShape: for a parameter value the engine cannot decide like pyshacl.
        """
        if param == SH.datatype:
            return self.datatype(arg, v, where)
        if param == SH["class"]:
            classes = self.subclasses(arg)
            t = self.var("t")
            listed = ", ".join(f"<{c}>" for c in classes)
            typed = (
                f"EXISTS {{ GRAPH {GRAPH_VAR} {{ {v} <{RDF.type}> {t} }} "
                f"FILTER ({t} IN ({listed})) }}"
            )
            known = self.instances(classes)
            if known:  # the cheap test first: most values are reference data
                typed = f"{v} IN ({', '.join(term_text(n) for n in known)}) || {typed}"
            return Tri(f"(isLiteral({v}) || !({typed}))")
        if param == SH.nodeKind:
            kind = _NODE_KINDS.get(URIRef(str(arg)))
            if kind is None:
                raise UnsupportedShape(where, f"sh:nodeKind {arg}")
            return Tri(f"!({kind.format(v=v)})")
        if param == SH.pattern:
            if (shape, SH.flags, None) in self.sg:
                raise UnsupportedShape(where, "sh:flags")
            regex = term_text(RdfLiteral(translate_pattern(str(arg), where)))
            return Tri(f"(isBlank({v}) || !REGEX(STR({v}), {regex}))")
        if param in (SH.minLength, SH.maxLength):
            op = "<" if param == SH.minLength else ">"
            return Tri(f"(isBlank({v}) || STRLEN(STR({v})) {op} {int(str(arg))})")
        if param == SH["in"]:
            members = [term_text(m) for m in Collection(self.sg, arg)]
            return Tri("!(" + " || ".join(f"sameTerm({v}, {m})" for m in members) + ")")
        if param in _BOUNDS:
            return self.bound(param, arg, v, where)
        if param in (SH["or"], SH.node):
            nested = list(Collection(self.sg, arg)) if param == SH["or"] else [arg]
            tris = [self.conforms(n, v) for n in nested]
            fail = " && ".join(f"({t.fail})" for t in tris)
            applies = self.mentioned(v)
            if all(t.undecided == "false" for t in tris):
                # passed is then !fail: the value cannot be undecided
                return Tri(f"({applies} && {fail})")
            passed = " || ".join(t.passed for t in tris)
            return Tri(f"({applies} && {fail})", f"({applies} && !({fail}) && !({passed}))")
        raise UnsupportedShape(where, f"the parameter {param}")

    def datatype(self, arg: Node, v: str, where: str) -> Tri:
        if arg == XSD.string:
            return Tri(f"!(isLiteral({v}) && sameTerm(DATATYPE({v}), <{XSD.string}>))")
        if arg == RDF.langString:
            return Tri(f'!(isLiteral({v}) && LANG({v}) != "")')
        if not str(arg).startswith(str(XSD)):
            raise UnsupportedShape(where, f"sh:datatype {arg}")
        typed = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), <{arg}>))"
        form = _PLAIN_FORMS.get(URIRef(str(arg)))
        plain = f'REGEX(STR({v}), "{form}")' if form else "false"
        return Tri(f"!{typed}", f"({typed} && !({plain}))")

    def bound(self, param: Node, arg: Node, v: str, where: str) -> Tri:
        number = arg.value if isinstance(arg, RdfLiteral) else None
        if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
            raise UnsupportedShape(where, f"a non-numeric {param}")
        fail = (
            f"(!isLiteral({v}) || DATATYPE({v}) IN {_STRINGS} || "
            f"(isNumeric({v}) && !({v} {_BOUNDS[URIRef(str(param))]} {term_text(arg)})))"
        )
        return Tri(fail, f"(isLiteral({v}) && !isNumeric({v}) && !(DATATYPE({v}) IN {_STRINGS}))")

    def at_least(
        self, focus: str, path: Path, n: int, cond: Callable[[str], str] | None = None
    ) -> str:
        """An EXISTS: ``focus`` has ``n`` distinct values on ``path`` that meet ``cond``
        (which may ask whether a value is :meth:`mentioned`)."""
        if n == 0:
            return "true"
        if n > 3:
            raise UnsupportedShape("counts", "a cardinality above 3")
        vs = [self.var("v") for _ in range(n)]
        where = " ".join(self.values(focus, path, x, marked=cond is not None) for x in vs)
        tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1 :]]
        tests += [cond(x) for x in vs] if cond else []
        return f"EXISTS {{ {where}" + (f" FILTER ({' && '.join(tests)})" if tests else "") + " }"

    def counts(self, path: Path, x: str, param: Node, arg: Node) -> Tri | None:
        """A cardinality-like check of the values of ``x`` on ``path``, if it checks anything."""
        if param == SH.minCount:
            return Tri(f"!({self.at_least(x, path, int(str(arg)))})")
        if param == SH.maxCount:
            return Tri(self.at_least(x, path, int(str(arg)) + 1))
        if param == SH.hasValue:
            return Tri(f"NOT EXISTS {{ {self.values(x, path, term_text(arg))} }}")
        if param == SH.uniqueLang and isinstance(arg, RdfLiteral) and arg.value is True:
            a, b = self.var("a"), self.var("b")
            return Tri(
                f"EXISTS {{ {self.values(x, path, a)} {self.values(x, path, b)} "
                f"FILTER ({self.same_language(a, b)}) }}"
            )
        return None

    def same_language(self, a: str, b: str) -> str:
        return (
            f'isLiteral({a}) && LANG({a}) != "" && isLiteral({b}) && !sameTerm({a}, {b}) '
            f"&& LCASE(LANG({a})) = LCASE(LANG({b}))"
        )

    def conforms(self, shape: Node, x: str) -> Tri:
        """Whether ``x`` conforms to the nested ``shape``: surely not, or undecided.

        Raises:
            UnsupportedShape: for a nested shape with a severity, SPARQL or qualified counts.
        """
        where = f"nested shape {shape.n3()}"
        if (shape, SH.severity, None) in self.sg:
            raise UnsupportedShape(where, "sh:severity on a nested shape")
        path_node = self.sg.value(shape, SH.path)
        path: Path | None = None
        if isinstance(path_node, URIRef):
            path = (str(path_node), False)
        elif path_node is not None:
            inverse = self.sg.value(path_node, SH.inversePath)
            if not isinstance(inverse, URIRef):
                raise UnsupportedShape(where, "a path other than a predicate or its inverse")
            path = (str(inverse), True)
        tris: list[Tri] = []
        for param, arg in self.sg.predicate_objects(shape):
            if param in VALUE_PARAMS and path is None:
                tris.append(self.value(shape, param, arg, x, where))
            elif param in VALUE_PARAMS and path is not None:
                y = self.var("y")
                over = self.values(x, path, y, marked=True)
                tri = self.value(shape, param, arg, y, where)
                unsure = "false"
                if tri.undecided != "false":
                    unsure = f"EXISTS {{ {over} FILTER ({tri.undecided}) }}"
                tris.append(Tri(f"EXISTS {{ {over} FILTER ({tri.fail}) }}", unsure))
            elif param == SH.property and path is None:
                tris.append(self.conforms(arg, x))
            elif param in COUNT_PARAMS and path is not None:
                found = self.counts(path, x, param, arg)
                tris.extend([found] if found else [])
            elif str(param).startswith(str(SH)) and param not in _NESTED_IGNORED:
                raise UnsupportedShape(where, f"{param} in a nested shape")
        fail = " || ".join(f"({t.fail})" for t in tris) or "false"
        unsure = " || ".join(f"({t.undecided})" for t in tris if t.undecided != "false")
        return Tri(f"({fail})", f"(!({fail}) && ({unsure}))" if unsure else "false")
