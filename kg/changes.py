"""What changed between two resolutions, read back from the lineage graph for pages and tools.

:func:`changes_for` answers "what changed since last year?" for one resolution: the
paragraphs carried over, amended (with their word-level diff), new and dropped, in the
later text's reading order. It reads the alignments :mod:`kg.lineage` stored; for two
texts that were never compared (not consecutive in a series) it aligns them on the fly
with the same method, so any two resolutions can be compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode

from kg.align import (
    CHANGE_KINDS,
    Change,
    ChangeKind,
    DiffOp,
    Part,
    Text,
    align,
    parse_diff,
    summary,
)
from kg.errors import NotFoundError
from kg.lineage import LINEAGE_GRAPH, read_paragraphs
from kg.store import GraphStore, Term
from kg.vocab import CHANGE, KG

_PREFIXES = f"PREFIX kg: <{KG._NS}>\n"

_STORED = (
    _PREFIXES
    + f"""
SELECT ?from ?to ?kind ?position ?similarity ?diff ?ep ?eorder ?etext ?epart
       ?lp ?lorder ?ltext ?lpart
WHERE {{
  GRAPH <{LINEAGE_GRAPH}> {{
    ?a kg:earlierText ?from ; kg:laterText ?to ; kg:changeKind ?k ; kg:alignmentOrder ?position .
    OPTIONAL {{ ?a kg:similarity ?similarity }}
    OPTIONAL {{ ?a kg:diff ?diff }}
  }}
  OPTIONAL {{
    GRAPH <{LINEAGE_GRAPH}> {{ ?a kg:alignedWith ?ep }}
    ?ep kg:order ?eorder ; kg:text ?etext .
    BIND(IF(EXISTS {{ ?ep a kg:PreambularParagraph }}, "preamble", "operative") AS ?epart)
  }}
  OPTIONAL {{
    GRAPH <{LINEAGE_GRAPH}> {{ ?a kg:alignmentOf ?lp }}
    ?lp kg:order ?lorder ; kg:text ?ltext .
    BIND(IF(EXISTS {{ ?lp a kg:PreambularParagraph }}, "preamble", "operative") AS ?lpart)
  }}
  BIND(STRAFTER(STR(?k), "{CHANGE}") AS ?kind)
}}
ORDER BY ?position
"""
)

_COMPARED_WITH = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?from ?to ?draft
WHERE {{
  GRAPH <{LINEAGE_GRAPH}> {{ ?a kg:laterText ?to ; kg:earlierText ?from }}
  BIND(EXISTS {{ ?from a kg:DraftResolution }} AS ?draft)
}}
ORDER BY ?draft ?from
"""
)

_PREVIOUS = (
    _PREFIXES
    + f"""
SELECT ?previous ?to
WHERE {{ GRAPH <{LINEAGE_GRAPH}> {{ ?to kg:previousInSeries ?previous }} }}
"""
)

_DESCRIBE = (
    _PREFIXES
    + """
SELECT ?text (MIN(STR(?s)) AS ?symbol) (MIN(STR(?t)) AS ?title)
       (SAMPLE(?isDraft) AS ?draft)
WHERE {
  OPTIONAL { ?text kg:symbol ?s }
  OPTIONAL { ?recommender kg:recommendsDraft ?text ; kg:symbol ?s }
  OPTIONAL { ?text kg:title ?t }
  BIND(EXISTS { ?text a kg:DraftResolution } AS ?isDraft)
}
GROUP BY ?text
"""
)


@dataclass(frozen=True, slots=True)
class TextInfo:
    """One side of a comparison: IRI, symbol and title when known, and whether a draft.

    A draft's symbol is that of the resolution recommending it.
    """

    iri: str
    symbol: str | None
    title: str | None
    draft: bool = False


@dataclass(frozen=True, slots=True)
class ChangeView:
    """The changes from ``earlier`` to ``later``, ready to render.

    ``stored`` is ``False`` when the two texts were aligned on request rather than read
    from the lineage graph. Each change carries its paragraphs' IRIs, parts, orders and
    texts, and for amended paragraphs the diff as ``DiffOp`` runs (equal/delete/insert).
    """

    earlier: TextInfo
    later: TextInfo
    changes: tuple[Change, ...]
    stored: bool = True

    @property
    def counts(self) -> dict[ChangeKind, int]:
        return summary(self.changes)


def changes_for(store: GraphStore, to_iri: str, from_iri: str | None = None) -> ChangeView | None:
    """The changes from ``from_iri`` (default: the previous resolution of the series) to ``to_iri``.

    Returns ``None`` when ``from_iri`` is not given and ``to_iri`` has no predecessor.

    Raises:
        NotFoundError: if either text has no paragraphs in the store.
        StoreError: if the store cannot be read.
    """
    if from_iri is None:
        from_iri = previous_in_series(store, to_iri)
        if from_iri is None:
            return None
    stored = _stored_changes(store, from_iri, to_iri)
    if stored:
        return ChangeView(_describe(store, from_iri), _describe(store, to_iri), stored)
    texts = read_paragraphs(store, {from_iri, to_iri})
    for iri in (from_iri, to_iri):
        if iri not in texts:
            raise NotFoundError("resolution with paragraphs", iri, "Give a resolution's IRI")
    changes = align(texts[from_iri], texts[to_iri])
    return ChangeView(_describe(store, from_iri), _describe(store, to_iri), changes, stored=False)


def comparisons_for(store: GraphStore, to_iri: str) -> tuple[ChangeView, ...]:
    """Every stored comparison whose later text is ``to_iri``: its predecessor, then drafts.

    Raises:
        StoreError: if the store cannot be read.
    """
    _, rows = store.select_rows(
        _COMPARED_WITH, substitutions={"to": NamedNode(to_iri)}, name="comparisons"
    )
    views = []
    for row in rows:
        earlier = _value(row.get("from"))
        changes = _stored_changes(store, earlier, to_iri)
        views.append(ChangeView(_describe(store, earlier), _describe(store, to_iri), changes))
    return tuple(views)


def previous_in_series(store: GraphStore, iri: str) -> str | None:
    """The resolution before ``iri`` in its series, or ``None``.

    Raises:
        StoreError: if the store cannot be read.
    """
    _, rows = store.select_rows(
        _PREVIOUS, substitutions={"to": NamedNode(iri)}, name="previous-in-series"
    )
    return min((_value(r.get("previous")) for r in rows), default=None)


def _stored_changes(store: GraphStore, from_iri: str, to_iri: str) -> tuple[Change, ...]:
    _, rows = store.select_rows(
        _STORED,
        substitutions={"from": NamedNode(from_iri), "to": NamedNode(to_iri)},
        name="changes",
    )
    return tuple(_change(row) for row in rows)


def _change(row: Mapping[str, Term]) -> Change:
    kind: ChangeKind = _kind(_value(row.get("kind")))
    earlier = _text(row, "ep", "eorder", "etext", "epart")
    later = _text(row, "lp", "lorder", "ltext", "lpart")
    side = later or earlier
    part: Part = side.part if side is not None else "operative"
    similarity = row.get("similarity")
    diff_text = row.get("diff")
    diff: tuple[DiffOp, ...] = ()
    if diff_text is not None:
        diff = parse_diff(_value(diff_text))
    elif kind == "carried-over" and later is not None:
        diff = (DiffOp("equal", later.text),)
    return Change(
        kind,
        part,
        earlier,
        later,
        float(_value(similarity)) if similarity is not None else None,
        diff,
    )


def _text(row: Mapping[str, Term], iri: str, order: str, text: str, part: str) -> Text | None:
    if row.get(iri) is None:
        return None
    part_value: Part = "preamble" if _value(row.get(part)) == "preamble" else "operative"
    return Text(
        _value(row.get(iri)), part_value, int(_value(row.get(order)) or 0), _value(row.get(text))
    )


def _kind(value: str) -> ChangeKind:
    for kind in CHANGE_KINDS:
        if value == kind:
            return kind
    raise ValueError(f"lineage graph: unknown change kind {value!r}. Rebuild the lineage graph")


def _describe(store: GraphStore, iri: str) -> TextInfo:
    _, rows = store.select_rows(
        _DESCRIBE, substitutions={"text": NamedNode(iri)}, name="describe-text"
    )
    row = rows[0] if rows else {}
    return TextInfo(
        iri,
        _value(row.get("symbol")) or None,
        _value(row.get("title")) or None,
        _value(row.get("draft")) == "true",
    )


def paragraph_label(text: Text) -> str:
    """A short label for a paragraph: ``PP4`` for a preambular one, ``OP3`` for an operative.

    >>> paragraph_label(Text("x", "operative", 3, "Commends …"))
    'OP3'
    """
    return ("PP" if text.part == "preamble" else "OP") + str(text.order)


def _value(term: Term | None) -> str:
    if isinstance(term, NamedNode | OxLiteral):
        return term.value
    return "" if term is None else str(term)


__all__ = [
    "ChangeView",
    "TextInfo",
    "changes_for",
    "comparisons_for",
    "paragraph_label",
    "previous_in_series",
]
