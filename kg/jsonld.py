"""A JSON-LD writer for whole datasets, with a published ``@context``.

pyoxigraph writes JSON-LD only in expanded form (full IRIs everywhere) and rdflib is far
too slow for the whole corpus, so the dumps' JSON-LD is written here: one node object
per subject, compact IRIs through a context of prefixes only (no term definitions, so
every key and value expands back without surprises), and each named graph as a
``{"@id": graph, "@graph": [...]}`` object. The same context is published as
``context.jsonld`` for clients that compact or frame the data themselves.

Literals keep their lexical form (``{"@value": "58", "@type": "xsd:integer"}``), so
the dump round-trips exactly; ``xsd:string`` literals are plain JSON strings.

The writer reads canonical N-Triples lines (what pyoxigraph serialises), sorted so that
the triples of a subject are adjacent. A canonical N-Triples string (RDF 1.1 N-Triples
§2.4: ``\\"``, ``\\\\``, ``\\b \\t \\n \\f \\r``, other controls as ``\\uXXXX``) is also a
valid JSON string of the same value, so literals are copied rather than decoded and
encoded again.

>>> compact = Compactor({"kg": "https://w3id.org/kg-un/ontology#",
...                      "res": "https://w3id.org/kg-un/resolution/"})
>>> compact("https://w3id.org/kg-un/resolution/A/RES/58/135")
'res:A/RES/58/135'
>>> compact("https://undocs.org/en/A/RES/58/135")
'https://undocs.org/en/A/RES/58/135'
>>> print(jsonld_graph("https://w3id.org/kg-un/resolution/A/RES/58/135",
...     '<https://w3id.org/kg-un/resolution/A/RES/58/135> '
...     '<https://w3id.org/kg-un/ontology#session> '
...     '"58"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n', compact))
{"@id": "res:A/RES/58/135", "@graph": [
{"@id": "res:A/RES/58/135", "kg:session": [{"@value": "58", "@type": "http://www.w3.org/2001/XMLSchema#integer"}]}
]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

from kg.errors import KgError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_TYPE = f"<{RDF_TYPE}>"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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
        # Namespaces by their first characters, longest first in each bucket: an IRI
        # is checked against the few namespaces that begin as it does.
        self._head = min(map(len, context.values()), default=0)
        self._buckets: dict[str, list[tuple[str, str]]] = {}
        for prefix, namespace in sorted(context.items(), key=lambda item: -len(item[1])):
            self._buckets.setdefault(namespace[: self._head], []).append((namespace, prefix))
        self._schemes = set(context)
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        """The compact form of ``iri``, or the IRI itself when no prefix fits.

        Raises:
            KgError: if the IRI's scheme is also a prefix name and it cannot be compacted.
        """
        for namespace, prefix in self._buckets.get(iri[: self._head], ()):
            if iri.startswith(namespace):
                suffix = iri[len(namespace) :]
                if suffix and not suffix.startswith("//"):
                    return prefix + ":" + suffix
                break
        if iri.partition(":")[0] in self._schemes:
            raise KgError(f"<{iri}>: its scheme is a JSON-LD prefix name", "Rename the prefix")
        return iri

    def term(self, iri: str) -> str:
        """:meth:`__call__`, cached: for the few IRIs on every line (properties, types)."""
        found = self._cache.get(iri)
        if found is None:
            found = self._cache[iri] = self(iri)
        return found


def jsonld_document(graphs: Iterable[bytes], prefixes: Mapping[str, str]) -> Iterator[bytes]:
    """One JSON-LD document of named graphs, each a graph object from :func:`jsonld_graph`.

    >>> graphs = [b'{"@id": "g:1", "@graph": []}']
    >>> print(b"".join(jsonld_document(graphs, {"g": "urn:g/"})).decode())
    {
    "@context": {
     "g": "urn:g/"
    },
    "@graph": [
    {"@id": "g:1", "@graph": []}
    ]}
    <BLANKLINE>
    """
    context = json.dumps(jsonld_context(prefixes)["@context"], indent=1, ensure_ascii=False)
    yield ('{\n"@context": ' + context + ',\n"@graph": [').encode()
    separator = b"\n"
    for graph in graphs:
        yield separator
        yield graph
        separator = b",\n"
    yield b"\n]}\n"


def jsonld_graph(graph: str, ntriples: str, compact: Compactor) -> str:
    """One named graph as a JSON-LD graph object, from its sorted canonical N-Triples.

    Raises:
        KgError: for an RDF-star quoted triple.
    """
    if "<<" in ntriples:  # maybe a quoted triple (or "<<" inside a literal)
        _check_no_quoted_triples(ntriples)
    parts = ['{"@id": "', compact(graph), '", "@graph": [']
    separator = "\n"
    subject = ""
    node: dict[str, list[str]] = {}
    keys: dict[str, str] = {}  # predicate -> its key
    objects: dict[str, str] = {}  # IRI object -> its JSON value
    for line in ntriples.split("\n")[:-1]:
        s, p, o = line.split(" ", 2)
        if s != subject:
            if node:
                parts.append(separator)
                parts.append(_node(subject, node, compact))
                separator = ",\n"
            subject, node = s, {}
        o = o[:-2]  # the final " ."
        first = o[0]
        if first == "<":
            value = objects.get(o)
            if value is None:
                value = objects[o] = '{"@id": "' + compact(o[1:-1]) + '"}'
            if p == _RDF_TYPE:
                # rdf:type with an IRI object is JSON-LD's @type (a compact IRI, no @id).
                p, value = "@type", value[8:-1]
        elif first == '"':
            value = o if o[-1] == '"' and "\\u" not in o else _literal(o, compact)
        else:
            value = '{"@id": "' + o + '"}'
        key = keys.get(p)
        if key is None:
            key = keys[p] = "@type" if p == "@type" else compact.term(p[1:-1])
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    if node:
        parts.append(separator)
        parts.append(_node(subject, node, compact))
    parts.append("\n]}")
    return "".join(parts)


def _check_no_quoted_triples(ntriples: str) -> None:
    for line in ntriples.split("\n"):
        subject, _, rest = line.partition(" ")
        if subject.startswith("<<") or rest.partition(" ")[2].startswith("<<"):
            raise KgError(f"{line}: no JSON-LD for quoted triples", "Dump without RDF-star")


def _node(subject: str, node: dict[str, list[str]], compact: Compactor) -> str:
    """A node object, as ``json.dumps`` writes it (``", "`` and ``": "`` separators)."""
    ident = compact(subject[1:-1]) if subject[0] == "<" else subject
    members = "".join(f', "{key}": [{", ".join(values)}]' for key, values in node.items())
    return '{"@id": "' + ident + '"' + members + "}"


def _literal(literal: str, term: Compactor) -> str:
    """The JSON value of a canonical N-Triples literal."""
    end = literal.rindex('"') + 1
    lexical = literal[:end]
    if "\\u" in lexical:
        # Same value either way; json.dumps writes control characters in lower case.
        lexical = json.dumps(json.loads(lexical), ensure_ascii=False)
    if end == len(literal):
        return lexical
    if literal[end] == "@":
        language, _, direction = literal[end + 1 :].partition("--")
        value = '{"@value": ' + lexical + ', "@language": "' + language + '"'
        return value + (', "@direction": "' + direction + '"}' if direction else "}")
    datatype = literal[end + 3 : -1]
    if datatype == XSD_STRING:
        return lexical
    return '{"@value": ' + lexical + ', "@type": "' + term.term(datatype) + '"}'
