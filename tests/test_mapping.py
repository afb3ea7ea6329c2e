"""The mapping from the document model to RDF (issue 3): golden graphs and the data model."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

import kg
from kg.drafts import DraftIndex, DraftText, content_digest, text_fingerprint
from kg.errors import MappingError
from kg.ids import anonymous_resolution_iri
from kg.manifest import find_manifest
from kg.mapping import adoption_graph, subject_iri, to_graph
from kg.model import Mandate, Paragraph, Resolution, SubParagraph
from kg.parse import parse_file
from kg.resources import corpus_dir, ontology_dir
from kg.validate import validate_graph
from kg.vocab import ELI, KG, MANDATE_KIND, OWL, PROV, RDF, SKOS
from tests.regenerate_expected import corpus_files, expected_path

BASE = "https://w3id.org/kg-un/"
RES = BASE + "resolution/"
DOCUMENTS = [p.name for p in corpus_files()]
K = Namespace(str(KG._NS))  # the kg terms, typed as IRIs for rdflib's signatures


def parsed(name: str) -> Resolution:
    return parse_file(corpus_dir() / name, find_manifest(corpus_dir()))


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {name: to_graph(parsed(name)) for name in DOCUMENTS}


def test_mapping_covers_every_corpus_document() -> None:
    assert len(DOCUMENTS) == 5
    assert all(expected_path(corpus_dir() / name).exists() for name in DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_to_graph_matches_the_golden_graph(name: str, graphs: dict[str, Graph]) -> None:
    expected = Graph().parse(expected_path(corpus_dir() / name), format="turtle")
    assert isomorphic(graphs[name], expected), (
        f"{name}: the mapping changed; see tests/regenerate_expected.py"
    )


@pytest.mark.parametrize("name", DOCUMENTS)
def test_to_graph_conforms_to_the_shapes(name: str, graphs: dict[str, Graph]) -> None:
    report = validate_graph(graphs[name], source=name)
    assert report.conforms, report.text


@pytest.mark.parametrize("name", DOCUMENTS)
def test_to_graph_is_deterministic_and_has_no_blank_nodes(
    name: str, graphs: dict[str, Graph]
) -> None:
    again = to_graph(parsed(name))
    assert sorted(again.serialize(format="nt").splitlines()) == sorted(
        graphs[name].serialize(format="nt").splitlines()
    )
    assert not [t for t in again if any(isinstance(term, BNode) for term in t)]


def test_to_graph_uses_only_terms_declared_in_the_ontology(graphs: dict[str, Graph]) -> None:
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    declared = {
        s
        for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, cls)
    }
    namespace = str(KG._NS)
    used = set()
    for graph in graphs.values():
        used |= {p for p in graph.predicates() if str(p).startswith(namespace)}
        used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(namespace)}
    assert used, "no kg term used"
    assert used - declared == set()


def test_to_graph_describes_58_135_as_the_data_model_shows(graphs: dict[str, Graph]) -> None:
    g, r = graphs["000_255fffffb051a65e.txt"], URIRef(RES + "A/RES/58/135")
    assert g.value(r, K.symbol) == Literal("A/RES/58/135")
    assert g.value(r, K.resolutionNumber) == Literal("58/135")
    assert g.value(r, K.session) == Literal(58)
    assert str(g.value(r, K.adoptionDate)) == "2003-12-22"
    assert g.value(r, K.adoptedBy) == URIRef(BASE + "body/general-assembly")
    assert g.value(r, K.committee) == URIRef(BASE + "body/third-committee")
    assert g.value(r, K.onReportOf) == URIRef(BASE + "document/A/58/499")
    assert {str(o).removeprefix(BASE) for o in g.objects(r, ELI.cites)} == {
        "resolution/A/RES/55/25",
        "resolution/A/RES/55/255",
        "resolution/A/RES/56/120",
        "resolution/A/RES/57/173",
        "document/A/58/499",
        "document/E/CN.15/2003/5",
    }
    op7 = URIRef(RES + "A/RES/58/135/operative/7")
    assert g.value(op7, K.leadingPhrase) == Literal("Also requests")
    assert g.value(op7, K.number) == Literal("7")
    mandate = URIRef(RES + "A/RES/58/135/operative/7/mandate")
    assert g.value(op7, K.createsMandate) == mandate
    assert g.value(mandate, K.addressee) == URIRef(BASE + "body/cicp")
    assert g.value(mandate, K.mandateKind) == MANDATE_KIND.request
    op9 = URIRef(RES + "A/RES/58/135/operative/9/mandate")
    assert g.value(op9, K.dueSession) == Literal(59)
    assert g.value(op9, K.reportTo) == URIRef(BASE + "body/general-assembly")
    footnote = URIRef(RES + "A/RES/58/135/footnote/1")
    assert g.value(footnote, K.text) == Literal("E/CN.15/2003/5.")
    assert g.value(footnote, K.inParagraph) == URIRef(RES + "A/RES/58/135/operative/1")


def test_to_graph_gives_each_citation_a_stub_in_the_citing_graph(
    graphs: dict[str, Graph],
) -> None:
    g = graphs["004_995286ed3bee909e.txt"]
    for cited in set(g.objects(None, ELI.cites)):
        assert {K.Resolution, K.Document} & set(g.objects(cited, RDF.type)), cited
    conference = URIRef(RES + "cop-untoc/6/1")
    assert g.value(conference, K.resolutionNumber) == Literal("6/1")
    assert g.value(conference, K.adoptedBy) == URIRef(BASE + "body/cop-untoc")
    assert g.value(conference, K.symbol) is None
    stub = URIRef(RES + "A/RES/67/189")
    assert set(g.predicate_objects(stub)) == {
        (RDF.type, K.Resolution),
        (K.symbol, Literal("A/RES/67/189")),
        (K.adoptedBy, URIRef(BASE + "body/general-assembly")),
    }


def test_to_graph_names_a_text_without_symbol_by_its_paragraphs() -> None:
    resolution = parsed("001_e4a5895366382510.txt")
    digest = content_digest(p.text for p in resolution.paragraphs)
    assert subject_iri(resolution) == anonymous_resolution_iri(digest)
    assert subject_iri(resolution) == RES + "text/7213c4af03b4156c"
    moved = replace(resolution, source="elsewhere/copy.txt", sha256="0" * 64, format="plain")
    assert subject_iri(moved) == subject_iri(resolution)
    changed = replace(resolution, operative=resolution.operative[:-1])
    assert subject_iri(changed) != subject_iri(resolution)


def test_to_graph_records_provenance_with_file_name_digest_and_version() -> None:
    path = corpus_dir() / "001_e4a5895366382510.txt"
    g = to_graph(parsed(path.name))
    r = URIRef(RES + "text/7213c4af03b4156c")
    source = g.value(r, PROV.wasDerivedFrom)
    assert source == URIRef(str(r) + "/source")
    assert g.value(source, K.sourceFile) == Literal(path.name)
    assert g.value(source, K.sourceSha256) == Literal(hashlib.sha256(path.read_bytes()).hexdigest())
    assert g.value(source, K.parserVersion) == Literal(kg.__version__)
    assert Literal("the text carries no symbol and the manifest gives none") in set(
        g.objects(source, K.warning)
    )


def test_to_graph_quotes_the_draft_without_minting_its_mandates(
    graphs: dict[str, Graph],
) -> None:
    g = graphs["002_e2bf1470f0b0be76.txt"]
    r, draft = URIRef(RES + "E/RES/2004/23"), URIRef(RES + "E/RES/2004/23/draft")
    assert g.value(r, K.recommendsDraft) == draft
    assert g.value(r, K.recommendedTo) == URIRef(BASE + "body/general-assembly")
    assert (draft, RDF.type, K.DraftResolution) in g
    assert len(set(g.objects(draft, K.hasParagraph))) == 14
    op9 = URIRef(RES + "E/RES/2004/23/draft/operative/9")
    assert g.value(op9, K.paragraphOf) == draft
    assert str(g.value(op9, K.text)).endswith("at its sixtieth session.")
    assert not list(g.subjects(RDF.type, K.Mandate))
    assert not list(g.subjects(K.createsMandate, None))
    assert g.value(URIRef(RES + "E/RES/2004/23/draft/footnote/1"), K.footnoteOf) == draft
    assert URIRef(RES + "A/RES/58/135") in set(g.objects(draft, ELI.cites))


def test_text_fingerprint_finds_seed_001_adopts_the_draft_of_002() -> None:
    ecosoc, assembly = parsed("002_e2bf1470f0b0be76.txt"), parsed("001_e4a5895366382510.txt")
    assert ecosoc.draft is not None
    draft = ecosoc.draft.preamble + ecosoc.draft.operative
    index = DraftIndex()
    index.add(
        DraftText(
            RES + "E/RES/2004/23/draft",
            text_fingerprint(
                [p.text for p in draft if p.part == "preamble"],
                [p.text for p in draft if p.part == "operative"],
            ),
            BASE + "body/general-assembly",
        )
    )
    graph = to_graph(assembly)
    fingerprint = str(graph.value(URIRef(subject_iri(assembly)), K.textFingerprint))
    adoption = index.adopted_draft(
        subject_iri(assembly), fingerprint, BASE + "body/general-assembly"
    )
    assert adoption is not None
    assert adoption.draft == RES + "E/RES/2004/23/draft"
    assert adoption.share == pytest.approx(11 / 14)
    assert index.adopted_draft(subject_iri(assembly), fingerprint, BASE + "body/ecosoc") is None
    earlier = to_graph(parsed("000_255fffffb051a65e.txt"))
    earlier_print = str(earlier.value(URIRef(RES + "A/RES/58/135"), K.textFingerprint))
    assert index.adopted_draft(RES + "A/RES/58/135", earlier_print, None) is None


def test_draft_index_prefers_the_best_share_then_the_smallest_iri() -> None:
    index = DraftIndex()
    index.add(DraftText(RES + "b/draft", "pp:1 op:2 op:3 op:4", None))
    index.add(DraftText(RES + "a/draft", "pp:1 op:2 op:3 op:9", None))
    index.add(DraftText(RES + "c/draft", "pp:1 op:2 op:3 op:8", None))
    found = index.adopted_draft(RES + "x", "pp:1 op:2 op:3 op:4", None)
    assert found is not None and found.draft == RES + "b/draft" and found.share == 1.0
    index.discard(RES + "b/draft")
    found = index.adopted_draft(RES + "x", "pp:1 op:2 op:3 op:4", None)
    assert found is not None and found.draft == RES + "a/draft"
    index.discard(RES + "c/draft")
    assert index.adopted_draft(RES + "a", "pp:1 op:2 op:3 op:9", None) is None  # its own


def test_adoption_graph_states_both_directions() -> None:
    g = adoption_graph(RES + "text/x", RES + "E/RES/2004/23/draft")
    assert set(g) == {
        (URIRef(RES + "text/x"), K.adoptsDraft, URIRef(RES + "E/RES/2004/23/draft")),
        (URIRef(RES + "E/RES/2004/23/draft"), K.adoptedIn, URIRef(RES + "text/x")),
    }


def _small(**changes: object) -> Resolution:
    base = Resolution(
        source="/somewhere/deep/x.txt",
        format="plain",
        body="General Assembly",
        body_id="general-assembly",
        preamble=(Paragraph("preamble", 1, "Recalling", "Recalling its resolution 1/1,"),),
        operative=(
            Paragraph(
                "operative",
                1,
                "Requests",
                "Requests the Working Group on Asset Recovery: (a) to meet; (b) to report;",
                number="1",
                action="request",
                subparagraphs=(SubParagraph("a", "to meet;"), SubParagraph("b", "to report;")),
            ),
        ),
        symbol="A/RES/99/1",
        mandates=(
            Mandate("op1.b", "request", "Working Group on Asset Recovery", "to report"),
            Mandate("op1", "request", "Working Group on Asset Recovery", "to meet"),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_to_graph_describes_an_addressee_missing_from_the_reference_data() -> None:
    g = to_graph(_small())
    group = URIRef(BASE + "body/working-group-on-asset-recovery")
    assert g.value(group, SKOS.prefLabel) == Literal("Working Group on Asset Recovery", lang="en")
    assert (group, RDF.type, K.Body) in g
    op1 = URIRef(RES + "A/RES/99/1/operative/1")
    # A mandate given in sub-paragraph (b) belongs to operative paragraph 1; one IRI each.
    assert set(g.objects(op1, K.createsMandate)) == {
        URIRef(RES + "A/RES/99/1/operative/1/mandate"),
        URIRef(RES + "A/RES/99/1/operative/1/mandate/2"),
    }
    sub_b = URIRef(RES + "A/RES/99/1/operative/1/b")
    assert g.value(sub_b, K.subParagraphOf) == op1
    assert g.value(sub_b, K.order) == Literal(2)
    assert g.value(URIRef(RES + "A/RES/99/1/source"), K.sourceFile) == Literal("x.txt")
    assert validate_graph(g).conforms


def test_to_graph_with_another_base_mints_every_iri_under_it() -> None:
    other = "https://data.example.org/un/"
    g = to_graph(_small(), base=other)
    subjects = {str(s) for s in g.subjects()}
    assert subjects and all(s.startswith(other) for s in subjects)


def test_to_graph_refuses_a_malformed_symbol() -> None:
    with pytest.raises(MappingError, match=r"a/res/99/1.*not a UN document symbol"):
        to_graph(_small(symbol="a/res/99/1"))


def test_regenerate_expected_check_mode_reports_no_change() -> None:
    from tests.regenerate_expected import main

    assert main(["--check"]) == 0
    assert Path(__file__).with_name("expected").is_dir()
