"""The reference data (ontology/reference/*.ttl) and the gazetteer the parser reads from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.errors import ParseError
from kg.gazetteer import load_gazetteer
from kg.resources import ontology_dir
from kg.vocab import KG, MANDATE_KIND, ORG

MANDATE_KIND_TERM = URIRef(str(KG.mandateKind))
SHORT_NAME = URIRef(str(KG.shortName))
VOLUME = URIRef(str(KG.treatySeriesVolume))
NUMBER = URIRef(str(KG.treatySeriesNumber))
TREATY = URIRef(str(KG.Treaty))
ENTRY = URIRef(str(KG.entryIntoForce))
ADOPTED_BY = URIRef(str(KG.adoptedByResolution))

REFERENCE = ontology_dir() / "reference"
KG_NS = "https://w3id.org/kg-un/ontology#"
ALLOWED = (KG_NS, str(SKOS), str(RDFS), str(OWL), str(DCTERMS), str(ORG), str(RDF), str(XSD))


def graph(name: str, base: str = "https://w3id.org/kg-un/") -> Graph:
    g = Graph()
    g.parse(REFERENCE / name, format="turtle", publicID=base)
    return g


def test_gazetteer_is_loaded_once_per_process() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_gazetteer_bodies_and_their_history() -> None:
    g = load_gazetteer()
    unodc, cicp, odccp = g.entities["unodc"], g.entities["cicp"], g.entities["odccp"]
    assert (unodc.name, unodc.short_name, unodc.anaphors) == (
        "United Nations Office on Drugs and Crime",
        "UNODC",
        ("the Office",),
    )
    assert unodc.predecessors == ("cicp", "odccp")
    assert (cicp.parents, cicp.successors) == (("odccp", "unodc"), ("unodc",))
    assert odccp.successors == ("unodc",)
    assert g.entities["cop-untoc"].related == ("untoc",)
    assert g.entities["member-states"].kind == "group"
    assert g.entity_named("ECOSOC") == g.entities["ecosoc"]
    assert set(g.anaphors["the Protocols thereto"]) == {"untoc-tip", "untoc-som", "untoc-firearms"}


def test_gazetteer_actions_and_mandate_kinds() -> None:
    g = load_gazetteer()
    assert {a.id: a.mandate_kind for a in g.actions.values() if a.mandate_kind} == {
        "request": "request",
        "invite": "invitation",
        "encourage": "encouragement",
        "urge": "urging",
        "call-upon": "call",
    }
    for phrase, action in [
        ("Also requests", "request"),
        ("Requests also", "request"),
        ("Further requests", "request"),
        ("Takes note with appreciation", "take-note"),
        ("Recalling further", "recall"),
        ("Calls upon", "call-upon"),
        ("Deeply concerned", "concern"),
    ]:
        found = g.action_for(phrase)
        assert found is not None and found.id == action, phrase


def test_reference_data_uses_only_allowed_vocabularies_and_defined_terms() -> None:
    for name in ("bodies.ttl", "treaties.ttl", "actions.ttl"):
        g = graph(name)
        for _, p, o in g:
            assert str(p).startswith(ALLOWED), p
            if p == RDF.type:
                assert str(o).startswith(ALLOWED), o
            for term in (p, o):
                if isinstance(term, URIRef) and str(term).startswith(KG_NS):
                    assert term in set(dir(KG)), term


def test_reference_entities_have_labels_and_relative_iris() -> None:
    base = "https://example.org/data/"
    for name in ("bodies.ttl", "treaties.ttl"):
        g = graph(name, base)
        subjects = set(g.subjects(RDF.type, None))
        assert subjects and all(str(s).startswith(base) for s in subjects)
        for subject in subjects:
            assert g.value(subject, RDFS.label) is not None, subject
            assert g.value(subject, SKOS.prefLabel) is not None, subject


def test_actions_are_skos_concepts_with_mandate_kinds() -> None:
    g = graph("actions.ttl")
    request = URIRef("https://w3id.org/kg-un/ontology/action/request")
    assert (request, RDF.type, SKOS.Concept) in g
    assert (request, MANDATE_KIND_TERM, MANDATE_KIND.request) in g
    assert (request, SKOS.prefLabel, Literal("request", lang="en")) in g
    labels = {str(o) for o in g.objects(request, SKOS.altLabel)}
    assert {"Requests", "Also requests", "Further requests", "Requests also"} <= labels
    assert g.value(request, SKOS.inScheme) == URIRef("https://w3id.org/kg-un/ontology/action/")


def test_treaty_series_volumes_match_the_seed_footnotes() -> None:
    truth = json.loads((Path(__file__).parent / "truth" / "004_995286ed3bee909e.json").read_text())
    g = graph("treaties.ttl")
    volumes = {
        str(g.value(s, SHORT_NAME)): str(g.value(s, VOLUME)) for s in g.subjects(RDF.type, TREATY)
    }
    assert volumes == truth["treaty_series"]
    numbers = {str(o) for o in g.objects(None, NUMBER)}
    assert numbers == {"39574", "42146"}
    untoc = URIRef("https://w3id.org/kg-un/treaty/untoc")
    assert g.value(untoc, ENTRY) == Literal("2003-09-29", datatype=XSD.date)
    assert g.value(untoc, ADOPTED_BY) == URIRef("https://w3id.org/kg-un/resolution/A/RES/55/25")


def test_gazetteer_reports_broken_reference_data(tmp_path: Path) -> None:
    for name in ("bodies.ttl", "treaties.ttl", "actions.ttl"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    (tmp_path / "treaties.ttl").write_text("<treaty/x> a <y> ; .\n<", encoding="utf-8")
    with pytest.raises(ParseError, match=r"treaties\.ttl: not valid Turtle: .*Fix the file$"):
        load_gazetteer(tmp_path)
    (tmp_path / "treaties.ttl").unlink()
    with pytest.raises(ParseError, match=r"treaties\.ttl: reference data file is missing"):
        load_gazetteer(tmp_path)
