"""The query guard decides on tokens: keywords refuse, the same letters as data do not."""

from __future__ import annotations

import pytest

from kg.web.guard import RefusedError, check_graphs, check_query

GRAPHS = {"https://w3id.org/kg-un/graph/ontology", "https://w3id.org/kg-un/graph/links"}


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?s WHERE { ?s ?p "SERVICE <http://example.org/sparql>" }',
        "SELECT ?s WHERE { ?s ?p 'INSERT DATA' }",
        'SELECT ?s WHERE { ?s ?p """multi\nline "quoted" LOAD <http://x>\n""" }',
        "SELECT ?s WHERE { ?s ?p '''it''s DROP ALL''' }",
        "SELECT ?service ?load WHERE { ?service ?load ?drop }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ex:LOAD }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE#DELETE> ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/> and DROP ALL",
        'ASK { ?s ?p "x"@load }',
        "SELECT * WHERE { ?a ?b ?c FILTER(?a<?c) }",
        "SELECT * WHERE { _:service ?p ?o }",
        "SELECT ($add AS ?copy) WHERE { BIND(1 AS $add) }",
    ],
)
def test_check_query_allows_keywords_as_data(query: str) -> None:
    assert check_query(query).form in ("SELECT", "ASK")


@pytest.mark.parametrize(
    ("query", "what"),
    [
        ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * { service silent ?endpoint { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * { { SELECT * { SeRvIcE <http://x/> {} } } }", "SERVICE"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("PREFIX x: <urn:x#> CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <urn:g>", "DROP"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("ADD <urn:a> TO <urn:b>", "ADD"),
    ],
)
def test_check_query_refuses_updates_and_service(query: str, what: str) -> None:
    with pytest.raises(RefusedError) as caught:
        check_query(query)
    assert caught.value.what == what


def test_check_graphs_accepts_graphs_of_the_store() -> None:
    info = check_query(
        "PREFIX g: <https://w3id.org/kg-un/graph/> "
        "SELECT * FROM g:ontology FROM NAMED <https://w3id.org/kg-un/graph/links> { ?s ?p ?o }"
    )
    assert info.graphs == (
        ("g:ontology", "https://w3id.org/kg-un/graph/ontology"),
        ("<https://w3id.org/kg-un/graph/links>", "https://w3id.org/kg-un/graph/links"),
    )
    check_graphs(info, GRAPHS)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        (
            "SELECT * FROM <http://example.org/remote.ttl> { ?s ?p ?o }",
            "<http://example.org/remote.ttl>",
        ),
        ("SELECT * FROM NAMED <file:///etc/passwd> { ?s ?p ?o }", "<file:///etc/passwd>"),
        ("SELECT * FROM undeclared:g { ?s ?p ?o }", "undeclared:g"),
        ("BASE <http://example.org/> SELECT * FROM <remote> { ?s ?p ?o }", "<remote>"),
    ],
)
def test_check_graphs_refuses_remote_graphs(query: str, shown: str) -> None:
    with pytest.raises(RefusedError) as caught:
        check_graphs(check_query(query), GRAPHS)
    assert caught.value.what == f"FROM {shown}"
    assert "remote graphs are never fetched" in str(caught.value)
