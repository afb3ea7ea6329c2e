"""Document model → RDF: the only place where the triples of a document are built.

:func:`to_graph` turns one parsed :class:`~kg.model.Resolution` into the graph described in
``docs/data-model.md``: the resolution, its paragraphs, sub-paragraphs, footnotes, mandates,
citations (with stub descriptions of what they cite, so the citation network is complete
within the graph), mentions of treaties and bodies, a quoted draft, and a provenance record.
IRIs come from :mod:`kg.ids` and terms from :mod:`kg.vocab`; the graph depends only on the
model, so mapping a document twice gives the same triples, and it has no blank nodes.

:func:`to_ntriples` writes the same triples as N-Triples text without building an rdflib
graph, which is what a build does for every document (issue 7): one mapper writes to either
sink, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import cast

from rdflib import Graph, Literal, URIRef

from kg import drafts
from kg.drafts import DraftText
from kg.errors import KgError, MappingError
from kg.ids import (
    BASE_IRI,
    anonymous_resolution_iri,
    body_iri,
    document_iri,
    draft_iri,
    footnote_iri,
    mandate_iri,
    numbered_resolution_iri,
    paragraph_iri,
    resolution_iri,
    treaty_iri,
)
from kg.model import Citation, Footnote, Mandate, Mention, Paragraph, Resolution, SubParagraph
from kg.sinks import GraphSink, NTriplesSink, TripleSink, is_writable_iri
from kg.vocab import ACTION, DCTERMS, ELI, KG, MANDATE_KIND, PROV, RDF, SKOS, VOID, XSD

PREFIXES = {
    "kg": KG._NS,
    "action": ACTION,
    "mkind": MANDATE_KIND,
    "eli": ELI,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "xsd": XSD,
}
"""Prefixes bound on every graph, so a Turtle serialisation reads like the data model."""
_BASE_PREFIXES = {"res": "resolution/", "body": "body/", "treaty": "treaty/", "doc": "document/"}
"""Prefixes bound on every graph for paths under the base IRI."""


def _u(term: object) -> URIRef:
    """A vocabulary term as an rdflib IRI (``DefinedNamespace`` attributes are typed loosely)."""
    return cast(URIRef, term)


class _Terms:
    """The kg terms' IRIs as plain strings, each looked up once.

    Reading a ``DefinedNamespace`` attribute mints a new ``URIRef`` every time, and mapping a
    document reads terms a few thousand times.
    """

    def __getattr__(self, name: str) -> str:
        iri = str(getattr(KG, name))
        setattr(self, name, iri)  # later reads find the attribute and skip this method
        return iri


K = _Terms()
_TYPE = str(RDF.type)
_CITES = str(ELI.cites)
_PREF_LABEL = str(SKOS.prefLabel)
_DERIVED_FROM = str(PROV.wasDerivedFrom)


@dataclass(frozen=True, slots=True)
class MappedResolution:
    """One resolution's triples as N-Triples text, with what the build reads from them.

    ``triples`` counts the lines of ``ntriples``. ``fingerprint`` is the resolution's
    ``kg:textFingerprint``, ``adopted_by`` its ``kg:adoptedBy``, and ``draft`` the draft it
    quotes (``kg:recommendsDraft``) when that draft has paragraphs: what the draft ↔
    adoption matching of :mod:`kg.drafts` needs.
    """

    iri: str
    ntriples: str
    triples: int
    fingerprint: str | None = None
    adopted_by: str | None = None
    draft: DraftText | None = None


def to_graph(resolution: Resolution, *, base: str = BASE_IRI) -> Graph:
    """The RDF graph of one parsed resolution, for its own named graph.

    Raises:
        MappingError: if an identifier in the model cannot become an IRI (a malformed
            symbol, body id or paragraph key); the message names the field.
    """
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    prefixes.update((prefix, base + path) for prefix, path in _BASE_PREFIXES.items())
    sink = GraphSink(prefixes)
    _map(resolution, base, sink)
    return sink.graph


def to_ntriples(resolution: Resolution, *, base: str = BASE_IRI) -> MappedResolution:
    """The triples of :func:`to_graph` as N-Triples text, written without an rdflib graph.

    Raises:
        MappingError: as :func:`to_graph` does, and if ``base`` cannot start an IRI.
    """
    if not is_writable_iri(base):
        raise MappingError(resolution.symbol, "base", f"{base!r} cannot start an IRI")
    sink = NTriplesSink()
    mapper = _map(resolution, base, sink)
    return MappedResolution(
        mapper.iri,
        sink.ntriples(),
        len(sink),
        mapper.fingerprint,
        mapper.issuer,
        mapper.draft,
    )


def _map(resolution: Resolution, base: str, sink: TripleSink) -> _Mapper:
    """Write the triples of ``resolution`` to ``sink``; the mapper tells what it wrote."""
    try:
        mapper = _Mapper(resolution, base, sink)
        mapper.run()
    except MappingError:
        raise
    except KgError as e:
        raise MappingError(resolution.symbol, "identifier", str(e)) from e
    return mapper


def subject_iri(resolution: Resolution, *, base: str = BASE_IRI) -> str:
    """The IRI a resolution is described under, which also names its graph.

    From its symbol; failing that from its body and number (Commission resolution 22/1);
    failing both from a digest of its normalised paragraph texts (those of a draft it quotes
    included), so an unchanged text keeps its IRI across rebuilds.

    Raises:
        MappingError: if the symbol, body id or number cannot be part of an IRI.
    """
    try:
        if resolution.symbol:
            return resolution_iri(resolution.symbol, base)
        if resolution.body_id and resolution.number:
            return numbered_resolution_iri(resolution.body_id, resolution.number, base)
        quoted = resolution.draft.preamble + resolution.draft.operative if resolution.draft else ()
        digest = drafts.content_digest(p.text for p in resolution.paragraphs + quoted)
        return anonymous_resolution_iri(digest, base)
    except KgError as e:
        raise MappingError(resolution.symbol, "symbol", str(e)) from e


def text_fingerprint(paragraphs: Sequence[Paragraph]) -> str:
    """The fingerprint (:func:`kg.drafts.text_fingerprint`) of a resolution's or draft's text."""
    return drafts.text_fingerprint(
        [p.text for p in paragraphs if p.part == "preamble"],
        [p.text for p in paragraphs if p.part == "operative"],
    )


def adoption_graph(resolution: str, draft: str) -> Graph:
    """The two triples saying that ``resolution`` adopts the recommended ``draft``.

    They belong in the adopting resolution's graph (:mod:`kg.drafts` finds the pair).
    """
    graph = Graph()
    graph.add((URIRef(resolution), _u(KG.adoptsDraft), URIRef(draft)))
    graph.add((URIRef(draft), _u(KG.adoptedIn), URIRef(resolution)))
    return graph


def build_record(graph: str, generated_at: datetime, documents: int, triples: int) -> Graph:
    """The build record: when the dataset was built, how many documents and triples it loaded.

    It goes in its own named graph, ``graph``, the only one that differs between two builds.
    """
    record = Graph()
    node = URIRef(graph)
    stamp = generated_at.astimezone(UTC).replace(microsecond=0)
    record.add((node, _u(PROV.generatedAtTime), Literal(stamp, datatype=XSD.dateTime)))
    record.add((node, _u(VOID.documents), Literal(documents)))
    record.add((node, _u(VOID.triples), Literal(triples)))
    return record


def source_iri(resolution: str) -> str:
    """The IRI of the provenance record of a resolution's description (``…/source``)."""
    return f"{resolution}/source"


def slug(name: str) -> str:
    """A reference-data id made from a name the reference data lacks.

    >>> slug("Third Committee")
    'third-committee'
    >>> slug("Working Group on Technical Assistance")
    'working-group-on-technical-assistance'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


class _Mapper:
    """One resolution's mapping; each method writes one kind of node."""

    def __init__(self, resolution: Resolution, base: str, sink: TripleSink) -> None:
        self.r = resolution
        self.b = sink
        self.base = base
        self.iri = subject_iri(resolution, base=base)
        self.issuer = self._body(resolution.body_id, resolution.body)
        self.fingerprint: str | None = None
        self.draft: DraftText | None = None

    def run(self) -> None:
        r = self.r
        self._resolution()
        self._paragraphs(self.iri, "", r.paragraphs)
        self._footnotes(self.iri, r.footnotes)
        self._citations(self.iri, "", r.citations)
        self._mentions(self.iri, "", r.mentions)
        self._mandates(r.mandates)
        if r.draft is not None:
            self._draft()
        self._provenance()

    # -- the resolution ------------------------------------------------------------

    def _resolution(self) -> None:
        r, b, s = self.r, self.b, self.iri
        b.link(s, _TYPE, K.Resolution)
        b.text(s, K.symbol, r.symbol)
        b.text(s, K.resolutionNumber, r.number)
        b.text(s, K.title, r.title, lang="en")
        if self.issuer is not None:
            b.link(s, K.adoptedBy, self.issuer)
        if r.adopted:
            b.date(s, K.adoptionDate, r.adopted)
        if r.distributed:
            b.date(s, K.distributionDate, r.distributed)
        if r.session is not None:
            b.integer(s, K.session, r.session)
        for item in r.agenda_items:
            b.text(s, K.agendaItem, item)
        b.text(s, K.meeting, r.meeting)
        if r.report:
            report = self._document(r.report)
            b.link(s, K.onReportOf, report)
            b.link(s, _CITES, report)
        committee = self._body(None, r.committee)
        if committee is not None:
            b.link(s, K.committee, committee)
        b.text(s, K.layout, r.format)
        if r.synthetic:
            b.boolean(s, K.synthetic, True)
        for annex in r.annexes:
            b.text(s, K.annex, annex)
        if r.paragraphs:
            self.fingerprint = text_fingerprint(r.paragraphs)
            b.text(s, K.textFingerprint, self.fingerprint)

    def _draft(self) -> None:
        r, b = self.r, self.b
        draft = r.draft
        assert draft is not None
        d = draft_iri(self.iri)
        b.link(self.iri, K.recommendsDraft, d)
        to = self._body(r.recommends_to_id, r.recommends_to)
        if to is not None:
            b.link(self.iri, K.recommendedTo, to)
        b.link(d, _TYPE, K.DraftResolution)
        b.text(d, K.title, draft.title, lang="en")
        paragraphs = draft.preamble + draft.operative
        if paragraphs:
            fingerprint = text_fingerprint(paragraphs)
            b.text(d, K.textFingerprint, fingerprint)
            self.draft = DraftText(d, fingerprint, to)
        self._paragraphs(d, "draft.", paragraphs)
        self._footnotes(d, draft.footnotes)
        # What the quoted draft cites and mentions, the recommending resolution does too.
        for owner in (d, self.iri):
            self._citations(owner, "draft.", draft.citations)
            self._mentions(owner, "draft.", draft.mentions)

    # -- paragraphs ------------------------------------------------------------------

    def _paragraphs(self, owner: str, prefix: str, paragraphs: Iterable[Paragraph]) -> None:
        b = self.b
        for p in paragraphs:
            node = paragraph_iri(self.iri, prefix + p.key)
            cls = K.PreambularParagraph if p.part == "preamble" else K.OperativeParagraph
            b.link(node, _TYPE, cls)
            b.link(owner, K.hasParagraph, node)
            b.link(node, K.paragraphOf, owner)
            b.integer(node, K.order, p.order)
            if p.part == "operative":
                b.text(node, K.number, p.number)
            b.text(node, K.leadingPhrase, p.phrase)
            if p.action:
                b.link(node, K.action, f"{ACTION}{p.action}")
            b.text(node, K.text, p.text)
            self._subparagraphs(node, prefix + p.key, p.subparagraphs)

    def _subparagraphs(self, parent: str, key: str, items: Sequence[SubParagraph]) -> None:
        b = self.b
        for order, item in enumerate(items, start=1):
            item_key = f"{key}.{item.label}"
            node = paragraph_iri(self.iri, item_key)
            b.link(node, _TYPE, K.SubParagraph)
            b.link(parent, K.hasSubParagraph, node)
            b.link(node, K.subParagraphOf, parent)
            b.text(node, K.label, item.label)
            b.integer(node, K.order, order)
            b.text(node, K.text, item.text)
            self._subparagraphs(node, item_key, item.subparagraphs)

    def _footnotes(self, owner: str, footnotes: Iterable[Footnote]) -> None:
        b, seen = self.b, set()
        for note in footnotes:
            node = footnote_iri(owner, note.mark)
            if node in seen:  # a mark defined twice: the parser warned; keep the first
                continue
            seen.add(node)
            b.link(node, _TYPE, K.Footnote)
            b.link(owner, K.hasFootnote, node)
            b.link(node, K.footnoteOf, owner)
            b.text(node, K.mark, note.mark)
            b.text(node, K.text, note.text)
            if note.paragraph:
                b.link(node, K.inParagraph, paragraph_iri(self.iri, note.paragraph))

    # -- references ------------------------------------------------------------------

    def _citations(self, owner: str, prefix: str, citations: Iterable[Citation]) -> None:
        for citation in citations:
            cited = self._cited(citation)
            if cited is None or cited == self.iri:
                continue
            self.b.link(owner, _CITES, cited)
            if citation.paragraph and citation.paragraph.startswith(prefix):
                self.b.link(paragraph_iri(self.iri, citation.paragraph), _CITES, cited)

    def _cited(self, citation: Citation) -> str | None:
        """The IRI of what ``citation`` cites, with its stub description; None if unknown."""
        b = self.b
        if citation.kind == "document":
            return self._document(citation.symbol) if citation.symbol else None
        adopter = body_iri(citation.body_id, self.base) if citation.body_id else None
        if citation.symbol:
            node = resolution_iri(citation.symbol, self.base)
            b.text(node, K.symbol, citation.symbol)
        elif citation.body_id and citation.number:
            node = numbered_resolution_iri(citation.body_id, citation.number, self.base)
            b.text(node, K.resolutionNumber, citation.number)
        else:
            return None
        if node != self.iri:
            b.link(node, _TYPE, K.Resolution)
            if adopter is not None:
                b.link(node, K.adoptedBy, adopter)
        return node

    def _document(self, symbol: str) -> str:
        node = document_iri(symbol, self.base)
        self.b.link(node, _TYPE, K.Document)
        self.b.text(node, K.symbol, symbol)
        return node

    def _mentions(self, owner: str, prefix: str, mentions: Iterable[Mention]) -> None:
        for mention in mentions:
            if mention.kind == "treaty":
                node, predicate = treaty_iri(mention.id, self.base), K.mentionsTreaty
            else:
                node, predicate = body_iri(mention.id, self.base), K.mentionsBody
            self.b.link(owner, predicate, node)
            if mention.paragraph.startswith(prefix):
                self.b.link(paragraph_iri(self.iri, mention.paragraph), predicate, node)

    def _body(self, body_id: str | None, name: str | None) -> str | None:
        """The IRI of a body from its reference id, else one minted and described from its name.

        A name the reference data does not know still gets an IRI and a ``skos:prefLabel``
        in the document's graph, so the addressee of a mandate is never lost.
        """
        if body_id:
            return body_iri(body_id, self.base)
        if not name or not name.strip():
            return None
        node = body_iri(slug(name), self.base)
        self.b.link(node, _TYPE, K.Body)
        self.b.text(node, _PREF_LABEL, " ".join(name.split()), lang="en")
        return node

    # -- mandates --------------------------------------------------------------------

    def _mandates(self, mandates: Iterable[Mandate]) -> None:
        b, counts = self.b, dict[str, int]()
        for mandate in mandates:
            # A mandate given in a sub-paragraph belongs to its operative paragraph.
            key = ".".join(mandate.paragraph.split(".")[:1])
            paragraph = paragraph_iri(self.iri, key)
            counts[paragraph] = counts.get(paragraph, 0) + 1
            node = mandate_iri(paragraph, counts[paragraph])
            b.link(node, _TYPE, K.Mandate)
            b.link(paragraph, K.createsMandate, node)
            b.link(node, K.createdBy, paragraph)
            if self.issuer is not None:
                b.link(node, K.issuedBy, self.issuer)
            b.link(node, K.mandateKind, f"{MANDATE_KIND}{mandate.kind}")
            addressee = self._body(mandate.addressee_id, mandate.addressee)
            if addressee is not None:
                b.link(node, K.addressee, addressee)
            b.text(node, K.task, mandate.task)
            report_to = self._body(mandate.report_to_id, mandate.report_to)
            if report_to is not None:
                b.link(node, K.reportTo, report_to)
            if mandate.due_session is not None:
                b.integer(node, K.dueSession, mandate.due_session)
            if mandate.due_year is not None:
                b.integer(node, K.dueYear, mandate.due_year)

    # -- provenance ------------------------------------------------------------------

    def _provenance(self) -> None:
        from kg import __version__  # the package imports this module; read it at call time

        r, b = self.r, self.b
        node = source_iri(self.iri)
        b.link(self.iri, _DERIVED_FROM, node)
        b.link(node, _TYPE, K.SourceRecord)
        b.link(node, K.describes, self.iri)
        b.text(node, K.sourceFile, PurePath(r.source).name)
        b.text(node, K.sourceSha256, r.sha256)
        b.text(node, K.parserVersion, __version__)
        for warning in r.warnings:
            b.text(node, K.warning, warning)


__all__ = [
    "PREFIXES",
    "MappedResolution",
    "adoption_graph",
    "build_record",
    "slug",
    "source_iri",
    "subject_iri",
    "text_fingerprint",
    "to_graph",
    "to_ntriples",
]
