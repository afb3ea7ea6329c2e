"""Links from kg's resolutions, treaties and bodies to other UN datasets (issue 5).

All of them live in the ``links`` named graph, which
:func:`kg.linkgraph.build_links_graph` computes from what the store holds, so a rebuild
yields the same graph:

- *derived* from a symbol: the undocs.org page (``foaf:page``) and the ODS catalogue
  entry (``rdfs:seeAlso``) of every resolution and document with a symbol; they are
  pages about it, not the same thing, so never ``owl:sameAs``;
- *curated*: the records in the bundled ``links/*.ttl`` files (Wikidata, the UN Treaty
  Collection, UNBIS and SDG subjects);
- *reviewed*: Wikidata matches proposed by ``kg link wikidata`` and accepted by a person,
  read from a review file kept outside the store (see ``kg/enrich.py``).

Each link ``subject property target`` comes with a ``kg:LinkRecord`` that says where it
was checked (``dcterms:source``), whether it was (``kg:verified``), when
(``kg:checkedAt``, only where a person or the enrichment recorded a day) and how it got
there (``kg:reviewStatus``). A record's IRI is derived from its subject, property and
target, so there are no blank nodes and no build times in the graph.

AKN4UN identifiers are literals, not IRIs: an Akoma Ntoso IRI is a path without a host
(``/akn/un/statement/deliberation/un-ga/2003-12-22/58-135``), and resolving it against
any base would mint an identifier nobody else uses. ``kg:aknIdentifier`` on a resolution
holds that FRBR work path; ``kg:aknEId`` on an operative paragraph holds its ``eId``
(``para_1``) inside the work, which is how AKN4UN XML names it. ``kg:aknWork`` (an IRI)
stays unused until the UN publishes a resolver for these paths. The actor segment comes
from ``kg:aknActor`` on the body, in ``links/bodies.ttl``; a resolution whose body has no
code, or without an adoption date, gets no AKN4UN identifier rather than a guessed one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import KgError, ParseError
from kg.ids import BASE_IRI
from kg.resources import data_dir
from kg.vocab import DCTERMS, FOAF, KG, RDF, RDFS, XSD

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
_AKN_ACTOR = cast(URIRef, KG.aknActor)
_AKN_EID = cast(URIRef, KG.aknEId)
_AKN_IDENTIFIER = cast(URIRef, KG.aknIdentifier)
_CHECKED_AT = cast(URIRef, KG.checkedAt)
_LINK_DATASET = cast(URIRef, KG.linkDataset)
_LINK_PROPERTY = cast(URIRef, KG.linkProperty)
_LINK_SUBJECT = cast(URIRef, KG.linkSubject)
_LINK_TARGET = cast(URIRef, KG.linkTarget)
_REVIEW_STATUS = cast(URIRef, KG.reviewStatus)
_VERIFIED = cast(URIRef, KG.verified)

_RESOLUTION_NUMBER = re.compile(r"/RES/(.+)$")
_AKN_NUMBER = re.compile(r"^[0-9A-Za-z]+(?:/[0-9A-Za-z]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


@dataclass(frozen=True, slots=True)
class ResolutionFacts:
    """What the links of one resolution or document derive from, as the store holds it.

    ``body`` is the adopting body's IRI, ``adopted`` an ISO date, ``number`` the
    resolution number as printed ("58/135"); ``operative`` pairs each operative
    paragraph's IRI with its printed number.
    """

    iri: str
    symbol: str
    body: str | None = None
    adopted: str | None = None
    number: str | None = None
    operative: tuple[tuple[str, str], ...] = ()


def record_iri(record_id: str, base: str = BASE_IRI) -> str:
    """The IRI of a link record from its id.

    >>> record_iri("0123456789abcdef")
    'https://w3id.org/kg-un/link/0123456789abcdef'
    """
    return f"{base}link/{record_id}"


def external_dataset_iri(key: str, base: str = BASE_IRI) -> str:
    """Our IRI for the description of an external dataset (``links/datasets.ttl``).

    >>> external_dataset_iri("wikidata")
    'https://w3id.org/kg-un/external/wikidata'
    """
    return f"{base}external/{key}"


def undocs_url(symbol: str) -> str:
    """The undocs.org page of the document with this symbol (English).

    >>> undocs_url("A/RES/58/135")
    'https://undocs.org/en/A/RES/58/135'
    >>> undocs_url("A/RES/2200 (XXI)")
    'https://undocs.org/en/A/RES/2200%20(XXI)'
    """
    return "https://undocs.org/en/" + quote(symbol, safe="/().")


def ods_url(symbol: str) -> str:
    """The Official Document System's symbol-explorer entry for this symbol.

    >>> ods_url("E/RES/2004/23")
    'https://documents.un.org/symbol-explorer?s=E/RES/2004/23'
    """
    return "https://documents.un.org/symbol-explorer?s=" + quote(symbol, safe="/().")


def resolution_number(symbol: str) -> str | None:
    """The resolution number inside a symbol (what follows ``/RES/``), else ``None``.

    >>> resolution_number("E/RES/2004/23")
    '2004/23'
    >>> resolution_number("E/CN.15/2003/5") is None
    True
    """
    match = _RESOLUTION_NUMBER.search(symbol)
    return match.group(1) if match else None


def akn_work(actor: str, adopted: str, number: str) -> str | None:
    """The AKN4UN work IRI of a resolution, or ``None`` if a part does not fit the convention.

    Slashes in the number become hyphens; a number with other punctuation (``2200 (XXI)``)
    has no agreed form, so none is made up.

    >>> akn_work("un-ga", "2003-12-22", "58/135")
    '/akn/un/statement/deliberation/un-ga/2003-12-22/58-135'
    >>> akn_work("un-ga", "1966-12-16", "2200 (XXI)") is None
    True
    """
    if not _ISO_DATE.match(adopted) or not _AKN_NUMBER.match(number):
        return None
    return f"/akn/un/statement/deliberation/{actor}/{adopted}/{number.replace('/', '-')}"


def akn_paragraph_id(number: str) -> str | None:
    """The AKN ``eId`` of an operative paragraph from its printed number.

    >>> akn_paragraph_id("7")
    'para_7'
    >>> akn_paragraph_id("7 bis") is None
    True
    """
    return f"para_{number}" if number.isdigit() else None


def derived_records(facts: ResolutionFacts, base: str = BASE_IRI) -> list[LinkRecord]:
    """The undocs.org and ODS link records of one resolution or document."""
    undocs, ods = undocs_url(facts.symbol), ods_url(facts.symbol)
    return [
        LinkRecord(
            facts.iri,
            str(FOAF.page),
            undocs,
            external_dataset_iri("undocs", base),
            "https://undocs.org/",
            DERIVED,
            verified=False,
        ),
        LinkRecord(
            facts.iri,
            str(RDFS.seeAlso),
            ods,
            external_dataset_iri("ods", base),
            "https://documents.un.org/",
            DERIVED,
            verified=False,
        ),
    ]


def akn_graph(facts: ResolutionFacts, actors: Mapping[str, str]) -> Graph:
    """The AKN4UN identifiers of a resolution and its operative paragraphs (maybe none)."""
    graph = Graph()
    actor = actors.get(facts.body or "")
    number = facts.number or resolution_number(facts.symbol)
    if actor is None or facts.adopted is None or number is None:
        return graph
    work = akn_work(actor, facts.adopted, number)
    if work is None:
        return graph
    graph.add((URIRef(facts.iri), _AKN_IDENTIFIER, Literal(work)))
    for paragraph, printed in facts.operative:
        eid = akn_paragraph_id(printed)
        if eid is not None:
            graph.add((URIRef(paragraph), _AKN_EID, Literal(eid)))
    return graph


def derived_links(facts: ResolutionFacts, actors: Mapping[str, str], base: str = BASE_IRI) -> Graph:
    """Every link derived from one resolution's identifiers, with records and AKN4UN ids.

    ``actors`` maps body IRIs to AKN4UN actor codes (:func:`akn_actors`).
    """
    graph = records_graph(derived_records(facts, base), base)
    graph += akn_graph(facts, actors)
    return graph


def records_graph(records: Iterable[LinkRecord], base: str = BASE_IRI, links: bool = True) -> Graph:
    """The triples of link records, with the link itself where its status asserts it.

    ``links=False`` leaves the links out (the review file holds records only).
    """
    graph = Graph()
    for record in records:
        node = URIRef(record_iri(record.id(base), base))
        subject, predicate, target = (
            URIRef(record.subject),
            URIRef(record.predicate),
            URIRef(record.target),
        )
        graph.add((node, RDF.type, _LINK_RECORD))
        graph.add((node, _LINK_SUBJECT, subject))
        graph.add((node, _LINK_PROPERTY, predicate))
        graph.add((node, _LINK_TARGET, target))
        graph.add((node, _LINK_DATASET, URIRef(record.dataset)))
        graph.add((node, DCTERMS.source, URIRef(record.source)))
        graph.add((node, _VERIFIED, Literal(record.verified)))
        graph.add((node, _REVIEW_STATUS, Literal(record.status)))
        if record.checked_at is not None:
            graph.add((node, _CHECKED_AT, Literal(record.checked_at, datatype=XSD.date)))
        if record.note is not None:
            graph.add((node, RDFS.comment, Literal(record.note, lang="en")))
        if links and record.status in ASSERTED:
            graph.add((subject, predicate, target))
    return graph


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
        ParseError: if the file is not valid Turtle.
        NotFoundError: if it cannot be read.
    """
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=base)
    except OSError as e:
        raise KgError(f"{path}: cannot read: {e.strerror or e}", "Check the path") from e
    except (SyntaxError, ValueError) as e:
        raise ParseError(str(path), f"not valid Turtle: {e}") from e
    return graph


def curated_records(
    base: str = BASE_IRI, folder: Path | None = None
) -> tuple[list[LinkRecord], Graph]:
    """The records of ``links/*.ttl`` and their other triples (dataset descriptions, actors).

    Raises:
        ParseError: if a file is not valid Turtle.
        KgError: if a record in it is incomplete.
    """
    folder = folder or data_dir("links")
    records: list[LinkRecord] = []
    rest = Graph()
    for path in sorted(folder.glob("*.ttl")):
        found, other = read_records(read_turtle(path, base), path.name)
        records.extend(found)
        rest += other
    return records, rest


def curated_links(base: str = BASE_IRI) -> Graph:
    """The curated links of ``links/*.ttl``: records, links, dataset descriptions, actors.

    Raises:
        ParseError: if a file is not valid Turtle.
        KgError: if a record in it is incomplete.
    """
    records, rest = curated_records(base)
    return rest + records_graph(records, base)


def akn_actors(graph: Graph) -> dict[str, str]:
    """Body IRI → AKN4UN actor code, from the ``kg:aknActor`` triples in ``graph``."""
    return {str(body): str(code) for body, code in graph.subject_objects(_AKN_ACTOR)}


def merge_records(*groups: Iterable[LinkRecord], base: str = BASE_IRI) -> list[LinkRecord]:
    """One record per link: a record in a later group replaces one in an earlier group."""
    merged: dict[str, LinkRecord] = {}
    for group in groups:
        for record in group:
            merged[record.id(base)] = record
    return [merged[key] for key in sorted(merged)]
