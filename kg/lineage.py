"""The lineage graph: series of resolutions and how each paragraph changed (issue 6).

:func:`write_lineage` runs after the documents are loaded. It reads every resolution that
has paragraphs from the store, groups them into series (:mod:`kg.series`), aligns each
member's paragraphs with its predecessor's and each adopted draft's paragraphs with its
adoption's (:mod:`kg.align`), and replaces the named graph :data:`LINEAGE_GRAPH`::

    <{base}series/A-RES-56-120> a kg:Series ; rdfs:label "…"@en .
    res:A/RES/58/135 kg:inSeries <…/series/A-RES-56-120> ; kg:seriesOrder 2 ;
        kg:previousInSeries res:A/RES/56/120 .
    res:A/RES/58/135/preamble/4 kg:revisionOf res:A/RES/56/120/preamble/1 .
    <{base}alignment/3f0c…> a kg:Alignment ;
        kg:earlierText res:A/RES/56/120 ; kg:laterText res:A/RES/58/135 ;
        kg:alignedWith res:A/RES/56/120/preamble/1 ; kg:alignmentOf res:A/RES/58/135/preamble/4 ;
        kg:changeKind change:amended ; kg:similarity 0.675 ; kg:alignmentOrder 6 ;
        kg:diff "[-Deeply concerned-] {+Reaffirming its deep concern+} at the impact …" .

The draft ↔ adoption relation itself (``kg:adoptsDraft``) is stated by the pipeline
(:mod:`kg.drafts`); this module reads it and adds the paragraph-level alignment, so an
adoption is compared both with its series predecessor and with the draft it adopts.
Everything is derived from the store's content, so a rebuild yields the same graph.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import Graph, Literal, URIRef

from kg.align import Change, Part, Text, align, format_diff
from kg.ids import BASE_IRI
from kg.series import Candidate, Series, find_series
from kg.store import GraphStore, Term
from kg.vocab import CHANGE, ELI, KG, RDF, RDFS, XSD

_SERIES = cast(URIRef, KG.Series)
_IN_SERIES = cast(URIRef, KG.inSeries)
_SERIES_ORDER = cast(URIRef, KG.seriesOrder)
_PREVIOUS_IN_SERIES = cast(URIRef, KG.previousInSeries)
_ALIGNMENT = cast(URIRef, KG.Alignment)
_EARLIER_TEXT = cast(URIRef, KG.earlierText)
_LATER_TEXT = cast(URIRef, KG.laterText)
_CHANGE_KIND = cast(URIRef, KG.changeKind)
_ALIGNMENT_ORDER = cast(URIRef, KG.alignmentOrder)
_ALIGNMENT_OF = cast(URIRef, KG.alignmentOf)
_ALIGNED_WITH = cast(URIRef, KG.alignedWith)
_REVISION_OF = cast(URIRef, KG.revisionOf)
_SIMILARITY = cast(URIRef, KG.similarity)
_DIFF = cast(URIRef, KG.diff)
_PREAMBULAR_PARAGRAPH = cast(URIRef, KG.PreambularParagraph)

LINEAGE_GRAPH = "https://w3id.org/kg-un/graph/lineage"
"""The named graph holding series and paragraph alignments."""

_PREFIXES = f"""PREFIX kg: <{KG._NS}>
PREFIX eli: <{ELI}>
"""

_CANDIDATES = (
    _PREFIXES
    + """
SELECT ?r (MIN(STR(?s)) AS ?symbol) (MIN(STR(?t)) AS ?title) (MIN(STR(?b)) AS ?body)
       (MIN(STR(?d)) AS ?date)
WHERE {
  ?r a kg:Resolution .
  FILTER EXISTS { ?p kg:paragraphOf ?r }
  OPTIONAL { ?r kg:symbol ?s }
  OPTIONAL { ?r kg:title ?t }
  OPTIONAL { ?r kg:adoptedBy ?b }
  OPTIONAL { ?r kg:adoptionDate ?d }
}
GROUP BY ?r
"""
)

_ADOPTIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?adopter ?draft ?title ?to ?date
WHERE {
  { ?adopter kg:adoptsDraft ?draft } UNION { ?draft kg:adoptedIn ?adopter }
  OPTIONAL { ?draft kg:title ?draftTitle }
  OPTIONAL {
    ?recommender kg:recommendsDraft ?draft .
    OPTIONAL { ?recommender kg:title ?recommenderTitle }
    OPTIONAL { ?recommender kg:recommendedTo ?to }
    OPTIONAL { ?recommender kg:adoptionDate ?date }
  }
  BIND(COALESCE(?draftTitle, ?recommenderTitle) AS ?title)
}
"""
)

_CITATIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?r ?cited
WHERE {
  ?r a kg:Resolution .
  { ?r eli:cites ?cited } UNION { ?p kg:paragraphOf ?r . ?p eli:cites ?cited }
}
"""
)

_PARAGRAPHS = (
    _PREFIXES
    + """
SELECT ?owner ?p ?type ?order ?text
WHERE {
  VALUES ?type { kg:PreambularParagraph kg:OperativeParagraph }
  ?p kg:paragraphOf ?owner ; a ?type ; kg:order ?order ; kg:text ?text .
}
"""
)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The changes from one text to a later one, with why the two are compared.

    ``reason`` is ``"series"`` (consecutive members of a series) or ``"draft"`` (a
    resolution and the draft it adopts).
    """

    earlier: str
    later: str
    reason: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Lineage:
    """Everything the lineage graph states, before it becomes RDF."""

    series: tuple[Series, ...]
    comparisons: tuple[Comparison, ...]


def compute_lineage(store: GraphStore) -> Lineage:
    """Find the series in the store and align every consecutive pair and adopted draft.

    Raises:
        QueryError: if the store rejects a query (a bug: the queries are fixed).
        StoreError: if the store cannot be read.
    """
    adoptions = _adoptions(store)
    candidates = _candidates(store, adoptions)
    series = find_series(candidates)
    pairs: list[tuple[str, str, str]] = []
    for s in series:
        pairs.extend((a, b, "series") for a, b in zip(s.members, s.members[1:], strict=False))
    pairs.extend((draft, adopter, "draft") for adopter, (draft, *_rest) in adoptions.items())
    texts = read_paragraphs(store, {iri for pair in pairs for iri in pair[:2]})
    comparisons = tuple(
        Comparison(earlier, later, reason, align(texts.get(earlier, ()), texts.get(later, ())))
        for earlier, later, reason in sorted(pairs)
        if earlier in texts and later in texts
    )
    return Lineage(series, comparisons)


def build_lineage_graph(store: GraphStore, base: str = BASE_IRI) -> Graph:
    """The lineage graph of the store's current content, as an rdflib graph.

    Raises:
        QueryError: if the store rejects a query.
        StoreError: if the store cannot be read.
    """
    return lineage_graph(compute_lineage(store), base)


def write_lineage(store: GraphStore, base: str = BASE_IRI) -> Lineage:
    """Recompute the lineage graph and replace it in the store; returns what was written.

    Call it after every ingest: the series depend on all documents loaded.

    Raises:
        QueryError: if the store rejects a query.
        StoreError: if the store cannot be read or written.
    """
    lineage = compute_lineage(store)
    store.replace_graphs({LINEAGE_GRAPH: lineage_graph(lineage, base)})
    return lineage


def lineage_graph(lineage: Lineage, base: str = BASE_IRI) -> Graph:
    """Turn computed series and comparisons into the triples of the lineage graph."""
    graph = Graph()
    graph.bind("kg", KG._NS)
    graph.bind("change", CHANGE)
    for s in lineage.series:
        node = URIRef(series_iri(s.slug, base))
        graph.add((node, RDF.type, _SERIES))
        if s.title:
            graph.add((node, RDFS.label, Literal(s.title, lang="en")))
        for position, member in enumerate(s.members, start=1):
            resolution = URIRef(member)
            graph.add((resolution, _IN_SERIES, node))
            graph.add((resolution, _SERIES_ORDER, Literal(position)))
            if position > 1:
                graph.add((resolution, _PREVIOUS_IN_SERIES, URIRef(s.members[position - 2])))
    for comparison in lineage.comparisons:
        for position, change in enumerate(comparison.changes, start=1):
            _add_alignment(graph, comparison, change, position, base)
    return graph


def _add_alignment(
    graph: Graph, comparison: Comparison, change: Change, position: int, base: str
) -> None:
    node = URIRef(alignment_iri(comparison.earlier, comparison.later, change, base))
    graph.add((node, RDF.type, _ALIGNMENT))
    graph.add((node, _EARLIER_TEXT, URIRef(comparison.earlier)))
    graph.add((node, _LATER_TEXT, URIRef(comparison.later)))
    graph.add((node, _CHANGE_KIND, CHANGE[change.kind]))
    graph.add((node, _ALIGNMENT_ORDER, Literal(position)))
    if change.later is not None:
        graph.add((node, _ALIGNMENT_OF, URIRef(change.later.id)))
    if change.earlier is not None:
        graph.add((node, _ALIGNED_WITH, URIRef(change.earlier.id)))
    if change.earlier is not None and change.later is not None:
        graph.add((URIRef(change.later.id), _REVISION_OF, URIRef(change.earlier.id)))
    if change.similarity is not None:
        value = Decimal(f"{change.similarity:.3f}")
        graph.add((node, _SIMILARITY, Literal(value, datatype=XSD.decimal)))
    if any(op.tag != "equal" for op in change.diff):
        graph.add((node, _DIFF, Literal(format_diff(change.diff))))


def series_iri(slug: str, base: str = BASE_IRI) -> str:
    """The IRI of a series from its slug.

    >>> series_iri("A-RES-56-120")
    'https://w3id.org/kg-un/series/A-RES-56-120'
    """
    return f"{base}series/{slug}"


def alignment_iri(earlier: str, later: str, change: Change, base: str = BASE_IRI) -> str:
    """The IRI of an alignment, derived from the two texts and the two paragraphs it pairs.

    A new paragraph has no earlier paragraph and a dropped one no later paragraph; the
    texts compared keep those distinct when one paragraph is compared twice (with the
    previous resolution and with an adopted draft).
    """
    key = "\n".join((earlier, later, change.earlier_id or "", change.later_id or ""))
    return f"{base}alignment/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:20]}"


def read_paragraphs(store: GraphStore, owners: Iterable[str]) -> dict[str, tuple[Text, ...]]:
    """The preambular and operative paragraphs of each resolution or draft in ``owners``.

    Raises:
        StoreError: if the store cannot be read.
    """
    wanted = set(owners)
    found: dict[str, list[Text]] = defaultdict(list)
    if not wanted:
        return {}
    _, rows = store.select_rows(_PARAGRAPHS, name="lineage-paragraphs")
    preamble = str(_PREAMBULAR_PARAGRAPH)
    for row in rows:
        owner = _value(row.get("owner"))
        if owner not in wanted:
            continue
        part: Part = "preamble" if _value(row.get("type")) == preamble else "operative"
        found[owner].append(
            Text(
                _value(row.get("p")),
                part,
                int(_value(row.get("order")) or 0),
                _value(row.get("text")),
            )
        )
    return {
        owner: tuple(sorted(texts, key=lambda t: (t.part != "preamble", t.order, t.id)))
        for owner, texts in found.items()
    }


def _adoptions(store: GraphStore) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    """Adopting resolution → (draft, title, recommended-to body, recommendation date)."""
    _, rows = store.select_rows(_ADOPTIONS, name="lineage-adoptions")
    found: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    for row in sorted(rows, key=lambda r: tuple(str(r.get(k)) for k in ("adopter", "draft"))):
        adopter = _value(row.get("adopter"))
        found.setdefault(
            adopter,
            (
                _value(row.get("draft")),
                _optional(row.get("title")),
                _optional(row.get("to")),
                _optional(row.get("date")),
            ),
        )
    return found


def _candidates(
    store: GraphStore, adoptions: dict[str, tuple[str, str | None, str | None, str | None]]
) -> list[Candidate]:
    _, rows = store.select_rows(_CANDIDATES, name="lineage-candidates")
    _, cited_rows = store.select_rows(_CITATIONS, name="lineage-citations")
    cites: dict[str, set[str]] = defaultdict(set)
    for row in cited_rows:
        cites[_value(row.get("r"))].add(_value(row.get("cited")))
    candidates = []
    for row in rows:
        iri = _value(row.get("r"))
        _draft, draft_title, draft_body, recommended = adoptions.get(iri, ("", None, None, None))
        candidates.append(
            Candidate(
                iri=iri,
                symbol=_optional(row.get("symbol")),
                title=_optional(row.get("title")) or draft_title,
                body=_optional(row.get("body")) or draft_body,
                date=_optional(row.get("date")),
                cites=frozenset(cites.get(iri, ())),
                not_before=recommended,
            )
        )
    return candidates


def _value(term: Term | None) -> str:
    if isinstance(term, NamedNode | OxLiteral):
        return term.value
    return "" if term is None else str(term)


def _optional(term: Term | None) -> str | None:
    return _value(term) or None


__all__ = [
    "LINEAGE_GRAPH",
    "Comparison",
    "Lineage",
    "alignment_iri",
    "build_lineage_graph",
    "compute_lineage",
    "lineage_graph",
    "read_paragraphs",
    "series_iri",
    "write_lineage",
]
