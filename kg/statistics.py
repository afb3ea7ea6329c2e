"""The statistics graph: whole-corpus counts, computed once per build (issue 7).

Two stored queries aggregate over every document: ``action-frequency`` (paragraphs per
adopting body, year and clause action) and ``bodies`` (per body or group, the resolutions,
paragraphs and mandates that name or address it). Counted live, each took seconds on
20,000 resolutions. :func:`write_statistics` runs the same aggregates after the documents
are loaded and replaces the named graph :data:`STATISTICS_GRAPH` with their results,
written with the W3C RDF Data Cube vocabulary (https://www.w3.org/TR/vocab-data-cube/),
so that the two queries read a few thousand rows::

    <{base}statistics/action-frequency> a qb:DataSet ;
        qb:structure <{base}statistics/action-frequency/structure> .
    <{base}statistics/action-frequency/d88d1c6b2faf71bc> a qb:Observation ;
        qb:dataSet <{base}statistics/action-frequency> ;
        kg:adoptingBody body:general-assembly ; kg:adoptionYear 2003 ;
        kg:clauseAction action:request ; kg:paragraphCount 4 ; kg:rank 32 .
    <{base}statistics/bodies/db0b6ce47e6fdfd3> a qb:Observation ;
        qb:dataSet <{base}statistics/bodies> ;
        kg:countedBody body:unodc ; kg:successorsFollowed true ;
        kg:resolutionCount 5 ; kg:paragraphCount 23 ; kg:mandateCount 9 ; kg:rank 1 ;
        rdfs:label "United Nations Office on Drugs and Crime"@en .      # the body's names

An observation's IRI is a digest of its dataset and dimension values (IRIs relative to the
base), so a rebuild gives the same quads. A dimension whose value is not known (a
resolution without adoption date or adopting body) is left out of the observation, as the
query leaves its column empty. ``kg:rank`` is the observation's position in the order the
stored query lists its dataset (for ``bodies``, within its value of
``kg:successorsFollowed``): the aggregates sort once here, so the queries sort integers
rather than IRIs, which Oxigraph reads from disk at each comparison.

The aggregates read each document's data inside its own graph (``GRAPH ?resolution``):
a citing document repeats stub triples of what it cites, and the union default graph
would count them once per graph holding them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from kg.ids import BASE_IRI
from kg.listings import (
    MENTION_PAGE_SIZE,
    REPORT_PAGE_SIZE,
    report_listing_lines,
    treaty_mention_lines,
)
from kg.sinks import quote_literal
from kg.store import GraphStore, Term
from kg.vocab import KG, QB, RDF, RDFS, XSD

STATISTICS_GRAPH = "https://w3id.org/kg-un/graph/statistics"
"""The named graph holding the statistics datasets and their observations."""

_PREFIXES = f"""PREFIX kg: <{KG._NS}>
"""

# Paragraphs of the resolutions themselves (a quoted draft's paragraphs are kg:paragraphOf
# the draft, so they do not match in the resolution's graph), with their clause action and
# the adopting body and date of their resolution. Each pattern is read once over the store.
_ACTION_FREQUENCY = (
    _PREFIXES
    + """
SELECT ?body ?year ?concept (COUNT(DISTINCT ?paragraph) AS ?paragraphs)
       (STRAFTER(STR(?concept), "/action/") AS ?action)
WHERE {
  {
    SELECT ?resolution ?paragraph
    WHERE { GRAPH ?resolution { ?paragraph kg:paragraphOf ?resolution } }
  }
  {
    SELECT ?resolution ?paragraph ?concept
    WHERE { GRAPH ?resolution { ?paragraph kg:action ?concept } }
  }
  OPTIONAL {
    SELECT ?resolution ?body
    WHERE { GRAPH ?resolution { ?resolution kg:adoptedBy ?body } }
  }
  OPTIONAL {
    SELECT ?resolution ?adopted
    WHERE { GRAPH ?resolution { ?resolution kg:adoptionDate ?adopted } }
  }
  BIND(YEAR(?adopted) AS ?year)
}
GROUP BY ?body ?year ?concept
ORDER BY ?body ?year DESC(?paragraphs) ?action
"""
)

# Paragraph-level mentions only (the resolution and a draft quoted in it repeat them as a
# summary), and the paragraphs that give a mandate with its addressee. Counted twice in one
# pass (?followed): as named, and with the few named bodies that were replaced counted under
# their latest successor, from the reference data (kg:predecessor and kg:successor) looked
# up once, not row by row.
_BODIES = (
    _PREFIXES
    + """
SELECT ?followed ?body (COUNT(DISTINCT ?resolution) AS ?resolutions)
       (COUNT(DISTINCT ?paragraph) AS ?paragraphs) (COUNT(DISTINCT ?mandate) AS ?mandates)
WHERE {
  {
    SELECT ?resolution ?paragraph ?named
    WHERE {
      GRAPH ?resolution { ?paragraph kg:mentionsBody ?named }
      FILTER(!sameTerm(?paragraph, ?resolution))
      MINUS { GRAPH ?resolution { ?paragraph a kg:DraftResolution } }
    }
  }
  UNION
  {
    SELECT ?resolution ?paragraph ?named ?mandate
    WHERE {
      {
        SELECT ?resolution ?mandate ?named
        WHERE { GRAPH ?resolution { ?mandate kg:addressee ?named } }
      }
      {
        SELECT ?resolution ?mandate ?paragraph
        WHERE { GRAPH ?resolution { ?mandate kg:createdBy ?paragraph } }
      }
    }
  }
  OPTIONAL {
    SELECT ?named ?latest
    WHERE {
      { SELECT DISTINCT ?named WHERE { ?newer kg:predecessor|^kg:successor ?named } }
      ?latest (kg:predecessor|^kg:successor)+ ?named .
      FILTER NOT EXISTS { ?newer kg:predecessor|^kg:successor ?latest }
    }
  }
  VALUES ?followed { false true }
  BIND(IF(?followed, COALESCE(?latest, ?named), ?named) AS ?body)
}
GROUP BY ?followed ?body
ORDER BY ?followed DESC(?resolutions) DESC(?paragraphs) ?body
"""
)


# The English names of the bodies counted, read once over the union of graphs: a body the
# reference data lacks is described, with its name, in every document that names it.
_NAMES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?body ?name
WHERE {
  VALUES ?body { WANTED }
  ?body skos:prefLabel ?name
  FILTER(LANGMATCHES(LANG(?name), "en"))
}
"""


@dataclass(frozen=True, slots=True)
class Statistic:
    """One dataset of the statistics graph: what it counts and how its rows map to RDF.

    ``dimensions`` and ``measures`` pair a column of the aggregate's rows with the
    property that states it in an observation. ``named_by`` is the column whose English
    names (``skos:prefLabel``) label each observation (``rdfs:label``), if any.
    """

    name: str
    label: str
    comment: str
    dimensions: tuple[tuple[str, str], ...]
    measures: tuple[tuple[str, str], ...]
    named_by: str | None = None


ACTION_FREQUENCY = Statistic(
    name="action-frequency",
    label="Clause actions by adopting body and year",
    comment="Paragraphs of the resolutions (not of quoted drafts) counted by the clause "
    "action of their leading phrase, the body that adopted the resolution and the year of "
    "adoption.",
    dimensions=(
        ("body", str(KG.adoptingBody)),
        ("year", str(KG.adoptionYear)),
        ("concept", str(KG.clauseAction)),
    ),
    measures=(("paragraphs", str(KG.paragraphCount)),),
)
BODIES = Statistic(
    name="bodies",
    label="Bodies and groups named or given mandates",
    comment="For each body or group, the resolutions and paragraphs (those of quoted drafts "
    "included) that mention it or give it a mandate, and the mandates it received; with "
    "successors followed, a former body is counted under its latest successor.",
    dimensions=(("body", str(KG.countedBody)), ("followed", str(KG.successorsFollowed))),
    measures=(
        ("resolutions", str(KG.resolutionCount)),
        ("paragraphs", str(KG.paragraphCount)),
        ("mandates", str(KG.mandateCount)),
    ),
    named_by="body",
)
STATISTICS = (ACTION_FREQUENCY, BODIES)

Row = dict[str, Term]
"""One observation as the aggregate gives it: column name → value (unknown ones absent)."""

_TRUE = Literal("true", datatype=NamedNode(str(XSD.boolean)))
_FALSE = Literal("false", datatype=NamedNode(str(XSD.boolean)))
_INTEGER = NamedNode(str(XSD.integer))


def action_frequency_rows(store: GraphStore) -> list[Row]:
    """The ``action-frequency`` aggregate counted live, in the stored query's order.

    Each row has ``body``, ``year``, ``concept`` (the kg:Action), ``action`` (its local
    name), ``paragraphs``, and ``rank``: its position in that order, from 1.

    Raises:
        StoreError: if the store cannot be read.
    """
    _, rows = store.select_rows(_ACTION_FREQUENCY, name="statistics-action-frequency")
    return _ranked(rows)


def bodies_rows(store: GraphStore) -> list[Row]:
    """The ``bodies`` aggregate counted live, as named and then with successors followed
    (a former body counted under its latest successor), each in the stored query's order.

    Each row has ``body``, ``followed`` (an xsd:boolean), ``resolutions``, ``paragraphs``,
    ``mandates`` and ``rank``, its position in that order among the rows of its ``followed``.

    Raises:
        StoreError: if the store cannot be read.
    """
    _, rows = store.select_rows(_BODIES, name="statistics-bodies")
    return [
        *_ranked([row for row in rows if row["followed"] == _FALSE]),
        *_ranked([row for row in rows if row["followed"] == _TRUE]),
    ]


def english_names(store: GraphStore, resources: Iterable[Term]) -> dict[str, list[Term]]:
    """IRI → the distinct English ``skos:prefLabel`` of each resource that has one.

    Raises:
        StoreError: if the store cannot be read.
    """
    wanted = sorted({str(r) for r in resources if isinstance(r, NamedNode)})
    if not wanted:
        return {}
    sparql = _NAMES.replace("WANTED", " ".join(wanted))
    _, rows = store.select_rows(sparql, name="statistics-names")
    names: dict[str, list[Term]] = {}
    for row in rows:
        names.setdefault(_value(row["body"]), []).append(row["name"])
    return names


def write_statistics(
    store: GraphStore,
    base: str = BASE_IRI,
    mention_page_size: int = MENTION_PAGE_SIZE,
    report_page_size: int = REPORT_PAGE_SIZE,
) -> int:
    """Recount the statistics and replace :data:`STATISTICS_GRAPH`; returns its triples.

    The graph also holds the pages of each treaty's mentions and of the requested reports
    (:mod:`kg.listings`), ``mention_page_size`` resolutions and ``report_page_size``
    mandates a page. Call it after every build: the counts depend on all documents loaded.

    Raises:
        StoreError: if the store cannot be read or written.
    """
    rows = {
        ACTION_FREQUENCY.name: action_frequency_rows(store),
        BODIES.name: bodies_rows(store),
    }
    names = english_names(store, (row["body"] for row in rows[BODIES.name]))
    lines = list(statistics_ntriples(rows, names, base))
    lines.extend(line + "\n" for line in treaty_mention_lines(store, base, mention_page_size))
    lines.extend(line + "\n" for line in report_listing_lines(store, base, report_page_size))
    store.replace_graphs({STATISTICS_GRAPH: ""})
    store.add_new_graphs({STATISTICS_GRAPH: "".join(lines)})
    return len(lines)


def statistics_ntriples(
    rows: dict[str, list[Row]], names: dict[str, list[Term]], base: str = BASE_IRI
) -> Iterator[str]:
    """N-Triples lines of the statistics graph: each dataset of :data:`STATISTICS` with
    its structure and one observation per row of ``rows[dataset name]``, labelled with
    the ``names`` (IRI → labels) of its ``named_by`` value."""
    for statistic in STATISTICS:
        dataset = dataset_iri(statistic, base)
        yield from _structure(statistic, dataset)
        for row in rows.get(statistic.name, ()):
            yield from _observation(statistic, dataset, row, names, base)


def dataset_iri(statistic: Statistic, base: str = BASE_IRI) -> str:
    """The IRI of a statistics dataset.

    >>> dataset_iri(BODIES)
    'https://w3id.org/kg-un/statistics/bodies'
    """
    return f"{base}statistics/{statistic.name}"


def observation_iri(dataset: str, values: Sequence[Term | None], base: str = BASE_IRI) -> str:
    """The IRI of an observation: 16 hex digits of a SHA-256 of its dimension values.

    IRIs enter the digest relative to ``base`` and literals by their lexical form, a value
    not known as the empty string, so an observation keeps its IRI across builds.

    >>> observation_iri("https://w3id.org/kg-un/statistics/bodies",
    ...     [NamedNode("https://w3id.org/kg-un/body/unodc"), _TRUE])
    'https://w3id.org/kg-un/statistics/bodies/db0b6ce47e6fdfd3'
    """
    key = "\n".join("" if v is None else _value(v).removeprefix(base) for v in values)
    return f"{dataset}/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"


def _ranked(rows: list[Row]) -> list[Row]:
    return [{**row, "rank": Literal(str(n), datatype=_INTEGER)} for n, row in enumerate(rows, 1)]


def _components(statistic: Statistic) -> list[tuple[str, str]]:
    """Each component of the dataset's structure, in order: (its kind: qb:dimension,
    qb:measure or qb:attribute; its property)."""
    return (
        [(str(QB.dimension), p) for _, p in statistic.dimensions]
        + [(str(QB.measure), p) for _, p in statistic.measures]
        + [(str(QB.attribute), str(KG.rank))]
    )


def _structure(statistic: Statistic, dataset: str) -> Iterator[str]:
    node, structure = f"<{dataset}>", f"<{dataset}/structure>"
    yield f"{node} <{RDF.type}> <{QB.DataSet}> .\n"
    yield f"{node} <{RDFS.label}> {quote_literal(statistic.label)}@en .\n"
    yield f"{node} <{RDFS.comment}> {quote_literal(statistic.comment)}@en .\n"
    yield f"{node} <{QB.structure}> {structure} .\n"
    yield f"{structure} <{RDF.type}> <{QB.DataStructureDefinition}> .\n"
    for order, (kind, prop) in enumerate(_components(statistic), start=1):
        component = f"<{dataset}/structure/{order}>"
        yield f"{structure} <{QB.component}> {component} .\n"
        yield f"{component} <{RDF.type}> <{QB.ComponentSpecification}> .\n"
        yield f"{component} <{kind}> <{prop}> .\n"
        yield f'{component} <{QB.order}> "{order}"^^<{XSD.integer}> .\n'


def _observation(
    statistic: Statistic, dataset: str, row: Row, names: dict[str, list[Term]], base: str
) -> Iterator[str]:
    values = [row.get(column) for column, _ in statistic.dimensions]
    node = f"<{observation_iri(dataset, values, base)}>"
    yield f"{node} <{RDF.type}> <{QB.Observation}> .\n"
    yield f"{node} <{QB.dataSet}> <{dataset}> .\n"
    for column, prop in (*statistic.dimensions, *statistic.measures, ("rank", str(KG.rank))):
        term = row.get(column)
        if term is not None:
            yield f"{node} <{prop}> {term} .\n"
    named = row.get(statistic.named_by) if statistic.named_by else None
    for name in names.get(_value(named), ()) if named is not None else ():
        yield f"{node} <{RDFS.label}> {name} .\n"


def _value(term: Term) -> str:
    return term.value if isinstance(term, NamedNode | Literal) else str(term)


__all__ = [
    "ACTION_FREQUENCY",
    "BODIES",
    "STATISTICS",
    "STATISTICS_GRAPH",
    "Row",
    "Statistic",
    "action_frequency_rows",
    "bodies_rows",
    "dataset_iri",
    "english_names",
    "observation_iri",
    "statistics_ntriples",
    "write_statistics",
]
