"""The exception hierarchy of kg.

Every failure a user can cause is one of these; anything else is a bug and keeps
its traceback. ``str(error)`` is the one-line, user-facing message in the form
``where: what. how to fix.``::

    KgError(message, hint=None)
    ├── ParseError(source, line, column, reason, hint)   text that is not a resolution
    ├── MappingError(symbol, field, reason)              model that cannot become RDF
    ├── ValidationError(report)                          graph that breaks a SHACL shape
    ├── NotFoundError(kind, key)                         unknown resource, query or file
    ├── QueryError(name, detail)                         bad SPARQL or parameter value
    ├── StoreError(location, detail)                     store cannot be opened or written
    └── LinkError(target, detail)                        external dataset unreachable
"""

from __future__ import annotations

from typing import Any


class KgError(Exception):
    """Base class: a failure with a message a user can act on."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}. {self.hint}"
        return self.message


class ParseError(KgError):
    """A text could not be read as a resolution.

    ``line`` and ``column`` are 1-based and refer to the original file; they are
    ``None`` when the problem concerns the whole file (empty, binary, too large).
    """

    def __init__(
        self,
        source: str,
        reason: str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.column = column
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}", hint)


class MappingError(KgError):
    """A parsed document cannot be expressed in the ontology."""

    def __init__(self, symbol: str | None, field: str, reason: str) -> None:
        self.symbol = symbol
        self.field = field
        self.reason = reason
        super().__init__(f"{symbol or 'document without symbol'}: {field}: {reason}")


class ValidationError(KgError):
    """A graph does not conform to the SHACL shapes; ``report`` holds the details."""

    def __init__(self, report: Any, source: str | None = None) -> None:
        self.report = report
        self.source = source
        count = len(getattr(report, "violations", ()))
        where = source or "graph"
        super().__init__(
            f"{where}: does not conform to the shapes ({count} violation(s))",
            "Run `kg validate` on the file for the full report",
        )


class NotFoundError(KgError):
    """Something asked for by name or IRI does not exist."""

    def __init__(self, kind: str, key: str, hint: str | None = None) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} not found: {key}", hint)


class QueryError(KgError):
    """A SPARQL query or one of its parameters is not acceptable."""

    def __init__(self, name: str, detail: str, hint: str | None = None) -> None:
        self.name = name
        self.detail = detail
        super().__init__(f"{name}: {detail}", hint)


class StoreError(KgError):
    """The store cannot be opened, read or written."""

    def __init__(self, location: str, detail: str, hint: str | None = None) -> None:
        self.location = location
        self.detail = detail
        super().__init__(f"{location}: {detail}", hint)


class LinkError(KgError):
    """An external dataset could not be reached or answered badly."""

    def __init__(self, target: str, detail: str, hint: str | None = None) -> None:
        self.target = target
        self.detail = detail
        super().__init__(f"{target}: {detail}", hint)
