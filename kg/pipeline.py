"""Build a dataset: files → parse → map → validate → load, then the graphs derived from them.

The only module that composes the stages. :func:`build` runs the whole build into a store:

1. the ontology graph (``ontology/kg.ttl``) and the reference graph (``ontology/reference/``,
   its relative IRIs resolved against the dataset base);
2. every document, streamed: :func:`kg.stages.prepare` parses, maps and validates it (in
   this process, or in a pool of worker processes for large builds), and the loader replaces
   the document's named graph, a few documents per transaction. A document that fails is
   reported in its :class:`IngestResult` and not loaded; the others are;
3. drafts and their adoptions (:mod:`kg.drafts`): a resolution whose paragraphs are those of
   a draft recommended to its body gets ``kg:adoptsDraft``, whichever of the two is built first;
4. the lineage and links graphs, computed from the store (:mod:`kg.lineage`, :mod:`kg.linkgraph`);
5. the build record (time and counts), the one graph that differs between two builds.

Only a bounded window of documents is in flight at any time, so memory does not grow with
the corpus. Building the same files twice gives the same quads, apart from the build record.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Literal

from kg import resources
from kg.drafts import DraftIndex, DraftText
from kg.errors import KgError, ParseError
from kg.ids import BASE_IRI
from kg.lineage import write_lineage
from kg.linkgraph import build_links_graph
from kg.manifest import MANIFEST_NAME, Manifest, find_manifest
from kg.mapping import adoption_graph, build_record
from kg.parse import SUFFIXES
from kg.stages import STAGES, Failure, FileTask, Prepared, Stage, Timings, prepare, warm_up
from kg.store import GraphStore
from kg.vocab import KG

ONTOLOGY_GRAPH = "https://w3id.org/kg-un/graph/ontology"
REFERENCE_GRAPH = "https://w3id.org/kg-un/graph/reference"
BUILD_GRAPH = "https://w3id.org/kg-un/graph/build"

PARALLEL_FROM = 24
"""Fewest files for which a build starts worker processes (each costs about a second)."""
LOAD_BATCH = 16
"""Documents loaded per store transaction; each document's graph is still replaced whole."""

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


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    """Every file's result, in the order the files were given, and the build's figures."""

    results: tuple[IngestResult, ...]
    stats: BuildStats


def plan(
    paths: Iterable[str | Path], *, base: str = BASE_IRI, manifest: Manifest | None = None
) -> list[FileTask | ParseError]:
    """The files to build, in order, each with its manifest entry; errors for missing paths.

    A folder stands for its ``*.txt``, ``*.md``, ``*.html`` and ``*.htm`` files in name order,
    with the metadata of its ``manifest.toml`` unless ``manifest`` is given.
    """
    tasks: list[FileTask | ParseError] = []
    manifests: dict[Path, Manifest | None] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not files:
                tasks.append(ParseError(str(path), "no .txt, .md, .html or .htm file here"))
        elif path.exists():
            files = [path]
        else:
            tasks.append(ParseError(str(path), "no such file or folder", hint="Check the path"))
            continue
        for file in files:
            if file.name == MANIFEST_NAME:
                continue
            found = manifest
            if found is None:
                folder = file.parent.resolve()
                if folder not in manifests:
                    try:
                        manifests[folder] = find_manifest(folder)
                    except ParseError as error:
                        manifests[folder] = None
                        tasks.append(error)
                found = manifests[folder]
            tasks.append(FileTask(str(file), _entry(found, file.name), base))
    return tasks


def _entry(manifest: Manifest | None, name: str) -> Manifest | None:
    """The manifest cut down to one file's entry: small to send to a worker process."""
    if manifest is None:
        return None
    return Manifest(manifest.path, {name: dict(manifest.metadata_for(name))})


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
        KgError: if the bundled ontology, shapes or reference data cannot be read.
    """
    started, wall = datetime.now(timezone.utc), time.perf_counter()
    tasks = plan(paths, base=base, manifest=manifest)
    seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    clock = time.perf_counter()
    write_reference_graphs(store, base)
    seconds["reference"] = time.perf_counter() - clock
    loader = _Loader(store, _stored_drafts(store))
    count = _worker_count(workers, len(tasks))
    results: list[IngestResult] = []
    for prepared in _prepare_all(tasks, count, base):
        result = loader.take(prepared)
        if result is not None:
            results.append(result)
        for done in loader.flush(force=False):
            _report(results, done, progress, len(tasks))
    for done in loader.flush(force=True):
        _report(results, done, progress, len(tasks))
    clock = time.perf_counter()
    link_adoptions(store, loader.new_drafts)
    seconds["drafts"] = time.perf_counter() - clock
    if derived:
        clock = time.perf_counter()
        write_lineage(store, base)
        seconds["lineage"], clock = time.perf_counter() - clock, time.perf_counter()
        build_links_graph(store, base, review_file)
        seconds["links"] = time.perf_counter() - clock
    for result in results:
        for stage in STAGES:
            seconds[stage] += getattr(result.timings, stage)
    loaded = [r for r in results if r.status == "loaded"]
    triples = sum(r.triples for r in loaded)
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
    for task in plan(paths, base=base, manifest=manifest):
        if isinstance(task, KgError):
            yield Prepared(task.source, None, failure=Failure.of(task))
        else:
            yield prepare(task)


def write_reference_graphs(store: GraphStore, base: str = BASE_IRI) -> int:
    """Replace the ontology and reference graphs from the bundled files; returns triples.

    Raises:
        ParseError: if a bundled file is not valid RDF.
        StoreError: if the store cannot be written.
    """
    folder = resources.ontology_dir()
    count = store.load_file(folder / "kg.ttl", ONTOLOGY_GRAPH)
    reference = sorted((folder / "reference").glob("*.ttl"))
    return count + store.load_files(reference, REFERENCE_GRAPH, base_iri=base)


def _worker_count(requested: int | None, files: int) -> int:
    if requested is not None:
        return max(1, requested)
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _prepare_all(
    tasks: list[FileTask | ParseError], workers: int, base: str
) -> Iterator[Prepared]:
    """Prepared documents in task order; with a pool, at most a few per worker in flight."""
    if workers <= 1:
        for task in tasks:
            yield _prepare_or_fail(task)
        return
    window: deque[AsyncResult[Prepared] | Prepared] = deque()
    pool: Pool = get_context("spawn").Pool(workers, initializer=warm_up, initargs=(base,))
    try:
        for task in tasks:
            if isinstance(task, FileTask):
                window.append(pool.apply_async(prepare, (task,)))
            else:
                window.append(_prepare_or_fail(task))
            while len(window) > 4 * workers:
                yield _ready(window.popleft())
        while window:
            yield _ready(window.popleft())
        pool.close()
        pool.join()
    finally:
        pool.terminate()


def _ready(item: AsyncResult[Prepared] | Prepared) -> Prepared:
    return item if isinstance(item, Prepared) else item.get()


def _prepare_or_fail(task: FileTask | ParseError) -> Prepared:
    if isinstance(task, ParseError):
        return Prepared(task.source, None, failure=Failure.of(task))
    return prepare(task)


def _report(
    results: list[IngestResult], done: IngestResult, progress: Progress | None, total: int
) -> None:
    if done.status == "loaded":
        for index in range(len(results) - 1, -1, -1):
            if results[index].source == done.source and results[index].iri == done.iri:
                results[index] = done
                break
    if progress is not None:
        progress(done, len(results), total)


class _Loader:
    """Loads prepared documents in small transactions and states adoptions of drafts."""

    def __init__(self, store: GraphStore, drafts: DraftIndex) -> None:
        self.store = store
        self.drafts = drafts
        self.new_drafts = DraftIndex()
        self.sources: dict[str, str] = {}
        self.batch: dict[str, tuple[Prepared, str]] = {}

    def take(self, prepared: Prepared) -> IngestResult | None:
        """Queue a prepared document; a rejected one is returned at once, a loadable one later."""
        error = prepared.error
        if error is None and prepared.iri is not None and prepared.iri in self.sources:
            error = KgError(
                f"{prepared.source}: describes <{prepared.iri}> like "
                f"{self.sources[prepared.iri]}",
                "Remove one of the two files, or correct the symbol of one",
            )
        if error is not None or prepared.iri is None:
            return IngestResult(
                prepared.source,
                prepared.iri,
                "rejected",
                0,
                prepared.warnings,
                error,
                prepared.timings,
            )
        self.sources[prepared.iri] = prepared.source
        data = prepared.ntriples
        if prepared.draft is not None:
            self.drafts.add(prepared.draft)
            self.new_drafts.add(prepared.draft)
        elif prepared.fingerprint is not None:
            adoption = self.drafts.adopted_draft(
                prepared.iri, prepared.fingerprint, prepared.adopted_by
            )
            if adoption is not None:
                data += _ntriples(prepared.iri, adoption.draft)
        self.batch[prepared.iri] = (prepared, data)
        return IngestResult(
            prepared.source,
            prepared.iri,
            "loaded",
            0,
            prepared.warnings,
            None,
            prepared.timings,
        )

    def flush(self, *, force: bool) -> list[IngestResult]:
        """Load the queued documents if the batch is full (or ``force``); their results."""
        if not self.batch or (len(self.batch) < LOAD_BATCH and not force):
            return []
        clock = time.perf_counter()
        self.store.replace_graphs({iri: data for iri, (_, data) in self.batch.items()})
        share = (time.perf_counter() - clock) / len(self.batch)
        done = []
        for prepared, data in self.batch.values():
            timings = Timings(
                prepared.timings.parse, prepared.timings.map, prepared.timings.validate, share
            )
            triples = data.count("\n")
            done.append(
                IngestResult(
                    prepared.source,
                    prepared.iri,
                    "loaded",
                    triples,
                    prepared.warnings,
                    None,
                    timings,
                )
            )
        self.batch = {}
        return done


def _ntriples(resolution: str, draft: str) -> str:
    data: str = adoption_graph(resolution, draft).serialize(format="nt")
    return data


_DRAFTS = f"""PREFIX kg: <{KG._NS}>
SELECT ?draft ?fingerprint ?to WHERE {{
  ?recommender kg:recommendsDraft ?draft .
  ?draft kg:textFingerprint ?fingerprint .
  OPTIONAL {{ ?recommender kg:recommendedTo ?to }}
}}"""

_UNADOPTED = f"""PREFIX kg: <{KG._NS}>
SELECT ?text ?fingerprint ?body WHERE {{
  GRAPH ?text {{ ?text a kg:Resolution ; kg:textFingerprint ?fingerprint }}
  OPTIONAL {{ ?text kg:adoptedBy ?body }}
  FILTER NOT EXISTS {{ ?text kg:adoptsDraft ?any }}
  FILTER NOT EXISTS {{ ?text kg:recommendsDraft ?own }}
}}"""


def _stored_drafts(store: GraphStore) -> DraftIndex:
    """The drafts already in the store, so a resolution built now can adopt one of them."""
    index = DraftIndex()
    _, rows = store.select_rows(_DRAFTS, name="drafts")
    for row in rows:
        to = row.get("to")
        index.add(
            DraftText(
                str(row["draft"].value),
                str(row["fingerprint"].value),
                str(to.value) if to is not None else None,
            )
        )
    return index


def link_adoptions(store: GraphStore, drafts: DraftIndex) -> int:
    """State adoptions of ``drafts`` by resolutions already stored; returns how many.

    A resolution built before the draft that it adopts (earlier in the same build, or in an
    earlier one) gets the two adoption triples added to its own graph.

    Raises:
        StoreError: if the store cannot be read or written.
    """
    if not len(drafts):
        return 0
    _, rows = store.select_rows(_UNADOPTED, name="adoptions")
    graphs: dict[str, str] = {}
    for row in rows:
        text, body = str(row["text"].value), row.get("body")
        adoption = drafts.adopted_draft(
            text, str(row["fingerprint"].value), str(body.value) if body is not None else None
        )
        if adoption is not None:
            current = store.graph_ntriples(text).decode("utf-8")
            graphs[text] = current + _ntriples(text, adoption.draft)
    if graphs:
        store.replace_graphs(graphs)
    return len(graphs)


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
    "link_adoptions",
    "plan",
    "write_reference_graphs",
]
