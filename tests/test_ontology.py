"""The ontology: it loads, declares every term of ``kg.vocab.KG`` and nothing else, states
its alignments to the standard vocabularies, and every shape speaks of its terms.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

from kg import resources
from kg.ids import BASE_IRI, ONTOLOGY_IRI
from kg.model import MANDATE_KINDS
from kg.validate import shapes_graph, validate_graph
from kg.vocab import ACTION, CHANGE, ELI, FOAF, KG, MANDATE_KIND, ORG, PROV, SCHEMA, UNDO

NS = ONTOLOGY_IRI + "#"
TERMS = sorted(KG.__annotations__)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_dir() / "kg.ttl", format="turtle")


def kg_terms_in(graph: Graph) -> set[str]:
    """The kg term names a graph uses (the bare namespace, in sh:declare, is not a term)."""
    return {str(n)[len(NS) :] for t in graph for n in t if str(n).startswith(NS)} - {""}


def test_ontology_header_has_version_and_metadata(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) == Literal("0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(header, prop) is not None, prop


@pytest.mark.parametrize("name", TERMS)
def test_vocab_term_is_declared_with_label_and_comment(ontology: Graph, name: str) -> None:
    term = URIRef(NS + name)
    kinds = [k for k in KINDS if (term, RDF.type, k) in ontology]
    assert len(kinds) == 1, (
        f"{name} must be exactly one of owl:Class/ObjectProperty/DatatypeProperty"
    )
    assert ontology.value(term, RDFS.label).language == "en"  # type: ignore[union-attr]
    comment = ontology.value(term, RDFS.comment)
    assert isinstance(comment, Literal) and comment.language == "en" and len(comment) > 30
    assert ontology.value(term, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI)
    if kinds[0] != OWL.Class:
        assert ontology.value(term, RDFS.domain) is not None, f"{name} has no rdfs:domain"
        assert ontology.value(term, RDFS.range) is not None, f"{name} has no rdfs:range"


def test_ontology_declares_only_vocab_terms_and_uses_only_declared_ones(ontology: Graph) -> None:
    declared = {
        str(s)[len(NS) :]
        for k in KINDS
        for s in ontology.subjects(RDF.type, k)
        if str(s).startswith(NS)
    }
    assert declared == set(TERMS)
    assert kg_terms_in(ontology) - declared == set()


def test_datatype_properties_range_over_datatypes_and_object_properties_over_classes(
    ontology: Graph,
) -> None:
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        if str(prop).startswith(NS):
            rng = ontology.value(prop, RDFS.range)
            assert str(rng).startswith((str(XSD), str(RDF))), prop
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(NS):
            assert not str(ontology.value(prop, RDFS.range)).startswith(str(XSD)), prop


def test_external_terms_in_axioms_are_declared(ontology: Graph) -> None:
    """Structural OWL: every IRI used as a super-class, super-property, domain or range is
    declared with its kind (in this file, or as an XSD or RDF datatype)."""
    used = set()
    for prop in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        used |= {o for o in ontology.objects(None, prop) if isinstance(o, URIRef)}
    undeclared = {
        o
        for o in used
        if not str(o).startswith((str(XSD), str(RDF)))
        and o not in (OWL.Thing,)
        and not any((o, RDF.type, k) for k in KINDS if (o, RDF.type, k) in ontology)
    }
    assert undeclared == set()


def test_inverse_properties_swap_domain_and_range(ontology: Graph) -> None:
    pairs = list(ontology.subject_objects(OWL.inverseOf))
    assert len(pairs) >= 6
    for prop, inverse in pairs:
        assert ontology.value(prop, RDFS.domain) is not None
        dom, rng = ontology.value(prop, RDFS.domain), ontology.value(inverse, RDFS.range)
        if isinstance(dom, URIRef) or isinstance(rng, URIRef):
            assert dom == rng, (prop, inverse)


@pytest.mark.parametrize(
    ("term", "axiom", "target"),
    [
        (KG.Resolution, RDFS.subClassOf, ELI.LegalResource),
        (KG.Resolution, RDFS.subClassOf, SCHEMA.Legislation),
        (KG.Resolution, RDFS.subClassOf, UNDO.Resolution),
        (KG.Paragraph, RDFS.subClassOf, ELI.LegalResourceSubdivision),
        (KG.PreambularParagraph, RDFS.subClassOf, KG.Paragraph),
        (KG.OperativeParagraph, RDFS.subClassOf, KG.Paragraph),
        (KG.SubParagraph, RDFS.subClassOf, KG.Paragraph),
        (KG.Treaty, RDFS.subClassOf, ELI.LegalResource),
        (KG.Body, RDFS.subClassOf, ORG.Organization),
        (KG.Body, RDFS.subClassOf, FOAF.Agent),
        (KG.Group, RDFS.subClassOf, KG.Body),
        (KG.Group, RDFS.subClassOf, FOAF.Group),
        (KG.Document, RDFS.subClassOf, FOAF.Document),
        (KG.Mandate, RDFS.subClassOf, UNDO.Relation),
        (KG.Action, RDFS.subClassOf, SKOS.Concept),
        (KG.MandateKind, RDFS.subClassOf, SKOS.Concept),
        (KG.ChangeKind, RDFS.subClassOf, SKOS.Concept),
        (KG.SourceRecord, RDFS.subClassOf, PROV.Entity),
        (KG.Alignment, RDFS.subClassOf, PROV.Entity),
        (KG.LinkRecord, RDFS.subClassOf, PROV.Entity),
        (KG.symbol, RDFS.subPropertyOf, ELI.id_local),
        (KG.symbol, RDFS.subPropertyOf, DCTERMS.identifier),
        (KG.title, RDFS.subPropertyOf, ELI.title),
        (KG.title, RDFS.subPropertyOf, DCTERMS.title),
        (KG.adoptedBy, RDFS.subPropertyOf, ELI.passed_by),
        (KG.adoptionDate, RDFS.subPropertyOf, ELI.date_document),
        (KG.hasParagraph, RDFS.subPropertyOf, ELI.has_part),
        (KG.paragraphOf, RDFS.subPropertyOf, ELI.is_part_of),
        (KG.hasParagraph, OWL.inverseOf, KG.paragraphOf),
        (KG.parentBody, RDFS.subPropertyOf, ORG.subOrganizationOf),
        (KG.issuedBy, RDFS.subPropertyOf, UNDO.hasProponent),
        (KG.addressee, RDFS.subPropertyOf, UNDO.hasReceiver),
        (KG.mentions, RDFS.subPropertyOf, SCHEMA.mentions),
        (KG.revisionOf, RDFS.subPropertyOf, PROV.wasRevisionOf),
    ],
)
def test_alignment_axiom_is_stated(
    ontology: Graph, term: URIRef, axiom: URIRef, target: URIRef
) -> None:
    assert (term, axiom, target) in ontology


def test_undo_terms_use_the_published_namespace(ontology: Graph) -> None:
    assert str(UNDO) == "https://w3id.org/un/ontology/undo/"
    used = {str(o) for t in ontology for o in t if str(o).startswith("https://w3id.org/un/")}
    assert used <= {
        "https://w3id.org/un/ontology/undo",
        *(str(UNDO) + n for n in ("Resolution", "Document", "Treaty", "Agent", "Relation")),
        *(str(UNDO) + n for n in ("hasProponent", "hasReceiver")),
    }


def test_mandate_kind_scheme_matches_the_document_model(ontology: Graph) -> None:
    scheme = URIRef(str(MANDATE_KIND))
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    tops = set(ontology.objects(scheme, SKOS.hasTopConcept))
    assert tops == {MANDATE_KIND[kind] for kind in MANDATE_KINDS}
    for concept in tops:
        assert (concept, RDF.type, KG["MandateKind"]) in ontology
        assert (concept, SKOS.inScheme, scheme) in ontology
        assert ontology.value(concept, SKOS.definition) is not None
    assert ontology.value(MANDATE_KIND.urging, SKOS.prefLabel) == Literal("urging", lang="en")


def test_change_kind_scheme_has_four_kinds(ontology: Graph) -> None:
    scheme = URIRef(str(CHANGE))
    tops = set(ontology.objects(scheme, SKOS.hasTopConcept))
    assert tops == {CHANGE[k] for k in ("carried-over", "amended", "new", "dropped")}
    assert all((c, RDF.type, KG["ChangeKind"]) in ontology for c in tops)


def test_clause_action_scheme_is_the_action_namespace(ontology: Graph) -> None:
    assert (URIRef(str(ACTION)), RDF.type, SKOS.ConceptScheme) in ontology


def test_every_shape_targets_an_ontology_class_or_property(ontology: Graph) -> None:
    shapes = shapes_graph()
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    targeted = set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = list(shapes.objects(shape, SH.targetClass))
        subjects_of = list(shapes.objects(shape, SH.targetSubjectsOf))
        assert targets or subjects_of, f"{shape} has no target"
        assert all(t in classes and str(t).startswith(NS) for t in targets), shape
        assert all(p in properties and str(p).startswith(NS) for p in subjects_of), shape
        targeted |= set(targets)
    kg_classes = {c for c in classes if str(c).startswith(NS)}
    assert kg_classes - targeted == set(), "every class has a shape"


def test_shapes_name_only_declared_terms(ontology: Graph) -> None:
    shapes = shapes_graph()
    declared = set(TERMS)
    assert kg_terms_in(shapes) - declared == set()
    in_queries = set()
    for text in shapes.objects(None, SH.select):
        in_queries |= set(re.findall(r"\bkg:([A-Za-z]+)", str(text)))
    assert in_queries - declared == set()


def test_shapes_have_names_and_fix_hints() -> None:
    shapes = shapes_graph() + shapes_graph("void")
    for shape in shapes.subjects(SH.path, None):
        if isinstance(shape, URIRef):
            assert shapes.value(shape, SH.name) is not None, shape
            assert len(str(shapes.value(shape, SH.message))) > 20, shape
    for constraint in shapes.subjects(SH.select, None):
        assert shapes.value(constraint, SH.name) is not None, constraint
        assert shapes.value(constraint, SH.message) is not None, constraint


def test_ontology_concepts_conform_to_the_shapes(ontology: Graph) -> None:
    report = validate_graph(ontology, source="ontology/kg.ttl")
    assert report.violations == (), report.text


def test_reference_data_conforms_to_the_shapes() -> None:
    graph = Graph()
    for path in sorted((resources.ontology_dir() / "reference").glob("*.ttl")):
        graph.parse(path, format="turtle", publicID=BASE_IRI)
    assert len(set(graph.subjects(RDF.type, KG["Body"]))) > 10
    report = validate_graph(graph, source="ontology/reference")
    assert report.violations == (), report.text
