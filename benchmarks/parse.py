"""Parse throughput: the bundled corpus repeated to at least 10 MB, parsed text by text.

Run: ``python benchmarks/parse.py [--megabytes 10] [--layouts]``. Prints documents per
second and megabytes per second (wall clock, and per CPU second so other load on the
machine does not blur it), per layout, and the one-off cost of loading the reference
data. ``--layouts`` adds the texts of tests/texts/ (HTML, PDF text, older layouts).
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from kg.gazetteer import load_gazetteer
from kg.parse import SUFFIXES, parse_resolution
from kg.resources import corpus_dir

HERE = Path(__file__).resolve().parent
EXTRA = HERE.parent / "tests" / "texts"


def texts(layouts: bool) -> list[tuple[str, bytes]]:
    """The corpus texts, and with ``layouts`` the layout test texts."""
    folders = [corpus_dir()] + ([EXTRA] if layouts and EXTRA.is_dir() else [])
    return [
        (path.name, path.read_bytes())
        for folder in folders
        for path in sorted(folder.iterdir())
        if path.suffix in SUFFIXES
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0, help="Data to parse (MB).")
    parser.add_argument("--layouts", action="store_true", help="Add the tests/texts/ texts.")
    args = parser.parse_args()

    started = time.perf_counter()
    gazetteer = load_gazetteer()
    load_seconds = time.perf_counter() - started

    sample = texts(args.layouts)
    size = sum(len(data) for _, data in sample)
    rounds = max(1, int(args.megabytes * 1_000_000 // size) + 1)
    per_layout: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    total_bytes = documents = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for _ in range(rounds):
        for name, data in sample:
            begin = time.perf_counter()
            resolution = parse_resolution(data, name, gazetteer=gazetteer)
            stats = per_layout[resolution.format]
            stats[0] += 1
            stats[1] += len(data)
            stats[2] += time.perf_counter() - begin
            total_bytes += len(data)
            documents += 1
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started

    print(f"reference data loaded in {load_seconds * 1000:.0f} ms (once per process)")
    print(
        f"parsed {documents} documents, {total_bytes / 1e6:.1f} MB "
        f"({len(sample)} texts x {rounds}) in {seconds:.2f} s"
    )
    print(
        f"throughput: {documents / seconds:.1f} documents/s, {total_bytes / 1e6 / seconds:.2f} MB/s"
    )
    print(
        f"per CPU second (other load on the machine aside): {documents / cpu_seconds:.1f} "
        f"documents/s, {total_bytes / 1e6 / cpu_seconds:.2f} MB/s"
    )
    for layout, (count, nbytes, spent) in sorted(per_layout.items()):
        print(
            f"  {layout:<9} {count / spent:8.1f} documents/s  {nbytes / 1e6 / spent:6.2f} MB/s"
            f"  ({int(count)} documents)"
        )


if __name__ == "__main__":
    main()
