"""How long each stored query takes: median and 95th percentile over repeated runs.

By default the bundled corpus is built into an in-memory store first; ``--store DIR``
(or a SPARQL server URL) measures an existing store instead, and ``--corpus DIR`` builds
a folder into memory (for example the synthetic one ``benchmarks/corpus.py`` writes).
Each query runs with its example parameters, so name lookups are part of the figure. A
paged query (`#+ pagination`) is measured on its first page, as the web API answers it by
default; `--all-pages` measures every row at once instead.

Prints one line per query: median and p95 milliseconds, and the number of rows.

    python benchmarks/queries.py
    python benchmarks/corpus.py 2000 /tmp/synthetic
    python benchmarks/queries.py --corpus /tmp/synthetic
    python benchmarks/queries.py --store data/store --runs 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from kg.errors import KgError
from kg.pipeline import ingest
from kg.queries import list_queries, run_query
from kg.resources import corpus_dir
from kg.store import GraphStore, open_store


def measure(
    store: GraphStore, runs: int, page: int | None = 1
) -> list[tuple[str, float, float, int]]:
    """(name, median ms, p95 ms, rows) for every stored query, run ``runs`` times."""
    figures = []
    for query in list_queries():
        params = {p.name: p.example or "" for p in query.params if p.required}
        timings, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = len(run_query(store, query.name, params, page=page).rows)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        figures.append((query.name, statistics.median(timings), p95, rows))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", help="An existing store directory or SPARQL server URL.")
    source.add_argument("--corpus", type=Path, help="A folder of texts to build into memory.")
    parser.add_argument("--runs", type=int, default=20, help="Runs per query (default 20).")
    parser.add_argument(
        "--all-pages", action="store_true", help="Every row of a paged query, not its first page."
    )
    args = parser.parse_args()
    try:
        if args.store:
            store = open_store(args.store, read_only=True)
            what = args.store
        else:
            store = open_store(None)
            start = time.perf_counter()
            results = ingest([args.corpus or corpus_dir()], store)
            loaded = sum(r.status == "loaded" for r in results)
            what = f"{loaded} document(s) built in {time.perf_counter() - start:.1f} s"
        print(f"store: {what}, {store.count_triples()} triples; {args.runs} runs per query")
        print(f"{'query':<20} {'median ms':>10} {'p95 ms':>10} {'rows':>7}")
        for name, median, p95, rows in measure(store, args.runs, None if args.all_pages else 1):
            print(f"{name:<20} {median:>10.1f} {p95:>10.1f} {rows:>7}")
    except KgError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
