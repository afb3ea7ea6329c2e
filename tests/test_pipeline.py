"""The build pipeline (issue 3): the five seeds into a real pyoxigraph store, checked against
what a careful reader finds in them (``tests/truth``), plus rebuilds, bad files and drafts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kg import pipeline
from kg.errors import ParseError
from kg.manifest import MANIFEST_NAME
from kg.pipeline import (
    BUILD_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    build,
    ingest,
    write_reference_graphs,
)
from kg.resources import corpus_dir
from kg.store import GraphStore, open_store

BASE = "https://w3id.org/kg-un/"
RES = BASE + "resolution/"
TRUTH = Path(__file__).parent / "truth"
SEEDS = sorted(p.name for p in corpus_dir().glob("*.txt"))
DRAFT = RES + "E/RES/2004/23/draft"
ACROSS_STORES = (BUILD_GRAPH, ONTOLOGY_GRAPH)
PREFIXES = """PREFIX kg: <https://w3id.org/kg-un/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX mkind: <https://w3id.org/kg-un/ontology/mandate-kind/>
"""


def rows(store: GraphStore, sparql: str, **values: str) -> list[dict[str, str]]:
    for name, value in values.items():
        sparql = sparql.replace(f"${name}", json.dumps(value))
    _, found = store.select_rows(PREFIXES + sparql)
    return [{k: str(getattr(v, "value", v)) for k, v in row.items()} for row in found]


def truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TRUTH / name.replace(".txt", ".json")).read_text())
    return data


def subject_of(store: GraphStore, name: str) -> str:
    found = rows(
        store,
        "SELECT ?r WHERE { ?r prov:wasDerivedFrom/kg:sourceFile $file }",
        file=name,
    )
    assert len(found) == 1, name
    return found[0]["r"]


def quads(store: GraphStore, *, skip: tuple[str, ...] = (BUILD_GRAPH,)) -> dict[str, set[str]]:
    """Each graph's triples as N-Triples lines; two stores agree on them except where a graph
    has blank nodes (the ontology's), whose labels each store chooses."""
    return {
        name: set(store.graph_ntriples(name).decode("utf-8").splitlines())
        for name in store.graph_names()
        if name not in skip
    }


def copy_corpus(target: Path, names: list[str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names or SEEDS:
        shutil.copy(corpus_dir() / name, target / name)
    shutil.copy(corpus_dir() / MANIFEST_NAME, target / MANIFEST_NAME)
    return target


# -- the five seeds, against the truth ---------------------------------------------------


def test_ingest_loads_the_five_seeds_and_the_dataset_graphs(corpus_store: GraphStore) -> None:
    names = corpus_store.graph_names()
    for graph in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, BUILD_GRAPH, BASE + "graph/lineage"):
        assert graph in names
    documents = {subject_of(corpus_store, name) for name in SEEDS}
    assert documents <= set(names)
    assert RES + "A/RES/58/135" in documents and RES + "E/RES/2004/23" in documents


def test_ingest_counts_resolutions_described_and_cited(corpus_store: GraphStore) -> None:
    described = rows(
        corpus_store,
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a kg:Resolution ; kg:hasParagraph ?p }",
    )
    assert described == [{"n": "5"}]
    stubs = rows(
        corpus_store,
        """SELECT DISTINCT ?r WHERE { ?r a kg:Resolution
           FILTER NOT EXISTS { ?r kg:hasParagraph ?p } } ORDER BY ?r""",
    )
    assert [r["r"].removeprefix(RES) for r in stubs] == [
        "A/RES/54/126",
        "A/RES/55/25",
        "A/RES/55/255",
        "A/RES/55/59",
        "A/RES/57/173",
        "A/RES/67/189",
        "cop-untoc/5/5",
        "cop-untoc/6/1",
    ]


@pytest.mark.parametrize("name", SEEDS)
def test_ingest_paragraph_counts_match_the_truth(corpus_store: GraphStore, name: str) -> None:
    expected = truth(name)
    r = subject_of(corpus_store, name)
    texts = [(r, expected)]
    if isinstance(expected.get("draft"), dict):
        texts.append((r + "/draft", expected["draft"]))
    for text, facts in texts:
        for part, key in (("Preambular", "preamble_phrases"), ("Operative", "operative_phrases")):
            found = rows(
                corpus_store,
                f"""SELECT ?phrase WHERE {{ ?p kg:paragraphOf <{text}> ; a kg:{part}Paragraph ;
                    kg:order ?o ; kg:leadingPhrase ?phrase }} ORDER BY ?o""",
            )
            assert [f["phrase"] for f in found] == facts[key], (text, part)


@pytest.mark.parametrize("name", SEEDS)
def test_ingest_citations_match_the_truth(corpus_store: GraphStore, name: str) -> None:
    expected = truth(name)
    r = subject_of(corpus_store, name)
    found = rows(
        corpus_store,
        f"""SELECT DISTINCT ?label ?kind WHERE {{
              GRAPH <{r}> {{ <{r}> eli:cites ?c . ?c a ?kind .
                OPTIONAL {{ ?c kg:symbol ?s }}
                OPTIONAL {{ ?c kg:resolutionNumber ?n }} }}
              VALUES ?kind {{ kg:Resolution kg:Document }}
              BIND(COALESCE(?s, CONCAT("CTOC/COP resolution ", ?n)) AS ?label)
            }} ORDER BY ?label""",
    )
    resolutions = [f["label"] for f in found if f["kind"].endswith("Resolution")]
    documents = [f["label"] for f in found if f["kind"].endswith("Document")]
    assert resolutions == sorted(expected["cited_resolutions"])
    if name == "002_e2bf1470f0b0be76.txt":  # the footnote of the quoted draft names a report
        assert documents == ["E/CN.15/2004/5"]
    else:
        assert documents == sorted(expected.get("cited_documents", []))


@pytest.mark.parametrize("name", SEEDS)
def test_ingest_requests_match_the_truth(corpus_store: GraphStore, name: str) -> None:
    expected = truth(name)
    r = subject_of(corpus_store, name)
    found = rows(
        corpus_store,
        f"""SELECT ?order ?to WHERE {{
              ?m a kg:Mandate ; kg:mandateKind mkind:request ; kg:createdBy ?p ;
                 kg:addressee/skos:prefLabel ?to .
              ?p kg:paragraphOf <{r}> ; kg:order ?order }} ORDER BY ?order ?to""",
    )
    assert [[f"op{f['order']}", f["to"]] for f in found] == expected["requests_to"]
    due = rows(
        corpus_store,
        f"""SELECT ?order ?to ?session WHERE {{
              ?m kg:createdBy ?p ; kg:reportTo/skos:prefLabel ?to ; kg:dueSession ?session .
              ?p kg:paragraphOf <{r}> ; kg:order ?order }} ORDER BY ?order""",
    )
    assert [[f"op{d['order']}", d["to"], int(d["session"])] for d in due] == expected.get(
        "report_due", []
    )


def test_ingest_footnotes_match_the_truth(corpus_store: GraphStore) -> None:
    for name in SEEDS:
        r = subject_of(corpus_store, name)
        found = rows(
            corpus_store,
            f"""SELECT ?mark ?text WHERE {{ {{ <{r}> kg:hasFootnote ?f }}
                UNION {{ <{r}> kg:recommendsDraft/kg:hasFootnote ?f }}
                ?f kg:mark ?mark ; kg:text ?text }} ORDER BY ?mark""",
        )
        assert {f["mark"]: f["text"] for f in found} == truth(name)["footnotes"], name


# -- drafts and their adoption -----------------------------------------------------------


def test_ingest_links_the_assembly_adoption_to_the_ecosoc_draft(corpus_store: GraphStore) -> None:
    adopter = subject_of(corpus_store, "001_e4a5895366382510.txt")
    assert rows(corpus_store, "SELECT ?a ?d WHERE { ?a kg:adoptsDraft ?d }") == [
        {"a": adopter, "d": DRAFT}
    ]
    assert rows(corpus_store, "SELECT ?d ?a WHERE { ?d kg:adoptedIn ?a }") == [
        {"d": DRAFT, "a": adopter}
    ]
    recommender = RES + "E/RES/2004/23"
    assert (
        rows(corpus_store, f"SELECT ?m WHERE {{ GRAPH <{recommender}> {{ ?m a kg:Mandate }} }}")
        == []
    )


def test_ingest_counts_the_draft_mandates_once_as_the_assembly_s(corpus_store: GraphStore) -> None:
    adopter = subject_of(corpus_store, "001_e4a5895366382510.txt")
    found = rows(
        corpus_store,
        """SELECT ?m ?issuer ?text WHERE { ?m a kg:Mandate ; kg:issuedBy ?issuer ;
             kg:createdBy/kg:paragraphOf ?text ; kg:task ?task
           FILTER(CONTAINS(?task, "to be submitted to the General Assembly at its sixtieth")) }""",
    )
    assert found == [
        {
            "m": adopter + "/operative/9/mandate",
            "issuer": BASE + "body/general-assembly",
            "text": adopter,
        }
    ]
    total = rows(
        corpus_store,
        f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m kg:createdBy/kg:paragraphOf <{adopter}> }}",
    )
    assert total == [{"n": "9"}]


def test_build_adoption_does_not_depend_on_the_order_of_the_files(tmp_path: Path) -> None:
    pair = ["001_e4a5895366382510.txt", "002_e2bf1470f0b0be76.txt"]
    folder = copy_corpus(tmp_path / "corpus", pair)
    outcomes = []
    for order in (pair, pair[::-1]):
        store = open_store(None)
        build([folder / n for n in order], store, derived=False)
        outcomes.append(quads(store, skip=ACROSS_STORES))
    separate = open_store(None)  # the adoption built first, the draft in a later build
    build([folder / pair[0]], separate, derived=False)
    build([folder / pair[1]], separate, derived=False)
    outcomes.append(quads(separate, skip=ACROSS_STORES))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    adopter = next(g for g in outcomes[0] if "/text/" in g)
    assert (
        f"<{adopter}> <https://w3id.org/kg-un/ontology#adoptsDraft> <{DRAFT}> ."
        in (outcomes[0][adopter])
    )


def test_build_adopts_the_closest_draft_whichever_comes_first(tmp_path: Path) -> None:
    folder = copy_corpus(tmp_path / "corpus", ["001_e4a5895366382510.txt", SEEDS[2]])
    ecosoc = (corpus_dir() / SEEDS[2]).read_text(encoding="utf-8")
    rival = ecosoc.replace("Resolution 2004/23", "Resolution 2004/99").replace(
        "Crime to continue to assist States", "Crime to continue to assist all States"
    )
    assert rival.count("2004/99") == 1 and "assist all States" in rival
    (folder / "005_rival.txt").write_text(rival, encoding="utf-8")
    adoptions = []
    for order in (
        ["005_rival.txt", "001_e4a5895366382510.txt", SEEDS[2]],
        [SEEDS[2], "001_e4a5895366382510.txt", "005_rival.txt"],
    ):
        store = open_store(None)
        outcome = build([folder / n for n in order], store, derived=False)
        assert outcome.stats.rejected == 0
        adoptions.append(rows(store, "SELECT ?a ?d WHERE { ?a kg:adoptsDraft ?d }"))
        adoptions.append(rows(store, "SELECT ?d ?a WHERE { ?d kg:adoptedIn ?a }"))
    assert [row["d"] for found in adoptions for row in found] == [DRAFT] * 4


# -- rebuilds, bad files, figures ---------------------------------------------------------


def test_build_twice_gives_the_same_quads(tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        first = build([corpus_dir()], store)
        before = quads(store)
        second = build([corpus_dir()], store)
        assert quads(store) == before
        assert [r.iri for r in first.results] == [r.iri for r in second.results]
        assert before[RES + "A/RES/58/135"]
        assert store.count_triples(BUILD_GRAPH) == 3


def test_build_rejects_corrupted_copies_and_loads_the_others(tmp_path: Path) -> None:
    folder = copy_corpus(tmp_path / "corpus")
    seed = (corpus_dir() / SEEDS[0]).read_text(encoding="utf-8")
    (folder / "900_truncated.txt").write_text(seed[:400], encoding="utf-8")
    (folder / "901_garbage.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "902_renumbered.txt").write_text(
        seed.replace("\t4.\tWelcomes the organization", "\t3.\tWelcomes the organization"),
        encoding="utf-8",
    )
    store = open_store(None)
    outcome = build([folder], store, derived=False)
    status = {Path(r.source).name: r.status for r in outcome.results}
    assert status == {
        **dict.fromkeys(SEEDS, "loaded"),
        **dict.fromkeys(["900_truncated.txt", "901_garbage.txt", "902_renumbered.txt"], "rejected"),
    }
    errors = {Path(r.source).name: str(r.error) for r in outcome.results if r.error}
    assert "no resolution structure found" in errors["900_truncated.txt"]
    assert errors["901_garbage.txt"].endswith(
        "901_garbage.txt:1:1: binary data, not text (a NUL byte). "
        "Give the plain text, Markdown or HTML of the resolution"
    )
    assert f"describes <{RES}A/RES/58/135> like " in errors["902_renumbered.txt"]
    assert errors["902_renumbered.txt"].endswith(
        f"{SEEDS[0]}. Remove one of the two files, or correct the symbol of one"
    )
    assert isinstance(outcome.results[-3].error, ParseError)
    assert outcome.stats.loaded == 5 and outcome.stats.rejected == 3
    assert len([g for g in store.graph_names() if g.startswith(RES)]) == 5
    paragraphs = rows(store, f"SELECT ?p WHERE {{ ?p kg:paragraphOf <{RES}A/RES/58/135> }}")
    assert len(paragraphs) == 14


def test_build_reports_a_missing_path_and_goes_on(tmp_path: Path) -> None:
    store = open_store(None)
    outcome = build([tmp_path / "nothing.txt", corpus_dir() / SEEDS[3]], store, derived=False)
    assert [r.status for r in outcome.results] == ["rejected", "loaded"]
    assert str(outcome.results[0].error) == (
        f"{tmp_path / 'nothing.txt'}: no such file or folder. Check the path"
    )


def test_build_in_worker_processes_gives_the_same_quads(tmp_path: Path) -> None:
    one, two = open_store(None), open_store(None)
    build([corpus_dir()], one, workers=1)
    outcome = build([corpus_dir()], two, workers=2)
    assert outcome.stats.workers == 2
    assert quads(one, skip=ACROSS_STORES) == quads(two, skip=ACROSS_STORES)


def test_bulk_loads_in_the_background_interleave_with_replacements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One document a bulk load, so that loads run while the next documents arrive, and
    documents replacing stored graphs must wait for them: the quads are those of a plain
    build, and every result has its load time."""
    monkeypatch.setattr(pipeline, "BULK_DOCUMENTS", 1)
    plain, staged = open_store(tmp_path / "plain"), open_store(tmp_path / "staged")
    build([corpus_dir()], plain)
    build([corpus_dir() / n for n in SEEDS[1:3]], staged)
    outcome = build([corpus_dir()], staged)
    assert [r.status for r in outcome.results] == ["loaded"] * len(SEEDS)
    assert all(r.timings.load > 0 for r in outcome.results)
    assert quads(plain, skip=ACROSS_STORES) == quads(staged, skip=ACROSS_STORES)


def test_build_records_its_figures(tmp_path: Path) -> None:
    store = open_store(None)
    outcome = build([corpus_dir()], store)
    stats = outcome.stats
    assert (stats.documents, stats.loaded, stats.rejected) == (5, 5, 0)
    assert stats.triples == sum(len(quads(store)[subject_of(store, n)]) for n in SEEDS)
    assert stats.warnings == sum(len(r.warnings) for r in outcome.results) > 0
    assert set(stats.seconds) >= {"parse", "map", "validate", "load", "lineage", "total"}
    assert all(r.timings.validate > 0 and r.timings.load > 0 for r in outcome.results)
    record = rows(
        store,
        f"""PREFIX void: <http://rdfs.org/ns/void#>
            SELECT ?documents ?triples ?at WHERE {{ GRAPH <{BUILD_GRAPH}> {{
              ?b void:documents ?documents ; void:triples ?triples ;
                 prov:generatedAtTime ?at }} }}""",
    )
    assert record[0]["documents"] == "5" and record[0]["triples"] == str(stats.triples)
    assert stats.summary().startswith("5 document(s): 5 loaded, 0 rejected; ")


def test_build_under_another_base_iri_mints_every_resource_there() -> None:
    other = "https://data.example.org/un/"
    store = open_store(None)
    results = ingest([corpus_dir() / SEEDS[0]], store, base=other)
    assert results[0].iri == other + "resolution/A/RES/58/135"
    label = rows(store, f"SELECT ?l WHERE {{ <{other}body/unodc> skos:prefLabel ?l }}")
    assert label == [{"l": "United Nations Office on Drugs and Crime"}]
    stray = rows(
        store,
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH <{results[0].iri}> {{ ?s ?p ?o }}
            FILTER(!STRSTARTS(STR(?s), "{other}")) }}""",
    )
    assert stray == []


def test_write_reference_graphs_rewrites_only_a_graph_that_changed() -> None:
    store = open_store(None)
    written = write_reference_graphs(store)
    ontology = store.graph_ntriples(ONTOLOGY_GRAPH)
    assert written == store.count_triples(ONTOLOGY_GRAPH) + store.count_triples(REFERENCE_GRAPH)
    assert b"_:" in ontology  # owl:unionOf lists: blank nodes a rewrite would relabel
    assert write_reference_graphs(store) == 0
    assert store.graph_ntriples(ONTOLOGY_GRAPH) == ontology
    lines = ontology.decode("utf-8").splitlines()
    store.replace_graphs({ONTOLOGY_GRAPH: "\n".join(lines[1:]) + "\n"})
    assert write_reference_graphs(store) == len(lines)
    assert store.count_triples(ONTOLOGY_GRAPH) == len(lines)


def test_build_drops_the_graph_an_earlier_build_made_from_the_same_file(tmp_path: Path) -> None:
    name = "001_e4a5895366382510.txt"
    folder = copy_corpus(tmp_path / "corpus", [name])
    store = open_store(None)
    first = build([folder], store, derived=False).results[0]
    assert first.iri == RES + "text/7213c4af03b4156c"
    (folder / MANIFEST_NAME).write_text(f'["{name}"]\nsymbol = "A/RES/59/159"\n')
    second = build([folder], store, derived=False).results[0]
    assert second.iri == RES + "A/RES/59/159"
    assert second.warnings[-1] == f"replaces <{first.iri}>, built earlier from the same file"
    documents = [g for g in store.graph_names() if g.startswith(RES)]
    assert documents == [RES + "A/RES/59/159"]
