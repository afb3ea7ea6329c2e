"""The interface of kg's stores: what the embedded store and a remote SPARQL server share.

:class:`GraphStore` holds the logic both kinds have in common (graph replacement from
rdflib graphs or N-Triples, SPARQL helpers, ``describe``) on top of a few primitives
each implements. rdflib graphs enter the store layer only here, as N-Triples
re-parsed by pyoxigraph: rdflib holds one document's small graph; the corpus stays
in Oxigraph. Open a store with :func:`kg.store.open_store`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TypeAlias

import rdflib
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    parse,
)

from kg.errors import NotFoundError, ParseError, QueryError, StoreError
from kg.rdfio import Term, one_line, parse_ntriples, read_rdf_file

QueryResult: TypeAlias = QuerySolutions | QueryBoolean | QueryTriples
"""What :meth:`GraphStore.query` returns: rows, a boolean or triples."""

GraphData: TypeAlias = rdflib.Graph | str | bytes | Sequence[Triple]
"""A graph to store: an rdflib graph, N-Triples text, or pyoxigraph triples."""

# CONSTRUCT the simple concise bounded description of ?root: its own triples and
# those of blank nodes reachable from it (two levels deep; kg mints IRIs for nearly
# everything). One query, so blank nodes stay consistent on a remote store too.
_DESCRIBE = """CONSTRUCT { ?s ?p ?o } WHERE {
  { VALUES ?s { %(root)s } ?s ?p ?o }
  UNION { %(root)s ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
  UNION { %(root)s ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }
}"""


class GraphStore(ABC):
    """A quad store holding kg's named graphs; what :func:`open_store` returns."""

    location: str
    read_only: bool

    # -- writing -----------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[str, GraphData]) -> None:
        """Replace each named graph with the data given; an empty graph removes the name.

        Raises:
            StoreError: if the store is read-only or cannot be written.
            ParseError: if N-Triples text given is not valid.
        """
        self._check_writable()
        parsed = {name: _triples_of(name, data) for name, data in graphs.items()}
        self._replace(parsed)

    def add_new_graphs(self, graphs: Mapping[str, str | bytes]) -> None:
        """Add named graphs that the store does not hold yet, from N-Triples, in bulk.

        The fast way to fill a store nobody reads yet (a build's staging store): unlike
        :meth:`replace_graphs` it is not atomic, so a process killed midway may leave some
        of these graphs partly written. This default writes them like ``replace_graphs``.

        Raises:
            StoreError: if the store is read-only or cannot be written.
            ParseError: if the N-Triples are not valid.
        """
        self.replace_graphs(graphs)

    @abstractmethod
    def add_new_graph_lines(self, graph: str, pieces: Iterable[str | bytes]) -> None:
        """Add one named graph the store does not hold yet from N-Triples in pieces, in bulk.

        For graphs of millions of lines: the pieces (any split of the text; one per
        record, say) are read once, as they come, and never all held at once. Not atomic,
        like :meth:`add_new_graphs`. The text must hold no blank nodes: a store may load
        it in batches, and a blank node could not be told apart from another batch's.

        Raises:
            StoreError: if the store is read-only or cannot be written.
            ParseError: if the text is not valid N-Triples, or holds a blank node.
        """

    @abstractmethod
    def replace_graph_lines(self, graph: str, pieces: Iterable[str | bytes]) -> None:
        """Replace one named graph with N-Triples given in pieces, in one transaction.

        Like :meth:`add_new_graph_lines`, without holding the text at once; like
        :meth:`replace_graphs`, atomic. Empty text removes the graph.

        Raises:
            StoreError: if the store is read-only or cannot be written.
            ParseError: if the text is not valid N-Triples, or holds a blank node.
        """

    def replace_document(self, graph_iri: str, graph: GraphData) -> None:
        """Replace one document's named graph (idempotent).

        Raises:
            StoreError: if the store is read-only or cannot be written.
        """
        self.replace_graphs({graph_iri: graph})

    def load_files(self, paths: Iterable[Path], graph: str, *, base_iri: str | None = None) -> int:
        """Replace ``graph`` with the union of RDF files (format from each extension).

        Relative IRIs resolve against ``base_iri`` (reference data is written relative
        to the dataset base). Returns the number of triples loaded.

        Raises:
            ParseError: if a file is not valid RDF, or its extension is unknown.
            StoreError: if the store is read-only or cannot be written.
        """
        self._check_writable()
        triples: list[Triple] = []
        for path in paths:
            triples.extend(read_rdf_file(Path(path), base_iri=base_iri))
        self._replace({graph: triples})
        return len(triples)

    def load_file(self, path: Path, graph: str, *, base_iri: str | None = None) -> int:
        """Replace ``graph`` with one RDF file; see :meth:`load_files`.

        Raises:
            ParseError: if the file is not valid RDF.
            StoreError: if the store is read-only or cannot be written.
        """
        return self.load_files([path], graph, base_iri=base_iri)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(
                self.location, "the store is open read-only", "Writes go through `kg build`"
            )

    @abstractmethod
    def _replace(self, graphs: Mapping[str, Sequence[Triple]]) -> None: ...

    # -- reading -----------------------------------------------------------------

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        use_default_graph_as_union: bool = True,
        name: str = "query",
    ) -> QueryResult:
        """Run a SPARQL query; ``substitutions`` bind variables before evaluation (SEP-0007).

        ``name`` (a stored query's name) prefixes error messages.

        Raises:
            QueryError: if the query is not valid SPARQL.
            StoreError: if the store cannot be read.
        """

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted.

        Raises:
            StoreError: if the store cannot be read.
        """

    @abstractmethod
    def graph_ntriples(self, graph: str) -> bytes:
        """The triples of one named graph as N-Triples, in no particular order.

        Raises:
            StoreError: if the store cannot be read.
        """

    def select_rows(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        use_default_graph_as_union: bool = True,
        name: str = "query",
    ) -> tuple[list[str], list[dict[str, Term]]]:
        """Run a SELECT query and return its variable names and rows (unbound omitted).

        Raises:
            QueryError: if the query is not a valid SELECT query.
            StoreError: if the store cannot be read.
        """
        result = self.query(
            sparql,
            substitutions=substitutions,
            use_default_graph_as_union=use_default_graph_as_union,
            name=name,
        )
        if not isinstance(result, QuerySolutions):
            raise QueryError(name, "expected a SELECT query", "Use query() for ASK/CONSTRUCT")
        names = [v.value for v in result.variables]
        rows = []
        try:
            for solution in result:
                rows.append({n: t for n in names if (t := solution[n]) is not None})
        except OSError as e:
            raise StoreError(self.location, f"cannot read the store: {e}") from e
        return names, rows

    def select_values(self, sparql: str, *, name: str = "query") -> Iterator[tuple[str, ...]]:
        """The rows of a SELECT query as tuples of values in the order of its variables:
        an IRI's text, a literal's lexical form, ``""`` where a variable is unbound.

        For scans of many rows: no dictionary is made per row.

        Raises:
            QueryError: if the query is not a valid SELECT query.
            StoreError: if the store cannot be read.
        """
        result = self.query(sparql, name=name)
        if not isinstance(result, QuerySolutions):
            raise QueryError(name, "expected a SELECT query", "Use query() for ASK/CONSTRUCT")
        width = range(len(result.variables))
        try:
            for row in result:
                yield tuple(_text(row[i]) for i in width)
        except OSError as e:
            raise StoreError(self.location, f"cannot read the store: {e}") from e

    def describe(self, iri: str) -> list[Triple]:
        """The triples about ``iri`` across all graphs, with its blank-node closure, sorted.

        Raises:
            NotFoundError: if no triple has ``iri`` as subject.
            StoreError: if the store cannot be read.
        """
        try:
            root = str(NamedNode(iri))
        except ValueError as e:
            raise NotFoundError("resource", iri, "Not a valid IRI") from e
        result = self.query(_DESCRIBE % {"root": root}, name="describe")
        triples = sorted(set(result), key=str) if isinstance(result, QueryTriples) else []
        if not triples:
            raise NotFoundError("resource", iri)
        return triples

    def count_triples(self, graph: str | None = None) -> int:
        """Distinct triples in one named graph, or in the union of all graphs.

        Raises:
            StoreError: if the store cannot be read.
        """
        if graph is None:
            sparql = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
        else:
            name = named_graph_node(graph)
            sparql = f"SELECT (COUNT(*) AS ?n) {{ GRAPH {name} {{ ?s ?p ?o }} }}"
        _, rows = self.select_rows(sparql, name="count")
        count = rows[0]["n"] if rows else None
        return int(count.value) if isinstance(count, Literal) else 0

    # -- lifecycle ---------------------------------------------------------------

    @abstractmethod
    def flush(self) -> None:
        """Make written data durable now (a no-op where the backend does it itself).

        Raises:
            StoreError: if the store cannot be written.
        """

    @abstractmethod
    def optimize(self) -> None:
        """Compact the store after a large load (a no-op where not applicable).

        Raises:
            StoreError: if the store cannot be written.
        """

    @abstractmethod
    def close(self) -> None:
        """Release the store; it cannot be used afterwards."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<{type(self).__name__} {self.location} {mode}>"


def _text(term: object) -> str:
    """A result term's value (an IRI's text, a literal's lexical form); ``""`` if unbound."""
    return "" if term is None else str(getattr(term, "value", term))


def _triples_of(name: str, data: GraphData) -> Sequence[Triple]:
    named_graph_node(name)
    if isinstance(data, rdflib.Graph):
        data = data.serialize(format="nt", encoding="utf-8")
    if isinstance(data, str | bytes):
        # Fresh blank-node labels per graph: two documents never share a blank node.
        return parse_ntriples(data, f"graph <{name}>", rename_blank_nodes=True)
    return data


BATCH_BYTES = 16 << 20
"""The size of the batches :func:`ntriples_batches` makes: large enough that Oxigraph's
bulk loader runs at speed, small enough that its memory stays a few hundred megabytes."""


def ntriples_batches(
    pieces: Iterable[str | bytes], source: str, size: int = BATCH_BYTES
) -> Iterator[tuple[bytes, int]]:
    """N-Triples text given in pieces, regrouped into batches of whole lines of about ``size``
    bytes; each batch comes with the number of its first line. ``source`` names it in errors.

    Raises:
        ParseError: if the text holds a blank node.
    """
    held: list[bytes] = []
    length, line = 0, 1
    for piece in pieces:
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        held.append(data)
        length += len(data)
        if length < size:
            continue
        joined = b"".join(held)
        cut = joined.rfind(b"\n") + 1
        held, length = [joined[cut:]], len(joined) - cut
        if cut:
            batch = joined[:cut]
            _refuse_blank_nodes(batch, source, line)
            yield batch, line
            line += batch.count(b"\n")
    if rest := b"".join(held):
        _refuse_blank_nodes(rest, source, line)
        yield rest, line


def _refuse_blank_nodes(data: bytes, source: str, first_line: int) -> None:
    if b"_:" not in data:
        return
    for number, line in enumerate(data.split(b"\n"), start=first_line):
        if b"_:" not in line:
            continue
        try:
            quads = list(parse(line, RdfFormat.N_TRIPLES))
        except SyntaxError:
            continue  # reported, with its line, by whatever reads the text
        if any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object)):
            raise ParseError(
                source,
                "a blank node in text loaded in batches",
                number,
                hint="Name the node with an IRI, or use replace_graphs",
            )


def batch_parse_error(source: str, error: SyntaxError, first_line: int) -> ParseError:
    """A syntax error in a batch of :func:`ntriples_batches`, at its line in the whole text."""
    # The parser's own message gives the position in the batch: keep only what it found.
    found = re.sub(r"^Parser error (?:at|between) [^:]*: ", "", one_line(error.msg))
    return ParseError(
        source,
        f"invalid RDF: {found}",
        None if error.lineno is None else error.lineno + first_line - 1,
        error.offset,
        "Fix the syntax",
    )


def named_graph_node(iri: str) -> NamedNode:
    """The graph name ``iri`` as a pyoxigraph node.

    Raises:
        StoreError: if ``iri`` is not an absolute IRI.
    """
    try:
        return NamedNode(iri)
    except ValueError as e:
        raise StoreError(iri, "not a valid graph IRI", "Graph names are absolute IRIs") from e
