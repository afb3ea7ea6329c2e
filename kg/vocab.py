"""Namespaces and the terms of the kg ontology (``ontology/kg.ttl``).

No term IRI is spelled anywhere else in ``kg/``; a consistency test checks that
each ``KG`` term used here is declared in the ontology with a label and comment.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.ids import ONTOLOGY_IRI

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
UNDO_IRI = "https://w3id.org/un/ontology/undo/"
"""UN Document Ontology terms (undo:hasProponent …); its ontology IRI has no trailing slash."""
UNDO = Namespace(UNDO_IRI)
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
WD = Namespace("http://www.wikidata.org/entity/")
QB = Namespace("http://purl.org/linked-data/cube#")
"""The W3C RDF Data Cube vocabulary, for the statistics graph."""

ACTION = Namespace(ONTOLOGY_IRI + "/action/")
"""Clause actions (SKOS concepts): ``ACTION.request``, ``ACTION.recall`` …"""

MANDATE_KIND = Namespace(ONTOLOGY_IRI + "/mandate-kind/")
"""Mandate kinds (SKOS concepts): request, invitation, encouragement, urging, call."""

CHANGE = Namespace(ONTOLOGY_IRI + "/change/")
"""Paragraph change kinds between two resolutions of a series (SKOS concepts)."""


class KG(DefinedNamespace):
    """The terms of the kg ontology."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Classes
    Resolution: object
    DraftResolution: object
    Document: object
    Paragraph: object
    PreambularParagraph: object
    OperativeParagraph: object
    SubParagraph: object
    Footnote: object
    Treaty: object
    Body: object
    Group: object
    Mandate: object
    Action: object
    MandateKind: object
    Series: object
    Alignment: object
    ChangeKind: object
    SourceRecord: object
    LinkRecord: object
    ListPage: object

    # Resolution and document metadata
    symbol: object
    resolutionNumber: object
    title: object
    adoptedBy: object
    adoptionDate: object
    distributionDate: object
    session: object
    agendaItem: object
    meeting: object
    onReportOf: object
    committee: object
    layout: object
    synthetic: object

    # Structure
    hasParagraph: object
    paragraphOf: object
    hasSubParagraph: object
    subParagraphOf: object
    order: object
    number: object
    label: object
    leadingPhrase: object
    action: object
    text: object
    hasFootnote: object
    footnoteOf: object
    mark: object
    inParagraph: object
    annex: object

    # References
    mentions: object
    mentionsTreaty: object
    mentionsBody: object
    citedAs: object

    # Drafts
    recommendsDraft: object
    recommendedTo: object
    adoptsDraft: object
    adoptedIn: object
    textFingerprint: object

    # Mandates
    createsMandate: object
    createdBy: object
    addressee: object
    mandateKind: object
    task: object
    reportTo: object
    dueSession: object
    dueYear: object
    issuedBy: object

    # Bodies and treaties (reference data)
    shortName: object
    anaphor: object
    parentBody: object
    predecessor: object
    successor: object
    supplements: object
    adoptedByResolution: object
    treatySeriesVolume: object
    treatySeriesNumber: object
    entryIntoForce: object
    wikidataLabel: object

    # Provenance
    sourceFile: object
    sourceSha256: object
    parserVersion: object
    warning: object
    describes: object

    # Series and lineage
    inSeries: object
    seriesOrder: object
    previousInSeries: object
    revisionOf: object
    alignmentOf: object
    alignedWith: object
    changeKind: object
    similarity: object
    diff: object
    earlierText: object
    laterText: object
    alignmentOrder: object

    # Links
    aknWork: object
    aknIdentifier: object
    aknEId: object
    aknActor: object
    linkSubject: object
    linkProperty: object
    linkTarget: object
    linkDataset: object
    checkedAt: object
    listedOn: object
    pageNumber: object
    mentionedTreaty: object
    listedFor: object
    listedSession: object
    verified: object
    reviewStatus: object

    # Statistics (Data Cube dimensions and measures)
    adoptingBody: object
    adoptionYear: object
    clauseAction: object
    countedBody: object
    successorsFollowed: object
    paragraphCount: object
    resolutionCount: object
    mandateCount: object
    rank: object


__all__ = [
    "ACTION",
    "CHANGE",
    "DCAT",
    "DCTERMS",
    "ELI",
    "FOAF",
    "KG",
    "MANDATE_KIND",
    "ORG",
    "OWL",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "SPDX",
    "UNDO",
    "VOID",
    "WD",
    "XSD",
]
