"""What a build reads back from the store: drafts and adoptions, and each file's graphs.

This is the store-side half of :mod:`kg.drafts`. A build indexes the drafts already stored
(:func:`stored_drafts`) so that a resolution mapped now can be linked to the draft it adopts
as it is loaded; once the build's own
documents are in, :func:`link_adoptions` revisits the stored resolutions that a new draft
could concern, so that each ends up with the draft it shares most paragraphs with, whatever
the order in which the files were built. :func:`graphs_by_file` tells the build which graph
an earlier build made from each file, so a document whose IRI changed leaves no stale graph.
"""

from __future__ import annotations

from kg.drafts import DraftIndex, DraftText
from kg.sinks import NTriplesSink
from kg.store import GraphStore, Term
from kg.vocab import KG, PROV


def adoption_ntriples(resolution: str, draft: str) -> str:
    """The adoption triples (:func:`kg.mapping.adoption_graph`) as N-Triples text."""
    sink = NTriplesSink()
    sink.link(resolution, str(KG.adoptsDraft), draft)
    sink.link(draft, str(KG.adoptedIn), resolution)
    return sink.ntriples()


_DRAFTS = f"""PREFIX kg: <{KG._NS}>
SELECT ?draft ?fingerprint ?to WHERE {{
  ?recommender kg:recommendsDraft ?draft .
  ?draft kg:textFingerprint ?fingerprint .
  OPTIONAL {{ ?recommender kg:recommendedTo ?to }}
}}"""

_ADOPTERS = f"""PREFIX kg: <{KG._NS}>
SELECT ?text ?fingerprint ?body ?adopted WHERE {{
  # Inside the text's own graph: the union repeats what citing graphs say of it.
  GRAPH ?text {{
    ?text kg:textFingerprint ?fingerprint .
    OPTIONAL {{ ?text kg:adoptedBy ?body }}
    OPTIONAL {{ ?text kg:adoptsDraft ?adopted }}
    FILTER NOT EXISTS {{ ?text kg:recommendsDraft ?own }}
    FILTER EXISTS {{ ?text a kg:Resolution }}
  }}
}}"""
_ADOPTION_PREDICATES = (f"> <{KG.adoptsDraft}> <", f"> <{KG.adoptedIn}> <")


_SOURCES = f"""PREFIX kg: <{KG._NS}>
PREFIX prov: <{PROV}>
SELECT ?graph ?file WHERE {{
  GRAPH ?graph {{ ?graph prov:wasDerivedFrom ?source . ?source kg:sourceFile ?file }}
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


def graphs_by_file(store: GraphStore) -> dict[str, set[str]]:
    """The document graphs in the store by the name of the file each was built from.

    Raises:
        StoreError: if the store cannot be read.
    """
    found: dict[str, set[str]] = {}
    _, rows = store.select_rows(_SOURCES, name="sources")
    for row in rows:
        found.setdefault(_value(row["file"]), set()).add(_value(row["graph"]))
    return found


def link_adoptions(store: GraphStore, drafts: DraftIndex, new: DraftIndex) -> int:
    """Give stored resolutions the draft they adopt best, now that ``new`` drafts are in.

    ``drafts`` holds every draft known (stored and new). A resolution built before the
    draft that it adopts (earlier in the same build, or in an earlier build), or linked
    then to a draft it shares fewer paragraphs with, gets its adoption triples rewritten
    in its own graph. Returns the number of triples this added (net).

    Raises:
        StoreError: if the store cannot be read or written.
    """
    if not len(new):
        return 0
    _, rows = store.select_rows(_ADOPTERS, name="adoptions")
    graphs: dict[str, str] = {}
    added = 0
    for row in rows:
        text, fingerprint = _value(row["text"]), _value(row["fingerprint"])
        body = _value(row["body"]) if "body" in row else None
        if new.adopted_draft(text, fingerprint, body) is None:
            continue  # no new draft could change what it adopts
        best = drafts.adopted_draft(text, fingerprint, body)
        current = _value(row["adopted"]) if "adopted" in row else None
        if best is None or best.draft == current:
            continue
        lines = store.graph_ntriples(text).decode("utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not any(p in line for p in _ADOPTION_PREDICATES)]
        graphs[text] = "".join(kept) + adoption_ntriples(text, best.draft)
        added += 2 - (len(lines) - len(kept))
    if graphs:
        store.replace_graphs(graphs)
    return added


__all__ = ["adoption_ntriples", "graphs_by_file", "link_adoptions", "stored_drafts"]
