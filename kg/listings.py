"""Listing pages: orders the build writes down so that stored queries can page them fast.

Oxigraph sorts a query's rows after reading all of them, and compares IRIs by their text,
which it reads from disk at each comparison: on 20,000 resolutions the first page of the
links graph, in IRI order, took seconds, a first page of 20 resolutions mentioning UNTOC
read every paragraph mention, and a first page of requested reports joined every mandate
with every adoption date. For those three orders, the build writes the pages down::

    <{base}graph/links/page/1> a kg:ListPage ; kg:pageNumber 1 .
    <{base}link/c0bf928c86843869> kg:listedOn <{base}graph/links/page/1> .   # a record
    res:A/RES/58/135/operative/1 kg:listedOn <{base}graph/links/page/1> .    # an AKN4UN eId

    <{base}statistics/treaty-mentions/1fc5…/page/1> a kg:ListPage ;
        kg:mentionedTreaty treaty:untoc ; kg:pageNumber 1 .
    res:A/RES/55/25 kg:listedOn <{base}statistics/treaty-mentions/1fc5…/page/1> .

    <{base}statistics/reporting-cycle/session/59/page/1> a kg:ListPage ;
        kg:listedFor "reporting-cycle" ; kg:listedSession 59 ; kg:pageNumber 1 .
    res:A/RES/58/135/operative/9/mandate
        kg:listedOn <{base}statistics/reporting-cycle/session/59/page/1> .

A stored query then selects one page by its number (``#+ pagination: 1``) and looks up
what the page lists by key (``docs/queries.md``). The links pages are in the links graph
(:mod:`kg.linkgraph`), the others in the statistics graph (:mod:`kg.statistics`); each is
rewritten with its graph by every build.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from kg.ids import BASE_IRI
from kg.sinks import quote_literal
from kg.store import GraphStore
from kg.vocab import KG, RDF, XSD

LINK_PAGE_SIZE = 200
"""Resources per page of the links listing (a page of the external-links query)."""

MENTION_PAGE_SIZE = 20
"""Resolutions per page of a treaty's mentions (a page of the treaty-mentions query)."""

REPORT_PAGE_SIZE = 50
"""Mandates per page of the requested reports (a page of the reporting-cycle query)."""

_TYPE, _LIST_PAGE = f"<{RDF.type}>", f"<{KG.ListPage}>"
_PAGE_NUMBER, _LISTED_ON = f"<{KG.pageNumber}>", f"<{KG.listedOn}>"
_MENTIONED_TREATY = f"<{KG.mentionedTreaty}>"
_LISTED_FOR, _LISTED_SESSION = f"<{KG.listedFor}>", f"<{KG.listedSession}>"

_ReportKey = tuple[bool, int, str, str, str]
"""A requested report in listing order: has a session, the session, adoption date,
resolution IRI, mandate IRI."""

# Mandates that ask for a report: due at a session, or reporting to a body or in a year.
_REPORTS = f"""PREFIX kg: <{KG._NS}>
SELECT ?mandate ?resolution ?dueSession ?adopted
WHERE {{
  {{
    {{ GRAPH ?resolution {{ ?mandate kg:dueSession ?dueSession }} }}
    UNION
    {{
      SELECT DISTINCT ?mandate ?resolution
      WHERE {{ GRAPH ?resolution {{ ?mandate kg:reportTo|kg:dueYear [] }} }}
    }}
  }}
  OPTIONAL {{
    SELECT ?resolution ?adopted
    WHERE {{ GRAPH ?resolution {{ ?resolution kg:adoptionDate ?adopted }} }}
  }}
}}
"""

# A resolution mentions what its paragraphs mention, stated in its own graph
# (docs/data-model.md); undated resolutions come first, as in ORDER BY.
_MENTIONS = f"""PREFIX kg: <{KG._NS}>
SELECT ?treaty ?resolution ?adopted
WHERE {{
  {{
    SELECT ?treaty ?resolution
    WHERE {{ GRAPH ?resolution {{ ?resolution kg:mentionsTreaty ?treaty }} }}
  }}
  OPTIONAL {{
    SELECT ?resolution ?adopted
    WHERE {{ GRAPH ?resolution {{ ?resolution kg:adoptionDate ?adopted }} }}
  }}
}}
"""


def link_listing_lines(
    listed: Iterable[tuple[str, str]], base: str = BASE_IRI, size: int = LINK_PAGE_SIZE
) -> list[str]:
    """The pages of the links listing as N-Triples lines, for ``(resource, item)`` pairs.

    An item is a stated link's record, or a resource with an AKN4UN identifier (then both
    are the resource). Each page lists the items of ``size`` resources, the resources in
    the order of their IRIs as SPARQL sorts them (by code point).

    >>> pairs = [("http://b", "http://b"), ("http://a", "http://x/link/1"), ("http://c", "http://c")]
    >>> for line in link_listing_lines(pairs, "http://x/", 2):
    ...     print(line.replace("https://w3id.org/kg-un/ontology#", "kg:"))
    <http://x/graph/links/page/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <kg:ListPage> .
    <http://x/graph/links/page/1> <kg:pageNumber> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    <http://x/link/1> <kg:listedOn> <http://x/graph/links/page/1> .
    <http://b> <kg:listedOn> <http://x/graph/links/page/1> .
    <http://x/graph/links/page/2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <kg:ListPage> .
    <http://x/graph/links/page/2> <kg:pageNumber> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
    <http://c> <kg:listedOn> <http://x/graph/links/page/2> .
    """
    lines: list[str] = []
    number, on_page, page, previous = 0, size, "", None
    for resource, item in sorted(listed):
        if resource != previous:
            previous = resource
            if on_page == size:
                number, on_page = number + 1, 0
                page = f"<{base}graph/links/page/{number}>"
                lines.extend(_page_lines(page, number))
            on_page += 1
        lines.append(f"<{item}> {_LISTED_ON} {page} .")
    return lines


def treaty_mention_lines(
    store: GraphStore, base: str = BASE_IRI, size: int = MENTION_PAGE_SIZE
) -> list[str]:
    """The pages of each treaty's mentions as N-Triples lines, ``size`` resolutions a page.

    The resolutions that mention a treaty are listed by adoption date, undated first, then
    by IRI: the order of the treaty-mentions query.

    Raises:
        StoreError: if the store cannot be read.
    """
    mentions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for treaty, resolution, adopted in store.select_values(_MENTIONS, name="treaty-mention-pages"):
        mentions[treaty].append((adopted, resolution))
    lines: list[str] = []
    for treaty in sorted(mentions):
        listing = mention_listing_iri(treaty, base)
        ordered = sorted(set(mentions[treaty]))
        for number, start in enumerate(range(0, len(ordered), size), start=1):
            page = f"<{listing}/page/{number}>"
            lines.extend(_page_lines(page, number))
            lines.append(f"{page} {_MENTIONED_TREATY} <{treaty}> .")
            lines.extend(f"<{r}> {_LISTED_ON} {page} ." for _, r in ordered[start : start + size])
    return lines


def report_listing_lines(
    store: GraphStore, base: str = BASE_IRI, size: int = REPORT_PAGE_SIZE
) -> list[str]:
    """The pages of the requested reports as N-Triples lines, ``size`` mandates a page.

    The mandates that ask for a report (a session, a body or a year it is due) are listed
    by due session, those without one first, then by the adoption date of the resolution
    that gives them (undated first), its IRI and theirs: the order of the reporting-cycle
    query. They are listed once over all sessions (pages without ``kg:listedSession``),
    and once more per session, for the query's ``session`` parameter.

    Raises:
        StoreError: if the store cannot be read.
    """
    keys: set[_ReportKey] = {
        (session != "", int(session) if session else 0, adopted, resolution, mandate)
        for mandate, resolution, session, adopted in store.select_values(
            _REPORTS, name="report-pages"
        )
    }
    # Over all sessions, a mandate due at a session is listed under its first one only.
    due = {key[4] for key in keys if key[0]}
    ordered = sorted(key for key in keys if key[0] or key[4] not in due)
    once: list[_ReportKey] = []
    listed: set[str] = set()
    for key in ordered:
        if key[4] not in listed:
            listed.add(key[4])
            once.append(key)
    listing = f"{base}statistics/reporting-cycle"
    lines = _report_pages(once, listing, None, size)
    sessions: dict[int, list[_ReportKey]] = defaultdict(list)
    for key in ordered:
        if key[0]:
            sessions[key[1]].append(key)
    for number, at in sorted(sessions.items()):
        lines.extend(_report_pages(at, f"{listing}/session/{number}", number, size))
    return lines


def _report_pages(
    keys: list[_ReportKey], listing: str, session: int | None, size: int
) -> list[str]:
    lines: list[str] = []
    for number, start in enumerate(range(0, len(keys), size), start=1):
        page = f"<{listing}/page/{number}>"
        lines.extend(_page_lines(page, number))
        lines.append(f"{page} {_LISTED_FOR} {quote_literal('reporting-cycle')} .")
        if session is not None:
            lines.append(f'{page} {_LISTED_SESSION} "{session}"^^<{XSD.integer}> .')
        lines.extend(f"<{key[4]}> {_LISTED_ON} {page} ." for key in keys[start : start + size])
    return lines


def mention_listing_iri(treaty: str, base: str = BASE_IRI) -> str:
    """Where the pages of a treaty's mentions are: 16 hex digits of its IRI's digest.

    >>> mention_listing_iri("https://w3id.org/kg-un/treaty/untoc")
    'https://w3id.org/kg-un/statistics/treaty-mentions/1fc553118d2180d0'
    """
    digest = hashlib.sha256(treaty.removeprefix(base).encode("utf-8")).hexdigest()[:16]
    return f"{base}statistics/treaty-mentions/{digest}"


def _page_lines(page: str, number: int) -> list[str]:
    return [
        f"{page} {_TYPE} {_LIST_PAGE} .",
        f'{page} {_PAGE_NUMBER} "{number}"^^<{XSD.integer}> .',
    ]


__all__ = [
    "LINK_PAGE_SIZE",
    "MENTION_PAGE_SIZE",
    "REPORT_PAGE_SIZE",
    "link_listing_lines",
    "mention_listing_iri",
    "report_listing_lines",
    "treaty_mention_lines",
]
