"""Build a dataset: files → parse → map → validate → load, then the graphs derived from them.

The only module that composes the stages. :func:`build` runs the whole build into a store:

1. the ontology graph (``ontology/kg.ttl``) and the reference graph (``ontology/reference/``,
   its relative IRIs resolved against the dataset base);
2. every document, streamed: :func:`kg.stages.prepare_batch` parses and maps up to
   :data:`~kg.stages.VALIDATE_BATCH` documents and validates them together (in this process,
   or in a pool of worker processes for large builds). The loader bulk-loads documents new
   to the store in groups, and replaces a graph the store holds already in one transaction.
   A document that fails is reported in its :class:`IngestResult` and not loaded; the
   others are;
3. drafts and their adoptions (:mod:`kg.drafts`): a resolution whose paragraphs are those of
   a draft recommended to its body gets ``kg:adoptsDraft``, whichever of the two is built first;
4. the lineage and links graphs, computed from the store (:mod:`kg.lineage`, :mod:`kg.linkgraph`);
5. the build record (time and counts), the one graph that differs between two builds.

Bulk loading is not atomic: a build killed midway may leave its last group of new
documents partly written. ``kg build`` therefore writes into a staging copy of the store
(:mod:`kg.staging`), which replaces the live store only when the build succeeds.

Only a bounded window of documents is in flight at any time, so memory does not grow with
the corpus. Building the same files twice gives the same quads, apart from the build record.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Literal

from kg.adoptions import adoption_ntriples, graphs_by_file, link_adoptions, stored_drafts
from kg.drafts import DraftIndex
from kg.errors import KgError, ParseError
from kg.ids import BASE_IRI, draft_iri, resolution_iri
from kg.lineage import write_lineage
from kg.linkgraph import build_links_graph
from kg.manifest import Manifest
from kg.mapping import build_record
from kg.reference_graphs import ONTOLOGY_GRAPH, REFERENCE_GRAPH, write_reference_graphs
from kg.stages import (
    STAGES,
    VALIDATE_BATCH,
    Failure,
    FileTask,
    Prepared,
    Stage,
    Timings,
    plan,
    prepare_batch,
    warm_up,
)
from kg.statistics import write_statistics
from kg.store import GraphStore

BUILD_GRAPH = "https://w3id.org/kg-un/graph/build"

PARALLEL_FROM = 200
"""Fewest files for which a build starts worker processes by default. Starting one costs
2-3 s (imports, shapes, reference data); measured on 2 shared cores (500 documents), two
workers took 57 s against 58 s in one process, so the pool pays only on large builds."""
BULK_DOCUMENTS = 500
"""Documents bulk-loaded together. Measured on 1,000 documents (300,000 triples) into an
on-disk store: one transactional update per document 7.2 s, bulk loads of 20, 100 and 500
documents 2.4, 2.1 and 2.4 s; a bulk load of one document alone costs ~100 ms."""
FLUSH_EVERY = 500
"""Documents replaced in place between two flushes of the store's write buffers. An
on-disk Oxigraph store keeps what it writes in memory until flushed: measured, 4,000
documents took its process to 840 MB, and 12,000 to 1.97 GB; flushing every 1,000 held it
at 340 MB."""

Status = Literal["loaded", "rejected"]
Progress = Callable[["IngestResult", int, int], None]
"""Called after each document with its result, the number done and the number of files."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What became of one file: loaded under ``iri`` with ``triples`` triples, or rejected."""

    source: str
    iri: str | None
    status: Status
    triples: int
    warnings: tuple[str, ...]
    error: KgError | None
    timings: Timings = field(default_factory=Timings)


@dataclass(frozen=True, slots=True)
class BuildStats:
    """Counts and seconds of one build; ``seconds`` has the per-document stages summed
    (``parse``, ``map``, ``validate``, ``load``) and the whole-build steps (``reference``,
    ``drafts``, ``lineage``, ``links``, ``total``, wall-clock)."""

    documents: int
    loaded: int
    rejected: int
    triples: int
    warnings: int
    workers: int
    seconds: dict[str, float]

    def stage_seconds(self, stage: Stage) -> float:
        return self.seconds.get(stage, 0.0)

    def summary(self) -> str:
        """One line for people: documents loaded and rejected, triples, warnings, time.

        >>> BuildStats(5, 4, 1, 1373, 7, 1, {"total": 3.24}).summary()
        '5 document(s): 4 loaded, 1 rejected; 1373 triples; 7 warning(s); 3.2 s'
        """
        return (
            f"{self.documents} document(s): {self.loaded} loaded, {self.rejected} rejected; "
            f"{self.triples} triples; {self.warnings} warning(s); "
            f"{self.seconds.get('total', 0.0):.1f} s"
        )


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    """Every file's result, in the order the files were given, and the build's figures."""

    results: tuple[IngestResult, ...]
    stats: BuildStats


def build(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    base: str = BASE_IRI,
    manifest: Manifest | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    derived: bool = True,
    review_file: Path | None = None,
) -> BuildOutcome:
    """Build ``paths`` into ``store``: reference data, documents, drafts, derived graphs.

    ``workers`` processes validate documents in parallel (default: one per core, up to two,
    from :data:`PARALLEL_FROM` files on). ``derived=False`` skips the lineage and links
    graphs. ``review_file`` holds the reviewed Wikidata links (:mod:`kg.linkgraph`).

    Raises:
        StoreError: if the store cannot be written; documents loaded so far stay loaded.
        KgError: if ``base`` is not a base IRI (nothing is written then), or the bundled
            ontology, shapes or reference data cannot be read.
    """
    resolution_iri("A/RES/1/1", base)  # a base that cannot mint IRIs fails before any write
    started, wall = datetime.now(UTC), time.perf_counter()
    tasks = plan(paths, base=base, manifest=manifest)
    seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    clock = time.perf_counter()
    write_reference_graphs(store, base)
    seconds["reference"] = time.perf_counter() - clock
    loader = _Loader(store, stored_drafts(store))
    count = _worker_count(workers, len(tasks))
    try:
        for prepared in _prepare_all(tasks, count, base):
            loader.load(prepared)
            if progress is not None:
                progress(loader.results[-1], len(loader.results), len(tasks))
        results = loader.finish()
    finally:
        loader.close()
    clock = time.perf_counter()
    adoption_triples = link_adoptions(store, loader.drafts, loader.new_drafts)
    seconds["drafts"] = time.perf_counter() - clock
    if derived:
        clock = time.perf_counter()
        write_lineage(store, base)
        seconds["lineage"], clock = time.perf_counter() - clock, time.perf_counter()
        build_links_graph(store, base, review_file)
        seconds["links"], clock = time.perf_counter() - clock, time.perf_counter()
        write_statistics(store, base)
        seconds["statistics"] = time.perf_counter() - clock
    for result in results:
        for stage in STAGES:
            seconds[stage] += getattr(result.timings, stage)
    loaded = [r for r in results if r.status == "loaded"]
    triples = sum(r.triples for r in loaded) + adoption_triples
    store.replace_graphs({BUILD_GRAPH: build_record(BUILD_GRAPH, started, len(loaded), triples)})
    seconds["total"] = time.perf_counter() - wall
    stats = BuildStats(
        documents=len(results),
        loaded=len(loaded),
        rejected=len(results) - len(loaded),
        triples=triples,
        warnings=sum(len(r.warnings) for r in results),
        workers=count,
        seconds=seconds,
    )
    return BuildOutcome(tuple(results), stats)


def ingest(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    base: str = BASE_IRI,
    manifest: Manifest | None = None,
    progress: Progress | None = None,
) -> list[IngestResult]:
    """Build ``paths`` into ``store`` (see :func:`build`) and return one result per file.

    Raises:
        StoreError: if the store cannot be written.
        KgError: if the bundled ontology, shapes or reference data cannot be read.
    """
    outcome = build(paths, store, base=base, manifest=manifest, progress=progress)
    return list(outcome.results)


def check(
    paths: Iterable[str | Path], *, base: str = BASE_IRI, manifest: Manifest | None = None
) -> Iterator[Prepared]:
    """Parse, map and validate each file without loading it (``kg validate``)."""
    for chunk in _chunks(plan(paths, base=base, manifest=manifest), VALIDATE_BATCH):
        if isinstance(chunk, ParseError):
            yield Prepared(chunk.source, None, failure=Failure.of(chunk))
        else:
            yield from prepare_batch(chunk)


def _worker_count(requested: int | None, files: int) -> int:
    if requested is not None:
        return max(1, requested)
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _prepare_all(tasks: list[FileTask | ParseError], workers: int, base: str) -> Iterator[Prepared]:
    """Prepared documents in task order, prepared (and validated) in batches.

    With a pool, each worker takes one batch at a time and at most two per worker are in
    flight; batches are smaller for small builds so that every worker gets some.
    """
    if workers <= 1:
        for chunk in _chunks(tasks, VALIDATE_BATCH):
            yield from _prepare_chunk(chunk)
        return
    size = max(1, min(VALIDATE_BATCH, -(-len(tasks) // (2 * workers))))
    window: deque[AsyncResult[list[Prepared]] | list[Prepared]] = deque()
    pool: Pool = get_context("spawn").Pool(workers, initializer=warm_up, initargs=(base,))
    try:
        for chunk in _chunks(tasks, size):
            if isinstance(chunk, ParseError):
                window.append(_prepare_chunk(chunk))
            else:
                window.append(pool.apply_async(prepare_batch, (chunk,)))
            while len(window) > 2 * workers:
                yield from _ready(window.popleft())
        while window:
            yield from _ready(window.popleft())
        pool.close()
        pool.join()
    finally:
        pool.terminate()


def _chunks(
    tasks: Iterable[FileTask | ParseError], size: int
) -> Iterator[list[FileTask] | ParseError]:
    """Runs of up to ``size`` files, in order; a task that failed already comes alone."""
    run: list[FileTask] = []
    for task in tasks:
        if isinstance(task, ParseError):
            if run:
                yield run
                run = []
            yield task
            continue
        run.append(task)
        if len(run) == size:
            yield run
            run = []
    if run:
        yield run


def _ready(item: AsyncResult[list[Prepared]] | list[Prepared]) -> list[Prepared]:
    return item if isinstance(item, list) else item.get()


def _prepare_chunk(chunk: list[FileTask] | ParseError) -> list[Prepared]:
    if isinstance(chunk, ParseError):
        return [Prepared(chunk.source, None, failure=Failure.of(chunk))]
    return prepare_batch(chunk)


class _Loader:
    """Writes prepared documents into the store and keeps their results in order.

    A document whose graph the store does not hold yet waits in a buffer that is
    bulk-loaded every :data:`BULK_DOCUMENTS` documents (:meth:`GraphStore.add_new_graphs`)
    in a second thread, so that the build goes on handing out and collecting documents
    meanwhile (the bulk loader releases the GIL; at most one buffer is being loaded, and
    nothing else touches the store until it is). A document that replaces a graph is
    written in its own transaction, after the buffer. The loader also states the adoption
    of a draft already known, and drops the graph that an earlier build made from the same
    file under another IRI (a symbol added to the manifest turns ``res:text/…`` into
    ``res:A/RES/…``), in the same transaction.
    """

    def __init__(self, store: GraphStore, drafts: DraftIndex) -> None:
        self.store = store
        self.drafts = drafts
        self.new_drafts = DraftIndex()
        self.sources: dict[str, str] = {}
        self.by_file = graphs_by_file(store)
        self.stored = set(store.graph_names())
        self.results: list[IngestResult] = []
        self._buffer: dict[str, str] = {}
        self._buffered: list[int] = []
        self._replaced = 0
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-load")
        self._loading: tuple[Future[float], list[int]] | None = None

    def load(self, prepared: Prepared) -> None:
        """Load one prepared document (or buffer it), or record why it is rejected.

        Raises:
            StoreError: if the store cannot be written.
        """
        error, iri = prepared.error, prepared.iri
        if error is None and iri is not None and iri in self.sources:
            error = KgError(
                f"{prepared.source}: describes <{iri}> like {self.sources[iri]}",
                "Remove one of the two files, or correct the symbol of one",
            )
        if error is not None or iri is None:
            self.results.append(
                IngestResult(
                    prepared.source, iri, "rejected", 0, prepared.warnings, error, prepared.timings
                )
            )
            return
        self.sources[iri] = prepared.source
        data, triples = prepared.ntriples, prepared.triples
        if prepared.draft is not None:
            self.drafts.add(prepared.draft)
            self.new_drafts.add(prepared.draft)
        elif prepared.fingerprint is not None:
            adoption = self.drafts.adopted_draft(iri, prepared.fingerprint, prepared.adopted_by)
            if adoption is not None:
                data += adoption_ntriples(iri, adoption.draft)
                triples += 2
        earlier = self.by_file.get(Path(prepared.source).name, set())
        stale = sorted(g for g in earlier if g != iri and g not in self.sources)
        result = IngestResult(
            prepared.source, iri, "loaded", triples, prepared.warnings, None, prepared.timings
        )
        if iri not in self.stored and not stale:
            self._buffer[iri] = data
            self._buffered.append(len(self.results))
            self.results.append(result)
            if len(self._buffer) >= BULK_DOCUMENTS:
                self._write_buffer()
            return
        self._write_buffer()
        self._wait()
        clock = time.perf_counter()
        self.store.replace_graphs({iri: data, **dict.fromkeys(stale, "")})
        self._replaced += 1
        if self._replaced % FLUSH_EVERY == 0:
            self.store.flush()
        for graph in stale:
            earlier.discard(graph)
            self.drafts.discard(draft_iri(graph))
        replaced = tuple(f"replaces <{g}>, built earlier from the same file" for g in stale)
        self.results.append(
            replace(
                result,
                warnings=prepared.warnings + replaced,
                timings=_with_load(prepared.timings, time.perf_counter() - clock),
            )
        )

    def finish(self) -> list[IngestResult]:
        """Write what is still buffered; every file's result, in the order loaded.

        Raises:
            StoreError: if the store cannot be written.
        """
        self._write_buffer()
        self._wait()
        return self.results

    def close(self) -> None:
        """Wait for a bulk load still running (its error is for :meth:`finish` to raise)."""
        self._thread.shutdown()

    def _write_buffer(self) -> None:
        """Start loading the buffer, once the load before it is done."""
        if not self._buffer:
            return
        self._wait()
        self._loading = (self._thread.submit(_timed_load, self.store, self._buffer), self._buffered)
        self.stored.update(self._buffer)
        self._buffer, self._buffered = {}, []

    def _wait(self) -> None:
        """Wait for the bulk load under way, if any; its error is raised here."""
        if self._loading is None:
            return
        future, indexes = self._loading
        self._loading = None
        share = future.result() / len(indexes)
        for index in indexes:
            result = self.results[index]
            self.results[index] = replace(result, timings=_with_load(result.timings, share))


def _timed_load(store: GraphStore, graphs: dict[str, str]) -> float:
    clock = time.perf_counter()
    store.add_new_graphs(graphs)
    return time.perf_counter() - clock


def _with_load(spent: Timings, seconds: float) -> Timings:
    return Timings(spent.parse, spent.map, spent.validate, seconds)


__all__ = [
    "BUILD_GRAPH",
    "ONTOLOGY_GRAPH",
    "REFERENCE_GRAPH",
    "BuildOutcome",
    "BuildStats",
    "IngestResult",
    "Progress",
    "build",
    "check",
    "ingest",
    "plan",
    "write_reference_graphs",
]
