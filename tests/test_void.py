"""VoID statistics counted from the dumped lines agree with SPARQL over the same graphs."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from kg.store import GraphStore, open_store
from kg.void import StatisticsCounter
from tests.store_fixtures import GRAPH_BUILD, sample_graphs

ANNEX = """<http://ex.org/r> <http://ex.org/annex> _:a .
_:a <http://ex.org/label> "annex" .
_:a <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Annex> .
_:a <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "not a class" .
"""


def sparql_counts(store: GraphStore, graphs: list[str]) -> dict[str, object]:
    """The counts as SPARQL gives them over the union of ``graphs``."""
    scope = f"VALUES ?g {{ {' '.join(str(NamedNode(g)) for g in graphs)} }} GRAPH ?g"
    distinct = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {scope} {{ ?s ?p ?o }} }}"

    def rows(query: str) -> list[dict[str, object]]:
        return [
            {k: int(v.value) if isinstance(v, Literal) else v.value for k, v in row.items()}
            for row in store.select_rows(query)[1]
        ]

    totals = rows(
        "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s) (COUNT(DISTINCT ?o) AS ?o) "
        f"WHERE {{ {{ {distinct} }} }}"
    )[0]
    classes = rows(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {scope} {{ ?s a ?c FILTER(isIRI(?c)) }} }}"
        " GROUP BY ?c"
    )
    properties = rows(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {{ {distinct} }} }} GROUP BY ?p")
    return {
        "triples": totals["t"],
        "subjects": totals["s"],
        "objects": totals["o"],
        "classes": tuple(sorted((r["c"], r["n"]) for r in classes)),
        "properties": tuple(sorted((r["p"], r["n"]) for r in properties)),
    }


def test_statistics_counter_agrees_with_sparql() -> None:
    store = open_store(None)
    store.replace_graphs(sample_graphs())
    # The same annex in two graphs: blank nodes are not shared, the other triples are.
    store.replace_graphs({"http://ex.org/g1": ANNEX, "http://ex.org/g2": ANNEX})
    graphs = [g for g in store.graph_names() if g != GRAPH_BUILD]
    counter = StatisticsCounter()
    for graph in graphs:
        counter.add(store.graph_ntriples(graph).splitlines(keepends=True))
    statistics = counter.finish(())
    counted = {
        "triples": statistics.triples,
        "subjects": statistics.distinct_subjects,
        "objects": statistics.distinct_objects,
        "classes": statistics.classes,
        "properties": statistics.properties,
    }
    assert counted == sparql_counts(store, graphs)
    # The sample: 190 quads, 184 distinct triples; the annexes share no triple.
    assert statistics.triples == 184 + 8
    assert ("http://ex.org/Annex", 2) in statistics.classes
