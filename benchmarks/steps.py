"""The steps of the scale benchmark, each run by benchmarks/run.py in a child process.

    python benchmarks/steps.py KIND ARG…

prints one JSON object (the step's figures) as its last line. A step in its own process
has its own peak memory, and can be stopped at a time limit without stopping the run.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any


def child_build(corpus: str, store: str) -> dict[str, Any]:
    """Build the documents (no derived graphs) into ``store``; the pipeline's figures."""
    import resource

    from kg.pipeline import build
    from kg.store import open_store

    started = time.perf_counter()
    with open_store(store) as graph_store:
        outcome = build([Path(corpus)], graph_store, derived=False)
        graph_store.flush()
    stats = outcome.stats
    errors = [str(r.error)[:300] for r in outcome.results if r.error is not None][:5]
    return {
        "seconds": time.perf_counter() - started,
        "documents": stats.documents,
        "loaded": stats.loaded,
        "rejected": stats.rejected,
        "triples": stats.triples,
        "workers": stats.workers,
        "stages": stats.seconds,
        "errors": errors,
        "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_derived(store: str, step: str) -> dict[str, Any]:
    """Write the lineage, links or statistics graph of a built store, as `kg build` does last."""
    from kg.store import open_store

    started = time.perf_counter()
    with open_store(store) as graph_store:
        if step == "lineage":
            from kg.lineage import write_lineage

            write_lineage(graph_store)
        elif step == "links":
            from kg.linkgraph import build_links_graph

            build_links_graph(graph_store, review_file=None)
        else:
            from kg.statistics import write_statistics

            write_statistics(graph_store)
        graph_store.flush()
    return {"seconds": time.perf_counter() - started}


def child_bulk(nquads: str, target: str) -> dict[str, Any]:
    """Bulk-load an N-Quads file into a fresh pyoxigraph store (the store's own limit)."""
    from pyoxigraph import RdfFormat, Store

    store = Store(target) if target != ":memory:" else Store()
    started = time.perf_counter()
    store.bulk_load(path=nquads, format=RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "quads": len(store)}


def child_store_dump(store: str, out: str) -> dict[str, Any]:
    """A plain ``Store.dump`` of the whole store to N-Quads."""
    from pyoxigraph import RdfFormat, Store

    ox = Store.read_only(store)
    started = time.perf_counter()
    ox.dump(out, RdfFormat.N_QUADS)
    return {"seconds": time.perf_counter() - started, "quads": len(ox)}


def child_dumps(store: str, out: str) -> dict[str, Any]:
    """Every dump file `kg dump` writes."""
    from kg.dumps import write_dumps
    from kg.store import open_store

    with open_store(store, read_only=True) as graph_store:
        started = time.perf_counter()
        files = write_dumps(graph_store, Path(out), issued=date(2025, 1, 1), version="bench")
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "files": len(files), "bytes": sum(f.byte_size for f in files)}


def child_query(store: str, name: str, params: str, runs: int) -> dict[str, Any]:
    """Median and p95 milliseconds of one stored query (runs after one warm-up)."""
    from kg.queries import run_query
    from kg.store import open_store

    bound = json.loads(params)
    with open_store(store, read_only=True) as graph_store:
        started = time.perf_counter()
        rows = len(run_query(graph_store, name, bound).rows)
        first = time.perf_counter() - started
        runs = runs if first < 2 else 3
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            run_query(graph_store, name, bound)
            timings.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(timings), "p95_ms": _p95(timings), "rows": rows}


def child_remote_build(corpus: str, url: str, limit: int) -> dict[str, Any]:
    """Build the first ``limit`` files of ``corpus`` into a SPARQL server over HTTP."""
    from kg.manifest import find_manifest
    from kg.parse import SUFFIXES
    from kg.pipeline import build
    from kg.store import open_store

    folder = Path(corpus)
    files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)[:limit]
    started = time.perf_counter()
    with open_store(url) as graph_store:
        outcome = build(files, graph_store, manifest=find_manifest(folder), derived=False)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "documents": outcome.stats.documents,
        "loaded": outcome.stats.loaded,
        "triples": outcome.stats.triples,
    }


CHILDREN = {
    "build": child_build,
    "derived": child_derived,
    "bulk": child_bulk,
    "store_dump": child_store_dump,
    "dumps": child_dumps,
    "query": child_query,
    "remote_build": child_remote_build,
}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str]) -> None:
    kind, *args = argv
    step = CHILDREN[kind]
    converted = [int(a) if a.isdigit() else a for a in args]
    print(json.dumps(step(*converted)))  # type: ignore[operator]


if __name__ == "__main__":
    main(sys.argv[1:])
