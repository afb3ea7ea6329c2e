"""Decide whether a visitor's SPARQL text may run on this read-only, non-federating server.

Embedded pyoxigraph fetches any URL a ``SERVICE`` clause names and has no switch to
turn that off, so the endpoint must refuse such queries before they reach the store.
The decision is made on the query's tokens, not its characters: a string literal,
an IRI, a comment, a variable (``?service``) or a prefixed name (``ex:load``) that
spells a keyword is data and stays allowed. The tokenizer follows the terminals of
the SPARQL 1.1 grammar (§19.8); whatever it does not recognise is a one-character
token, so a malformed query is left for the real parser to reject with its message.

>>> check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x>" }').form
'SELECT'
>>> try:
...     check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
... except RefusedError as e:
...     print(e.what)
SERVICE
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from kg.errors import KgError

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
              |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'
              |"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%\\.-]|%[0-9A-Fa-f]{2})*)
  | (?P<word>[^\W\d][\w-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
"""Keywords that occur in SPARQL 1.1 Update requests and never in a query (§3 of Update)."""

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


class RefusedError(KgError):
    """A well-formed request this server will not run (an update, ``SERVICE``, a remote graph).

    The web layer answers it with HTTP 403: the request is understood and refused
    by policy, so repeating it will not help.
    """

    def __init__(self, what: str, reason: str, hint: str | None = None) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}", hint)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """What the guard learnt about an accepted query.

    ``form`` is SELECT, CONSTRUCT, DESCRIBE or ASK (``None`` if no form keyword
    was seen; the parser then reports the error); ``graphs`` the graphs named in
    ``FROM`` and ``FROM NAMED``, as IRIs (``None`` where a prefix was undeclared).
    """

    form: str | None
    graphs: tuple[tuple[str, str | None], ...]


def tokens(sparql: str) -> Iterator[Token]:
    """The significant tokens of ``sparql``: no whitespace, no comments.

    >>> [t.text for t in tokens('ASK { ?s a "x" } # LOAD')]
    ['ASK', '{', '?s', 'a', '"x"', '}']
    """
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group())


def check_query(sparql: str) -> QueryInfo:
    """Accept a read-only query that names no other service, or raise :class:`RefusedError`.

    Graphs named by ``FROM`` are checked by :func:`check_graphs`, which needs the store.

    Raises:
        RefusedError: for an update or a ``SERVICE`` clause.
    """
    items = list(tokens(sparql))
    prefixes: dict[str, str] = {}
    base: str | None = None
    form: str | None = None
    graphs: list[tuple[str, str | None]] = []
    for index, token in enumerate(items):
        if token.kind != "word":
            continue
        keyword = token.text.upper()
        following = items[index + 1] if index + 1 < len(items) else None
        if keyword == "SERVICE":
            raise RefusedError(
                "SERVICE",
                "federated queries are refused. This endpoint never fetches other URLs",
                "Run the query on the other endpoint and join the results yourself",
            )
        if keyword in UPDATE_KEYWORDS:
            raise RefusedError(
                keyword,
                "SPARQL Update is refused: this endpoint is read-only",
                "Load data with `kg build` on the server instead",
            )
        if keyword == "PREFIX" and following is not None and following.kind == "pname":
            after = items[index + 2] if index + 2 < len(items) else None
            if after is not None and after.kind == "iri":
                prefixes[following.text.rstrip(":")] = after.text[1:-1]
        elif keyword == "BASE" and following is not None and following.kind == "iri":
            base = following.text[1:-1]
        elif keyword in QUERY_FORMS and form is None:
            form = keyword
        elif keyword == "FROM":
            named = following is not None and following.text.upper() == "NAMED"
            target = items[index + 2] if named and index + 2 < len(items) else following
            graphs.append(_graph_iri(target, prefixes, base))
    return QueryInfo(form=form, graphs=tuple(graphs))


def check_graphs(info: QueryInfo, graph_names: Collection[str]) -> None:
    """Refuse ``FROM`` graphs the store does not hold: they would be remote, never fetched.

    Raises:
        RefusedError: naming the first such graph.
    """
    for shown, iri in info.graphs:
        if iri is None or iri not in graph_names:
            raise RefusedError(
                f"FROM {shown}",
                "only the graphs of this dataset may be named; remote graphs are never fetched",
                "List the graphs with SELECT DISTINCT ?g { GRAPH ?g {} }",
            )


def _graph_iri(
    token: Token | None, prefixes: dict[str, str], base: str | None
) -> tuple[str, str | None]:
    """The text ``FROM`` is followed by, and the graph IRI it names if that is known."""
    if token is None:
        return "(nothing)", None
    if token.kind == "iri":
        iri = token.text[1:-1]
        if base is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
            iri = base + iri
        return token.text, iri
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return token.text, prefixes[prefix] + local
    return token.text, None
