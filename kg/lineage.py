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
import os
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, product
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult, Pool

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, QueryBoolean
from rdflib import Graph

from kg.align import Change, Part, Text, align, format_diff
from kg.graphstore import named_graph_node
from kg.ids import BASE_IRI
from kg.series import Candidate, Series, find_series
from kg.store import GraphStore, Term
from kg.vocab import CHANGE, ELI, KG, RDF, RDFS, XSD


def _iri(term: object) -> str:
    return f"<{term}>"


_TYPE = _iri(RDF.type)
_LABEL = _iri(RDFS.label)
_SERIES = _iri(KG.Series)
_IN_SERIES = _iri(KG.inSeries)
_SERIES_ORDER = _iri(KG.seriesOrder)
_PREVIOUS_IN_SERIES = _iri(KG.previousInSeries)
_ALIGNMENT = _iri(KG.Alignment)
_EARLIER_TEXT = _iri(KG.earlierText)
_LATER_TEXT = _iri(KG.laterText)
_CHANGE_KIND = _iri(KG.changeKind)
_ALIGNMENT_ORDER = _iri(KG.alignmentOrder)
_ALIGNMENT_OF = _iri(KG.alignmentOf)
_ALIGNED_WITH = _iri(KG.alignedWith)
_REVISION_OF = _iri(KG.revisionOf)
_SIMILARITY = _iri(KG.similarity)
_DIFF = _iri(KG.diff)
_PREAMBULAR = str(KG.PreambularParagraph)

LINEAGE_GRAPH = "https://w3id.org/kg-un/graph/lineage"
"""The named graph holding series and paragraph alignments."""

_PREFIXES = f"""PREFIX kg: <{KG._NS}>
PREFIX eli: <{ELI}>
"""

# A resolution's own facts are read inside the graph named by its IRI (docs/data-model.md).
# Every citing document also holds a stub (`res:… a kg:Resolution ; kg:symbol …`), and the
# union default graph yields a triple once per graph holding it: read over the union, each
# OPTIONAL below would multiply a much-cited resolution's rows by the number of citing graphs.
_CANDIDATES = (
    _PREFIXES
    + """
SELECT ?r (MIN(STR(?s)) AS ?symbol) (MIN(STR(?t)) AS ?title) (MIN(STR(?b)) AS ?body)
       (MIN(STR(?d)) AS ?date)
WHERE {
  GRAPH ?r {
    ?r a kg:Resolution .
    FILTER EXISTS { ?p kg:paragraphOf ?r }
    OPTIONAL { ?r kg:symbol ?s }
    OPTIONAL { ?r kg:title ?t }
    OPTIONAL { ?r kg:adoptedBy ?b }
    OPTIONAL { ?r kg:adoptionDate ?d }
  }
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

# What a resolution cites is stated in its own graph; it cites whatever its paragraphs cite
# (docs/data-model.md), so the paragraphs' own eli:cites add nothing here.
_CITATIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?r ?cited
WHERE { GRAPH ?r { ?r eli:cites ?cited } }
"""
)

# Paragraphs are described once, in the graph of the text that holds them. Read for a few
# texts (OWNERS is replaced by their IRIs), the store joins their properties.
_PARAGRAPHS_OF = (
    _PREFIXES
    + """
SELECT ?owner ?p ?type ?order ?text
WHERE {
  VALUES ?owner { OWNERS }
  ?p kg:paragraphOf ?owner ; a ?type ; kg:order ?order ; kg:text ?text .
  FILTER(?type IN (kg:PreambularParagraph, kg:OperativeParagraph))
}
"""
)

# Read for all texts, each property is scanned once and joined here: joined by the store,
# each paragraph is looked up once per property, which took twice as long at 20,000 texts.
_PARAGRAPH_SCANS = {
    key: f"{_PREFIXES}SELECT ?p ?v WHERE {{ {pattern} }}"
    for key, pattern in (
        ("owner", "?p kg:paragraphOf ?v"),
        ("type", "VALUES ?v { kg:PreambularParagraph kg:OperativeParagraph } ?p a ?v"),
        ("order", "?p kg:order ?v"),
        ("text", "?p kg:text ?v"),
    )
}

_OWNERS_LOOKED_UP = 200
"""Up to this many texts, their paragraphs are looked up by owner; beyond, one scan reads all
paragraphs (looking up thousands of owners costs more than the scan)."""


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


@dataclass(frozen=True, slots=True)
class LineageSummary:
    """What :func:`write_lineage` wrote: the series, and how many comparisons and lines."""

    series: tuple[Series, ...]
    comparisons: int
    lines: int


_Pair = tuple[str, str, str]
"""Two texts to compare, earlier then later, and why (see :class:`Comparison`)."""


def compute_lineage(store: GraphStore) -> Lineage:
    """Find the series in the store and align every consecutive pair and adopted draft.

    Raises:
        QueryError: if the store rejects a query (a bug: the queries are fixed).
        StoreError: if the store cannot be read.
    """
    series, pairs, texts = _plan(store)
    comparisons = sorted(_compare(pairs, texts), key=lambda c: (c.earlier, c.later, c.reason))
    return Lineage(series, tuple(comparisons))


def _plan(store: GraphStore) -> tuple[tuple[Series, ...], list[_Pair], dict[str, tuple[Text, ...]]]:
    """The series, the pairs of texts to compare, and the paragraphs of those texts."""
    adoptions = _adoptions(store)
    series = find_series(_candidates(store, adoptions))
    pairs: list[_Pair] = []
    for s in series:
        pairs.extend((a, b, "series") for a, b in zip(s.members, s.members[1:], strict=False))
    pairs.extend((draft, adopter, "draft") for adopter, (draft, *_rest) in adoptions.items())
    texts = read_paragraphs(store, {iri for pair in pairs for iri in pair[:2]})
    return series, [p for p in pairs if p[0] in texts and p[1] in texts], texts


def _compare(
    pairs: list[_Pair], texts: dict[str, tuple[Text, ...]], *, release: bool = False
) -> Iterator[Comparison]:
    """Align each pair in turn; with ``release``, drop a text's paragraphs after its last pair.

    Aligned along each series, so that a text compared with its predecessor and then with
    its successor has its paragraphs' features computed once (kg.align caches them).
    """
    uses = Counter(iri for pair in pairs for iri in pair[:2])
    for earlier, later, reason in pairs:
        yield Comparison(earlier, later, reason, align(texts[earlier], texts[later]))
        if release:
            for iri in (earlier, later):
                uses[iri] -= 1
                if not uses[iri]:
                    del texts[iri]


def build_lineage_graph(store: GraphStore, base: str = BASE_IRI) -> Graph:
    """The lineage graph of the store's current content, as an rdflib graph (small stores).

    Raises:
        QueryError: if the store rejects a query.
        StoreError: if the store cannot be read.
    """
    return lineage_graph(compute_lineage(store), base)


def write_lineage(
    store: GraphStore, base: str = BASE_IRI, *, workers: int | None = None
) -> LineageSummary:
    """Recompute the lineage graph and replace it in the store; returns what was written.

    Call it after every ingest: the series depend on all documents loaded. The comparisons
    go to the store as they are made (:meth:`GraphStore.add_new_graph_lines`), so the
    graph's text (millions of lines for a whole corpus) is never held in memory at once.
    ``workers`` processes align the texts (default: one per core, up to two, from
    :data:`ALIGN_PARALLEL_FROM` comparisons on); the graph is the same whatever their
    number.

    Raises:
        QueryError: if the store rejects a query.
        StoreError: if the store cannot be read or written.
    """
    series, pairs, texts = _plan(store)
    counts = Counter[str]()

    def pieces() -> Iterator[str]:
        # One piece for the series, then one per run of comparisons.
        series_piece = _piece(_series_lines(series, base))
        for text, lines in chain([series_piece], _aligned_pieces(pairs, texts, base, workers)):
            counts["lines"] += lines
            yield text

    write_graph(store, LINEAGE_GRAPH, pieces())
    return LineageSummary(series, len(pairs), counts["lines"])


ALIGN_PARALLEL_FROM = 2_000
"""Fewest comparisons for which :func:`write_lineage` aligns in worker processes by default.
Starting them costs about a second. Measured on 20,000 resolutions (13,822 comparisons):
aligning and formatting took 22.6 s in one process and 14.5 s in two, and the whole
lineage step 68.7 s and 47.5 s."""
ALIGN_CHUNK = 250
"""Consecutive comparisons a worker aligns at a time (neighbours along a series share
texts, whose paragraph features :mod:`kg.align` computes once)."""


def _piece(lines: Iterable[str]) -> tuple[str, int]:
    piece = list(lines)
    return ("\n".join(piece) + "\n" if piece else ""), len(piece)


def _aligned_pieces(
    pairs: list[_Pair], texts: dict[str, tuple[Text, ...]], base: str, workers: int | None
) -> Iterator[tuple[str, int]]:
    """The alignment lines of ``pairs`` in order, as (text, line count) pieces.

    With more than one worker, runs of :data:`ALIGN_CHUNK` pairs are aligned in worker
    processes, at most two runs per worker in flight, and each text's paragraphs are
    dropped once the last run that needs them is sent.
    """
    count = workers if workers is not None else _align_workers(len(pairs))
    if count <= 1:
        for comparison in _compare(pairs, texts, release=True):
            yield _piece(_alignment_lines(comparison, base))
        return
    uses = Counter(iri for pair in pairs for iri in pair[:2])
    window: deque[AsyncResult[tuple[str, int]]] = deque()
    pool: Pool = get_context("spawn").Pool(count)
    try:
        for start in range(0, len(pairs), ALIGN_CHUNK):
            chunk = pairs[start : start + ALIGN_CHUNK]
            needed = {iri for pair in chunk for iri in pair[:2]}
            window.append(
                pool.apply_async(_align_chunk, (chunk, {i: texts[i] for i in needed}, base))
            )
            for iri in (iri for pair in chunk for iri in pair[:2]):
                uses[iri] -= 1
                if not uses[iri]:
                    del texts[iri]
            while len(window) > 2 * count:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()
        pool.close()
        pool.join()
    finally:
        pool.terminate()


def _align_chunk(
    pairs: list[_Pair], texts: dict[str, tuple[Text, ...]], base: str
) -> tuple[str, int]:
    """Align a run of pairs (in a worker process): their lines and how many."""
    lines = (line for c in _compare(pairs, texts) for line in _alignment_lines(c, base))
    return _piece(lines)


def _align_workers(comparisons: int) -> int:
    if comparisons < ALIGN_PARALLEL_FROM:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def write_graph(store: GraphStore, graph: str, ntriples: str | Iterable[str]) -> None:
    """Replace a graph derived from the store (lineage, links) with N-Triples text.

    The text is one string or pieces of it (split anywhere), read once, as they come; it
    must hold no blank nodes. A graph the store does not hold yet, as in a first build, is
    bulk-loaded, which is several times faster but not atomic: a build killed meanwhile
    leaves part of it in its staging store, which is deleted. Otherwise it is replaced in
    one transaction.

    Raises:
        StoreError: if the store cannot be read or written.
        ParseError: if the text is not valid N-Triples, or holds blank nodes.
    """
    pieces = [ntriples] if isinstance(ntriples, str) else ntriples
    held = store.query(f"ASK {{ GRAPH {named_graph_node(graph)} {{ ?s ?p ?o }} }}", name="ask")
    if isinstance(held, QueryBoolean) and not held:
        store.add_new_graph_lines(graph, pieces)
    else:
        store.replace_graph_lines(graph, pieces)


def lineage_graph(lineage: Lineage, base: str = BASE_IRI) -> Graph:
    """:func:`lineage_ntriples` as an rdflib graph, for inspection and validation.

    A whole corpus' lineage holds millions of triples: :func:`write_lineage` stores the
    N-Triples text instead.
    """
    graph = Graph()
    graph.bind("kg", KG._NS)
    graph.bind("change", CHANGE)
    graph.parse(data=lineage_ntriples(lineage, base), format="nt")
    return graph


def lineage_ntriples(lineage: Lineage, base: str = BASE_IRI) -> str:
    """The triples of the lineage graph as N-Triples text, one line per triple."""
    lines = [*_series_lines(lineage.series, base)]
    for comparison in lineage.comparisons:
        lines.extend(_alignment_lines(comparison, base))
    return "".join(line + "\n" for line in lines)


def _series_lines(series: Iterable[Series], base: str) -> Iterator[str]:
    for s in series:
        node = f"<{series_iri(s.slug, base)}>"
        yield f"{node} {_TYPE} {_SERIES} ."
        if s.title:
            yield f"{node} {_LABEL} {_text(s.title)}@en ."
        for position, member in enumerate(s.members, start=1):
            yield f"<{member}> {_IN_SERIES} {node} ."
            yield f"<{member}> {_SERIES_ORDER} {_integer(position)} ."
            if position > 1:
                yield f"<{member}> {_PREVIOUS_IN_SERIES} <{s.members[position - 2]}> ."


def _alignment_lines(comparison: Comparison, base: str) -> Iterator[str]:
    earlier, later = comparison.earlier, comparison.later
    # The ends of lines every alignment of the comparison has (after its node).
    ends = (
        f" {_TYPE} {_ALIGNMENT} .",
        f" {_EARLIER_TEXT} <{earlier}> .",
        f" {_LATER_TEXT} <{later}> .",
    )
    integer, decimal = str(XSD.integer), str(XSD.decimal)
    for position, change in enumerate(comparison.changes, start=1):
        node = f"<{alignment_iri(earlier, later, change, base)}>"
        for end in ends:
            yield node + end
        yield f"{node} {_CHANGE_KIND} <{CHANGE}{change.kind}> ."
        yield f'{node} {_ALIGNMENT_ORDER} "{position}"^^<{integer}> .'
        old, new = change.earlier, change.later
        if new is not None:
            yield f"{node} {_ALIGNMENT_OF} <{new.id}> ."
        if old is not None:
            yield f"{node} {_ALIGNED_WITH} <{old.id}> ."
            if new is not None:
                yield f"<{new.id}> {_REVISION_OF} <{old.id}> ."
        if change.similarity is not None:
            yield f'{node} {_SIMILARITY} "{change.similarity:.3f}"^^<{decimal}> .'
        if any(op.tag != "equal" for op in change.diff):
            yield f"{node} {_DIFF} {_text(format_diff(change.diff))} ."


def _integer(value: int) -> str:
    return f'"{value}"^^<{XSD.integer}>'


def _text(value: str) -> str:
    """A string literal's quoted form in N-Triples (RDF 1.1 N-Triples, ECHAR)."""
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
        value = value.replace(raw, escaped)
    return f'"{value}"'


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
    old, new = change.earlier, change.later
    key = f"{earlier}\n{later}\n{old.id if old else ''}\n{new.id if new else ''}"
    return f"{base}alignment/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:20]}"


def read_paragraphs(store: GraphStore, owners: Iterable[str]) -> dict[str, tuple[Text, ...]]:
    """The preambular and operative paragraphs of each resolution or draft in ``owners``.

    Owners that are not valid IRIs, or hold no paragraphs, are left out of the result.

    Raises:
        StoreError: if the store cannot be read.
    """
    wanted = {node.value for node in map(_named_node, set(owners)) if node is not None}
    if not wanted:
        return {}
    rows = _look_up_paragraphs if len(wanted) <= _OWNERS_LOOKED_UP else _scan_paragraphs
    texts: dict[str, list[Text]] = defaultdict(list)
    for owner, paragraph, kind, order, text in rows(store, wanted):
        part: Part = "preamble" if kind == _PREAMBULAR else "operative"
        texts[owner].append(Text(paragraph, part, int(order or 0), text))
    return {
        owner: tuple(sorted(found, key=lambda t: (t.part != "preamble", t.order, t.id)))
        for owner, found in texts.items()
    }


_Row = tuple[str, str, str, str, str]
"""A paragraph as read from the store: owner, IRI, type, order and text."""


def _look_up_paragraphs(store: GraphStore, owners: set[str]) -> Iterator[_Row]:
    block = " ".join(f"<{iri}>" for iri in sorted(owners))
    _, rows = store.select_rows(_PARAGRAPHS_OF.replace("OWNERS", block), name="lineage-paragraphs")
    for row in rows:
        yield (
            _value(row.get("owner")),
            _value(row.get("p")),
            _value(row.get("type")),
            _value(row.get("order")),
            _value(row.get("text")),
        )


def _scan_paragraphs(store: GraphStore, owners: set[str]) -> Iterator[_Row]:
    # One entry per paragraph of a wanted owner: its owners, types and orders (one of each,
    # unless the data says otherwise), filled scan by scan; texts are joined as they stream
    # in, so no scan's rows are held but the entry. Repeated values share one string.
    found: dict[str, tuple[list[str], list[str], list[str]]] = {}
    wanted = {owner: owner for owner in owners}
    for paragraph, value in store.select_values(
        _PARAGRAPH_SCANS["owner"], name="lineage-paragraph-owner"
    ):
        if (owner := wanted.get(value)) is not None:
            found.setdefault(paragraph, ([], [], []))[0].append(owner)
    shared: dict[str, str] = {}
    for index, key in ((1, "type"), (2, "order")):
        for paragraph, value in store.select_values(
            _PARAGRAPH_SCANS[key], name=f"lineage-paragraph-{key}"
        ):
            if (entry := found.get(paragraph)) is not None:
                entry[index].append(shared.setdefault(value, value))
    for paragraph, text in store.select_values(
        _PARAGRAPH_SCANS["text"], name="lineage-paragraph-text"
    ):
        if (entry := found.get(paragraph)) is not None:
            for owner, kind, order in product(*entry):
                yield owner, paragraph, kind, order, text


def _named_node(iri: str) -> NamedNode | None:
    try:
        return NamedNode(iri)
    except ValueError:
        return None


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
    "LineageSummary",
    "alignment_iri",
    "build_lineage_graph",
    "compute_lineage",
    "lineage_graph",
    "lineage_ntriples",
    "read_paragraphs",
    "series_iri",
    "write_graph",
    "write_lineage",
]
