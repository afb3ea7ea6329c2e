"""Pages of a stored query: where its page sub-SELECT is, and the two queries of one page.

A query whose header says ``#+ pagination: N`` holds one sub-SELECT that ends with
``LIMIT N``: it selects the page's keys (resolutions, for most queries) in order, and the
query joins their details. grlc pages by appending LIMIT and OFFSET to the whole query,
which makes a store evaluate and sort every row before it can cut the page; kg pages the
keys instead (issue 7):

1. the key query, the sub-SELECT alone with ``LIMIT N+1 OFFSET (page-1)·N``, gives the
   page's keys and tells whether another page follows;
2. the page query is the stored query with that sub-SELECT replaced by a ``VALUES``
   block of those keys, so only their details are read.

Run by another tool, the file as written gives the first page. The text is scanned, not
parsed: strings, IRIs and comments are skipped so that a brace or a ``LIMIT`` inside
them does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LIMIT = re.compile(r"LIMIT\s+([0-9]+)", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_]+)")
_LEADING_COMMENTS = re.compile(r"\A(?:\s|#[^\n]*)*")


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Offsets in a query's text: the page sub-SELECT's braces and its ``LIMIT`` clause."""

    size: int
    prologue_end: int
    group_start: int
    group_end: int
    limit_start: int
    limit_end: int


def find_page_span(sparql: str, size: int) -> PageSpan:
    """Locate the sub-SELECT ending with ``LIMIT size``.

    Raises:
        ValueError: naming the 1-based line, when there is not exactly one such
            clause or it is not the end of a ``{ SELECT … }`` group.
    """
    opened: list[int] = []
    groups: dict[int, int] = {}
    limits: list[tuple[int, int, int | None]] = []
    prologue_end: int | None = None
    for kind, start, end in _tokens(sparql):
        if kind == "{":
            opened.append(start)
        elif kind == "}" and opened:
            groups[opened.pop()] = end
        elif kind == "word":
            word = sparql[start:end].upper()
            if word == "SELECT" and prologue_end is None:
                prologue_end = start
            elif word == "LIMIT":
                match = _LIMIT.match(sparql, start)
                if match and int(match.group(1)) == size:
                    limits.append((start, match.end(), opened[-1] if opened else None))
    if len(limits) != 1:
        line = _line(sparql, limits[1][0]) if limits else 1
        found = "none" if not limits else f"{len(limits)}"
        raise ValueError(f"{line}: `#+ pagination: {size}` needs one `LIMIT {size}`, found {found}")
    limit_start, limit_end, group_start = limits[0]
    line = _line(sparql, limit_start)
    if group_start is None or group_start not in groups or prologue_end is None:
        raise ValueError(f"{line}: `LIMIT {size}` must end a `{{ SELECT … }}` sub-query")
    inner = _LEADING_COMMENTS.sub("", sparql[group_start + 1 : limit_start])
    if not inner[:6].upper() == "SELECT":
        raise ValueError(f"{line}: `LIMIT {size}` must end a `{{ SELECT … }}` sub-query")
    return PageSpan(size, prologue_end, group_start, groups[group_start], limit_start, limit_end)


def key_query(sparql: str, span: PageSpan, page: int) -> str:
    """The page sub-SELECT as a query of its own, for the keys of ``page`` and one more."""
    group = (
        sparql[span.group_start : span.limit_start]
        + f"LIMIT {span.size + 1} OFFSET {(page - 1) * span.size}"
        + sparql[span.limit_end : span.group_end]
    )
    return f"{sparql[: span.prologue_end]}SELECT * WHERE {group}\n"


def key_variables(sparql: str, span: PageSpan) -> set[str]:
    """Variables written in the page sub-SELECT (substitutions apply to these only)."""
    group = sparql[span.group_start : span.group_end]
    return {match.group(1) for match in _VARIABLE.finditer(group)}


def page_query(
    sparql: str, span: PageSpan, variables: Sequence[str], rows: Iterable[Sequence[Any]]
) -> str:
    """The query with its page sub-SELECT replaced by these keys.

    Raises:
        ValueError: for a blank node key, which ``VALUES`` cannot hold.
    """
    lines = [f"({' '.join(_value(term) for term in row)})" for row in rows]
    names = " ".join(f"?{v}" for v in variables)
    block = f"{{ VALUES ({names}) {{\n  " + "\n  ".join(lines) + "\n} }"
    return sparql[: span.group_start] + block + sparql[span.group_end :]


def all_rows_query(sparql: str, span: PageSpan) -> str:
    """The query without the page's ``LIMIT``: every key, every row."""
    return sparql[: span.limit_start] + sparql[span.limit_end :]


def _value(term: Any) -> str:
    if term is None:
        return "UNDEF"
    text = str(term)
    if text.startswith("_:"):
        raise ValueError(f"a page key is a blank node ({text}); give keys IRIs or literals")
    return text


def _line(sparql: str, offset: int) -> int:
    return sparql.count("\n", 0, offset) + 1


def _tokens(sparql: str) -> Iterable[tuple[str, int, int]]:
    """Braces and words, skipping comments, strings and IRIs."""
    i, n = 0, len(sparql)
    while i < n:
        char = sparql[i]
        if char == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end
        elif char in "\"'":
            i = _string_end(sparql, i)
        elif char == "<" and (match := _IRI.match(sparql, i)):
            i = match.end()
        elif char in "{}":
            yield char, i, i + 1
            i += 1
        elif char in "?$":
            match = _WORD.match(sparql, i + 1)
            i = match.end() if match else i + 1
        elif (match := _WORD.match(sparql, i)) and (i == 0 or not sparql[i - 1].isalnum()):
            yield "word", i, match.end()
            i = match.end()
        else:
            i += 1


def _string_end(sparql: str, start: int) -> int:
    quote = sparql[start] * 3 if sparql.startswith(sparql[start] * 3, start) else sparql[start]
    i = start + len(quote)
    while i < len(sparql):
        if sparql[i] == "\\":
            i += 2
        elif sparql.startswith(quote, i):
            return i + len(quote)
        elif len(quote) == 1 and sparql[i] == "\n":
            return i
        else:
            i += 1
    return i


__all__ = [
    "PageSpan",
    "all_rows_query",
    "find_page_span",
    "key_query",
    "key_variables",
    "page_query",
]
