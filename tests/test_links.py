"""Links to external UN datasets: derived from symbols, curated, built into the links graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import KgError, ParseError
from kg.ids import BASE_IRI
from kg.linkgraph import build_links_graph, links_graph, links_ntriples, resolution_facts
from kg.links import (
    ACCEPTED,
    LINKS_GRAPH,
    PROPOSED,
    LinkRecord,
    ResolutionFacts,
    akn_actors,
    akn_work,
    curated_links,
    curated_records,
    derived_links,
    ods_url,
    read_records,
    read_turtle,
    records_graph,
    undocs_url,
)
from kg.listings import LINK_PAGE_SIZE
from kg.mapping import subject_iri, to_graph
from kg.parse import parse_paths
from kg.queries import run_query
from kg.resources import corpus_dir, data_dir, ontology_dir
from kg.store import GraphStore, open_store
from kg.validate import validate_graph
from kg.vocab import DCTERMS, FOAF, KG, OWL, RDF, RDFS, SKOS, VOID, WD

BODY = URIRef(str(KG.Body))
LINK_RECORD = URIRef(str(KG.LinkRecord))
TREATY = URIRef(str(KG.Treaty))
AKN_EID = URIRef(str(KG.aknEId))
AKN_IDENTIFIER = URIRef(str(KG.aknIdentifier))
REVIEW_STATUS = URIRef(str(KG.reviewStatus))
REFERENCE_GRAPH = "https://w3id.org/kg-un/graph/reference"
RES = BASE_IRI + "resolution/"
GA = BASE_IRI + "body/general-assembly"
ECOSOC = BASE_IRI + "body/ecosoc"

# The three seeds with a symbol, as docs/data-model.md maps them: symbol, adopting body,
# adoption date, resolution number, operative paragraphs (seeds-truth), plus stubs for
# resolutions and documents they cite.
SEED_GRAPHS = """
@prefix kg:  <https://w3id.org/kg-un/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix res: <https://w3id.org/kg-un/resolution/> .
@prefix body: <https://w3id.org/kg-un/body/> .
@prefix doc: <https://w3id.org/kg-un/document/> .

<https://w3id.org/kg-un/resolution/A/RES/58/135> a kg:Resolution ;
    kg:symbol "A/RES/58/135" ; kg:resolutionNumber "58/135" ;
    kg:adoptedBy body:general-assembly ; kg:adoptionDate "2003-12-22"^^xsd:date .
<https://w3id.org/kg-un/resolution/A/RES/56/120> a kg:Resolution ;
    kg:symbol "A/RES/56/120" ; kg:resolutionNumber "56/120" ;
    kg:adoptedBy body:general-assembly ; kg:adoptionDate "2001-12-19"^^xsd:date .
<https://w3id.org/kg-un/resolution/E/RES/2004/23> a kg:Resolution ;
    kg:symbol "E/RES/2004/23" ; kg:resolutionNumber "2004/23" ;
    kg:adoptedBy body:ecosoc ; kg:adoptionDate "2004-07-21"^^xsd:date .
<https://w3id.org/kg-un/resolution/E/RES/2004/23/operative/1> a kg:OperativeParagraph ;
    kg:paragraphOf <https://w3id.org/kg-un/resolution/E/RES/2004/23> ; kg:number "1" .
<https://w3id.org/kg-un/resolution/E/RES/2004/23/draft/operative/1> a kg:OperativeParagraph ;
    kg:paragraphOf <https://w3id.org/kg-un/resolution/E/RES/2004/23/draft> ; kg:number "1" .
<https://w3id.org/kg-un/resolution/A/RES/55/25> a kg:Resolution ;
    kg:symbol "A/RES/55/25" ; kg:adoptedBy body:general-assembly .
<https://w3id.org/kg-un/document/E/CN.15/2003/5> a kg:Document ; kg:symbol "E/CN.15/2003/5" .
<https://w3id.org/kg-un/resolution/cop-untoc/6/1> a kg:Resolution ;
    kg:resolutionNumber "6/1" ; kg:adoptedBy body:cop-untoc .
"""


def _operative(symbol: str, count: int) -> str:
    iri = f"<{RES}{symbol}>"
    return "\n".join(
        f"<{RES}{symbol}/operative/{n}> a kg:OperativeParagraph ; "
        f'kg:paragraphOf {iri} ; kg:number "{n}" .'
        for n in range(1, count + 1)
    )


def _seed_store() -> GraphStore:
    store = open_store(None)
    reference = sorted((ontology_dir() / "reference").glob("*.ttl"))
    store.load_files(reference, REFERENCE_GRAPH, base_iri=BASE_IRI)
    prefix = "@prefix kg: <https://w3id.org/kg-un/ontology#> .\n"
    data = Graph().parse(data=SEED_GRAPHS, format="turtle")
    data.parse(data=prefix + _operative("A/RES/58/135", 9), format="turtle")
    data.parse(data=prefix + _operative("A/RES/56/120", 5), format="turtle")
    store.replace_graphs({BASE_IRI + "graph/test-documents": data})
    return store


@pytest.fixture
def store() -> GraphStore:
    return _seed_store()


def _links(store: GraphStore) -> Graph:
    graph = Graph()
    graph.parse(data=store.graph_ntriples(LINKS_GRAPH), format="nt")
    return graph


# --------------------------------------------------------------- derived links


def test_undocs_url_seed_symbols() -> None:
    assert undocs_url("A/RES/58/135") == "https://undocs.org/en/A/RES/58/135"
    assert undocs_url("E/RES/2004/23") == "https://undocs.org/en/E/RES/2004/23"
    assert undocs_url("E/CN.15/2003/5") == "https://undocs.org/en/E/CN.15/2003/5"


def test_ods_url_seed_symbols() -> None:
    assert ods_url("A/RES/56/120") == "https://documents.un.org/symbol-explorer?s=A/RES/56/120"
    assert ods_url("S/RES/1373 (2001)") == (
        "https://documents.un.org/symbol-explorer?s=S/RES/1373%20(2001)"
    )


def test_akn_work_follows_the_naming_convention() -> None:
    assert akn_work("un-ga", "2003-12-22", "58/135") == (
        "/akn/un/statement/deliberation/un-ga/2003-12-22/58-135"
    )
    assert akn_work("un-ecosoc", "2004-07-21", "2004/23") == (
        "/akn/un/statement/deliberation/un-ecosoc/2004-07-21/2004-23"
    )
    assert akn_work("un-ga", "2003", "58/135") is None


def test_derived_links_of_one_resolution() -> None:
    iri = RES + "A/RES/58/135"
    facts = ResolutionFacts(
        iri, "A/RES/58/135", GA, "2003-12-22", None, ((iri + "/operative/3", "3"),)
    )
    graph = derived_links(facts, {GA: "un-ga"})
    subject = URIRef(iri)
    assert set(graph.objects(subject, FOAF.page)) == {URIRef("https://undocs.org/en/A/RES/58/135")}
    assert set(graph.objects(subject, RDFS.seeAlso)) == {
        URIRef("https://documents.un.org/symbol-explorer?s=A/RES/58/135")
    }
    assert set(graph.objects(subject, AKN_IDENTIFIER)) == {
        Literal("/akn/un/statement/deliberation/un-ga/2003-12-22/58-135")
    }
    assert set(graph.objects(URIRef(iri + "/operative/3"), AKN_EID)) == {Literal("para_3")}
    assert len(set(graph.subjects(RDF.type, LINK_RECORD))) == 2
    assert (subject, OWL.sameAs, None) not in graph


def test_derived_links_without_actor_have_no_akn_identifier() -> None:
    iri = RES + "A/RES/58/135"
    facts = ResolutionFacts(iri, "A/RES/58/135", GA, "2003-12-22")
    graph = derived_links(facts, {})
    assert list(graph.objects(None, AKN_IDENTIFIER)) == []
    assert len(list(graph.objects(URIRef(iri), FOAF.page))) == 1


# --------------------------------------------------------------- curated links


def test_curated_links_wikidata_bodies() -> None:
    graph = curated_links()
    expected = {
        "general-assembly": "Q47423",
        "ecosoc": "Q170075",
        "security-council": "Q37470",
        "ccpcj": "Q104842946",
        "cnd": "Q469618",
        "secretary-general": "Q81066",
        "secretariat": "Q220563",
    }
    found = {
        str(s).removeprefix(BASE_IRI + "body/"): str(o).removeprefix(str(WD))
        for s, o in graph.subject_objects(SKOS.exactMatch)
    }
    assert found == expected


def test_curated_links_untc_only_tip_protocol_verified() -> None:
    records, _ = curated_records()
    untc = {
        r.subject.removeprefix(BASE_IRI + "treaty/"): (
            r.target.split("mtdsg_no=")[1].split("&")[0],
            r.verified,
        )
        for r in records
        if r.dataset == BASE_IRI + "external/untc"
    }
    assert untc == {
        "untoc-tip": ("XVIII-12-a", True),
        "untoc": ("XVIII-12", False),
        "untoc-som": ("XVIII-12-b", False),
        "untoc-firearms": ("XVIII-12-c", False),
        "uncac": ("XVIII-14", False),
    }


def test_curated_links_subjects_use_unbis_and_sdg() -> None:
    graph = curated_links()
    untoc = URIRef(BASE_IRI + "treaty/untoc")
    assert set(graph.objects(untoc, DCTERMS.subject)) == {
        URIRef("http://metadata.un.org/thesaurus/1004663"),
        URIRef("http://metadata.un.org/thesaurus/1006643"),
        URIRef("http://metadata.un.org/thesaurus/1003642"),
        URIRef("http://metadata.un.org/thesaurus/1001328"),
        URIRef("http://metadata.un.org/sdg/16"),
    }


def test_curated_links_name_reference_ids_and_described_datasets() -> None:
    reference = Graph()
    for path in sorted((ontology_dir() / "reference").glob("*.ttl")):
        reference += read_turtle(path)
    known = set(reference.subjects(RDF.type, BODY)) | set(reference.subjects(RDF.type, TREATY))
    records, other = curated_records()
    datasets = set(other.subjects(RDF.type, VOID.Dataset))
    for record in records:
        if not record.subject.startswith(RES):
            assert URIRef(record.subject) in known, record.subject
        assert URIRef(record.dataset) in datasets, record.dataset
    assert {URIRef(body) for body in akn_actors(other)} <= known


def test_curated_links_use_the_base_iri() -> None:
    graph = curated_links("https://example.org/un/")
    assert (
        URIRef("https://example.org/un/body/general-assembly"),
        SKOS.exactMatch,
        WD.Q47423,
    ) in graph


def test_read_records_names_the_file_and_missing_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix kg: <https://w3id.org/kg-un/ontology#> .\n"
        '[] a kg:LinkRecord ; kg:linkSubject <body/cnd> ; kg:reviewStatus "curated" .\n',
        encoding="utf-8",
    )
    with pytest.raises(KgError) as caught:
        read_records(read_turtle(bad), "bad.ttl")
    message = str(caught.value)
    assert message.startswith("bad.ttl: link record <https://w3id.org/kg-un/body/cnd>")
    assert "missing predicate, target, dataset, source, verified" in message


def test_read_turtle_reports_syntax_errors(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("<body/cnd> <p> .\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        read_turtle(bad)
    assert str(caught.value).startswith(f"{bad}: not valid Turtle")


# --------------------------------------------------------------- the links graph


def test_resolution_facts_from_the_store(store: GraphStore) -> None:
    facts = {f.symbol: f for f in resolution_facts(store)}
    assert sorted(facts) == [
        "A/RES/55/25",
        "A/RES/56/120",
        "A/RES/58/135",
        "E/CN.15/2003/5",
        "E/RES/2004/23",
    ]
    assert facts["A/RES/58/135"].adopted == "2003-12-22"
    assert facts["A/RES/58/135"].body == GA
    assert len(facts["A/RES/58/135"].operative) == 9
    assert facts["E/RES/2004/23"].operative == ((RES + "E/RES/2004/23/operative/1", "1"),)


def test_build_links_graph_every_symbol_has_undocs_and_ods(store: GraphStore) -> None:
    build_links_graph(store)
    graph = _links(store)
    for symbol, kind in [
        ("A/RES/58/135", "resolution"),
        ("A/RES/56/120", "resolution"),
        ("E/RES/2004/23", "resolution"),
        ("A/RES/55/25", "resolution"),
        ("E/CN.15/2003/5", "document"),
    ]:
        subject = URIRef(f"{BASE_IRI}{kind}/{symbol}")
        assert set(graph.objects(subject, FOAF.page)) == {URIRef(undocs_url(symbol))}
        assert set(graph.objects(subject, RDFS.seeAlso)) == {URIRef(ods_url(symbol))}
    unnumbered = URIRef(RES + "cop-untoc/6/1")
    assert list(graph.predicate_objects(unnumbered)) == []


def test_build_links_graph_akn4un_identifiers(store: GraphStore) -> None:
    summary = build_links_graph(store)
    graph = _links(store)
    works = {str(s).removeprefix(RES): str(o) for s, o in graph.subject_objects(AKN_IDENTIFIER)}
    assert works == {
        "A/RES/58/135": "/akn/un/statement/deliberation/un-ga/2003-12-22/58-135",
        "A/RES/56/120": "/akn/un/statement/deliberation/un-ga/2001-12-19/56-120",
        "E/RES/2004/23": "/akn/un/statement/deliberation/un-ecosoc/2004-07-21/2004-23",
    }
    assert summary.akn_works == 3
    eids = {str(s).removeprefix(RES): str(o) for s, o in graph.subject_objects(AKN_EID)}
    assert eids[("A/RES/58/135/operative/1")] == "para_1"
    assert eids[("A/RES/58/135/operative/9")] == "para_9"
    assert eids[("E/RES/2004/23/operative/1")] == "para_1"
    assert "E/RES/2004/23/draft/operative/1" not in eids
    assert len(eids) == 9 + 5 + 1


def test_build_links_graph_includes_curated_links(store: GraphStore) -> None:
    summary = build_links_graph(store)
    graph = _links(store)
    assert (URIRef(GA), SKOS.exactMatch, WD.Q47423) in graph
    tip = URIRef(BASE_IRI + "treaty/untoc-tip")
    untc = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-a&chapter=18&lang=en"
    assert (tip, FOAF.page, URIRef(untc)) in graph
    res = URIRef(RES + "A/RES/58/135")
    assert (res, DCTERMS.subject, URIRef("http://metadata.un.org/thesaurus/1004663")) in graph
    assert dict(summary.by_status) == {"curated": 36, "derived": 10}


def test_build_links_graph_drops_curated_links_of_absent_resolutions() -> None:
    store = open_store(None)
    build_links_graph(store)
    graph = _links(store)
    assert list(graph.predicate_objects(URIRef(RES + "A/RES/58/135"))) == []
    assert (URIRef(GA), SKOS.exactMatch, WD.Q47423) in graph


def test_build_links_graph_is_deterministic(store: GraphStore) -> None:
    build_links_graph(store)
    first = sorted(store.graph_ntriples(LINKS_GRAPH).decode().splitlines())
    build_links_graph(store)
    second = sorted(store.graph_ntriples(LINKS_GRAPH).decode().splitlines())
    other = _seed_store()
    build_links_graph(other)
    third = sorted(other.graph_ntriples(LINKS_GRAPH).decode().splitlines())
    assert first == second == third
    assert not any("_:" in line for line in first)


def test_build_links_graph_stores_the_sorted_text(store: GraphStore) -> None:
    summary = build_links_graph(store)
    text, again = links_ntriples(store)
    stored = sorted(store.graph_ntriples(LINKS_GRAPH).decode().splitlines())
    assert "".join(line + "\n" for line in stored) == text
    assert summary == again and summary.triples == len(stored)


def test_build_links_graph_reads_the_review_file(store: GraphStore, tmp_path: Path) -> None:
    unodc = BASE_IRI + "body/unodc"
    accepted = LinkRecord(
        unodc,
        str(SKOS.exactMatch),
        str(WD.Q900002),
        BASE_IRI + "external/wikidata",
        "http://127.0.0.1:1/query",
        ACCEPTED,
        True,
        "2026-11-22",
    )
    proposed = LinkRecord(
        unodc,
        str(SKOS.exactMatch),
        str(WD.Q900009),
        BASE_IRI + "external/wikidata",
        "http://127.0.0.1:1/query",
        PROPOSED,
        False,
        "2026-11-22",
    )
    review = tmp_path / "review.ttl"
    review.write_text(records_graph([accepted, proposed], links=False).serialize(format="turtle"))
    graph, summary = links_graph(store, review_file=review)
    assert (URIRef(unodc), SKOS.exactMatch, WD.Q900002) in graph
    assert (URIRef(unodc), SKOS.exactMatch, WD.Q900009) not in graph
    record = URIRef(BASE_IRI + "link/" + proposed.id())
    assert (record, REVIEW_STATUS, Literal("proposed")) in graph
    assert dict(summary.by_status)["accepted"] == 1


def test_external_links_query_lists_links(store: GraphStore) -> None:
    build_links_graph(store)
    result = run_query(store, "external-links")
    columns = list(result.variables)
    subject, prop, target, status = (
        columns.index(name) for name in ("subject", "property", "target", "status")
    )
    res = RES + "A/RES/58/135"
    mine = sorted((r[prop], r[target], r[status]) for r in result.values() if r[subject] == res)
    assert mine == sorted(
        [
            (str(FOAF.page), "https://undocs.org/en/A/RES/58/135", "derived"),
            (
                str(AKN_IDENTIFIER),
                "/akn/un/statement/deliberation/un-ga/2003-12-22/58-135",
                "derived",
            ),
            (str(DCTERMS.subject), "http://metadata.un.org/thesaurus/1004663", "curated"),
            (str(DCTERMS.subject), "http://metadata.un.org/thesaurus/1006643", "curated"),
            (
                str(RDFS.seeAlso),
                "https://documents.un.org/symbol-explorer?s=A/RES/58/135",
                "derived",
            ),
        ]
    )


def test_links_folder_is_bundled() -> None:
    assert sorted(p.name for p in data_dir("links").glob("*.ttl")) == [
        "bodies.ttl",
        "datasets.ttl",
        "subjects.ttl",
        "treaties.ttl",
    ]


# --------------------------------------------------------------- the real seeds


def _seeds_with_links(page_size: int = LINK_PAGE_SIZE) -> GraphStore:
    """The bundled corpus through the real parser and mapping, with the reference data."""
    store = open_store(None)
    reference = sorted((ontology_dir() / "reference").glob("*.ttl"))
    store.load_files(reference, REFERENCE_GRAPH, base_iri=BASE_IRI)
    for resolution in parse_paths([corpus_dir()]):
        assert not isinstance(resolution, Exception), resolution
        store.replace_graphs({subject_iri(resolution): to_graph(resolution)})
    build_links_graph(store, page_size=page_size)
    return store


@pytest.fixture(scope="module")
def seeds_store() -> GraphStore:
    return _seeds_with_links()


def test_seeds_every_symbol_has_undocs_and_ods(seeds_store: GraphStore) -> None:
    graph = _links(seeds_store)
    for symbol in ("A/RES/58/135", "A/RES/56/120", "E/RES/2004/23", "A/RES/55/25"):
        subject = URIRef(RES + symbol)
        assert set(graph.objects(subject, FOAF.page)) == {URIRef(f"https://undocs.org/en/{symbol}")}
        assert set(graph.objects(subject, RDFS.seeAlso)) == {
            URIRef(f"https://documents.un.org/symbol-explorer?s={symbol}")
        }
    document = URIRef(BASE_IRI + "document/E/CN.15/2003/5")
    assert set(graph.objects(document, FOAF.page)) == {
        URIRef("https://undocs.org/en/E/CN.15/2003/5")
    }


def test_seeds_akn4un_identifiers(seeds_store: GraphStore) -> None:
    graph = _links(seeds_store)
    works = {str(s).removeprefix(RES): str(o) for s, o in graph.subject_objects(AKN_IDENTIFIER)}
    assert works == {
        "A/RES/58/135": "/akn/un/statement/deliberation/un-ga/2003-12-22/58-135",
        "A/RES/56/120": "/akn/un/statement/deliberation/un-ga/2001-12-19/56-120",
        "E/RES/2004/23": "/akn/un/statement/deliberation/un-ecosoc/2004-07-21/2004-23",
    }
    eids = sorted((str(s).removeprefix(RES), str(o)) for s, o in graph.subject_objects(AKN_EID))
    assert eids == [(f"A/RES/56/120/operative/{n}", f"para_{n}") for n in range(1, 6)] + [
        (f"A/RES/58/135/operative/{n}", f"para_{n}") for n in range(1, 10)
    ]


def test_seeds_without_symbol_get_no_links(seeds_store: GraphStore) -> None:
    graph = _links(seeds_store)
    text_resolutions = {s for s in graph.subjects() if str(s).startswith(RES + "text/")}
    assert text_resolutions == set()


def test_seeds_links_graph_conforms_to_the_shapes(seeds_store: GraphStore, tmp_path: Path) -> None:
    accepted = LinkRecord(
        BASE_IRI + "body/unodc",
        str(SKOS.exactMatch),
        str(WD.Q900002),
        BASE_IRI + "external/wikidata",
        "http://127.0.0.1:1/query",
        ACCEPTED,
        True,
        "2026-11-22",
        'Matched the label "UNODC".',
    )
    review = tmp_path / "review.ttl"
    review.write_text(records_graph([accepted], links=False).serialize(format="turtle"))
    graph, _ = links_graph(seeds_store, review_file=review)
    report = validate_graph(graph)
    assert report.violations == ()
    assert report.conforms


def test_external_links_pages_are_the_listing_in_order() -> None:
    store = _seeds_with_links(page_size=7)
    everything = run_query(store, "external-links", page=None)
    pages: list[list[tuple[str | None, ...]]] = []
    page: int | None = 1
    while page is not None:
        result = run_query(store, "external-links", page=page)
        pages.append(result.values())
        page = result.next_page
    assert len(pages) > 2
    assert all(len(rows) > 0 for rows in pages)
    assert [row for rows in pages for row in rows] == everything.values()
    # Each page holds 7 resources at most, and resources follow each other in IRI order.
    subject = everything.variables.index("subject")
    per_page = [sorted({row[subject] or "" for row in rows}) for rows in pages]
    assert all(len(resources) <= 7 for resources in per_page)
    ordered = [row[subject] or "" for rows in pages for row in rows]
    assert ordered == sorted(ordered)
    # The pages list every stated link and every AKN4UN identifier, with its status.
    graph = _links(store)
    expected = {
        (str(s), str(p), str(o), "derived")
        for p in (AKN_IDENTIFIER, AKN_EID)
        for s, o in graph.subject_objects(p)
    }
    for record in graph.subjects(RDF.type, LINK_RECORD):
        status = str(graph.value(record, REVIEW_STATUS))
        if status in {"derived", "curated", "accepted"}:
            link = (graph.value(record, KG.linkSubject), graph.value(record, KG.linkProperty))
            expected.add(
                (str(link[0]), str(link[1]), str(graph.value(record, KG.linkTarget)), status)
            )
    columns = [
        everything.variables.index(name) for name in ("subject", "property", "target", "status")
    ]
    listed = [tuple(row[i] for i in columns) for row in everything.values()]
    assert len(listed) == len(set(listed))
    assert set(listed) == expected
