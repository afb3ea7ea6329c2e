"""The SHACL shapes: each constraint catches its own mistake, and nothing else fires.

Every case breaks one thing in the valid inline graph of ``tests/shapes_fixtures.py`` and
names the shape (or SPARQL constraint) that must report it, with its focus node, constraint
component and severity. ``also`` lists the other shapes the same mistake rightly trips.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from kg import ids
from kg.errors import ValidationError
from kg.validate import (
    Report,
    assert_conforms,
    format_report,
    shapes_graph,
    validate_graph,
    validate_void,
)
from tests.shapes_fixtures import BASE, CHECKSUM, SHP, VALID, VALID_VOID, build

R = "resolution/A/RES/58/135"
PP1, PP2 = f"{R}/preamble/1", f"{R}/preamble/2"
OP1, OP2 = f"{R}/operative/1", f"{R}/operative/2"
M1, M2 = f"{OP1}/mandate", f"{OP2}/mandate"
DRAFT = f"{R}/draft"
FN = f"{R}/footnote/1"
SRC = f"{R}/source"
AL = "alignment/0123456789abcdef"
LINK = "link/0123456789abcdef"
PAGE = "graph/links/page/1"
BLANK = "_:blank"  # the focus is a blank node
STUB = "resolution/A/RES/1/1"
MKIND_ORDER = "ontology/mandate-kind/order"
SHA = "0" * 64


class Case(NamedTuple):
    id: str
    shape: str
    component: str
    focus: str
    add: str = ""
    remove: str = ""
    severity: str = "Violation"
    also: tuple[str, ...] = ()


def stub(body: str) -> str:
    """A resolution stub, not cited by anything, with extra statements."""
    return f'<resolution/A/RES/1/1> a kg:Resolution ; kg:symbol "A/RES/1/1" ; {body} .'


def treaty(body: str) -> str:
    return f'<treaty/x> a kg:Treaty ; skos:prefLabel "X"@en ; {body} .'


def concept(cls: str, iri: str, scheme: str, leave_out: str = "") -> str:
    parts = {
        "label": 'skos:prefLabel "x"@en',
        "scheme": f"skos:inScheme {scheme}",
        "definition": 'skos:definition "x"@en',
    }
    kept = [v for k, v in parts.items() if k != leave_out]
    return f"{iri} a {cls} ; " + " ; ".join(kept) + " ."


# fmt: off
CASES = [
    # Resolutions
    Case("resolution-blank-node", "ResolutionShape", "NodeKind", BLANK,
         add='[] a kg:Resolution ; kg:symbol "A/RES/1/1" .'),
    Case("symbol-pattern", "Resolution-symbol", "Pattern", "resolution/A/RES/1/1",
         add='<resolution/A/RES/1/1> a kg:Resolution ; kg:symbol "A/58/499" .'),
    Case("symbol-max-count", "Resolution-symbol", "MaxCount", "resolution/A/RES/1/1",
         add=stub('kg:symbol "A/RES/1/2"')),
    Case("symbol-datatype", "Resolution-symbol", "Datatype", "resolution/A/RES/1/1",
         add='<resolution/A/RES/1/1> a kg:Resolution ; kg:symbol "A/RES/1/1"@en .'),
    Case("resolution-number-pattern", "Resolution-resolutionNumber", "Pattern", "resolution/x/1",
         add='<resolution/x/1> a kg:Resolution ; kg:resolutionNumber "resolution 6/1" .'),
    Case("title-unique-lang", "Resolution-title", "UniqueLang", R,
         add=f'<{R}> kg:title "Another title"@en .'),
    Case("title-datatype", "Resolution-title", "Datatype", "resolution/A/RES/1/1",
         add=stub('kg:title "No language tag"')),
    Case("adopted-by-class", "Resolution-adoptedBy", "Class", "resolution/A/RES/1/1",
         add=stub("kg:adoptedBy <body/nobody>")),
    Case("adopted-by-max-count", "Resolution-adoptedBy", "MaxCount", R,
         add=f"<{R}> kg:adoptedBy <body/ecosoc> ."),
    Case("adoption-date-datatype", "Resolution-adoptionDate", "Datatype", R,
         remove=f'<{R}> kg:adoptionDate "2003-12-22"^^xsd:date .',
         add=f'<{R}> kg:adoptionDate "22 December 2003" .'),
    Case("distribution-date-datatype", "Resolution-distributionDate", "Datatype", R,
         remove=f'<{R}> kg:distributionDate "2004-01-26"^^xsd:date .',
         add=f'<{R}> kg:distributionDate "2004-01-26T00:00:00"^^xsd:dateTime .'),
    Case("session-min", "Resolution-session", "MinInclusive", R,
         remove=f"<{R}> kg:session 58 .",
         add=f"<{R}> kg:session 0 ."),
    Case("session-datatype", "Resolution-session", "Datatype", R,
         remove=f"<{R}> kg:session 58 .",
         add=f'<{R}> kg:session "fifty-eighth" .'),
    Case("agenda-item-empty", "Resolution-agendaItem", "MinLength", R,
         add=f'<{R}> kg:agendaItem "" .'),
    Case("meeting-max-count", "Resolution-meeting", "MaxCount", R,
         add=f'<{R}> kg:meeting "78th plenary meeting" .'),
    Case("on-report-of-class", "Resolution-onReportOf", "Class", R,
         remove=f"<{R}> kg:onReportOf <document/A/58/499> .",
         add=f"<{R}> kg:onReportOf <document/A/58/498> ."),
    Case("committee-class", "Resolution-committee", "Class", R,
         remove=f"<{R}> kg:committee <body/third-committee> .",
         add=f"<{R}> kg:committee <body/nobody> ."),
    Case("layout-pattern", "Resolution-layout", "Pattern", R,
         remove=f'<{R}> kg:layout "ods" .',
         add=f'<{R}> kg:layout "docx" .'),
    Case("synthetic-datatype", "Resolution-synthetic", "Datatype", R,
         remove=f"<{R}> kg:synthetic false .",
         add=f'<{R}> kg:synthetic "no" .'),
    Case("has-paragraph-class", "Resolution-hasParagraph", "Class", R,
         add=f"<{R}> kg:hasParagraph <{R}/preamble/9> .",
         also=("ParagraphOfAgreesWithHasParagraph",)),
    Case("has-footnote-class", "Resolution-hasFootnote", "Class", R,
         add=f"<{R}> kg:hasFootnote <{R}/footnote/9> ."),
    Case("cites-literal", "Resolution-cites", "NodeKind", R,
         add=f'<{R}> eli:cites "A/RES/55/25" .'),
    Case("cites-outside-the-dataset", "Resolution-cites", "Pattern", R,
         add=f"<{R}> eli:cites <https://undocs.org/A/RES/55/25> ."),
    Case("mentions-or", "Resolution-mentions", "Or", R,
         add=f"<{R}> kg:mentions <body/nobody> ."),
    Case("mentions-treaty-class", "Resolution-mentionsTreaty", "Class", R,
         add=f"<{R}> kg:mentionsTreaty <treaty/nothing> ."),
    Case("mentions-body-class", "Resolution-mentionsBody", "Class", R,
         add=f"<{R}> kg:mentionsBody <treaty/untoc> ."),
    Case("cited-as-empty", "Resolution-citedAs", "MinLength", "resolution/A/RES/1/1",
         add=stub('kg:citedAs ""')),
    Case("recommends-draft-class", "Resolution-recommendsDraft", "Class", "resolution/A/RES/1/1",
         add=stub("kg:recommendsDraft <resolution/A/RES/1/1/draft>")),
    Case("recommended-to-class", "Resolution-recommendedTo", "Class", R,
         remove=f"<{R}> kg:recommendedTo <body/general-assembly> .",
         add=f"<{R}> kg:recommendedTo <body/nobody> ."),
    Case("adopts-draft-literal", "Resolution-adoptsDraft", "NodeKind", "resolution/A/RES/1/1",
         add=stub('kg:adoptsDraft "the draft"')),
    Case("annex-empty", "Resolution-annex", "MinLength", R,
         add=f'<{R}> kg:annex "" .'),
    Case("in-series-literal", "Resolution-inSeries", "NodeKind", R,
         add=f'<{R}> kg:inSeries "UNTOC" .'),
    Case("series-order-min", "Resolution-seriesOrder", "MinInclusive", R,
         remove=f"<{R}> kg:seriesOrder 2 .",
         add=f"<{R}> kg:seriesOrder 0 ."),
    Case("previous-in-series-max", "Resolution-previousInSeries", "MaxCount", R,
         add=f"<{R}> kg:previousInSeries <resolution/A/RES/57/173> ."),
    Case("akn-work-literal", "Resolution-aknWork", "NodeKind", "resolution/A/RES/1/1",
         add=stub('kg:aknWork "/akn/un/58-135"')),
    Case("akn-identifier-pattern", "Resolution-aknIdentifier", "Pattern", "resolution/A/RES/1/1",
         add=stub('kg:aknIdentifier "akn/un/58-135"')),
    Case("text-fingerprint-empty", "Resolution-textFingerprint", "MinLength", STUB,
         add=stub('kg:textFingerprint ""')),
    Case("stub-without-identity", "ResolutionIdentityShape", "Or", "resolution/anonymous",
         add="<resolution/anonymous> a kg:Resolution ; kg:adoptedBy <body/general-assembly> ."),
    # Texts described in full
    Case("paragraphs-on-untyped-node", "DescribedTextKindShape", "Or", "thing/x",
         add=f"<thing/x> kg:hasParagraph <{PP1}> .",
         also=("HasOperativeParagraph", "ParagraphOfAgreesWithHasParagraph",
               "PartParagraph-listedBy")),
    Case("described-without-adopter", "DescribedResolutionHasAdopter", "SPARQL", R,
         remove=f"<{R}> kg:adoptedBy <body/general-assembly> ."),
    Case("draft-without-operative", "HasOperativeParagraph", "SPARQL", DRAFT,
         remove=f"""<{DRAFT}> kg:hasParagraph <{DRAFT}/operative/1> .
         <{DRAFT}/operative/1> a kg:OperativeParagraph ; kg:paragraphOf <{DRAFT}> ; kg:order 1 ;
         kg:number "1" ; kg:leadingPhrase "Decides" ; kg:action action:decide ;
         kg:text "Decides to remain seized of the matter." ."""),
    Case("paragraph-order-duplicate", "UniqueParagraphOrder", "SPARQL", R,
         remove=f"<{OP2}> kg:order 2 .",
         add=f"<{OP2}> kg:order 1 ."),
    Case("paragraph-order-gap", "GapFreeParagraphOrder", "SPARQL", R,
         remove=f"<{OP2}> kg:order 2 .",
         add=f"<{OP2}> kg:order 3 ."),
    Case("paragraph-not-pointing-back", "ParagraphOfAgreesWithHasParagraph", "SPARQL", R,
         remove=f"<{PP2}> kg:paragraphOf <{R}> .",
         also=("PartParagraph-paragraphOf",)),
    Case("sub-paragraph-order-duplicate", "UniqueSubParagraphOrder", "SPARQL", R,
         remove=f"<{OP1}/b> kg:order 2 .",
         add=f"<{OP1}/b> kg:order 1 ."),
    Case("sub-paragraph-order-gap", "GapFreeSubParagraphOrder", "SPARQL", R,
         remove=f"<{OP1}/b> kg:order 2 .",
         add=f"<{OP1}/b> kg:order 3 ."),
    Case("sub-paragraph-not-listed", "SubParagraphOfAgreesWithHasSubParagraph", "SPARQL", R,
         remove=f"<{OP1}> kg:hasSubParagraph <{OP1}/b> .",
         also=("SubParagraph-listedBy",)),
    Case("mandate-not-listed", "MandateLinksAgree", "SPARQL", R,
         remove=f"<{OP2}> kg:createsMandate <{M2}> ."),
    Case("iri-not-from-symbol", "IriFromSymbol", "SPARQL", R,
         remove='<resolution/A/RES/55/25> kg:symbol "A/RES/55/25" .',
         add='<resolution/A/RES/55/25> kg:symbol "A/RES/55/26" .'),
    Case("described-without-symbol", "DescribedResolutionHasSymbol", "SPARQL", R,
         remove=f'<{R}> kg:symbol "A/RES/58/135" .',
         severity="Warning"),
    Case("described-without-date", "DescribedResolutionHasDate", "SPARQL", R,
         remove=f'<{R}> kg:adoptionDate "2003-12-22"^^xsd:date .',
         severity="Warning"),
    # Drafts
    Case("draft-blank-node", "DraftResolutionShape", "NodeKind", BLANK,
         add="[] a kg:DraftResolution .",
         also=("Draft-hasParagraph", "Draft-recommendedBy")),
    Case("draft-title-datatype", "Draft-title", "Datatype", DRAFT,
         add=f'<{DRAFT}> kg:title "Draft" .'),
    Case("draft-paragraph-class", "Draft-hasParagraph", "Class", DRAFT,
         add=f"<{DRAFT}> kg:hasParagraph <{DRAFT}/operative/9> .",
         also=("ParagraphOfAgreesWithHasParagraph",)),
    Case("draft-adopted-by", "Draft-adoptedBy", "MaxCount", DRAFT,
         add=f"<{DRAFT}> kg:adoptedBy <body/general-assembly> ."),
    Case("draft-adopted-in-literal", "Draft-adoptedIn", "NodeKind", DRAFT,
         remove=f"<{DRAFT}> kg:adoptedIn <resolution/A/RES/59/159> .",
         add=f'<{DRAFT}> kg:adoptedIn "59/159" .'),
    Case("draft-not-recommended", "Draft-recommendedBy", "MinCount", DRAFT,
         remove=f"<{R}> kg:recommendsDraft <{DRAFT}> ."),
    Case("draft-footnote-class", "Draft-hasFootnote", "Class", DRAFT,
         add=f"<{DRAFT}> kg:hasFootnote <{DRAFT}/footnote/1> ."),
    Case("draft-cites-literal", "Draft-cites", "NodeKind", DRAFT,
         add=f'<{DRAFT}> eli:cites "55/25" .'),
    Case("draft-mentions-treaty-class", "Draft-mentionsTreaty", "Class", DRAFT,
         add=f"<{DRAFT}> kg:mentionsTreaty <body/unodc> ."),
    Case("draft-mentions-body-class", "Draft-mentionsBody", "Class", DRAFT,
         add=f"<{DRAFT}> kg:mentionsBody <body/nobody> ."),
    Case("draft-fingerprint-empty", "Draft-textFingerprint", "MinLength", DRAFT,
         remove=f'<{DRAFT}> kg:textFingerprint "pp:0a1b2c3d4e5f" .',
         add=f'<{DRAFT}> kg:textFingerprint "" .'),
    # Other documents
    Case("document-blank-node", "DocumentShape", "NodeKind", BLANK,
         add='[] a kg:Document ; kg:symbol "A/58/1" .'),
    Case("document-without-symbol", "Document-symbol", "MinCount", "document/A/58/1",
         add="<document/A/58/1> a kg:Document ."),
    Case("document-symbol-pattern", "Document-symbol", "Pattern", "document/x",
         add='<document/x> a kg:Document ; kg:symbol "the report" .'),
    Case("document-title-unique-lang", "Document-title", "UniqueLang", "document/E/CN.15/2003/5",
         add='<document/E/CN.15/2003/5> kg:title "Another report"@en .'),
    Case("document-cited-as-datatype", "Document-citedAs", "Datatype", "document/A/58/499",
         add='<document/A/58/499> kg:citedAs "A/58/499"@en .'),
    # Paragraphs
    Case("paragraph-blank-node", "ParagraphShape", "NodeKind", BLANK,
         add='[] a kg:SubParagraph ; kg:order 1 ; kg:text "t" ; kg:label "a" .',
         also=("SubParagraph-subParagraphOf", "SubParagraph-listedBy")),
    Case("paragraph-of-no-kind", "Paragraph-kind", "QualifiedMinCount", "thing/p",
         add='<thing/p> a kg:Paragraph ; kg:order 1 ; kg:text "t" .'),
    Case("paragraph-of-two-kinds", "Paragraph-kind", "QualifiedMaxCount", PP1,
         add=f"<{PP1}> a kg:OperativeParagraph .",
         also=("UniqueParagraphOrder",)),
    Case("paragraph-without-order", "Paragraph-order", "MinCount", f"{OP1}/b",
         remove=f"<{OP1}/b> kg:order 2 ."),
    Case("paragraph-order-zero", "Paragraph-order", "MinInclusive", f"{OP1}/a",
         remove=f"<{OP1}/a> kg:order 1 .",
         add=f"<{OP1}/a> kg:order 0 ."),
    Case("paragraph-without-text", "Paragraph-text", "MinCount", PP2,
         remove=f'<{PP2}> kg:text "Reaffirming Conference resolution 6/1," .'),
    Case("paragraph-blank-text", "Paragraph-text", "Pattern", f"{OP1}/a",
         remove=f'<{OP1}/a> kg:text "(a) to collect the legislation of States;" .',
         add=f'<{OP1}/a> kg:text "   " .'),
    Case("paragraph-number-datatype", "Paragraph-number", "Datatype", OP1,
         remove=f'<{OP1}> kg:number "1" .',
         add=f"<{OP1}> kg:number 1 ."),
    Case("leading-phrase-blank", "Paragraph-leadingPhrase", "Pattern", PP2,
         remove=f'<{PP2}> kg:leadingPhrase "Reaffirming" .',
         add=f'<{PP2}> kg:leadingPhrase " " .'),
    Case("action-outside-scheme", "Paragraph-action", "Pattern", PP2,
         remove=f"<{PP2}> kg:action action:reaffirm .",
         add=f"<{PP2}> kg:action <https://example.org/reaffirm> ."),
    Case("action-two-values", "Paragraph-action", "MaxCount", PP2,
         add=f"<{PP2}> kg:action action:recall ."),
    Case("akn-eid-pattern", "Paragraph-aknEId", "Pattern", OP1,
         remove=f'<{OP1}> kg:aknEId "para_1" .',
         add=f'<{OP1}> kg:aknEId "1" .'),
    Case("paragraph-cites-literal", "Paragraph-cites", "NodeKind", PP1,
         add=f'<{PP1}> eli:cites "55/25" .'),
    Case("sub-paragraph-cites-outside-the-dataset", "Paragraph-cites", "Pattern", f"{OP1}/a",
         add=f"<{OP1}/a> eli:cites <https://example.org/report> ."),
    Case("paragraph-mentions-or", "Paragraph-mentions", "Or", PP1,
         add=f"<{PP1}> kg:mentions <body/nobody> ."),
    Case("paragraph-mentions-treaty-class", "Paragraph-mentionsTreaty", "Class", PP1,
         add=f"<{PP1}> kg:mentionsTreaty <body/unodc> ."),
    Case("paragraph-mentions-body-class", "Paragraph-mentionsBody", "Class", PP1,
         add=f"<{PP1}> kg:mentionsBody <body/nobody> ."),
    Case("sub-paragraph-class", "Paragraph-hasSubParagraph", "Class", OP2,
         add=f"<{OP2}> kg:hasSubParagraph <{OP2}/a> .",
         also=("SubParagraphOfAgreesWithHasSubParagraph",)),
    Case("revision-of-two", "Paragraph-revisionOf", "MaxCount", PP1,
         add=f"<{PP1}> kg:revisionOf <resolution/A/RES/57/173/preamble/1> ."),
    Case("paragraph-without-resolution", "PartParagraph-paragraphOf", "MinCount", PP2,
         remove=f"<{PP2}> kg:paragraphOf <{R}> .",
         also=("ParagraphOfAgreesWithHasParagraph",)),
    Case("paragraph-listed-twice", "PartParagraph-listedBy", "MaxCount", PP2,
         add=f"<{DRAFT}> kg:hasParagraph <{PP2}> .",
         also=("ParagraphOfAgreesWithHasParagraph",)),
    Case("paragraph-without-phrase", "PartParagraph-leadingPhrase", "MinCount", PP2,
         remove=f'<{PP2}> kg:leadingPhrase "Reaffirming" .'),
    Case("paragraph-as-sub-paragraph", "PartParagraph-subParagraphOf", "MaxCount", PP2,
         add=f"<{PP2}> kg:subParagraphOf <{OP1}> .",
         also=("SubParagraphOfAgreesWithHasSubParagraph",)),
    Case("unknown-action", "PartParagraph-knownAction", "MinCount", PP2,
         remove=f"<{PP2}> kg:action action:reaffirm .",
         severity="Warning"),
    Case("numbered-preambular", "Preambular-number", "MaxCount", PP1,
         add=f'<{PP1}> kg:number "1" .'),
    Case("preambular-mandate", "Preambular-createsMandate", "MaxCount", PP1,
         add=f"<{PP1}> kg:createsMandate <{M1}> .",
         also=("MandateLinksAgree",)),
    Case("operative-mandate-class", "Operative-createsMandate", "Class", OP2,
         add=f"<{OP2}> kg:createsMandate <{OP2}/mandate/2> .",
         also=("MandateLinksAgree",)),
    Case("sub-paragraph-parent-class", "SubParagraph-subParagraphOf", "Class", "thing/p",
         add='<thing/p> a kg:SubParagraph ; kg:subParagraphOf <thing/q> ; kg:label "a" ; '
         'kg:order 1 ; kg:text "t" . <thing/q> kg:hasSubParagraph <thing/p> .'),
    Case("sub-paragraph-listed-twice", "SubParagraph-listedBy", "MaxCount", f"{OP1}/b",
         add=f"<{OP2}> kg:hasSubParagraph <{OP1}/b> .",
         also=("SubParagraphOfAgreesWithHasSubParagraph", "GapFreeSubParagraphOrder")),
    Case("sub-paragraph-label-pattern", "SubParagraph-label", "Pattern", f"{OP1}/b",
         remove=f'<{OP1}/b> kg:label "b" .',
         add=f'<{OP1}/b> kg:label "(b)" .'),
    Case("sub-paragraph-of-resolution", "SubParagraph-paragraphOf", "MaxCount", f"{OP1}/a",
         add=f"<{OP1}/a> kg:paragraphOf <{R}> .",
         also=("ParagraphOfAgreesWithHasParagraph",)),
    Case("sub-paragraph-listed-by-text", "SubParagraph-listedByText", "MaxCount", f"{OP1}/a",
         add=f"<{R}> kg:hasParagraph <{OP1}/a> .",
         also=("ParagraphOfAgreesWithHasParagraph",)),
    # Footnotes
    Case("footnote-blank-node", "FootnoteShape", "NodeKind", BLANK,
         add=f'[] a kg:Footnote ; kg:mark "2" ; kg:text "t" ; kg:footnoteOf <{R}> .',
         also=("Footnote-listedBy",)),
    Case("footnote-of-document", "Footnote-footnoteOf", "Or", FN,
         remove=f"<{FN}> kg:footnoteOf <{R}> .",
         add=f"<{FN}> kg:footnoteOf <document/A/58/499> ."),
    Case("footnote-not-listed", "Footnote-listedBy", "MinCount", FN,
         remove=f"<{R}> kg:hasFootnote <{FN}> ."),
    Case("footnote-without-mark", "Footnote-mark", "MinCount", FN,
         remove=f'<{FN}> kg:mark "1" .'),
    Case("footnote-blank-text", "Footnote-text", "Pattern", FN,
         remove=f'<{FN}> kg:text "E/CN.15/2003/5." .',
         add=f'<{FN}> kg:text " " .'),
    Case("footnote-paragraph-class", "Footnote-inParagraph", "Class", FN,
         remove=f"<{FN}> kg:inParagraph <{OP1}> .",
         add=f"<{FN}> kg:inParagraph <thing/p> ."),
    Case("footnote-without-text", "Footnote-hasText", "MinCount", FN,
         remove=f'<{FN}> kg:text "E/CN.15/2003/5." .',
         severity="Warning"),
    # Mandates
    Case("mandate-blank-node", "MandateShape", "NodeKind", BLANK,
         add=f"[] a kg:Mandate ; kg:createdBy <{OP1}> ; kg:addressee <body/unodc> ; "
         f'kg:mandateKind mkind:request ; kg:task "t" ; kg:issuedBy <body/general-assembly> .',
         also=("MandateLinksAgree",)),
    Case("mandate-from-preamble", "Mandate-createdBy", "Class", M2,
         remove=f"<{M2}> kg:createdBy <{OP2}> .",
         add=f"<{M2}> kg:createdBy <{PP1}> .",
         also=("MandateLinksAgree",)),
    Case("mandate-addressee-class", "Mandate-addressee", "Class", M1,
         remove=f"<{M1}> kg:addressee <body/unodc> .",
         add=f"<{M1}> kg:addressee <body/nobody> ."),
    Case("mandate-without-addressee", "Mandate-addressee", "MinCount", M2,
         remove=f"<{M2}> kg:addressee <body/member-states> ."),
    Case("mandate-kind-outside-scheme", "Mandate-mandateKind", "In", M1,
         remove=f"<{M1}> kg:mandateKind mkind:request .",
         add=f"<{M1}> kg:mandateKind mkind:order ."),
    Case("mandate-without-kind", "Mandate-mandateKind", "MinCount", M1,
         remove=f"<{M1}> kg:mandateKind mkind:request ."),
    Case("mandate-blank-task", "Mandate-task", "Pattern", M1,
         remove=f'<{M1}> kg:task "to develop a guide" .',
         add=f'<{M1}> kg:task "  " .'),
    Case("mandate-issuer-class", "Mandate-issuedBy", "Class", M1,
         remove=f"<{M1}> kg:issuedBy <body/general-assembly> .",
         add=f"<{M1}> kg:issuedBy <treaty/untoc> ."),
    Case("mandate-report-to-class", "Mandate-reportTo", "Class", M1,
         remove=f"<{M1}> kg:reportTo <body/general-assembly> .",
         add=f"<{M1}> kg:reportTo <body/nobody> ."),
    Case("mandate-due-session-min", "Mandate-dueSession", "MinInclusive", M1,
         remove=f"<{M1}> kg:dueSession 59 .",
         add=f"<{M1}> kg:dueSession 0 ."),
    Case("mandate-due-year-min", "Mandate-dueYear", "MinInclusive", M1,
         remove=f"<{M1}> kg:dueYear 2004 .",
         add=f"<{M1}> kg:dueYear 1900 ."),
    # Concept schemes
    Case("mandate-kind-iri", "MandateKindShape", "Pattern", "https://example.org/kind/order",
         add=concept("kg:MandateKind", "<https://example.org/kind/order>", "mkind:")),
    Case("mandate-kind-label", "MandateKind-prefLabel", "MinCount", "ontology/mandate-kind/order",
         add=concept("kg:MandateKind", "mkind:order", "mkind:", "label")),
    Case("mandate-kind-scheme", "MandateKind-inScheme", "HasValue", "ontology/mandate-kind/order",
         add=concept("kg:MandateKind", "mkind:order", "mkind:", "scheme")),
    Case("mandate-kind-definition", "MandateKind-definition", "MinCount", MKIND_ORDER,
         add=concept("kg:MandateKind", "mkind:order", "mkind:", "definition")),
    Case("change-kind-iri", "ChangeKindShape", "Pattern", "https://example.org/change/moved",
         add=concept("kg:ChangeKind", "<https://example.org/change/moved>", "change:")),
    Case("change-kind-label", "ChangeKind-prefLabel", "MinCount", "ontology/change/moved",
         add=concept("kg:ChangeKind", "change:moved", "change:", "label")),
    Case("change-kind-scheme", "ChangeKind-inScheme", "HasValue", "ontology/change/moved",
         add=concept("kg:ChangeKind", "change:moved", "change:", "scheme")),
    Case("change-kind-definition", "ChangeKind-definition", "MinCount", "ontology/change/moved",
         add=concept("kg:ChangeKind", "change:moved", "change:", "definition")),
    Case("action-iri", "ActionShape", "Pattern", "https://example.org/act",
         add='<https://example.org/act> a kg:Action ; skos:prefLabel "act"@en ; '
             'skos:inScheme action: .'),
    Case("action-label", "Action-prefLabel", "MinCount", "ontology/action/zzz",
         add="action:zzz a kg:Action ; skos:inScheme action: ."),
    Case("action-phrase-datatype", "Action-altLabel", "Datatype", "ontology/action/zzz",
         add='action:zzz a kg:Action ; skos:prefLabel "z"@en ; skos:inScheme action: ; '
         'skos:altLabel "Zzzs" .'),
    Case("action-scheme", "Action-inScheme", "HasValue", "ontology/action/zzz",
         add='action:zzz a kg:Action ; skos:prefLabel "z"@en .'),
    # Bodies, groups, treaties
    Case("body-blank-node", "BodyShape", "NodeKind", BLANK,
         add='[] a kg:Body ; skos:prefLabel "B"@en .'),
    Case("body-without-name", "Body-prefLabel", "MinCount", "body/x",
         add="<body/x> a kg:Body ."),
    Case("body-short-name-datatype", "Body-shortName", "Datatype", "body/expert-group",
         add='<body/expert-group> kg:shortName "EG"@en .'),
    Case("body-anaphor-datatype", "Body-anaphor", "Datatype", "body/expert-group",
         add='<body/expert-group> kg:anaphor "the experts" .'),
    Case("body-alt-label-datatype", "Body-altLabel", "Datatype", "body/expert-group",
         add='<body/expert-group> skos:altLabel "Experts" .'),
    Case("body-parent-class", "Body-parentBody", "Class", "body/expert-group",
         add="<body/expert-group> kg:parentBody <treaty/untoc> ."),
    Case("body-predecessor-class", "Body-predecessor", "Class", "body/expert-group",
         add="<body/expert-group> kg:predecessor <body/nobody> ."),
    Case("body-successor-class", "Body-successor", "Class", "body/expert-group",
         add="<body/expert-group> kg:successor <body/nobody> ."),
    Case("body-wikidata-label-datatype", "Body-wikidataLabel", "Datatype", "body/expert-group",
         add='<body/expert-group> kg:wikidataLabel "Experts" .'),
    Case("body-akn-actor-pattern", "Body-aknActor", "Pattern", "body/expert-group",
         remove='<body/expert-group> kg:aknActor "un-eg" .',
         add='<body/expert-group> kg:aknActor "UN EG" .'),
    Case("group-adopts", "Group-adopts", "MaxCount", "body/member-states",
         add=stub("kg:adoptedBy <body/member-states>")),
    Case("group-issues", "Group-issues", "MaxCount", "body/member-states",
         remove=f"<{M2}> kg:issuedBy <body/general-assembly> .",
         add=f"<{M2}> kg:issuedBy <body/member-states> ."),
    Case("treaty-blank-node", "TreatyShape", "NodeKind", BLANK,
         add='[] a kg:Treaty ; skos:prefLabel "T"@en .'),
    Case("treaty-without-name", "Treaty-prefLabel", "MinCount", "treaty/x",
         add="<treaty/x> a kg:Treaty ."),
    Case("treaty-short-name-datatype", "Treaty-shortName", "Datatype", "treaty/x",
         add=treaty('kg:shortName "X"@en')),
    Case("treaty-anaphor-datatype", "Treaty-anaphor", "Datatype", "treaty/x",
         add=treaty('kg:anaphor "the X"')),
    Case("treaty-alt-label-datatype", "Treaty-altLabel", "Datatype", "treaty/x",
         add=treaty('skos:altLabel "X Treaty"')),
    Case("treaty-supplements-class", "Treaty-supplements", "Class", "treaty/x",
         add=treaty("kg:supplements <body/unodc>")),
    Case("treaty-adopted-by-literal", "Treaty-adoptedByResolution", "NodeKind", "treaty/x",
         add=treaty('kg:adoptedByResolution "55/25"')),
    Case("treaty-volume-pattern", "Treaty-treatySeriesVolume", "Pattern", "treaty/x",
         add=treaty('kg:treatySeriesVolume "vol. 2225"')),
    Case("treaty-number-pattern", "Treaty-treatySeriesNumber", "Pattern", "treaty/x",
         add=treaty('kg:treatySeriesNumber "No. 39574"')),
    Case("treaty-entry-into-force-datatype", "Treaty-entryIntoForce", "Datatype", "treaty/x",
         add=treaty('kg:entryIntoForce "29 September 2003"')),
    Case("treaty-wikidata-label-datatype", "Treaty-wikidataLabel", "Datatype", "treaty/x",
         add=treaty('kg:wikidataLabel "X"')),
    # Series and alignments
    Case("series-blank-node", "SeriesShape", "NodeKind", BLANK,
         add='<resolution/A/RES/1/1> kg:inSeries _:s . _:s a kg:Series ; rdfs:label "S"@en .'),
    Case("series-without-members", "Series-members", "MinCount", "series/empty",
         add='<series/empty> a kg:Series ; rdfs:label "Empty"@en .'),
    Case("series-without-name", "Series-label", "MinCount", "series/untoc-capacity",
         remove='<series/untoc-capacity> rdfs:label "Capacity-building for the Organized Crime '
         'Convention"@en .',
         severity="Warning"),
    Case("alignment-without-paragraphs", "AlignmentShape", "Or", "alignment/x",
         add=f"<alignment/x> a kg:Alignment ; kg:earlierText <resolution/A/RES/56/120> ; "
         f"kg:laterText <{R}> ; kg:alignmentOrder 2 ; kg:changeKind change:new ."),
    Case("alignment-without-earlier-text", "Alignment-earlierText", "MinCount", AL,
         remove=f"<{AL}> kg:earlierText <resolution/A/RES/56/120> ."),
    Case("alignment-later-text-literal", "Alignment-laterText", "NodeKind", AL,
         remove=f"<{AL}> kg:laterText <{R}> .",
         add=f'<{AL}> kg:laterText "58/135" .'),
    Case("alignment-order-min", "Alignment-alignmentOrder", "MinInclusive", AL,
         remove=f"<{AL}> kg:alignmentOrder 1 .",
         add=f"<{AL}> kg:alignmentOrder 0 ."),
    Case("alignment-of-two", "Alignment-alignmentOf", "MaxCount", AL,
         add=f"<{AL}> kg:alignmentOf <{PP2}> ."),
    Case("aligned-with-literal", "Alignment-alignedWith", "NodeKind", AL,
         remove=f"<{AL}> kg:alignedWith <resolution/A/RES/56/120/preamble/1> .",
         add=f'<{AL}> kg:alignedWith "preamble 1" .'),
    Case("alignment-change-kind", "Alignment-changeKind", "In", AL,
         remove=f"<{AL}> kg:changeKind change:amended .",
         add=f"<{AL}> kg:changeKind change:moved ."),
    Case("alignment-similarity-max", "Alignment-similarity", "MaxInclusive", AL,
         remove=f"<{AL}> kg:similarity 0.875 .",
         add=f"<{AL}> kg:similarity 1.5 ."),
    Case("alignment-diff-datatype", "Alignment-diff", "Datatype", AL,
         remove=f'<{AL}> kg:diff "Recalling its resolution[-s-] 55/25" .',
         add=f'<{AL}> kg:diff "changed"@en .'),
    Case("new-paragraph-with-earlier", "ChangeKindAgreesWithParagraphs", "SPARQL", AL,
         remove=f"<{AL}> kg:changeKind change:amended .",
         add=f"<{AL}> kg:changeKind change:new ."),
    # Provenance and links
    Case("source-blank-node", "SourceRecordShape", "NodeKind", BLANK,
         add=f'<thing/r> prov:wasDerivedFrom _:s . _:s a kg:SourceRecord ; kg:sourceFile "f" ; '
         f'kg:parserVersion "0.1.0" ; kg:sourceSha256 "{SHA}" .'),
    Case("source-not-linked", "SourceRecord-derived", "MinCount", SRC,
         remove=f"<{R}> prov:wasDerivedFrom <{SRC}> ."),
    Case("source-without-file", "SourceRecord-sourceFile", "MinCount", SRC,
         remove=f'<{SRC}> kg:sourceFile "000_255fffffb051a65e.txt" .'),
    Case("source-digest-pattern", "SourceRecord-sourceSha256", "Pattern", SRC,
         add=f'<{SRC}> kg:sourceSha256 "ABC" .'),
    Case("source-without-version", "SourceRecord-parserVersion", "MinCount", SRC,
         remove=f'<{SRC}> kg:parserVersion "0.1.0" .'),
    Case("source-blank-warning", "SourceRecord-warning", "Pattern", SRC,
         add=f'<{SRC}> kg:warning "  " .'),
    Case("source-describes-class", "SourceRecord-describes", "Class", SRC,
         remove=f"<{SRC}> kg:describes <{R}> .",
         add=f"<{SRC}> kg:describes <document/A/58/499> ."),
    Case("source-without-digest", "SourceRecord-hasSha256", "MinCount", SRC,
         remove=f'<{SRC}> kg:sourceSha256 "255fffffb051a65e{"0" * 48}" .',
         severity="Warning"),
    Case("link-without-subject", "LinkRecord-linkSubject", "MinCount", LINK,
         remove=f"<{LINK}> kg:linkSubject <{R}> ."),
    Case("link-property-literal", "LinkRecord-linkProperty", "NodeKind", LINK,
         remove=f"<{LINK}> kg:linkProperty foaf:page .",
         add=f'<{LINK}> kg:linkProperty "page" .'),
    Case("link-two-targets", "LinkRecord-linkTarget", "MaxCount", LINK,
         add=f"<{LINK}> kg:linkTarget <https://undocs.org/A/RES/58/135> ."),
    Case("link-without-dataset", "LinkRecord-linkDataset", "MinCount", LINK,
         remove=f"<{LINK}> kg:linkDataset <external/undocs> ."),
    Case("link-checked-at-datatype", "LinkRecord-checkedAt", "Datatype", LINK,
         remove=f'<{LINK}> kg:checkedAt "2026-01-05"^^xsd:date .',
         add=f'<{LINK}> kg:checkedAt "2026-01-05T10:00:00"^^xsd:dateTime .'),
    Case("link-verified-datatype", "LinkRecord-verified", "Datatype", LINK,
         remove=f"<{LINK}> kg:verified false .",
         add=f'<{LINK}> kg:verified "no" .'),
    Case("link-review-status-pattern", "LinkRecord-reviewStatus", "Pattern", LINK,
         remove=f'<{LINK}> kg:reviewStatus "derived" .',
         add=f'<{LINK}> kg:reviewStatus "maybe" .'),
    Case("link-page-without-number", "ListPage-pageNumber", "MinCount", PAGE,
         remove=f"<{PAGE}> kg:pageNumber 1 ."),
    Case("link-page-number-zero", "ListPage-pageNumber", "MinInclusive", PAGE,
         remove=f"<{PAGE}> kg:pageNumber 1 .",
         add=f"<{PAGE}> kg:pageNumber 0 ."),
]
# fmt: on

D, DIST, SUM = "dataset", "dumps/kg.ttl", "dumps/kg.ttl#sha256"
# fmt: off
VOID_CASES = [
    Case("dataset-not-void", "PublishedDatasetShape", "Class", D,
         remove=f"<{D}> a void:Dataset ."),
    Case("dataset-triples-datatype", "Dataset-triples", "Datatype", D,
         remove=f"<{D}> void:triples 1200 .",
         add=f'<{D}> void:triples "1200" .'),
    Case("dataset-issued-datatype", "Dataset-issued", "Datatype", D,
         remove=f'<{D}> dcterms:issued "2026-11-22"^^xsd:date .',
         add=f'<{D}> dcterms:issued "2026-11-22T08:00:00"^^xsd:dateTime .'),
    Case("dataset-without-license", "Dataset-license", "MinCount", D,
         remove=f"<{D}> dcterms:license <https://creativecommons.org/licenses/by/4.0/> ."),
    Case("distribution-untyped", "Dataset-distribution", "Class", D,
         remove=f"<{DIST}> a dcat:Distribution ."),
    Case("distribution-without-url", "Distribution-downloadURL", "MinCount", DIST,
         remove=f"<{DIST}> dcat:downloadURL <https://w3id.org/kg-un/dumps/kg.ttl> ."),
    Case("distribution-media-type", "Distribution-mediaType", "Pattern", DIST,
         remove=f"<{DIST}> dcat:mediaType "
         "<https://www.iana.org/assignments/media-types/text/turtle> .",
         add=f'<{DIST}> dcat:mediaType "Turtle" .'),
    Case("distribution-size-datatype", "Distribution-byteSize", "Or", DIST,
         remove=f'<{DIST}> dcat:byteSize "52341"^^xsd:nonNegativeInteger .',
         add=f'<{DIST}> dcat:byteSize "52 kB" .'),
    Case("distribution-size-negative", "Distribution-byteSize", "MinInclusive", DIST,
         remove=f'<{DIST}> dcat:byteSize "52341"^^xsd:nonNegativeInteger .',
         add=f"<{DIST}> dcat:byteSize -1 ."),
    Case("distribution-without-checksum", "Distribution-checksum", "MinCount", DIST,
         remove=f"<{DIST}> spdx:checksum <{SUM}> ."),
    Case("distribution-checksum-incomplete", "Distribution-checksum", "Node", DIST,
         remove=f"<{SUM}> spdx:algorithm spdx:checksumAlgorithm_sha256 .",
         also=("Checksum-algorithm",)),
    Case("distribution-license-literal", "Distribution-license", "NodeKind", DIST,
         remove=f"<{DIST}> dcterms:license <https://creativecommons.org/licenses/by/4.0/> .",
         add=f'<{DIST}> dcterms:license "CC BY 4.0" .'),
    Case("checksum-algorithm", "Checksum-algorithm", "In", SUM,
         remove=f"<{SUM}> spdx:algorithm spdx:checksumAlgorithm_sha256 .",
         add=f"<{SUM}> spdx:algorithm spdx:checksumAlgorithm_crc32 .",
         also=("Distribution-checksum",)),
    Case("checksum-value", "Checksum-value", "Pattern", SUM,
         remove=f'<{SUM}> spdx:checksumValue "{CHECKSUM}"^^xsd:hexBinary .',
         add=f'<{SUM}> spdx:checksumValue "NOT HEX" .',
         also=("Distribution-checksum",)),
]
# fmt: on


def _check(report: Report, case: Case) -> None:
    shapes = {v.shape for v in report.violations}
    assert shapes == {SHP + case.shape, *(SHP + s for s in case.also)}, report.text
    component = str(SH[case.component + "ConstraintComponent"])
    found = [
        (v.focus, v.constraint, v.severity)
        for v in report.violations
        if v.shape == SHP + case.shape
    ]
    if case.focus == BLANK:
        assert [(c, s) for _f, c, s in found] == [(component, case.severity)], report.text
        assert not found[0][0].startswith("http")
    else:
        focus = case.focus if case.focus.startswith("http") else BASE + case.focus
        assert (focus, component, case.severity) in found, report.text
    assert report.conforms is all(v.severity != "Violation" for v in report.violations)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_shape_reports_its_violation(case: Case) -> None:
    report = validate_graph(build(VALID, case.add, case.remove), source="case.ttl")
    _check(report, case)


@pytest.mark.parametrize("case", VOID_CASES, ids=[case.id for case in VOID_CASES])
def test_void_shape_reports_its_violation(case: Case) -> None:
    _check(validate_void(build(VALID_VOID, case.add, case.remove)), case)


def test_every_shape_and_sparql_constraint_has_a_case() -> None:
    parameters = {
        SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH["in"],
        SH.hasValue, SH["or"], SH.xone, SH.qualifiedValueShape, SH.minInclusive, SH.maxInclusive,
        SH.minLength, SH.uniqueLang, SH.node, SH.select,
    }  # fmt: skip
    shapes = shapes_graph("resolution") + shapes_graph("void")
    constrained = {
        str(s)[len(SHP) :]
        for s, p in shapes.subject_predicates()
        if isinstance(s, URIRef) and p in parameters
    }
    covered = {case.shape for case in CASES + VOID_CASES}
    assert constrained - covered == set()
    assert covered - constrained == set()


def test_valid_graph_conforms_without_any_result() -> None:
    report = validate_graph(build(VALID), source="A_RES_58_135.txt")
    assert report.conforms
    assert report.violations == ()
    assert report.text == "A_RES_58_135.txt: conforms to the shapes"


def test_valid_void_description_conforms() -> None:
    report = validate_void(build(VALID_VOID))
    assert (report.conforms, report.violations) == (True, ())


def test_stub_only_graph_conforms() -> None:
    graph = build(
        "",
        add='<resolution/A/RES/57/173> a kg:Resolution ; kg:symbol "A/RES/57/173" ; '
        "kg:adoptedBy <body/general-assembly> . "
        '<resolution/cop-untoc/6/1> a kg:Resolution ; kg:resolutionNumber "6/1" ; '
        "kg:adoptedBy <body/cop-untoc> . "
        '<document/E/CN.15/2003/5> a kg:Document ; kg:symbol "E/CN.15/2003/5" .',
    )
    assert validate_graph(graph).violations == ()


def test_warnings_alone_do_not_block_loading() -> None:
    graph = build(
        VALID,
        remove=f'<{R}> kg:symbol "A/RES/58/135" ; kg:adoptionDate "2003-12-22"^^xsd:date . '
        f"<{PP2}> kg:action action:reaffirm .",
    )
    report = assert_conforms(graph, source="001_e4a5895366382510.txt")
    assert report.conforms
    assert report.errors == ()
    assert sorted(v.shape or "" for v in report.warnings) == [
        SHP + "DescribedResolutionHasDate",
        SHP + "DescribedResolutionHasSymbol",
        SHP + "PartParagraph-knownAction",
    ]
    assert all(v.severity == "Warning" for v in report.violations)


def test_assert_conforms_raises_validation_error_with_report_and_source() -> None:
    graph = build(VALID, remove=f"<{R}> kg:adoptedBy <body/general-assembly> .")
    with pytest.raises(ValidationError) as raised:
        assert_conforms(graph, source="000_255fffffb051a65e.txt")
    error = raised.value
    assert error.source == "000_255fffffb051a65e.txt"
    assert isinstance(error.report, Report)
    assert [v.shape for v in error.report.errors] == [SHP + "DescribedResolutionHasAdopter"]
    assert str(error).startswith("000_255fffffb051a65e.txt: does not conform to the shapes")


def test_format_report_says_which_paragraph_what_and_how_to_fix() -> None:
    graph = build(VALID, remove=f'<{PP2}> kg:text "Reaffirming Conference resolution 6/1," .')
    report = validate_graph(graph, source="000_255fffffb051a65e.txt")
    text = format_report(report, "000_255fffffb051a65e.txt")
    assert text == report.text
    assert text.splitlines() == [
        "000_255fffffb051a65e.txt: does not conform to the shapes (1 violation(s), 0 warning(s))",
        f"- violation at preambular paragraph 2 of resolution A/RES/58/135 <{BASE}{PP2}>",
        "  kg:text: A paragraph must have exactly one non-blank kg:text; an empty paragraph "
        "means the reader split the text in the wrong place",
        "  (shape shp:Paragraph-text, sh:MinCountConstraintComponent)",
    ]


def test_format_report_names_operative_paragraph_by_number_and_shows_value() -> None:
    graph = build(VALID, add=f'<{OP2}> kg:aknEId "2" .')
    violation = validate_graph(graph).violations[0]
    assert violation.where == "operative paragraph 2 of resolution A/RES/58/135"
    assert violation.value == '"2"'
    assert violation.path == "https://w3id.org/kg-un/ontology#aknEId"
    assert '  value: "2"' in format_report(validate_graph(graph))


def test_report_gives_inverse_path_and_sub_paragraph_context() -> None:
    graph = build(VALID, add=f"<{OP2}> kg:hasSubParagraph <{OP1}/b> .")
    listed = [
        v for v in validate_graph(graph).violations if v.shape == SHP + "SubParagraph-listedBy"
    ]
    assert [(v.path, v.where) for v in listed] == [
        (
            "^https://w3id.org/kg-un/ontology#hasSubParagraph",
            "sub-paragraph (b) of operative paragraph 1 of resolution A/RES/58/135",
        )
    ]


def test_sparql_message_names_the_offending_value() -> None:
    graph = build(
        VALID,
        remove='<resolution/A/RES/55/25> kg:symbol "A/RES/55/25" .',
        add='<resolution/A/RES/55/25> kg:symbol "A/RES/55/26" .',
    )
    (violation,) = validate_graph(graph).violations
    assert violation.message.startswith(
        f'The IRI {BASE}resolution/A/RES/55/25 does not end with its kg:symbol "A/RES/55/26"'
    )
    assert violation.value == f"{BASE}resolution/A/RES/55/25"
    assert violation.where == "resolution A/RES/58/135"


@pytest.mark.parametrize(
    "symbol",
    [
        "A/RES/58/135",
        "A/RES/2200 (XXI)",
        "A/RES/2200 A (XXI)",
        "E/RES/2004/23",
        "E/RES/1296 (XLIV)",
        "S/RES/1373 (2001)",
        "A/HRC/RES/5/1",
        "A/HRC/RES/S-1/1",
        "A/RES/ES-10/1",
        "A/RES/S-26/2",
        "A/RES/57/270 B",
    ],
)
def test_symbol_pattern_accepts_un_resolution_symbols(symbol: str) -> None:
    graph = build(
        "",
        add=f'<{ids.resolution_iri(symbol)}> a kg:Resolution ; kg:symbol "{symbol}" ; '
        "kg:adoptedBy <body/general-assembly> .",
    )
    assert validate_graph(graph).violations == ()


@pytest.mark.parametrize(
    "symbol",
    ["A/58/499", "A/RES/58", "A/RES/58/135.", "a/res/58/135", "A/RES/58/135/Add.1", "RES/58/135"],
)
def test_symbol_pattern_rejects_other_strings(symbol: str) -> None:
    graph = build(
        "",
        add=f'<resolution/x> a kg:Resolution ; kg:symbol "{symbol}" ; kg:adoptedBy <body/ecosoc> .',
    )
    assert [(v.shape, v.constraint) for v in validate_graph(graph).violations] == [
        (SHP + "Resolution-symbol", str(SH.PatternConstraintComponent))
    ]


def test_validate_graph_leaves_the_graph_and_the_context_unchanged() -> None:
    graph = build(VALID, add="<body/unodc> a kg:Body .")  # also in the reference data
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before
    # The working graph keeps the reference typing of unodc after the run.
    later = build(VALID)
    assert validate_graph(later).violations == ()


def test_blank_node_subjects_are_validated() -> None:
    graph = Graph()
    graph.add((BNode(), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
               URIRef("https://w3id.org/kg-un/ontology#Body")))  # fmt: skip
    shapes = sorted(v.shape or "" for v in validate_graph(graph).violations)
    assert shapes == [SHP + "Body-prefLabel", SHP + "BodyShape"]


def test_shapes_are_parsed_once_per_process() -> None:
    assert shapes_graph() is shapes_graph()
    assert shapes_graph("void") is shapes_graph("void")
    assert shapes_graph() is not shapes_graph("void")
