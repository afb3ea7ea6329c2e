"""A build that never ends, for the crash tests: ``python store_writer.py PATH direct|staged``.

Each round rewrites eight document graphs in one call. Every graph carries markers
(its round and its size) so a reader can tell a complete graph from a torn one.
"""

from __future__ import annotations

import sys

from pyoxigraph import Literal

from kg.staging import staging_store
from kg.store import GraphStore, open_store

GRAPHS = 8
EX = "http://example.org/"


def graph_iri(index: int) -> str:
    return f"{EX}graph/{index}"


def round_graphs(round_number: int) -> dict[str, str]:
    graphs = {}
    for index in range(GRAPHS):
        size = 200 + (round_number * 37 + index * 11) % 300
        subject = f"<{EX}doc/{index}>"
        lines = [
            f"{subject} <{EX}round> {integer(round_number)} .",
            f"{subject} <{EX}size> {integer(size)} .",
        ]
        lines += [
            f'<{EX}doc/{index}/p{k}> <{EX}text> "round {round_number} paragraph {k}" .'
            for k in range(size)
        ]
        graphs[graph_iri(index)] = "\n".join(lines)
    return graphs


def integer(value: int) -> str:
    return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#integer>'


def last_round(store: GraphStore) -> int:
    _, rows = store.select_rows(f"SELECT (MAX(?r) AS ?m) {{ ?d <{EX}round> ?r }}")
    value = rows[0].get("m") if rows else None
    return int(value.value) if isinstance(value, Literal) else 0


def main(path: str, mode: str) -> None:
    if mode == "direct":
        store = open_store(path)
        round_number = last_round(store)
        while True:
            round_number += 1
            store.replace_graphs(round_graphs(round_number))
            print(round_number, flush=True)
    latest: int | None = None
    while True:
        with staging_store(path) as store:
            latest = (last_round(store) if latest is None else latest) + 1
            store.replace_graphs(round_graphs(latest))
        print(latest, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
