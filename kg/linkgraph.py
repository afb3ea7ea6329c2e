"""Compute the ``links`` named graph from what the store holds, and write it.

:func:`build_links_graph` is the one entry point ``kg build`` calls after ingesting: it
reads every resolution and document with a symbol (and, for AKN4UN identifiers, its
adopting body, adoption date and operative paragraphs), derives their links, adds the
curated links of ``links/*.ttl`` and the reviewed Wikidata links of the review file, and
replaces the links graph in one transaction. The result depends only on the store's
contents and those files, so rebuilding gives the same graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.ids import BASE_IRI
from kg.lineage import write_graph
from kg.links import (
    ASSERTED,
    LINKS_GRAPH,
    LinkRecord,
    ResolutionFacts,
    akn_actors,
    akn_lines,
    curated_records,
    derived_records,
    join_lines,
    merge_records,
    read_records,
    read_turtle,
    record_iri,
    record_lines,
    triple_line,
)
from kg.listings import LINK_PAGE_SIZE, link_listing_lines
from kg.store import GraphStore
from kg.vocab import KG, SKOS


@dataclass(frozen=True, slots=True)
class LinksSummary:
    """What :func:`build_links_graph` wrote: records by status, AKN4UN works, triples."""

    by_status: tuple[tuple[str, int], ...]
    akn_works: int
    triples: int


def default_review_file(store: Path) -> Path:
    """Where the review file of an on-disk store lives: beside it, so it survives rebuilds.

    >>> default_review_file(Path("data/kg"))
    PosixPath('data/kg-links-reviewed.ttl')
    """
    return store.with_name(store.name + "-links-reviewed.ttl")


def select(store: GraphStore, sparql: str, name: str = "links") -> list[dict[str, str]]:
    """Run a SELECT with the ``kg:`` and ``skos:`` prefixes; values as plain strings.

    Raises:
        QueryError: if the query is not valid.
        StoreError: if the store cannot be read.
    """
    prefixes = f"PREFIX kg: <{KG}>\nPREFIX skos: <{SKOS}>\n"
    _, rows = store.select_rows(prefixes + sparql, name=name)
    return [{key: str(getattr(term, "value", term)) for key, term in row.items()} for row in rows]


def columns(store: GraphStore, sparql: str, name: str = "links") -> Iterator[tuple[str, ...]]:
    """:func:`select` for scans of many rows: value tuples in the order of the variables.

    Raises:
        QueryError: if the query is not valid.
        StoreError: if the store cannot be read.
    """
    prefixes = f"PREFIX kg: <{KG}>\nPREFIX skos: <{SKOS}>\n"
    return store.select_values(prefixes + sparql, name=name)


# Each pattern alone, DISTINCT: a resolution is described in its own graph and as a stub in
# the graph of every document citing it, and the union default graph yields a triple once per
# graph holding it, so joining the patterns in one query would multiply rows per citing graph.
_TYPED = """SELECT DISTINCT ?r WHERE { { ?r a kg:Resolution } UNION { ?r a kg:Document } }"""
_FACTS = """SELECT DISTINCT ?r ?key ?value WHERE {
  { ?r kg:symbol ?value BIND("symbol" AS ?key) }
  UNION { ?r kg:adoptedBy ?value BIND("body" AS ?key) }
  UNION { ?r kg:adoptionDate ?value BIND("date" AS ?key) }
  UNION { ?r kg:resolutionNumber ?value BIND("number" AS ?key) }
}"""
# Each pattern read once over the store, and the three joined by hashing: joined pattern by
# pattern, Oxigraph looks up each paragraph's resolution and number one at a time, which took
# 4.6 s of CPU on 20,000 resolutions (166,000 paragraphs) against 2.4 s this way.
_OPERATIVE = """SELECT ?r ?p ?number WHERE {
  { SELECT ?p WHERE { ?p a kg:OperativeParagraph } }
  { SELECT ?p ?r WHERE { ?p kg:paragraphOf ?r } }
  { SELECT ?p ?number WHERE { ?p kg:number ?number } }
}"""


def resolution_facts(store: GraphStore) -> list[ResolutionFacts]:
    """Every resolution and document with a symbol, with what its links derive from.

    Where the graphs disagree (two adoption dates for one resolution), the fact is left
    out rather than picked, so no AKN4UN identifier is built from it.

    Raises:
        StoreError: if the store cannot be read.
    """
    typed = {r for (r,) in columns(store, _TYPED)}
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r, key, value in columns(store, _FACTS):
        if r in typed:
            values[r][key].add(value)
    paragraphs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r, p, number in columns(store, _OPERATIVE):
        paragraphs[r].add((p, number))

    def only(found: set[str]) -> str | None:
        return next(iter(found)) if len(found) == 1 else None

    return [
        ResolutionFacts(
            iri=iri,
            symbol=sorted(fields["symbol"])[0],
            body=only(fields["body"]),
            adopted=only(fields["date"]),
            number=only(fields["number"]),
            operative=tuple(sorted(paragraphs.get(iri, ()))),
        )
        for iri, fields in sorted(values.items())
        if fields["symbol"]
    ]


def read_review_file(path: Path | None, base: str = BASE_IRI) -> list[LinkRecord]:
    """The link records of a review file; none if there is no file yet.

    Raises:
        ParseError: if the file is not valid Turtle.
        KgError: if a record in it is incomplete.
    """
    if path is None or not path.exists():
        return []
    records, _ = read_records(read_turtle(path, base), str(path))
    return records


def links_ntriples(
    store: GraphStore,
    base: str = BASE_IRI,
    review_file: Path | None = None,
    page_size: int = LINK_PAGE_SIZE,
) -> tuple[str, LinksSummary]:
    """The links graph for what the store holds, as sorted N-Triples text, without writing it.

    Raises:
        ParseError: if a links file or the review file is not valid Turtle.
        KgError: if a link record is incomplete.
        StoreError: if the store cannot be read.
    """
    lines, summary = links_lines(store, base, review_file, page_size)
    return join_lines(lines), summary


def links_lines(
    store: GraphStore,
    base: str = BASE_IRI,
    review_file: Path | None = None,
    page_size: int = LINK_PAGE_SIZE,
) -> tuple[set[str], LinksSummary]:
    """The N-Triples lines of the links graph for what the store holds, in no order.

    Curated records win over reviewed ones, which win over derived ones, for the same
    subject, property and target. Curated links about resolutions not in the store
    are left out. The listing pages (:mod:`kg.listings`) hold ``page_size`` resources each.

    Raises:
        ParseError: if a links file or the review file is not valid Turtle.
        KgError: if a link record is incomplete.
        StoreError: if the store cannot be read.
    """
    curated, other = curated_records(base)
    facts = resolution_facts(store)
    present = {fact.iri for fact in facts}
    resolutions = f"{base}resolution/"
    curated = [r for r in curated if r.subject in present or not r.subject.startswith(resolutions)]
    derived = [record for fact in facts for record in derived_records(fact, base)]
    records = merge_records(derived, read_review_file(review_file, base), curated, base=base)
    lines = {triple_line(triple) for triple in other}
    lines.update(
        line
        for key, record in records.items()
        for line in record_lines(record, base, record_id=key)
    )
    # What the listing lists: each stated link's record, and each resource with an AKN4UN id.
    listed = {
        (record.subject, record_iri(key, base))
        for key, record in records.items()
        if record.status in ASSERTED
    }
    actors = akn_actors(other)
    works = 0
    for fact in facts:
        akn = akn_lines(fact, actors)
        works += bool(akn)
        lines.update(akn)
        listed.update((iri, iri) for iri in (line[1 : line.index(">")] for line in akn))
    lines.update(link_listing_lines(listed, base, page_size))
    counts = Counter(record.status for record in records.values())
    return lines, LinksSummary(tuple(sorted(counts.items())), works, len(lines))


def links_graph(
    store: GraphStore, base: str = BASE_IRI, review_file: Path | None = None
) -> tuple[Graph, LinksSummary]:
    """:func:`links_ntriples` as an rdflib graph (for inspection and tests).

    Raises:
        ParseError: if a links file or the review file is not valid Turtle.
        KgError: if a link record is incomplete.
        StoreError: if the store cannot be read.
    """
    text, summary = links_ntriples(store, base, review_file)
    return Graph().parse(data=text, format="nt"), summary


def build_links_graph(
    store: GraphStore,
    base: str = BASE_IRI,
    review_file: Path | None = None,
    page_size: int = LINK_PAGE_SIZE,
) -> LinksSummary:
    """Compute the links graph from the store's contents and replace it in one transaction.

    ``review_file`` holds the Wikidata links proposed and reviewed with ``kg link``
    (:func:`default_review_file` for an on-disk store); ``None`` leaves them out.

    Raises:
        ParseError: if a links file or the review file is not valid Turtle.
        KgError: if a link record is incomplete.
        StoreError: if the store cannot be read or written.
    """
    lines, summary = links_lines(store, base, review_file, page_size)
    # Unsorted: the store does not need the order, and sorting the lines of 20,000
    # resolutions took half a second.
    text = "\n".join(lines)
    lines.clear()  # only the text is needed now: 909,141 lines at 20,000 resolutions
    write_graph(store, LINKS_GRAPH, text + "\n" if text else "")
    return summary
