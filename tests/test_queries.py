"""Stored queries: the `#+` header, typed parameters, lookups and result formats.

Rows here come from the hand-written sample dataset (tests/data/queries-sample.trig);
the rows on the real corpus are in test_queries_rows.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import NotFoundError, QueryError
from kg.queries import (
    format_result,
    get_query,
    list_queries,
    load_query,
    run_query,
    run_sparql,
)
from kg.store import GraphStore
from tests.queries_fixtures import ANONYMOUS, sample_store, short, write_query

INJECTION = 'x" } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def sample() -> Iterator[GraphStore]:
    store = sample_store()
    yield store
    store.close()


VALID = """#+ summary: Mandates of one kind
#+ description: >-
#+   A test query.
#+ tags:
#+   - mandates
#+ params:
#+   - name: addressee
#+     type: iri
#+     lookup:
#+       - kg:Body
#+       - <https://example.org/Group>
#+     description: Who.
#+     example: UNODC
#+   - name: kind
#+     type: string
#+     description: Which kind.
#+     example: request
#+   - name: session
#+     type: integer
#+     description: When.
#+ defaults:
#+   - kind: request
#+ enumerate:
#+   - kind:
#+       - request
#+       - invitation

PREFIX kg: <https://w3id.org/kg-un/ontology#>

SELECT ?mandate $_addressee_iri $__kind $__session_integer
WHERE {
  ?mandate kg:addressee ?_addressee_iri ; kg:dueSession ?__session_integer .
  FILTER(COALESCE(?kind = ?__kind, true))
}
"""


def _error(tmp_path: Path, text: str) -> str:
    path = write_query(tmp_path, "broken", text)
    with pytest.raises(QueryError) as caught:
        load_query(path)
    return str(caught.value)


# ---------------------------------------------------------------- the header


def test_load_query_reads_header_and_parameters(tmp_path: Path) -> None:
    query = load_query(write_query(tmp_path, "mandate-kinds", VALID))
    assert (query.name, query.summary, query.description) == (
        "mandate-kinds",
        "Mandates of one kind",
        "A test query.",
    )
    assert query.tags == ("mandates",)
    addressee, kind, session = query.params
    assert (addressee.name, addressee.type, addressee.required, addressee.variable) == (
        "addressee",
        "iri",
        True,
        "_addressee_iri",
    )
    assert addressee.lookup == (
        "https://w3id.org/kg-un/ontology#Body",
        "https://example.org/Group",
    )
    assert (addressee.example, addressee.description) == ("UNODC", "Who.")
    assert (kind.type, kind.required, kind.default, kind.enum) == (
        "string",
        False,
        "request",
        ("request", "invitation"),
    )
    assert (session.type, session.variable, session.default, session.example) == (
        "integer",
        "__session_integer",
        None,
        None,
    )


def test_load_query_without_header_names_line_1(tmp_path: Path) -> None:
    path = tmp_path / "bare.rq"
    message = _error(tmp_path, "SELECT ?x WHERE { BIND(1 AS ?x) }\n").replace("broken", "bare")
    assert message == f"{path}:1: no `#+` header. Start the file with `#+ summary: …`"


def test_load_query_malformed_yaml_names_its_line(tmp_path: Path) -> None:
    text = "#+ summary: ok\n#+ tags:\n#+   - a\n#+ description: a: b\nSELECT * {}\n"
    message = _error(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'broken.rq'}:4: malformed `#+` header: ")
    assert "mapping values are not allowed here" in message


def test_load_query_unknown_header_key_names_its_line(tmp_path: Path) -> None:
    message = _error(tmp_path, "#+ summary: ok\n#+ sumary: typo\nSELECT * {}\n")
    assert message.startswith(f"{tmp_path / 'broken.rq'}:2: unknown header key 'sumary'")


def test_load_query_without_summary_is_an_error(tmp_path: Path) -> None:
    message = _error(tmp_path, "#+ tags:\n#+   - a\nSELECT * {}\n")
    assert message.startswith(f"{tmp_path / 'broken.rq'}:1: the header has no `summary`")


def test_load_query_unknown_param_field_names_its_line(tmp_path: Path) -> None:
    text = VALID.replace("#+     description: Who.", "#+     descripton: Who.")
    message = _error(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'broken.rq'}:12: unknown field 'descripton'")


def test_load_query_unknown_parameter_in_the_query_names_its_line(tmp_path: Path) -> None:
    text = VALID.replace(
        "?mandate kg:addressee", "?_body kg:member ?mandate .\n  ?mandate kg:addressee"
    )
    message = _error(tmp_path, text)
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:32: unknown parameter 'body': ?_body has no `params` entry"
    )


def test_load_query_declared_parameter_missing_from_the_query(tmp_path: Path) -> None:
    text = VALID.replace(" $__session_integer", "").replace(
        " ; kg:dueSession ?__session_integer", ""
    )
    message = _error(tmp_path, text)
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:18: parameter 'session' does not occur in the query"
    )


def test_load_query_variable_of_the_wrong_type_names_its_line(tmp_path: Path) -> None:
    message = _error(tmp_path, VALID.replace("?__session_integer", "?__session_xsd_date"))
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:32: parameter 'session' is written ?__session_xsd_date here "
        "and ?__session_integer before"
    )
    text = VALID.replace("_session_integer", "_session_xsd_date")
    message = _error(tmp_path, text)
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:30: variable ?__session_xsd_date does not match "
        "the declared type 'integer' of 'session'"
    )


def test_load_query_parameter_must_be_projected(tmp_path: Path) -> None:
    message = _error(tmp_path, VALID.replace(" $__kind", ""))
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:33: parameter variable ?__kind is not in the SELECT clause"
    )


def test_load_query_unknown_type_is_an_error(tmp_path: Path) -> None:
    message = _error(tmp_path, VALID.replace("type: integer", "type: number"))
    assert message.startswith(f"{tmp_path / 'broken.rq'}:18: parameter 'session' has type 'number'")


def test_load_query_grlc_default_of_an_unknown_parameter(tmp_path: Path) -> None:
    message = _error(tmp_path, VALID.replace("#+   - kind: request", "#+   - knd: request"))
    assert message.startswith(f"{tmp_path / 'broken.rq'}:22: unknown parameter 'knd'")


def test_load_query_decorator_after_the_query(tmp_path: Path) -> None:
    message = _error(tmp_path, "#+ summary: ok\nSELECT * {}\n#+ tags: [a]\n")
    assert message.startswith(f"{tmp_path / 'broken.rq'}:3: `#+` decorator after the query")


# ---------------------------------------------------------------- the bundled queries

REQUIRED = {
    "resolutions",
    "paragraphs",
    "mandates",
    "reporting-cycle",
    "citations",
    "cited-by",
    "treaty-mentions",
    "action-frequency",
    "bodies",
    "drafts",
    "lookup",
}


def test_list_queries_holds_the_required_queries() -> None:
    names = [q.name for q in list_queries()]
    assert names == sorted(names)
    assert set(names) >= REQUIRED


@pytest.mark.parametrize("name", sorted(q.name for q in list_queries()))
def test_bundled_query_has_a_header_and_runs(name: str, sample: GraphStore) -> None:
    query = get_query(name)
    assert query.summary and query.sparql.startswith("#+ summary:")
    for param in query.params:
        assert param.description, f"{name}: parameter {param.name} has no description"
        assert param.example, f"{name}: parameter {param.name} has no example"
    examples = {p.name: p.example or "" for p in query.params if p.required}
    result = run_query(sample, name, examples)
    assert result.variables
    assert not {v for v in result.variables if v.startswith("_")}


def test_get_query_unknown_name_is_not_found() -> None:
    with pytest.raises(NotFoundError) as caught:
        get_query("no-such-query")
    assert str(caught.value) == (
        "stored query not found: no-such-query. Run `kg queries` to list them"
    )
    with pytest.raises(NotFoundError):
        get_query("../queries/mandates")


# ---------------------------------------------------------------- parameters


def test_run_query_injection_shaped_value_is_a_plain_string(sample: GraphStore) -> None:
    before = sample.count_triples()
    result = run_query(sample, "paragraphs", {"resolution": INJECTION})
    assert result.variables == ("paragraph", "part", "order", "number", "phrase", "action", "text")
    assert result.rows == ()
    assert result.notes == (f"paragraphs: resolution: nothing in the store is named {INJECTION!r}",)
    assert run_query(sample, "lookup", {"name": INJECTION}).rows == ()
    assert run_query(sample, "cited-by", {"resolution": INJECTION}).rows == ()
    assert sample.count_triples() == before


def test_run_query_value_outside_the_enumeration(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "mandates", {"kind": INJECTION})
    assert str(caught.value) == (
        f"mandates: kind: {INJECTION!r} is not one of request, invitation, encouragement, "
        "urging, call"
    )


def test_run_query_bad_integer_names_the_parameter(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "reporting-cycle", {"session": "fifty-ninth"})
    assert str(caught.value) == (
        "reporting-cycle: session: 'fifty-ninth' is not an integer. Give digits, e.g. 59"
    )


def test_run_query_bad_date_names_the_parameter(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "resolutions", {"since": "22 December 2003"})
    assert str(caught.value) == (
        "resolutions: since: '22 December 2003' is not a date. Write YYYY-MM-DD"
    )


def test_run_query_bad_iri_names_the_parameter(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "lookup", {"name": "UNODC", "class": "Body"})
    assert str(caught.value).startswith("lookup: class: 'Body' is not an absolute IRI")


def test_run_query_unknown_parameter(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "mandates", {"adressee": "UNODC"})
    assert str(caught.value) == (
        "mandates: unknown parameter 'adressee'. Parameters of mandates: addressee, kind"
    )


def test_run_query_missing_required_parameter(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "cited-by", {})
    assert str(caught.value) == (
        "cited-by: parameter 'resolution' is required (e.g. -p resolution=A/RES/55/25)"
    )


def test_run_query_name_of_several_resources(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(sample, "mandates", {"addressee": "twin office"})
    assert str(caught.value) == (
        "mandates: addressee: 'twin office' names several resources: "
        "https://w3id.org/kg-un/body/twin-a, https://w3id.org/kg-un/body/twin-b. Give one IRI"
    )


def test_run_query_symbol_number_and_iri_agree(sample: GraphStore) -> None:
    by_iri = run_query(
        sample, "paragraphs", {"resolution": "https://w3id.org/kg-un/resolution/A/RES/56/120"}
    )
    assert run_query(sample, "paragraphs", {"resolution": "A/RES/56/120"}) == by_iri
    assert run_query(sample, "paragraphs", {"resolution": "56/120"}) == by_iri
    assert short(by_iri.values())[0][:6] == (
        "resolution/A/RES/56/120/preamble/1",
        "preamble",
        "1",
        None,
        "Recalling",
        "recall",
    )


def test_run_query_default_value_applies(sample: GraphStore) -> None:
    assert run_query(sample, "bodies", {}) == run_query(sample, "bodies", {"follow": "false"})


# ---------------------------------------------------------------- rows on the sample


def test_mandates_filters_by_addressee_name_and_kind(sample: GraphStore) -> None:
    rows = short(run_query(sample, "mandates", {"addressee": "secretary-general"}).values())
    assert [(r[2], r[4], r[6], r[7]) for r in rows] == [
        (
            f"{ANONYMOUS.removeprefix('https://w3id.org/kg-un/')}/operative/2",
            "request",
            "body/general-assembly",
            "60",
        ),
        ("resolution/A/RES/56/120/operative/1", "request", None, None),
        ("resolution/A/RES/56/120/operative/2", "request", "body/ccpcj", "11"),
    ]
    rows = short(run_query(sample, "mandates", {"kind": "invitation"}).values())
    assert rows == [
        (
            "resolution/text/0123456789abcdef",
            None,
            "resolution/text/0123456789abcdef/operative/1",
            "body/member-states",
            "invitation",
            "to contribute",
            None,
            None,
        )
    ]
    both = {"addressee": "Member States", "kind": "request"}
    assert run_query(sample, "mandates", both).rows == ()


def test_reporting_cycle_filters_by_session(sample: GraphStore) -> None:
    rows = short(run_query(sample, "reporting-cycle", {"session": "11"}).values())
    assert rows == [
        (
            "body/ccpcj",
            "11",
            None,
            "body/secretary-general",
            "resolution/A/RES/56/120",
            "A/RES/56/120",
            "2001-12-19",
            "resolution/A/RES/56/120/operative/2",
            "to submit a report on the implementation of the present resolution",
        )
    ]


def test_resolutions_since_leaves_out_undated_ones(sample: GraphStore) -> None:
    rows = short(run_query(sample, "resolutions", {"since": "2002-01-01"}).values())
    assert [r[:4] + r[5:] for r in rows] == [
        ("resolution/E/RES/2004/23", "E/RES/2004/23", "body/ecosoc", "2004-07-21", "0", "1")
    ]
    assert len(run_query(sample, "resolutions", {}).rows) == 3


def test_bodies_follow_counts_former_bodies_under_the_successor(sample: GraphStore) -> None:
    plain = short(run_query(sample, "bodies", {}).values())
    assert [(r[0], r[2], r[3], r[4]) for r in plain] == [
        ("body/secretary-general", "2", "3", "3"),
        ("body/unodc", "2", "3", "1"),
        ("body/ccpcj", "1", "1", "0"),
        ("body/cicp", "1", "1", "0"),
        ("body/general-assembly", "1", "1", "0"),
        ("body/member-states", "1", "1", "1"),
        ("body/odccp", "1", "1", "0"),
    ]
    followed = short(run_query(sample, "bodies", {"follow": "true"}).values())
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in followed][:2] == [
        ("body/unodc", "United Nations Office on Drugs and Crime", "3", "4", "1"),
        ("body/secretary-general", "Secretary-General", "2", "3", "3"),
    ]
    assert {r[0] for r in followed} == {r[0] for r in plain} - {"body/cicp", "body/odccp"}


def test_citations_include_resolutions_outside_the_store(sample: GraphStore) -> None:
    rows = short(run_query(sample, "citations", {}).values())
    anonymous = "resolution/text/0123456789abcdef"
    assert rows == [
        (
            "resolution/A/RES/56/120",
            "A/RES/56/120",
            None,
            "document/A/56/574",
            "A/56/574",
            None,
            "false",
        ),
        (
            "resolution/A/RES/56/120",
            "A/RES/56/120",
            "resolution/A/RES/56/120/preamble/1",
            "resolution/A/RES/55/25",
            "A/RES/55/25",
            None,
            "false",
        ),
        (
            "resolution/E/RES/2004/23",
            "E/RES/2004/23",
            "resolution/E/RES/2004/23/draft/preamble/1",
            "resolution/A/RES/55/25",
            "A/RES/55/25",
            None,
            "false",
        ),
        (
            "resolution/E/RES/2004/23",
            "E/RES/2004/23",
            "resolution/E/RES/2004/23/draft/preamble/1",
            "resolution/A/RES/56/120",
            "A/RES/56/120",
            None,
            "true",
        ),
        (
            anonymous,
            None,
            f"{anonymous}/preamble/1",
            "resolution/A/RES/55/25",
            "A/RES/55/25",
            None,
            "false",
        ),
        (
            anonymous,
            None,
            f"{anonymous}/preamble/1",
            "resolution/A/RES/56/120",
            "A/RES/56/120",
            None,
            "true",
        ),
        (
            anonymous,
            None,
            f"{anonymous}/preamble/1",
            "resolution/cop-untoc/6/1",
            None,
            "6/1",
            "false",
        ),
    ]


def test_drafts_and_the_resolution_that_adopted_them(sample: GraphStore) -> None:
    expected = [
        (
            "resolution/E/RES/2004/23",
            "E/RES/2004/23",
            "body/ecosoc",
            "body/general-assembly",
            "resolution/E/RES/2004/23/draft",
            "resolution/text/0123456789abcdef",
            None,
            None,
        )
    ]
    assert short(run_query(sample, "drafts", {"body": "ecosoc"}).values()) == expected
    assert run_query(sample, "drafts", {"body": "General Assembly"}).rows == ()


def test_treaty_mentions_follow_sub_paragraphs_and_drafts(sample: GraphStore) -> None:
    rows = short(run_query(sample, "treaty-mentions", {"treaty": "Firearms Protocol"}).values())
    assert rows == [
        (
            "resolution/text/0123456789abcdef",
            None,
            None,
            None,
            "resolution/text/0123456789abcdef/preamble/1",
            "Recalling",
        )
    ]
    drafts = short(
        run_query(sample, "treaty-mentions", {"treaty": "organized crime convention"}).values()
    )
    assert [(r[0], r[3], r[4]) for r in drafts] == [
        ("resolution/text/0123456789abcdef", None, "resolution/text/0123456789abcdef/preamble/1"),
        ("resolution/A/RES/56/120", "2001", "resolution/A/RES/56/120/preamble/1"),
        ("resolution/E/RES/2004/23", "2004", "resolution/E/RES/2004/23/draft/preamble/1"),
    ]


# ---------------------------------------------------------------- ad-hoc queries and formats

TWO_ROWS = 'SELECT ?n ?label WHERE { VALUES (?n ?label) { (1 "a, b") (22 UNDEF) } } ORDER BY ?n'


def test_format_result_table(sample: GraphStore) -> None:
    result = run_sparql(sample, TWO_ROWS)
    assert format_result(result, "table") == ("n   label\n--  -----\n1   a, b\n22\n(2 rows)\n")


def test_format_result_csv_and_tsv(sample: GraphStore) -> None:
    result = run_sparql(sample, TWO_ROWS)
    assert format_result(result, "csv") == 'n,label\r\n1,"a, b"\r\n22,\r\n'
    assert format_result(result, "tsv") == '?n\t?label\n1\t"a, b"\n22\t\n'


def test_format_result_json_is_sparql_json(sample: GraphStore) -> None:
    document = json.loads(format_result(run_sparql(sample, TWO_ROWS), "json"))
    assert document["head"] == {"vars": ["n", "label"]}
    assert document["results"]["bindings"][1] == {
        "n": {
            "type": "literal",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            "value": "22",
        }
    }


def test_format_result_hides_parameter_columns(sample: GraphStore) -> None:
    result = run_query(sample, "cited-by", {"resolution": "A/RES/55/25"})
    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == ["citing", "citingSymbol", "adopted", "paragraph", "phrase"]
    assert all("_resolution_iri" not in b for b in document["results"]["bindings"])


def test_run_sparql_ask(sample: GraphStore) -> None:
    result = run_sparql(sample, "ASK { ?s a <https://w3id.org/kg-un/ontology#Mandate> }")
    assert result.boolean is True
    assert format_result(result, "table") == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}


def test_run_sparql_errors(sample: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_sparql(sample, "SELECT ?x WHERE { ?x }")
    assert str(caught.value).startswith("query: error at 1:")
    with pytest.raises(QueryError) as caught:
        run_sparql(sample, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert str(caught.value) == "query: only SELECT and ASK queries give rows. Use /sparql"
    with pytest.raises(QueryError) as caught:
        format_result(run_sparql(sample, TWO_ROWS), "xml")
    assert str(caught.value) == "format: unknown format 'xml'. Use one of table, csv, tsv, json"


def test_stored_query_syntax_error_names_file_line_and_column(
    tmp_path: Path, sample: GraphStore
) -> None:
    write_query(tmp_path, "typo", "#+ summary: A typo\nSELECT ?x\nWHERE { ?x ?y ?z FILTR(?x) }\n")
    with pytest.raises(QueryError) as caught:
        run_query(sample, "typo", {}, directory=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'typo.rq'}:3:")
    assert "invalid SPARQL" in str(caught.value)
