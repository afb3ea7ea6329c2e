"""The dumps' named graphs, read once and serialised once per syntax.

:func:`serialise_graphs` reads the graphs in a thread (pyoxigraph lets go of the GIL while
it reads the store) while this thread serialises the graphs already read, each from its
sorted N-Triples lines (canonical N-Triples: one statement a line, raw newlines only at
line ends). One serialisation serves several files:

* its Turtle (pyoxigraph's) is its file under ``resolutions/`` and its block of the TriG;
* its N-Triples lines, with the graph name added, are its N-Quads;
* its lines and its Turtle's subject blocks make up the union (:class:`Union`), where
  only the subjects whose lines differ from graph to graph are serialised again.

pyoxigraph's Turtle is read back in one way only: a subject's block begins on a line that
does not begin with a tab, and its other lines do. :class:`Union` checks the block
count against the subjects and serialises the whole union itself if they disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

from pyoxigraph import CanonicalizationAlgorithm, Dataset, NamedNode, RdfFormat, parse, serialize

from kg.errors import KgError
from kg.jsonld import Compactor, jsonld_graph
from kg.store import GraphStore
from kg.void import StatisticsCounter

_READ_BATCH = 64  # graphs per read task: fewer hand-overs between the threads
_CHUNK = 1 << 16  # lines per chunk of the union's N-Triples
_SUBJECT = re.compile(rb"\n(\S+) ")  # over "\n" + N-Triples: each line's subject
_BLOCK = re.compile(rb"[^\t\n][^\n]*\n(?:\t[^\n]*\n)*")  # one subject's Turtle


@dataclass(frozen=True, slots=True)
class SerialisedGraph:
    """One named graph in each syntax of the dumps."""

    graph: str
    lines: list[bytes]
    """Its triples: sorted N-Triples lines, blank nodes canonical."""
    turtle: bytes
    """Its Turtle without the prefix header (:attr:`GraphSerialiser.header`)."""
    jsonld: bytes
    """Its JSON-LD graph object."""

    def nquads(self) -> bytes:
        """Its N-Quads: its N-Triples lines with its name."""
        name = str(NamedNode(self.graph)).encode()
        # Raw newlines only end lines in N-Triples (literals escape them).
        return b"".join(self.lines).replace(b" .\n", b" " + name + b" .\n")


class GraphSerialiser:
    """Serialises named graphs one at a time; counts them for VoID; gathers the union."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.compact = Compactor(prefixes)
        self.statistics = StatisticsCounter()
        # pyoxigraph writes every prefix before the first triple: learn that header once.
        sample = self.turtle(b"<urn:x:probe> <urn:x:probe> <urn:x:probe> .\n")
        self.header = sample[: sample.rstrip(b"\n").rfind(b"\n") + 1]
        self.union = Union(self)

    def turtle(self, ntriples: bytes) -> bytes:
        """Turtle of N-Triples with the prefixes, statements in the order given."""
        # Quads of the default graph serialise as triples.
        quads = parse(ntriples, RdfFormat.N_TRIPLES)
        return serialize(quads, None, RdfFormat.TURTLE, prefixes=self.prefixes) or b""

    def body(self, ntriples: bytes) -> bytes:
        """:meth:`turtle` without the prefix header.

        Raises:
            KgError: if pyoxigraph's Turtle does not begin with the header.
        """
        turtle = self.turtle(ntriples)
        if not turtle.startswith(self.header):
            raise KgError("pyoxigraph's Turtle has another prefix header", "Report this bug")
        return turtle[len(self.header) :]

    def __call__(self, graph: str, lines: list[bytes]) -> SerialisedGraph:
        """Serialise one graph from its sorted N-Triples lines.

        Raises:
            KgError: for RDF-star quoted triples (no JSON-LD for them).
        """
        ntriples = b"".join(lines)
        turtle = self.body(ntriples)
        jsonld = jsonld_graph(graph, ntriples.decode(), self.compact).encode()
        self.statistics.add(lines)
        self.union.add(ntriples, lines, turtle)
        return SerialisedGraph(graph, lines, turtle, jsonld)


class Union:
    """The union of the graphs, in N-Triples and in Turtle, assembled subject by subject.

    Sorted N-Triples lines group by subject, and in subject order, so the union's lines
    are each subject's lines in turn: those of its one graph, or of the graph that has
    them all, or else the merged lines of its graphs. The same goes for its Turtle
    blocks; the subjects whose lines had to be merged are serialised again, in one call.
    """

    def __init__(self, serialiser: GraphSerialiser) -> None:
        self._serialiser = serialiser
        # subject -> (its Turtle block, its graph's lines, where its lines start, how many)
        self._subjects: dict[bytes, list[tuple[bytes, list[bytes], int, int]]] = {}
        self._blocks_match = True

    def add(self, ntriples: bytes, lines: list[bytes], turtle: bytes) -> None:
        """Take one graph: its sorted N-Triples (also as ``lines``) and its Turtle body."""
        runs = Counter(_SUBJECT.findall(b"\n" + ntriples))  # in order: the lines are sorted
        blocks = _BLOCK.findall(turtle)
        if len(blocks) != len(runs):
            self._blocks_match = False
            blocks = [b""] * len(runs)
        start = 0
        subjects = self._subjects
        for (subject, count), block in zip(runs.items(), blocks, strict=True):
            entry = (block, lines, start, count)
            found = subjects.get(subject)
            if found is None:
                subjects[subject] = [entry]
            else:
                found.append(entry)
            start += count

    def finish(self) -> tuple[list[bytes], bytes]:
        """The union's N-Triples (sorted, no duplicates), in chunks, and its Turtle."""
        lines: list[bytes] = []
        blocks: list[bytes] = [self._serialiser.header]
        merged: list[tuple[int, list[bytes]]] = []  # (index in blocks, lines)
        for subject in sorted(self._subjects):
            block, own = _subject_union(self._subjects[subject])
            lines += own
            if not block:
                merged.append((len(blocks), own))
            blocks.append(block)
        chunks = [b"".join(lines[i : i + _CHUNK]) for i in range(0, len(lines), _CHUNK)]
        del lines
        if not self._blocks_match:
            return chunks, self._serialiser.turtle(b"".join(chunks))
        if merged:
            again = self._serialiser.body(b"".join(chain.from_iterable(m for _, m in merged)))
            found = _BLOCK.findall(again)
            if len(found) != len(merged):
                return chunks, self._serialiser.turtle(b"".join(chunks))
            for (index, _), block in zip(merged, found, strict=True):
                blocks[index] = block
        return chunks, b"".join(blocks)


def _subject_union(
    entries: list[tuple[bytes, list[bytes], int, int]],
) -> tuple[bytes, list[bytes]]:
    """One subject's Turtle block (``b""``: to be made) and sorted lines in the union."""
    block, lines, start, count = max(entries, key=lambda entry: entry[3])
    own = lines[start : start + count]
    if len(entries) == 1:
        return block, own
    whole = set(own)
    if all(whole.issuperset(lines[s : s + n]) for _, lines, s, n in entries):
        return block, own
    return b"", sorted(whole.union(*(lines[s : s + n] for _, lines, s, n in entries)))


def serialise_graphs(
    store: GraphStore,
    graphs: list[str],
    serialise: Callable[[str, list[bytes]], SerialisedGraph],
    pool: ThreadPoolExecutor,
) -> list[SerialisedGraph]:
    """Read ``graphs`` in a thread of ``pool`` and serialise each; return them in order.

    A graph with blank nodes waits for all the others: their RDFC-1.0 labels depend on
    every quad that mentions a blank node, in any graph.

    Raises:
        StoreError: if the store cannot be read.
    """
    serialised: dict[str, SerialisedGraph] = {}
    waiting: dict[str, list[bytes]] = {}
    blank: list[bytes] = []
    for graph, data in _read_graphs(store, graphs, pool):
        lines = data.splitlines(keepends=True)
        if b"_:" not in data:
            lines.sort()
            serialised[graph] = serialise(graph, lines)
            continue
        name = str(NamedNode(graph)).encode()
        kept = waiting[graph] = []
        for line in lines:
            if b"_:" in line:  # maybe a blank node (or "_:" inside a literal)
                blank.append(line[:-3] + b" " + name + b" .\n")
            else:
                kept.append(line)
    if blank:
        dataset = Dataset(parse(b"".join(blank), RdfFormat.N_QUADS))
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        for quad in dataset:
            assert isinstance(quad.graph_name, NamedNode)
            waiting[quad.graph_name.value].append(str(quad.triple).encode() + b" .\n")
    for graph, lines in waiting.items():
        serialised[graph] = serialise(graph, sorted(set(lines)))
    return [serialised[graph] for graph in graphs if graph in serialised]


def _read_graphs(
    store: GraphStore, graphs: list[str], pool: ThreadPoolExecutor
) -> Iterator[tuple[str, bytes]]:
    """``(graph, N-Triples)`` in the order of ``graphs``, read ahead in ``pool``."""
    batches = [graphs[i : i + _READ_BATCH] for i in range(0, len(graphs), _READ_BATCH)]
    futures = [pool.submit(_read_batch, store, batch) for batch in batches]
    try:
        for batch, future in zip(batches, futures, strict=True):
            yield from zip(batch, future.result(), strict=True)
    finally:
        for future in futures:
            future.cancel()


def _read_batch(store: GraphStore, graphs: list[str]) -> list[bytes]:
    return [store.graph_ntriples(graph) for graph in graphs]
