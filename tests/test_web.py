"""The web layer over HTTP: a real ``kg serve`` on 127.0.0.1, driven with httpx.

Expected values come from the seeds and their truth files (``/work/shared/seeds-truth``):
A/RES/58/135 has 5 preambular and 9 operative paragraphs, cites A/RES/56/120, gives
four requests (op6 to op9) and is cited by E/RES/2004/23.
"""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.web_fixtures import (
    BASE,
    HOSTILE_MARKUP,
    HOSTILE_SYMBOL,
    MAX_ROWS,
    TIMEOUT_S,
    KgServer,
    kg_server,
    start_server,
    stop_server,
)

__all__ = ["kg_server"]

KG = rdflib.Namespace(BASE + "ontology#")
RES_58_135 = BASE + "resolution/A/RES/58/135"
PREFIX = f"PREFIX kg: <{BASE}ontology#>\n"
SYMBOLS = PREFIX + "SELECT DISTINCT ?symbol { ?r a kg:Resolution ; kg:symbol ?symbol }"
JSON_RESULTS = "application/sparql-results+json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SEED_PHRASES_58_135 = {
    "preamble": ["Recalling", "Recalling also", "Recalling further", "Reaffirming", "Reaffirming"],
    "operative": [
        "Takes note with appreciation",
        "Welcomes",
        "Commends",
        "Welcomes",
        "Also welcomes",
        "Requests",
        "Also requests",
        "Requests",
        "Also requests",
    ],
}


def sparql(server: KgServer, query: str, accept: str = JSON_RESULTS) -> httpx.Response:
    return server.get("/sparql", accept, params={"query": query})


def symbols_of(response: httpx.Response) -> set[str]:
    return {b["symbol"]["value"] for b in response.json()["results"]["bindings"]}


def raw_get(server: KgServer, target: str) -> tuple[int, bytes]:
    """Send a request line exactly as written (httpx would normalise ``..`` away)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


# ---------------------------------------------------------------- /sparql protocol


def test_sparql_get_select_json(kg_server: KgServer) -> None:
    response = sparql(kg_server, SYMBOLS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSON_RESULTS)
    found = symbols_of(response)
    assert {"A/RES/58/135", "A/RES/56/120", "E/RES/2004/23", HOSTILE_SYMBOL} <= found


def test_sparql_post_form_and_direct_agree(kg_server: KgServer) -> None:
    by_get = symbols_of(sparql(kg_server, SYMBOLS))
    form = httpx.post(
        kg_server.url + "/sparql", data={"query": SYMBOLS}, headers={"Accept": JSON_RESULTS}
    )
    direct = httpx.post(
        kg_server.url + "/sparql",
        content=SYMBOLS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
    )
    assert form.status_code == direct.status_code == 200
    assert symbols_of(form) == symbols_of(direct) == by_get


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", JSON_RESULTS),
    ],
)
def test_sparql_select_formats(kg_server: KgServer, accept: str, media_type: str) -> None:
    response = sparql(kg_server, SYMBOLS, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "A/RES/58/135" in response.text


def test_sparql_csv_rows_match_json(kg_server: KgServer) -> None:
    rows = list(csv.reader(io.StringIO(sparql(kg_server, SYMBOLS, "text/csv").text)))
    assert rows[0] == ["symbol"]
    assert {r[0] for r in rows[1:]} == symbols_of(sparql(kg_server, SYMBOLS))


def test_sparql_ask(kg_server: KgServer) -> None:
    query = PREFIX + f'ASK {{ <{RES_58_135}> kg:symbol "A/RES/58/135" }}'
    assert sparql(kg_server, query).json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_sparql_construct_formats(kg_server: KgServer, accept: str, rdflib_format: str) -> None:
    query = f"CONSTRUCT {{ <{RES_58_135}> ?p ?o }} WHERE {{ <{RES_58_135}> ?p ?o }}"
    response = sparql(kg_server, query, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    symbol = rdflib.Literal("A/RES/58/135", datatype=rdflib.XSD.string)
    assert set(graph.objects(rdflib.URIRef(RES_58_135), KG.symbol)) & {
        symbol,
        rdflib.Literal("A/RES/58/135"),
    }


def test_sparql_service_description(kg_server: KgServer) -> None:
    response = kg_server.get("/sparql", "text/turtle")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef(kg_server.url + "/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    names = {str(n) for n in graph.objects(None, sd.name)}
    assert RES_58_135 in names and BASE + "graph/reference" in names


def test_sparql_bad_query_is_400_with_parser_message(kg_server: KgServer) -> None:
    response = sparql(kg_server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "1:" in response.text and "expected" in response.text


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {
            "content": b"DROP ALL",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}},
    ],
)
def test_sparql_updates_refused(kg_server: KgServer, request_kwargs: dict[str, object]) -> None:
    response = httpx.post(kg_server.url + "/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert "read-only" in response.text
    assert not sparql(kg_server, "ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"]


def test_sparql_service_refused_and_never_fetched(kg_server: KgServer) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    contacted: list[bool] = []

    def watch() -> None:
        try:
            connection, _ = listener.accept()
            contacted.append(True)
            connection.close()
        except OSError:
            pass

    watcher = threading.Thread(target=watch)
    watcher.start()
    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    response = sparql(kg_server, query)
    watcher.join()
    listener.close()
    assert response.status_code == 403
    assert response.text.startswith("SERVICE: federated queries are refused")
    assert contacted == []


def test_sparql_keyword_in_literal_is_allowed(kg_server: KgServer) -> None:
    query = 'SELECT ?text { BIND("SERVICE <http://127.0.0.1:9/> and INSERT, LOAD" AS ?text) }'
    response = sparql(kg_server, query)
    assert response.status_code == 200
    bindings = response.json()["results"]["bindings"]
    assert bindings == [
        {"text": {"type": "literal", "value": "SERVICE <http://127.0.0.1:9/> and INSERT, LOAD"}}
    ]


def test_sparql_from_graph_of_store_allowed_remote_refused(kg_server: KgServer) -> None:
    local = PREFIX + (
        f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/ontology> WHERE {{ ?r a kg:Resolution }}"
    )
    response = sparql(kg_server, local)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"
    remote = "SELECT * FROM <http://127.0.0.1:9/graph.ttl> WHERE { ?s ?p ?o }"
    refused = sparql(kg_server, remote)
    assert refused.status_code == 403
    assert "remote graphs are never fetched" in refused.text


def worker_pids(server: KgServer) -> set[int]:
    """Child processes of the server (its query workers and multiprocessing's tracker)."""
    pids: set[int] = set()
    for children in Path(f"/proc/{server.process.pid}/task").glob("*/children"):
        pids |= {int(pid) for pid in children.read_text().split()}
    return pids


def test_sparql_time_limit_while_cheap_query_answers(kg_server: KgServer) -> None:
    before = worker_pids(kg_server)
    outcome: dict[str, httpx.Response] = {}

    def expensive() -> None:
        outcome["expensive"] = sparql(kg_server, EXPENSIVE)

    thread = threading.Thread(target=expensive)
    thread.start()
    time.sleep(TIMEOUT_S / 4)  # let the expensive query reach a worker first
    cheap = sparql(kg_server, SYMBOLS)
    thread.join(timeout=TIMEOUT_S * 10)
    assert cheap.status_code == 200
    assert "A/RES/58/135" in symbols_of(cheap)
    slow = outcome["expensive"]
    assert slow.status_code == 503
    assert slow.headers["content-type"].startswith("text/plain")
    assert f"time limit of {TIMEOUT_S:g} s" in slow.text
    # The worker that ran it was killed (and reaped), so no CPU goes on it any more ...
    deadline = time.monotonic() + 30
    while not before - worker_pids(kg_server) and time.monotonic() < deadline:
        time.sleep(0.1)
    killed = before - worker_pids(kg_server)
    assert len(killed) == 1
    assert not Path(f"/proc/{killed.pop()}").exists()
    # ... and it is replaced: the endpoint keeps answering.
    for _ in range(3):
        assert sparql(kg_server, SYMBOLS).status_code == 200


def test_sparql_row_cap(kg_server: KgServer) -> None:
    response = sparql(kg_server, "SELECT ?s ?p ?o { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    assert response.headers["x-kg-truncated"] == f"true; max-rows={MAX_ROWS}"
    small = sparql(kg_server, SYMBOLS)
    assert "x-kg-truncated" not in small.headers


def test_sparql_unacceptable_accept_is_406(kg_server: KgServer) -> None:
    response = sparql(kg_server, SYMBOLS, "image/png")
    assert response.status_code == 406
    assert "image/png" in response.text


def test_sparql_cors_allows_any_origin(kg_server: KgServer) -> None:
    response = kg_server.get(
        "/sparql", JSON_RESULTS, params={"query": SYMBOLS}, headers={"Origin": "https://x.test"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    api = kg_server.get("/api/queries", headers={"Origin": "https://x.test"})
    assert api.headers["access-control-allow-origin"] == "*"


# ---------------------------------------------------------------- query page


@pytest.mark.parametrize("path", ["/", "/sparql"])
def test_query_page_for_browsers(kg_server: KgServer, path: str) -> None:
    response = kg_server.get(path, BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<textarea id="query"' in page
    assert f"PREFIX kg: &lt;{BASE}ontology#&gt;" in page
    assert '<option value="resolutions"' in page
    assert '<script src="/static/query.js"></script>' in page
    assert "http" not in page.split('<script src="')[1].split('"')[0]
    assert kg_server.get("/static/query.js").status_code == 200


# ---------------------------------------------------------------- resource pages


def test_resolution_page_shows_paragraphs_citations_mandates(kg_server: KgServer) -> None:
    response = kg_server.get("/resolution/A/RES/58/135", BROWSER)
    assert response.status_code == 200
    page = response.text
    for part in ("preamble", "operative"):
        section = page.split(f'<ol class="paragraphs {part}">')[1].split("</ol>\n")[0]
        phrases = [s.split("</em>")[0] for s in section.split('<em class="phrase">')[1:]]
        assert phrases == SEED_PHRASES_58_135[part]
    assert '<a class="cite" href="/resolution/A/RES/56/120">' in page
    for number in (6, 7, 8, 9):
        assert f'href="/resolution/A/RES/58/135/operative/{number}/mandate"' in page
    cited_by = page.split('<ul class="cited-by" id="cited-by">')[1].split("</ul>")[0]
    assert 'href="/resolution/E/RES/2004/23"' in cited_by
    assert 'href="/resolution/A/RES/58/135.ttl"' in page
    assert 'id="open-in-sparql"' in page
    # The series: A/RES/56/120 is the previous resolution of the same series.
    assert '<h2>Changes from <a href="/resolution/A/RES/56/120">A/RES/56/120</a></h2>' in page


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_resource_rdf_by_accept(kg_server: KgServer, accept: str, rdflib_format: str) -> None:
    response = kg_server.get("/resolution/A/RES/58/135", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert {str(o) for o in graph.objects(rdflib.URIRef(RES_58_135), KG.symbol)} == {"A/RES/58/135"}


@pytest.mark.parametrize(
    ("suffix", "media_type", "rdflib_format"),
    [
        (".ttl", "text/turtle", "turtle"),
        (".jsonld", "application/ld+json", "json-ld"),
        (".nt", "application/n-triples", "nt"),
        (".rdf", "application/rdf+xml", "xml"),
    ],
)
def test_resource_rdf_by_suffix(
    kg_server: KgServer, suffix: str, media_type: str, rdflib_format: str
) -> None:
    response = kg_server.get("/body/unodc" + suffix, BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    names = {str(o) for o in graph.objects(rdflib.URIRef(BASE + "body/unodc"), KG.shortName)}
    assert names == {"UNODC"}


@pytest.mark.parametrize(
    "path",
    [
        "/body/unodc",
        "/treaty/untoc",
        "/resolution/A/RES/58/135/operative/7/mandate",
        "/resolution/A/RES/58/135/operative/7",
        "/document/E/CN.15/2003/5",
        "/graph/reference",
    ],
)
def test_other_resource_pages(kg_server: KgServer, path: str) -> None:
    response = kg_server.get(path, BROWSER)
    assert response.status_code == 200
    assert f"<code>{BASE}{path.lstrip('/')}</code>" in response.text


def test_unknown_resource_is_404(kg_server: KgServer) -> None:
    response = kg_server.get("/resolution/A/RES/99/999")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error": f"resource not found: {BASE}resolution/A/RES/99/999. "
        "See /about for the URL patterns this server answers",
        "status": 404,
    }
    page = kg_server.get("/resolution/A/RES/99/999", BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_document_text_is_escaped(kg_server: KgServer) -> None:
    page = kg_server.get("/resolution/" + HOSTILE_SYMBOL, BROWSER).text
    assert HOSTILE_MARKUP not in page
    assert "&lt;script&gt;alert(&#34;kg&#34;)&lt;/script&gt;" in page
    assert "<img" not in page
    assert page.count("<script") == 0


# ---------------------------------------------------------------- API


def test_api_lists_queries_with_params(kg_server: KgServer) -> None:
    response = kg_server.get("/api/queries")
    assert response.status_code == 200
    queries = {q["name"]: q for q in response.json()["queries"]}
    names = {p.stem for p in (Path(__file__).parents[1] / "queries").glob("*.rq")}
    assert set(queries) == names
    since = queries["resolutions"]["params"][0]
    assert (since["name"], since["type"], since["required"]) == ("since", "date", False)


def test_api_runs_stored_query_json_and_csv(kg_server: KgServer) -> None:
    response = kg_server.get("/api/queries/resolutions", params={"since": "2003-01-01"})
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    symbols = {r["symbol"]["value"] for r in rows if "symbol" in r}
    assert "A/RES/58/135" in symbols and "A/RES/56/120" not in symbols
    as_csv = kg_server.get("/api/queries/resolutions.csv", params={"since": "2003-01-01"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["symbol"] for r in table if r["symbol"]} == symbols


def test_api_errors_have_one_shape(kg_server: KgServer) -> None:
    missing = kg_server.get("/api/queries/no-such-query")
    assert missing.status_code == 404
    bad = kg_server.get("/api/queries/resolutions", params={"since": "yesterday"})
    assert bad.status_code == 400
    unknown = kg_server.get("/api/queries/resolutions", params={"until": "2003-01-01"})
    assert unknown.status_code == 400
    for response in (missing, bad, unknown):
        body = response.json()
        assert set(body) == {"ok", "error", "status"}
        assert body["ok"] is False and body["status"] == response.status_code
    assert "'yesterday' is not a date" in bad.json()["error"]


def test_api_openapi_from_headers(kg_server: KgServer) -> None:
    document = kg_server.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/api/queries/resolutions"]["get"]
    assert operation["summary"].startswith("Every resolution whose text is in the store")
    assert operation["parameters"] == [
        {
            "name": "since",
            "in": "query",
            "required": False,
            "description": "Only resolutions adopted on or after this day (YYYY-MM-DD).",
            "schema": {"type": "string", "format": "date"},
            "example": "2003-01-01",
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "The page: the rows of 50 keys each (see the Link header)",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
    ]


# ---------------------------------------------------------------- ontology


def test_ontology_html_documents_every_term(kg_server: KgServer) -> None:
    page = kg_server.get("/ontology", BROWSER).text
    ontology = rdflib.Graph().parse(Path(__file__).parents[1] / "ontology" / "kg.ttl")
    terms = {
        str(s).split("#")[1]
        for kind in (rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty)
        for s in ontology.subjects(rdflib.RDF.type, kind)
        if str(s).startswith(BASE + "ontology#")
    }
    assert {"Resolution", "Mandate", "addressee"} <= terms
    for name in terms:
        assert f'<section class="term" id="{name}">' in page
    mandate = page.split('<section class="term" id="addressee">')[1].split("</section>")[0]
    assert '<dt>Domain</dt><dd><a href="#Mandate">kg:Mandate</a></dd>' in mandate
    resolution = page.split('<section class="term" id="Resolution">')[1].split("</section>")[0]
    assert "shp:Resolution-symbol" in resolution


def test_ontology_turtle_for_programs(kg_server: KgServer) -> None:
    for response in (kg_server.get("/ontology", "text/turtle"), kg_server.get("/ontology.ttl")):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        assert (rdflib.URIRef(BASE + "ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in graph


# ---------------------------------------------------------------- dumps and VoID


def test_dumps_served_with_media_type_length_etag(kg_server: KgServer) -> None:
    listing = kg_server.get("/dumps/").json()["files"]
    names = {f["name"] for f in listing}
    assert {"kg.ttl", "kg.nq.gz", "void.ttl", "SHA256SUMS"} <= names
    sums: dict[str, str] = {}
    for line in kg_server.get("/dumps/SHA256SUMS").text.splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    expected = {"kg.ttl": "text/turtle", "kg.nq.gz": "application/gzip"}
    for name, media_type in expected.items():
        response = kg_server.get("/dumps/" + name)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        assert int(response.headers["content-length"]) == (kg_server.dumps / name).stat().st_size
        assert response.headers["etag"] == f'"{sums[name]}"'
        again = kg_server.get("/dumps/" + name, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304


@pytest.mark.parametrize(
    "target",
    [
        "/dumps/../pyproject.toml",
        "/dumps/%2e%2e/pyproject.toml",
        "/dumps/..%2fpyproject.toml",
        "/dumps/%2E%2E%2Fpyproject.toml",
        "/dumps/resolutions/../../pyproject.toml",
        "/dumps//etc/passwd",
        "/dumps/outside-link",
    ],
)
def test_dumps_path_traversal_refused(kg_server: KgServer, target: str) -> None:
    link = kg_server.dumps / "outside-link"
    if not link.is_symlink():
        link.symlink_to(Path(__file__).parents[1] / "pyproject.toml")
    status, data = raw_get(kg_server, target)
    assert status in (400, 404)
    assert b"[project]" not in data and b"root:" not in data


def test_void_well_known(kg_server: KgServer) -> None:
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    for path in ("/.well-known/void", "/"):
        response = kg_server.get(path, "text/turtle")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        assert any(graph.subjects(rdflib.RDF.type, void.Dataset))


def test_dumps_head_and_listing(kg_server: KgServer) -> None:
    head = httpx.head(kg_server.url + "/dumps/kg.ttl")
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == (kg_server.dumps / "kg.ttl").stat().st_size
    assert head.content == b""
    page = kg_server.get("/dumps/", BROWSER).text
    assert '<a href="/dumps/kg.nq.gz">kg.nq.gz</a>' in page
    assert "outside-link" not in kg_server.get("/dumps/").text


# ---------------------------------------------------------------- system pages


def test_about_lists_every_route(kg_server: KgServer) -> None:
    routes = {r["pattern"] for r in kg_server.get("/about").json()["routes"]}
    assert {"/sparql", "/api/queries", "/ontology", "/dumps/{file}", "/.well-known/void"} <= routes
    page = kg_server.get("/about", BROWSER).text
    for pattern in routes:
        assert f"<code>{pattern.replace('&', '&amp;')}</code>" in page


def test_health_and_versions(kg_server: KgServer) -> None:
    assert kg_server.get("/-/health").json()["ok"] is True
    versions = kg_server.get("/-/versions").json()
    assert versions["settings"]["query_timeout"] == str(TIMEOUT_S)
    assert versions["settings"]["max_rows"] == str(MAX_ROWS)


def test_open_in_sparql_link_runs(kg_server: KgServer) -> None:
    page = kg_server.get("/resolution/A/RES/58/135", BROWSER).text
    href = page.split('" id="open-in-sparql"')[0].rsplit('href="', 1)[1]
    query = httpx.URL(kg_server.url + href.replace("&amp;", "&")).params["query"]
    rows = sparql(kg_server, query).json()["results"]["bindings"]
    assert RES_58_135 in {r["graph"]["value"] for r in rows}
    assert str(KG.symbol) in {r["property"]["value"] for r in rows}


def test_serve_builds_an_empty_store(tmp_path: Path) -> None:
    server = start_server(tmp_path / "store", tmp_path / "dumps")
    try:
        assert (tmp_path / "store" / "CURRENT").is_file()
        assert (tmp_path / "dumps" / "SHA256SUMS").is_file()
        found = symbols_of(sparql(server, SYMBOLS))
        assert {"A/RES/58/135", "A/RES/56/120", "E/RES/2004/23"} <= found
        assert HOSTILE_SYMBOL not in found
    finally:
        stop_server(server)
