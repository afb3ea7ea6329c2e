"""A streaming JSON-LD writer for whole datasets, with a published ``@context``.

pyoxigraph writes JSON-LD only in expanded form (full IRIs everywhere) and rdflib is far
too slow for the whole corpus, so the dumps' JSON-LD is written here: one node object
per subject, compact IRIs through a context of prefixes only (no term definitions, so
every key and value expands back without surprises), and each named graph as a
``{"@id": graph, "@graph": [...]}`` object. The same context is published as
``context.jsonld`` for clients that compact or frame the data themselves.

Literals keep their lexical form (``{"@value": "58", "@type": "xsd:integer"}``), so
the dump round-trips exactly; ``xsd:string`` literals are plain JSON strings.

>>> compact = Compactor({"kg": "https://w3id.org/kg-un/ontology#",
...                      "res": "https://w3id.org/kg-un/resolution/"})
>>> compact("https://w3id.org/kg-un/resolution/A/RES/58/135")
'res:A/RES/58/135'
>>> compact("https://undocs.org/en/A/RES/58/135")
'https://undocs.org/en/A/RES/58/135'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from kg.errors import KgError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
_GEN_DELIMS = ":/?#[]@"

JsonObject = dict[str, object]


def jsonld_context(prefixes: Mapping[str, str]) -> JsonObject:
    """The ``@context`` document: the prefixes usable in compact IRIs (JSON-LD 1.1 §4.4).

    >>> jsonld_context({"kg": "https://w3id.org/kg-un/ontology#", "odd": "urn:x"})
    {'@context': {'kg': 'https://w3id.org/kg-un/ontology#'}}
    """
    return {"@context": {p: ns for p, ns in prefixes.items() if ns and ns[-1] in _GEN_DELIMS}}


class Compactor:
    """Turns IRIs into compact IRIs ``prefix:suffix`` with the longest matching namespace."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        context = jsonld_context(prefixes)["@context"]
        assert isinstance(context, dict)
        self._by_namespace = {ns: p for p, ns in context.items()}
        # Longest namespaces first: the regex takes the first alternative that matches.
        longest_first = sorted(self._by_namespace, key=len, reverse=True)
        self._namespace = re.compile("|".join(map(re.escape, longest_first)) or "(?!)")
        self._schemes = set(context)
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        """The compact form of ``iri``, or the IRI itself when no prefix fits.

        Raises:
            KgError: if the IRI's scheme is also a prefix name and it cannot be compacted.
        """
        match = self._namespace.match(iri)
        if match is not None:
            suffix = iri[match.end() :]
            if suffix and not suffix.startswith("//"):
                return f"{self._by_namespace[match[0]]}:{suffix}"
        if iri.split(":", 1)[0] in self._schemes:
            raise KgError(f"<{iri}>: its scheme is a JSON-LD prefix name", "Rename the prefix")
        return iri

    def term(self, iri: str) -> str:
        """:meth:`__call__`, cached: for the few IRIs on every line (properties, types)."""
        found = self._cache.get(iri)
        if found is None:
            found = self._cache[iri] = self(iri)
        return found


def write_jsonld(quads: Iterable[Quad], output: IO[str], prefixes: Mapping[str, str]) -> None:
    """Write named-graph ``quads``, grouped by graph then by subject, as one JSON-LD document.

    Raises:
        KgError: for a quad in the default graph or an RDF-star quoted triple.
    """
    compact = Compactor(prefixes)
    output.write('{\n"@context": ')
    output.write(json.dumps(jsonld_context(prefixes)["@context"], indent=1, ensure_ascii=False))
    output.write(',\n"@graph": [')
    graph: object = None
    subject: object = None
    node: JsonObject | None = None
    graph_separator = node_separator = "\n"
    for quad in quads:
        if node is not None and (quad.graph_name != graph or quad.subject != subject):
            output.write(node_separator + json.dumps(node, ensure_ascii=False))
            node_separator, node = ",\n", None
        if quad.graph_name != graph:
            name = json.dumps(_id(quad.graph_name, compact))
            output.write(("" if graph is None else "\n]}") + graph_separator)
            output.write(f'{{"@id": {name}, "@graph": [')
            graph, graph_separator, node_separator = quad.graph_name, ",\n", "\n"
        if node is None:
            subject = quad.subject
            node = {"@id": _id(subject, compact)}
        _add(node, quad, compact)
    if node is not None:
        output.write(node_separator + json.dumps(node, ensure_ascii=False))
    output.write(("" if graph is None else "\n]}") + "\n]}\n")


def _add(node: JsonObject, quad: Quad, compact: Compactor) -> None:
    predicate = quad.predicate.value
    obj = quad.object
    key: str
    value: object
    if predicate == RDF_TYPE and isinstance(obj, NamedNode):
        key, value = "@type", compact.term(obj.value)
    else:
        key, value = compact.term(predicate), _value(obj, compact)
    values = node.setdefault(key, [])
    assert isinstance(values, list)
    values.append(value)


def _id(term: object, compact: Compactor) -> str:
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    raise KgError(f"{term}: no JSON-LD @id for it", "Dump named graphs, without RDF-star")


def _value(term: object, compact: Compactor) -> object:
    if not isinstance(term, Literal):
        return {"@id": _id(term, compact)}
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return term.value
    value: JsonObject = {"@value": term.value}
    if term.language:
        value["@language"] = term.language
        if datatype == RDF_DIR_LANG_STRING and term.direction is not None:
            value["@direction"] = str(term.direction)
    elif datatype != RDF_LANG_STRING:
        value["@type"] = compact.term(datatype)
    return value
