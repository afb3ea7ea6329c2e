"""Drafts and adoptions in the store: the store-side half of :mod:`kg.drafts`.

A build indexes the drafts already stored (:func:`stored_drafts`) so that a resolution
mapped now can be linked to the draft it adopts as it is loaded; once the build's own
documents are in, :func:`link_adoptions` links the resolutions stored *before* a draft that
they adopt, so the order in which files are built never matters.
"""

from __future__ import annotations

from kg.drafts import DraftIndex, DraftText
from kg.mapping import adoption_graph
from kg.store import GraphStore, Term
from kg.vocab import KG


def adoption_ntriples(resolution: str, draft: str) -> str:
    """The adoption triples (:func:`kg.mapping.adoption_graph`) as N-Triples text."""
    data: str = adoption_graph(resolution, draft).serialize(format="nt")
    return data


_DRAFTS = f"""PREFIX kg: <{KG._NS}>
SELECT ?draft ?fingerprint ?to WHERE {{
  ?recommender kg:recommendsDraft ?draft .
  ?draft kg:textFingerprint ?fingerprint .
  OPTIONAL {{ ?recommender kg:recommendedTo ?to }}
}}"""

_UNADOPTED = f"""PREFIX kg: <{KG._NS}>
SELECT ?text ?fingerprint ?body WHERE {{
  GRAPH ?text {{ ?text a kg:Resolution ; kg:textFingerprint ?fingerprint }}
  OPTIONAL {{ ?text kg:adoptedBy ?body }}
  FILTER NOT EXISTS {{ ?text kg:adoptsDraft ?any }}
  FILTER NOT EXISTS {{ ?text kg:recommendsDraft ?own }}
}}"""


def _value(term: Term) -> str:
    return str(getattr(term, "value", term))


def stored_drafts(store: GraphStore) -> DraftIndex:
    """The drafts already in the store, so a resolution built now can adopt one of them.

    Raises:
        StoreError: if the store cannot be read.
    """
    index = DraftIndex()
    _, rows = store.select_rows(_DRAFTS, name="drafts")
    for row in rows:
        to = row.get("to")
        index.add(
            DraftText(
                _value(row["draft"]),
                _value(row["fingerprint"]),
                _value(to) if to is not None else None,
            )
        )
    return index


def link_adoptions(store: GraphStore, drafts: DraftIndex) -> int:
    """State adoptions of ``drafts`` by resolutions already stored; returns how many.

    A resolution built before the draft that it adopts (earlier in the same build, or in an
    earlier one) gets the two adoption triples added to its own graph.

    Raises:
        StoreError: if the store cannot be read or written.
    """
    if not len(drafts):
        return 0
    _, rows = store.select_rows(_UNADOPTED, name="adoptions")
    graphs: dict[str, str] = {}
    for row in rows:
        text, body = _value(row["text"]), row.get("body")
        adoption = drafts.adopted_draft(
            text, _value(row["fingerprint"]), _value(body) if body is not None else None
        )
        if adoption is not None:
            current = store.graph_ntriples(text).decode("utf-8")
            graphs[text] = current + adoption_ntriples(text, adoption.draft)
    if graphs:
        store.replace_graphs(graphs)
    return len(graphs)


__all__ = ["adoption_ntriples", "link_adoptions", "stored_drafts"]
