"""Writing a derived graph from text made piece by piece: bulk-loaded when new, else replaced.

The lineage of a whole corpus is millions of lines, so :func:`kg.lineage.write_lineage`
hands the store pieces as they are made. These tests run on an in-memory store, an on-disk
store and a real Oxigraph server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg import lineage
from kg.errors import ParseError
from kg.graphstore import ntriples_batches
from kg.lineage import (
    LINEAGE_GRAPH,
    build_lineage_graph,
    compute_lineage,
    lineage_ntriples,
    write_graph,
    write_lineage,
)
from kg.pipeline import build
from kg.remote import RemoteGraphStore
from kg.resources import corpus_dir
from kg.store import GraphStore, open_store
from tests.store_fixtures import clear_server, oxigraph_server
from tests.test_lineage_stubs import _resolution

BASE = "https://w3id.org/kg-un/"
KG = "https://w3id.org/kg-un/ontology#"
DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _line(n: int, value: str = "1.000") -> str:
    return f'<{BASE}alignment/{n}> <{KG}similarity> "{value}"^^<{DECIMAL}> .\n'


def _stored(store: GraphStore, graph: str = LINEAGE_GRAPH) -> set[str]:
    return set(store.graph_ntriples(graph).decode().splitlines())


def _expected(text: str) -> set[str]:
    """``text`` as the store gives it back (it keeps ``1.000`` as ``1``)."""
    store = open_store(None)
    store.replace_graphs({LINEAGE_GRAPH: text})
    return _stored(store)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(params=["memory", "disk", "remote"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    store: GraphStore
    if request.param == "memory":
        store = open_store(None)
    elif request.param == "disk":
        store = open_store(tmp_path / "store")
    else:
        url = request.getfixturevalue("server_url")
        clear_server(url)
        store = RemoteGraphStore.from_url(url, env={})
    yield store
    store.close()


def test_write_graph_adds_then_replaces_with_what_changed(any_store: GraphStore) -> None:
    first = "".join(_line(n) for n in range(6))
    write_graph(any_store, LINEAGE_GRAPH, iter([first[:50], first[50:]]))
    assert _stored(any_store) == _expected(first)
    # Kept (0, 1, 3), dropped (2, 4), changed (5), new (6, 7), and one line given twice.
    second = [_line(0), _line(1), _line(3), _line(5, "0.500"), _line(6), _line(7), _line(1)]
    write_graph(any_store, LINEAGE_GRAPH, iter(second))
    assert _stored(any_store) == _expected("".join(second))
    assert any_store.count_triples(LINEAGE_GRAPH) == 6


def test_write_graph_with_no_text_removes_the_graph(any_store: GraphStore) -> None:
    write_graph(any_store, LINEAGE_GRAPH, _line(1))
    write_graph(any_store, LINEAGE_GRAPH, iter([]))
    assert LINEAGE_GRAPH not in any_store.graph_names()


def test_write_graph_keeps_the_old_graph_when_the_new_text_is_bad(any_store: GraphStore) -> None:
    write_graph(any_store, LINEAGE_GRAPH, _line(1))
    bad = _line(2) + f'<{BASE}a> <{KG}diff> "unclosed .\n'
    with pytest.raises(ParseError) as caught:
        write_graph(any_store, LINEAGE_GRAPH, iter([bad]))
    assert caught.value.line == 2
    assert f"graph <{LINEAGE_GRAPH}>" in str(caught.value)
    assert _stored(any_store) == _expected(_line(1))


def test_write_graph_names_the_line_of_bad_text_in_a_new_graph(any_store: GraphStore) -> None:
    """A new graph is bulk-loaded from all its pieces at once: an error in a later piece
    is reported at its line in the whole text."""
    pieces = [_line(n) for n in range(4)] + [f'<{BASE}a> <{KG}diff> "unclosed .\n']
    with pytest.raises(ParseError) as caught:
        write_graph(any_store, LINEAGE_GRAPH, iter(pieces))
    assert caught.value.line == 5
    assert f"graph <{LINEAGE_GRAPH}>" in str(caught.value)


def test_write_graph_refuses_a_blank_node_with_its_line() -> None:
    store = open_store(None)
    text = _line(1) + f'_:b1 <{KG}text> "one" .\n'
    with pytest.raises(ParseError, match="blank node") as caught:
        write_graph(store, LINEAGE_GRAPH, iter([text]))
    assert caught.value.line == 2
    # "_:" inside a literal is no blank node.
    write_graph(store, LINEAGE_GRAPH, f'<{BASE}a> <{KG}diff> "a_:b" .\n')
    assert store.count_triples(LINEAGE_GRAPH) == 1


def test_ntriples_batches_cut_at_line_ends_and_count_lines() -> None:
    text = "".join(_line(n) for n in range(10))
    pieces = [text[i : i + 7] for i in range(0, len(text), 7)]
    batches = list(ntriples_batches(pieces, "test", size=3 * len(_line(0))))
    assert b"".join(batch for batch, _ in batches) == text.encode()
    assert all(batch.endswith(b"\n") for batch, _ in batches)
    starts = [1 + b"".join(b for b, _ in batches[:i]).count(b"\n") for i in range(len(batches))]
    assert [line for _, line in batches] == starts
    assert len(batches) > 2


def test_ntriples_batches_report_a_blank_node_in_a_later_batch_at_its_line() -> None:
    lines = [_line(n) for n in range(5)] + [f"_:b <{KG}order> <{BASE}x> .\n"]
    with pytest.raises(ParseError) as caught:
        list(ntriples_batches(lines, "test", size=len(_line(0))))
    assert caught.value.line == 6


@pytest.fixture
def series_store() -> Iterator[GraphStore]:
    """Two members of a series, each with a preambular and an operative paragraph."""
    store = open_store(None)
    store.replace_graphs(dict(_resolution(n, 2000 + n) for n in (55, 56)))
    yield store
    store.close()


def test_write_lineage_stores_what_compute_lineage_gives(series_store: GraphStore) -> None:
    expected = build_lineage_graph(series_store)
    text = lineage_ntriples(compute_lineage(series_store))
    for _ in range(2):  # bulk-loaded, then replaced
        written = write_lineage(series_store)
        assert (written.comparisons, written.lines) == (1, text.count("\n"))
        assert [s.members for s in written.series] == [
            s.members for s in compute_lineage(series_store).series
        ]
        assert _stored(series_store) == _expected(text)
        assert series_store.count_triples(LINEAGE_GRAPH) == len(expected)
    assert isomorphic(build_lineage_graph(series_store), expected)


def test_write_lineage_in_worker_processes_writes_the_same_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The seeds' comparisons aligned one per worker task, in two processes."""
    store = open_store(None)
    build([corpus_dir()], store, derived=False)
    text = lineage_ntriples(compute_lineage(store))
    monkeypatch.setattr(lineage, "ALIGN_CHUNK", 1)
    written = write_lineage(store, workers=2)
    assert written.comparisons >= 3
    assert written.lines == text.count("\n")
    assert _stored(store) == _expected(text)
