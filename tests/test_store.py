"""The store: the same behaviour from the embedded store and from a real Oxigraph server.

Tests taking ``any_store`` run twice: on an in-memory pyoxigraph store and on a
``RemoteGraphStore`` talking to ``oxigraph serve`` started by the test module.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)

from kg.errors import NotFoundError, ParseError, QueryError, StoreError
from kg.remote import RemoteGraphStore
from kg.store import GraphStore, open_store
from tests import store_writer as writer
from tests.store_fixtures import (
    BASE,
    GRAPH_BUILD,
    GRAPH_LINKS,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
    RES_56_120,
    RES_58_135,
    clear_server,
    oxigraph_server,
    sample_graphs,
)

KG = "https://w3id.org/kg-un/ontology#"


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(params=["embedded", "remote"])
def any_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    store: GraphStore
    if request.param == "embedded":
        store = open_store(None)
    else:
        url = request.getfixturevalue("server_url")
        clear_server(url)
        store = RemoteGraphStore.from_url(url, env={})
    yield store
    store.close()


@pytest.fixture
def sample_store(any_store: GraphStore) -> GraphStore:
    any_store.replace_graphs(sample_graphs())
    return any_store


def serialize_ntriples(triples: list[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def quads_of(store: GraphStore) -> set[tuple[str, bytes]]:
    return {
        (graph, line)
        for graph in store.graph_names()
        for line in store.graph_ntriples(graph).splitlines()
    }


def test_store_replace_graphs_loads_each_named_graph(sample_store: GraphStore) -> None:
    assert sample_store.graph_names() == [
        GRAPH_BUILD,
        GRAPH_LINKS,
        GRAPH_ONTOLOGY,
        GRAPH_REFERENCE,
        RES_56_120,
        RES_58_135,
    ]
    assert sample_store.count_triples(RES_58_135) == 83
    assert sample_store.count_triples(RES_56_120) == 35
    assert sample_store.count_triples(GRAPH_LINKS) == 42
    # 191 quads; the stubs of 55/25 and 56/120 repeat three triples each in two graphs.
    assert sample_store.count_triples() == 185


def test_store_replace_graphs_twice_gives_the_same_quads(sample_store: GraphStore) -> None:
    before = quads_of(sample_store)
    sample_store.replace_graphs(sample_graphs())
    assert quads_of(sample_store) == before
    assert len(before) == 191


def test_store_replace_graphs_drops_the_old_content(sample_store: GraphStore) -> None:
    sample_store.replace_graphs({RES_56_120: f'<{RES_56_120}> <{KG}symbol> "A/RES/56/120" .\n'})
    assert sample_store.count_triples(RES_56_120) == 1
    assert sample_store.count_triples(RES_58_135) == 83
    _, rows = sample_store.select_rows(
        f"SELECT ?session WHERE {{ GRAPH <{RES_56_120}> {{ ?r <{KG}session> ?session }} }}"
    )
    assert rows == []


def test_store_add_new_graphs_gives_the_quads_replace_graphs_gives(
    any_store: GraphStore,
) -> None:
    graphs = {name: serialize_ntriples(triples) for name, triples in sample_graphs().items()}
    any_store.add_new_graphs(graphs)
    added = quads_of(any_store)
    any_store.replace_graphs(graphs)
    assert quads_of(any_store) == added
    assert len(added) == 191


def test_store_add_new_graphs_keeps_blank_nodes_of_each_graph_apart(
    any_store: GraphStore,
) -> None:
    text = f'_:b1 <{KG}text> "one" .\n_:b1 <{KG}order> "1" .\n'
    any_store.add_new_graphs({RES_56_120: text, RES_58_135: text})
    _, rows = any_store.select_rows(
        f"SELECT DISTINCT ?g ?node WHERE {{ GRAPH ?g {{ ?node <{KG}text> ?t ; <{KG}order> ?o }} }}"
    )
    assert len(rows) == 2
    assert len({row["node"] for row in rows}) == 2


def test_store_add_new_graphs_names_the_graph_and_line_of_bad_ntriples() -> None:
    store = open_store(None)
    good = f'<{RES_56_120}> <{KG}symbol> "A/RES/56/120" .\n'
    bad = good + f'<{RES_58_135}> <{KG}symbol> "A/RES/58/135 .\n'
    with pytest.raises(ParseError) as caught:
        store.add_new_graphs({RES_56_120: good, RES_58_135: bad})
    assert f"graph <{RES_58_135}>" in str(caught.value)
    assert caught.value.line == 2


def test_store_replace_graphs_with_empty_graph_removes_it(sample_store: GraphStore) -> None:
    sample_store.replace_graphs({GRAPH_BUILD: "", RES_56_120: rdflib.Graph()})
    assert GRAPH_BUILD not in sample_store.graph_names()
    assert RES_56_120 not in sample_store.graph_names()
    assert len(sample_store.graph_names()) == 4


def test_store_replace_document_accepts_an_rdflib_graph(any_store: GraphStore) -> None:
    graph = rdflib.Graph()
    graph.parse(
        data=f"""@prefix kg: <{KG}> .
        <{RES_58_135}> kg:symbol "A/RES/58/135" ;
            kg:title "Coopération « internationale »"@fr ;
            kg:annex [ kg:label "annex" ; kg:order 1 ] .""",
        format="turtle",
    )
    any_store.replace_document(RES_58_135, graph)
    triples = any_store.describe(RES_58_135)
    assert len(triples) == 5
    titles = [t.object for t in triples if t.predicate == NamedNode(KG + "title")]
    assert titles == [Literal("Coopération « internationale »", language="fr")]
    annex = next(t.object for t in triples if t.predicate == NamedNode(KG + "annex"))
    assert isinstance(annex, BlankNode)
    assert Triple(annex, NamedNode(KG + "order"), Literal(1)) in triples


def test_store_query_default_graph_is_the_union(sample_store: GraphStore) -> None:
    # The title is in the document's graph, the body's label in the reference graph.
    names, rows = sample_store.select_rows(
        f"""PREFIX kg: <{KG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE {{ <{RES_58_135}> kg:adoptedBy ?b . ?b skos:prefLabel ?label }}"""
    )
    assert names == ["label"]
    assert rows == [{"label": Literal("General Assembly", language="en")}]


def test_store_query_without_union_reads_the_default_graph_only(
    sample_store: GraphStore,
) -> None:
    result = sample_store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=False)
    assert isinstance(result, QueryBoolean)
    assert not bool(result)


def test_store_select_rows_binds_substitutions(sample_store: GraphStore) -> None:
    sparql = f"""PREFIX kg: <{KG}>
        SELECT ?session ?mandate ?task WHERE {{
          ?mandate a kg:Mandate ; kg:dueSession ?session ; kg:task ?task }}"""
    names, rows = sample_store.select_rows(sparql, substitutions={"session": Literal(59)})
    assert names == ["session", "mandate", "task"]
    assert rows == [
        {
            "session": Literal(59),
            "mandate": NamedNode(RES_58_135 + "/operative/9/mandate"),
            "task": Literal("to submit a report on the implementation of the present resolution"),
        }
    ]


def test_store_select_rows_omits_unbound_variables(sample_store: GraphStore) -> None:
    _, rows = sample_store.select_rows(
        f"""PREFIX kg: <{KG}> SELECT ?p ?number WHERE {{
          ?p kg:paragraphOf <{RES_58_135}> OPTIONAL {{ ?p kg:number ?number }} }} ORDER BY ?p"""
    )
    assert rows == [
        {"p": NamedNode(RES_58_135 + "/operative/7"), "number": Literal("7")},
        {"p": NamedNode(RES_58_135 + "/operative/9"), "number": Literal("9")},
        {"p": NamedNode(RES_58_135 + "/preamble/1")},
    ]


def test_store_select_values_gives_tuples_in_variable_order(sample_store: GraphStore) -> None:
    values = sample_store.select_values(
        f"""PREFIX kg: <{KG}> SELECT ?number ?p WHERE {{
          ?p kg:paragraphOf <{RES_58_135}> OPTIONAL {{ ?p kg:number ?number }} }} ORDER BY ?p"""
    )
    assert list(values) == [
        ("7", RES_58_135 + "/operative/7"),
        ("9", RES_58_135 + "/operative/9"),
        ("", RES_58_135 + "/preamble/1"),
    ]
    with pytest.raises(QueryError, match="expected a SELECT query"):
        list(sample_store.select_values("ASK { ?s ?p ?o }"))


def test_store_query_bad_sparql_raises_query_error(any_store: GraphStore) -> None:
    with pytest.raises(QueryError) as info:
        any_store.query("SELECT ?x WHERE { ?x ", name="mandates-by-body")
    assert str(info.value).startswith("mandates-by-body: ")


def test_store_select_rows_refuses_ask(any_store: GraphStore) -> None:
    with pytest.raises(QueryError, match="expected a SELECT query"):
        any_store.select_rows("ASK { ?s ?p ?o }")


def test_store_query_construct_returns_query_triples(sample_store: GraphStore) -> None:
    result = sample_store.query(
        f"CONSTRUCT {{ ?s <{KG}symbol> ?o }} "
        f"WHERE {{ GRAPH <{RES_56_120}> {{ ?s <{KG}symbol> ?o }} }}"
    )
    assert isinstance(result, QueryTriples)
    assert sorted(str(t.object) for t in result) == ['"A/RES/55/25"', '"A/RES/56/120"']


def test_store_describe_merges_graphs_without_duplicates(sample_store: GraphStore) -> None:
    # The stub of A/RES/55/25 is in both document graphs.
    triples = sample_store.describe(BASE + "resolution/A/RES/55/25")
    assert [str(t.predicate) for t in triples] == [
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        f"<{KG}adoptedBy>",
        f"<{KG}symbol>",
    ]
    mandate = sample_store.describe(RES_58_135 + "/operative/9/mandate")
    assert len(mandate) == 8
    assert (
        Triple(
            NamedNode(RES_58_135 + "/operative/9/mandate"),
            NamedNode(KG + "dueSession"),
            Literal(59),
        )
        in mandate
    )


def test_store_describe_takes_links_from_the_links_graph(sample_store: GraphStore) -> None:
    triples = sample_store.describe(RES_58_135)
    assert len(triples) == 25 + 5
    assert NamedNode("https://undocs.org/en/A/RES/58/135") in {t.object for t in triples}


def test_store_describe_unknown_iri_raises_not_found(sample_store: GraphStore) -> None:
    with pytest.raises(NotFoundError) as info:
        sample_store.describe(BASE + "resolution/A/RES/99/1")
    assert str(info.value) == f"resource not found: {BASE}resolution/A/RES/99/1"


def test_store_load_files_resolves_relative_iris(any_store: GraphStore, tmp_path: Path) -> None:
    first = tmp_path / "bodies.ttl"
    first.write_text(
        '@prefix kg: <https://w3id.org/kg-un/ontology#> .\n<body/unodc> kg:shortName "UNODC" .\n'
    )
    second = tmp_path / "treaties.nt"
    second.write_text(f'<{BASE}treaty/untoc> <{KG}shortName> "UNTOC" .\n')
    assert any_store.load_files([first, second], GRAPH_REFERENCE, base_iri=BASE) == 2
    assert any_store.load_file(first, GRAPH_REFERENCE, base_iri=BASE) == 1
    assert any_store.describe(BASE + "body/unodc") == [
        Triple(NamedNode(BASE + "body/unodc"), NamedNode(KG + "shortName"), Literal("UNODC"))
    ]
    assert any_store.count_triples(GRAPH_REFERENCE) == 1


def test_store_load_file_with_bad_turtle_raises_parse_error(
    any_store: GraphStore, tmp_path: Path
) -> None:
    bad = tmp_path / "kg.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg-un/ontology#> .\nkg:A kg:b kg:c ;\n kg:d .\n")
    with pytest.raises(ParseError) as info:
        any_store.load_file(bad, GRAPH_ONTOLOGY)
    assert info.value.source == str(bad)
    assert (info.value.line, info.value.column) == (3, 7)
    assert str(info.value) == (
        f"{bad}:3:7: invalid RDF: Parser error at line 3 column 7: . is not a valid RDF object. "
        "Fix the syntax"
    )
    assert any_store.graph_names() == []


def test_store_read_only_refuses_writes(server_url: str, tmp_path: Path) -> None:
    open_store(tmp_path / "s").close()
    for store in (
        open_store(tmp_path / "s", read_only=True),
        RemoteGraphStore.from_url(server_url, read_only=True, env={}),
    ):
        with pytest.raises(StoreError, match="the store is open read-only"):
            store.replace_graphs({RES_58_135: ""})


# -- on disk ------------------------------------------------------------------------

WRITER = Path(__file__).with_name("store_writer.py")


def test_open_store_on_disk_keeps_graphs_after_reopening(tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        store.replace_graphs(sample_graphs())
    with open_store(tmp_path / "store", read_only=True) as store:
        assert store.count_triples(RES_58_135) == 83
        assert len(store.graph_names()) == 6


def test_open_store_read_only_without_a_store_raises(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "missing", read_only=True)
    assert str(info.value) == (
        f"{tmp_path / 'missing'}: no store here. Build one first with `kg build --store PATH`"
    )


def test_open_store_twice_read_write_reports_the_lock(tmp_path: Path) -> None:
    first = open_store(tmp_path / "store")
    with pytest.raises(StoreError, match="the store is locked by another process"):
        open_store(tmp_path / "store")
    first.close()
    open_store(tmp_path / "store").close()  # the lock goes with the store


def test_open_store_refuses_a_file_and_a_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a store")
    with pytest.raises(StoreError, match="is a file, not a store directory"):
        open_store(tmp_path / "notes.txt")
    with pytest.raises(StoreError, match="the directory is not empty and holds no store"):
        open_store(tmp_path)


def run_writer_and_kill(path: Path, mode: str, delay: float) -> int:
    """Start an endless build, SIGKILL it ``delay`` s after its first commit; return that round."""
    process = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline().strip()
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stderr = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert first.isdigit(), stderr
    return int(first)


def check_whole_graphs(path: Path) -> int:
    """Assert every document graph is complete and all come from one round; return it."""
    rounds = set()
    with open_store(path) as store:
        for index in range(writer.GRAPHS):
            graph = writer.graph_iri(index)
            _, rows = store.select_rows(
                f"""SELECT ?round ?size WHERE {{ GRAPH <{graph}> {{
                    ?d <{writer.EX}round> ?round ; <{writer.EX}size> ?size }} }}"""
            )
            assert len(rows) == 1, graph
            round_number = int(rows[0]["round"].value)  # type: ignore[union-attr]
            size = int(rows[0]["size"].value)  # type: ignore[union-attr]
            assert store.count_triples(graph) == size + 2
            _, stale = store.select_rows(
                f"""SELECT ?text WHERE {{ GRAPH <{graph}> {{ ?p <{writer.EX}text> ?text
                    FILTER(!STRSTARTS(?text, "round {round_number} ")) }} }}"""
            )
            assert stale == []
            rounds.add(round_number)
    assert len(rounds) == 1, rounds
    return rounds.pop()


@pytest.mark.parametrize("mode", ["direct", "staged"])
def test_store_sigkill_during_a_build_leaves_whole_graphs(tmp_path: Path, mode: str) -> None:
    rng = random.Random(58135)
    path = tmp_path / "store"
    committed = 0
    for _ in range(5):
        first = run_writer_and_kill(path, mode, rng.uniform(0.0, 0.4))
        assert first == committed + 1  # the writer resumed from the last whole round
        committed = check_whole_graphs(path)
        assert committed >= first
