"""The ``#+`` header of a stored query file, read the way grlc reads it.

grlc (CLARIAH/grlc) takes every line starting with ``#+``, strips the leading
``#`` and ``+`` characters and parses the rest as YAML; it finds parameters in the
query text as variables ``?_name`` (required) or ``?__name`` (optional) with a
type suffix. This module does the same and checks the two against each other, so
a malformed header or an undeclared parameter is an error naming ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.errors import QueryError
from kg.query_pages import PageSpan, find_page_span

PARAM_TYPES = ("iri", "string", "integer", "date")
"""Parameter types; each has a grlc variable suffix (``_SUFFIX_TYPES``)."""

_SUFFIX_TYPES = {"": "string", "_iri": "iri", "_integer": "integer", "_xsd_date": "date"}
_HEADER_KEYS = {"summary", "description", "tags", "params"}
# grlc's own decorators (grlc README, "Decorator syntax"); kg honours `defaults`, `enumerate`
# and `pagination` and accepts the rest.
_GRLC_KEYS = {
    "defaults",
    "enumerate",
    "endpoint",
    "endpoint_in_url",
    "method",
    "pagination",
    "transform",
}
_PARAM_KEYS = {"name", "type", "default", "description", "example", "lookup"}
_PARAM_NAME = re.compile(r"^[A-Za-z0-9]+$")
_VARIABLE = re.compile(r"([?$])(__?)([A-Za-z0-9]+)((?:_[A-Za-z0-9]+)*)")
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QueryParam:
    """One parameter of a stored query, from its ``params`` entry and its variable.

    ``variable`` is the grlc variable without ``?`` (``__addressee_iri``);
    ``lookup`` the class IRIs whose members a name may denote, for ``iri``
    parameters that also accept a name; ``enum`` the allowed values, if any.
    """

    name: str
    type: str
    default: str | None
    description: str
    example: str | None
    required: bool
    variable: str
    lookup: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredQuery:
    """A query file: its name (the file stem), header and SPARQL text.

    ``page`` locates the page sub-SELECT of a query with ``#+ pagination: N``
    (see :mod:`kg.query_pages`); it is ``None`` for a query that is not paged.
    """

    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[QueryParam, ...]
    sparql: str
    page: PageSpan | None = None

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


def load_query(path: Path) -> StoredQuery:
    """Read one ``.rq`` file and check its header against its SPARQL.

    Raises:
        QueryError: naming ``file:line`` for a malformed header, an unknown or
            undeclared parameter, or a parameter variable of the wrong type.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(str(path), f"cannot read the query file: {e}") from e
    lines = text.splitlines()
    header_lines = _header_lines(path, lines)
    if not header_lines:
        raise QueryError(f"{path}:1", "no `#+` header", "Start the file with `#+ summary: …`")
    yaml_text = "\n".join(lines[i - 1].lstrip("#+") for i in header_lines)
    header = _Header(path, header_lines, yaml_text)
    entries = header.top_level()
    summary = header.string(entries, "summary", required=True) or ""
    params = _declared_params(header, entries, text)
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=summary,
        description=header.string(entries, "description") or "",
        tags=header.strings(entries, "tags"),
        params=params,
        sparql=text,
        page=_page(header, entries, text),
    )


def _page(header: _Header, entries: dict[str, yaml.Node], sparql: str) -> PageSpan | None:
    """Where a query with ``#+ pagination: N`` selects its page (grlc's decorator)."""
    node = entries.get("pagination")
    if node is None:
        return None
    value = header.scalar(node, "`pagination`") or ""
    if not re.fullmatch(r"[1-9][0-9]*", value):
        raise header.error(node, f"`pagination` must be a whole number above 0, not {value!r}")
    try:
        return find_page_span(sparql, int(value))
    except ValueError as e:
        line, _, detail = str(e).partition(": ")
        hint = "End the sub-SELECT that picks the page's keys with that LIMIT"
        raise QueryError(f"{header.path}:{line}", detail, hint) from e


def _header_lines(path: Path, lines: list[str]) -> list[int]:
    """1-based numbers of the ``#+`` lines; they must all precede the query."""
    numbers: list[int] = []
    query_started = False
    for number, line in enumerate(lines, start=1):
        if line.startswith("#+"):
            if query_started:
                raise QueryError(
                    f"{path}:{number}",
                    "`#+` decorator after the query has started",
                    "Move every `#+` line to the top of the file",
                )
            numbers.append(number)
        elif line.strip() and not line.lstrip().startswith("#"):
            query_started = True
    return numbers


class _Header:
    """The YAML of a header, read with the file line of every node at hand."""

    def __init__(self, path: Path, header_lines: list[int], yaml_text: str) -> None:
        self.path = path
        self.header_lines = header_lines
        try:
            self.root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            where = self.where(mark.line if mark else 0)
            raise QueryError(
                where,
                f"malformed `#+` header: {e.problem or e}",
                "The header is YAML: quote a value that contains ': ' or starts with '['",
            ) from e
        except yaml.YAMLError as e:
            raise QueryError(self.where(0), f"malformed `#+` header: {e}") from e

    def where(self, yaml_line: int) -> str:
        index = min(max(yaml_line, 0), len(self.header_lines) - 1)
        return f"{self.path}:{self.header_lines[index]}"

    def error(self, node: yaml.Node | None, what: str, hint: str | None = None) -> QueryError:
        return QueryError(self.where(node.start_mark.line if node else 0), what, hint)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping of `key: value` lines")
        entries: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.error(key, f"{what} has a key that is not a word")
            if key.value in entries:
                raise self.error(key, f"{what} repeats the key {key.value!r}")
            entries[key.value] = value
        return entries

    def top_level(self) -> dict[str, yaml.Node]:
        if self.root is None:
            raise self.error(None, "empty `#+` header", "Give at least `#+ summary: …`")
        entries = self.mapping(self.root, "the header")
        for key, value in self.root.value:
            if key.value not in _HEADER_KEYS | _GRLC_KEYS:
                known = ", ".join(sorted(_HEADER_KEYS | _GRLC_KEYS))
                raise self.error(key, f"unknown header key {key.value!r}", f"Use one of {known}")
            if value is None:
                raise self.error(key, f"header key {key.value!r} has no value")
        return entries

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, f"{what} must be a single value")
        if node.tag == "tag:yaml.org,2002:null":
            return None
        return str(node.value)

    def string(self, entries: dict[str, yaml.Node], key: str, required: bool = False) -> str | None:
        node = entries.get(key)
        value = None if node is None else self.scalar(node, f"`{key}`")
        if required and not (value and value.strip()):
            raise self.error(node, f"the header has no `{key}`", f"Add `#+ {key}: …`")
        return value.strip() if value else value

    def strings(self, entries: dict[str, yaml.Node], key: str) -> tuple[str, ...]:
        node = entries.get(key)
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"`{key}` must be a list of `- value` lines")
        return tuple(self.scalar(item, f"an item of `{key}`") or "" for item in node.value)

    def per_param(
        self, entries: dict[str, yaml.Node], key: str
    ) -> dict[str, tuple[yaml.Node, Any]]:
        """grlc's ``defaults``/``enumerate``: a list of one-key mappings ``- name: value``."""
        node = entries.get(key)
        found: dict[str, tuple[yaml.Node, Any]] = {}
        if node is None:
            return found
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"`{key}` must be a list of `- name: value` lines")
        for item in node.value:
            for name, value in self.mapping(item, f"an item of `{key}`").items():
                if isinstance(value, yaml.SequenceNode):
                    found[name] = (item, tuple(self.scalar(v, key) or "" for v in value.value))
                else:
                    found[name] = (item, self.scalar(value, f"`{key}` of {name}"))
        return found


def _declared_params(
    header: _Header, entries: dict[str, yaml.Node], sparql: str
) -> tuple[QueryParam, ...]:
    variables = _parameter_variables(header.path, sparql)
    defaults = header.per_param(entries, "defaults")
    enums = header.per_param(entries, "enumerate")
    declared: list[QueryParam] = []
    params_node = entries.get("params")
    items = [] if params_node is None else params_node.value
    if params_node is not None and not isinstance(params_node, yaml.SequenceNode):
        raise header.error(params_node, "`params` must be a list of `- name: …` entries")
    for item in items:
        fields = header.mapping(item, "a `params` entry")
        for key, value in fields.items():
            if key not in _PARAM_KEYS:
                known = ", ".join(sorted(_PARAM_KEYS))
                raise header.error(
                    value, f"unknown field {key!r} in a `params` entry", f"Use {known}"
                )
        values = {
            key: header.scalar(value, f"`{key}`")
            for key, value in fields.items()
            if key != "lookup"
        }
        name, kind = values.get("name"), values.get("type")
        if not name or not _PARAM_NAME.match(name):
            raise header.error(item, f"parameter name {name!r} is not a word of letters and digits")
        if kind not in PARAM_TYPES:
            raise header.error(item, f"parameter {name!r} has type {kind!r}", f"Use {PARAM_TYPES}")
        if any(p.name == name for p in declared):
            raise header.error(item, f"parameter {name!r} is declared twice")
        found = variables.pop(name, None)
        if found is None:
            raise header.error(
                item,
                f"parameter {name!r} does not occur in the query",
                f"Use ?_{name} (required) or ?__{name} (optional), with its type suffix",
            )
        variable, line = found
        suffix = variable.lstrip("_")[len(name) :]
        if _SUFFIX_TYPES.get(suffix) != kind:
            raise QueryError(
                f"{header.path}:{line}",
                f"variable ?{variable} does not match the declared type {kind!r} of {name!r}",
                f"Write ?_{name}{_suffix_for(kind)} (or ?__ for an optional parameter)",
            )
        if f"${variable}" not in sparql:
            raise QueryError(
                f"{header.path}:{line}",
                f"parameter variable ?{variable} is not in the SELECT clause",
                f"Add ${variable} to the SELECT clause (oxigraph substitutes projected variables)",
            )
        default = values.get("default")
        if name in defaults:
            grlc_default = defaults.pop(name)[1]
            if default is not None and str(grlc_default) != default:
                raise header.error(item, f"`defaults` and `params` disagree on {name!r}")
            default = None if grlc_default is None else str(grlc_default)
        enum: tuple[str, ...] = ()
        if name in enums:
            listed = enums.pop(name)[1]
            enum = listed if isinstance(listed, tuple) else ()
        lookup = _lookup_classes(header, fields.get("lookup"), kind, name, sparql)
        declared.append(
            QueryParam(
                name=name,
                type=kind,
                default=default,
                description=(values.get("description") or "").strip(),
                example=values.get("example"),
                required=not variable.startswith("__"),
                variable=variable,
                lookup=lookup,
                enum=enum,
            )
        )
    for name, (variable, line) in variables.items():
        raise QueryError(
            f"{header.path}:{line}",
            f"unknown parameter {name!r}: ?{variable} has no `params` entry",
            "Declare it under `#+ params:` or rename the variable so it does not start with '_'",
        )
    for stray in (defaults, enums):
        for name, (node, _) in stray.items():
            raise header.error(node, f"unknown parameter {name!r} in a grlc decorator")
    return tuple(declared)


def _parameter_variables(path: Path, sparql: str) -> dict[str, tuple[str, int]]:
    """grlc parameter variables of the query body: name → (variable, first line)."""
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(sparql.splitlines(), start=1):
        if line.startswith("#+"):
            continue
        for match in _VARIABLE.finditer(line):
            variable = match.group(2) + match.group(3) + match.group(4)
            name = match.group(3)
            if name in found and found[name][0] != variable:
                raise QueryError(
                    f"{path}:{number}",
                    f"parameter {name!r} is written ?{variable} here and ?{found[name][0]} before",
                    "Write every occurrence of a parameter variable the same way",
                )
            found.setdefault(name, (variable, number))
    return found


def _suffix_for(kind: str) -> str:
    return next(suffix for suffix, k in _SUFFIX_TYPES.items() if k == kind)


def _lookup_classes(
    header: _Header, node: yaml.Node | None, kind: str | None, name: str, sparql: str
) -> tuple[str, ...]:
    """The ``lookup`` classes of a parameter: one or a list of ``prefix:Local`` or ``<IRI>``."""
    if node is None:
        return ()
    if kind != "iri":
        raise header.error(node, f"`lookup` needs an iri parameter, and {name!r} is {kind}")
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return tuple(
        _expand(header, item, header.scalar(item, "`lookup`") or "", sparql) for item in items
    )


def _expand(header: _Header, node: yaml.Node, value: str, sparql: str) -> str:
    """A class written ``prefix:Local`` (a PREFIX of the query) or ``<IRI>``, as an IRI."""
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, _, local = value.partition(":")
    for match in _PREFIX.finditer(sparql):
        if (match.group(1) or "") == prefix:
            return match.group(2) + local
    raise header.error(node, f"`lookup` {value!r} uses a prefix the query does not declare")


__all__ = ["PARAM_TYPES", "QueryParam", "StoredQuery", "load_query"]
