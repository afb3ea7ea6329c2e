"""The statistics graph (issue 7): its observations are the live counts over the document
graphs, it is a Data Cube, it is the same on every build, and a rebuild replaces it.

The live counts here are written independently of kg/statistics.py: raw rows read inside
each document's graph and counted in Python, successors followed through the reference data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest

from kg.pipeline import build
from kg.queries import run_query
from kg.resources import corpus_dir
from kg.statistics import STATISTICS_GRAPH, write_statistics
from kg.store import GraphStore, open_store
from tests.queries_fixtures import BASE, sample_store

KG = "https://w3id.org/kg-un/ontology#"
QB = "http://purl.org/linked-data/cube#"
PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX qb: <{QB}>\n"
ACTION_FREQUENCY = BASE + "statistics/action-frequency"
BODIES = BASE + "statistics/bodies"

Key = tuple[str | None, ...]


def _select(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    _, rows = store.select_rows(PREFIXES + sparql)
    return [{k: v.value for k, v in row.items()} for row in rows]  # type: ignore[union-attr]


def observations(store: GraphStore) -> dict[str, dict[str, dict[str, str]]]:
    """Observation IRI → its properties (local names of kg: and qb: terms) per dataset;
    labels (the names of a counted body) are left out."""
    found: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    rows = _select(
        store,
        f"""SELECT ?o ?dataset ?p ?v WHERE {{ GRAPH <{STATISTICS_GRAPH}> {{
            ?o a qb:Observation ; qb:dataSet ?dataset ; ?p ?v
            FILTER(?p != <http://www.w3.org/2000/01/rdf-schema#label>) }} }}""",
    )
    for row in rows:
        properties = found[row["dataset"]].setdefault(row["o"], {})
        name = row["p"].rpartition("#")[2]
        assert name not in properties, f"{row['o']} has two values of {row['p']}"
        properties[name] = row["v"]
    return dict(found)


def live_action_frequency(store: GraphStore) -> dict[Key, int]:
    """(adopting body, year, action) → paragraphs of the resolutions, counted live."""
    rows = _select(
        store,
        """SELECT ?paragraph ?concept ?body ?date WHERE { GRAPH ?r {
             ?paragraph kg:paragraphOf ?r ; kg:action ?concept .
             OPTIONAL { ?r kg:adoptedBy ?body } OPTIONAL { ?r kg:adoptionDate ?date } } }""",
    )
    paragraphs: dict[Key, set[str]] = defaultdict(set)
    for row in rows:
        year = str(int(row["date"][:4])) if "date" in row else None
        paragraphs[row.get("body"), year, row["concept"]].add(row["paragraph"])
    return {key: len(found) for key, found in paragraphs.items()}


def live_bodies(store: GraphStore, follow: bool) -> dict[str, tuple[int, int, int]]:
    """Body → (resolutions, paragraphs, mandates) that name or address it, counted live."""
    rows = _select(
        store,
        """SELECT ?r ?paragraph ?named ?mandate WHERE {
             { GRAPH ?r { ?paragraph kg:mentionsBody ?named
                          FILTER NOT EXISTS { ?paragraph a kg:DraftResolution } }
               FILTER(?paragraph != ?r) }
             UNION { GRAPH ?r { ?mandate kg:addressee ?named ; kg:createdBy ?paragraph } } }""",
    )
    newer: dict[str, set[str]] = defaultdict(set)
    for pair in _select(
        store,
        """SELECT DISTINCT ?old ?new WHERE {
             { ?new kg:predecessor ?old } UNION { ?old kg:successor ?new } }""",
    ):
        newer[pair["old"]].add(pair["new"])

    def latest(body: str) -> set[str]:
        if not follow or body not in newer:
            return {body}
        return set().union(*(latest(successor) for successor in newer[body]))

    counted: dict[str, tuple[set[str], set[str], set[str]]] = defaultdict(
        lambda: (set(), set(), set())
    )
    for row in rows:
        for body in latest(row["named"]):
            resolutions, paragraphs, mandates = counted[body]
            resolutions.add(row["r"])
            paragraphs.add(row["paragraph"])
            if "mandate" in row:
                mandates.add(row["mandate"])
    return {body: (len(r), len(p), len(m)) for body, (r, p, m) in counted.items()}


def stored_action_frequency(store: GraphStore) -> dict[Key, int]:
    return {
        (o.get("adoptingBody"), o.get("adoptionYear"), o["clauseAction"]): int(o["paragraphCount"])
        for o in observations(store)[ACTION_FREQUENCY].values()
    }


def stored_bodies(store: GraphStore, follow: bool) -> dict[str, tuple[int, int, int]]:
    return {
        o["countedBody"]: (
            int(o["resolutionCount"]),
            int(o["paragraphCount"]),
            int(o["mandateCount"]),
        )
        for o in observations(store)[BODIES].values()
        if o["successorsFollowed"] == str(follow).lower()
    }


@pytest.fixture(scope="module")
def sample() -> Iterator[GraphStore]:
    """The hand-written sample dataset with its statistics graph."""
    store = sample_store()
    yield store
    store.close()


@pytest.mark.parametrize("which", ["corpus", "sample"])
def test_observations_equal_the_live_counts(
    which: str, corpus_store: GraphStore, sample: GraphStore
) -> None:
    store = corpus_store if which == "corpus" else sample
    assert stored_action_frequency(store) == live_action_frequency(store)
    for follow in (False, True):
        assert stored_bodies(store, follow) == live_bodies(store, follow)


def test_following_successors_counts_former_bodies_under_unodc(corpus_store: GraphStore) -> None:
    plain, followed = stored_bodies(corpus_store, False), stored_bodies(corpus_store, True)
    former = {BASE + "body/cicp", BASE + "body/odccp"}
    assert former <= plain.keys()
    assert followed.keys() == plain.keys() - former
    assert followed[BASE + "body/unodc"] == (5, 23, 9)
    ecosoc = (BASE + "body/ecosoc", "2004", "https://w3id.org/kg-un/ontology/action/recommend")
    assert stored_action_frequency(corpus_store)[ecosoc] == 1


def test_observations_form_a_data_cube(corpus_store: GraphStore) -> None:
    found = observations(corpus_store)
    assert set(found) == {ACTION_FREQUENCY, BODIES}
    measures = {ACTION_FREQUENCY: {"paragraphCount"},
                BODIES: {"resolutionCount", "paragraphCount", "mandateCount"}}  # fmt: skip
    for dataset, by_iri in found.items():
        for iri, properties in by_iri.items():
            assert iri.startswith(dataset + "/") and len(iri) == len(dataset) + 17, iri
            assert measures[dataset] <= properties.keys(), iri
        slices: dict[str | None, list[int]] = defaultdict(list)
        for properties in by_iri.values():
            slices[properties.get("successorsFollowed")].append(int(properties["rank"]))
        assert all(sorted(r) == list(range(1, len(r) + 1)) for r in slices.values())
    components = _select(
        corpus_store,
        f"""SELECT ?dataset ?property WHERE {{ GRAPH <{STATISTICS_GRAPH}> {{
            ?dataset a qb:DataSet ; qb:structure/qb:component
                [ qb:dimension|qb:measure|qb:attribute ?property ] }} }}""",
    )
    declared: dict[str, set[str]] = defaultdict(set)
    for row in components:
        declared[row["dataset"]].add(row["property"].rpartition("#")[2])
    for dataset, by_iri in found.items():
        used = set().union(*(p.keys() for p in by_iri.values())) - {"type", "dataSet"}
        assert used == declared[dataset], dataset


def test_stored_queries_list_the_live_counts_in_order(corpus_store: GraphStore) -> None:
    """The two queries give the live counts, sorted as their ORDER BY says (kg:rank)."""
    names = {row["b"]: row["name"] for row in _select(
        corpus_store,
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?b ?name WHERE { ?b skos:prefLabel ?name FILTER(LANG(?name) = "en") }""",
    )}  # fmt: skip
    for follow in (False, True):
        live = live_bodies(corpus_store, follow)
        expected = [(b, names.get(b), str(r), str(p), str(m)) for b, (r, p, m) in live.items()]
        expected.sort(key=lambda row: (-int(row[2]), -int(row[3]), row[0]))
        got = run_query(corpus_store, "bodies", {"follow": str(follow).lower()}).values()
        assert got == expected
    counts = live_action_frequency(corpus_store)
    rows = [(b, y, a.rpartition("/")[2], str(n)) for (b, y, a), n in counts.items()]
    rows.sort(key=lambda r: (r[0] is not None, r[0] or "", int(r[1] or 0), -int(r[3]), r[2]))
    assert run_query(corpus_store, "action-frequency").values() == rows


def test_statistics_graph_is_the_same_on_every_build(corpus_store: GraphStore) -> None:
    with open_store(None) as store:
        build([corpus_dir()], store)
        first = set(store.graph_ntriples(STATISTICS_GRAPH).splitlines())
        assert write_statistics(store, BASE) == len(first)
        assert set(store.graph_ntriples(STATISTICS_GRAPH).splitlines()) == first
    assert set(corpus_store.graph_ntriples(STATISTICS_GRAPH).splitlines()) == first


def test_write_statistics_replaces_the_graph() -> None:
    sample = sample_store()
    before = stored_bodies(sample, False)
    sample.replace_graphs({BASE + "resolution/A/RES/56/120": ""})
    write_statistics(sample, BASE)
    after = stored_bodies(sample, False)
    assert after != before
    assert after == live_bodies(sample, False)
    assert stored_action_frequency(sample) == live_action_frequency(sample)
