"""Where the mapper writes a document's triples: an rdflib graph, or N-Triples text.

:mod:`kg.mapping` states each triple once, to a :class:`TripleSink`. :class:`GraphSink`
builds the rdflib graph that :func:`kg.mapping.to_graph` returns; :class:`NTriplesSink`
writes N-Triples lines directly, because adding each triple to an rdflib graph and then
serialising it cost a build more than reading the text (issue 7). Both keep a triple
written twice once, and both give a value the same literal: the lexical forms are
rdflib's (``5`` → ``"5"^^xsd:integer``, ``True`` → ``"true"^^xsd:boolean``).

N-Triples terms follow RDF 1.1 N-Triples (https://www.w3.org/TR/n-triples/#grammar):
an IRI between angle brackets as given, a lexical form in double quotes with ``"``,
``\\``, line feed and carriage return escaped (``ECHAR``) and every other character
written as itself.

>>> out = NTriplesSink()
>>> out.link("http://x/a", "http://x/b", "http://x/c")
>>> out.text("http://x/a", "http://x/d", 'say "hi"\\n', lang="en")
>>> out.text("http://x/a", "http://x/d", "  ")
>>> out.integer("http://x/a", "http://x/e", 3)
>>> out.link("http://x/a", "http://x/b", "http://x/c")
>>> len(out)
3
>>> print(out.ntriples(), end="")
<http://x/a> <http://x/b> <http://x/c> .
<http://x/a> <http://x/d> "say \\"hi\\"\\n"@en .
<http://x/a> <http://x/e> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

_INTEGER, _BOOLEAN, _DATE = str(XSD.integer), str(XSD.boolean), str(XSD.date)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_IN_IRIS = frozenset('<>"{}|^`\\ ') | frozenset(chr(c) for c in range(0x20))
"""Characters an N-Triples IRIREF cannot hold unescaped, and the space, which no IRI holds."""


def quote_literal(lexical: str) -> str:
    """A lexical form as an N-Triples string: quoted, with the four ``ECHAR`` escapes.

    >>> print(quote_literal('a "b" \\\\ c\\r\\n'))
    "a \\"b\\" \\\\ c\\r\\n"
    """
    if '"' in lexical or "\\" in lexical or "\n" in lexical or "\r" in lexical:
        lexical = (
            lexical.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return f'"{lexical}"'


def is_writable_iri(iri: str) -> bool:
    """Whether ``iri`` can be written between angle brackets as it is.

    >>> is_writable_iri("https://w3id.org/kg-un/"), is_writable_iri("https://x.org/a b")
    (True, False)
    """
    return _NOT_IN_IRIS.isdisjoint(iri)


class TripleSink(ABC):
    """Receives a document's triples; subjects, predicates and IRI objects are strings."""

    @abstractmethod
    def link(self, subject: str, predicate: str, obj: str) -> None:
        """A triple whose object is the IRI ``obj``."""

    @abstractmethod
    def string(self, subject: str, predicate: str, value: str, lang: str = "") -> None:
        """A string literal, language-tagged if ``lang``."""

    @abstractmethod
    def integer(self, subject: str, predicate: str, value: int) -> None:
        """An ``xsd:integer`` literal."""

    @abstractmethod
    def boolean(self, subject: str, predicate: str, value: bool) -> None:
        """An ``xsd:boolean`` literal."""

    @abstractmethod
    def date(self, subject: str, predicate: str, value: str) -> None:
        """An ``xsd:date`` literal from an ISO date (``2003-12-22``)."""

    def text(self, subject: str, predicate: str, value: str | None, lang: str = "") -> None:
        """A string literal, unless ``value`` is missing or blank."""
        if value is not None and value.strip():
            self.string(subject, predicate, value, lang)


class GraphSink(TripleSink):
    """Adds the triples to an rdflib graph, which has ``prefixes`` bound."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.graph = Graph()
        for prefix, namespace in prefixes.items():
            self.graph.bind(prefix, namespace)

    def link(self, subject: str, predicate: str, obj: str) -> None:
        self.graph.add((URIRef(subject), URIRef(predicate), URIRef(obj)))

    def string(self, subject: str, predicate: str, value: str, lang: str = "") -> None:
        self.graph.add((URIRef(subject), URIRef(predicate), Literal(value, lang=lang or None)))

    def integer(self, subject: str, predicate: str, value: int) -> None:
        self.graph.add((URIRef(subject), URIRef(predicate), Literal(value)))

    def boolean(self, subject: str, predicate: str, value: bool) -> None:
        self.graph.add((URIRef(subject), URIRef(predicate), Literal(value)))

    def date(self, subject: str, predicate: str, value: str) -> None:
        self.graph.add((URIRef(subject), URIRef(predicate), Literal(value, datatype=XSD.date)))


class NTriplesSink(TripleSink):
    """Keeps the triples as N-Triples lines, in first-written order, each once.

    The caller makes sure subjects, predicates and IRI objects are IRIs
    (:func:`is_writable_iri`).
    """

    def __init__(self) -> None:
        self._lines: dict[str, None] = {}

    def link(self, subject: str, predicate: str, obj: str) -> None:
        self._lines[f"<{subject}> <{predicate}> <{obj}> .\n"] = None

    def string(self, subject: str, predicate: str, value: str, lang: str = "") -> None:
        tag = f"@{lang}" if lang else ""
        self._lines[f"<{subject}> <{predicate}> {quote_literal(value)}{tag} .\n"] = None

    def integer(self, subject: str, predicate: str, value: int) -> None:
        self._typed(subject, predicate, str(value), _INTEGER)

    def boolean(self, subject: str, predicate: str, value: bool) -> None:
        self._typed(subject, predicate, "true" if value else "false", _BOOLEAN)

    def date(self, subject: str, predicate: str, value: str) -> None:
        # rdflib keeps a YYYY-MM-DD form as written and rewrites any other; ask it for those.
        lexical = value if _ISO_DATE.fullmatch(value) else str(Literal(value, datatype=XSD.date))
        self._typed(subject, predicate, lexical, _DATE)

    def _typed(self, subject: str, predicate: str, lexical: str, datatype: str) -> None:
        self._lines[f"<{subject}> <{predicate}> {quote_literal(lexical)}^^<{datatype}> .\n"] = None

    def __len__(self) -> int:
        return len(self._lines)

    def ntriples(self) -> str:
        """The N-Triples document: one line per triple, each ending with a line feed."""
        return "".join(self._lines)


__all__ = ["GraphSink", "NTriplesSink", "TripleSink", "is_writable_iri", "quote_literal"]
