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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import quote

from rdflib import Graph, URIRef

from kg.ids import BASE_IRI
from kg.linkrecords import (
    ACCEPTED,
    ASSERTED,
    CURATED,
    DERIVED,
    LINKS_GRAPH,
    PROPOSED,
    REJECTED,
    STATUSES,
    LinkRecord,
    Triple3,
    graph_of,
    join_lines,
    merge_records,
    ntriples,
    read_records,
    read_turtle,
    record_iri,
    record_lines,
    record_triples,
    records_graph,
    triple_line,
    triples_of,
)
from kg.resources import data_dir
from kg.sinks import quote_literal
from kg.vocab import FOAF, KG, RDFS

_AKN_ACTOR = cast(URIRef, KG.aknActor)
_AKN_EID = cast(URIRef, KG.aknEId)
_AKN_IDENTIFIER = cast(URIRef, KG.aknIdentifier)
_AKN_EID_NT, _AKN_IDENTIFIER_NT = f"<{_AKN_EID}>", f"<{_AKN_IDENTIFIER}>"

_RESOLUTION_NUMBER = re.compile(r"/RES/(.+)$")
_AKN_NUMBER = re.compile(r"^[0-9A-Za-z]+(?:/[0-9A-Za-z]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def akn_lines(facts: ResolutionFacts, actors: Mapping[str, str]) -> list[str]:
    """The AKN4UN identifiers of a resolution and its operative paragraphs (maybe none),
    as N-Triples lines.

    >>> facts = ResolutionFacts("http://r", "A/RES/58/135", "http://ga", "2003-12-22",
    ...                         operative=(("http://r/op/1", "1"), ("http://r/op/2", "2 bis")))
    >>> for line in akn_lines(facts, {"http://ga": "un-ga"}): print(line)
    <http://r> <https://w3id.org/kg-un/ontology#aknIdentifier> \
"/akn/un/statement/deliberation/un-ga/2003-12-22/58-135" .
    <http://r/op/1> <https://w3id.org/kg-un/ontology#aknEId> "para_1" .
    """
    actor = actors.get(facts.body or "")
    number = facts.number or resolution_number(facts.symbol)
    if actor is None or facts.adopted is None or number is None:
        return []
    work = akn_work(actor, facts.adopted, number)
    if work is None:
        return []
    lines = [f"<{facts.iri}> {_AKN_IDENTIFIER_NT} {quote_literal(work)} ."]
    for paragraph, printed in facts.operative:
        eid = akn_paragraph_id(printed)
        if eid is not None:
            lines.append(f"<{paragraph}> {_AKN_EID_NT} {quote_literal(eid)} .")
    return lines


def akn_triples(facts: ResolutionFacts, actors: Mapping[str, str]) -> list[Triple3]:
    """:func:`akn_lines` as rdflib triples."""
    return triples_of(akn_lines(facts, actors))


def akn_graph(facts: ResolutionFacts, actors: Mapping[str, str]) -> Graph:
    """:func:`akn_triples` as a graph."""
    return graph_of(akn_triples(facts, actors))


def derived_links(facts: ResolutionFacts, actors: Mapping[str, str], base: str = BASE_IRI) -> Graph:
    """Every link derived from one resolution's identifiers, with records and AKN4UN ids.

    ``actors`` maps body IRIs to AKN4UN actor codes (:func:`akn_actors`).
    """
    records = derived_records(facts, base)
    return graph_of(
        [t for r in records for t in record_triples(r, base)] + akn_triples(facts, actors)
    )


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


__all__ = [
    "ACCEPTED",
    "ASSERTED",
    "CURATED",
    "DERIVED",
    "LINKS_GRAPH",
    "PROPOSED",
    "REJECTED",
    "STATUSES",
    "LinkRecord",
    "ResolutionFacts",
    "Triple3",
    "akn_actors",
    "akn_graph",
    "akn_lines",
    "akn_paragraph_id",
    "akn_triples",
    "akn_work",
    "curated_links",
    "curated_records",
    "derived_links",
    "derived_records",
    "external_dataset_iri",
    "join_lines",
    "merge_records",
    "ntriples",
    "ods_url",
    "read_records",
    "read_turtle",
    "record_iri",
    "record_lines",
    "record_triples",
    "records_graph",
    "resolution_number",
    "triple_line",
    "triples_of",
    "undocs_url",
]
