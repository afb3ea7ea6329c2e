"""Wikidata enrichment, review and link checks against real servers on 127.0.0.1.

The SPARQL endpoint is a real ``oxigraph serve`` loaded with a small fixture shaped like
Wikidata's data (rdfs:label and skos:altLabel in several languages, schema:description,
wdt:P31); the dead-link check runs against a real ``http.server``.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.cli import cli
from kg.enrich import Match, check_links, fetch_matches, reference_labels, review_links
from kg.errors import LinkError, NotFoundError
from kg.ids import BASE_IRI
from kg.linkgraph import build_links_graph, read_review_file
from kg.links import LINKS_GRAPH, LinkRecord, records_graph
from kg.resources import ontology_dir
from kg.store import GraphStore, open_store
from kg.vocab import FOAF, SKOS, WD

REFERENCE_GRAPH = "https://w3id.org/kg-un/graph/reference"
UNODC = BASE_IRI + "body/unodc"
UNTOC = BASE_IRI + "treaty/untoc"
GA = BASE_IRI + "body/general-assembly"

# Items Q900001 and Q900002 are made up for the fixture; Q47423 is the Assembly's real
# item, already a curated link, so it must not be proposed again.
WIKIDATA_FIXTURE = """
@prefix wd:     <http://www.wikidata.org/entity/> .
@prefix wdt:    <http://www.wikidata.org/prop/direct/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .

wd:Q900001 rdfs:label "United Nations Convention against Transnational Organized Crime"@en ,
        "Convention des Nations unies contre la criminalité transnationale organisée"@fr ;
    skos:altLabel "UNTOC"@en , "Palermo Convention"@en ;
    schema:description "treaty adopted in 2000"@en ;
    wdt:P31 wd:Q900100 .

wd:Q900002 rdfs:label "United Nations Office on Drugs and Crime"@en ;
    skos:altLabel "UNODC"@en ;
    schema:description "office of the United Nations Secretariat"@en ;
    wdt:P31 wd:Q900101 .

wd:Q47423 rdfs:label "United Nations General Assembly"@en ;
    skos:altLabel "General Assembly"@en , "UNGA"@en ;
    wdt:P31 wd:Q900101 .

wd:Q900003 rdfs:label "General Assembly"@de ;
    schema:description "a German-only label: must not match"@en .

wd:Q900004 rdfs:label "Organised crime convention (novel)"@en .

<http://example.org/not-an-item> rdfs:label "UNODC"@en .
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _oxigraph() -> str:
    binary = Path(sys.executable).with_name("oxigraph")
    return str(binary) if binary.exists() else (shutil.which("oxigraph") or "oxigraph")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("wikidata")
    data = folder / "fixture.ttl"
    data.write_text(WIKIDATA_FIXTURE, encoding="utf-8")
    location = folder / "db"
    subprocess.run(
        [_oxigraph(), "load", "--location", str(location), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph serve did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _load_reference(store: GraphStore) -> None:
    reference = sorted((ontology_dir() / "reference").glob("*.ttl"))
    store.load_files(reference, REFERENCE_GRAPH, base_iri=BASE_IRI)
    build_links_graph(store)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    location = tmp_path / "store"
    store = open_store(location)
    _load_reference(store)
    store.close()
    del store
    return location


def _links_of(location: Path) -> Graph:
    store = open_store(location, read_only=True)
    graph = Graph().parse(data=store.graph_ntriples(LINKS_GRAPH), format="nt")
    store.close()
    return graph


def test_reference_labels_are_english_names_and_short_names() -> None:
    store = open_store(None)
    _load_reference(store)
    labels = reference_labels(store)
    assert (UNODC, "UNODC") in labels
    assert (UNODC, "United Nations Office on Drugs and Crime") in labels
    assert (UNTOC, "Organized Crime Convention") in labels
    assert (UNTOC, "the Convention") not in labels  # anaphors are not names


def test_fetch_matches_finds_the_fixture_items(endpoint: str) -> None:
    pairs = [
        (UNTOC, "United Nations Convention against Transnational Organized Crime"),
        (UNTOC, "UNTOC"),
        (UNODC, "UNODC"),
        (GA, "General Assembly"),
        (BASE_IRI + "body/cnd", "Commission on Narcotic Drugs"),
    ]
    matches = fetch_matches(endpoint, pairs)
    assert matches == [
        Match(GA, "General Assembly", str(WD.Q47423), "United Nations General Assembly", None),
        Match(
            UNODC,
            "UNODC",
            str(WD.Q900002),
            "United Nations Office on Drugs and Crime",
            "office of the United Nations Secretariat",
        ),
        Match(
            UNTOC,
            "UNTOC",
            str(WD.Q900001),
            "United Nations Convention against Transnational Organized Crime",
            "treaty adopted in 2000",
        ),
        Match(
            UNTOC,
            "United Nations Convention against Transnational Organized Crime",
            str(WD.Q900001),
            "United Nations Convention against Transnational Organized Crime",
            "treaty adopted in 2000",
        ),
    ]


def test_link_wikidata_proposes_and_review_accepts(endpoint: str, store_dir: Path) -> None:
    runner = CliRunner()
    review = store_dir.with_name("store-links-reviewed.ttl")
    result = runner.invoke(
        cli, ["link", "wikidata", "--endpoint", endpoint, "--store", str(store_dir)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    proposed = {(line.split("\t")[2], line.split("\t")[3]) for line in lines}
    assert proposed == {(UNODC, str(WD.Q900002)), (UNTOC, str(WD.Q900001))}
    assert all(line.split("\t")[1] == "proposed" for line in lines)
    assert "2 new proposal(s)" in result.stderr
    assert review.is_file()
    links = _links_of(store_dir)
    assert (URIRef(UNODC), SKOS.exactMatch, WD.Q900002) not in links

    listed = runner.invoke(cli, ["link", "review", "--store", str(store_dir)])
    assert listed.exit_code == 0
    assert sorted(listed.stdout.splitlines()) == sorted(lines)

    unodc_id = next(line.split("\t")[0] for line in lines if line.split("\t")[2] == UNODC)
    untoc_id = next(line.split("\t")[0] for line in lines if line.split("\t")[2] == UNTOC)
    accepted = runner.invoke(
        cli,
        [
            "link",
            "review",
            "--store",
            str(store_dir),
            "--accept",
            unodc_id[:8],
            "--reject",
            untoc_id,
        ],
    )
    assert accepted.exit_code == 0, accepted.output
    assert [line.split("\t")[:2] for line in accepted.stdout.splitlines()] == sorted(
        [[unodc_id, "accepted"], [untoc_id, "rejected"]], key=lambda row: row[0] != unodc_id
    )
    links = _links_of(store_dir)
    assert (URIRef(UNODC), SKOS.exactMatch, WD.Q900002) in links
    assert (URIRef(UNTOC), SKOS.exactMatch, WD.Q900001) not in links

    # A rebuild of the links graph keeps the decision; a second run proposes nothing new.
    store = open_store(store_dir)
    build_links_graph(store, review_file=review)
    store.close()
    del store
    assert (URIRef(UNODC), SKOS.exactMatch, WD.Q900002) in _links_of(store_dir)
    again = runner.invoke(
        cli, ["link", "wikidata", "--endpoint", endpoint, "--store", str(store_dir)]
    )
    assert again.exit_code == 0, again.output
    assert again.stdout == ""
    assert "0 new proposal(s)" in again.stderr
    assert runner.invoke(cli, ["link", "review", "--store", str(store_dir)]).stdout == ""


def test_link_wikidata_unreachable_endpoint_changes_nothing(store_dir: Path) -> None:
    closed = f"http://127.0.0.1:{_free_port()}/query"
    before = sorted(_links_of(store_dir))
    result = CliRunner().invoke(
        cli, ["link", "wikidata", "--endpoint", closed, "--store", str(store_dir)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {closed}: cannot connect to 127.0.0.1:")
    assert "nothing was changed" in result.stderr
    assert not store_dir.with_name("store-links-reviewed.ttl").exists()
    assert not store_dir.with_name("store.staging").exists()
    assert sorted(_links_of(store_dir)) == before


def test_fetch_matches_raises_link_error_offline() -> None:
    closed = f"http://127.0.0.1:{_free_port()}/sparql"
    with pytest.raises(LinkError) as caught:
        fetch_matches(closed, [(UNODC, "UNODC")], connect_timeout=1)
    assert caught.value.target == closed


def test_review_links_unknown_id(tmp_path: Path) -> None:
    review = tmp_path / "review.ttl"
    with pytest.raises(NotFoundError) as caught:
        review_links(review, accept=["abcdef"])
    assert str(caught.value) == (
        "link record not found: abcdef. Run `kg link review --all` to list the ids"
    )


def test_review_links_without_store_updates_file(tmp_path: Path) -> None:
    review = tmp_path / "review.ttl"
    record = LinkRecord(
        UNODC,
        str(SKOS.exactMatch),
        str(WD.Q900002),
        BASE_IRI + "external/wikidata",
        "http://127.0.0.1:1/query",
        "proposed",
        False,
        "2026-11-20",
    )
    review.write_text(records_graph([record], links=False).serialize(format="turtle"))
    changed = review_links(review, accept=[record.id()], today=date(2026, 11, 22))
    assert [(r.status, r.verified, r.checked_at) for r in changed] == [
        ("accepted", True, "2026-11-22")
    ]
    assert [(r.status, r.checked_at) for r in read_review_file(review)] == [
        ("accepted", "2026-11-22")
    ]


# --------------------------------------------------------------- dead links


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in ("/alive", "/") else 404)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200 if self.path in ("/alive", "/no-head") else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def pages() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_check_links_reports_dead_targets(pages: str) -> None:
    store = open_store(None)
    dataset = BASE_IRI + "external/undocs"
    records = [
        LinkRecord(GA, str(FOAF.page), f"{pages}/alive", dataset, pages, "curated", True),
        LinkRecord(GA, str(FOAF.page), f"{pages}/gone", dataset, pages, "derived", False),
        LinkRecord(UNODC, str(FOAF.page), f"{pages}/no-head", dataset, pages, "accepted", True),
        LinkRecord(UNODC, str(FOAF.page), f"{pages}/unasked", dataset, pages, "proposed", False),
    ]
    store.replace_graphs({LINKS_GRAPH: records_graph(records)})
    checks = check_links(store, timeout=5)
    assert [(c.target.removeprefix(pages), c.status, c.dead) for c in checks] == [
        ("/gone", 404, True),
        ("/alive", 200, False),
        ("/no-head", 200, False),
    ]


def test_check_links_without_any_answer_is_an_error() -> None:
    store = open_store(None)
    closed = f"http://127.0.0.1:{_free_port()}"
    record = LinkRecord(
        GA, str(FOAF.page), f"{closed}/a", BASE_IRI + "external/undocs", closed, "derived", False
    )
    store.replace_graphs({LINKS_GRAPH: records_graph([record])})
    with pytest.raises(LinkError) as caught:
        check_links(store, timeout=2)
    assert str(caught.value).startswith("links graph: none of 1 link targets answered")


def test_link_check_cli_lists_dead_links_and_exits_1(pages: str, tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = open_store(location)
    dataset = BASE_IRI + "external/undocs"
    records = [
        LinkRecord(GA, str(FOAF.page), f"{pages}/alive", dataset, pages, "derived", False),
        LinkRecord(GA, str(FOAF.page), f"{pages}/gone", dataset, pages, "derived", False),
    ]
    store.replace_graphs({LINKS_GRAPH: records_graph(records)})
    store.close()
    del store
    result = CliRunner().invoke(cli, ["link", "check", "--store", str(location)])
    assert result.exit_code == 1
    assert result.stdout == f"404\t{pages}/gone\t{GA}\tNot Found\n"
    assert result.stderr == "1 dead link(s), 2 target(s) checked\n"
