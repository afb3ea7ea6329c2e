"""What a build costs: seconds per document in each stage, throughput, peak memory.

The bundled corpus is repeated N times under distinct symbols: copy k adds 1000·k to the
number of every resolution cited or named in the text ("58/135" → "58/1135"), so each
copy is a document of its own with its own IRI, citations and draft adoption, parsed and
validated like the original. ``--corpus DIR`` builds a folder instead (for example one
written by ``benchmarks/corpus.py``).

Prints, for the document stages (parse, map, validate, load), the mean and 95th percentile
milliseconds per document; then documents/s and triples/s of the whole build (wall clock),
the whole-build steps (reference graphs, drafts, lineage, links) and the peak resident
memory of this process and of its worker processes (``resource.getrusage``).

    python benchmarks/build.py --copies 20                 # 100 documents, automatic workers
    python benchmarks/build.py --copies 20 --workers 1     # the same in one process
    python benchmarks/build.py --corpus /tmp/synthetic --derived
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg.manifest import MANIFEST_NAME, find_manifest
from kg.pipeline import build
from kg.resources import corpus_dir
from kg.stages import STAGES
from kg.store import open_store

_NUMBER = re.compile(r"\b(\d{2,4})/(\d{1,4})\b")


def write_copies(copies: int, folder: Path) -> list[Path]:
    """Write ``copies`` renumbered copies of each corpus document, with a manifest."""
    manifest = find_manifest(corpus_dir())
    documents = sorted(p for p in corpus_dir().iterdir() if p.suffix == ".txt")
    entries, files = [], []
    for k in range(copies):
        for document in documents:
            text = document.read_text(encoding="utf-8")
            if k:
                text = _renumber(text, 1000 * k)
            target = folder / f"{k:05d}_{document.name}"
            target.write_text(text, encoding="utf-8")
            files.append(target)
            for key, value in (manifest.metadata_for(document.name) if manifest else {}).items():
                entries.append((target.name, key, value))
    lines, current = [], None
    for name, key, value in entries:
        if name != current:
            lines.append(f'\n["{name}"]')
            current = name
        lines.append(f"{key} = {json.dumps(value)}")
    (folder / MANIFEST_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def _renumber(text: str, offset: int) -> str:
    def shifted(match: re.Match[str]) -> str:
        return f"{match[1]}/{int(match[2]) + offset}"

    return _NUMBER.sub(shifted, text)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of the corpus [10]")
    parser.add_argument("--corpus", type=Path, help="build this folder instead of copies")
    parser.add_argument("--workers", type=int, help="worker processes [automatic]")
    parser.add_argument("--memory", action="store_true", help="an in-memory store, not on disk")
    parser.add_argument("--derived", action="store_true", help="also the lineage and links")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        folder = args.corpus or Path(scratch) / "corpus"
        if args.corpus is None:
            folder.mkdir()
            write_copies(args.copies, folder)
        store = open_store(None if args.memory else Path(scratch) / "store")
        wall = time.perf_counter()
        outcome = build([folder], store, workers=args.workers, derived=args.derived)
        wall = time.perf_counter() - wall
        store.close()
    stats, results = outcome.stats, outcome.results
    loaded = [r for r in results if r.status == "loaded"]
    print(f"documents: {stats.documents} ({stats.loaded} loaded, {stats.rejected} rejected)")
    print(f"workers:   {stats.workers}    store: {'memory' if args.memory else 'disk'}")
    print("stage       mean ms/doc   p95 ms/doc   total s")
    for stage in STAGES:
        values = [getattr(r.timings, stage) * 1000 for r in loaded]
        mean = statistics.fmean(values) if values else 0.0
        print(
            f"{stage:<10} {mean:12.1f} {percentile(values, 0.95):12.1f}"
            f" {stats.stage_seconds(stage):9.2f}"
        )
    for step in ("reference", "drafts", "lineage", "links"):
        if step in stats.seconds:
            print(f"{step:<10} {'':12} {'':12} {stats.seconds[step]:9.2f}")
    print(f"wall:      {wall:.2f} s")
    rate = f"{stats.documents / wall:.1f} documents/s, {stats.triples / wall:.0f} triples/s"
    print(f"throughput: {rate}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS:  {own:.0f} MB (this process), {children:.0f} MB (largest worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
