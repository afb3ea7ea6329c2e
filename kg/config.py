"""Settings of a kg installation, built by the CLI and passed explicitly (no module globals).

Each field has a default and a line of help, as datasette's settings do;
:func:`describe_settings` lists them for ``--help`` texts and the ``/-/versions`` page.

>>> Settings().query_timeout
5.0
>>> Settings(max_rows=10).max_rows
10
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from kg.ids import BASE_IRI


@dataclass(frozen=True, slots=True)
class Settings:
    """How kg reads, queries and publishes one dataset."""

    store: str | None = field(
        default=None,
        metadata={"help": "Store location: a directory, an http(s) SPARQL URL, or None (memory)"},
    )
    base_iri: str = field(
        default=BASE_IRI,
        metadata={"help": "Base IRI of the dataset, fixed when it is built (KG_BASE_IRI)"},
    )
    public_url: str | None = field(
        default=None,
        metadata={"help": "URL the server is reached at, for absolute links; None: from requests"},
    )
    query_timeout: float = field(
        default=5.0,
        metadata={"help": "Seconds a visitor's SPARQL query may run before it is stopped"},
    )
    max_rows: int = field(
        default=10_000,
        metadata={"help": "Most result rows (or triples) one query returns over HTTP"},
    )
    cors: bool = field(
        default=True,
        metadata={"help": "Allow GET from any origin on /sparql and /api (CORS)"},
    )
    dumps_dir: Path | None = field(
        default=None,
        metadata={"help": "Folder of dump files served under /dumps/"},
    )
    query_workers: int = field(
        default=2,
        metadata={"help": "Worker processes that run visitors' SPARQL queries in parallel"},
    )


def describe_settings() -> list[tuple[str, str, str]]:
    """``(name, default, help)`` for every setting, in declaration order."""
    return [(f.name, repr(f.default), str(f.metadata.get("help", ""))) for f in fields(Settings)]
