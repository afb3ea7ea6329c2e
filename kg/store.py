"""The RDF store: the only module that wraps ``pyoxigraph.Store``.

:func:`open_store` returns a :class:`GraphStore`: an embedded Oxigraph store (in
memory, or on disk in a RocksDB directory) or, for an ``http(s)://`` location, a
:class:`kg.remote.RemoteGraphStore` that speaks the SPARQL 1.1 protocols to any
SPARQL server. Both answer queries with pyoxigraph's own result types, so callers
never care which one they hold. The default graph of every query is the union of
all graphs (see ``docs/data-model.md``).

Writing. Each document lives in its own named graph, and :meth:`GraphStore.replace_graphs`
swaps graphs wholesale: the embedded store runs one SPARQL update ``DROP SILENT GRAPH
<g> ; INSERT DATA { GRAPH <g> { … } }`` for all the graphs given, which Oxigraph applies
in one RocksDB transaction (``Store.extend`` only adds and ``bulk_extend``/``bulk_load``
are not transactional at all). A process killed at any moment therefore leaves every
graph either old or new, and loading the same input twice gives the same quads.

rdflib graphs enter here only, as N-Triples re-parsed by pyoxigraph: rdflib holds one
document's small graph; the corpus stays in Oxigraph.

Reading while writing. Oxigraph forbids a read-only opener while another process
writes to the same directory, so ``kg build`` writes into a staging copy and swaps it
in (:func:`kg.staging.staging_store`); a read-only store notices the swap through
:meth:`EmbeddedGraphStore.refresh`.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    Store,
    Triple,
    Variable,
    parse,
)

from kg.errors import NotFoundError, ParseError, QueryError, StoreError
from kg.formats import rdf_format_for_extension

Term: TypeAlias = NamedNode | BlankNode | Literal | Triple
"""An RDF term as pyoxigraph represents it."""

QueryResult: TypeAlias = QuerySolutions | QueryBoolean | QueryTriples
"""What :meth:`GraphStore.query` returns: rows, a boolean or triples."""

GraphData: TypeAlias = rdflib.Graph | str | bytes | Sequence[Triple]
"""A graph to store: an rdflib graph, N-Triples text, or pyoxigraph triples."""

MEMORY = ":memory:"

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
            sparql = f"SELECT (COUNT(*) AS ?n) {{ GRAPH {NamedNode(graph)} {{ ?s ?p ?o }} }}"
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


class EmbeddedGraphStore(GraphStore):
    """A pyoxigraph store in this process, in memory or in a RocksDB directory."""

    def __init__(self, store: Store, location: str, *, read_only: bool = False) -> None:
        self._store: Store | None = store
        self.location = location
        self.read_only = read_only
        self._identity = _dir_identity(location)

    @property
    def oxigraph(self) -> Store:
        """The underlying ``pyoxigraph.Store``, for callers that stream from it.

        Raises:
            StoreError: if the store was closed.
        """
        if self._store is None:
            raise StoreError(self.location, "the store is closed", "Open it again")
        return self._store

    def _replace(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        operations = []
        for name, triples in graphs.items():
            graph = str(_named_node(name))
            operations.append(f"DROP SILENT GRAPH {graph}")
            if triples:
                body = " .\n".join(map(str, triples))
                operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body} .\n}} }}")
        if not operations:
            return
        try:
            self.oxigraph.update(" ;\n".join(operations))
        except (OSError, SyntaxError) as e:
            raise StoreError(self.location, f"cannot write graphs: {e}") from e

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        use_default_graph_as_union: bool = True,
        name: str = "query",
    ) -> QueryResult:
        variables = check_substitutions(substitutions, name)
        try:
            result: QueryResult = self.oxigraph.query(
                sparql,
                substitutions=variables or None,
                use_default_graph_as_union=use_default_graph_as_union,
            )
        except SyntaxError as e:
            raise QueryError(name, str(e), "Check the SPARQL syntax") from e
        except RuntimeError as e:
            # e.g. a substituted variable missing from the SELECT projection
            raise QueryError(name, str(e), "Project every parameter variable") from e
        except OSError as e:
            raise StoreError(self.location, f"cannot read the store: {e}") from e
        return result

    def graph_names(self) -> list[str]:
        try:
            names = self.oxigraph.named_graphs()
            return sorted(g.value for g in names if isinstance(g, NamedNode))
        except OSError as e:
            raise StoreError(self.location, f"cannot read the store: {e}") from e

    def graph_ntriples(self, graph: str) -> bytes:
        try:
            data = self.oxigraph.dump(format=RdfFormat.N_TRIPLES, from_graph=_named_node(graph))
        except OSError as e:
            raise StoreError(self.location, f"cannot read graph <{graph}>: {e}") from e
        return data or b""

    def flush(self) -> None:
        if not self.read_only:
            _call(self.location, self.oxigraph.flush)

    def optimize(self) -> None:
        if not self.read_only:
            _call(self.location, self.oxigraph.optimize)

    def refresh(self) -> bool:
        """Reopen a read-only on-disk store if a build swapped its directory; True if it did.

        Raises:
            StoreError: if the new directory cannot be opened.
        """
        identity = _dir_identity(self.location)
        if not self.read_only or identity is None or identity == self._identity:
            return False
        self._store = _open_oxigraph(Path(self.location), read_only=True)
        self._identity = identity
        return True

    def close(self) -> None:
        # Oxigraph releases RocksDB (and its lock) when the last reference goes.
        self._store = None


def open_store(location: str | Path | None, *, read_only: bool = False) -> GraphStore:
    """Open the store at ``location``: ``None`` in memory, a directory, or an HTTP(S) URL.

    A directory that does not exist is created (unless ``read_only``). A URL names a
    SPARQL server; see :mod:`kg.remote` for its endpoints and credentials.

    Raises:
        StoreError: if the store is locked, missing (read-only), corrupt or not a store.
    """
    if location is None or str(location) == MEMORY:
        return EmbeddedGraphStore(Store(), MEMORY, read_only=read_only)
    text = str(location)
    if re.match(r"^https?://", text):
        # Imported here because kg.remote builds on this module.
        from kg.remote import RemoteGraphStore

        return RemoteGraphStore.from_url(text, read_only=read_only)
    path = Path(location)
    return EmbeddedGraphStore(
        _open_oxigraph(path, read_only=read_only), str(path), read_only=read_only
    )


def read_rdf_file(path: Path, *, base_iri: str | None = None) -> list[Triple]:
    """The triples of an RDF file, its format chosen by extension; named graphs are refused.

    Raises:
        ParseError: if the file cannot be read, its extension is unknown or it is not valid.
    """
    fmt = rdf_format_for_extension(path.name)
    if fmt is None:
        raise ParseError(str(path), "unknown RDF file extension", hint="Use .ttl, .nt or .rdf")
    try:
        quads = parse(path=path, format=fmt, base_iri=base_iri, without_named_graphs=True)
        return [quad.triple for quad in quads]
    except SyntaxError as e:
        raise _parse_error(str(path), e) from e
    except OSError as e:
        raise ParseError(str(path), f"cannot read the file: {e.strerror or e}") from e


def check_substitutions(
    substitutions: Mapping[str, Term] | None, name: str
) -> dict[Variable, Term]:
    """Substitutions keyed by SPARQL variable.

    Raises:
        QueryError: if a name is not a SPARQL variable name.
    """
    variables = {}
    for key, value in (substitutions or {}).items():
        try:
            variables[Variable(key)] = value
        except ValueError as e:
            raise QueryError(name, f"not a variable name: {key!r}") from e
    return variables


def triples_result(data: bytes, fmt: RdfFormat) -> QueryTriples:
    """Wrap serialised triples (a remote CONSTRUCT's answer) as pyoxigraph query triples.

    Raises:
        ParseError: if ``data`` is not valid in ``fmt``.
    """
    scratch = Store()
    try:
        scratch.load(data, fmt)
    except SyntaxError as e:
        raise _parse_error("SPARQL server answer", e) from e
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, QueryTriples)
    return result


def _triples_of(name: str, data: GraphData) -> Sequence[Triple]:
    _named_node(name)
    if isinstance(data, rdflib.Graph):
        data = data.serialize(format="nt", encoding="utf-8")
    if isinstance(data, str | bytes):
        try:
            # Fresh blank-node labels per graph: two documents never share a blank node.
            quads = parse(data, RdfFormat.N_TRIPLES, rename_blank_nodes=True)
            return [quad.triple for quad in quads]
        except SyntaxError as e:
            raise _parse_error(f"graph <{name}>", e) from e
    return data


def _parse_error(source: str, error: SyntaxError) -> ParseError:
    message = str(error)
    match = re.search(r"(?:at|on line) (\d+):(\d+)", message)
    line, column = (int(match[1]), int(match[2])) if match else (None, None)
    return ParseError(source, f"invalid RDF: {message}", line, column, "Fix the syntax")


def _named_node(iri: str) -> NamedNode:
    try:
        return NamedNode(iri)
    except ValueError as e:
        raise StoreError(iri, "not a valid graph IRI", "Graph names are absolute IRIs") from e


def _open_oxigraph(path: Path, *, read_only: bool) -> Store:
    where = str(path)
    if path.exists() and not path.is_dir():
        raise StoreError(where, "is a file, not a store directory", "Give a directory path")
    is_store = (path / "CURRENT").is_file()
    if read_only and not is_store:
        raise StoreError(where, "no store here", "Build one first with `kg build --store PATH`")
    if not is_store and path.is_dir() and any(path.iterdir()):
        raise StoreError(
            where, "the directory is not empty and holds no store", "Give an empty directory"
        )
    try:
        return Store.read_only(where) if read_only else Store(where)
    except OSError as e:
        detail = str(e)
        if "lock" in detail.lower():
            raise StoreError(
                where,
                "the store is locked by another process",
                "Wait for the other `kg build` to finish; `kg serve` opens read-only",
            ) from e
        if "corrupt" in detail.lower():
            raise StoreError(where, f"the store is corrupt: {detail}", "Rebuild it") from e
        raise StoreError(where, f"cannot open the store: {detail}") from e


def _dir_identity(location: str) -> tuple[int, int] | None:
    try:
        info = os.stat(location)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _call(location: str, action: Callable[[], None]) -> None:
    try:
        action()
    except OSError as e:
        raise StoreError(location, f"store operation failed: {e}") from e
