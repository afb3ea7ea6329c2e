"""Helpers for the stored-query tests: the hand-written sample dataset and query files."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from kg.statistics import write_statistics
from kg.store import EmbeddedGraphStore, GraphStore, open_store

SAMPLE = Path(__file__).parent / "data" / "queries-sample.trig"
BASE = "https://w3id.org/kg-un/"
ANONYMOUS = BASE + "resolution/text/0123456789abcdef"


def sample_store() -> GraphStore:
    """An in-memory store holding ``tests/data/queries-sample.trig``, one graph per document,
    and the statistics graph a build would compute from it."""
    store = open_store(None)
    assert isinstance(store, EmbeddedGraphStore)
    store.oxigraph.load(path=SAMPLE, format=RdfFormat.TRIG)
    write_statistics(store, BASE)
    return store


def short(rows: list[tuple[str | None, ...]]) -> list[tuple[str | None, ...]]:
    """Rows with the dataset base cut from IRIs, so expected rows stay readable."""
    return [tuple(v.removeprefix(BASE) if v else v for v in row) for row in rows]


def write_query(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path
