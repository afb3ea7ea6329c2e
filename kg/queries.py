"""Stored SPARQL queries: ``queries/*.rq`` with a grlc-style ``#+`` header.

Each file is one query named by its stem. Its header is YAML in ``#+`` comment
lines, as grlc reads it (``summary``, ``description``, ``tags``, ``defaults``,
``enumerate`` …) plus ``params``, kg's description of each parameter. A parameter
is a grlc variable in the query (``?_name`` required, ``?__name`` optional, with a
type suffix: ``_iri``, ``_integer``, ``_xsd_date``, none for a string). Values are
bound as RDF terms through pyoxigraph's ``substitutions`` (SEP-0007), never pasted
into the query text. Oxigraph substitutes projected variables only, so each
parameter variable is also in the SELECT clause, written ``$name`` there, which
grlc's textual rewriting leaves alone; kg drops those echo columns from results.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import NotFoundError, QueryError
from kg.query_header import PARAM_TYPES, QueryParam, StoredQuery, load_query
from kg.query_pages import all_rows_query, key_query, key_variables, page_query
from kg.resources import queries_dir
from kg.store import GraphStore

FORMATS = ("table", "csv", "tsv", "json")
"""Result formats of :func:`format_result`."""

LOOKUP_QUERY = "lookup"
"""The stored query that turns a name into IRIs for ``lookup`` parameters."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_SYNTAX_AT = re.compile(r"error at (\d+):(\d+): ")
# xsd:date, spelled through pyoxigraph's own xsd:integer so no namespace is typed here.
_XSD_DATE = ox.NamedNode(ox.Literal(0).datatype.value.removesuffix("integer") + "date")
_CELL_WIDTH = 60


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The rows of a SELECT (or the answer of an ASK) with their SPARQL JSON form.

    ``rows`` hold pyoxigraph terms (``None`` for unbound); ``notes`` say how a
    parameter was understood when that could surprise (a name that named nothing).
    For a paged query, ``page`` is the page these rows are, and ``next_page`` the
    following one, ``None`` on the last page.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    json: bytes
    boolean: bool | None = None
    notes: tuple[str, ...] = ()
    page: int | None = None
    next_page: int | None = None

    def values(self) -> list[tuple[str | None, ...]]:
        """The rows as plain strings: IRIs and lexical forms, ``None`` for unbound."""
        return [tuple(_text(term) for term in row) for row in self.rows]


# ---------------------------------------------------------------- loading


def list_queries(directory: Path | None = None) -> tuple[StoredQuery, ...]:
    """All stored queries of ``directory`` (default: the bundled ``queries/``), by name.

    Raises:
        QueryError: if a file's header is malformed or names an unknown parameter.
    """
    folder = directory or queries_dir()
    return tuple(
        _load_cached(path, path.stat().st_mtime_ns) for path in sorted(folder.glob("*.rq"))
    )


def get_query(name: str, directory: Path | None = None) -> StoredQuery:
    """The stored query called ``name``.

    Raises:
        NotFoundError: if there is no ``name.rq``.
        QueryError: if the file is malformed.
    """
    path = (directory or queries_dir()) / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        raise NotFoundError("stored query", name, "Run `kg queries` to list them")
    return _load_cached(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _load_cached(path: Path, mtime_ns: int) -> StoredQuery:
    return load_query(path)


# ---------------------------------------------------------------- running


def run_query(
    store: GraphStore,
    name: str,
    params: Mapping[str, str] | None = None,
    directory: Path | None = None,
    page: int | None = 1,
) -> QueryResult:
    """Run the stored query ``name`` with ``params`` (parameter name → value as text).

    A query with ``#+ pagination: N`` gives the rows of N keys (resolutions, for
    most) per page: ``page`` 1 by default, ``None`` for every row at once. Other
    queries ignore ``page``.

    Raises:
        NotFoundError: if there is no such stored query.
        QueryError: for an unknown or missing parameter, a value that is not of
            the parameter's type, a name that denotes several resources, a page
            below 1, or SPARQL the store rejects.
    """
    query = get_query(name, directory)
    substitutions, notes = bind_params(store, query, params or {}, directory)
    hidden = {p.variable for p in query.params}
    where = str(query.path)
    if query.page is None:
        return _execute(store, query.sparql, substitutions, where, hidden, notes)
    if page is None:
        sparql = all_rows_query(query.sparql, query.page)
        return _execute(store, sparql, substitutions, where, hidden, notes)
    if page < 1:
        raise QueryError(f"{name}: page", f"{page} is not a page number", "Pages start at 1")
    return _run_page(store, query, page, substitutions, hidden, notes)


def _run_page(
    store: GraphStore,
    query: StoredQuery,
    page: int,
    substitutions: dict[str, Any],
    hidden: set[str],
    notes: tuple[str, ...],
) -> QueryResult:
    """One page: its keys from the page sub-SELECT, then the details of those keys."""
    span, where = query.page, str(query.path)
    assert span is not None
    used = key_variables(query.sparql, span)
    in_keys = {k: v for k, v in substitutions.items() if k in used}
    keys = _execute(store, key_query(query.sparql, span, page), in_keys, where, hidden, ())
    try:
        sparql = page_query(query.sparql, span, keys.variables, keys.rows[: span.size])
    except ValueError as e:
        raise QueryError(where, str(e)) from e
    result = _execute(store, sparql, substitutions, where, hidden, notes)
    following = page + 1 if len(keys.rows) > span.size else None
    return dataclasses.replace(result, page=page, next_page=following)


def run_sparql(store: GraphStore, sparql: str) -> QueryResult:
    """Run an ad-hoc SELECT or ASK query.

    Raises:
        QueryError: if the query is not valid SPARQL or is not a SELECT or ASK.
    """
    return _execute(store, sparql, {}, "query", set(), ())


def bind_params(
    store: GraphStore,
    query: StoredQuery,
    params: Mapping[str, str],
    directory: Path | None = None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Typed RDF terms for the given values (and defaults), keyed by query variable.

    Raises:
        QueryError: as :func:`run_query` does for parameters.
    """
    names = [p.name for p in query.params]
    for key in params:
        if key not in names:
            hint = f"Parameters of {query.name}: {', '.join(names)}" if names else None
            raise QueryError(query.name, f"unknown parameter {key!r}", hint or "It takes none")
    substitutions: dict[str, Any] = {}
    notes: list[str] = []
    for param in query.params:
        value = params.get(param.name) or param.default
        if not value:
            if param.required:
                example = f" (e.g. -p {param.name}={param.example})" if param.example else ""
                raise QueryError(query.name, f"parameter {param.name!r} is required{example}")
            continue
        if param.enum and value not in param.enum:
            allowed = ", ".join(param.enum)
            raise QueryError(query.name, f"{param.name}: {value!r} is not one of {allowed}")
        term, note = _term(store, query, param, value, directory)
        substitutions[param.variable] = term
        if note:
            notes.append(note)
    return substitutions, tuple(notes)


def _term(
    store: GraphStore, query: StoredQuery, param: QueryParam, value: str, directory: Path | None
) -> tuple[Any, str | None]:
    where = f"{query.name}: {param.name}"
    if param.type == "string":
        return ox.Literal(value), None
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value.strip()):
            raise QueryError(where, f"{value!r} is not an integer", "Give digits, e.g. 59")
        return ox.Literal(int(value)), None
    if param.type == "date":
        try:
            datetime.date.fromisoformat(value.strip())
        except ValueError as e:
            raise QueryError(where, f"{value!r} is not a date", "Write YYYY-MM-DD") from e
        return ox.Literal(value.strip(), datatype=_XSD_DATE), None
    if _ABSOLUTE_IRI.match(value):
        try:
            return ox.NamedNode(value), None
        except ValueError as e:
            raise QueryError(where, f"{value!r} is not a valid IRI: {e}") from e
    if not param.lookup:
        raise QueryError(where, f"{value!r} is not an absolute IRI", "Give e.g. https://…")
    return _look_up(store, where, param.lookup, value, directory)


def _look_up(
    store: GraphStore, where: str, classes: tuple[str, ...], value: str, directory: Path | None
) -> tuple[Any, str | None]:
    """Resolve a name through the ``lookup`` query; a name that names nothing matches nothing."""
    iris: set[str] = set()
    for class_iri in classes:
        found = run_query(store, LOOKUP_QUERY, {"name": value, "class": class_iri}, directory)
        index = found.variables.index("resource")
        iris.update(row[index].value for row in found.rows if row[index] is not None)
    if len(iris) > 1:
        listed = ", ".join(sorted(iris))
        raise QueryError(where, f"{value!r} names several resources: {listed}", "Give one IRI")
    if iris:
        return ox.NamedNode(iris.pop()), None
    # Bound as the string it is, the value cannot equal any IRI: the query returns no rows.
    return ox.Literal(value), f"{where}: nothing in the store is named {value!r}"


def _execute(
    store: GraphStore,
    sparql: str,
    substitutions: dict[str, Any],
    where: str,
    hidden: set[str],
    notes: tuple[str, ...],
) -> QueryResult:
    try:
        answer = store.query(sparql, substitutions=substitutions or None, name=where)
    except QueryError as e:
        # The store reports oxigraph's "error at LINE:COLUMN"; point at the file instead.
        match = _SYNTAX_AT.search(e.detail)
        if match is None or where == "query":
            raise
        at = f"{where}:{match.group(1)}:{match.group(2)}"
        raise QueryError(at, f"invalid SPARQL: {_SYNTAX_AT.sub('', e.detail)}") from e
    except RuntimeError as e:
        # Oxigraph refuses to substitute a variable that is not projected.
        raise QueryError(where, f"the store cannot run the query: {e}") from e
    if isinstance(answer, ox.QueryBoolean):
        data = json.dumps({"head": {}, "boolean": bool(answer)}).encode()
        return QueryResult((), (), data, boolean=bool(answer), notes=notes)
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError(where, "only SELECT and ASK queries give rows", "Use /sparql")
    data = answer.serialize(format=ox.QueryResultsFormat.JSON) or b""
    if hidden:
        data = _drop_variables(data, hidden)
    solutions = _solutions(data)
    variables = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(solution[v] for v in variables) for solution in solutions)
    return QueryResult(variables, rows, data, notes=notes)


def _drop_variables(data: bytes, hidden: set[str]) -> bytes:
    """SPARQL JSON results without the parameter echo columns."""
    document = json.loads(data)
    document["head"]["vars"] = [v for v in document["head"]["vars"] if v not in hidden]
    for binding in document["results"]["bindings"]:
        for variable in hidden & binding.keys():
            del binding[variable]
    return json.dumps(document, ensure_ascii=False).encode()


# ---------------------------------------------------------------- formatting


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned text ``table``, ``csv``, ``tsv`` or ``json``.

    csv, tsv and json are the SPARQL 1.1 result formats, written by pyoxigraph.

    Raises:
        QueryError: for an unknown format.
    """
    if fmt not in FORMATS:
        raise QueryError("format", f"unknown format {fmt!r}", f"Use one of {', '.join(FORMATS)}")
    if fmt == "json":
        return result.json.decode()
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    if fmt == "table":
        return _table(result)
    kind = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.TSV
    return (_solutions(result.json).serialize(format=kind) or b"").decode()


def _solutions(data: bytes) -> ox.QuerySolutions:
    solutions = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)  # the JSON was written from solutions
    return solutions


def _table(result: QueryResult) -> str:
    header = list(result.variables)
    # Literals (titles, texts) are clipped to keep rows on one line; IRIs never are.
    cells = [[_cell(term) for term in row] for row in result.rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    count = len(cells)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _cell(term: Any) -> str:
    text = " ".join((_text(term) or "").split())
    if isinstance(term, ox.Literal) and len(text) > _CELL_WIDTH:
        return text[: _CELL_WIDTH - 1] + "…"
    return text


def _text(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return str(term.value)


__all__ = [
    "FORMATS",
    "LOOKUP_QUERY",
    "PARAM_TYPES",
    "QueryParam",
    "QueryResult",
    "StoredQuery",
    "bind_params",
    "format_result",
    "get_query",
    "list_queries",
    "load_query",
    "run_query",
    "run_sparql",
]
