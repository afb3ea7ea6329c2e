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
A derived graph of millions of triples (the lineage) comes as text in pieces:
:meth:`EmbeddedGraphStore.replace_graph_lines` keeps it atomic with one transaction that
writes only the triples that changed, and a graph the store does not hold yet is
bulk-loaded in batches from a scratch file (:meth:`EmbeddedGraphStore.add_new_graph_lines`).

Reading while writing. Oxigraph forbids a read-only opener while another process
writes to the same directory, so ``kg build`` writes into a staging copy and swaps it
in (:func:`kg.staging.staging_store`); a read-only store notices the swap through
:meth:`EmbeddedGraphStore.refresh`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, QueryTriples, RdfFormat, Store, Triple

from kg.errors import QueryError, StoreError
from kg.graphstore import GraphData as GraphData
from kg.graphstore import GraphStore as GraphStore
from kg.graphstore import QueryResult as QueryResult
from kg.graphstore import batch_parse_error, named_graph_node, ntriples_batches
from kg.rdfio import Term as Term
from kg.rdfio import check_substitutions, one_line, parse_error, parse_ntriples

MEMORY = ":memory:"
"""The location of an in-memory store."""


class EmbeddedGraphStore(GraphStore):
    """A pyoxigraph store in this process, in memory or in a RocksDB directory."""

    def __init__(self, store: Store, location: str, *, read_only: bool = False) -> None:
        self._store: Store | None = store
        self.location = location
        self.read_only = read_only
        self._identity = None if location == MEMORY else _dir_identity(location)

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
            graph = str(named_graph_node(name))
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

    def add_new_graphs(self, graphs: Mapping[str, str | bytes]) -> None:
        """Bulk-load the graphs (pyoxigraph's bulk loader: about three times faster than
        a transactional update, and not atomic); see :meth:`GraphStore.add_new_graphs`."""
        self._check_writable()
        if not graphs:
            return
        data = b"".join(_nquads(name, text) for name, text in graphs.items())
        try:
            self.oxigraph.bulk_load(data, format=RdfFormat.N_QUADS)
        except SyntaxError as e:
            for name, text in graphs.items():  # name the graph and its line, not the batch's
                parse_ntriples(text, f"graph <{name}>")
            raise parse_error(f"graphs {', '.join(sorted(graphs))}", e) from e
        except OSError as e:
            raise StoreError(self.location, f"cannot write graphs: {e}") from e

    def add_new_graph_lines(self, graph: str, pieces: Iterable[str | bytes]) -> None:
        """Bulk-load the graph once all of it is made; see :meth:`GraphStore.add_new_graph_lines`.

        The pieces are written to a scratch file as they come, then loaded from it in
        batches of :data:`~kg.graphstore.BATCH_BYTES`: the text of a large graph (600 MB
        for the lineage of 20,000 resolutions) is never in memory. Loading only once the
        text is made leaves the cores to whatever makes it (the lineage aligns in two
        processes). Measured on that lineage step: loaded side by side with the alignment
        52.9 s; from the scratch file in 16 MB batches 46.7-48.4 s and 0.6 GB, in 64 MB
        batches 51 s and 0.85 GB, in one load 41.3 s and 1.9 GB.
        """
        self._check_writable()
        node = named_graph_node(graph)
        source = f"graph <{graph}>"
        with tempfile.TemporaryFile(prefix="kg-load-") as spool:
            batches = []
            for batch, first_line in ntriples_batches(pieces, source):
                batches.append((len(batch), first_line))
                spool.write(batch)
            spool.seek(0)
            for size, first_line in batches:
                try:
                    self.oxigraph.bulk_load(
                        spool.read(size), format=RdfFormat.N_TRIPLES, to_graph=node
                    )
                except SyntaxError as e:
                    raise batch_parse_error(source, e, first_line) from e
                except OSError as e:
                    raise StoreError(self.location, f"cannot write {source}: {e}") from e

    def replace_graph_lines(self, graph: str, pieces: Iterable[str | bytes]) -> None:
        """Replace the graph in one transaction that writes only the triples that changed.

        An Oxigraph transaction holds its writes in memory, over a kilobyte a triple, so
        swapping a graph of millions of triples wholesale takes gigabytes and minutes,
        while a graph recomputed after a build mostly comes out as it was. The new text is
        put in the store's own form by a scratch store (which keeps ``"1.000"^^xsd:decimal``
        as ``"1"``) and compared with the stored graph by digests of their lines. Both are
        written to scratch files by other threads while the text is being made.
        """
        self._check_writable()
        node = named_graph_node(graph)
        source = f"graph <{graph}>"
        with (
            tempfile.TemporaryDirectory(prefix="kg-graph-") as scratch,
            ThreadPoolExecutor(max_workers=2) as workers,
        ):
            new_path, old_path = Path(scratch, "new.nt"), Path(scratch, "old.nt")
            dumped = workers.submit(self._dump_graph, node, old_path)
            with new_path.open("wb") as new:
                pending: Future[bytes] | None = None
                for batch, first_line in ntriples_batches(pieces, source):
                    if pending is not None:
                        new.write(pending.result())
                    pending = workers.submit(_store_form, batch, source, first_line)
                if pending is not None:
                    new.write(pending.result())
            dumped.result()
            old = {_digest(line) for line in _lines(old_path)}
            # What is left of `old` is to delete. A line given twice and already stored is
            # inserted again the second time, which leaves the store as it is.
            added: list[bytes] = []
            empty = True
            for line in _lines(new_path):
                empty = False
                if (digest := _digest(line)) in old:
                    old.remove(digest)
                else:
                    added.append(line)
            removed = [line for line in _lines(old_path) if _digest(line) in old] if old else []
        graph_node = str(node)
        if empty:
            operations = [f"DROP SILENT GRAPH {graph_node}"]
        else:
            operations = [
                f"{verb} DATA {{ GRAPH {graph_node} {{\n{b''.join(lines).decode()}}} }}"
                for verb, lines in (("DELETE", removed), ("INSERT", added))
                if lines
            ]
        if operations:
            try:
                self.oxigraph.update(" ;\n".join(operations))
            except (OSError, SyntaxError) as e:
                raise StoreError(self.location, f"cannot write {source}: {e}") from e

    def _dump_graph(self, graph: NamedNode, path: Path) -> None:
        try:
            self.oxigraph.dump(path, RdfFormat.N_TRIPLES, from_graph=graph)
        except OSError as e:
            raise StoreError(self.location, f"cannot read graph {graph}: {e}") from e

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
            raise QueryError(name, one_line(e.msg), "Check the SPARQL syntax") from e
        except RuntimeError as e:
            # e.g. a substituted variable missing from the SELECT projection
            raise QueryError(name, one_line(str(e)), "Project every parameter variable") from e
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
            data = self.oxigraph.dump(
                format=RdfFormat.N_TRIPLES, from_graph=named_graph_node(graph)
            )
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


def triples_result(data: bytes, fmt: RdfFormat) -> QueryTriples:
    """Wrap serialised triples (a remote CONSTRUCT's answer) as pyoxigraph query triples.

    Raises:
        ParseError: if ``data`` is not valid in ``fmt``.
    """
    scratch = Store()
    try:
        scratch.load(data, fmt)
    except SyntaxError as e:
        raise parse_error("SPARQL server answer", e) from e
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, QueryTriples)
    return result


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


def _nquads(graph: str, ntriples: str | bytes) -> bytes:
    """N-Triples of one graph as N-Quads in that graph.

    Plain lines (``s p o .``, as kg writes them) only get the graph name; anything else
    (blank nodes, which must not meet those of another graph, or comments) goes through
    the parser, which also reports invalid text with its line and column.
    """
    name = str(named_graph_node(graph)).encode("utf-8")
    data = ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples
    rows = [row for row in (line.strip() for line in data.splitlines()) if row]
    if b"_:" not in data and all(r.startswith(b"<") and r.endswith(b".") for r in rows):
        tail = b" " + name + b" .\n"
        return b"".join(row[:-1].rstrip() + tail for row in rows)
    triples = parse_ntriples(data, f"graph <{graph}>", rename_blank_nodes=True)
    return b"".join(f"{t} {name.decode()} .\n".encode() for t in triples)


def _store_form(batch: bytes, source: str, first_line: int) -> bytes:
    """N-Triples as the store writes them back: Oxigraph keeps some literals by value."""
    scratch = Store()
    try:
        scratch.load(batch, RdfFormat.N_TRIPLES)
    except SyntaxError as e:
        raise batch_parse_error(source, e, first_line) from e
    return scratch.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()) or b""


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as lines:
        yield from lines


def _digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


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
