"""What only the remote store does: endpoints, credentials, parameter binding, HTTP errors.

The behaviour shared with the embedded store is tested in ``test_store.py``.
"""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from kg.errors import QueryError, StoreError
from kg.remote import Endpoints, RemoteGraphStore, bind_values
from kg.store import open_store
from tests.store_fixtures import (
    RES_58_135,
    clear_server,
    free_port,
    oxigraph_server,
    sample_graphs,
)

USER, PASSWORD = "publisher", "s3cret:with colon"


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture
def server(server_url: str) -> str:
    clear_server(server_url)
    return server_url


class _AuthProxy(BaseHTTPRequestHandler):
    """Forwards to the Oxigraph server only requests with the right basic credentials."""

    upstream = ""
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def _forward(self) -> None:
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k in ("Content-Type", "Accept") if (v := self.headers.get(k))}
        request = urllib.request.Request(
            self.upstream + self.path, data=body, method=self.command, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, content_type, data = (
                    response.status,
                    response.headers.get("Content-Type"),
                    response.read(),
                )
        except urllib.error.HTTPError as e:
            status, content_type, data = e.code, e.headers.get("Content-Type"), e.read()
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def auth_proxy(server: str) -> Iterator[str]:
    handler = type("Proxy", (_AuthProxy,), {"upstream": server})
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_endpoints_follow_oxigraph_server_layout() -> None:
    assert Endpoints.from_url("http://127.0.0.1:7878/", env={}) == Endpoints(
        query="http://127.0.0.1:7878/query",
        update="http://127.0.0.1:7878/update",
        graph_store="http://127.0.0.1:7878/store",
        union_parameter=True,
    )


def test_endpoints_env_vars_name_other_servers() -> None:
    env = {
        "KG_SPARQL_QUERY_URL": "http://fuseki:3030/kg/sparql",
        "KG_SPARQL_UPDATE_URL": "http://fuseki:3030/kg/update",
        "KG_GSP_URL": "http://fuseki:3030/kg/data",
    }
    assert Endpoints.from_url("http://fuseki:3030/kg", env=env) == Endpoints(
        query="http://fuseki:3030/kg/sparql",
        update="http://fuseki:3030/kg/update",
        graph_store="http://fuseki:3030/kg/data",
        union_parameter=False,
    )


def test_open_store_with_url_reads_the_environment(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_SPARQL_QUERY_URL", server + "/query")
    monkeypatch.setenv("KG_STORE_USER", USER)
    store = open_store(server + "/")
    assert isinstance(store, RemoteGraphStore)
    assert store.endpoints.graph_store == server + "/store"
    store.replace_graphs(sample_graphs())
    # An explicit query URL is used as it is: Oxigraph's own default graph is empty.
    assert not store.query("ASK { ?s ?p ?o }")
    assert store.count_triples(RES_58_135) == 83


def test_remote_store_writes_each_graph_with_put(server: str) -> None:
    store = RemoteGraphStore.from_url(server, env={})
    store.replace_graphs(sample_graphs())
    store.replace_graphs(sample_graphs())
    answer = urllib.request.urlopen(
        server + "/query?query=SELECT%20(COUNT(*)%20AS%20?n)%20%7BGRAPH%20?g%7B?s%20?p%20?o%7D%7D",
        timeout=10,
    ).read()
    assert b'"value":"191"' in answer


def test_remote_store_sends_credentials_from_the_environment(auth_proxy: str) -> None:
    anonymous = RemoteGraphStore.from_url(auth_proxy, env={})
    with pytest.raises(StoreError, match="HTTP 401"):
        anonymous.replace_graphs(sample_graphs())
    with pytest.raises(StoreError, match="Unauthorized"):
        anonymous.graph_names()
    env = {"KG_STORE_USER": USER, "KG_STORE_PASSWORD": PASSWORD}
    store = RemoteGraphStore.from_url(auth_proxy, env=env)
    store.replace_graphs(sample_graphs())
    assert store.count_triples() == 185
    assert len(store.graph_ntriples(RES_58_135).splitlines()) == 83


def test_remote_store_unreachable_server_raises_store_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    store = RemoteGraphStore.from_url(url, env={})
    with pytest.raises(StoreError) as info:
        store.graph_names()
    assert str(info.value).startswith(f"{url}/query: cannot reach the server: ")
    assert str(info.value).endswith(
        ". Check the server is running and KG_STORE_USER/KG_STORE_PASSWORD"
    )


def test_remote_store_bad_query_reports_the_server_message(server: str) -> None:
    store = RemoteGraphStore.from_url(server, env={})
    with pytest.raises(QueryError) as info:
        store.query("SELECT ?x WHERE { ?x ", name="adhoc")
    assert str(info.value).startswith("adhoc: error at 1:22: expected one of ")
    assert "\n" not in str(info.value)


def test_bind_values_opens_the_where_group() -> None:
    assert bind_values(
        'SELECT ?r WHERE { ?r <http://x/t> "}" }', {"r": NamedNode("http://x/r")}
    ) == ('SELECT ?r WHERE { VALUES (?r) { (<http://x/r>) } ?r <http://x/t> "}" }')


def test_bind_values_skips_prologue_comments_and_construct_template() -> None:
    sparql = """# {not this}
PREFIX ex: <http://x/{odd}#>
CONSTRUCT { ?r ex:t "{" } WHERE { ?r ex:s ?s }"""
    bound = bind_values(sparql, {"s": Literal(59), "r": NamedNode("http://x/r")})
    assert bound.endswith(
        'CONSTRUCT { ?r ex:t "{" } WHERE { VALUES (?s ?r) '
        '{ ("59"^^<http://www.w3.org/2001/XMLSchema#integer> <http://x/r>) } ?r ex:s ?s }'
    )


def test_bind_values_refuses_blank_nodes_and_short_construct() -> None:
    with pytest.raises(QueryError, match="a blank node cannot be bound"):
        bind_values("SELECT ?r { ?r ?p ?o }", {"r": BlankNode()})
    with pytest.raises(QueryError, match="cannot find the WHERE group"):
        bind_values("CONSTRUCT WHERE { ?r ?p ?o }", {"r": NamedNode("http://x/r")})
