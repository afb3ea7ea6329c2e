"""Link records: a link to an external dataset and where it was checked, as data and as RDF.

A ``kg:LinkRecord`` describes one link ``subject property target``: the dataset of the
target, where it can be checked (``dcterms:source``), whether it was (``kg:verified``),
when (``kg:checkedAt``) and how the link got into the graph (``kg:reviewStatus``). Its IRI
is derived from subject, property and target, so rebuilding yields the same graph and
the links graph holds no blank nodes. The links themselves are stated next to their
records when the status says so (:data:`ASSERTED`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias, cast

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import KgError, ParseError
from kg.ids import BASE_IRI
from kg.sinks import quote_literal
from kg.vocab import DCTERMS, KG, RDF, RDFS, XSD

LINKS_GRAPH = "https://w3id.org/kg-un/graph/links"
"""The named graph holding every link and link record."""

DERIVED = "derived"
CURATED = "curated"
PROPOSED = "proposed"
ACCEPTED = "accepted"
REJECTED = "rejected"
STATUSES = (DERIVED, CURATED, PROPOSED, ACCEPTED, REJECTED)
"""Values of ``kg:reviewStatus``."""

ASSERTED = frozenset({DERIVED, CURATED, ACCEPTED})
"""Statuses whose link triple is stated; proposed and rejected links are records only."""

# kg terms, typed (the DefinedNamespace declares them as plain objects).
_LINK_RECORD = cast(URIRef, KG.LinkRecord)
_RDF_TYPE = URIRef(str(RDF.type))
_SOURCE = URIRef(str(DCTERMS.source))
_COMMENT = URIRef(str(RDFS.comment))
_CHECKED_AT = cast(URIRef, KG.checkedAt)
_LINK_DATASET = cast(URIRef, KG.linkDataset)
_LINK_PROPERTY = cast(URIRef, KG.linkProperty)
_LINK_SUBJECT = cast(URIRef, KG.linkSubject)
_LINK_TARGET = cast(URIRef, KG.linkTarget)
_REVIEW_STATUS = cast(URIRef, KG.reviewStatus)
_VERIFIED = cast(URIRef, KG.verified)
# The same, as N-Triples terms.
_RDF_TYPE_NT, _SOURCE_NT, _COMMENT_NT = f"<{RDF.type}>", f"<{DCTERMS.source}>", f"<{RDFS.comment}>"
_LINK_RECORD_NT, _CHECKED_AT_NT = f"<{_LINK_RECORD}>", f"<{_CHECKED_AT}>"
_LINK_DATASET_NT, _LINK_PROPERTY_NT = f"<{_LINK_DATASET}>", f"<{_LINK_PROPERTY}>"
_LINK_SUBJECT_NT, _LINK_TARGET_NT = f"<{_LINK_SUBJECT}>", f"<{_LINK_TARGET}>"
_REVIEW_STATUS_NT, _VERIFIED_NT = f"<{_REVIEW_STATUS}>", f"<{_VERIFIED}>"


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """One link and where it was checked; ``checked_at`` is an ISO date or ``None``."""

    subject: str
    predicate: str
    target: str
    dataset: str
    source: str
    status: str
    verified: bool
    checked_at: str | None = None
    note: str | None = None

    def id(self, base: str = BASE_IRI) -> str:
        """The record's short id: 16 hex digits of a digest of subject, property and target.

        The subject is taken relative to ``base``, so ids survive a change of base.
        """
        subject = self.subject.removeprefix(base)
        digest = hashlib.sha256(f"{subject}\n{self.predicate}\n{self.target}".encode())
        return digest.hexdigest()[:16]


def record_iri(record_id: str, base: str = BASE_IRI) -> str:
    """The IRI of a link record from its id.

    >>> record_iri("0123456789abcdef")
    'https://w3id.org/kg-un/link/0123456789abcdef'
    """
    return f"{base}link/{record_id}"


Triple3: TypeAlias = tuple[URIRef, URIRef, URIRef | Literal]
"""A triple of IRIs and literals (the links graph has no blank nodes)."""


def record_lines(
    record: LinkRecord, base: str = BASE_IRI, links: bool = True, record_id: str | None = None
) -> list[str]:
    """The triples of one link record as N-Triples lines, and the link where stated.

    ``record_id`` is the record's :meth:`~LinkRecord.id`, if the caller has it already.

    >>> record = LinkRecord("http://a", "http://p", "http://t", "http://d", "http://s",
    ...                     DERIVED, verified=False)
    >>> lines = record_lines(record)
    >>> len(lines), lines[-1]
    (9, '<http://a> <http://p> <http://t> .')
    >>> lines[6].split(" ", 2)[2]
    '"false"^^<http://www.w3.org/2001/XMLSchema#boolean> .'
    """
    node = f"<{record_iri(record_id or record.id(base), base)}>"
    subject, predicate, target = (
        f"<{record.subject}>",
        f"<{record.predicate}>",
        f"<{record.target}>",
    )
    verified = "true" if record.verified else "false"
    lines = [
        f"{node} {_RDF_TYPE_NT} {_LINK_RECORD_NT} .",
        f"{node} {_LINK_SUBJECT_NT} {subject} .",
        f"{node} {_LINK_PROPERTY_NT} {predicate} .",
        f"{node} {_LINK_TARGET_NT} {target} .",
        f"{node} {_LINK_DATASET_NT} <{record.dataset}> .",
        f"{node} {_SOURCE_NT} <{record.source}> .",
        f'{node} {_VERIFIED_NT} "{verified}"^^<{XSD.boolean}> .',
        f"{node} {_REVIEW_STATUS_NT} {quote_literal(record.status)} .",
    ]
    if record.checked_at is not None:
        lines.append(f"{node} {_CHECKED_AT_NT} {quote_literal(record.checked_at)}^^<{XSD.date}> .")
    if record.note is not None:
        lines.append(f"{node} {_COMMENT_NT} {quote_literal(record.note)}@en .")
    if links and record.status in ASSERTED:
        lines.append(f"{subject} {predicate} {target} .")
    return lines


def record_triples(record: LinkRecord, base: str = BASE_IRI, links: bool = True) -> list[Triple3]:
    """:func:`record_lines` as rdflib triples."""
    return triples_of(record_lines(record, base, links))


def triples_of(lines: Iterable[str]) -> list[Triple3]:
    """N-Triples lines of IRIs and literals as rdflib triples (for small graphs).

    Raises:
        KgError: if a line holds a blank node, which the links graph never holds.
    """
    triples: list[Triple3] = []
    for s, p, o in Graph().parse(data="\n".join(lines), format="nt"):
        if not (isinstance(s, URIRef) and isinstance(p, URIRef)):
            raise KgError(f"links graph: unexpected term in {s} {p} {o}", "Use IRIs")
        if not isinstance(o, URIRef | Literal):
            raise KgError(f"links graph: unexpected term {o!r}", "Use IRIs and literals")
        triples.append((s, p, o))
    return triples


def records_graph(records: Iterable[LinkRecord], base: str = BASE_IRI, links: bool = True) -> Graph:
    """The triples of link records as a graph; ``links=False`` leaves the links out.

    The review file holds records only, so it is written with ``links=False``.
    """
    return graph_of([t for record in records for t in record_triples(record, base, links)])


def graph_of(triples: Iterable[Triple3]) -> Graph:
    """An rdflib graph of these triples."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """Triples of IRIs and literals as sorted, distinct N-Triples lines (RDF 1.1 N-Triples).

    >>> print(ntriples([(URIRef("http://a"), URIRef("http://b"), Literal('say "hi"', lang="en"))]))
    <http://a> <http://b> "say \\"hi\\""@en .
    <BLANKLINE>

    Raises:
        KgError: for a blank node, which the links graph never holds.
    """
    return join_lines({triple_line(triple) for triple in triples})


def triple_line(triple: tuple[Node, Node, Node]) -> str:
    """One triple of IRIs and literals as an N-Triples line, without the line break.

    Raises:
        KgError: for a blank node, which the links graph never holds.
    """
    s, p, o = triple
    return f"{_nt(s)} {_nt(p)} {_nt(o)} ."


def join_lines(lines: Iterable[str]) -> str:
    """N-Triples lines, each given once, sorted, as one text."""
    text = "\n".join(sorted(set(lines)))
    return text + "\n" if text else ""


def _nt(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
            text = text.replace(raw, escaped)
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    raise KgError(
        f"links graph: unexpected term {term!r}", "Link data holds IRIs and literals only"
    )


def read_records(graph: Graph, where: str) -> tuple[list[LinkRecord], Graph]:
    """Split a graph into its link records and the other triples.

    Raises:
        KgError: if a record lacks a field or has an unknown status; names ``where``.
    """
    nodes = set(graph.subjects(RDF.type, _LINK_RECORD))
    records = [_read_record(graph, node, where) for node in nodes]
    rest = Graph()
    for triple in graph:
        if triple[0] not in nodes:
            rest.add(triple)
    return sorted(records, key=lambda r: (r.subject, r.predicate, r.target)), rest


def _read_record(graph: Graph, node: Node, where: str) -> LinkRecord:
    def one(prop: URIRef, kind: type) -> Node | None:
        values = list(graph.objects(node, prop))
        if len(values) > 1 or (values and not isinstance(values[0], kind)):
            raise KgError(
                f"{where}: link record {_name(graph, node)}: {graph.qname(prop)} must be one "
                f"{'IRI' if kind is URIRef else 'literal'}",
                "Give each kg:LinkRecord one value per field",
            )
        return values[0] if values else None

    fields = {
        "subject": one(_LINK_SUBJECT, URIRef),
        "predicate": one(_LINK_PROPERTY, URIRef),
        "target": one(_LINK_TARGET, URIRef),
        "dataset": one(_LINK_DATASET, URIRef),
        "source": one(DCTERMS.source, URIRef),
        "status": one(_REVIEW_STATUS, Literal),
        "verified": one(_VERIFIED, Literal),
    }
    missing = [name for name, value in fields.items() if value is None]
    if missing:
        raise KgError(
            f"{where}: link record {_name(graph, node)}: missing {', '.join(missing)}",
            "Give every kg:LinkRecord kg:linkSubject, kg:linkProperty, kg:linkTarget, "
            "kg:linkDataset, dcterms:source, kg:verified and kg:reviewStatus",
        )
    status = str(fields["status"])
    verified = fields["verified"]
    if status not in STATUSES or not (
        isinstance(verified, Literal) and verified.datatype == XSD.boolean
    ):
        raise KgError(
            f"{where}: link record {_name(graph, node)}: bad kg:reviewStatus {status!r} "
            f"or kg:verified {verified}",
            f"Use one of {', '.join(STATUSES)} and a boolean (true or false)",
        )
    checked = one(_CHECKED_AT, Literal)
    note = one(RDFS.comment, Literal)
    return LinkRecord(
        subject=str(fields["subject"]),
        predicate=str(fields["predicate"]),
        target=str(fields["target"]),
        dataset=str(fields["dataset"]),
        source=str(fields["source"]),
        status=status,
        verified=bool(verified.toPython()),
        checked_at=str(checked) if checked is not None else None,
        note=str(note) if note is not None else None,
    )


def _name(graph: Graph, node: Node) -> str:
    subject = next(iter(graph.objects(node, _LINK_SUBJECT)), None)
    target = next(iter(graph.objects(node, _LINK_TARGET)), None)
    return f"<{subject}> → <{target}>" if subject or target else str(node)


def read_turtle(path: Path, base: str = BASE_IRI) -> Graph:
    """Parse a Turtle file, resolving relative IRIs (``<body/unodc>``) against ``base``.

    Raises:
        ParseError: if the file is not valid Turtle, or cannot be read.
    """
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=base)
    except OSError as e:
        raise ParseError(str(path), f"cannot read the file: {e.strerror or e}") from e
    except (SyntaxError, ValueError) as e:
        raise ParseError(str(path), f"not valid Turtle: {e}") from e
    return graph


def merge_records(*groups: Iterable[LinkRecord], base: str = BASE_IRI) -> dict[str, LinkRecord]:
    """One record per link, by id in id order: a record in a later group replaces one in an
    earlier group."""
    merged: dict[str, LinkRecord] = {}
    for group in groups:
        for record in group:
            merged[record.id(base)] = record
    return {key: merged[key] for key in sorted(merged)}
