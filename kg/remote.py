"""A SPARQL 1.1 server used as kg's store (issue 7): Oxigraph server, Fuseki, GraphDB, Virtuoso.

Writes use the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT`` replaces one named graph,
so loading a document twice leaves the same quads. Each graph is replaced atomically
by the server, but graphs given together are separate requests. Queries use the SPARQL
1.1 Protocol through SPARQLWrapper; answers are parsed by pyoxigraph into the same
types the embedded store returns.

Endpoints. ``open_store("http://host:7878")`` follows Oxigraph server's layout:
``/query``, ``/update`` and ``/store``, and asks for the union default graph with
Oxigraph's ``union-default-graph`` parameter. Other servers are named explicitly:

- ``KG_SPARQL_QUERY_URL`` — e.g. Fuseki ``http://host:3030/kg/sparql``;
- ``KG_SPARQL_UPDATE_URL`` — e.g. ``http://host:3030/kg/update``;
- ``KG_GSP_URL`` — e.g. Fuseki ``http://host:3030/kg/data``,
  GraphDB ``http://host:7200/repositories/kg/rdf-graphs/service``.

With an explicit query URL the server's own default graph is used: make it the union
of the named graphs (Fuseki ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do
so by default). Credentials come only from ``KG_STORE_USER`` and ``KG_STORE_PASSWORD``
(HTTP basic authentication).

Substitutions. The protocol cannot bind variables, so they are sent as a ``VALUES``
block at the start of the query's ``WHERE`` group. That equals the embedded store's
substitution except for a variable used only inside a sub-select that does not
project it.
"""

from __future__ import annotations

import ast
import base64
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from pyoxigraph import (
    BlankNode,
    NamedNode,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kg.errors import QueryError, StoreError
from kg.formats import rdf_format_for_media_type, results_format_for_media_type
from kg.graphstore import batch_parse_error, ntriples_batches
from kg.rdfio import Term, check_substitutions, one_line
from kg.store import GraphStore, QueryResult, triples_result

ENV_QUERY_URL = "KG_SPARQL_QUERY_URL"
ENV_UPDATE_URL = "KG_SPARQL_UPDATE_URL"
ENV_GSP_URL = "KG_GSP_URL"
ENV_USER = "KG_STORE_USER"
ENV_PASSWORD = "KG_STORE_PASSWORD"

# One Accept header for every query form: the server answers SELECT/ASK with results
# and CONSTRUCT/DESCRIBE with RDF, and the Content-Type says which.
_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
)
_NTRIPLES = RdfFormat.N_TRIPLES.media_type

_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n]*)
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<open>\{) | (?P<close>\}) | (?P<word>[A-Za-z]+)""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where a SPARQL server answers queries, updates and Graph Store requests."""

    query: str
    update: str
    graph_store: str
    union_parameter: bool
    """Whether to send Oxigraph's ``union-default-graph`` query parameter."""

    @classmethod
    def from_url(cls, url: str, env: Mapping[str, str] = os.environ) -> Endpoints:
        """Oxigraph server's endpoints under ``url``, each overridden by its env var.

        >>> Endpoints.from_url("http://127.0.0.1:7878/", env={}).graph_store
        'http://127.0.0.1:7878/store'
        """
        base = url.rstrip("/")
        return cls(
            query=env.get(ENV_QUERY_URL) or f"{base}/query",
            update=env.get(ENV_UPDATE_URL) or f"{base}/update",
            graph_store=env.get(ENV_GSP_URL) or f"{base}/store",
            union_parameter=not env.get(ENV_QUERY_URL),
        )


class RemoteGraphStore(GraphStore):
    """A SPARQL 1.1 server holding kg's named graphs."""

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        location: str,
        user: str | None = None,
        password: str | None = None,
        read_only: bool = False,
        timeout: int = 60,
    ) -> None:
        self.endpoints = endpoints
        self.location = location
        self.read_only = read_only
        self.timeout = timeout
        self._user = user
        self._password = password or ""

    @classmethod
    def from_url(
        cls, url: str, *, read_only: bool = False, env: Mapping[str, str] = os.environ
    ) -> RemoteGraphStore:
        """The store at ``url`` with endpoints and credentials from the environment."""
        return cls(
            Endpoints.from_url(url, env),
            location=url,
            user=env.get(ENV_USER),
            password=env.get(ENV_PASSWORD),
            read_only=read_only,
        )

    # -- writing -----------------------------------------------------------------

    def _replace(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        for name, triples in graphs.items():
            url = self._graph_url(name)
            if triples:
                body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
                self._request("PUT", url, body, {"Content-Type": _NTRIPLES})
            else:
                self._request("DELETE", url, missing_ok=True)

    def add_new_graph_lines(self, graph: str, pieces: Iterable[str | bytes]) -> None:
        """A ``PUT`` as :meth:`replace_graph_lines`: the protocol has no bulk load."""
        self.replace_graph_lines(graph, pieces)

    def replace_graph_lines(self, graph: str, pieces: Iterable[str | bytes]) -> None:
        """One ``PUT`` of the text, checked and spooled to a scratch file as it comes."""
        self._check_writable()
        source = f"graph <{graph}>"
        with tempfile.TemporaryFile() as spool:
            for batch, first_line in ntriples_batches(pieces, source):
                try:
                    for _ in parse(batch, RdfFormat.N_TRIPLES):
                        pass
                except SyntaxError as e:
                    raise batch_parse_error(source, e, first_line) from e
                spool.write(batch)
            if not (size := spool.tell()):
                self._request("DELETE", self._graph_url(graph), missing_ok=True)
                return
            spool.seek(0)
            headers = {"Content-Type": _NTRIPLES, "Content-Length": str(size)}
            self._request("PUT", self._graph_url(graph), spool, headers)

    # -- reading -----------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        use_default_graph_as_union: bool = True,
        name: str = "query",
    ) -> QueryResult:
        variables = check_substitutions(substitutions, name)
        if variables:
            sparql = bind_values(sparql, {v.value: t for v, t in variables.items()}, name)
        wrapper = SPARQLWrapper(self.endpoints.query)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(self.timeout)
        with warnings.catch_warnings():
            # SPARQLWrapper warns when it cannot tell the query form; the server judges.
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(sparql)
        wrapper.addCustomHttpHeader("Accept", _ACCEPT)
        if use_default_graph_as_union and self.endpoints.union_parameter:
            wrapper.addParameter("union-default-graph", "true")
        if self._user:
            wrapper.setCredentials(self._user, self._password)
        try:
            response = wrapper.query().response
            content_type = response.headers.get("Content-Type", "")
            body = response.read()
        except QueryBadFormed as e:
            raise QueryError(name, _server_message(e), "Check the SPARQL syntax") from e
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as e:
            raise self._error(self.endpoints.query, e) from e
        if (results_format := results_format_for_media_type(content_type)) is not None:
            return parse_query_results(body, results_format)
        if (rdf_format := rdf_format_for_media_type(content_type)) is not None:
            return triples_result(body, rdf_format)
        raise StoreError(self.endpoints.query, f"unexpected answer of type {content_type!r}")

    def graph_names(self) -> list[str]:
        _, rows = self.select_rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", name="graphs")
        return sorted(g.value for row in rows if isinstance(g := row.get("g"), NamedNode))

    def graph_ntriples(self, graph: str) -> bytes:
        headers = {"Accept": f"{_NTRIPLES}, text/turtle;q=0.9"}
        content_type, body = self._request("GET", self._graph_url(graph), None, headers, True)
        fmt = rdf_format_for_media_type(content_type) or RdfFormat.N_TRIPLES
        # Re-serialised by pyoxigraph: the same bytes the embedded store gives.
        triples = [quad.triple for quad in parse(body, fmt)]
        return serialize(triples, format=RdfFormat.N_TRIPLES) or b""

    # -- lifecycle ---------------------------------------------------------------

    def flush(self) -> None:
        """The server makes its own writes durable."""

    def optimize(self) -> None:
        """The server compacts its own storage."""

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""

    # -- HTTP --------------------------------------------------------------------

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoints.graph_store else "?"
        query = urllib.parse.urlencode({"graph": NamedNode(graph).value})
        return f"{self.endpoints.graph_store}{separator}{query}"

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | BinaryIO | None = None,
        headers: Mapping[str, str] | None = None,
        missing_ok: bool = False,
    ) -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if self._user:
            token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), bytes(response.read())
        except urllib.error.HTTPError as e:
            if missing_ok and e.code == 404:
                return "", b""
            raise self._error(url, e) from e
        except (urllib.error.URLError, OSError) as e:
            raise self._error(url, e) from e

    def _error(self, url: str, error: Exception) -> StoreError:
        if isinstance(error, urllib.error.HTTPError):
            detail = f"HTTP {error.code}: {_text(error.read())}"
        elif isinstance(error, SPARQLWrapperException):
            detail = f"{type(error).__name__}: {_server_message(error)}"
        else:
            detail = f"cannot reach the server: {getattr(error, 'reason', error)}"
        hint = "Check the server is running and KG_STORE_USER/KG_STORE_PASSWORD"
        return StoreError(url, detail, hint)


def bind_values(sparql: str, values: Mapping[str, Term], name: str = "query") -> str:
    """Bind variables by a ``VALUES`` block opening the query's ``WHERE`` group.

    >>> bind_values("SELECT ?t WHERE { ?r <http://x/t> ?t }", {"r": NamedNode("http://x/r")})
    'SELECT ?t WHERE { VALUES (?r) { (<http://x/r>) } ?r <http://x/t> ?t }'

    Raises:
        QueryError: for a blank node value, or a query whose ``WHERE`` cannot be found.
    """
    if any(isinstance(v, BlankNode) for v in values.values()):
        raise QueryError(name, "a blank node cannot be bound", "Bind an IRI or a literal")
    position = _where_group(sparql)
    if position is None:
        raise QueryError(name, "cannot find the WHERE group to bind parameters in")
    names = " ".join(f"?{k}" for k in values)
    terms = " ".join(str(v) for v in values.values())
    block = f" VALUES ({names}) {{ ({terms}) }}"
    return sparql[:position] + block + sparql[position:]


def _where_group(sparql: str) -> int | None:
    """The offset just after the ``{`` opening the query pattern, skipping a template."""
    form: str | None = None
    skip_template = False
    depth = 0
    for match in _TOKENS.finditer(sparql):
        kind, text = match.lastgroup, match[0]
        if kind == "word" and form is None and text.upper() in _FORMS:
            form = text.upper()
        elif kind == "word" and form == "CONSTRUCT" and not skip_template and depth == 0:
            if text.upper() == "WHERE":
                return None  # CONSTRUCT WHERE { … }: the template is the pattern.
        elif kind == "open":
            if form == "CONSTRUCT" and not skip_template and depth == 0:
                skip_template = True
                depth = 1
            elif depth == 0 and form is not None:
                return match.end()
            else:
                depth += 1
        elif kind == "close":
            depth -= 1
    return None


_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _server_message(error: SPARQLWrapperException) -> str:
    # SPARQLWrapper keeps the server's answer only inside its message, as a bytes repr.
    message = str(error)
    _, found, raw = message.partition("Response:\n")
    if not found:
        return message
    try:
        return _text(ast.literal_eval(raw.strip()))
    except (ValueError, SyntaxError):
        return _text(raw)


def _text(payload: object) -> str:
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    return one_line(text)
