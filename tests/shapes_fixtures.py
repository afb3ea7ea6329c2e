"""Inline graphs for the shape tests: a valid document graph and a valid VoID description.

The document graph uses every class of the ontology once, so that each shape has a focus
node; a test case breaks one thing in it and expects one specific result.
"""

from __future__ import annotations

from rdflib import Graph

BASE = "https://w3id.org/kg-un/"
SHP = "https://w3id.org/kg-un/shapes#"
CHECKSUM = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

PREFIXES = """
@base <https://w3id.org/kg-un/> .
@prefix kg:      <https://w3id.org/kg-un/ontology#> .
@prefix action:  <https://w3id.org/kg-un/ontology/action/> .
@prefix mkind:   <https://w3id.org/kg-un/ontology/mandate-kind/> .
@prefix change:  <https://w3id.org/kg-un/ontology/change/> .
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix void:    <http://rdfs.org/ns/void#> .
@prefix spdx:    <http://spdx.org/rdf/terms#> .
"""

# Bodies and treaties named here without a description come from ontology/reference.
VALID = """
<resolution/A/RES/58/135> a kg:Resolution ;
    kg:symbol "A/RES/58/135" ;
    kg:resolutionNumber "58/135" ;
    kg:title "International cooperation in the fight against transnational organized crime"@en ;
    kg:adoptedBy <body/general-assembly> ;
    kg:adoptionDate "2003-12-22"^^xsd:date ;
    kg:distributionDate "2004-01-26"^^xsd:date ;
    kg:session 58 ;
    kg:agendaItem "108" ;
    kg:meeting "77th plenary meeting" ;
    kg:onReportOf <document/A/58/499> ;
    kg:committee <body/third-committee> ;
    kg:layout "ods" ;
    kg:synthetic false ;
    kg:hasParagraph <resolution/A/RES/58/135/preamble/1>, <resolution/A/RES/58/135/preamble/2>,
        <resolution/A/RES/58/135/operative/1>, <resolution/A/RES/58/135/operative/2> ;
    kg:hasFootnote <resolution/A/RES/58/135/footnote/1> ;
    eli:cites <resolution/A/RES/55/25>, <document/E/CN.15/2003/5>, <document/A/58/499> ;
    kg:mentions <treaty/untoc> ;
    kg:mentionsTreaty <treaty/untoc> ;
    kg:mentionsBody <body/unodc> ;
    kg:recommendsDraft <resolution/A/RES/58/135/draft> ;
    kg:recommendedTo <body/general-assembly> ;
    kg:adoptsDraft <resolution/E/RES/2003/20/draft> ;
    kg:annex "Plan of action" ;
    kg:inSeries <series/untoc-capacity> ;
    kg:seriesOrder 2 ;
    kg:previousInSeries <resolution/A/RES/56/120> ;
    kg:aknWork <https://example.org/akn/un/58-135> ;
    kg:aknIdentifier "/akn/un/statement/deliberation/un-ga/2003-12-22/58-135" ;
    kg:textFingerprint "pp:0a1b2c3d4e5f op:0a1b2c3d4e5f" ;
    prov:wasDerivedFrom <resolution/A/RES/58/135/source> .

<resolution/A/RES/58/135/preamble/1> a kg:PreambularParagraph ;
    kg:paragraphOf <resolution/A/RES/58/135> ;
    kg:order 1 ;
    kg:leadingPhrase "Recalling" ;
    kg:action action:recall ;
    kg:text "Recalling its resolution 55/25 of 15 November 2000," ;
    eli:cites <resolution/A/RES/55/25> ;
    kg:mentions <treaty/untoc> ;
    kg:mentionsTreaty <treaty/untoc> ;
    kg:revisionOf <resolution/A/RES/56/120/preamble/1> .

<resolution/A/RES/58/135/preamble/2> a kg:PreambularParagraph ;
    kg:paragraphOf <resolution/A/RES/58/135> ;
    kg:order 2 ;
    kg:leadingPhrase "Reaffirming" ;
    kg:action action:reaffirm ;
    kg:text "Reaffirming Conference resolution 6/1," ;
    eli:cites <resolution/cop-untoc/6/1> .

<resolution/A/RES/58/135/operative/1> a kg:OperativeParagraph ;
    kg:paragraphOf <resolution/A/RES/58/135> ;
    kg:order 1 ;
    kg:number "1" ;
    kg:leadingPhrase "Requests" ;
    kg:action action:request ;
    kg:text "Requests the Office to develop a guide, and in particular:" ;
    kg:mentionsBody <body/unodc> ;
    kg:createsMandate <resolution/A/RES/58/135/operative/1/mandate> ;
    kg:hasSubParagraph <resolution/A/RES/58/135/operative/1/a>,
        <resolution/A/RES/58/135/operative/1/b> ;
    kg:aknEId "para_1" .

<resolution/A/RES/58/135/operative/1/a> a kg:SubParagraph ;
    kg:subParagraphOf <resolution/A/RES/58/135/operative/1> ;
    kg:label "a" ;
    kg:order 1 ;
    kg:text "(a) to collect the legislation of States;" .

<resolution/A/RES/58/135/operative/1/b> a kg:SubParagraph ;
    kg:subParagraphOf <resolution/A/RES/58/135/operative/1> ;
    kg:label "b" ;
    kg:order 2 ;
    kg:text "(b) to report on it;" .

<resolution/A/RES/58/135/operative/2> a kg:OperativeParagraph ;
    kg:paragraphOf <resolution/A/RES/58/135> ;
    kg:order 2 ;
    kg:number "2" ;
    kg:leadingPhrase "Invites" ;
    kg:action action:invite ;
    kg:text "Invites Member States to contribute to the expert group;" ;
    kg:mentionsBody <body/expert-group> ;
    kg:createsMandate <resolution/A/RES/58/135/operative/2/mandate> .

<resolution/A/RES/58/135/operative/1/mandate> a kg:Mandate ;
    kg:createdBy <resolution/A/RES/58/135/operative/1> ;
    kg:issuedBy <body/general-assembly> ;
    kg:mandateKind mkind:request ;
    kg:addressee <body/unodc> ;
    kg:task "to develop a guide" ;
    kg:reportTo <body/general-assembly> ;
    kg:dueSession 59 ;
    kg:dueYear 2004 .

<resolution/A/RES/58/135/operative/2/mandate> a kg:Mandate ;
    kg:createdBy <resolution/A/RES/58/135/operative/2> ;
    kg:issuedBy <body/general-assembly> ;
    kg:mandateKind mkind:invitation ;
    kg:addressee <body/member-states> ;
    kg:task "to contribute to the expert group" .

<resolution/A/RES/58/135/footnote/1> a kg:Footnote ;
    kg:footnoteOf <resolution/A/RES/58/135> ;
    kg:mark "1" ;
    kg:text "E/CN.15/2003/5." ;
    kg:inParagraph <resolution/A/RES/58/135/operative/1> .

<resolution/A/RES/55/25> a kg:Resolution ;
    kg:symbol "A/RES/55/25" ;
    kg:adoptedBy <body/general-assembly> ;
    kg:citedAs "resolution 55/25 of 15 November 2000" .

<resolution/cop-untoc/6/1> a kg:Resolution ;
    kg:resolutionNumber "6/1" ;
    kg:adoptedBy <body/cop-untoc> .

<document/E/CN.15/2003/5> a kg:Document ;
    kg:symbol "E/CN.15/2003/5" ;
    kg:title "Report of the Secretary-General"@en ;
    kg:citedAs "the report of the Secretary-General" .

<document/A/58/499> a kg:Document ;
    kg:symbol "A/58/499" .

<resolution/A/RES/58/135/draft> a kg:DraftResolution ;
    kg:title "Draft resolution"@en ;
    kg:hasParagraph <resolution/A/RES/58/135/draft/preamble/1>,
        <resolution/A/RES/58/135/draft/operative/1> ;
    kg:adoptedIn <resolution/A/RES/59/159> ;
    kg:textFingerprint "pp:0a1b2c3d4e5f" .

<resolution/A/RES/58/135/draft/preamble/1> a kg:PreambularParagraph ;
    kg:paragraphOf <resolution/A/RES/58/135/draft> ;
    kg:order 1 ;
    kg:leadingPhrase "Recalling" ;
    kg:action action:recall ;
    kg:text "Recalling its resolution 55/25," .

<resolution/A/RES/58/135/draft/operative/1> a kg:OperativeParagraph ;
    kg:paragraphOf <resolution/A/RES/58/135/draft> ;
    kg:order 1 ;
    kg:number "1" ;
    kg:leadingPhrase "Decides" ;
    kg:action action:decide ;
    kg:text "Decides to remain seized of the matter." .

<body/expert-group> a kg:Body ;
    skos:prefLabel "Expert group on capacity-building"@en ;
    kg:shortName "EG" ;
    kg:anaphor "the group"@en ;
    skos:altLabel "Capacity-building expert group"@en ;
    kg:parentBody <body/unodc> ;
    kg:wikidataLabel "Expert group"@en ;
    kg:aknActor "un-eg" .

<treaty/model-treaty> a kg:Treaty ;
    skos:prefLabel "Model Treaty on Mutual Assistance"@en ;
    kg:shortName "MTMA" ;
    kg:anaphor "the Model Treaty"@en ;
    skos:altLabel "Mutual Assistance Model Treaty"@en ;
    kg:supplements <treaty/untoc> ;
    kg:adoptedByResolution <resolution/A/RES/45/117> ;
    kg:treatySeriesVolume "2225" ;
    kg:treatySeriesNumber "39574" ;
    kg:entryIntoForce "2003-09-29"^^xsd:date ;
    kg:wikidataLabel "Model Treaty"@en .

<resolution/A/RES/58/135/source> a kg:SourceRecord ;
    kg:sourceFile "000_255fffffb051a65e.txt" ;
    kg:sourceSha256 "255fffffb051a65e000000000000000000000000000000000000000000000000" ;
    kg:parserVersion "0.1.0" ;
    kg:warning "footnote 2 has no text" ;
    kg:describes <resolution/A/RES/58/135> .

<series/untoc-capacity> a kg:Series ;
    rdfs:label "Capacity-building for the Organized Crime Convention"@en .

<alignment/0123456789abcdef> a kg:Alignment ;
    kg:earlierText <resolution/A/RES/56/120> ;
    kg:laterText <resolution/A/RES/58/135> ;
    kg:alignmentOrder 1 ;
    kg:alignmentOf <resolution/A/RES/58/135/preamble/1> ;
    kg:alignedWith <resolution/A/RES/56/120/preamble/1> ;
    kg:changeKind change:amended ;
    kg:similarity 0.875 ;
    kg:diff "Recalling its resolution[-s-] 55/25" .

<link/0123456789abcdef> a kg:LinkRecord ;
    kg:linkSubject <resolution/A/RES/58/135> ;
    kg:linkProperty foaf:page ;
    kg:linkTarget <https://undocs.org/en/A/RES/58/135> ;
    kg:linkDataset <external/undocs> ;
    kg:checkedAt "2026-01-05"^^xsd:date ;
    kg:verified false ;
    kg:reviewStatus "derived" ;
    kg:listedOn <graph/links/page/1> .

<graph/links/page/1> a kg:ListPage ;
    kg:pageNumber 1 .
"""

VALID_VOID = """
<dataset> a void:Dataset, dcat:Dataset ;
    void:triples 1200 ;
    dcterms:issued "2026-11-22"^^xsd:date ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcat:distribution <dumps/kg.ttl> .

<dumps/kg.ttl> a dcat:Distribution ;
    dcat:downloadURL <https://w3id.org/kg-un/dumps/kg.ttl> ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/text/turtle> ;
    dcat:byteSize "52341"^^xsd:nonNegativeInteger ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    spdx:checksum <dumps/kg.ttl#sha256> .

<dumps/kg.ttl#sha256> a spdx:Checksum ;
    spdx:algorithm spdx:checksumAlgorithm_sha256 ;
    spdx:checksumValue "CHECKSUM"^^xsd:hexBinary .
""".replace("CHECKSUM", CHECKSUM)


def build(valid: str, add: str = "", remove: str = "") -> Graph:
    """``valid`` with the triples of ``remove`` taken out and those of ``add`` put in.

    Every triple to remove must be in the valid graph, so a case cannot go stale silently.
    """
    graph = Graph().parse(data=PREFIXES + valid, format="turtle")
    if remove:
        for triple in Graph().parse(data=PREFIXES + remove, format="turtle"):
            assert triple in graph, f"not in the valid graph: {triple}"
            graph.remove(triple)
    if add:
        graph.parse(data=PREFIXES + add, format="turtle")
    return graph
