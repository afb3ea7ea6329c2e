"""Rewrite the golden graphs ``tests/expected/<document>.ttl`` from the current mapping.

Run it only after a deliberate change to the parser or the mapping, then read the diff of
every file against the texts in ``corpus/`` before committing it: the golden graphs are
what ``tests/test_mapping.py`` holds the mapping to.

    python tests/regenerate_expected.py            # all corpus documents
    python tests/regenerate_expected.py --check    # exit 1 if a golden graph would change
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from kg.manifest import find_manifest
from kg.mapping import to_graph
from kg.parse import parse_file
from kg.resources import corpus_dir

EXPECTED = Path(__file__).parent / "expected"


def corpus_files() -> list[Path]:
    """The bundled corpus documents, in name order."""
    return sorted(p for p in corpus_dir().iterdir() if p.suffix in {".txt", ".md", ".html"})


def expected_path(document: Path) -> Path:
    return EXPECTED / f"{document.stem}.ttl"


def mapped(document: Path) -> Graph:
    """The graph the current parser and mapping give for a corpus document."""
    return to_graph(parse_file(document, find_manifest(document.parent)))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    EXPECTED.mkdir(exist_ok=True)
    changed = []
    for document in corpus_files():
        graph, target = mapped(document), expected_path(document)
        if target.exists() and isomorphic(graph, Graph().parse(target, format="turtle")):
            continue
        changed.append(target.name)
        if not check:
            graph.serialize(target, format="turtle", encoding="utf-8")
    print(f"{len(changed)} golden graph(s) {'differ' if check else 'written'}: {changed}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
