"""kg: a linked-data publisher for United Nations resolutions.

The public API. Names are imported on first use, so ``import kg`` stays cheap for
the parser and the command line (pyshacl and the web stack load only when needed).

>>> import kg
>>> kg.parse_file  # doctest: +ELLIPSIS
<function parse_file at ...>
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "parse_resolution": "kg.parse",
    "parse_file": "kg.parse",
    "parse_paths": "kg.parse",
    "Resolution": "kg.model",
    "to_json": "kg.model",
    "to_graph": "kg.mapping",
    "validate_graph": "kg.validate",
    "assert_conforms": "kg.validate",
    "ingest": "kg.pipeline",
    "build": "kg.pipeline",
    "open_store": "kg.store",
    "list_queries": "kg.queries",
    "run_query": "kg.queries",
    "run_sparql": "kg.queries",
    "write_dumps": "kg.dumps",
    "build_links_graph": "kg.linkgraph",
    "write_lineage": "kg.lineage",
    "changes_for": "kg.changes",
    "KgError": "kg.errors",
    "ParseError": "kg.errors",
    "MappingError": "kg.errors",
    "ValidationError": "kg.errors",
    "NotFoundError": "kg.errors",
    "QueryError": "kg.errors",
    "StoreError": "kg.errors",
    "LinkError": "kg.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
