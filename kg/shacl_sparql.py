"""Read a SHACL-SPARQL constraint (``sh:select``) into a small syntax tree.

Only the SPARQL the shapes use is understood: SELECT with projections, aggregates, GROUP BY
and HAVING; triple patterns with property paths; FILTER, BIND, OPTIONAL, UNION, nested
groups, sub-queries and (NOT) EXISTS. Anything else raises :class:`UnsupportedShape` when the
shapes are compiled, never silently passes. :mod:`kg.shacl_rewrite` writes the tree again
for a batch of documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.errors import KgError

GRAPH_VAR = "?kg_g"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class UnsupportedShape(KgError):
    """A shape uses SHACL or SPARQL the native engine does not implement."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(
            f"{where}: {what}",
            "Validate with engine='pyshacl' (KG_SHACL_ENGINE=pyshacl), or extend kg.shacl_compile",
        )


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<pname>[A-Za-z][A-Za-z0-9_-]*:(?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9_-]))*
               |:(?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9_-]))*)
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<op>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;|/^*+?!=<>-])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"SELECT", "DISTINCT", "REDUCED", "WHERE", "AS", "FILTER", "BIND", "OPTIONAL",
             "UNION", "GROUP", "BY", "HAVING", "EXISTS", "NOT", "IN", "ORDER", "LIMIT",
             "OFFSET", "MINUS", "VALUES", "GRAPH", "SERVICE", "PREFIX", "BASE", "ASK"}  # fmt: skip
AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
_PREBOUND = {"PATH", "currentShape", "shapesGraph"}
# REGEX and REPLACE patterns run in Rust here and in Python under pyshacl: only plain text
# patterns mean the same in both.
_REGEX_FUNCTIONS = {"REGEX", "REPLACE"}
_PLAIN_PATTERN = re.compile(r'^"[^\\.^$|?*+()\[\]{}"]*"$')


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Exists:
    negated: bool
    group: Group


Expr = list["Token | Exists"]


@dataclass(frozen=True, slots=True)
class Path:
    """A property path: ``op`` is iri, inverse, seq, alt or one of ``* + ?``."""

    op: str
    iri: str = ""
    parts: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Triple:
    subject: Token
    path: Path
    object: Token


@dataclass(frozen=True, slots=True)
class Element:
    """One element of a group: triple, filter, bind, optional, union, group or select."""

    kind: str
    triple: Triple | None = None
    expr: Expr = field(default_factory=list)
    var: str = ""
    groups: tuple[Group, ...] = ()
    query: Select | None = None


@dataclass(frozen=True, slots=True)
class Group:
    elements: tuple[Element, ...]


@dataclass(frozen=True, slots=True)
class Select:
    distinct: bool
    projection: tuple[tuple[Expr | None, str], ...]
    where: Group
    group_by: tuple[Expr, ...]
    having: tuple[Expr, ...]


def tokenize(text: str, prefixes: dict[str, str], where: str) -> list[Token]:
    """The tokens of ``text``, prefixed names expanded and literals glued to their tags.

    Raises:
        UnsupportedShape: for text that is not SPARQL of the understood subset.
    """
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise UnsupportedShape(where, f"cannot read the SPARQL at {text[position:][:30]!r}")
        position = match.end()
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "ws":
            continue
        if kind == "pname":
            prefix, local = value.split(":", 1)
            if prefix not in prefixes:
                raise UnsupportedShape(where, f"undeclared prefix {prefix}: in the SPARQL")
            kind, value = "iri", f"<{prefixes[prefix]}{local}>"
        elif kind == "var":
            value = "?" + value[1:]
        elif kind == "name" and value.upper() in _KEYWORDS | AGGREGATES:
            value = value.upper()
        if tokens and tokens[-1].kind == "literal" and kind == "lang":
            tokens[-1] = Token("literal", tokens[-1].text + value)
            continue
        if len(tokens) > 1 and tokens[-1].text == "^^" and tokens[-2].kind == "literal":
            if kind != "iri":
                raise UnsupportedShape(where, "a literal's datatype must be an IRI")
            tokens[-2:] = [Token("literal", tokens[-2].text + "^^" + value)]
            continue
        tokens.append(Token("literal" if kind in ("string", "number") else kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token], where: str) -> None:
        self.tokens = tokens
        self.at = 0
        self.where = where

    def fail(self, what: str) -> UnsupportedShape:
        return UnsupportedShape(self.where, what)

    def peek(self, ahead: int = 0) -> str:
        index = self.at + ahead
        return self.tokens[index].text if index < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> Token:
        if self.at >= len(self.tokens):
            raise self.fail("the SPARQL ends too early")
        token = self.tokens[self.at]
        if expected is not None and token.text != expected:
            raise self.fail(f"expected {expected!r} in the SPARQL, found {token.text!r}")
        self.at += 1
        return token

    def select(self) -> Select:
        self.take("SELECT")
        distinct = self.peek() in ("DISTINCT", "REDUCED")
        if distinct:
            distinct = self.take().text == "DISTINCT"
        projection: list[tuple[Expr | None, str]] = []
        while self.peek() not in ("WHERE", "{"):
            if self.peek() == "(":
                self.take("(")
                expr = self.expression(stop={"AS"})
                self.take("AS")
                projection.append((expr, self.variable()))
                self.take(")")
            else:
                projection.append((None, self.variable()))
        if not projection:
            raise self.fail("SELECT * is not supported; name the variables")
        if self.peek() == "WHERE":
            self.take()
        where = self.group()
        group_by: list[Expr] = []
        having: list[Expr] = []
        if self.peek() == "GROUP":
            self.take()
            self.take("BY")
            while self.peek() not in ("HAVING", "}", "") and self.peek() not in _KEYWORDS:
                group_by.append(self.condition())
        if self.peek() == "HAVING":
            self.take()
            while self.peek() not in ("}", "") and self.peek() not in _KEYWORDS:
                having.append(self.condition())
        if self.peek() in ("ORDER", "LIMIT", "OFFSET", "VALUES"):
            raise self.fail(f"{self.peek()} in a SPARQL constraint is not supported")
        return Select(distinct, tuple(projection), where, tuple(group_by), tuple(having))

    def variable(self) -> str:
        token = self.take()
        if token.kind != "var":
            raise self.fail(f"expected a variable in the SPARQL, found {token.text!r}")
        return token.text

    def condition(self) -> Expr:
        """A GROUP BY or HAVING condition: a variable, a call or a bracketed expression."""
        if self.tokens[self.at].kind == "var":
            return [self.take()]
        if self.peek() == "(":
            self.take("(")
            expr = self.expression(stop=set())
            self.take(")")
            return [Token("op", "("), *expr, Token("op", ")")]
        return self.call()

    def call(self) -> Expr:
        name = self.take()
        if name.kind != "name":
            raise self.fail(f"expected a function call in the SPARQL, found {name.text!r}")
        self.take("(")
        args = self.expression(stop=set())
        self.take(")")
        if name.text.upper() in _REGEX_FUNCTIONS:
            self.check_pattern(args)
        return [name, Token("op", "("), *args, Token("op", ")")]

    def check_pattern(self, args: Expr) -> None:
        literals = [a for a in args if isinstance(a, Token) and a.kind == "literal"]
        if len(literals) < 1 or not all(_PLAIN_PATTERN.match(t.text) for t in literals):
            raise self.fail("REGEX and REPLACE are supported with plain-text patterns only")

    def expression(self, stop: set[str]) -> Expr:
        """Tokens up to the closing bracket (or a stop word) at this depth, EXISTS parsed."""
        expr: Expr = []
        depth = 0
        while True:
            text = self.peek()
            if text == "" or (depth == 0 and (text == ")" or text in stop)):
                return expr
            if text in ("EXISTS", "NOT") and self.peek(1 if text == "EXISTS" else 2) == "{":
                if text == "NOT" and self.peek(1) != "EXISTS":
                    raise self.fail("NOT must be followed by EXISTS or IN")
                negated = self.take().text == "NOT"
                if negated:
                    self.take("EXISTS")
                expr.append(Exists(negated, self.group()))
                continue
            token = self.take()
            if token.text in ("{", "}"):
                raise self.fail("unexpected brace in a SPARQL expression")
            if token.kind == "name" and token.text.upper() in _REGEX_FUNCTIONS:
                self.at -= 1
                expr.extend(self.call())
                continue
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            expr.append(token)

    def group(self) -> Group:
        self.take("{")
        if self.peek() == "SELECT":
            query = self.select()
            self.take("}")
            return Group((Element("select", query=query),))
        elements: list[Element] = []
        while self.peek() != "}":
            word = self.peek()
            if word == "":
                raise self.fail("a group pattern is not closed")
            if word == ".":
                self.take()
            elif word == "FILTER":
                self.take()
                elements.append(Element("filter", expr=self.constraint()))
            elif word == "BIND":
                self.take()
                self.take("(")
                expr = self.expression(stop={"AS"})
                self.take("AS")
                var = self.variable()
                self.take(")")
                elements.append(Element("bind", expr=expr, var=var))
            elif word == "OPTIONAL":
                self.take()
                elements.append(Element("optional", groups=(self.group(),)))
            elif word == "{":
                groups = [self.group()]
                while self.peek() == "UNION":
                    self.take()
                    groups.append(self.group())
                kind = "union" if len(groups) > 1 else "group"
                elements.append(Element(kind, groups=tuple(groups)))
            elif word in _KEYWORDS:
                raise self.fail(f"{word} in a SPARQL constraint is not supported")
            else:
                elements.extend(Element("triple", triple=t) for t in self.triples())
        self.take("}")
        return Group(tuple(elements))

    def constraint(self) -> Expr:
        if self.peek() == "(":
            self.take("(")
            expr = self.expression(stop=set())
            self.take(")")
            return expr
        if self.peek() in ("EXISTS", "NOT"):
            negated = self.take().text == "NOT"
            if negated:
                self.take("EXISTS")
            return [Exists(negated, self.group())]
        return self.call()

    def triples(self) -> Iterator[Triple]:
        subject = self.term()
        while True:
            path = self.path()
            while True:
                yield Triple(subject, path, self.term())
                if self.peek() != ",":
                    break
                self.take()
            if self.peek() != ";":
                return
            self.take()
            if self.peek() in (".", "}"):
                return

    def term(self) -> Token:
        token = self.take()
        if token.kind not in ("var", "iri", "literal") and token.text not in ("true", "false"):
            raise self.fail(f"{token.text!r} is not supported as a term in a triple pattern")
        return token

    def path(self) -> Path:
        parts = [self.sequence()]
        while self.peek() == "|":
            self.take()
            parts.append(self.sequence())
        return parts[0] if len(parts) == 1 else Path("alt", parts=tuple(parts))

    def sequence(self) -> Path:
        parts = [self.element()]
        while self.peek() == "/":
            self.take()
            parts.append(self.element())
        return parts[0] if len(parts) == 1 else Path("seq", parts=tuple(parts))

    def element(self) -> Path:
        if self.peek() == "^":
            self.take()
            return Path("inverse", parts=(self.element(),))
        token = self.take()
        if token.text == "(":
            primary = self.path()
            self.take(")")
        elif token.text == "a":
            primary = Path("iri", iri=RDF_TYPE)
        elif token.kind == "iri":
            primary = Path("iri", iri=token.text[1:-1])
        else:
            raise self.fail(f"{token.text!r} is not supported as a predicate or path")
        if self.peek() in ("*", "+", "?") and self.tokens[self.at].kind == "op":
            return Path(self.take().text, parts=(primary,))
        return primary


def parse_select(text: str, prefixes: dict[str, str], where: str) -> Select:
    """Parse a ``sh:select`` query.

    Raises:
        UnsupportedShape: if the query uses SPARQL outside the understood subset, or a
            pre-bound variable other than ``$this``.
    """
    tokens = tokenize(text, prefixes, where)
    for token in tokens:
        if token.kind == "var" and token.text[1:] in _PREBOUND:
            raise UnsupportedShape(where, f"the pre-bound variable ${token.text[1:]}")
        if token.text == "?failure":
            raise UnsupportedShape(where, "the ?failure variable is not supported")
    parser = _Parser(tokens, where)
    select = parser.select()
    if parser.at != len(tokens):
        raise UnsupportedShape(where, f"unexpected {tokens[parser.at].text!r} after the query")
    return select


__all__ = [
    "GRAPH_VAR",
    "RDF_TYPE",
    "Exists",
    "Expr",
    "Group",
    "Path",
    "Select",
    "Token",
    "UnsupportedShape",
    "parse_select",
    "tokenize",
]
